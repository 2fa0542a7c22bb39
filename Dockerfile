# syntax=docker/dockerfile:1
# newsbot container image: `docker compose up` with tokens in .env (see docs/operations.md).
# Builds for linux/amd64 and linux/arm64 alike (docker buildx build --platform ...): every
# pinned dependency has a binary wheel for both, so no stage needs a compiler.

ARG PYTHON_VERSION=3.11

# --- build: the wheels of every pinned dependency, and newsbot's own wheel -------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /src
COPY requirements.lock pyproject.toml README.md ./
COPY bot ./bot
# --only-binary: a dependency without a wheel for this platform fails the build here, loudly,
# instead of compiling something the runtime image was never meant to carry.
RUN pip wheel --only-binary=:all: --wheel-dir /wheels --requirement requirements.lock \
    && pip wheel --no-deps --wheel-dir /wheels .

# --- runtime: a virtual environment holding only newsbot and its pinned dependencies ---------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="newsbot" \
      org.opencontainers.image.description="Self-hosted news alerts for brand keywords, condensed and posted to Telegram and Discord" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/newsbot/newsbot" \
      org.opencontainers.image.documentation="https://github.com/newsbot/newsbot/blob/main/docs/operations.md"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PATH=/opt/newsbot/bin:$PATH \
    NEWSBOT_DATABASE_URL=sqlite+aiosqlite:////data/newsbot.db \
    NEWSBOT_HTTP_PORT=8080

# A fixed uid/gid, so that a bind-mounted /data can be chowned to it (chown 10001:10001 data).
RUN groupadd --system --gid 10001 newsbot \
    && useradd --system --uid 10001 --gid newsbot --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin newsbot \
    && mkdir -p /app/config /data \
    && chown newsbot:newsbot /data

# The wheels are mounted, not copied: they never become a layer of this image. The venv has
# no pip of its own (--without-pip); the base image's pip installs into it, from the wheels
# only (--no-index), pinned by the lock file. Its bytecode is compiled here, once: the
# non-root user cannot write it at run time.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    --mount=type=bind,source=requirements.lock,target=/tmp/requirements.lock \
    python -m venv --without-pip /opt/newsbot \
    && pip --python /opt/newsbot/bin/python install --no-index --find-links /wheels \
       --constraint /tmp/requirements.lock newsbot

WORKDIR /app
# The default sources; mount your own file over it (compose.yaml does). Settings come from
# NEWSBOT_* environment variables, which win over the file.
COPY config/newsbot.toml /app/config/newsbot.toml

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080

# Python is in the image anyway: no curl needed. Port 0 turns the endpoint (and the check) off.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as r; p = os.environ.get('NEWSBOT_HTTP_PORT', '8080'); sys.exit(0 if p == '0' else r.urlopen(f'http://127.0.0.1:{p}/healthz', timeout=4).status != 200)"]

# `docker stop` sends SIGTERM: newsbot finishes in-flight sends and exits 0 within 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["newsbot"]
CMD ["run"]

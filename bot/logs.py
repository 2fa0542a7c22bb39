"""Logging set-up: readable lines or JSON lines, each carrying its context fields.

Every line passes a `RedactingFilter` on the way out: bot tokens (the configured ones, and
anything shaped like a Telegram or Discord token) are masked in the message, its arguments,
the context fields and exception text. Telegram puts the token in every request URL, and
HTTP libraries log URLs at DEBUG, so silencing loggers alone would not be enough.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

# Fields that code passes with `extra={...}` to say what a line is about.
CONTEXT_FIELDS = ("source", "chat", "subscription", "platform", "url")

# Libraries whose INFO lines are noise for an operator (or carry secrets in URLs).
_QUIET = {
    "alembic": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "httpx": logging.WARNING,  # logs every request URL, and Telegram's hold the token
    "httpcore": logging.WARNING,
    "telegram.ext.Updater": logging.INFO,
    "discord": logging.INFO,
    "trafilatura": logging.CRITICAL,  # its ERROR lines repeat what our own error says
    "htmldate": logging.WARNING,
}


REDACTED = "[redacted]"

# Token shapes, masked even when not configured (say, pasted into a source URL).
_TOKEN_SHAPES = re.compile(
    r"\d{5,16}:[A-Za-z0-9_-]{30,}"  # Telegram: bot id, colon, 35-character secret
    r"|[A-Za-z0-9_-]{23,30}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"  # Discord: id.time.hmac
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every secret and every token-shaped string replaced by `[redacted]`."""
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, REDACTED)
    return _TOKEN_SHAPES.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Masks secrets in a record before any formatter sees it (attached to the handler)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = {secret for secret in secrets if secret}

    def add(self, secrets: Iterable[str]) -> None:
        """Mask these secrets too from now on."""
        self.secrets.update(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's text in place; never drops a record."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg} {record.args}"  # a bad format string still gets masked
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact(value, self.secrets))
        return True


def protect_secrets(secrets: Iterable[str]) -> None:
    """Add secrets (the bot tokens) to the redaction of every handler `configure_logging` set."""
    wanted = list(secrets)
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, RedactingFilter):
                found.add(wanted)


def _context(record: logging.LogRecord) -> dict[str, object]:
    return {
        name: getattr(record, name)
        for name in CONTEXT_FIELDS
        if getattr(record, name, None) not in (None, "")
    }


class TextFormatter(logging.Formatter):
    """`time level logger: message key=value …` with the context fields at the end."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{key}={value}" for key, value in _context(record).items())
        if not fields:
            return line
        head, newline, rest = line.partition("\n")  # keep tracebacks below the fields
        return f"{head} {fields}{newline}{rest}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, context fields, exception."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_context(record),
        }
        # exc_text is the redacted traceback when the RedactingFilter saw the record.
        if record.exc_text:
            payload["exception"] = record.exc_text
        elif record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(
    level: str,
    *,
    fmt: str = "text",
    stream: TextIO | None = None,
    secrets: Iterable[str] = (),
) -> None:
    """Send logs to stderr (stdout carries only alerts) in the chosen format, secrets masked."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, quiet_level in _QUIET.items():
        logging.getLogger(name).setLevel(max(quiet_level, logging.getLevelName(level)))
    _instrument_retries()


def _instrument_retries() -> None:
    """Log fetch retries at DEBUG with their cause, instead of stamina's bare WARNING lines
    (and its unprefixed Prometheus counter: newsbot's metrics carry their own names)."""
    import stamina.instrumentation

    log = logging.getLogger("bot.retries")

    def on_retry(details: stamina.instrumentation.RetryDetails) -> None:
        log.debug(
            "retry %d of %s in %.1f s after %s",
            details.retry_num,
            details.name,
            details.wait_for,
            details.caused_by,
        )

    stamina.instrumentation.set_on_retry_hooks([on_retry])

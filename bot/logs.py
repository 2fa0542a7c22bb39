"""Logging set-up: readable lines or JSON lines, each carrying its context fields."""

from __future__ import annotations

import json
import logging
import sys
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
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(level: str, *, fmt: str = "text", stream: TextIO | None = None) -> None:
    """Send logs to stderr (stdout carries only alerts) in the chosen format."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
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

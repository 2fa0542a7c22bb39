"""Keep the bot token out of every log line: httpx and PTB put it in URLs and messages."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from bot.platforms.telegram._errors import redact

# Loggers that can carry the token: httpx logs request URLs, PTB logs its base URL at DEBUG.
_NAMESPACES = ("httpx", "httpcore", "telegram", "bot", "aiohttp")


class TokenFilter(logging.Filter):
    """Rewrites a record that mentions the token; never drops one."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the token in the message and in the traceback text."""
        secret = self._token.partition(":")[2] or self._token
        message = record.getMessage()
        if secret in message:
            record.msg = redact(message, self._token)
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = "".join(traceback.format_exception(*record.exc_info))
            if secret in text:
                # Formatters print exc_info themselves; move the cleaned traceback into the text.
                record.msg = f"{record.msg}\n{redact(text.rstrip(), self._token)}"
                record.args = None
                record.exc_info = None
                record.exc_text = None
        return True


def install_token_filter(token: str) -> Callable[[], None]:
    """Attach a TokenFilter to the root handlers and library loggers; returns the undo."""
    token_filter = TokenFilter(token)
    manager = logging.root.manager
    loggers: list[logging.Logger] = [
        logger
        for name, logger in list(manager.loggerDict.items())
        if isinstance(logger, logging.Logger) and name.split(".")[0] in _NAMESPACES
    ]
    loggers += [logging.getLogger(name) for name in _NAMESPACES]
    handlers = list(logging.root.handlers)
    for target in (*loggers, *handlers):
        target.addFilter(token_filter)

    def uninstall() -> None:
        for target in (*loggers, *handlers):
            target.removeFilter(token_filter)

    return uninstall

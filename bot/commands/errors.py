"""Typed errors of the command handlers; each carries the message key of its localised reply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Localised:
    """A message key with its parameters, translated when the reply's language is known."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


class CommandError(Exception):
    """Base of every error raised by `bot.commands`: a user error answered with `key`."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class UsageError(CommandError):
    """The command's arguments are missing or malformed; the reply shows how to use it."""


class PermissionDeniedError(CommandError):
    """The caller may not run this command here (not a chat admin, not a bot admin)."""


class NotFoundError(CommandError):
    """The subscription or source named by the caller does not exist in this chat."""


class RefusedError(CommandError):
    """The request is understood and allowed in general, but refused for this target."""


class SourceUrlError(RefusedError):
    """A URL given to `/addsource` may not be polled: bad scheme, no host, or not public."""

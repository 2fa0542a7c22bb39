"""Typed errors of the matching capability."""

from __future__ import annotations


class MatchingError(Exception):
    """Base of every error raised by `bot.matching`."""


class QuerySyntaxError(MatchingError, ValueError):
    """A query could not be parsed; `.position` is the 1-based column, `.reason` what went wrong."""

    def __init__(self, reason: str, position: int, *, hint: str = "") -> None:
        self.reason = reason
        self.position = position
        self.hint = hint
        suffix = f" ({hint})" if hint else ""
        super().__init__(f"Invalid query: {reason} at position {position}{suffix}.")

"""Typed errors of the condense package."""

from __future__ import annotations


class CondenseError(Exception):
    """Base of every error raised by `bot.condense`."""


class UnknownLanguageError(CondenseError, ValueError):
    """A language code that the detector cannot be built for."""


class InvalidLimitError(CondenseError, ValueError):
    """A summary limit (characters or sentences) below 1."""

"""Typed errors of the translation clients; the caller turns every one into "untranslated"."""

from __future__ import annotations

from bot.errors import NewsbotError


class TranslationError(NewsbotError):
    """A translation could not be had; subclasses say why. Messages never hold the key."""


class TranslationTimeoutError(TranslationError):
    """The service did not answer within the timeout."""


class TranslationUnavailableError(TranslationError):
    """The service is unreachable or failing (connection error, 5xx)."""


class TranslationAuthError(TranslationError):
    """The service refused the key (401, 403): a setting to fix, not a passing fault."""


class TranslationRateLimitedError(TranslationError):
    """Too many requests or the quota is used up (429, DeepL's 456)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TranslationRejectedError(TranslationError):
    """The service refused this request (another 4xx: unsupported language, too long)."""


class MalformedTranslationError(TranslationError):
    """The answer is no JSON, or not the shape the service documents."""

"""German and English message catalogues and locale-aware formatting."""

from bot.i18n.catalog import (
    DEFAULT_LANGUAGE,
    MissingMessageError,
    format_datetime,
    language_for_locale,
    message_keys,
    translate,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "MissingMessageError",
    "format_datetime",
    "language_for_locale",
    "message_keys",
    "translate",
]

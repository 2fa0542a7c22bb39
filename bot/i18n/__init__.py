"""German and English message catalogues and locale-aware formatting."""

from bot.i18n.catalog import (
    DEFAULT_LANGUAGE,
    MissingMessageError,
    language_for_locale,
    message_keys,
    translate,
)
from bot.i18n.time import (
    UnknownZoneError,
    format_clock,
    format_datetime,
    format_day,
    is_utc,
    parse_weekday,
    parse_zone,
    weekday_name,
    zone_of,
)

__all__ = [
    "DEFAULT_LANGUAGE",
    "MissingMessageError",
    "UnknownZoneError",
    "format_clock",
    "format_datetime",
    "format_day",
    "is_utc",
    "language_for_locale",
    "message_keys",
    "parse_weekday",
    "parse_zone",
    "translate",
    "weekday_name",
    "zone_of",
]

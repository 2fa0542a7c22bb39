"""Times as a chat's readers write them, in the chat's zone: pure, over Babel's CLDR data."""

from __future__ import annotations

import difflib
from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.dates import get_day_names

from bot.i18n import de, en

UTC_NAME = "UTC"
# Names of zone UTC itself; Europe/London at +00:00 in winter is not UTC and gets no suffix.
_UTC_KEYS = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
)
# CLDR puts a narrow no-break space before AM/PM; console output and logs read better with a
# plain one, and chat clients show both the same.
_NARROW_NBSP = "\u202f"


class UnknownZoneError(ValueError):
    """A name is no IANA time zone; `suggestion` is the closest known name, if any is close."""

    def __init__(self, name: str, suggestion: str | None) -> None:
        hint = f" (did you mean {suggestion}?)" if suggestion else ""
        super().__init__(f"{name!r} is no IANA time zone such as Europe/Berlin{hint}")
        self.name = name
        self.suggestion = suggestion


@cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name by its case-folded form (read once from tzdata)."""
    return {name.casefold(): name for name in available_timezones()}


def parse_zone(name: str) -> ZoneInfo:
    """The zone an IANA name (any letter case, `Europe/Berlin`) names, else UnknownZoneError."""
    wanted = name.strip().replace(" ", "_")
    known = _zone_names().get(wanted.casefold())
    if known is None:
        raise UnknownZoneError(name.strip(), suggest_zone(wanted))
    try:
        return ZoneInfo(known)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UnknownZoneError(name.strip(), None) from exc


def suggest_zone(name: str) -> str | None:
    """The known zone name closest to a misspelt one (`Europe/Berln` -> `Europe/Berlin`)."""
    # Only Area/City names: legacy ones (EST, CET, Etc/GMT+1) mislead more than they help.
    names = {
        key: value
        for key, value in _zone_names().items()
        if "/" in key and not key.startswith("etc/")
    }
    close = difflib.get_close_matches(name.casefold(), list(names), n=1, cutoff=0.75)
    if close:
        return names[close[0]]
    # A bare city (`Berlin`) is the last part of a zone name.
    city = name.casefold().rsplit("/", 1)[-1]
    ends = sorted(key for key in names if key.rsplit("/", 1)[-1] == city)
    return names[ends[0]] if ends else None


def zone_of(name: str | None, default: str = UTC_NAME) -> ZoneInfo:
    """A stored zone name as a zone; a name the tz database no longer knows falls back."""
    try:
        return parse_zone(name or default)
    except UnknownZoneError:
        return ZoneInfo(UTC_NAME)


def is_utc(zone: ZoneInfo) -> bool:
    """Whether `zone` is UTC itself (and times in it need the `UTC` suffix)."""
    return zone.key in _UTC_KEYS


def _babel_locale(language: str | None) -> str:
    return "de" if language == "de" else "en"


def format_clock(moment: time, language: str | None) -> str:
    """A wall-clock time alone: `22:20` in German, `10:20 PM` in English (CLDR short form)."""
    text = babel_format_time(moment, format="short", locale=_babel_locale(language))
    return text.replace(_NARROW_NBSP, " ")


def format_datetime(moment: datetime, language: str | None, zone: ZoneInfo | None = None) -> str:
    """A moment in `zone` (default UTC) as readers of `language` write it.

    German `1. Dez. 2026, 22:20 Uhr`; English `Dec 1, 2026, 10:20 PM`; in UTC the clock is
    followed by `UTC` instead of `Uhr` so that nobody mistakes it for local time.
    """
    zone = zone or ZoneInfo(UTC_NAME)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    clock = format_clock(local.time(), language)
    if language == "de":
        suffix = UTC_NAME if is_utc(zone) else "Uhr"
        return f"{local.day}. {de.MONTHS[local.month - 1]} {local.year}, {clock} {suffix}"
    suffix = f" {UTC_NAME}" if is_utc(zone) else ""
    return f"{en.MONTHS[local.month - 1]} {local.day}, {local.year}, {clock}{suffix}"


def format_day(day: date, language: str | None) -> str:
    """A day without the year, month written out: `1. Dezember`, `December 1`."""
    pattern = "d. MMMM" if language == "de" else "MMMM d"
    return babel_format_date(day, format=pattern, locale=_babel_locale(language))


def weekday_name(weekday: int, language: str | None) -> str:
    """The full name of a weekday (0 = Monday), `Montag` / `Monday`."""
    return str(get_day_names("wide", locale=_babel_locale(language))[weekday])


@cache
def _weekday_words() -> dict[str, int]:
    """German and English weekday names and abbreviations (CLDR), case-folded, to 0-6."""
    words: dict[str, int] = {}
    for locale in ("de", "en"):
        for width in ("wide", "abbreviated", "short"):
            for number, name in get_day_names(width, locale=locale).items():
                words[str(name).casefold().rstrip(".")] = number
    return words


def parse_weekday(word: str) -> int | None:
    """`mon`, `Monday`, `Mo`, `montag`, `Di.` -> 0-6 (Monday = 0); None for anything else."""
    return _weekday_words().get(word.strip().casefold().rstrip("."))

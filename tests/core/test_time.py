"""Times in the chat's zone and language (Babel), zone names with suggestions, weekdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.render import render_plain
from bot.i18n import (
    UnknownZoneError,
    format_clock,
    format_datetime,
    format_day,
    parse_weekday,
    parse_zone,
    weekday_name,
    zone_of,
)
from bot.model import Alert

EVENING = datetime(2026, 12, 1, 21, 20, tzinfo=UTC)  # 22:20 in Berlin
SUMMER = datetime(2026, 7, 1, 20, 20, tzinfo=UTC)  # 22:20 in Berlin (CEST)


@pytest.mark.parametrize(
    ("moment", "language", "zone", "expected"),
    [
        (EVENING, "de", "Europe/Berlin", "1. Dez. 2026, 22:20 Uhr"),
        (SUMMER, "de", "Europe/Berlin", "1. Juli 2026, 22:20 Uhr"),
        (EVENING, "en", "Europe/Berlin", "Dec 1, 2026, 10:20 PM"),
        (EVENING, "de", "UTC", "1. Dez. 2026, 21:20 UTC"),
        (EVENING, "en", "UTC", "Dec 1, 2026, 9:20 PM UTC"),
        (EVENING, "en", "Etc/UTC", "Dec 1, 2026, 9:20 PM UTC"),
        (EVENING, "de", "Europe/London", "1. Dez. 2026, 21:20 Uhr"),
        (EVENING, "de", "Asia/Tokyo", "2. Dez. 2026, 06:20 Uhr"),
        (EVENING, "en", "America/New_York", "Dec 1, 2026, 4:20 PM"),
        (datetime(2026, 12, 1, 21, 20), "de", "Europe/Berlin", "1. Dez. 2026, 22:20 Uhr"),
    ],
    ids=[
        "de-berlin-winter",
        "de-berlin-summer",
        "en-berlin",
        "de-utc-suffix",
        "en-utc-suffix",
        "etc-utc-is-utc",
        "london-at-zero-offset-is-not-utc",
        "next-day-in-tokyo",
        "en-new-york",
        "naive-is-utc",
    ],
)
def test_format_datetime_in_zone(moment: datetime, language: str, zone: str, expected: str) -> None:
    """`Uhr` in German, CLDR's 12-hour clock in English; `UTC` only in the zone UTC."""
    assert format_datetime(moment, language, ZoneInfo(zone)) == expected


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [(time(8, 0), "de", "08:00"), (time(8, 0), "en", "8:00 AM"), (time(0, 5), "en", "12:05 AM")],
    ids=["de", "en", "en-midnight"],
)
def test_format_clock(moment: time, language: str, expected: str) -> None:
    """A wall-clock time alone, as replies show quiet hours and digest times."""
    assert format_clock(moment, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("de", "1. Dezember"), ("en", "December 1")], ids=["de", "en"]
)
def test_format_day(language: str, expected: str) -> None:
    """The digest heading's day, month written out."""
    assert format_day(date(2026, 12, 1), language) == expected


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        (" America/New York ", "America/New_York"),
        ("UTC", "UTC"),
    ],
    ids=["exact", "any-case", "space-for-underscore", "utc"],
)
def test_parse_zone(name: str, key: str) -> None:
    """IANA names are accepted however they are cased, and stored as the database spells them."""
    assert parse_zone(name).key == key


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Europe/Berln", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new_york", "America/New_York"),
        ("CEST", None),
        ("../../etc/passwd", None),
    ],
    ids=["typo", "bare-city", "bare-city-underscore", "abbreviation", "path"],
)
def test_unknown_zone_suggests_a_close_name(name: str, suggestion: str | None) -> None:
    """An unknown name is refused, with the closest zone when one is close."""
    with pytest.raises(UnknownZoneError) as caught:
        parse_zone(name)
    assert caught.value.suggestion == suggestion


def test_stored_zone_that_vanished_falls_back_to_utc() -> None:
    """A zone name the tz database dropped shows times in UTC instead of failing a send."""
    assert zone_of("Mars/Olympus_Mons").key == "UTC"
    assert zone_of(None, "Europe/Berlin").key == "Europe/Berlin"


@pytest.mark.parametrize(
    ("word", "expected"),
    [("mon", 0), ("Monday", 0), ("Mo", 0), ("montag", 0), ("Di.", 1), ("sun", 6), ("x", None)],
    ids=["mon", "monday", "mo", "montag", "di-dot", "sun", "unknown"],
)
def test_parse_weekday(word: str, expected: int | None) -> None:
    """German and English weekday names, full or short."""
    assert parse_weekday(word) == expected


def test_weekday_name() -> None:
    """Weekday names in the reply's language."""
    assert (weekday_name(0, "de"), weekday_name(6, "en")) == ("Montag", "Sunday")


def test_alert_in_berlin_time_with_uhr() -> None:
    """With the zone Europe/Berlin an alert's source line shows Berlin time with `Uhr`."""
    alert = Alert("T", "https://e.example/a", "S.", "heise online", EVENING, (), "de")
    lines = render_plain(alert, "de", ZoneInfo("Europe/Berlin")).splitlines()
    assert lines[2] == "Quelle: heise online, 1. Dez. 2026, 22:20 Uhr"

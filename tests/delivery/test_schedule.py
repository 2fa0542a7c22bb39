"""Digest times, quiet hours and the hourly cap: pure decisions over an injected clock and zone."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.schedule import (
    Decision,
    DigestSchedule,
    Preferences,
    QuietHours,
    ScheduleSyntaxError,
    decide,
    hour_start,
    next_digest_at,
    next_hour,
    over_limit,
    parse_clock,
    parse_digest,
    parse_limit,
    parse_quiet,
    quiet_until,
    release_as_digest,
)

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
UTC_ZONE = ZoneInfo("UTC")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC moment."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


DAILY_8 = DigestSchedule("daily", time(8, 0))
WEEKLY_MON_8 = DigestSchedule("weekly", time(8, 0), 0)


@pytest.mark.parametrize(
    ("schedule", "after", "zone", "expected"),
    [
        (DAILY_8, utc(2026, 12, 1, 6, 0), BERLIN, utc(2026, 12, 1, 7, 0)),
        (DAILY_8, utc(2026, 12, 1, 7, 0), BERLIN, utc(2026, 12, 2, 7, 0)),
        (DAILY_8, utc(2026, 7, 1, 5, 59), BERLIN, utc(2026, 7, 1, 6, 0)),
        (DAILY_8, utc(2026, 12, 1, 23, 30), BERLIN, utc(2026, 12, 2, 7, 0)),
        (
            DigestSchedule("daily", time(2, 30)),
            utc(2026, 3, 28, 12),
            BERLIN,
            utc(2026, 3, 29, 1, 30),
        ),
        (
            DigestSchedule("daily", time(2, 30)),
            utc(2026, 10, 24, 12),
            BERLIN,
            utc(2026, 10, 25, 0, 30),
        ),
        (
            DigestSchedule("daily", time(2, 30)),
            utc(2026, 10, 25, 0, 30),
            BERLIN,
            utc(2026, 10, 26, 1, 30),
        ),
        (DAILY_8, utc(2026, 3, 28, 12), BERLIN, utc(2026, 3, 29, 6, 0)),
        (WEEKLY_MON_8, utc(2026, 12, 1, 12), BERLIN, utc(2026, 12, 7, 7, 0)),
        (WEEKLY_MON_8, utc(2026, 11, 30, 6, 59), BERLIN, utc(2026, 11, 30, 7, 0)),
        (WEEKLY_MON_8, utc(2026, 11, 30, 7, 0), BERLIN, utc(2026, 12, 7, 7, 0)),
        (DigestSchedule("hourly"), utc(2026, 12, 1, 21, 20), BERLIN, utc(2026, 12, 1, 22, 0)),
        (DigestSchedule("hourly"), utc(2026, 12, 1, 21, 20), KOLKATA, utc(2026, 12, 1, 21, 30)),
        (DigestSchedule("hourly"), utc(2026, 10, 25, 0, 10), BERLIN, utc(2026, 10, 25, 1, 0)),
        (DigestSchedule("off"), utc(2026, 12, 1, 21, 20), BERLIN, None),
    ],
    ids=[
        "daily-later-today",
        "daily-at-the-minute-is-tomorrow",
        "daily-summer-time",
        "daily-after-local-midnight",
        "daily-in-spring-gap-moves-an-hour-on",
        "daily-in-autumn-overlap-first-of-two",
        "daily-autumn-overlap-once",
        "daily-across-spring-change",
        "weekly-next-monday",
        "weekly-this-monday",
        "weekly-at-the-minute-is-next-week",
        "hourly",
        "hourly-half-hour-zone",
        "hourly-across-autumn-change",
        "off",
    ],
)
def test_next_digest_at(
    schedule: DigestSchedule, after: datetime, zone: ZoneInfo, expected: datetime | None
) -> None:
    """The first digest moment strictly after `after`, placed in the chat's wall clock."""
    assert next_digest_at(schedule, after=after, zone=zone) == expected


NIGHT = QuietHours(time(22, 0), time(7, 0))
LUNCH = QuietHours(time(12, 0), time(13, 30))


@pytest.mark.parametrize(
    ("quiet", "now", "zone", "expected"),
    [
        (NIGHT, utc(2026, 12, 1, 21, 20), BERLIN, utc(2026, 12, 2, 6, 0)),
        (NIGHT, utc(2026, 12, 2, 3, 0), BERLIN, utc(2026, 12, 2, 6, 0)),
        (NIGHT, utc(2026, 12, 2, 6, 0), BERLIN, None),
        (NIGHT, utc(2026, 12, 1, 20, 59), BERLIN, None),
        (NIGHT, utc(2026, 12, 1, 21, 0), BERLIN, utc(2026, 12, 2, 6, 0)),
        (NIGHT, utc(2026, 3, 28, 22, 0), BERLIN, utc(2026, 3, 29, 5, 0)),
        (LUNCH, utc(2026, 12, 1, 11, 15), BERLIN, utc(2026, 12, 1, 12, 30)),
        (LUNCH, utc(2026, 12, 1, 12, 30), BERLIN, None),
        (NIGHT, utc(2026, 12, 1, 21, 20), UTC_ZONE, None),
        (None, utc(2026, 12, 1, 21, 20), BERLIN, None),
    ],
    ids=[
        "evening-ends-tomorrow",
        "after-midnight-ends-today",
        "end-is-outside",
        "just-before-start",
        "start-is-inside",
        "night-of-spring-change",
        "daytime-span",
        "daytime-end-is-outside",
        "zone-decides",
        "no-quiet-hours",
    ],
)
def test_quiet_until(
    quiet: QuietHours | None, now: datetime, zone: ZoneInfo, expected: datetime | None
) -> None:
    """Inside quiet hours the answer is their end; outside, None."""
    assert quiet_until(quiet, now=now, zone=zone) == expected


@pytest.mark.parametrize(
    ("now", "zone", "start", "following"),
    [
        (utc(2026, 12, 1, 21, 20), BERLIN, utc(2026, 12, 1, 21, 0), utc(2026, 12, 1, 22, 0)),
        (utc(2026, 12, 1, 21, 20), KOLKATA, utc(2026, 12, 1, 20, 30), utc(2026, 12, 1, 21, 30)),
        (utc(2026, 12, 1, 21, 0), BERLIN, utc(2026, 12, 1, 21, 0), utc(2026, 12, 1, 22, 0)),
    ],
    ids=["whole-hour-zone", "half-hour-zone", "on-the-hour"],
)
def test_clock_hours(now: datetime, zone: ZoneInfo, start: datetime, following: datetime) -> None:
    """Caps count per clock hour of the chat's zone."""
    assert (hour_start(now, zone), next_hour(now, zone)) == (start, following)


@pytest.mark.parametrize(
    ("limit", "sent", "expected"),
    [(None, 500, False), (10, 9, False), (10, 10, True), (1, 3, True)],
    ids=["no-cap", "below", "at-cap", "past-cap"],
)
def test_over_limit(limit: int | None, sent: int, expected: bool) -> None:
    """The cap is reached once `limit` alerts went out this hour."""
    assert over_limit(limit=limit, sent_this_hour=sent) is expected


NOW = utc(2026, 12, 1, 21, 20)  # 22:20 in Berlin


@pytest.mark.parametrize(
    ("prefs", "sent", "expected"),
    [
        (Preferences(), 0, Decision("send")),
        (Preferences(DAILY_8), 0, Decision("digest", utc(2026, 12, 2, 7, 0), "digest")),
        (
            Preferences(DigestSchedule("daily", time(23, 0)), QuietHours(time(22, 0), time(7, 0))),
            0,
            Decision("digest", utc(2026, 12, 2, 6, 0), "digest"),
        ),
        (Preferences(quiet=NIGHT), 0, Decision("hold", utc(2026, 12, 2, 6, 0), "quiet")),
        (Preferences(quiet=LUNCH), 0, Decision("send")),
        (Preferences(hourly_limit=10), 9, Decision("send")),
        (Preferences(hourly_limit=10), 10, Decision("digest", utc(2026, 12, 1, 22, 0), "limit")),
        (
            Preferences(quiet=NIGHT, hourly_limit=1),
            5,
            Decision("hold", utc(2026, 12, 2, 6), "quiet"),
        ),
    ],
    ids=[
        "as-it-happens",
        "daily-digest",
        "digest-in-quiet-hours-waits",
        "quiet-holds",
        "outside-quiet-sends",
        "below-cap-sends",
        "cap-goes-to-next-hours-digest",
        "quiet-before-cap",
    ],
)
def test_decide(prefs: Preferences, sent: int, expected: Decision) -> None:
    """Digest schedule first, then quiet hours, then the cap; otherwise send now."""
    assert decide(prefs, now=NOW, zone=BERLIN, sent_this_hour=sent) == expected


@pytest.mark.parametrize(
    ("held", "expected"), [(1, False), (3, False), (4, True)], ids=["one", "three", "four"]
)
def test_release_as_digest(held: int, expected: bool) -> None:
    """More than three alerts held by quiet hours become one digest message."""
    assert release_as_digest(held) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("off", DigestSchedule("off")),
        ("AUS", DigestSchedule("off")),
        ("hourly", DigestSchedule("hourly")),
        ("daily 08:00", DAILY_8),
        ("täglich 8:00", DAILY_8),
        ("weekly monday 08:00", WEEKLY_MON_8),
        ("weekly Mo 8:00", WEEKLY_MON_8),
        ("wöchentlich montag 08:00", WEEKLY_MON_8),
        ("weekly sun 18:30", DigestSchedule("weekly", time(18, 30), 6)),
    ],
    ids=["off", "aus", "hourly", "daily", "täglich", "weekly", "weekly-de-short", "de", "sunday"],
)
def test_parse_digest(text: str, expected: DigestSchedule) -> None:
    """German and English spellings of the /digest arguments."""
    assert parse_digest(text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "cmd.digest.usage"),
        ("daily", "cmd.digest.usage"),
        ("daily 25:00", "cmd.schedule.bad_time"),
        ("daily 8", "cmd.schedule.bad_time"),
        ("weekly someday 08:00", "cmd.schedule.bad_weekday"),
        ("monthly 08:00", "cmd.digest.usage"),
    ],
    ids=["empty", "no-time", "bad-hour", "no-minutes", "bad-weekday", "monthly"],
)
def test_parse_digest_errors(text: str, key: str) -> None:
    """A bad /digest argument names the reply that explains it."""
    with pytest.raises(ScheduleSyntaxError) as caught:
        parse_digest(text)
    assert caught.value.key == key


@pytest.mark.parametrize(
    "schedule",
    [DigestSchedule("off"), DigestSchedule("hourly"), DAILY_8, WEEKLY_MON_8],
    ids=["off", "hourly", "daily", "weekly"],
)
def test_digest_round_trips_through_the_store(schedule: DigestSchedule) -> None:
    """What is stored reads back as the same schedule."""
    assert DigestSchedule.from_stored(schedule.stored()) == schedule


@pytest.mark.parametrize("stored", [None, "", "weekly 9 08:00", "daily 8h", "fortnightly"], ids=str)
def test_unreadable_stored_digest_is_off(stored: str | None) -> None:
    """A stored value that no longer reads means alerts as they happen: nothing is held."""
    assert DigestSchedule.from_stored(stored).is_off


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00-07:00", NIGHT),
        ("22:00 - 7:00", NIGHT),
        ("12:00–13:30", LUNCH),
        ("off", None),
    ],
    ids=["night", "spaces", "en-dash", "off"],
)
def test_parse_quiet(text: str, expected: QuietHours | None) -> None:
    """/quiet takes a span (over midnight allowed) or off."""
    assert parse_quiet(text) == expected
    if expected is not None:
        assert QuietHours.from_stored(expected.stored()) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("22:00", "cmd.quiet.usage"),
        ("07:00-07:00", "cmd.quiet.empty"),
        ("22:00-24:00", "cmd.schedule.bad_time"),
    ],
    ids=["one-time", "empty-span", "bad-time"],
)
def test_parse_quiet_errors(text: str, key: str) -> None:
    """A bad /quiet argument names the reply that explains it."""
    with pytest.raises(ScheduleSyntaxError) as caught:
        parse_quiet(text)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10", 10), (" 1 ", 1), ("off", None), ("aus", None)],
    ids=["ten", "one", "off", "aus"],
)
def test_parse_limit(text: str, expected: int | None) -> None:
    """/limit takes a count per hour or off."""
    assert parse_limit(text) == expected


@pytest.mark.parametrize("text", ["0", "-3", "ten", "1001"], ids=str)
def test_parse_limit_errors(text: str) -> None:
    """Zero, negative, words and absurd counts get the usage reply."""
    with pytest.raises(ScheduleSyntaxError) as caught:
        parse_limit(text)
    assert caught.value.key == "cmd.limit.usage"


@pytest.mark.parametrize(
    ("text", "expected"), [("8:05", time(8, 5)), ("23:59", time(23, 59))], ids=str
)
def test_parse_clock(text: str, expected: time) -> None:
    """Clock times with one or two hour digits."""
    assert parse_clock(text) == expected


def test_preferences_subscription_digest_beats_the_chats() -> None:
    """A subscription's own /digest wins over the chat's."""
    prefs = Preferences.from_stored(
        chat_digest="hourly", subscription_digest="daily 08:00", quiet="22:00-07:00", hourly_limit=5
    )
    assert prefs == Preferences(DAILY_8, NIGHT, 5)
    chat_only = Preferences.from_stored(
        chat_digest="hourly", subscription_digest=None, quiet=None, hourly_limit=None
    )
    assert chat_only == Preferences(DigestSchedule("hourly"))

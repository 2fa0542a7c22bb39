"""When an alert may go out: digests, quiet hours and hourly caps as pure decisions.

Every function takes the moment (`now`, aware) and the chat's zone; none reads a clock.
Wall-clock times (`08:00`, `22:00-07:00`) are the chat's; moments returned are aware UTC.
DST: a wall time is placed with `fold=0` (PEP 495), so a time that does not exist on the day
clocks go forward (02:30 in Berlin) falls one hour later (03:30), and one that exists twice
when they go back is the first of the two; only dates, never aware local times, are stepped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import parse_weekday

DigestKind = Literal["off", "hourly", "daily", "weekly"]
Action = Literal["send", "digest", "hold"]

QUIET_DIGEST_OVER = 3  # more alerts than this held by quiet hours go out as one digest
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_QUIET = re.compile(r"(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})")


class ScheduleSyntaxError(ValueError):
    """A schedule text cannot be read; `key` names the localised usage reply (bot/i18n)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_clock(text: str) -> time:
    """`08:00`, `8:00`, `23:59` -> a wall-clock time; anything else is a ScheduleSyntaxError."""
    found = _CLOCK.fullmatch(text.strip())
    if found is None:
        raise ScheduleSyntaxError("cmd.schedule.bad_time")
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        raise ScheduleSyntaxError("cmd.schedule.bad_time")
    return time(hour, minute)


def clock_text(moment: time) -> str:
    """The stored and shown 24-hour form `08:00`."""
    return f"{moment:%H:%M}"


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    """When a chat (or one subscription) gets its digest; `off` means alerts as they happen."""

    kind: DigestKind = "off"
    at: time | None = None  # daily and weekly
    weekday: int | None = None  # weekly: 0 = Monday

    @property
    def is_off(self) -> bool:
        """Alerts go out one by one."""
        return self.kind == "off"

    def stored(self) -> str:
        """The text kept in the store: `off`, `hourly`, `daily 08:00`, `weekly 0 08:00`."""
        if self.kind == "daily" and self.at is not None:
            return f"daily {clock_text(self.at)}"
        if self.kind == "weekly" and self.at is not None and self.weekday is not None:
            return f"weekly {self.weekday} {clock_text(self.at)}"
        return self.kind

    @classmethod
    def from_stored(cls, text: str | None) -> DigestSchedule:
        """Read `stored()` text back; None or anything unreadable is `off` (never lose alerts)."""
        parts = (text or "off").split()
        try:
            if parts == ["hourly"]:
                return cls("hourly")
            if len(parts) == 2 and parts[0] == "daily":
                return cls("daily", parse_clock(parts[1]))
            if len(parts) == 3 and parts[0] == "weekly" and parts[1] in "0123456":
                return cls("weekly", parse_clock(parts[2]), int(parts[1]))
        except ScheduleSyntaxError:
            pass
        return cls("off")


def parse_digest(text: str) -> DigestSchedule:
    """What a user types after /digest: `off`, `hourly`, `daily 08:00`, `weekly monday 08:00`.

    Weekdays are German or English, full or abbreviated (`mo`, `Mon`, `Montag`).
    """
    parts = text.strip().casefold().split()
    if parts in (["off"], ["aus"]):
        return DigestSchedule("off")
    if parts in (["hourly"], ["stündlich"]):
        return DigestSchedule("hourly")
    if len(parts) == 2 and parts[0] in ("daily", "täglich"):
        return DigestSchedule("daily", parse_clock(parts[1]))
    if len(parts) == 3 and parts[0] in ("weekly", "wöchentlich"):
        weekday = parse_weekday(parts[1])
        if weekday is None:
            raise ScheduleSyntaxError("cmd.schedule.bad_weekday")
        return DigestSchedule("weekly", parse_clock(parts[2]), weekday)
    raise ScheduleSyntaxError("cmd.digest.usage")


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A daily span of wall-clock time without alerts; it may run over midnight."""

    start: time
    end: time

    def stored(self) -> str:
        """`22:00-07:00`."""
        return f"{clock_text(self.start)}-{clock_text(self.end)}"

    @classmethod
    def from_stored(cls, text: str | None) -> QuietHours | None:
        """Read `stored()` text back; None or unreadable text is no quiet hours."""
        try:
            return parse_quiet(text) if text else None
        except ScheduleSyntaxError:
            return None


def parse_quiet(text: str) -> QuietHours | None:
    """What a user types after /quiet: `22:00-07:00` or `off` (None)."""
    cleaned = text.strip().casefold()
    if cleaned in ("off", "aus"):
        return None
    found = _QUIET.fullmatch(cleaned)
    if found is None:
        raise ScheduleSyntaxError("cmd.quiet.usage")
    start, end = parse_clock(found.group(1)), parse_clock(found.group(2))
    if start == end:
        raise ScheduleSyntaxError("cmd.quiet.empty")
    return QuietHours(start, end)


def parse_limit(text: str) -> int | None:
    """What a user types after /limit: a number of alerts per hour (1-1000) or `off` (None)."""
    cleaned = text.strip().casefold()
    if cleaned in ("off", "aus"):
        return None
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= 1000:
        raise ScheduleSyntaxError("cmd.limit.usage")
    return int(cleaned)


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """The UTC moment of wall time `moment` on `day` in `zone` (fold=0, see the module doc)."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def next_digest_at(schedule: DigestSchedule, *, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The first digest moment strictly after `after`; None when digests are off."""
    if schedule.kind == "hourly":
        return next_hour(after, zone)
    if schedule.at is None or schedule.kind not in ("daily", "weekly"):
        return None
    local_day = after.astimezone(zone).date()
    for offset in range(8):
        day = local_day + timedelta(days=offset)
        if schedule.kind == "weekly" and day.weekday() != schedule.weekday:
            continue
        moment = _at(day, schedule.at, zone)
        if moment > after:
            return moment
    return None  # unreachable for a valid schedule: a week always holds the weekday


def hour_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The start of the chat's current clock hour (zones at :30 offsets start at :30 UTC)."""
    local = now.astimezone(zone)
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def next_hour(now: datetime, zone: ZoneInfo) -> datetime:
    """The start of the chat's next clock hour."""
    # One absolute hour later: correct across DST changes, unlike wall-clock arithmetic.
    return hour_start(now, zone) + timedelta(hours=1)


def quiet_until(quiet: QuietHours | None, *, now: datetime, zone: ZoneInfo) -> datetime | None:
    """When the quiet hours `now` falls in end; None if `now` is not in quiet hours."""
    if quiet is None:
        return None
    local = now.astimezone(zone)
    clock, today = local.time().replace(tzinfo=None), local.date()
    if quiet.start < quiet.end:
        inside = quiet.start <= clock < quiet.end
        end_day = today
    else:  # over midnight: in the evening part the end is tomorrow
        inside = clock >= quiet.start or clock < quiet.end
        end_day = today + timedelta(days=1) if clock >= quiet.start else today
    return _at(end_day, quiet.end, zone) if inside else None


def over_limit(*, limit: int | None, sent_this_hour: int) -> bool:
    """Whether one more alert would pass the chat's cap for its current clock hour."""
    return limit is not None and sent_this_hour >= limit


@dataclass(frozen=True, slots=True)
class Preferences:
    """What decides the timing of one subscription's alerts in one chat."""

    digest: DigestSchedule = DigestSchedule()
    quiet: QuietHours | None = None
    hourly_limit: int | None = None

    @classmethod
    def from_stored(
        cls,
        *,
        chat_digest: str | None,
        subscription_digest: str | None,
        quiet: str | None,
        hourly_limit: int | None,
    ) -> Preferences:
        """The stored columns read back; a subscription's own digest beats the chat's."""
        digest = DigestSchedule.from_stored(subscription_digest or chat_digest)
        return cls(digest, QuietHours.from_stored(quiet), hourly_limit)


@dataclass(frozen=True, slots=True)
class Decision:
    """What delivery does with one alert now.

    `send`: now, on its own. `digest`: into the digest due `at`. `hold`: keep it until `at`
    (quiet hours end), then send it on its own, or as a digest if `release_as_digest` says so.
    """

    action: Action
    at: datetime | None = None
    reason: Literal["", "digest", "quiet", "limit"] = ""


def decide(prefs: Preferences, *, now: datetime, zone: ZoneInfo, sent_this_hour: int) -> Decision:
    """The fate of one new alert: digest schedule first, then quiet hours, then the cap."""
    due = next_digest_at(prefs.digest, after=now, zone=zone)
    if due is not None:
        # A digest that falls in quiet hours waits for their end as well.
        return Decision("digest", quiet_until(prefs.quiet, now=due, zone=zone) or due, "digest")
    end = quiet_until(prefs.quiet, now=now, zone=zone)
    if end is not None:
        return Decision("hold", end, "quiet")
    if over_limit(limit=prefs.hourly_limit, sent_this_hour=sent_this_hour):
        return Decision("digest", next_hour(now, zone), "limit")
    return Decision("send")


def release_as_digest(held: int) -> bool:
    """At the end of quiet hours: more than three held alerts go out as one digest message."""
    return held > QUIET_DIGEST_OVER

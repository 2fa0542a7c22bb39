"""When to poll a source next: pure decisions, so they can be table-tested."""

from __future__ import annotations

import random
from dataclasses import dataclass

MAX_BACKOFF = 6 * 3600.0  # a failing source is still tried four times a day
JITTER = 0.1  # up to +10 %: spreads a thousand sources that share an interval


@dataclass(frozen=True, slots=True)
class PollHints:
    """What the last response said about polling again; None where it said nothing."""

    max_age: float | None = None  # Cache-Control max-age
    retry_after: float | None = None  # Retry-After on 429/503
    ttl: float | None = None  # the feed's own <ttl> or sy:updatePeriod, in seconds


def next_poll_delay(
    interval: float, hints: PollHints = PollHints(), *, rng: random.Random | None = None
) -> float:
    """Seconds until the next poll after a success: the interval, never sooner than the
    server or the feed allow, plus jitter that only ever lengthens it."""
    floor = max(interval, *(value for value in _hint_values(hints)))
    # A publisher's max-age of days would silence a news feed; cap hints at a day.
    floor = min(floor, max(interval, 86400.0))
    return floor * (1.0 + JITTER * (rng or random).random())


def failure_delay(
    interval: float,
    failures: int,
    *,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds until the next try after `failures` consecutive failures (1 = the first):
    exponential from the interval up to six hours, never before a Retry-After."""
    exponent = min(max(failures - 1, 0), 32)
    delay = min(interval * (2.0**exponent), MAX_BACKOFF)
    delay = max(delay, min(retry_after or 0.0, MAX_BACKOFF))
    return delay * (1.0 + JITTER * (rng or random).random())


def should_pause(failures: int, *, pause_after: int) -> bool:
    """Whether a source has failed long enough that polling it is pointless until resumed."""
    return pause_after > 0 and failures >= pause_after


def _hint_values(hints: PollHints) -> tuple[float, ...]:
    values = (hints.max_age, hints.retry_after, hints.ttl)
    return tuple(value for value in values if value is not None and value > 0) or (0.0,)

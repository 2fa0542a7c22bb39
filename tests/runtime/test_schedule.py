"""Poll scheduling and alert retry delays: pure decisions, by table."""

from __future__ import annotations

import random

import pytest

from bot.delivery.policy import MAX_DELAY, retry_delay
from bot.sources.schedule import (
    JITTER,
    MAX_BACKOFF,
    PollHints,
    failure_delay,
    next_poll_delay,
    should_pause,
)


class _Fixed(random.Random):
    """A random source that always says `value`, to read the bounds of jitter."""

    def __init__(self, value: float) -> None:
        super().__init__(0)
        self.value = value

    def random(self) -> float:
        return self.value

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.value


LOW, HIGH = _Fixed(0.0), _Fixed(0.999999)


@pytest.mark.parametrize(
    ("interval", "hints", "expected"),
    [
        pytest.param(300, PollHints(), 300, id="interval"),
        pytest.param(300, PollHints(max_age=600), 600, id="max-age-longer"),
        pytest.param(300, PollHints(max_age=60), 300, id="max-age-shorter"),
        pytest.param(300, PollHints(ttl=3600), 3600, id="feed-ttl"),
        pytest.param(60, PollHints(retry_after=120), 120, id="retry-after"),
        pytest.param(300, PollHints(max_age=10**7), 86400, id="absurd-max-age-capped"),
        pytest.param(1, PollHints(max_age=0), 1, id="zero-max-age-ignored"),
    ],
)
def test_next_poll_delay_respects_every_floor(
    interval: float, hints: PollHints, expected: float
) -> None:
    """Never sooner than interval, max-age, Retry-After or <ttl>; jitter only adds."""
    assert next_poll_delay(interval, hints, rng=LOW) == pytest.approx(expected)
    assert next_poll_delay(interval, hints, rng=HIGH) == pytest.approx(expected * (1 + JITTER))


@pytest.mark.parametrize(
    ("failures", "retry_after", "expected"),
    [
        pytest.param(1, None, 300, id="first"),
        pytest.param(2, None, 600, id="second"),
        pytest.param(4, None, 2400, id="fourth"),
        pytest.param(10, None, MAX_BACKOFF, id="capped-6h"),
        pytest.param(500, None, MAX_BACKOFF, id="huge-count"),
        pytest.param(1, 7200, 7200, id="retry-after-wins"),
        pytest.param(1, 10**6, MAX_BACKOFF, id="retry-after-capped"),
    ],
)
def test_failure_delay_backs_off_exponentially(
    failures: int, retry_after: float | None, expected: float
) -> None:
    """Failures double the wait up to six hours; a Retry-After is a floor."""
    assert failure_delay(300, failures, retry_after=retry_after, rng=LOW) == pytest.approx(expected)


def test_jitter_spreads_sources_with_the_same_interval() -> None:
    """A thousand sources with one interval get many different delays."""
    rng = random.Random(7)
    delays = {round(next_poll_delay(300, rng=rng), 1) for _ in range(1000)}
    assert len(delays) > 200
    assert min(delays) >= 300


@pytest.mark.parametrize(
    ("failures", "pause_after", "expected"),
    [
        pytest.param(19, 20, False, id="below"),
        pytest.param(20, 20, True, id="at"),
        pytest.param(99, 0, False, id="disabled"),
    ],
)
def test_should_pause(failures: int, pause_after: int, expected: bool) -> None:
    """A long run of failures pauses the source, unless pausing is off."""
    assert should_pause(failures, pause_after=pause_after) is expected


@pytest.mark.parametrize(
    ("attempts", "retry_after", "low", "high"),
    [
        pytest.param(1, None, 5, 6.25, id="first"),
        pytest.param(3, None, 20, 25, id="third"),
        pytest.param(30, None, MAX_DELAY, MAX_DELAY * 1.25, id="capped"),
        pytest.param(1, 3.0, 3.0, 4.0, id="retry-after"),
        pytest.param(1, 7200.0, 7200.0, 7201.0, id="hours-retry-after-honoured"),
    ],
)
def test_retry_delay(attempts: int, retry_after: float | None, low: float, high: float) -> None:
    """Alert retries back off to an hour and honour a platform's retry_after exactly."""
    for rng in (LOW, HIGH):
        assert low <= retry_delay(attempts, retry_after=retry_after, rng=rng) <= high

"""The rate limiter's decisions: global pace, per-chat spacing, groups per minute, parking."""

from __future__ import annotations

import pytest

from bot.platforms.telegram import ChatRateLimiter, RateCore, RateLimits
from bot.platforms.telegram._limits import ChatParkedError, chat_class

LIMITS = RateLimits(
    per_second=30.0, burst=5, private_interval=1.0, group_messages=20, group_window=60.0
)


def _starts(core: RateCore, chats: list[str], now: float = 0.0) -> list[float]:
    """Messages asked for at `now`, in order: the moment each may go (chat turn, then global)."""
    starts = []
    for chat in chats:
        turn = now + core.reserve_chat(chat, now, max_wait=1e9).wait
        start = turn + core.reserve_global(turn)
        core.settle(chat, turn, start)
        starts.append(round(start, 4))
    return starts


@pytest.mark.parametrize(
    ("chat", "expected"),
    [("123", "private"), ("-42", "group"), ("-1001234567890", "group"), ("@news", "group")],
    ids=["user", "group", "supergroup-or-channel", "channel-name"],
)
def test_chat_class(chat: str, expected: str) -> None:
    """Positive ids are private chats; everything else is limited like a group."""
    assert chat_class(chat) == expected


@pytest.mark.parametrize(
    ("count", "last_start"),
    [(5, 0.0), (6, 1 / 30), (35, 30 / 30), (330, 325 / 30)],
    ids=["burst", "first-after-burst", "one-second", "fan-out-330"],
)
def test_global_pace_is_thirty_per_second_after_a_small_burst(
    count: int, last_start: float
) -> None:
    """Distinct private chats go 5 at once, then one every 1/30 s."""
    starts = _starts(RateCore(LIMITS), [str(1000 + n) for n in range(count)])
    assert starts[-1] == pytest.approx(last_start, abs=1e-3)
    assert starts == sorted(starts)


def test_private_chat_gets_one_message_per_second() -> None:
    """A second message to the same private chat waits a second; others are not held up."""
    core = RateCore(LIMITS)
    assert core.reserve_chat("7", 0.0).wait == 0.0
    assert core.reserve_global(0.0) == 0.0
    assert core.reserve_chat("7", 0.0).wait == 1.0  # waits its turn without a global booking
    assert core.reserve_chat("8", 0.0).wait == 0.0
    assert core.reserve_global(0.0) == 0.0  # chat 8 goes at once
    assert core.reserve_chat("7", 0.0).wait == 2.0


@pytest.mark.parametrize(
    ("messages", "expected_last"),
    [(20, 0.0), (21, 60.0), (41, 120.0)],
    ids=["twenty-fit", "twenty-first-waits-a-minute", "forty-first"],
)
def test_group_gets_twenty_per_minute(messages: int, expected_last: float) -> None:
    """The 21st message to one group waits until the first leaves the 60 s window."""
    core = RateCore(LIMITS)
    starts = _starts(core, ["-100"] * messages)
    assert starts[-1] == pytest.approx(expected_last, abs=0.7)


@pytest.mark.parametrize(
    ("retry_after", "asked_at", "expected"),
    [(5.0, 1.0, (4.0, True)), (5.0, 6.0, (0.0, False)), (7200.0, 10.0, (7190.0, True))],
    ids=["still-parked", "after-parking", "absurd-hours"],
)
def test_parked_chat_waits_alone(
    retry_after: float, asked_at: float, expected: tuple[float, bool]
) -> None:
    """A RetryAfter parks its chat only: others keep their pace meanwhile."""
    core = RateCore(LIMITS)
    core.park("7", retry_after)
    slot = core.reserve_chat("7", asked_at)
    assert (round(slot.wait, 3), slot.parked) == expected
    other = core.reserve_chat("8", asked_at)
    assert (other.wait, other.parked) == (0.0, False)


def test_far_slot_parks_instead_of_holding_a_worker() -> None:
    """When a chat's own limit is further than max_wait, the message is given back."""
    core = RateCore(LIMITS)
    _starts(core, ["-100"] * 20)
    slot = core.reserve_chat("-100", 1.0, max_wait=5.0)
    assert slot.parked
    assert slot.wait == pytest.approx(59.0, abs=0.7)
    assert not core.reserve_chat("-200", 1.0, max_wait=5.0).parked


def test_idle_chats_are_forgotten() -> None:
    """Pruning drops chats whose limits have passed, so state stays bounded."""
    core = RateCore(LIMITS)
    _starts(core, [str(n) for n in range(1, 50)] + ["-5"])
    core.park("9", 10.0)
    core.prune(now=100.0)
    assert core.tracked_chats() == 0


async def test_limiter_sleeps_for_the_slot_and_raises_when_parked() -> None:
    """The async wrapper sleeps the decided time, and raises ChatParkedError for parked chats."""
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = ChatRateLimiter(LIMITS, clock=lambda: now[0], sleep=sleep)
    await limiter.acquire("7")
    await limiter.acquire("7")
    assert slept == [pytest.approx(1.0)]
    limiter.park("7", 3600)
    with pytest.raises(ChatParkedError) as raised:
        await limiter.acquire("7")
    assert raised.value.wait == pytest.approx(3600)

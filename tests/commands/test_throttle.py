"""The command limits: a burst, then a steady rate; "slow down" once, then silence."""

from __future__ import annotations

import pytest

from bot.commands import CommandThrottle, Rate, ThrottleLimits, Verdict

A, W, S = Verdict.ALLOW, Verdict.WARN, Verdict.SILENCE
LIMITS = ThrottleLimits(user=Rate(burst=3, interval=2.0), chat=Rate(burst=5, interval=1.0))


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# (seconds since start, user, chat) of each command, and the verdicts expected in order.
CASES = [
    pytest.param([(0, "u", "c")] * 3, [A, A, A], id="a-burst-is-allowed"),
    pytest.param(
        [(0, "u", "c")] * 6, [A, A, A, W, S, S], id="over-the-burst-warn-once-then-silence"
    ),
    pytest.param(
        [(0, "u", "c")] * 4 + [(2.0, "u", "c"), (2.0, "u", "c")],
        [A, A, A, W, A, W],
        id="one-more-after-an-interval-and-a-new-warning-after-it",
    ),
    pytest.param(
        [(0, "u", "c")] * 5 + [(6.0, "u", "c")] * 3,
        [A, A, A, W, S, A, A, A],
        id="a-rested-user-gets-a-whole-burst-again",
    ),
    pytest.param(
        [(0, "u1", "g"), (0, "u1", "g"), (0, "u1", "g"), (0, "u2", "g"), (0, "u2", "g")]
        + [(0, "u3", "g")] * 2,
        [A, A, A, A, A, W, S],
        id="a-chat-limits-all-its-users-together",
    ),
    pytest.param(
        [(0, "u", "c1")] * 3 + [(0, "u", "c2")],
        [A, A, A, W],
        id="a-user-is-limited-across-chats",
    ),
    pytest.param(
        [(0, "u1", "c1")] * 4 + [(0, "u2", "c2")],
        [A, A, A, W, A],
        id="another-user-in-another-chat-is-not-held-back",
    ),
    pytest.param(
        [(0, None, "ch")] * 6 + [(0.5, None, "ch"), (1.0, None, "ch")],
        [A, A, A, A, A, W, S, A],
        id="anonymous-channel-posts-count-for-the-chat-only",
    ),
]


@pytest.mark.parametrize(("commands", "expected"), CASES)
def test_verdicts(commands: list[tuple[float, str | None, str]], expected: list[Verdict]) -> None:
    """Each command's verdict follows from the user's and the chat's rates."""
    clock = Clock()
    throttle = CommandThrottle(LIMITS, clock=clock)
    verdicts = []
    for at, user, chat in commands:
        clock.now = 100.0 + at
        verdicts.append(throttle.check(platform="telegram", chat_id=chat, user_id=user).verdict)
    assert verdicts == expected


def test_refusal_says_when_to_try_again() -> None:
    """A refused command carries the seconds until the sender may send the next one."""
    clock = Clock()
    throttle = CommandThrottle(LIMITS, clock=clock)
    for _ in range(3):
        throttle.check(platform="discord", chat_id="c", user_id="u")
    clock.now += 0.5
    decision = throttle.check(platform="discord", chat_id="c", user_id="u")
    assert (decision.verdict, decision.retry_after) == (W, 1.5)


def test_platforms_do_not_share_keys() -> None:
    """The same ids on Telegram and Discord are different users and chats."""
    throttle = CommandThrottle(LIMITS, clock=Clock())
    for _ in range(3):
        throttle.check(platform="telegram", chat_id="1", user_id="1")
    assert throttle.check(platform="discord", chat_id="1", user_id="1").allowed


def test_rested_keys_are_forgotten() -> None:
    """State is kept only for keys that still constrain something (a flood of ids is bounded)."""
    clock = Clock()
    throttle = CommandThrottle(LIMITS, clock=clock)
    for number in range(50):
        throttle.check(platform="telegram", chat_id=str(number), user_id=str(number))
    assert throttle.tracked() == 100
    clock.now += 10
    throttle.prune(clock.now)
    assert throttle.tracked() == 0


@pytest.mark.parametrize(
    ("burst", "interval"),
    [pytest.param(0, 1.0, id="no-burst"), pytest.param(1, 0.0, id="no-interval")],
)
def test_a_rate_that_lets_nothing_through_is_refused(burst: int, interval: float) -> None:
    """A misconfigured rate fails at construction, not by silencing every command."""
    with pytest.raises(ValueError, match="invalid rate"):
        Rate(burst=burst, interval=interval)

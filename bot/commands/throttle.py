"""How many commands a user and a chat may send: one flooding user must not stall the bot.

Each key (a user, a chat) has a cell-rate schedule (GCRA, a token bucket in one number):
`burst` commands may come back to back, then one per `interval` seconds. A command is let
through only when both its user and its chat allow it. The first refused command of a run
gets a short "slow down" reply (`Verdict.WARN`); the others are dropped without a word
(`Verdict.SILENCE`) until the key allows a command again, so a flood costs the bot neither
replies nor work. Chosen so that replies keep inside Telegram's own send limits (1 message
a second in a private chat, 20 a minute in a group): a user 8 at once then one every 2 s,
a chat 12 at once then one every 3 s.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PRUNE_EVERY = 1024  # checks between two sweeps of keys that are fully rested


class Verdict(enum.Enum):
    """What to do with one command."""

    ALLOW = "allow"
    WARN = "warn"  # refused; tell the sender once to slow down
    SILENCE = "silence"  # refused; already told


@dataclass(frozen=True, slots=True)
class Rate:
    """`burst` commands at once, then one per `interval` seconds."""

    burst: int
    interval: float

    def __post_init__(self) -> None:
        """Refuse a rate that would let nothing through."""
        if self.burst < 1 or self.interval <= 0:
            raise ValueError(f"invalid rate: {self!r}")


@dataclass(frozen=True, slots=True)
class ThrottleLimits:
    """The rates per user and per chat."""

    user: Rate = Rate(burst=8, interval=2.0)
    chat: Rate = Rate(burst=12, interval=3.0)


@dataclass(frozen=True, slots=True)
class Decision:
    """A verdict, and (when refused) the seconds until the sender may try again."""

    verdict: Verdict
    retry_after: float = 0.0

    @property
    def allowed(self) -> bool:
        """Whether the command is to be handled."""
        return self.verdict is Verdict.ALLOW


@dataclass(slots=True)
class _Key:
    tat: float  # theoretical arrival time of the next command (GCRA)
    warned: bool = False


@dataclass
class CommandThrottle:
    """Per-user and per-chat command limits over an injected clock (monotonic seconds)."""

    limits: ThrottleLimits = field(default_factory=ThrottleLimits)
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, _Key] = field(default_factory=dict)
    _checks: int = 0

    def check(self, *, platform: str, chat_id: str, user_id: str | None) -> Decision:
        """Judge one command from `user_id` (None: an anonymous channel post) in `chat_id`."""
        now = self.clock()
        keys = [(f"{platform}:chat:{chat_id}", self.limits.chat)]
        if user_id is not None:
            keys.append((f"{platform}:user:{user_id}", self.limits.user))
        waits = [self._wait(name, rate, now) for name, rate in keys]
        self._checks += 1
        if self._checks % PRUNE_EVERY == 0:
            self.prune(now)
        if all(wait <= 0 for wait in waits):
            for name, rate in keys:
                self._admit(name, rate, now)
            return Decision(Verdict.ALLOW)
        names = [name for name, _ in keys]
        refusing = [self._keys[n] for n, wait in zip(names, waits, strict=True) if wait > 0]
        warn = not all(key.warned for key in refusing)
        for key in refusing:
            key.warned = True
        return Decision(Verdict.WARN if warn else Verdict.SILENCE, max(waits))

    def prune(self, now: float) -> None:
        """Forget keys that are fully rested: they would allow a whole burst anyway."""
        self._keys = {name: key for name, key in self._keys.items() if key.tat > now}

    def tracked(self) -> int:
        """How many keys the throttle holds state for (bounded by pruning)."""
        return len(self._keys)

    def _wait(self, name: str, rate: Rate, now: float) -> float:
        """Seconds until the key allows a command; <= 0 means now."""
        key = self._keys.get(name)
        if key is None:
            return 0.0
        tolerance = rate.interval * (rate.burst - 1)
        return key.tat - tolerance - now

    def _admit(self, name: str, rate: Rate, now: float) -> None:
        key = self._keys.setdefault(name, _Key(now))
        key.tat = max(key.tat, now) + rate.interval
        key.warned = False

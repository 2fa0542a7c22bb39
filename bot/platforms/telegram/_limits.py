"""Telegram's flood limits, kept per chat so that one chat's wait never stalls the others.

`RateCore` decides (pure: times in, decisions out); `ChatRateLimiter` sleeps on its decisions.
Limits (Bot API FAQ): about 30 messages per second overall, 1 per second in a private chat,
20 per minute in a group or channel. A `RetryAfter` parks only the chat it was sent for.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

ChatClass = Literal["private", "group"]
PRUNE_EVERY = 1024  # reservations between two sweeps of idle chats' state


def chat_class(chat_id: str) -> ChatClass:
    """Private chats have positive ids; groups, supergroups and channels negative ones or @names."""
    text = chat_id.strip()
    return "private" if text.isdigit() else "group"


@dataclass(frozen=True, slots=True)
class RateLimits:
    """The limits the bot keeps to, a little inside Telegram's so that jitter never trips them."""

    per_second: float = 30.0
    burst: int = 5  # messages that may go back to back after an idle spell
    private_interval: float = 1.02
    group_messages: int = 20
    group_window: float = 60.5
    max_wait: float = 5.0  # a chat that must wait longer is parked instead of holding a worker


@dataclass(frozen=True, slots=True)
class Slot:
    """A decision: send after `wait` seconds, or (parked) give the message back for `wait`."""

    wait: float
    parked: bool = False


@dataclass
class RateCore:
    """Per-chat spacing and parking, and one global cell-rate schedule (GCRA) over all chats."""

    limits: RateLimits = field(default_factory=RateLimits)
    _global_tat: float = float("-inf")  # theoretical arrival time of the next global message
    _private_next: dict[str, float] = field(default_factory=dict)
    _group_sent: dict[str, deque[float]] = field(default_factory=dict)
    _parked: dict[str, float] = field(default_factory=dict)
    _reservations: int = 0

    def reserve_chat(self, chat: str, now: float, *, max_wait: float | None = None) -> Slot:
        """Book `chat`'s next turn (its own limit only), or say how long it is parked.

        The global slot is booked separately, once the chat's turn has come: booking it
        ahead would hold every other chat behind this one's wait.
        """
        parked_until = self._parked.get(chat, float("-inf"))
        if parked_until > now:
            return Slot(parked_until - now, parked=True)
        ready = max(now, self._chat_ready(chat))
        limit = self.limits.max_wait if max_wait is None else max_wait
        if ready - now > limit:
            return Slot(ready - now, parked=True)
        self._record(chat, ready)
        return Slot(ready - now)

    def reserve_global(self, now: float) -> float:
        """Book the next global slot at or after `now`; the seconds until it."""
        interval = 1.0 / self.limits.per_second
        tolerance = interval * (self.limits.burst - 1)
        start = max(now, self._global_tat - tolerance)
        self._global_tat = max(self._global_tat, start) + interval
        self._reservations += 1
        if self._reservations % PRUNE_EVERY == 0:
            self.prune(now)
        return start - now

    def settle(self, chat: str, booked: float, sent: float) -> None:
        """The message booked for `booked` goes at `sent` (after the global wait): count that."""
        if sent <= booked:
            return
        if chat_class(chat) == "private":
            self._private_next[chat] = max(
                self._private_next.get(chat, float("-inf")), sent + self.limits.private_interval
            )
            return
        times = self._group_sent.get(chat)
        if times is not None and booked in times:
            times[times.index(booked)] = sent

    def park(self, chat: str, until: float) -> None:
        """Telegram asked this chat to wait (RetryAfter): nothing goes to it before `until`."""
        self._parked[chat] = max(until, self._parked.get(chat, float("-inf")))

    def parked_until(self, chat: str) -> float | None:
        """When the chat's parking ends, if it is parked at all."""
        return self._parked.get(chat)

    def prune(self, now: float) -> None:
        """Forget chats whose limits no longer constrain anything."""
        self._private_next = {c: t for c, t in self._private_next.items() if t > now}
        self._group_sent = {
            c: sent
            for c, sent in self._group_sent.items()
            if sent and sent[-1] + self.limits.group_window > now
        }
        self._parked = {c: t for c, t in self._parked.items() if t > now}

    def tracked_chats(self) -> int:
        """How many chats the core holds state for (bounded by pruning)."""
        return len(self._private_next) + len(self._group_sent) + len(self._parked)

    def _chat_ready(self, chat: str) -> float:
        if chat_class(chat) == "private":
            return self._private_next.get(chat, float("-inf"))
        sent = self._group_sent.get(chat)
        if sent is None or len(sent) < self.limits.group_messages:
            return float("-inf")
        return sent[0] + self.limits.group_window

    def _record(self, chat: str, start: float) -> None:
        if chat_class(chat) == "private":
            self._private_next[chat] = start + self.limits.private_interval
            return
        sent = self._group_sent.setdefault(chat, deque())
        sent.append(start)
        while len(sent) > self.limits.group_messages:
            sent.popleft()


class ChatParkedError(Exception):
    """A chat may not get a message for `wait` seconds; the caller gives the message back."""

    def __init__(self, chat: str, wait: float) -> None:
        super().__init__(f"chat {chat} is rate-limited for {wait:.1f} s")
        self.chat = chat
        self.wait = wait


class ChatRateLimiter:
    """Sleeps until a chat's slot comes, or raises ChatParkedError when it is far away."""

    def __init__(
        self,
        limits: RateLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.core = RateCore(limits or RateLimits())
        self._clock = clock
        self._sleep = sleep

    async def acquire(self, chat: str, *, max_wait: float | None = None) -> None:
        """Wait for `chat`'s turn, then for a global slot; raise if the chat is parked."""
        now = self._clock()
        slot = self.core.reserve_chat(chat, now, max_wait=max_wait)
        if slot.parked:
            raise ChatParkedError(chat, slot.wait)
        if slot.wait > 0:
            await self._sleep(slot.wait)
        booked = now + slot.wait
        wait = self.core.reserve_global(self._clock())
        if wait > 0:
            await self._sleep(wait)
        self.core.settle(chat, booked, booked + max(wait, 0.0))

    def park(self, chat: str, seconds: float) -> None:
        """Park `chat` for `seconds` from now (Telegram's retry_after)."""
        self.core.park(chat, self._clock() + seconds)

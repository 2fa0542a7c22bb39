"""The sleep of a service loop: until something is due, until woken, or until stopped."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime

MIN_SLEEP = 0.05  # seconds: something already due is looked at promptly, not in a spin


class Wakeup:
    """One loop's alarm clock, shared by the loop and whoever has news for it."""

    def __init__(self, *, idle: float) -> None:
        self._idle = idle  # look again at least this often, whatever the schedule says
        self._event = asyncio.Event()
        self._stopping = False

    @property
    def stopping(self) -> bool:
        """Whether `stop()` was called."""
        return self._stopping

    def wake(self) -> None:
        """Something changed: end the current sleep now."""
        self._event.set()

    def stop(self) -> None:
        """End the current sleep and every later loop turn."""
        self._stopping = True
        self._event.set()

    def begin_turn(self) -> None:
        """Forget wake-ups that the coming turn will see anyway."""
        self._event.clear()

    async def sleep_until(self, due: datetime | None, now: datetime) -> None:
        """Sleep until `due` (capped at the idle interval), a wake-up or a stop."""
        timeout = self._idle
        if due is not None:
            timeout = min(self._idle, max((due - now).total_seconds(), MIN_SLEEP))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout)

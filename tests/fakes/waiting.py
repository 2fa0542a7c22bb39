"""Waiting in tests for what the app's tasks and the loopback servers change."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], bool], limit: float = 15.0) -> None:
    """Return once `condition()` holds; fail the test (TimeoutError) after `limit` seconds."""
    async with asyncio.timeout(limit):
        # Polls state that other tasks change; there is no event to wait on for it.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)

"""Updates of many chats at once, each chat's in order; replies that never hold up updates.

PTB handles one update at a time by default: one user's flood of commands, each reply
waiting for its chat's send slot (1 a second in a private chat), kept every other chat
waiting for over 20 s, and SIGTERM waited for the whole backlog. `ChatOrderedProcessor`
runs the updates of different chats side by side and those of one chat one after the
other, in the order they came. `ReplyQueue` sends replies in the background, in order per
chat, so that a handler returns as soon as its command is done; at stop, replies still
waiting for a slot after a short grace are dropped (they answer commands, nothing is lost
that the store holds).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

MAX_CONCURRENT_UPDATES = 256  # updates in progress at once, over all chats


def update_chat(update: object) -> int | None:
    """The chat an update belongs to (None: no chat, no ordering needed)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


@dataclass(slots=True)
class _Turns:
    """One chat's lock and how many updates hold or wait for it."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Concurrent across chats, sequential (first come, first served) within a chat."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, _Turns] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates (asyncio locks are fair), then handle this one."""
        chat = update_chat(update)
        if chat is None:
            await coroutine
            return
        turns = self._chats.setdefault(chat, _Turns())
        turns.users += 1
        try:
            async with turns.lock:
                await coroutine
        finally:
            turns.users -= 1
            if not turns.users:
                del self._chats[chat]

    def waiting_chats(self) -> int:
        """How many chats have updates in progress (state is dropped when a chat is idle)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB has awaited every update before it shuts the processor down."""


SendText = Callable[[str, str, str | None], Awaitable[None]]


class ReplyQueue:
    """Sends replies in the background, one chat's in the order given, chats independently."""

    def __init__(self, send: SendText) -> None:
        self._send = send
        self._chats: dict[str, _Turns] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, chat: str, text: str, thread: str | None) -> None:
        """Queue a reply; it goes out after the chat's earlier ones."""
        turns = self._chats.setdefault(chat, _Turns())
        turns.users += 1
        task = asyncio.create_task(self._in_turn(chat, turns, text, thread), name="tg-reply")
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def pending(self) -> int:
        """Replies queued or being sent."""
        return len(self._tasks)

    async def close(self, grace: float) -> int:
        """Let queued replies go for up to `grace` seconds, drop the rest; how many dropped."""
        tasks = set(self._tasks)
        if not tasks:
            return 0
        _, late = await asyncio.wait(tasks, timeout=grace)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            log.warning("%d replies dropped at shutdown", len(late))
        return len(late)

    async def _in_turn(self, chat: str, turns: _Turns, text: str, thread: str | None) -> None:
        try:
            async with turns.lock:
                await self._send(chat, text, thread)
        finally:
            turns.users -= 1
            if not turns.users:
                self._chats.pop(chat, None)

    def _finished(self, task: asyncio.Task[None]) -> None:
        """Forget the task; a failure the sender did not handle is logged, never lost."""
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("reply failed", exc_info=task.exception())

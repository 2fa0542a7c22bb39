"""Updates of different chats run side by side, one chat's in order; replies in the background."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.platforms.telegram._updates import ChatOrderedProcessor, ReplyQueue, update_chat


def _update(update_id: int, chat_id: int) -> Update:
    data: dict[str, Any] = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private", "first_name": "x"},
            "text": "/help",
        },
    }
    update = Update.de_json(data, None)
    assert update is not None
    return update


async def test_a_slow_chat_does_not_hold_up_another_chat() -> None:
    """While chat 1's first update waits, chat 2's runs; chat 1's second waits for its first."""
    processor = ChatOrderedProcessor(max_concurrent_updates=16)
    release = asyncio.Event()
    events: list[str] = []

    async def handle(name: str, *, wait: bool = False) -> None:
        events.append(f"{name} start")
        if wait:
            await release.wait()
        events.append(f"{name} end")

    tasks = [
        asyncio.create_task(processor.process_update(_update(1, 1), handle("1a", wait=True))),
        asyncio.create_task(processor.process_update(_update(2, 1), handle("1b"))),
        asyncio.create_task(processor.process_update(_update(3, 2), handle("2a"))),
    ]
    await asyncio.sleep(0.05)
    assert events == ["1a start", "2a start", "2a end"]
    release.set()
    await asyncio.gather(*tasks)
    assert events[3:] == ["1a end", "1b start", "1b end"]
    assert processor.waiting_chats() == 0


async def test_one_chats_updates_run_in_the_order_they_came() -> None:
    """Fifty updates of one chat, each yielding to the loop, finish in arrival order."""
    processor = ChatOrderedProcessor(max_concurrent_updates=8)
    done: list[int] = []

    async def handle(number: int) -> None:
        await asyncio.sleep(0.001 * (number % 3))
        done.append(number)

    await asyncio.gather(*(processor.process_update(_update(n, 7), handle(n)) for n in range(50)))
    assert done == list(range(50))


def test_updates_without_a_chat_are_not_ordered() -> None:
    """Only updates that name a chat are keyed; other objects run as they come."""
    assert update_chat(_update(1, -100)) == -100
    assert update_chat(object()) is None


async def test_replies_keep_their_chats_order_and_close_drops_the_late() -> None:
    """Replies to one chat go in order; at close, those still waiting are dropped."""
    sent: list[tuple[str, str]] = []
    stuck = asyncio.Event()

    async def send(chat: str, text: str, thread: str | None) -> None:
        if chat == "slow":
            await stuck.wait()
        await asyncio.sleep(0.001)
        sent.append((chat, text))

    replies = ReplyQueue(send)
    for number in range(5):
        replies.submit("a", str(number), None)
    replies.submit("slow", "never", None)
    replies.submit("slow", "never either", None)
    await asyncio.sleep(0.05)
    assert sent == [("a", str(n)) for n in range(5)]
    assert await replies.close(0.05) == 2
    assert replies.pending() == 0

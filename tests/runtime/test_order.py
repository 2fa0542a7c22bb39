"""A chat's alerts go out in the order they were queued, across failures and retries."""

from __future__ import annotations

import json
from pathlib import Path

from bot.delivery.platform import TransientDeliveryError
from tests.fakes.feeds import FeedItem
from tests.fakes.runtime import runtime

ARTICLES = Path(__file__).parents[1] / "store" / "fixtures" / "articles.json"
CHATS = ("100", "200", "300")


def _items() -> list[FeedItem]:
    """Four real, unrelated headlines (Golem and heise, 2018): four stories."""
    rows = json.loads(ARTICLES.read_text(encoding="utf-8"))
    return [FeedItem(f"item-{n}", rows[n]["title"], rows[n]["summary"]) for n in (1, 2, 3, 6)]


async def test_each_chat_gets_its_alerts_in_order_after_failures(tmp_path: Path) -> None:
    """Sends fail at random places for a while (an outage); every chat still gets all four
    alerts, in the order they were queued, and no chat's retry holds up another."""
    async with runtime(tmp_path) as rt:
        await rt.add_source("golem")
        for chat in CHATS:
            await rt.subscribe("red OR twitch OR zhuque OR ibm", chat=chat)
        rt.site.publish("golem", FeedItem("old", "Frequenzauktion beginnt", "Im März."))
        await rt.poll("golem")
        items = _items()
        for item in items:
            rt.site.publish("golem", item)
        await rt.poll("golem")
        rt.target.failures = [TransientDeliveryError("502 Bad Gateway")] * 5
        for _ in range(30):
            await rt.deliver()
            rt.clock.advance(3600)
        assert await rt.store.outbox_depth() == 0
    feed_order = [item.title for item in reversed(items)]
    for chat in CHATS:
        got = [o.alert.title for o in rt.target.sent if o.target.chat == chat]
        assert got == feed_order, chat

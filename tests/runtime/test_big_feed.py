"""A 50,000-item feed beside a normal one: the normal one is recorded meanwhile, the big one
yields only its newest entries."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.sources.parse import DEFAULT_MAX_ENTRIES
from bot.store import Store
from tests.fakes.feeds import FeedItem
from tests.fakes.runtime import runtime
from tests.fakes.waiting import until

BIG = 50_000
T0 = datetime(2026, 11, 1, tzinfo=UTC)


async def test_a_huge_feed_neither_blocks_others_nor_floods_the_store(tmp_path: Path) -> None:
    """The normal feed is polled and stored while the huge one is read; that yields 200."""
    async with runtime(tmp_path) as rt:
        for n in range(BIG):
            rt.site.publish(
                "big", FeedItem(f"b{n}", f"Big {n}", "x", published=T0 + timedelta(seconds=n))
            )
        for n in range(3):
            rt.site.publish("normal", FeedItem(f"n{n}", f"Normal item {n}", "Some text."))
        await rt.add_source("big")
        await rt.add_source("normal")
        sources = {s.name: s for s in await rt.store.list_sources()}
        big = asyncio.create_task(rt.poller.poll(sources["big"]))
        await until(lambda: rt.site.requests.get("big", 0) == 1)
        await rt.poller.poll(sources["normal"])
        # The normal poll did not wait for the big one to be parsed and recorded.
        assert (await _stored(rt.store))["normal"] == 3
        await big
        assert (await _stored(rt.store))["big"] == DEFAULT_MAX_ENTRIES
        items = await rt.store.recent_items(since=T0 - timedelta(days=400), limit=BIG)
        big_guids = {item.guid.rsplit(":", 1)[-1] for item in items if item.source_name == "big"}
        assert big_guids == {f"b{n}" for n in range(BIG - DEFAULT_MAX_ENTRIES, BIG)}


async def _stored(store: Store) -> Counter[str]:
    items = await store.recent_items(since=T0 - timedelta(days=400), limit=BIG)
    return Counter(item.source_name for item in items)

"""Preview, status and expiry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.ingest import ProcessedEntry
from bot.model import Article
from bot.store import ExpiryReport, SourceSpec, Store
from tests.fakes.ingest import ingest

EntryFactory = Callable[..., ProcessedEntry]
Same = Callable[[int, int], bool]
DAY = timedelta(days=1)


async def _source_id(store: Store, now: datetime, name: str) -> int:
    spec = SourceSpec(name, f"https://{name}.example/rss")
    return (await store.add_source(spec, added_by="telegram:42", now=now)).id


async def test_recent_items_are_newest_first_with_the_source_name(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """/preview gets items first seen since a moment, newest first, limited."""
    golem = await _source_id(store, now, "golem")
    verge = await _source_id(store, now, "theverge")
    old = now - 2 * DAY
    await ingest(store, golem, [entry(articles[1], 1)], now=old)
    await ingest(store, golem, [entry(articles[2], 2)], now=now)
    await ingest(store, verge, [entry(articles[8], 8)], now=now + DAY)
    recent = await store.recent_items(since=now - DAY, limit=10)
    assert [(i.title, i.source_name) for i in recent] == [
        (articles[8].title, "theverge"),
        (articles[2].title, "golem"),
    ]
    assert [i.title for i in await store.recent_items(since=old, limit=1)] == [articles[8].title]


async def test_status_counts(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Status counts sources by state, items, stories, subscriptions and the outbox."""
    golem = await _source_id(store, now, "golem")
    heise = await _source_id(store, now, "heise")
    await store.record_poll_failure(heise, now=now, error="x", next_poll_at=now, pause=True)
    await ingest(store, golem, [], now=now)
    sub = await store.add_subscription(
        platform="discord",
        chat_id="555",
        thread_id=None,
        query="golem",
        language=None,
        created_by=None,
        now=now,
    )
    matches = {sub.id: ("Golem",)}
    polled = [entry(articles[1], 1, matches), entry(articles[2], 2, matches)]
    await ingest(store, golem, polled, now=now)
    status = await store.status(now=now)
    assert (status.sources_active, status.sources_paused, status.sources_failing) == (2, 1, 1)
    assert (status.sources_due, status.items, status.stories) == (1, 2, 2)
    assert (status.subscriptions_active, status.outbox_pending, status.outbox_due) == (1, 2, 2)
    assert (await store.status(now=now - DAY)).outbox_due == 0


async def test_expiry_deletes_old_rows_but_keeps_what_pending_alerts_need(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Old unseen items and their stories go; an item a pending alert renders stays until sent."""
    golem = await _source_id(store, now, "golem")
    await ingest(store, golem, [], now=now)
    sub = await store.add_subscription(
        platform="telegram",
        chat_id="-1001",
        thread_id=None,
        query="xiaomi",
        language=None,
        created_by=None,
        now=now,
    )
    polled = [entry(articles[1], 1), entry(articles[4], 4, {sub.id: ("Xiaomi",)})]
    await ingest(store, golem, polled, now=now)
    later = now + 40 * DAY
    ages = {"items_older_than": 30 * DAY, "sent_older_than": 7 * DAY}
    assert await store.expire(now=later, **ages) == ExpiryReport(items=1, stories=1, outbox=0)
    (kept,) = await store.recent_items(since=now, limit=5)
    assert kept.title == articles[4].title
    (job,) = await store.claim_outbox(now=later, limit=1)
    await store.mark_sent(job.outbox_id, message_id="1", now=later)
    assert await store.expire(now=later + DAY, **ages) == ExpiryReport(items=0, stories=0, outbox=0)
    final = await store.expire(now=later + 8 * DAY, **ages)
    assert final == ExpiryReport(items=1, stories=1, outbox=1)
    status = await store.status(now=later)
    assert (status.items, status.stories, status.outbox_sent) == (0, 0, 0)


async def test_expiry_keeps_items_still_in_the_feed(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """An old item that every poll still sees is not expired (age counts from last seen)."""
    golem = await _source_id(store, now, "golem")
    await ingest(store, golem, [entry(articles[1], 1)], now=now)
    later = now + 40 * DAY
    await ingest(store, golem, [entry(articles[1], 1)], now=later)
    report = await store.expire(now=later, items_older_than=30 * DAY, sent_older_than=7 * DAY)
    assert report == ExpiryReport(items=0, stories=0, outbox=0)

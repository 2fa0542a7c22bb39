"""The outbox: claim, mark sent/retry/failed, crash recovery and language resolution."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from bot.ingest import ProcessedEntry
from bot.model import Article
from bot.store import SourceSpec, Store, SubscriptionRecord
from tests.fakes.ingest import ingest

EntryFactory = Callable[..., ProcessedEntry]
Same = Callable[[int, int], bool]


async def _sub(
    store: Store, now: datetime, chat: str = "-1001", language: str | None = None
) -> SubscriptionRecord:
    return await store.add_subscription(
        platform="telegram",
        chat_id=chat,
        thread_id=None,
        query="xiaomi",
        language=language,
        created_by=None,
        now=now,
    )


async def _poll(
    store: Store,
    now: datetime,
    polled: list[Article],
    entry: EntryFactory,
    same_story: Same,
    subs: list[SubscriptionRecord],
) -> list[int]:
    await store.sync_config_sources([SourceSpec("example-news", "https://e.example/rss")], now=now)
    (source,) = await store.list_sources()
    if not source.baselined:
        await ingest(store, source.id, [], now=now)
    matches = {sub.id: ("Xiaomi",) for sub in subs}
    entries = [entry(article, n, matches) for n, article in enumerate(polled)]
    report = await ingest(store, source.id, entries, now=now)
    return list(report.outbox_ids)


async def test_claim_then_mark_sent(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """A claimed row is `sending` (not claimable twice); marking it sent empties the queue."""
    sub = await _sub(store, now)
    (outbox_id,) = await _poll(store, now, [articles[0]], entry, same_story, [sub])
    (job,) = await store.claim_outbox(now=now, limit=10)
    assert (job.outbox_id, job.attempts, job.query, job.chat_id) == (
        outbox_id,
        1,
        "xiaomi",
        "-1001",
    )
    assert await store.claim_outbox(now=now, limit=10) == []
    assert await store.outbox_depth() == 1
    await store.mark_sent(outbox_id, message_id="4242", now=now)
    assert await store.outbox_depth() == 0
    status = await store.status(now=now)
    assert (status.outbox_sent, status.outbox_sending) == (1, 0)


async def test_retry_waits_until_due_then_fails(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """mark_retry requeues for later with the error kept; mark_failed ends the row."""
    sub = await _sub(store, now)
    (outbox_id,) = await _poll(store, now, [articles[0]], entry, same_story, [sub])
    await store.claim_outbox(now=now, limit=1)
    later = now + timedelta(seconds=30)
    await store.mark_retry(outbox_id, error="429 Too Many Requests", next_attempt_at=later)
    assert await store.next_outbox_due_at() == later
    assert await store.claim_outbox(now=now, limit=1) == []
    (job,) = await store.claim_outbox(now=later, limit=1)
    assert job.attempts == 2
    await store.mark_failed(outbox_id, error="403 Forbidden: bot was blocked", now=later)
    status = await store.status(now=later)
    assert (status.outbox_failed, status.outbox_pending, status.outbox_sending) == (1, 0, 0)
    assert await store.next_outbox_due_at() is None


async def test_claim_takes_the_oldest_first_up_to_the_limit(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Claims follow the chat's queue order and respect the limit; the rest of a chat's
    queue waits until what was claimed before it is done."""
    sub = await _sub(store, now)
    ids = await _poll(
        store, now, [articles[8], articles[9], articles[10]], entry, same_story, [sub]
    )
    assert len(ids) == 3
    first = await store.claim_outbox(now=now, limit=2)
    assert [job.outbox_id for job in first] == ids[:2]
    assert [job.title for job in first] == [articles[8].title, articles[9].title]
    assert await store.claim_outbox(now=now, limit=2) == []
    for job in first:
        await store.mark_sent(job.outbox_id, message_id="1", now=now)
    assert [job.outbox_id for job in await store.claim_outbox(now=now, limit=2)] == ids[2:]


async def test_crash_while_sending_is_requeued_on_restart(
    db_url: str, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """A row left `sending` by a crash is pending again after reopening and is claimed again."""
    store = await Store.open(db_url)
    sub = await _sub(store, now)
    (outbox_id,) = await _poll(store, now, [articles[0]], entry, same_story, [sub])
    await store.claim_outbox(now=now, limit=1)
    await store.close()  # the "crash": no mark_sent
    reopened = await Store.open(db_url)
    try:
        assert await reopened.requeue_in_flight() == 1
        assert await reopened.requeue_in_flight() == 0
        (job,) = await reopened.claim_outbox(now=now, limit=5)
        assert (job.outbox_id, job.attempts) == (outbox_id, 2)
    finally:
        await reopened.close()


async def test_retry_after_unsubscribe_keeps_the_row_dropped(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """A send that fails after its subscription ended is not retried."""
    sub = await _sub(store, now)
    (outbox_id,) = await _poll(store, now, [articles[0]], entry, same_story, [sub])
    await store.claim_outbox(now=now, limit=1)
    await store.deactivate_subscription(sub.id, reason="unsubscribed", now=now)
    await store.mark_retry(outbox_id, error="timeout", next_attempt_at=now)
    assert await store.claim_outbox(now=now, limit=5) == []
    assert (await store.status(now=now)).outbox_dropped == 1


@pytest.mark.parametrize(
    ("sub_language", "chat_language", "expected"),
    [("en", "de", "en"), (None, "de", "de"), (None, None, None)],
    ids=["subscription-wins", "chat-fallback", "none-means-default"],
)
async def test_job_language_is_resolved(
    store: Store,
    articles: list[Article],
    now: datetime,
    entry: EntryFactory,
    same_story: Same,
    sub_language: str | None,
    chat_language: str | None,
    expected: str | None,
) -> None:
    """A job's language is the subscription's, else the chat's, else None (the bot default)."""
    sub = await _sub(store, now, language=sub_language)
    if chat_language is not None:
        await store.set_chat_language("telegram", "-1001", chat_language, now=now)
    await _poll(store, now, [articles[0]], entry, same_story, [sub])
    (job,) = await store.claim_outbox(now=now, limit=1)
    assert job.language == expected


async def test_chats_alerted_from_a_source(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """The chats to tell about a source are those its alerts went to, while still subscribed."""
    german = await _sub(store, now, chat="-1001", language="de")
    english = await _sub(store, now, chat="-1002")
    await _sub(store, now, chat="-1003")  # never alerted from this source
    await _poll(store, now, [articles[0]], entry, same_story, [german, english])
    (source,) = await store.list_sources()
    chats = await store.chats_alerted_from(source.id)
    assert [(c.target.chat, c.language) for c in chats] == [("-1001", "de"), ("-1002", None)]
    await store.deactivate_subscription(english.id, reason="blocked", now=now)
    assert [c.target.chat for c in await store.chats_alerted_from(source.id)] == ["-1001"]

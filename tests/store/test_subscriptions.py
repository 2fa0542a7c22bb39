"""Subscriptions and chats: add, operator sync, deactivate, pause, chat migration, language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from bot.ingest import ProcessedEntry
from bot.model import Article
from bot.store import (
    DuplicateSubscriptionError,
    OperatorSubscriptionSpec,
    SourceSpec,
    Store,
    SubscriptionRecord,
    SyncReport,
)
from tests.fakes.ingest import ingest

EntryFactory = Callable[..., ProcessedEntry]
Same = Callable[[int, int], bool]


async def _sub(
    store: Store,
    now: datetime,
    chat: str = "-1001",
    query: str = "xiaomi",
    *,
    thread: str | None = None,
    platform: str = "telegram",
) -> SubscriptionRecord:
    return await store.add_subscription(
        platform=platform,
        chat_id=chat,
        thread_id=thread,
        query=query,
        language=None,
        created_by="telegram:42",
        now=now,
    )


async def _queue_alert(
    store: Store,
    now: datetime,
    article: Article,
    entry: EntryFactory,
    same_story: Same,
    subs: list[SubscriptionRecord],
) -> None:
    url = f"https://feed{len(subs)}-{article.id}.example/rss"
    await store.sync_config_sources([SourceSpec("feed", url)], now=now)
    source = next(s for s in await store.list_sources() if s.listed_url == url)
    await ingest(store, source.id, [], now=now)
    matches = {sub.id: ("Xiaomi",) for sub in subs}
    await ingest(store, source.id, [entry(article, 1, matches)], now=now)


async def test_add_subscription_refuses_the_same_active_query(store: Store, now: datetime) -> None:
    """The same query twice in one chat and thread is refused with the existing record."""
    first = await _sub(store, now, query='xiaomi OR "lei jun"')
    with pytest.raises(DuplicateSubscriptionError) as caught:
        await _sub(store, now, query='  xiaomi   OR "lei jun"')
    assert caught.value.existing == first


@pytest.mark.parametrize(
    ("chat", "thread", "platform"),
    [("-1002", None, "telegram"), ("-1001", "17", "telegram"), ("-1001", None, "discord")],
    ids=["other-chat", "other-thread", "other-platform"],
)
async def test_same_query_elsewhere_is_allowed(
    store: Store, now: datetime, chat: str, thread: str | None, platform: str
) -> None:
    """Another chat, thread or platform may subscribe to the same query."""
    await _sub(store, now)
    other = await _sub(store, now, chat, thread=thread, platform=platform)
    assert (other.chat_id, other.thread_id, other.platform) == (chat, thread, platform)


async def test_query_can_be_added_again_after_unsubscribing(store: Store, now: datetime) -> None:
    """A deactivated subscription does not block the same query (a new row is made)."""
    first = await _sub(store, now)
    await store.deactivate_subscription(first.id, reason="unsubscribed", now=now)
    again = await _sub(store, now)
    assert again.id != first.id
    everything = await store.list_subscriptions(chat_id="-1001", active_only=False)
    assert [(s.id, s.active, s.deactivated_reason) for s in everything] == [
        (first.id, False, "unsubscribed"),
        (again.id, True, None),
    ]


async def test_list_and_count_filter_by_chat_and_thread(store: Store, now: datetime) -> None:
    """thread_id=None lists the chat outside threads, `...` (default) every thread."""
    plain = await _sub(store, now)
    topic = await _sub(store, now, thread="17")
    await _sub(store, now, "-1002")
    assert [s.id for s in await store.list_subscriptions(chat_id="-1001")] == [plain.id, topic.id]
    assert [s.id for s in await store.list_subscriptions(chat_id="-1001", thread_id=None)] == [
        plain.id
    ]
    assert [s.id for s in await store.list_subscriptions(chat_id="-1001", thread_id="17")] == [
        topic.id
    ]
    assert await store.count_subscriptions("telegram", "-1001") == 2
    assert await store.count_subscriptions("discord", "-1001") == 0
    assert len(await store.active_subscriptions()) == 3


async def test_operator_sync_adds_updates_and_removes(store: Store, now: datetime) -> None:
    """Config subscriptions are added, their language updated, unlisted ones deactivated."""
    specs = [
        OperatorSubscriptionSpec("console", "", 'xiaomi OR "lei jun"', "de"),
        OperatorSubscriptionSpec("telegram", "@xiaomi_news", '"12S Ultra"'),
    ]
    first = await store.sync_operator_subscriptions(specs, now=now)
    assert first == SyncReport(
        added=('console xiaomi OR "lei jun"', 'telegram:@xiaomi_news "12S Ultra"')
    )
    user = await _sub(store, now, "-1001", "redmi*")
    changed = [OperatorSubscriptionSpec("console", "", 'xiaomi OR "lei jun"', "en")]
    second = await store.sync_operator_subscriptions(changed, now=now)
    assert second == SyncReport(
        updated=('console xiaomi OR "lei jun"',), removed=('telegram:@xiaomi_news "12S Ultra"',)
    )
    active = await store.active_subscriptions()
    assert [(s.query, s.language, s.operator) for s in active] == [
        ('xiaomi OR "lei jun"', "en", True),
        ("redmi*", None, False),
    ]
    assert user in active
    (gone,) = [s for s in await store.list_subscriptions(active_only=False) if not s.active]
    assert gone.deactivated_reason == "removed from config"
    assert await store.sync_operator_subscriptions(changed, now=now) == SyncReport()


async def test_operator_sync_adopts_a_users_identical_subscription(
    store: Store, now: datetime
) -> None:
    """A user's subscription the config also lists becomes the operator's (not a duplicate)."""
    user = await _sub(store, now, "-1001", "xiaomi")
    report = await store.sync_operator_subscriptions(
        [OperatorSubscriptionSpec("telegram", "-1001", "xiaomi")], now=now
    )
    assert report.updated == ("telegram:-1001 xiaomi",)
    (adopted,) = await store.active_subscriptions()
    assert (adopted.id, adopted.operator) == (user.id, True)


async def test_deactivate_drops_pending_alerts(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Unsubscribing drops that subscription's unsent alerts and leaves others queued."""
    leaving = await _sub(store, now, "-1001")
    staying = await _sub(store, now, "-1002")
    await _queue_alert(store, now, articles[0], entry, same_story, [leaving, staying])
    assert await store.outbox_depth() == 2
    await store.deactivate_subscription(leaving.id, reason="unsubscribed", now=now)
    assert await store.outbox_depth() == 1
    status = await store.status(now=now)
    assert (status.outbox_pending, status.outbox_dropped) == (1, 1)


async def test_deactivate_chat_ends_every_subscription_of_the_chat(
    store: Store, now: datetime
) -> None:
    """When the bot is removed from a chat, all its active subscriptions end; others stay."""
    a = await _sub(store, now, "-1001", "xiaomi")
    b = await _sub(store, now, "-1001", "redmi*", thread="17")
    other = await _sub(store, now, "-1002")
    ids = await store.deactivate_chat("telegram", "-1001", reason="bot removed", now=now)
    assert ids == [a.id, b.id]
    assert [s.id for s in await store.active_subscriptions()] == [other.id]


async def test_pausing_drops_pending_alerts_and_resume_keeps_them_dropped(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Pausing drops queued alerts, so resuming does not flood the chat."""
    sub = await _sub(store, now)
    await _queue_alert(store, now, articles[0], entry, same_story, [sub])
    await store.set_paused([sub.id], True)
    (paused,) = await store.active_subscriptions()
    assert paused.paused
    assert await store.outbox_depth() == 0
    await store.set_paused([sub.id], False)
    (resumed,) = await store.active_subscriptions()
    assert not resumed.paused
    assert await store.claim_outbox(now=now, limit=5) == []


async def test_migrate_chat_moves_subscriptions_language_and_pending_alerts(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """A Telegram group upgraded to a supergroup keeps its subscriptions, language and queue."""
    sub = await _sub(store, now, "-4711")
    await store.set_chat_language("telegram", "-4711", "de", now=now)
    await _queue_alert(store, now, articles[0], entry, same_story, [sub])
    moved = await store.migrate_chat("telegram", "-4711", "-1004711")
    assert moved == 1
    assert await store.list_subscriptions(chat_id="-4711") == []
    (there,) = await store.list_subscriptions(chat_id="-1004711")
    assert there.id == sub.id
    assert await store.get_chat_language("telegram", "-1004711") == "de"
    assert await store.get_chat_language("telegram", "-4711") is None
    (job,) = await store.claim_outbox(now=now, limit=5)
    assert (job.chat_id, job.language) == ("-1004711", "de")


async def test_migrate_chat_merges_a_query_the_new_chat_already_has(
    store: Store, now: datetime
) -> None:
    """If the new chat already subscribed the same query, the old one is retired, not duplicated."""
    old = await _sub(store, now, "-4711", "xiaomi")
    kept = await _sub(store, now, "-4711", "redmi*")
    new = await _sub(store, now, "-1004711", "xiaomi")
    await store.set_chat_language("telegram", "-1004711", "en", now=now)
    await store.set_chat_language("telegram", "-4711", "de", now=now)
    assert await store.migrate_chat("telegram", "-4711", "-1004711") == 1
    active = await store.list_subscriptions(chat_id="-1004711")
    assert sorted(s.id for s in active) == sorted([kept.id, new.id])
    assert old.id not in {s.id for s in active}
    assert await store.get_chat_language("telegram", "-1004711") == "en"


async def test_chat_language_is_none_until_chosen(store: Store, now: datetime) -> None:
    """A chat has no language until /language sets one; setting again overwrites."""
    await _sub(store, now, "-1001")
    assert await store.get_chat_language("telegram", "-1001") is None
    await store.set_chat_language("telegram", "-1001", "de", now=now)
    await store.set_chat_language("telegram", "-1001", "en", now=now + timedelta(minutes=1))
    assert await store.get_chat_language("telegram", "-1001") == "en"
    await store.set_chat_language("discord", "555", "de", now=now)
    assert await store.get_chat_language("discord", "555") == "de"

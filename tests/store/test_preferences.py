"""Chat and subscription delivery preferences, the zone on outbox jobs, cached translations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.ingest import ProcessedEntry
from bot.model import Article
from bot.store import (
    ChatPreferences,
    SourceSpec,
    Store,
    SubscriptionRecord,
    TranslationRecord,
)
from bot.store.tables import stories, translations
from tests.fakes.ingest import ingest

EntryFactory = Callable[..., ProcessedEntry]
Same = Callable[[int, int], bool]
CHAT = ("telegram", "-1001")


async def subscribe(store: Store, now: datetime) -> SubscriptionRecord:
    """One subscription of CHAT to `xiaomi`."""
    return await store.add_subscription(
        platform=CHAT[0],
        chat_id=CHAT[1],
        thread_id=None,
        query="xiaomi",
        language=None,
        created_by=None,
        now=now,
    )


async def alert_once(
    store: Store, now: datetime, article: Article, entry: EntryFactory, same: Same, sub_id: int
) -> int:
    """Ingest one article matched by the subscription; returns its outbox id."""
    await store.sync_config_sources([SourceSpec("example-news", "https://e.example/rss")], now=now)
    (source,) = await store.list_sources()
    if not source.baselined:
        await ingest(store, source.id, [], now=now)
    report = await ingest(store, source.id, [entry(article, 0, {sub_id: ("Xiaomi",)})], now=now)
    (outbox_id,) = report.outbox_ids
    return outbox_id


async def test_a_new_chat_has_no_preferences(store: Store) -> None:
    """Nothing stored means every default."""
    assert await store.get_chat_preferences(*CHAT) == ChatPreferences()


async def test_chat_preferences_round_trip(store: Store, now: datetime) -> None:
    """Each setter stores its column, creating the chat row, and leaves the others alone."""
    await store.set_chat_timezone(*CHAT, "Europe/Berlin", now=now)
    await store.set_chat_digest(*CHAT, "daily 08:00", now=now)
    await store.set_chat_quiet(*CHAT, "22:00-07:00", now=now)
    await store.set_chat_limit(*CHAT, 10, now=now)
    await store.set_chat_language(*CHAT, "de", now=now)
    assert await store.get_chat_preferences(*CHAT) == ChatPreferences(
        "Europe/Berlin", "daily 08:00", "22:00-07:00", 10
    )
    await store.set_chat_limit(*CHAT, None, now=now)
    assert (await store.get_chat_preferences(*CHAT)).hourly_limit is None
    assert await store.get_chat_language(*CHAT) == "de"


async def test_subscription_digest(store: Store, now: datetime) -> None:
    """A subscription's own digest is stored on it and listed with it."""
    sub = await subscribe(store, now)
    assert await store.set_subscription_digest(sub.id, "weekly 0 08:00") is True
    assert await store.set_subscription_digest(999, "hourly") is False
    (listed,) = await store.list_subscriptions(platform=CHAT[0], chat_id=CHAT[1])
    assert listed.digest == "weekly 0 08:00"


@pytest.mark.parametrize("zone", [None, "Europe/Berlin"], ids=["default", "chosen"])
async def test_outbox_job_carries_the_chats_zone(
    store: Store,
    articles: list[Article],
    now: datetime,
    entry: EntryFactory,
    same_story: Same,
    zone: str | None,
) -> None:
    """A claimed job has the chat's /timezone, or None for NEWSBOT_TIMEZONE."""
    sub = await subscribe(store, now)
    if zone is not None:
        await store.set_chat_timezone(*CHAT, zone, now=now)
    await alert_once(store, now, articles[0], entry, same_story, sub.id)
    (job,) = await store.claim_outbox(now=now, limit=1)
    assert job.timezone == zone


async def test_count_sent_since(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Only alerts marked sent at or after the moment count towards the chat's cap."""
    sub = await subscribe(store, now)
    outbox_id = await alert_once(store, now, articles[0], entry, same_story, sub.id)
    assert await store.count_sent_since(*CHAT, now) == 0
    await store.claim_outbox(now=now, limit=1)
    await store.mark_sent(outbox_id, message_id="1", now=now)
    assert await store.count_sent_since(*CHAT, now) == 1
    assert await store.count_sent_since(*CHAT, now + timedelta(seconds=1)) == 0
    assert await store.count_sent_since("telegram", "-999", now) == 0


async def test_translation_cache(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """One translation per story and language; the first one stored stays."""
    sub = await subscribe(store, now)
    await alert_once(store, now, articles[0], entry, same_story, sub.id)
    (job,) = await store.claim_outbox(now=now, limit=1)
    first = TranslationRecord("en", "Titel", "Zusammenfassung")
    await store.put_translation(job.story_id, "de", first, now=now)
    await store.put_translation(job.story_id, "de", TranslationRecord("en", "B", "B"), now=now)
    assert await store.get_translation(job.story_id, "de") == first
    assert await store.get_translation(job.story_id, "en") is None


async def test_translations_go_with_their_story(store: Store, now: datetime) -> None:
    """Expiring a story deletes its translations instead of failing on the foreign key."""
    async with store.engine.begin() as conn:
        await conn.execute(
            sa.insert(stories).values(id=7, first_seen_at=now, title="t", link="l", fingerprint=0)
        )
    await store.put_translation(7, "de", TranslationRecord("en", "T", "S"), now=now)
    async with store.engine.begin() as conn:
        await conn.execute(sa.delete(stories).where(stories.c.id == 7))
        assert await conn.scalar(sa.select(sa.func.count()).select_from(translations)) == 0

"""`ingest`: items, stories and outbox rows written for one poll of one source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.ingest import ProcessedEntry
from bot.model import Article
from bot.store import SourceRecord, SourceSpec, Store, SubscriptionRecord
from bot.store._ingest import BODY_MAX_CHARS
from tests.fakes.ingest import ingest

EntryFactory = Callable[..., ProcessedEntry]
Same = Callable[[int, int], bool]

XIAOMI_12S = 0  # example-news: "Xiaomi-CEO Lei Jun bestätigt ... 12 S Ultra-Nachfolgers"
GOLEM = (1, 2, 3)  # golem items without Xiaomi
GOLEM_MI_MIX = 4
HEISE_MI_MIX = 7
VERGE = (8, 9, 10)


async def _source(store: Store, now: datetime, name: str, backfill: int = 0) -> SourceRecord:
    url = f"https://{name}.example/feed"
    await store.sync_config_sources([SourceSpec(name, url, backfill=backfill)], now=now)
    return next(s for s in await store.list_sources() if s.listed_url == url)


async def _baselined(store: Store, now: datetime, name: str) -> SourceRecord:
    source = await _source(store, now, name)
    await ingest(store, source.id, [], now=now)
    return source


async def _subscribe(store: Store, now: datetime, chat: str, query: str) -> SubscriptionRecord:
    return await store.add_subscription(
        platform="telegram",
        chat_id=chat,
        thread_id=None,
        query=query,
        language=None,
        created_by=None,
        now=now,
    )


async def test_first_poll_is_a_baseline_without_alerts(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """The first poll stores every item and marks the source baselined, but queues nothing."""
    source = await _source(store, now, "golem")
    sub = await _subscribe(store, now, "-1001", "xiaomi")
    polled = [entry(articles[i], i, {sub.id: ("Xiaomi",)}) for i in (*GOLEM, GOLEM_MI_MIX)]
    report = await ingest(store, source.id, polled, now=now)
    assert (report.new_items, report.new_stories, report.queued, report.baselined_now) == (
        4,
        4,
        0,
        True,
    )
    assert (await store.list_sources())[0].baselined
    assert await store.outbox_depth() == 0


async def test_baseline_backfills_the_newest_items(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """With backfill=2 the baseline alerts the two newest items by publication date."""
    source = await _source(store, now, "golem", backfill=2)
    sub = await _subscribe(store, now, "-1001", "golem")
    oldest_first = [GOLEM_MI_MIX, 3, 1, 2]  # published 25.10., 28.10. 10:27, 12:48, 12:00
    polled = [entry(articles[i], i, {sub.id: ("golem",)}) for i in oldest_first]
    report = await ingest(store, source.id, polled, now=now)
    assert report.queued == 2
    jobs = await store.claim_outbox(now=now, limit=10)
    assert [job.title for job in jobs] == [articles[1].title, articles[2].title]
    assert {job.outbox_id for job in jobs} == set(report.outbox_ids)


async def test_new_item_alerts_each_matching_active_subscription_once(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """After the baseline, a new item queues one row per matching subscription; a re-poll none."""
    source = await _baselined(store, now, "example-news")
    xiaomi = await _subscribe(store, now, "-1001", "xiaomi")
    lei_jun = await _subscribe(store, now, "-1002", '"lei jun"')
    other = await _subscribe(store, now, "-1003", "samsung")
    matches = {xiaomi.id: ("Xiaomi-CEO",), lei_jun.id: ("Lei Jun",)}
    polled = [entry(articles[XIAOMI_12S], 1, matches), entry(articles[1], 2)]
    report = await ingest(store, source.id, polled, now=now)
    assert (report.new_items, report.queued, report.baselined_now) == (2, 2, False)
    jobs = await store.claim_outbox(now=now, limit=10)
    assert sorted((j.subscription_id, j.matched) for j in jobs) == [
        (xiaomi.id, ("Xiaomi-CEO",)),
        (lei_jun.id, ("Lei Jun",)),
    ]
    assert other.id not in {j.subscription_id for j in jobs}
    job = jobs[0]
    assert (job.title, job.link, job.source_name) == (
        articles[XIAOMI_12S].title,
        articles[XIAOMI_12S].link,
        "example-news",
    )
    assert (job.item_language, job.published) == ("de", articles[XIAOMI_12S].published)
    again = await ingest(store, source.id, polled, now=now + timedelta(minutes=5))
    assert (again.new_items, again.known_items, again.queued) == (0, 2, 0)


async def test_changed_guid_with_the_same_link_is_the_same_item(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """A feed that re-issues an article under a new guid does not alert it again."""
    source = await _baselined(store, now, "golem")
    sub = await _subscribe(store, now, "-1001", "xiaomi")
    mi_mix = articles[GOLEM_MI_MIX]
    await ingest(store, source.id, [entry(mi_mix, 7, {sub.id: ("Xiaomi",)})], now=now)
    renamed = replace(mi_mix, id="tag:golem.de,2018:137319")
    later = now + timedelta(minutes=5)
    report = await ingest(store, source.id, [entry(renamed, 7, {sub.id: ("Xiaomi",)})], now=later)
    assert (report.new_items, report.known_items, report.queued) == (0, 1, 0)
    (item,) = await store.recent_items(since=now, limit=5)
    assert (item.guid, item.first_seen_at, item.last_seen_at) == (renamed.id, now, later)


async def test_same_link_from_a_second_source_joins_the_story(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """The same canonical link from another feed is the same story: no second alert."""
    first = await _baselined(store, now, "example-news")
    second = await _baselined(store, now, "aggregator")
    sub = await _subscribe(store, now, "-1001", "xiaomi")
    article = articles[XIAOMI_12S]
    one = await ingest(store, first.id, [entry(article, 1, {sub.id: ("Xiaomi",)})], now=now)
    mirrored = replace(article, id="aggregator-991", title="Lei Jun: 12S-Ultra-Nachfolger global")
    two = await ingest(store, second.id, [entry(mirrored, 999, {sub.id: ("Xiaomi",)})], now=now)
    assert (one.new_stories, one.queued) == (1, 1)
    assert (two.new_items, two.new_stories, two.queued) == (1, 0, 0)
    items = await store.recent_items(since=now, limit=5)
    assert len({item.story_id for item in items}) == 1


async def test_near_duplicate_joins_the_story_via_same_story(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """golem's and heise's Mi Mix 3 reports (similar fingerprints) are one story, one alert."""
    golem = await _baselined(store, now, "golem")
    heise = await _baselined(store, now, "heise")
    xiaomi = await _subscribe(store, now, "-1001", "xiaomi")
    matches = {xiaomi.id: ("Xiaomi",)}
    await ingest(store, golem.id, [entry(articles[GOLEM_MI_MIX], 0x5A5A, matches)], now=now)
    report = await ingest(
        store, heise.id, [entry(articles[HEISE_MI_MIX], 0x5A5A, matches)], now=now
    )
    assert (report.new_items, report.new_stories, report.queued) == (1, 0, 0)
    other = await ingest(store, heise.id, [entry(articles[XIAOMI_12S], 0x1234, matches)], now=now)
    assert (other.new_stories, other.queued) == (1, 1)


async def test_stories_outside_the_window_are_not_joined(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """A similar item long after the story's start is news again."""
    golem = await _baselined(store, now, "golem")
    heise = await _baselined(store, now, "heise")
    sub = await _subscribe(store, now, "-1001", "xiaomi")
    await ingest(
        store, golem.id, [entry(articles[GOLEM_MI_MIX], 5, {sub.id: ("Xiaomi",)})], now=now
    )
    later = now + timedelta(hours=73)
    report = await ingest(
        store, heise.id, [entry(articles[HEISE_MI_MIX], 5, {sub.id: ("Xiaomi",)})], now=later
    )
    assert (report.new_stories, report.queued) == (1, 1)


async def test_subscription_newer_than_the_item_is_not_alerted(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """An item first seen before a subscription existed is not sent to it."""
    source = await _baselined(store, now, "example-news")
    late = await _subscribe(store, now + timedelta(minutes=1), "-1001", "xiaomi")
    report = await ingest(
        store, source.id, [entry(articles[XIAOMI_12S], 1, {late.id: ("Xiaomi",)})], now=now
    )
    assert (report.new_items, report.queued) == (1, 0)


async def test_paused_and_inactive_subscriptions_get_nothing(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Only active, unpaused subscriptions get outbox rows."""
    source = await _baselined(store, now, "theverge")
    paused = await _subscribe(store, now, "-1001", "senate")
    gone = await _subscribe(store, now, "-1002", "senate")
    live = await _subscribe(store, now, "-1003", "senate")
    await store.set_paused([paused.id], True)
    await store.deactivate_subscription(gone.id, reason="unsubscribed", now=now)
    words = ("Senate",)
    matches = {paused.id: words, gone.id: words, live.id: words}
    report = await ingest(store, source.id, [entry(articles[VERGE[0]], 1, matches)], now=now)
    assert report.queued == 1
    (job,) = await store.claim_outbox(now=now, limit=5)
    assert job.subscription_id == live.id


async def test_long_summaries_are_truncated(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """The stored text (full text where there is one) is capped; the rest of the item kept."""
    source = await _baselined(store, now, "theverge")
    long = replace(articles[VERGE[1]], teaser=articles[VERGE[1]].teaser * 20, content="")
    await ingest(store, source.id, [entry(long)], now=now)
    (item,) = await store.recent_items(since=now, limit=1)
    assert len(item.body) == BODY_MAX_CHARS
    assert long.teaser.startswith(item.body)


async def test_full_text_is_stored_for_condensing(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Where a feed carries the full text, that (not the teaser) is kept for the alert."""
    source = await _baselined(store, now, "theverge")
    full = replace(articles[VERGE[1]], content="Erster Absatz des ganzen Artikels.\nZweiter.")
    await ingest(store, source.id, [entry(full)], now=now)
    (item,) = await store.recent_items(since=now, limit=1)
    assert item.body == "Erster Absatz des ganzen Artikels.\nZweiter."


async def test_a_burst_of_one_story_in_one_poll_alerts_once(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Two new items of one story in the same poll make one story and one alert per subscription."""
    source = await _baselined(store, now, "golem")
    sub = await _subscribe(store, now, "-1001", "xiaomi")
    follow_up = replace(articles[GOLEM_MI_MIX], id="golem-137320", link="https://www.golem.de/x")
    polled = [
        entry(articles[GOLEM_MI_MIX], 9, {sub.id: ("Xiaomi",)}),
        entry(follow_up, 9, {sub.id: ("Xiaomi",)}),
    ]
    report = await ingest(store, source.id, polled, now=now)
    assert (report.new_items, report.new_stories, report.queued) == (2, 1, 1)


async def test_baseline_items_join_stories_by_link_only(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory
) -> None:
    """A new source's baseline is history: its items are never compared for similarity
    (with a thousand new sources that would cost much for nothing anyone sees) and stay
    out of the story index; only the same link joins a story."""
    golem = await _baselined(store, now, "golem")
    await ingest(store, golem.id, [entry(articles[GOLEM_MI_MIX], 40)], now=now)
    heise = await _source(store, now, "heise")
    polled = [entry(articles[HEISE_MI_MIX], 40), entry(articles[5], 41)]
    report = await ingest(store, heise.id, polled, now=now)
    assert (report.new_items, report.new_stories) == (2, 2)
    assert [m.item_id for m in await store.story_members(after_item_id=0, since=now)] == [1]


async def test_ingest_after_expiry_never_joins_a_deleted_story(
    store: Store, articles: list[Article], now: datetime, entry: EntryFactory, same_story: Same
) -> None:
    """Expiry invalidates the cached story window, so no new item points at a deleted story."""
    golem = await _baselined(store, now, "golem")
    heise = await _baselined(store, now, "heise")
    await ingest(store, golem.id, [entry(articles[GOLEM_MI_MIX], 77)], now=now)
    later = now + timedelta(hours=1)
    expired = await store.expire(
        now=later, items_older_than=timedelta(minutes=30), sent_older_than=timedelta(days=7)
    )
    assert expired.stories == 1
    report = await ingest(store, heise.id, [entry(articles[HEISE_MI_MIX], 77)], now=later)
    assert (report.new_items, report.new_stories) == (1, 1)

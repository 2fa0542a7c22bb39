"""Sources: config sync, chat-added sources, due polls and poll bookkeeping."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.store import DuplicateSourceError, SourceSpec, Store, SyncReport, UnknownSourceError
from tests.fakes.ingest import ingest

HEISE = "https://www.heise.de/rss/heise-atom.xml"
GOLEM = "https://rss.golem.de/rss.php?feed=RSS2.0"
VERGE = "https://www.theverge.com/rss/index.xml"


async def test_sync_adds_updates_and_removes_config_sources(store: Store, now: datetime) -> None:
    """Sync adds new URLs (due now), updates changed fields and deactivates unlisted ones."""
    first = await store.sync_config_sources(
        [SourceSpec("heise online", HEISE), SourceSpec("Golem", GOLEM)], now=now
    )
    assert first == SyncReport(added=(HEISE, GOLEM))
    later = now + timedelta(hours=1)
    second = await store.sync_config_sources(
        [SourceSpec("heise online", HEISE, interval=120, language="de", full_text=True)], now=later
    )
    assert second == SyncReport(updated=(HEISE,), removed=(GOLEM,))
    (heise,) = await store.list_sources()
    assert (heise.interval, heise.language, heise.full_text) == (120, "de", True)
    assert heise.next_poll_at == now
    assert [s.listed_url for s in await store.list_sources(active_only=False)] == [HEISE, GOLEM]
    assert (
        await store.sync_config_sources(
            [SourceSpec("heise online", HEISE, 120, "de", True)], now=later
        )
        == SyncReport()
    )


async def test_sync_leaves_chat_added_sources_alone(store: Store, now: datetime) -> None:
    """A source a chat admin added survives a config sync that does not list it."""
    await store.add_source(SourceSpec("The Verge", VERGE), added_by="telegram:123", now=now)
    report = await store.sync_config_sources([SourceSpec("heise online", HEISE)], now=now)
    assert report.removed == ()
    assert {s.url: s.origin for s in await store.list_sources()} == {VERGE: "chat", HEISE: "config"}


async def test_sync_takes_over_a_chat_source_the_config_lists(store: Store, now: datetime) -> None:
    """When the operator lists a chat-added URL it becomes a config source (and can be removed)."""
    await store.add_source(SourceSpec("The Verge", VERGE), added_by="telegram:123", now=now)
    report = await store.sync_config_sources([SourceSpec("The Verge", VERGE)], now=now)
    assert report.updated == (VERGE,)
    (verge,) = await store.list_sources()
    assert (verge.origin, verge.added_by) == ("config", None)
    assert (await store.sync_config_sources([], now=now)).removed == (VERGE,)


async def test_sync_reactivates_a_removed_source_with_a_new_baseline(
    store: Store, now: datetime
) -> None:
    """A source listed again after removal is active again, due now and not yet baselined."""
    await store.sync_config_sources([SourceSpec("heise online", HEISE)], now=now)
    (heise,) = await store.list_sources()
    await ingest(store, heise.id, [], now=now)
    await store.sync_config_sources([], now=now)
    later = now + timedelta(days=3)
    assert (await store.sync_config_sources([SourceSpec("heise", HEISE)], now=later)).added == (
        HEISE,
    )
    (again,) = await store.list_sources()
    assert (again.id, again.active, again.baselined, again.next_poll_at) == (
        heise.id,
        True,
        False,
        later,
    )


async def test_add_source_refuses_an_active_duplicate(store: Store, now: datetime) -> None:
    """Adding a URL that is already polled raises DuplicateSourceError carrying the existing one."""
    await store.sync_config_sources([SourceSpec("heise online", HEISE)], now=now)
    with pytest.raises(DuplicateSourceError) as caught:
        await store.add_source(SourceSpec("heise", HEISE), added_by="discord:456", now=now)
    assert caught.value.existing.name == "heise online"


async def test_add_source_after_remove_reactivates_it(store: Store, now: datetime) -> None:
    """remove_source deactivates; adding the URL again brings back the same row as a chat source."""
    added = await store.add_source(SourceSpec("The Verge", VERGE), added_by="telegram:1", now=now)
    removed = await store.remove_source(added.id)
    assert removed is not None
    assert not removed.active
    assert await store.remove_source(added.id) is None
    again = await store.add_source(SourceSpec("Verge", VERGE), added_by="telegram:2", now=now)
    assert (again.id, again.name, again.added_by, again.active) == (
        added.id,
        "Verge",
        "telegram:2",
        True,
    )


async def test_due_sources_are_active_unpaused_and_oldest_first(
    store: Store, now: datetime
) -> None:
    """Only due, active, unpaused sources are returned, longest-waiting first, up to the limit."""
    await store.sync_config_sources(
        [SourceSpec("heise", HEISE), SourceSpec("golem", GOLEM), SourceSpec("verge", VERGE)],
        now=now,
    )
    heise, golem, verge = await store.list_sources()
    await store.record_poll_success(
        heise.id, now=now, next_poll_at=now + timedelta(minutes=5), etag=None, last_modified=None
    )
    await store.record_poll_failure(
        golem.id, now=now, error="HTTP 500", next_poll_at=now - timedelta(minutes=1), pause=True
    )
    await store.record_poll_success(
        verge.id, now=now, next_poll_at=now - timedelta(minutes=2), etag=None, last_modified=None
    )
    assert [s.id for s in await store.due_sources(now, limit=10)] == [verge.id]
    later = now + timedelta(minutes=10)
    assert [s.id for s in await store.due_sources(later, limit=10)] == [verge.id, heise.id]
    assert [s.id for s in await store.due_sources(later, limit=1)] == [verge.id]
    assert await store.next_due_at() == now - timedelta(minutes=2)


async def test_next_due_at_is_none_without_pollable_sources(store: Store, now: datetime) -> None:
    """With no active source there is nothing to wait for."""
    assert await store.next_due_at() is None


async def test_poll_success_stores_validators_and_resets_failures(
    store: Store, now: datetime
) -> None:
    """Success keeps ETag/Last-Modified, clears failures and follows a permanent redirect."""
    await store.sync_config_sources([SourceSpec("heise", HEISE)], now=now)
    (heise,) = await store.list_sources()
    failed = await store.record_poll_failure(heise.id, now=now, error="timeout", next_poll_at=now)
    assert (failed.consecutive_failures, failed.last_error) == (1, "timeout")
    failed = await store.record_poll_failure(heise.id, now=now, error="timeout", next_poll_at=now)
    assert failed.consecutive_failures == 2
    moved = "https://www.heise.de/rss/heise.rdf"
    later = now + timedelta(minutes=5)
    await store.record_poll_success(
        heise.id,
        now=later,
        next_poll_at=later + timedelta(minutes=5),
        etag='W/"abc"',
        last_modified="Sat, 09 May 2026 08:00:00 GMT",
        new_url=moved,
    )
    (polled,) = await store.list_sources()
    assert (polled.consecutive_failures, polled.last_error) == (0, None)
    assert (polled.etag, polled.last_modified) == ('W/"abc"', "Sat, 09 May 2026 08:00:00 GMT")
    assert (polled.url, polled.listed_url) == (moved, HEISE)
    assert (polled.last_polled_at, polled.last_success_at) == (later, later)
    # The config still names the old URL: the moved source is the same one, not a new one.
    assert await store.sync_config_sources([SourceSpec("heise", HEISE)], now=later) == SyncReport()


async def test_failure_with_pause_stops_polling_until_resumed(store: Store, now: datetime) -> None:
    """A paused source is not due; resume_source clears the pause and makes it due at once."""
    await store.sync_config_sources([SourceSpec("golem", GOLEM)], now=now)
    (golem,) = await store.list_sources()
    paused = await store.record_poll_failure(
        golem.id, now=now, error="HTTP 410 Gone", next_poll_at=now, pause=True
    )
    assert paused.paused
    assert (paused.paused_at, paused.paused_reason) == (now, "HTTP 410 Gone")
    assert await store.due_sources(now, limit=5) == []
    later = now + timedelta(hours=2)
    await store.resume_source(golem.id, now=later)
    (resumed,) = await store.due_sources(later, limit=5)
    assert (resumed.paused, resumed.consecutive_failures, resumed.next_poll_at) == (False, 0, later)


async def test_bookkeeping_on_an_unknown_source_is_a_typed_error(
    store: Store, now: datetime
) -> None:
    """Recording a poll for a source id that does not exist raises UnknownSourceError."""
    with pytest.raises(UnknownSourceError):
        await store.record_poll_failure(42, now=now, error="x", next_poll_at=now)

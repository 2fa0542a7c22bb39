"""`ingest`: one poll of one source stored and turned into outbox rows, in one transaction."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store._base import StoreBase, insert_ignore
from bot.store._plan import KnownItem, StoryChoice, StoryFinder, pick_backfill, resolve_items
from bot.store._sources import _get_source
from bot.store._window import StoryWindow
from bot.store.records import IngestEntry, IngestReport
from bot.store.tables import items, outbox, sources, stories, subscriptions

# The stored text is what alerts are condensed from at delivery: the full text where the
# feed has one (the lead and the paragraphs naming a keyword are what the summary uses),
# capped so that a month of items stays small on a Raspberry Pi's SD card.
SUMMARY_MAX_CHARS = 4000
# Entries per lookup statement: 3 parameters each stays far below SQLite's variable limit.
_CHUNK = 300
# Above this many `same_story` calls the scan moves to a thread (about 10 ms of work).
_THREAD_AT = 50_000


@dataclass(frozen=True, slots=True)
class _NewItem:
    """A new item as written: its entry's position, row id and story."""

    position: int
    item_id: int
    story_id: int


class IngestMixin(StoreBase):
    """The `ingest` transaction."""

    async def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]:
        """Which of `guids` this source already has: the poller skips fingerprinting and
        matching those, since ingest would only note that they were seen again."""
        found: set[str] = set()
        async with self._read() as conn:
            for start in range(0, len(guids), _CHUNK):
                chunk = list(guids[start : start + _CHUNK])
                rows = await conn.execute(
                    sa.select(items.c.guid).where(
                        items.c.source_id == source_id, items.c.guid.in_(chunk)
                    )
                )
                found.update(row.guid for row in rows)
        return found

    async def ingest(
        self,
        source_id: int,
        entries: Sequence[IngestEntry],
        *,
        now: datetime,
        story_window: timedelta = timedelta(hours=72),
        same_story: Callable[[int, int], bool],
    ) -> IngestReport:
        """Store one poll's entries; queue alerts for new items (after the source's baseline).

        Reads first, decides (the fingerprint scan, in a thread when long), then writes every
        change in one transaction; the ingest lock keeps what was read true until then.
        """
        articles = [entry.article for entry in entries]
        cutoff = now - story_window
        async with self._ingest_lock:
            async with self._read() as conn:
                source = await _get_source(conn, source_id)
                plan = resolve_items(articles, await _load_stored(conn, source_id, entries))
                finder = await self._story_finder(conn, entries, plan.new, cutoff, same_story)
            alerting = list(plan.new)
            if not source.baselined:
                # First poll: the feed's history is not news, except the newest `backfill`.
                alerting = pick_backfill(articles, plan.new, source.backfill)
            choices = await _choose_stories(finder, entries, plan.new, set(alerting))
            async with self._write() as conn:
                await _touch(conn, plan.seen, plan.guid_changes, now)
                new_items, created = await _insert_new(
                    conn, source_id, entries, plan.new, choices, finder, now
                )
                if not source.baselined:
                    await conn.execute(
                        sources.update().where(sources.c.id == source_id).values(baselined=True)
                    )
                by_position = {new.position: new for new in new_items}
                chosen = [by_position[position] for position in alerting]
                outbox_ids = await _queue(conn, entries, chosen, now)
            if self._window is not None:
                for story_id, fingerprint in created:  # committed: now others may join them
                    self._window.add(now, story_id, fingerprint)
        return IngestReport(
            new_items=len(new_items),
            known_items=plan.known,
            new_stories=len(created),
            queued=len(outbox_ids),
            baselined_now=not source.baselined,
            outbox_ids=tuple(outbox_ids),
        )

    async def _story_finder(
        self,
        conn: AsyncConnection,
        entries: Sequence[IngestEntry],
        positions: Sequence[int],
        cutoff: datetime,
        same_story: Callable[[int, int], bool],
    ) -> StoryFinder:
        """A finder loaded with the window's links and fingerprints (empty without new items)."""
        if not positions:
            return StoryFinder(same_story)
        links = [entries[p].article.link for p in positions if entries[p].article.link]
        by_link = dict(await _stories_by_link(conn, links, cutoff))
        if self._window is None or not self._window.covers(cutoff):
            self._window = await _load_window(conn, cutoff)
        self._window.prune(cutoff)
        start = self._window.start(cutoff)
        return StoryFinder(same_story, dict(by_link), self._window.stories, start)


async def _choose_stories(
    finder: StoryFinder,
    entries: Sequence[IngestEntry],
    positions: Sequence[int],
    alerting: set[int],
) -> list[StoryChoice]:
    """Each new item's story; a long fingerprint scan runs in a thread, off the event loop."""

    def choose() -> list[StoryChoice]:
        # Items never alerted (a baseline's) skip the scan: with a thousand new sources it
        # would cost sources x items x window comparisons, for nothing anyone sees.
        return [
            finder.choose(p, entries[p].article.link, entries[p].fingerprint, scan=p in alerting)
            for p in positions
        ]

    if finder.comparisons(len(alerting)) > _THREAD_AT:
        return await asyncio.to_thread(choose)
    return choose()


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def _load_stored(
    conn: AsyncConnection, source_id: int, entries: Sequence[IngestEntry]
) -> list[KnownItem]:
    found: dict[int, KnownItem] = {}
    for chunk in _chunks(entries):
        guids = {entry.article.id for entry in chunk}
        links = {entry.article.link for entry in chunk if entry.article.link}
        titles = {entry.article.title for entry in chunk if entry.article.title}
        query = sa.select(items.c.id, items.c.guid, items.c.link, items.c.title).where(
            items.c.source_id == source_id,
            sa.or_(items.c.guid.in_(guids), items.c.link.in_(links), items.c.title.in_(titles)),
        )
        for row in await conn.execute(query.order_by(items.c.id)):
            found[row.id] = KnownItem(row.id, row.guid, row.link, row.title)
    return list(found.values())


async def _touch(
    conn: AsyncConnection,
    seen: Sequence[int],
    guid_changes: Sequence[tuple[int, str]],
    now: datetime,
) -> None:
    for chunk in _chunks(seen):
        await conn.execute(items.update().where(items.c.id.in_(chunk)).values(last_seen_at=now))
    for item_id, guid in guid_changes:
        await conn.execute(items.update().where(items.c.id == item_id).values(guid=guid))


async def _insert_new(
    conn: AsyncConnection,
    source_id: int,
    entries: Sequence[IngestEntry],
    positions: Sequence[int],
    choices: Sequence[StoryChoice],
    finder: StoryFinder,
    now: datetime,
) -> tuple[list[_NewItem], list[tuple[int, int]]]:
    """Insert the new stories and items; returns the items and (story id, fingerprint) made."""
    if not positions:
        return [], []
    story_rows = [_story_row(entries[new.founder], now) for new, _ in finder.created]
    created_ids = await _insert_returning_ids(conn, stories, story_rows)
    ids_of_new = {
        new: story_id for (new, _), story_id in zip(finder.created, created_ids, strict=True)
    }
    story_ids = [c if isinstance(c, int) else ids_of_new[c] for c in choices]
    item_rows = [
        _item_row(source_id, entries[p], story_id, now)
        for p, story_id in zip(positions, story_ids, strict=True)
    ]
    item_ids = await _insert_returning_ids(conn, items, item_rows)
    new_items = [
        _NewItem(p, item_id, story_id)
        for p, item_id, story_id in zip(positions, item_ids, story_ids, strict=True)
    ]
    created = [
        (story_id, fp) for (_, fp), story_id in zip(finder.created, created_ids, strict=True)
    ]
    return new_items, created


async def _load_window(conn: AsyncConnection, cutoff: datetime) -> StoryWindow:
    query = (
        sa.select(stories.c.first_seen_at, stories.c.id, stories.c.fingerprint)
        .where(stories.c.first_seen_at >= cutoff)
        .order_by(stories.c.first_seen_at, stories.c.id)
    )
    window = StoryWindow(covered_from=cutoff)
    for row in await conn.execute(query):
        window.times.append(row.first_seen_at)
        window.stories.append((row.id, row.fingerprint))
    return window


async def _stories_by_link(
    conn: AsyncConnection, links: Sequence[str], cutoff: datetime
) -> list[tuple[str, int]]:
    # Items still seen within the window, of any source; the newest item's story wins.
    pairs: dict[str, int] = {}
    for chunk in _chunks(sorted(set(links))):
        query = (
            sa.select(items.c.link, items.c.story_id)
            .where(items.c.link.in_(chunk), items.c.last_seen_at >= cutoff)
            .order_by(items.c.id.desc())
        )
        for row in await conn.execute(query):
            pairs.setdefault(row.link, row.story_id)
    return list(pairs.items())


def _story_row(entry: IngestEntry, now: datetime) -> dict[str, Any]:
    article = entry.article
    return {
        "first_seen_at": now,
        "title": article.title,
        "link": article.link,
        "fingerprint": entry.fingerprint,
    }


def _item_row(source_id: int, entry: IngestEntry, story_id: int, now: datetime) -> dict[str, Any]:
    article = entry.article
    return {
        "source_id": source_id,
        "guid": article.id,
        "link": article.link,
        "title": article.title,
        "summary": article.text[:SUMMARY_MAX_CHARS],
        "language": article.language,
        "published": article.published,
        "first_seen_at": now,
        "last_seen_at": now,
        "story_id": story_id,
    }


async def _insert_returning_ids(
    conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]
) -> list[int]:
    """Insert many rows in few statements; the ids come back in the rows' order."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list((await conn.execute(statement, rows)).scalars())


async def _queue(
    conn: AsyncConnection, entries: Sequence[IngestEntry], chosen: Sequence[_NewItem], now: datetime
) -> list[int]:
    """Write pending outbox rows for the chosen new items; a (subscription, story) pair once."""
    wanted = {sub_id for new in chosen for sub_id, _ in entries[new.position].matches}
    eligible = await _alertable_subscriptions(conn, wanted, now)
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for new in chosen:
        for sub_id, matched in entries[new.position].matches:
            if sub_id in eligible:
                rows.setdefault((sub_id, new.story_id), _outbox_row(sub_id, new, matched, now))
    if not rows:
        return []
    statement = (
        insert_ignore(conn, outbox)
        .on_conflict_do_nothing(index_elements=["subscription_id", "story_id"])
        .returning(outbox.c.id)
    )
    result = await conn.execute(statement, list(rows.values()))
    return sorted(result.scalars())


async def _alertable_subscriptions(
    conn: AsyncConnection, wanted: set[int], now: datetime
) -> set[int]:
    # The item is first seen now: a subscription made after that moment must not get it.
    eligible: set[int] = set()
    for chunk in _chunks(sorted(wanted)):
        query = sa.select(subscriptions.c.id).where(
            subscriptions.c.id.in_(chunk),
            subscriptions.c.active.is_(True),
            subscriptions.c.paused.is_(False),
            subscriptions.c.created_at <= now,
        )
        eligible.update((await conn.execute(query)).scalars())
    return eligible


def _outbox_row(
    sub_id: int, new: _NewItem, matched: Sequence[str], now: datetime
) -> dict[str, Any]:
    return {
        "subscription_id": sub_id,
        "story_id": new.story_id,
        "item_id": new.item_id,
        "matched": json.dumps(list(matched), ensure_ascii=False),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }

"""Persisting one poll's ingest: the reads the ingest stage decides from, and its one write.

The decisions (which entries are new, which story each joins, who gets a message or an
edit) are made by `bot.ingest` and `bot.dedupe`; this module only loads and stores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.dedupe.items import KnownItem
from bot.model import Article
from bot.store._base import StoreBase, chat_key, insert_ignore
from bot.store.records import (
    AlertContext,
    IngestReport,
    IngestWrite,
    NewItem,
    PlannedAlert,
    StoryMember,
)
from bot.store.tables import chats, items, outbox, outbox_also, sources, stories, subscriptions

# The stored body is what alerts are condensed from at delivery: the full text where the
# feed has one (the lead and the paragraphs naming a keyword are what the summary uses),
# capped so that a month of items stays small on a Raspberry Pi's SD card.
BODY_MAX_CHARS = 4000
# Values per lookup statement: stays far below SQLite's variable limit.
_CHUNK = 300


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class IngestMixin(StoreBase):
    """The reads and the write transaction of `bot.ingest`."""

    async def stored_items(self, source_id: int, articles: Sequence[Article]) -> list[KnownItem]:
        """The source's stored items that any of `articles` may be (same guid, link or title)."""
        found: dict[int, KnownItem] = {}
        async with self._read() as conn:
            for chunk in _chunks(articles):
                guids = {article.id for article in chunk}
                links = {article.link for article in chunk if article.link}
                titles = {article.title for article in chunk if article.title}
                query = sa.select(items.c.id, items.c.guid, items.c.link, items.c.title).where(
                    items.c.source_id == source_id,
                    sa.or_(
                        items.c.guid.in_(guids), items.c.link.in_(links), items.c.title.in_(titles)
                    ),
                )
                for row in await conn.execute(query.order_by(items.c.id)):
                    found[row.id] = KnownItem(row.id, row.guid, row.link, row.title)
        return list(found.values())

    async def stories_by_link(self, links: Iterable[str], *, since: datetime) -> dict[str, int]:
        """Story ids of items (any source) with these canonical links, seen since `since`;
        the newest item's story wins."""
        pairs: dict[str, int] = {}
        async with self._read() as conn:
            for chunk in _chunks(sorted({link for link in links if link})):
                query = (
                    sa.select(items.c.link, items.c.story_id)
                    .where(items.c.link.in_(chunk), items.c.last_seen_at >= since)
                    .order_by(items.c.id.desc())
                )
                for row in await conn.execute(query):
                    pairs.setdefault(row.link, row.story_id)
        return pairs

    async def story_members(
        self, *, after_item_id: int, since: datetime, limit: int = 50_000
    ) -> list[StoryMember]:
        """Items with a story key, id above `after_item_id`, first seen since `since`, by id:
        what the story index loads at start and catches up on after each write."""
        query = (
            sa.select(items.c.id, items.c.story_id, items.c.story_key, items.c.first_seen_at)
            .where(
                items.c.id > after_item_id,
                items.c.first_seen_at >= since,
                items.c.story_key.is_not(None),
            )
            .order_by(items.c.id)
            .limit(limit)
        )
        async with self._read() as conn:
            return [
                StoryMember(row.id, row.story_id, row.story_key, row.first_seen_at)
                for row in await conn.execute(query)
            ]

    async def last_item_id(self) -> int:
        """The highest item id (0 when there is none)."""
        async with self._read() as conn:
            return int(await conn.scalar(sa.select(sa.func.max(items.c.id))) or 0)

    async def alert_context(
        self, subscription_ids: Iterable[int], story_ids: Iterable[int], *, now: datetime
    ) -> AlertContext:
        """Which subscriptions may be alerted now, which want every article, and the grouped
        rows they already have for these (stored) stories."""
        wanted = sorted(set(subscription_ids))
        known_stories = sorted({story for story in story_ids if story > 0})
        eligible: set[int] = set()
        ungrouped: set[int] = set()
        alerted: dict[tuple[int, int], int] = {}
        async with self._read() as conn:
            for chunk in _chunks(wanted):
                rows = await conn.execute(_eligible_query(chunk, now))
                for row in rows:
                    eligible.add(row.id)
                    if row.grouping is False:
                        ungrouped.add(row.id)
            for chunk in _chunks(known_stories):
                rows = await conn.execute(
                    sa.select(outbox.c.id, outbox.c.subscription_id, outbox.c.story_id).where(
                        outbox.c.story_id.in_(chunk), outbox.c.grouped.is_(True)
                    )
                )
                for row in rows:
                    if row.subscription_id in eligible:
                        alerted[(row.subscription_id, row.story_id)] = row.id
        return AlertContext(frozenset(eligible), frozenset(ungrouped), alerted)

    async def write_ingest(self, write: IngestWrite) -> IngestReport:
        """Write one poll's decisions in one transaction: items seen again, new stories and
        items, new outbox rows and edits of existing ones, and the source's baseline."""
        async with self._ingest_lock, self._write() as conn:
            await _touch(conn, write.seen, write.guid_changes, write.now)
            story_ids = await _insert_stories(conn, write.new_items, write.now)
            item_ids = await _insert_items(conn, write, story_ids)
            outbox_ids, rows_by_key = await _queue_alerts(conn, write, item_ids, story_ids)
            edits = await _queue_also(conn, write, item_ids, story_ids, rows_by_key)
            if write.baselined_now:
                await conn.execute(
                    sources.update().where(sources.c.id == write.source_id).values(baselined=True)
                )
        item_story_ids = tuple(story_ids[item.story] for item in write.new_items)
        return IngestReport(
            new_items=len(item_ids),
            known_items=0,
            new_stories=sum(1 for story in story_ids if story < 0),
            queued=len(outbox_ids),
            baselined_now=write.baselined_now,
            outbox_ids=tuple(outbox_ids),
            edits=edits,
            item_ids=tuple(item_ids),
            story_ids=item_story_ids,
        )


def _eligible_query(chunk: Sequence[int], now: datetime) -> sa.Select[Any]:
    # The item is first seen now: a subscription made after that moment must not get it.
    return (
        sa.select(subscriptions.c.id, chats.c.grouping)
        .outerjoin(
            chats,
            sa.and_(
                chats.c.platform == subscriptions.c.platform,
                chats.c.chat_id == subscriptions.c.chat_id,
            ),
        )
        .where(
            subscriptions.c.id.in_(chunk),
            subscriptions.c.active.is_(True),
            subscriptions.c.paused.is_(False),
            subscriptions.c.created_at <= now,
        )
    )


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


async def _insert_stories(
    conn: AsyncConnection, new_items: Sequence[NewItem], now: datetime
) -> dict[int, int]:
    """Insert the stories the batch founds; maps every story id of the batch to a stored id
    (stored ids to themselves, provisional negative ones to the new rows)."""
    founders: dict[int, NewItem] = {}
    for item in new_items:
        if item.story < 0:
            founders.setdefault(item.story, item)
    mapping = {item.story: item.story for item in new_items if item.story > 0}
    rows = [_story_row(item, now) for item in founders.values()]
    stored_ids = await _insert_returning_ids(conn, stories, rows)
    for provisional, stored in zip(founders, stored_ids, strict=True):
        mapping[provisional] = stored
    return mapping


async def _insert_items(
    conn: AsyncConnection, write: IngestWrite, story_ids: dict[int, int]
) -> list[int]:
    rows = [
        _item_row(write.source_id, item, story_ids[item.story], write.now)
        for item in write.new_items
    ]
    return await _insert_returning_ids(conn, items, rows)


async def _queue_alerts(
    conn: AsyncConnection,
    write: IngestWrite,
    item_ids: Sequence[int],
    story_ids: dict[int, int],
) -> tuple[list[int], dict[tuple[int, int], int]]:
    """Insert the planned messages (a pair already queued is skipped); returns the new ids
    and the grouped row of each (subscription, stored story) pair, for the edits."""
    planned = write.plan.alerts
    if not planned:
        return [], {}
    chat_keys = await _chat_keys(conn, {alert.subscription_id for alert in planned})
    rows = [
        _outbox_row(alert, item_ids[alert.position], story_ids[alert.story], chat_keys, write.now)
        for alert in planned
    ]
    new_ids: list[int] = []
    for grouped in (True, False):
        batch = [row for row in rows if row["grouped"] is grouped]
        if not batch:
            continue
        conflict = (
            {"index_elements": ["subscription_id", "story_id"], "index_where": outbox.c.grouped}
            if grouped
            else {"index_elements": ["subscription_id", "item_id"]}
        )
        statement = (
            insert_ignore(conn, outbox).on_conflict_do_nothing(**conflict).returning(outbox.c.id)
        )
        new_ids += list((await conn.execute(statement, batch)).scalars())
    pairs = {(row["subscription_id"], row["story_id"]) for row in rows if row["grouped"]}
    return sorted(new_ids), await _grouped_rows(conn, pairs)


async def _grouped_rows(
    conn: AsyncConnection, pairs: set[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    found: dict[tuple[int, int], int] = {}
    stories_wanted = sorted({story for _, story in pairs})
    for chunk in _chunks(stories_wanted):
        query = sa.select(outbox.c.id, outbox.c.subscription_id, outbox.c.story_id).where(
            outbox.c.story_id.in_(chunk), outbox.c.grouped.is_(True)
        )
        for row in await conn.execute(query):
            if (row.subscription_id, row.story_id) in pairs:
                found[(row.subscription_id, row.story_id)] = row.id
    return found


async def _queue_also(
    conn: AsyncConnection,
    write: IngestWrite,
    item_ids: Sequence[int],
    story_ids: dict[int, int],
    rows_by_key: dict[tuple[int, int], int],
) -> int:
    """Add the other reports to their messages; a sent message becomes due for an edit."""
    targets: dict[int, list[int]] = {}
    for also in write.plan.also:
        outbox_id = also.outbox_id
        if outbox_id is None:
            outbox_id = rows_by_key.get((also.subscription_id, story_ids[also.story]))
        if outbox_id is not None:
            targets.setdefault(outbox_id, []).append(item_ids[also.position])
    edits = 0
    for outbox_id, added in targets.items():
        edits += await _add_also(conn, outbox_id, added, write.now)
    return edits


async def _add_also(
    conn: AsyncConnection, outbox_id: int, item_ids: Sequence[int], now: datetime
) -> int:
    """Append items to one message's other reports; 1 if that queued an edit."""
    count = await conn.scalar(
        sa.select(sa.func.count()).where(outbox_also.c.outbox_id == outbox_id)
    )
    rows = [
        {
            "outbox_id": outbox_id,
            "item_id": item_id,
            "position": int(count or 0) + n,
            "created_at": now,
        }
        for n, item_id in enumerate(item_ids)
    ]
    statement = insert_ignore(conn, outbox_also).on_conflict_do_nothing(
        index_elements=["outbox_id", "item_id"]
    )
    added = (await conn.execute(statement, rows)).rowcount
    if not added:
        return 0
    # A sent, editable message goes back into its chat's queue as an edit; one still
    # waiting to be sent will simply show the new reports when it goes out.
    resend = sa.and_(outbox.c.status == "sent", outbox.c.editable.is_(True))
    result = await conn.execute(
        outbox.update()
        .where(outbox.c.id == outbox_id)
        .values(
            revision=outbox.c.revision + added,
            status=sa.case((resend, "pending"), else_=outbox.c.status),
            queued_at=sa.case((resend, now), else_=outbox.c.queued_at),
            next_attempt_at=sa.case((resend, now), else_=outbox.c.next_attempt_at),
            attempts=sa.case((resend, 0), else_=outbox.c.attempts),
        )
        .returning(outbox.c.status, outbox.c.message_id)
    )
    row = result.one_or_none()
    return 1 if row is not None and row.status == "pending" and row.message_id else 0


async def _chat_keys(conn: AsyncConnection, subscription_ids: set[int]) -> dict[int, str]:
    keys: dict[int, str] = {}
    for chunk in _chunks(sorted(subscription_ids)):
        query = sa.select(
            subscriptions.c.id, subscriptions.c.platform, subscriptions.c.chat_id
        ).where(subscriptions.c.id.in_(chunk))
        for row in await conn.execute(query):
            keys[row.id] = chat_key(row.platform, row.chat_id)
    return keys


def _story_row(item: NewItem, now: datetime) -> dict[str, Any]:
    article = item.article
    return {
        "first_seen_at": now,
        "title": article.title,
        "link": article.link,
        "fingerprint": item.fingerprint,
    }


def _item_row(source_id: int, item: NewItem, story_id: int, now: datetime) -> dict[str, Any]:
    article = item.article
    return {
        "source_id": source_id,
        "guid": article.id,
        "link": article.link,
        "title": article.title,
        "body": article.body[:BODY_MAX_CHARS],
        "language": article.language,
        "published": article.published,
        "first_seen_at": now,
        "last_seen_at": now,
        "story_id": story_id,
        "story_key": item.story_key,
    }


async def _insert_returning_ids(
    conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]
) -> list[int]:
    """Insert many rows in few statements; the ids come back in the rows' order."""
    if not rows:
        return []
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list((await conn.execute(statement, rows)).scalars())


def _outbox_row(
    alert: PlannedAlert,
    item_id: int,
    story_id: int,
    chat_keys: dict[int, str],
    now: datetime,
) -> dict[str, Any]:
    return {
        "subscription_id": alert.subscription_id,
        "story_id": story_id,
        "item_id": item_id,
        "matched": json.dumps(list(alert.matched), ensure_ascii=False),
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "queued_at": now,
        "chat_key": chat_keys.get(alert.subscription_id, ""),
        "grouped": alert.grouped,
    }

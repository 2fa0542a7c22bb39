"""Preview, status counts and expiry of old rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.store._base import StoreBase
from bot.store.records import ExpiryReport, ItemRecord, StoreStatus
from bot.store.tables import items, outbox, outbox_also, sources, stories, subscriptions

FINISHED = ("sent", "failed", "dropped")


class MaintenanceMixin(StoreBase):
    """Read-mostly methods over all tables."""

    async def recent_items(self, *, since: datetime, limit: int) -> list[ItemRecord]:
        """Items first seen at or after `since`, newest first (for /preview)."""
        query = (
            sa.select(*items.c, sources.c.name.label("source_name"))
            .join(sources, sources.c.id == items.c.source_id)
            .where(items.c.first_seen_at >= since)
            .order_by(items.c.first_seen_at.desc(), items.c.id.desc())
            .limit(limit)
        )
        async with self._read() as conn:
            rows = (await conn.execute(query)).mappings()
            return [ItemRecord(**row) for row in rows]

    async def status(self, *, now: datetime) -> StoreStatus:
        """Counts for /status and the metrics; `now` decides what is due."""
        active = sources.c.active.is_(True)
        unpaused = sources.c.paused_at.is_(None)
        counts = {
            "sources_active": sa.select(sa.func.count()).where(active),
            "sources_paused": sa.select(sa.func.count()).where(active, ~unpaused),
            "sources_failing": sa.select(sa.func.count()).where(
                active, sources.c.consecutive_failures > 0
            ),
            "sources_due": sa.select(sa.func.count()).where(
                active, unpaused, sources.c.next_poll_at <= now
            ),
            "items": sa.select(sa.func.count()).select_from(items),
            "stories": sa.select(sa.func.count()).select_from(stories),
            "subscriptions_active": sa.select(sa.func.count()).where(
                subscriptions.c.active.is_(True)
            ),
            "outbox_due": sa.select(sa.func.count()).where(
                outbox.c.status == "pending", outbox.c.next_attempt_at <= now
            ),
        }
        by_status = sa.select(outbox.c.status, sa.func.count()).group_by(outbox.c.status)
        async with self._read() as conn:
            values = {name: int(await conn.scalar(query) or 0) for name, query in counts.items()}
            per_status = {row[0]: int(row[1]) for row in await conn.execute(by_status)}
        for state in ("pending", "sending", "sent", "failed", "dropped"):
            values[f"outbox_{state}"] = per_status.get(state, 0)
        return StoreStatus(**values)

    async def expire(
        self, *, now: datetime, items_older_than: timedelta, sent_older_than: timedelta
    ) -> ExpiryReport:
        """Delete finished outbox rows, unseen items and orphan stories past their age.

        A row any remaining outbox row refers to is kept, so pending alerts can still render
        and the (subscription, story) key keeps deduplicating.
        """
        handled_at = sa.func.coalesce(outbox.c.sent_at, outbox.c.claimed_at, outbox.c.created_at)
        finished = sa.and_(outbox.c.status.in_(FINISHED), handled_at < now - sent_older_than)
        old_also = outbox_also.delete().where(
            outbox_also.c.outbox_id.in_(sa.select(outbox.c.id).where(finished))
        )
        old_outbox = outbox.delete().where(finished)
        old_items = items.delete().where(
            items.c.last_seen_at < now - items_older_than,
            ~sa.exists().where(outbox.c.item_id == items.c.id),
            ~sa.exists().where(outbox_also.c.item_id == items.c.id),
        )
        orphan_stories = stories.delete().where(
            ~sa.exists().where(items.c.story_id == stories.c.id),
            ~sa.exists().where(outbox.c.story_id == stories.c.id),
        )
        async with self._ingest_lock, self._write() as conn:
            await conn.execute(old_also)
            outbox_count = (await conn.execute(old_outbox)).rowcount
            item_count = (await conn.execute(old_items)).rowcount
            story_count = (await conn.execute(orphan_stories)).rowcount
        if story_count:
            self.stories_deleted += 1
        return ExpiryReport(items=item_count, stories=story_count, outbox=outbox_count)

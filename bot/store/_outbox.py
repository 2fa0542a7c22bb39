"""The outbox: claiming alerts to send and recording how sending went."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.store._base import StoreBase, clip
from bot.store.records import ChatAddress, OutboxJob
from bot.store.tables import chats, items, outbox, sources, subscriptions

IN_FLIGHT = ("pending", "sending")


def _job_query() -> sa.Select[Any]:
    return (
        sa.select(
            outbox.c.id.label("outbox_id"),
            outbox.c.attempts,
            outbox.c.subscription_id,
            outbox.c.story_id,
            outbox.c.item_id,
            outbox.c.matched,
            subscriptions.c.platform,
            subscriptions.c.chat_id,
            subscriptions.c.thread_id,
            subscriptions.c.query,
            sa.func.coalesce(subscriptions.c.language, chats.c.language).label("language"),
            items.c.title,
            items.c.link,
            items.c.summary,
            items.c.language.label("item_language"),
            items.c.published,
            sources.c.name.label("source_name"),
            items.c.first_seen_at,
        )
        .join(subscriptions, subscriptions.c.id == outbox.c.subscription_id)
        .join(items, items.c.id == outbox.c.item_id)
        .join(sources, sources.c.id == items.c.source_id)
        .outerjoin(
            chats,
            sa.and_(
                chats.c.platform == subscriptions.c.platform,
                chats.c.chat_id == subscriptions.c.chat_id,
            ),
        )
    )


def _job(row: Mapping[str, Any]) -> OutboxJob:
    values = dict(row)
    values["thread_id"] = values["thread_id"] or None
    values["matched"] = tuple(json.loads(values["matched"]))
    return OutboxJob(**values)


class OutboxMixin(StoreBase):
    """Methods for the `outbox` table."""

    async def claim_outbox(self, *, now: datetime, limit: int) -> list[OutboxJob]:
        """Take due pending alerts, oldest first: they become `sending` with one more attempt."""
        due = (
            sa.select(outbox.c.id)
            .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit)
        )
        async with self._write() as conn:
            ids = list((await conn.execute(due)).scalars())
            if not ids:
                return []
            await conn.execute(
                outbox.update()
                .where(outbox.c.id.in_(ids))
                .values(status="sending", claimed_at=now, attempts=outbox.c.attempts + 1)
            )
            rows = await conn.execute(
                _job_query()
                .where(outbox.c.id.in_(ids))
                .order_by(outbox.c.next_attempt_at, outbox.c.id)
            )
            return [_job(row) for row in rows.mappings()]

    async def mark_sent(self, outbox_id: int, *, message_id: str | None, now: datetime) -> None:
        """Record a delivered alert and the platform's message id."""
        async with self._write() as conn:
            await conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id)
                .values(status="sent", sent_at=now, message_id=message_id, last_error=None)
            )

    async def mark_retry(self, outbox_id: int, *, error: str, next_attempt_at: datetime) -> None:
        """Put a claimed alert back to pending for a later attempt (not if it was dropped)."""
        async with self._write() as conn:
            await conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id, outbox.c.status == "sending")
                .values(status="pending", next_attempt_at=next_attempt_at, last_error=clip(error))
            )

    async def mark_failed(self, outbox_id: int, *, error: str, now: datetime) -> None:
        """Give up on an alert (the chat is gone, or the attempts are used up)."""
        async with self._write() as conn:
            await conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id, outbox.c.status.in_(IN_FLIGHT))
                # claimed_at doubles as "last handled": expiry counts a failed row's age from it.
                .values(status="failed", last_error=clip(error), claimed_at=now)
            )

    async def requeue_in_flight(self) -> int:
        """At start: alerts left `sending` by a crash go back to pending; returns how many."""
        async with self._write() as conn:
            result = await conn.execute(
                outbox.update().where(outbox.c.status == "sending").values(status="pending")
            )
        return int(result.rowcount)

    async def outbox_depth(self) -> int:
        """Alerts not yet delivered: pending and sending."""
        query = sa.select(sa.func.count()).where(outbox.c.status.in_(IN_FLIGHT))
        async with self._read() as conn:
            return int(await conn.scalar(query) or 0)

    async def next_outbox_due_at(self) -> datetime | None:
        """When the next pending alert is due (None: nothing pending)."""
        query = sa.select(sa.func.min(outbox.c.next_attempt_at)).where(outbox.c.status == "pending")
        async with self._read() as conn:
            value: datetime | None = await conn.scalar(query)
        return value

    async def chats_alerted_from(self, source_id: int) -> list[ChatAddress]:
        """The chats (with their language) that active subscriptions got alerts in from this
        source: the ones to tell when the source stops working."""
        query = (
            sa.select(
                subscriptions.c.platform,
                subscriptions.c.chat_id,
                subscriptions.c.thread_id,
                sa.func.coalesce(subscriptions.c.language, chats.c.language).label("language"),
            )
            .distinct()
            .join(outbox, outbox.c.subscription_id == subscriptions.c.id)
            .join(items, items.c.id == outbox.c.item_id)
            .outerjoin(
                chats,
                sa.and_(
                    chats.c.platform == subscriptions.c.platform,
                    chats.c.chat_id == subscriptions.c.chat_id,
                ),
            )
            .where(items.c.source_id == source_id, subscriptions.c.active.is_(True))
            .order_by(subscriptions.c.platform, subscriptions.c.chat_id)
        )
        async with self._read() as conn:
            rows = await conn.execute(query)
            found: dict[tuple[str, str, str | None], ChatAddress] = {}
            for row in rows:
                address = ChatAddress(
                    row.platform, row.chat_id, row.thread_id or None, row.language
                )
                found.setdefault((address.platform, address.chat_id, address.thread_id), address)
            return list(found.values())

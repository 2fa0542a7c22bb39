"""The outbox: claiming alerts to send and recording how sending went."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.model import OtherReport, Target
from bot.store._base import StoreBase, clip
from bot.store.records import OutboxJob, Recipient
from bot.store.tables import chats, items, outbox, outbox_also, sources, subscriptions

IN_FLIGHT = ("pending", "sending")
# A chat's rows claimed at once, at most: one busy chat cannot fill a whole claim.
PER_CHAT = 10


def _job_query() -> sa.Select[Any]:
    return (
        sa.select(
            outbox.c.id.label("outbox_id"),
            outbox.c.attempts,
            outbox.c.subscription_id,
            outbox.c.story_id,
            outbox.c.item_id,
            outbox.c.matched,
            outbox.c.message_id,
            outbox.c.revision,
            outbox.c.shown_revision,
            subscriptions.c.platform,
            subscriptions.c.chat_id,
            subscriptions.c.thread_id,
            subscriptions.c.query,
            sa.func.coalesce(subscriptions.c.language, chats.c.language).label("language"),
            items.c.title,
            items.c.link,
            items.c.body,
            items.c.language.label("item_language"),
            items.c.published,
            sources.c.name.label("source_name"),
            items.c.first_seen_at,
            # Local time (issue 12): the chat's zone travels with the job like its language.
            chats.c.timezone,
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


def _job(row: Mapping[str, Any], also: tuple[OtherReport, ...]) -> OutboxJob:
    values = dict(row)
    values["thread_id"] = values["thread_id"] or None
    values["matched"] = tuple(json.loads(values["matched"]))
    return OutboxJob(**values, also=also)


def _claimable(now: datetime) -> sa.Select[Any]:
    """Due pending rows that head their chat's queue: no earlier row of the chat is being
    sent or waiting out a retry. So a chat's alerts and edits go out in the order queued,
    across retries and restarts, while other chats go on."""
    earlier = outbox.alias("earlier")
    blocked = sa.exists().where(
        earlier.c.chat_key == outbox.c.chat_key,
        sa.or_(
            earlier.c.queued_at < outbox.c.queued_at,
            sa.and_(earlier.c.queued_at == outbox.c.queued_at, earlier.c.id < outbox.c.id),
        ),
        sa.or_(
            earlier.c.status == "sending",
            sa.and_(earlier.c.status == "pending", earlier.c.next_attempt_at > now),
        ),
    )
    rank = (
        sa.func.row_number()
        .over(partition_by=outbox.c.chat_key, order_by=(outbox.c.queued_at, outbox.c.id))
        .label("rank")
    )
    return sa.select(outbox.c.id, outbox.c.queued_at, rank).where(
        outbox.c.status == "pending", outbox.c.next_attempt_at <= now, ~blocked
    )


async def _also(conn: AsyncConnection, ids: list[int]) -> dict[int, tuple[OtherReport, ...]]:
    query = (
        sa.select(outbox_also.c.outbox_id, sources.c.name, items.c.title, items.c.link)
        .join(items, items.c.id == outbox_also.c.item_id)
        .join(sources, sources.c.id == items.c.source_id)
        .where(outbox_also.c.outbox_id.in_(ids))
        .order_by(outbox_also.c.outbox_id, outbox_also.c.position)
    )
    found: dict[int, list[OtherReport]] = {}
    for row in await conn.execute(query):
        found.setdefault(row.outbox_id, []).append(OtherReport(row.name, row.title, row.link))
    return {outbox_id: tuple(reports) for outbox_id, reports in found.items()}


class OutboxMixin(StoreBase):
    """Methods for the `outbox` table."""

    async def claim_outbox(self, *, now: datetime, limit: int) -> list[OutboxJob]:
        """Take due alerts and edits that head their chats' queues, each chat's in the order
        queued: they become `sending` with one more attempt."""
        candidates = _claimable(now).subquery()
        due = (
            sa.select(candidates.c.id)
            .where(candidates.c.rank <= PER_CHAT)
            .order_by(candidates.c.queued_at, candidates.c.id)
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
            also = await _also(conn, ids)
            rows = await conn.execute(
                _job_query().where(outbox.c.id.in_(ids)).order_by(outbox.c.queued_at, outbox.c.id)
            )
            return [_job(row, also.get(row.outbox_id, ())) for row in rows.mappings()]

    async def mark_sent(
        self, outbox_id: int, *, message_id: str | None, now: datetime, revision: int = 0
    ) -> None:
        """Record a delivered alert or edit showing `revision` other reports, and the
        platform's message id. Reports added while it was in flight make it due again."""
        behind = outbox.c.revision > revision
        async with self._write() as conn:
            await conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id)
                .values(
                    status=sa.case((behind, "pending"), else_="sent"),
                    sent_at=sa.func.coalesce(outbox.c.sent_at, now),
                    message_id=sa.func.coalesce(message_id, outbox.c.message_id),
                    shown_revision=revision,
                    queued_at=sa.case((behind, now), else_=outbox.c.queued_at),
                    next_attempt_at=sa.case((behind, now), else_=outbox.c.next_attempt_at),
                    attempts=sa.case((behind, 0), else_=outbox.c.attempts),
                    last_error=None,
                )
            )

    async def mark_edit_refused(self, outbox_id: int, *, error: str, now: datetime) -> None:
        """The platform will not edit the message (deleted, or too old): it stays as it was
        sent, and later reports of its story are not edited in (nor sent anew)."""
        async with self._write() as conn:
            await conn.execute(
                outbox.update()
                .where(outbox.c.id == outbox_id)
                .values(
                    status="sent",
                    editable=False,
                    shown_revision=outbox.c.revision,
                    claimed_at=now,
                    last_error=clip(error),
                )
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

    async def chats_alerted_from(self, source_id: int) -> list[Recipient]:
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
            found: dict[Target, Recipient] = {}
            for row in rows:
                target = Target.of(row.platform, row.chat_id, row.thread_id or None)
                found.setdefault(target, Recipient(target, row.language))
            return list(found.values())

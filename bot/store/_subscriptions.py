"""Subscriptions and chats: adding, syncing the operator's, pausing, chat migration."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import EllipsisType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store._base import (
    StoreBase,
    StoreIntegrityError,
    chat_key,
    insert_ignore,
    subscription_record,
)
from bot.store.errors import DuplicateSubscriptionError
from bot.store.records import OperatorSubscriptionSpec, SubscriptionRecord, SyncReport
from bot.store.tables import chats, outbox, subscriptions

REMOVED_FROM_CONFIG = "removed from config"
MERGED_ON_MIGRATION = "merged on chat migration"

# Subscription key: (platform, chat_id, thread_id or '', query).
_Key = tuple[str, str, str, str]


def normalize_query(query: str) -> str:
    """The query as stored and compared: outer and repeated whitespace removed."""
    return " ".join(query.split())


def subscription_label(platform: str, chat_id: str, thread_id: str | None, query: str) -> str:
    """How a sync report names a subscription: `target query`."""
    target = f"{platform}:{chat_id}" if chat_id else platform
    if thread_id:
        target += f"#{thread_id}"
    return f"{target} {query}"


def _key(record: SubscriptionRecord) -> _Key:
    return (record.platform, record.chat_id, record.thread_id or "", record.query)


class SubscriptionsMixin(StoreBase):
    """Methods for the `subscriptions` and `chats` tables."""

    async def add_subscription(
        self,
        *,
        platform: str,
        chat_id: str,
        thread_id: str | None,
        query: str,
        language: str | None,
        created_by: str | None,
        operator: bool = False,
        now: datetime,
    ) -> SubscriptionRecord:
        """Subscribe a chat (thread) to a query; DuplicateSubscriptionError if it is already."""
        key: _Key = (platform, chat_id, thread_id or "", normalize_query(query))
        try:
            async with self._write() as conn:
                existing = await _active_by_key(conn, key)
                if existing is not None:
                    raise DuplicateSubscriptionError(existing)
                return await _insert_subscription(conn, key, language, created_by, operator, now)
        except StoreIntegrityError as exc:
            # Another writer added the same query between our check and our insert.
            async with self._read() as conn:
                existing = await _active_by_key(conn, key)
            if existing is None:
                raise
            raise DuplicateSubscriptionError(existing) from exc

    async def sync_operator_subscriptions(
        self, specs: Sequence[OperatorSubscriptionSpec], *, now: datetime
    ) -> SyncReport:
        """Make the operator's subscriptions match the config file (reported as `target query`)."""
        added: list[str] = []
        updated: list[str] = []
        async with self._write() as conn:
            active = {_key(r): r for r in await _select(conn, subscriptions.c.active.is_(True))}
            listed: set[_Key] = set()
            for spec in specs:
                key: _Key = (
                    spec.platform,
                    spec.chat_id,
                    spec.thread_id or "",
                    normalize_query(spec.query),
                )
                listed.add(key)
                label = subscription_label(*key)
                record = active.get(key)
                if record is None:
                    await _insert_subscription(conn, key, spec.language, None, True, now)
                    added.append(label)
                elif changes := _operator_changes(record, spec.language):
                    await conn.execute(
                        subscriptions.update()
                        .where(subscriptions.c.id == record.id)
                        .values(changes)
                    )
                    updated.append(label)
            gone = [r for k, r in active.items() if r.operator and k not in listed]
            await _deactivate(conn, [r.id for r in gone], REMOVED_FROM_CONFIG, now)
        removed = tuple(subscription_label(*_key(r)) for r in gone)
        return SyncReport(tuple(added), tuple(updated), removed)

    async def list_subscriptions(
        self,
        *,
        platform: str | None = None,
        chat_id: str | None = None,
        thread_id: str | EllipsisType | None = ...,
        active_only: bool = True,
    ) -> list[SubscriptionRecord]:
        """Subscriptions by id; `thread_id=None` means outside any thread, `...` any thread."""
        where: list[sa.ColumnElement[bool]] = []
        if platform is not None:
            where.append(subscriptions.c.platform == platform)
        if chat_id is not None:
            where.append(subscriptions.c.chat_id == chat_id)
        if not isinstance(thread_id, EllipsisType):
            where.append(subscriptions.c.thread_id == (thread_id or ""))
        if active_only:
            where.append(subscriptions.c.active.is_(True))
        async with self._read() as conn:
            return await _select(conn, sa.and_(sa.true(), *where))

    async def active_subscriptions(self) -> list[SubscriptionRecord]:
        """Every active subscription, paused ones included (ingest skips those)."""
        return await self.list_subscriptions(active_only=True)

    async def count_subscriptions(self, platform: str, chat_id: str) -> int:
        """Active subscriptions of a chat, all threads together (for the per-chat limit)."""
        query = sa.select(sa.func.count()).where(
            subscriptions.c.platform == platform,
            subscriptions.c.chat_id == chat_id,
            subscriptions.c.active.is_(True),
        )
        async with self._read() as conn:
            return int(await conn.scalar(query) or 0)

    async def deactivate_subscription(
        self, subscription_id: int, *, reason: str, now: datetime
    ) -> None:
        """End a subscription; its alerts not yet sent are dropped."""
        async with self._write() as conn:
            await _deactivate(conn, [subscription_id], reason, now)

    async def deactivate_chat(
        self, platform: str, chat_id: str, *, reason: str, now: datetime
    ) -> list[int]:
        """End every active subscription of a chat (the bot left it); returns their ids."""
        where = sa.and_(
            subscriptions.c.platform == platform,
            subscriptions.c.chat_id == chat_id,
            subscriptions.c.active.is_(True),
        )
        async with self._write() as conn:
            ids = list((await conn.execute(sa.select(subscriptions.c.id).where(where))).scalars())
            await _deactivate(conn, ids, reason, now)
        return sorted(ids)

    async def set_paused(self, subscription_ids: Sequence[int], paused: bool) -> None:
        """Pause or resume subscriptions; pausing drops their pending alerts (no flood later)."""
        ids = list(subscription_ids)
        if not ids:
            return
        async with self._write() as conn:
            await conn.execute(
                subscriptions.update().where(subscriptions.c.id.in_(ids)).values(paused=paused)
            )
            if paused:
                await _drop_outbox(conn, ids, ("pending",))

    async def migrate_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        """Move a chat's subscriptions and settings to its new id; returns active ones moved."""
        async with self._write() as conn:
            moving = await _select(
                conn,
                sa.and_(
                    subscriptions.c.platform == platform,
                    subscriptions.c.chat_id == old_chat_id,
                    subscriptions.c.active.is_(True),
                ),
            )
            clashes = await _clashes(conn, platform, new_chat_id, moving)
            await conn.execute(
                subscriptions.update()
                .where(subscriptions.c.id.in_(clashes))
                .values(active=False, deactivated_reason=MERGED_ON_MIGRATION)
            )
            await _drop_outbox(conn, clashes, ("pending", "sending"))
            await conn.execute(
                subscriptions.update()
                .where(subscriptions.c.platform == platform, subscriptions.c.chat_id == old_chat_id)
                .values(chat_id=new_chat_id)
            )
            await _move_chat_row(conn, platform, old_chat_id, new_chat_id)
            await conn.execute(
                outbox.update()
                .where(outbox.c.chat_key == chat_key(platform, old_chat_id))
                .values(chat_key=chat_key(platform, new_chat_id))
            )
        return len(moving) - len(clashes)

    async def get_chat_language(self, platform: str, chat_id: str) -> str | None:
        """The language a chat chose with /language (None: not chosen)."""
        query = sa.select(chats.c.language).where(
            chats.c.platform == platform, chats.c.chat_id == chat_id
        )
        async with self._read() as conn:
            language: str | None = await conn.scalar(query)
        return language

    async def set_chat_language(
        self, platform: str, chat_id: str, language: str, *, now: datetime
    ) -> None:
        """Record a chat's language (the chat row is created if needed)."""
        async with self._write() as conn:
            await update_chat(conn, platform, chat_id, {"language": language}, now)

    async def get_chat_grouping(self, platform: str, chat_id: str) -> bool:
        """Whether later reports of a story edit the chat's message (the default) or come
        as messages of their own (`/group off`)."""
        query = sa.select(chats.c.grouping).where(
            chats.c.platform == platform, chats.c.chat_id == chat_id
        )
        async with self._read() as conn:
            grouping: bool | None = await conn.scalar(query)
        return True if grouping is None else bool(grouping)

    async def set_chat_grouping(
        self, platform: str, chat_id: str, grouping: bool, *, now: datetime
    ) -> None:
        """Record `/group on|off` (the chat row is created if needed)."""
        async with self._write() as conn:
            await _ensure_chat(conn, platform, chat_id, now)
            await conn.execute(
                chats.update()
                .where(chats.c.platform == platform, chats.c.chat_id == chat_id)
                .values(grouping=grouping)
            )


def _operator_changes(record: SubscriptionRecord, language: str | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if not record.operator:
        # A user's identical subscription becomes the operator's: users can no longer remove it.
        changes["operator"] = True
    if record.language != language:
        changes["language"] = language
    return changes


async def _select(conn: AsyncConnection, where: sa.ColumnElement[bool]) -> list[SubscriptionRecord]:
    rows = await conn.execute(subscriptions.select().where(where).order_by(subscriptions.c.id))
    return [subscription_record(row) for row in rows.mappings()]


async def _active_by_key(conn: AsyncConnection, key: _Key) -> SubscriptionRecord | None:
    platform, chat_id, thread_id, query = key
    found = await _select(
        conn,
        sa.and_(
            subscriptions.c.platform == platform,
            subscriptions.c.chat_id == chat_id,
            subscriptions.c.thread_id == thread_id,
            subscriptions.c.query == query,
            subscriptions.c.active.is_(True),
        ),
    )
    return found[0] if found else None


async def _insert_subscription(
    conn: AsyncConnection,
    key: _Key,
    language: str | None,
    created_by: str | None,
    operator: bool,
    now: datetime,
) -> SubscriptionRecord:
    platform, chat_id, thread_id, query = key
    await _ensure_chat(conn, platform, chat_id, now)
    values = {
        "platform": platform,
        "chat_id": chat_id,
        "thread_id": thread_id,
        "query": query,
        "language": language,
        "paused": False,
        "operator": operator,
        "created_by": created_by,
        "created_at": now,
        "active": True,
    }
    statement = subscriptions.insert().values(values).returning(subscriptions.c.id)
    found = await _select(conn, subscriptions.c.id == (await conn.execute(statement)).scalar_one())
    return found[0]


async def update_chat(
    conn: AsyncConnection, platform: str, chat_id: str, values: dict[str, object], now: datetime
) -> None:
    """Set columns of a chat's row, creating the row first if the chat has none yet."""
    await _ensure_chat(conn, platform, chat_id, now)
    await conn.execute(
        chats.update()
        .where(chats.c.platform == platform, chats.c.chat_id == chat_id)
        .values(**values)
    )


async def _ensure_chat(conn: AsyncConnection, platform: str, chat_id: str, now: datetime) -> None:
    statement = (
        insert_ignore(conn, chats)
        .values(platform=platform, chat_id=chat_id, language=None, created_at=now)
        .on_conflict_do_nothing(index_elements=["platform", "chat_id"])
    )
    await conn.execute(statement)


async def _deactivate(
    conn: AsyncConnection, subscription_ids: Sequence[int], reason: str, now: datetime
) -> None:
    if not subscription_ids:
        return
    await conn.execute(
        subscriptions.update()
        .where(subscriptions.c.id.in_(subscription_ids), subscriptions.c.active.is_(True))
        .values(active=False, deactivated_reason=reason, deactivated_at=now)
    )
    await _drop_outbox(conn, subscription_ids, ("pending", "sending"))


async def _drop_outbox(
    conn: AsyncConnection, subscription_ids: Sequence[int], statuses: Sequence[str]
) -> None:
    if not subscription_ids:
        return
    await conn.execute(
        outbox.update()
        .where(outbox.c.subscription_id.in_(subscription_ids), outbox.c.status.in_(statuses))
        .values(status="dropped")
    )


async def _clashes(
    conn: AsyncConnection, platform: str, new_chat_id: str, moving: Sequence[SubscriptionRecord]
) -> list[int]:
    # The new chat may already hold the same query (re-added after the migration).
    there = await _select(
        conn,
        sa.and_(
            subscriptions.c.platform == platform,
            subscriptions.c.chat_id == new_chat_id,
            subscriptions.c.active.is_(True),
        ),
    )
    taken = {(r.thread_id or "", r.query) for r in there}
    return [r.id for r in moving if (r.thread_id or "", r.query) in taken]


async def _move_chat_row(conn: AsyncConnection, platform: str, old: str, new: str) -> None:
    def where(chat_id: str) -> sa.ColumnElement[bool]:
        return sa.and_(chats.c.platform == platform, chats.c.chat_id == chat_id)

    old_language = await conn.scalar(sa.select(chats.c.language).where(where(old)))
    exists = await conn.scalar(sa.select(sa.func.count()).where(where(new)))
    if not exists:
        await conn.execute(chats.update().where(where(old)).values(chat_id=new))
        return
    if old_language is not None:
        await conn.execute(
            chats.update()
            .where(where(new), chats.c.language.is_(None))
            .values(language=old_language)
        )
    await conn.execute(chats.delete().where(where(old)))

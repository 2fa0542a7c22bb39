"""Sources: config sync, chat-added sources and polling bookkeeping."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.store._base import StoreBase, clip, source_record
from bot.store.errors import DuplicateSourceError, UnknownSourceError
from bot.store.records import Origin, SourceRecord, SourceSpec, SyncReport
from bot.store.tables import sources

_SPEC_FIELDS = ("name", "interval", "language", "full_text", "backfill")


def spec_changes(record: SourceRecord, spec: SourceSpec) -> dict[str, Any]:
    """The columns whose value differs between a stored source and its spec."""
    return {
        field: getattr(spec, field)
        for field in _SPEC_FIELDS
        if getattr(record, field) != getattr(spec, field)
    }


def _fresh_values(
    spec: SourceSpec, origin: Origin, added_by: str | None, now: datetime
) -> dict[str, Any]:
    # A (re)added source polls at once and takes a new baseline: what it published while
    # unwatched is history, not news (its `backfill` newest items excepted).
    return {
        **{field: getattr(spec, field) for field in _SPEC_FIELDS},
        "origin": origin,
        "added_by": added_by,
        "url": spec.url,
        "etag": None,
        "last_modified": None,
        "next_poll_at": now,
        "consecutive_failures": 0,
        "last_error": None,
        "paused_at": None,
        "paused_reason": None,
        "baselined": False,
        "active": True,
    }


class SourcesMixin(StoreBase):
    """Methods for the `sources` table."""

    async def sync_config_sources(
        self, specs: Sequence[SourceSpec], *, now: datetime
    ) -> SyncReport:
        """Make the config-file sources match `specs`; chat-added sources stay as they are."""
        added: list[str] = []
        updated: list[str] = []
        async with self._write() as conn:
            stored = {r.listed_url: r for r in await _select_sources(conn, sa.true())}
            for spec in specs:
                record = stored.get(spec.url)
                if record is None:
                    await _insert_source(conn, _fresh_values(spec, "config", None, now), spec, now)
                    added.append(spec.url)
                elif not record.active:
                    await _update_source(conn, record.id, _fresh_values(spec, "config", None, now))
                    added.append(spec.url)
                elif changes := spec_changes(record, spec) | _take_over(record):
                    await _update_source(conn, record.id, changes)
                    updated.append(spec.url)
            listed = {spec.url for spec in specs}
            removed = [
                r.listed_url
                for r in stored.values()
                if r.active and r.origin == "config" and r.listed_url not in listed
            ]
            await conn.execute(
                sources.update().where(sources.c.listed_url.in_(removed)).values(active=False)
            )
        return SyncReport(tuple(added), tuple(updated), tuple(removed))

    async def add_source(self, spec: SourceSpec, *, added_by: str, now: datetime) -> SourceRecord:
        """Add a chat user's source (or re-activate it); raises DuplicateSourceError if active."""
        async with self._write() as conn:
            where = sa.or_(sources.c.listed_url == spec.url, sources.c.url == spec.url)
            found = await _select_sources(conn, where)
            active = [r for r in found if r.active]
            if active:
                raise DuplicateSourceError(active[0])
            values = _fresh_values(spec, "chat", added_by, now)
            exact = [r for r in found if r.listed_url == spec.url]
            if exact:
                await _update_source(conn, exact[0].id, values)
                source_id = exact[0].id
            else:
                source_id = await _insert_source(conn, values, spec, now)
            return await _get_source(conn, source_id)

    async def remove_source(self, source_id: int) -> SourceRecord | None:
        """Deactivate a source (its items stay for history); None if no active source has the id."""
        async with self._write() as conn:
            result = await conn.execute(
                sources.update()
                .where(sources.c.id == source_id, sources.c.active.is_(True))
                .values(active=False)
            )
            if result.rowcount == 0:
                return None
            return await _get_source(conn, source_id)

    async def get_source(self, source_id: int) -> SourceRecord | None:
        """One source by id, active or not."""
        async with self._read() as conn:
            found = await _select_sources(conn, sources.c.id == source_id)
        return found[0] if found else None

    async def list_sources(self, *, active_only: bool = True) -> list[SourceRecord]:
        """Sources by id; inactive ones too unless `active_only`."""
        where = sources.c.active.is_(True) if active_only else sa.true()
        async with self._read() as conn:
            return await _select_sources(conn, where)

    async def due_sources(self, now: datetime, *, limit: int) -> list[SourceRecord]:
        """Active, unpaused sources whose next poll is due, the longest-waiting first."""
        query = (
            sources.select()
            .where(_pollable(), sources.c.next_poll_at <= now)
            .order_by(sources.c.next_poll_at, sources.c.id)
            .limit(limit)
        )
        async with self._read() as conn:
            return [source_record(row) for row in (await conn.execute(query)).mappings()]

    async def next_due_at(self, *, excluding: Collection[int] = ()) -> datetime | None:
        """When the next poll of an active, unpaused source is due (None: no such source).

        `excluding` names sources being polled right now: they are due until their poll
        is recorded, and counting them would make the poller wake up in a busy loop.
        """
        query = sa.select(sa.func.min(sources.c.next_poll_at)).where(_pollable())
        if excluding:
            query = query.where(sources.c.id.not_in(list(excluding)))
        async with self._read() as conn:
            value: datetime | None = await conn.scalar(query)
        return value

    async def record_poll_success(
        self,
        source_id: int,
        *,
        now: datetime,
        next_poll_at: datetime,
        etag: str | None,
        last_modified: str | None,
        new_url: str | None = None,
    ) -> None:
        """Note a successful poll: validators for the next one, failures reset, a moved URL."""
        values: dict[str, Any] = {
            "last_polled_at": now,
            "last_success_at": now,
            "next_poll_at": next_poll_at,
            "etag": etag,
            "last_modified": last_modified,
            "consecutive_failures": 0,
            "last_error": None,
        }
        if new_url is not None:
            values["url"] = new_url
        async with self._write() as conn:
            await _update_source(conn, source_id, values)

    async def record_poll_failure(
        self,
        source_id: int,
        *,
        now: datetime,
        error: str,
        next_poll_at: datetime,
        pause: bool = False,
    ) -> SourceRecord:
        """Note a failed poll (one more consecutive failure); `pause` stops polling it."""
        values: dict[str, Any] = {
            "last_polled_at": now,
            "next_poll_at": next_poll_at,
            "consecutive_failures": sources.c.consecutive_failures + 1,
            "last_error": clip(error),
        }
        if pause:
            values |= {"paused_at": now, "paused_reason": clip(error)}
        async with self._write() as conn:
            await _update_source(conn, source_id, values)
            return await _get_source(conn, source_id)

    async def resume_source(self, source_id: int, *, now: datetime) -> None:
        """Unpause a source and poll it at once, with a clean failure count."""
        values = {
            "paused_at": None,
            "paused_reason": None,
            "consecutive_failures": 0,
            "next_poll_at": now,
        }
        async with self._write() as conn:
            await _update_source(conn, source_id, values)


def _pollable() -> sa.ColumnElement[bool]:
    return sa.and_(sources.c.active.is_(True), sources.c.paused_at.is_(None))


def _take_over(record: SourceRecord) -> dict[str, Any]:
    # The operator listing a chat-added URL makes it theirs: it is no longer a chat's to remove.
    return {"origin": "config", "added_by": None} if record.origin != "config" else {}


async def _select_sources(
    conn: AsyncConnection, where: sa.ColumnElement[bool]
) -> list[SourceRecord]:
    rows = await conn.execute(sources.select().where(where).order_by(sources.c.id))
    return [source_record(row) for row in rows.mappings()]


async def _get_source(conn: AsyncConnection, source_id: int) -> SourceRecord:
    found = await _select_sources(conn, sources.c.id == source_id)
    if not found:
        raise UnknownSourceError(f"no source has id {source_id}")
    return found[0]


async def _insert_source(
    conn: AsyncConnection, values: dict[str, Any], spec: SourceSpec, now: datetime
) -> int:
    row = {**values, "listed_url": spec.url, "created_at": now}
    source_id: int = (
        await conn.execute(sources.insert().values(row).returning(sources.c.id))
    ).scalar_one()
    return source_id


async def _update_source(conn: AsyncConnection, source_id: int, values: dict[str, Any]) -> None:
    result = await conn.execute(sources.update().where(sources.c.id == source_id).values(values))
    if result.rowcount == 0:
        raise UnknownSourceError(f"no source has id {source_id}")

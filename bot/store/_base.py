"""What every part of the store shares: the engine, transactions, row conversion."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError, SQLAlchemyError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.sql.schema import Table

from bot.store._engine import READ_ONLY_OPTION
from bot.store.errors import StoreError
from bot.store.records import SourceRecord, SubscriptionRecord

# A chat or source error message is kept for /status, not as a log: cap what we store.
MAX_ERROR_CHARS = 1000


class StoreIntegrityError(StoreError):
    """A write broke a unique or foreign-key rule (the methods turn it into a clearer error)."""


def describe(exc: SQLAlchemyError) -> str:
    """A one-line reason without the statement's parameters (they can be whole articles)."""
    orig = getattr(exc, "orig", None)
    if orig is not None:
        return f"{type(orig).__name__}: {orig}"
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


def clip(text: str | None, limit: int = MAX_ERROR_CHARS) -> str | None:
    """Cut a long text to `limit` characters (None stays None)."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


def insert_ignore(connection: AsyncConnection, table: Table) -> Any:
    """The dialect's INSERT that supports ON CONFLICT DO NOTHING (SQLite or PostgreSQL)."""
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise StoreError(f"insert-or-ignore is not implemented for {connection.dialect.name}")


def chat_key(platform: str, chat_id: str) -> str:
    """The outbox's per-chat queue key: a chat's rows go out one after another, in order."""
    return f"{platform}:{chat_id}"


def source_record(row: RowMapping) -> SourceRecord:
    """A `sources` row as a record."""
    return SourceRecord(**row)


def subscription_record(row: RowMapping) -> SubscriptionRecord:
    """A `subscriptions` row as a record ('' thread means none)."""
    values = dict(row)
    values["thread_id"] = values["thread_id"] or None
    return SubscriptionRecord(**values)


@dataclass(slots=True)
class WriteHealth:
    """When the store's writes last went through and last failed (monotonic seconds).

    Integrity errors (a duplicate) are answers, not failures; a full disk, a lost volume or
    a lock that never clears are failures, and the health check reports them.
    """

    last_success: float | None = None
    last_failure: float | None = None
    last_error: str | None = None

    def succeeded(self) -> None:
        """A write transaction committed."""
        self.last_success = time.monotonic()

    def failed(self, error: str) -> None:
        """A write transaction failed for a reason other than a broken unique rule."""
        self.last_failure = time.monotonic()
        self.last_error = error


class StoreBase:
    """Holds the engine and opens short transactions on it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._reader = engine.execution_options(**{READ_ONLY_OPTION: True})
        # Serialises ingest writes and expiry: they alone add and delete items and stories.
        self._ingest_lock = asyncio.Lock()
        # Counts expiries that deleted stories: a story index built before is stale.
        self.stories_deleted = 0
        self.writes = WriteHealth()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """One write transaction: commits on success, rolls back on any error."""
        try:
            async with self._engine.begin() as connection:
                yield connection
        except SQLAlchemyError as exc:
            error = _translate(exc)
            if not isinstance(error, StoreIntegrityError):
                self.writes.failed(str(error))
            raise error from exc
        self.writes.succeeded()

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        """One read-only transaction (SQLite: no write lock)."""
        try:
            async with self._reader.connect() as connection:
                yield connection
        except SQLAlchemyError as exc:
            raise _translate(exc) from exc


def _translate(exc: SQLAlchemyError) -> StoreError:
    # Our own type decorator raises StoreErrors; SQLAlchemy wraps them in StatementError.
    if isinstance(exc, StatementError) and isinstance(exc.orig, StoreError):
        return exc.orig
    if isinstance(exc, IntegrityError):
        return StoreIntegrityError(describe(exc))
    return StoreError(f"database error: {describe(exc)}")

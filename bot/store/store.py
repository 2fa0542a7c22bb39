"""`Store`: the one object the rest of the app uses for everything persisted."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store._base import describe
from bot.store._engine import create_engine, current_revision, upgrade_to_head
from bot.store._ingest import IngestMixin
from bot.store._maintenance import MaintenanceMixin
from bot.store._outbox import OutboxMixin
from bot.store._preferences import PreferencesMixin
from bot.store._sources import SourcesMixin
from bot.store._subscriptions import SubscriptionsMixin
from bot.store._translations import TranslationsMixin
from bot.store.errors import StoreError


class Store(
    SourcesMixin,
    IngestMixin,
    SubscriptionsMixin,
    OutboxMixin,
    MaintenanceMixin,
    PreferencesMixin,
    TranslationsMixin,
):
    """The bot's database: sources, items and stories, subscriptions, chats and the outbox.

    Every method is one short transaction; none is held across network I/O.
    """

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect (creating a SQLite file's directories) and migrate the schema to head."""
        engine = await create_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(upgrade_to_head)
        except SQLAlchemyError as exc:
            await engine.dispose()
            raise StoreError(f"cannot open the database: {describe(exc)}") from exc
        except BaseException:
            await engine.dispose()
            raise
        return cls(engine)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._engine.dispose()

    async def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        async with self._engine.connect() as conn:
            return await conn.run_sync(current_revision)

    @property
    def engine(self) -> AsyncEngine:
        """The engine, for tests and benchmarks; the app calls methods, never SQL."""
        return self._engine

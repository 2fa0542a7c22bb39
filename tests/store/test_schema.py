"""Opening the store: migrations, connection settings, schema and time handling."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.ingest import ProcessedEntry
from bot.model import Article
from bot.store import NaiveDatetimeError, SourceSpec, Store, StoreError
from bot.store._engine import READ_ONLY_OPTION, head_revision
from bot.store.tables import metadata
from tests.fakes.ingest import ingest

EntryFactory = Callable[..., ProcessedEntry]
TABLES = {
    "alembic_version",
    "sources",
    "stories",
    "items",
    "chats",
    "subscriptions",
    "outbox",
    "outbox_also",
    "translations",
}
HEAD = "r0003"


def _table_names(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def _schema_diff(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), metadata))


async def test_open_creates_directories_and_migrates_to_head(db_url: str, tmp_path: Path) -> None:
    """A new file (in a new directory) gets every table, and Alembic records the head revision."""
    store = await Store.open(db_url)
    try:
        assert (tmp_path / "data" / "newsbot.db").is_file()
        async with store.engine.connect() as conn:
            assert await conn.run_sync(_table_names) == TABLES
        assert await store.schema_revision() == head_revision() == HEAD
    finally:
        await store.close()


async def test_reopen_is_idempotent_and_keeps_data(db_url: str, now: datetime) -> None:
    """Opening an up-to-date file again migrates nothing and loses nothing."""
    first = await Store.open(db_url)
    await first.sync_config_sources([SourceSpec("golem", "https://rss.golem.de/rss.php")], now=now)
    await first.close()
    second = await Store.open(db_url)
    try:
        assert [s.name for s in await second.list_sources()] == ["golem"]
        assert await second.schema_revision() == HEAD
    finally:
        await second.close()


async def test_migrations_match_the_tables_the_queries_use(store: Store) -> None:
    """The migrated schema and `tables.py` agree: columns, types, indexes, constraints."""
    async with store.engine.connect() as conn:
        assert await conn.run_sync(_schema_diff) == []


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("foreign_keys", 1), ("busy_timeout", 5000)],
    ids=["wal", "foreign-keys", "busy-timeout"],
)
async def test_every_connection_gets_the_pragmas(
    store: Store, pragma: str, expected: object
) -> None:
    """WAL, foreign keys and the busy timeout are set on each new pooled connection."""
    # Read-only connections, so that the two can be open at once (writers take the lock).
    reader = store.engine.execution_options(**{READ_ONLY_OPTION: True})
    async with reader.connect() as first, reader.connect() as second:
        for conn in (first, second):
            assert await conn.scalar(sa.text(f"PRAGMA {pragma}")) == expected


async def test_foreign_keys_are_enforced(store: Store) -> None:
    """An item pointing at a source that does not exist is refused."""
    insert = sa.text(
        "INSERT INTO items (source_id, guid, link, title, body, first_seen_at, last_seen_at,"
        " story_id) VALUES (99, 'g', 'l', 't', 's', '2026-05-09', '2026-05-09', 99)"
    )
    async with store.engine.connect() as conn:
        with pytest.raises(sa.exc.IntegrityError, match="FOREIGN KEY"):
            await conn.execute(insert)


async def test_naive_datetimes_are_refused(store: Store) -> None:
    """A naive `now` raises the store's typed error, not a driver error."""
    with pytest.raises(NaiveDatetimeError):
        await store.sync_config_sources(
            [SourceSpec("golem", "https://rss.golem.de/rss.php")], now=datetime(2026, 5, 9, 8, 0)
        )


async def test_times_round_trip_as_aware_utc(store: Store, now: datetime) -> None:
    """What goes in as aware UTC comes out equal and aware."""
    await store.sync_config_sources([SourceSpec("golem", "https://rss.golem.de/rss.php")], now=now)
    (source,) = await store.list_sources()
    assert source.next_poll_at == now
    assert source.created_at.utcoffset() is not None


async def test_open_rejects_a_database_it_cannot_reach(tmp_path: Path) -> None:
    """A database that cannot be opened is a StoreError naming the cause."""
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError, match="cannot open"):
        await Store.open(f"sqlite+aiosqlite:///{tmp_path}/dir.db")


async def test_concurrent_ingests_of_one_link_share_one_story(
    store: Store,
    articles: list[Article],
    now: datetime,
    entry: EntryFactory,
    same_story: Callable[[int, int], bool],
) -> None:
    """Writers are serialised (BEGIN IMMEDIATE): parallel polls never split a story or fail busy."""
    specs = [SourceSpec(f"mirror {n}", f"https://mirror{n}.example/rss") for n in range(6)]
    await store.sync_config_sources(specs, now=now)
    sources = await store.list_sources()
    article = articles[0]
    results = await asyncio.gather(
        *(ingest(store, s.id, [entry(article, n)], now=now) for n, s in enumerate(sources))
    )
    assert sum(r.new_stories for r in results) == 1
    assert (await store.status(now=now)).stories == 1

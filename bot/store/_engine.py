"""Engine construction: URL handling, per-connection SQLite settings and migrations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.errors import StoreError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
# Execution option that marks read-only connections: they start a deferred transaction
# instead of taking SQLite's write lock up front.
READ_ONLY_OPTION = "newsbot_read_only"

# Per connection: WAL lets readers run beside the one writer; foreign keys are off by default
# in SQLite; the busy timeout makes a second writer wait instead of failing at once.
# synchronous=NORMAL is safe with WAL (a crash can lose the last commit, never corrupt).
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=NORMAL",
)


class DatabaseURLError(StoreError, ValueError):
    """NEWSBOT_DATABASE_URL is not a URL SQLAlchemy understands."""


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and in-memory ones."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


async def create_engine(url: str) -> AsyncEngine:
    """Create the engine (and the SQLite file's directories); no connection is made yet."""
    path = sqlite_file(url)
    if path is not None:
        try:
            await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the database directory {path.parent}: {exc.strerror}"
            ) from exc
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN comes late (before the first write) and never before
    # DDL; turning it off lets `_on_sqlite_begin` say exactly what a transaction is.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock at the start, so a read-then-write transaction (ingest)
    # cannot fail half-way with SQLITE_BUSY when another writer committed in between.
    read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configured in code: the packaged migrations, the given connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(connection: Connection) -> None:
    """Apply every migration not applied yet (sync; run it through `run_sync`)."""
    command.upgrade(alembic_config(connection), "head")


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at (sync; run it through `run_sync`)."""
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision shipped with the code."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()

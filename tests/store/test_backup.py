"""`newsbot backup` and `newsbot restore` on real SQLite files, through the command line."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import SourceSpec, Store
from bot.store.backup import BackupError, restore_database

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """NEWSBOT_DATABASE_URL pointing at a file that does not exist yet; no config file."""
    path = tmp_path / "data" / "newsbot.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSBOT_CONFIG", raising=False)
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    return path


async def _fill(path: Path, *, sources: int = 1, subscriptions: int = 1) -> None:
    """A migrated database with some sources and console subscriptions."""
    store = await Store.open(f"sqlite+aiosqlite:///{path}")
    try:
        specs = [SourceSpec(name=f"s{n}", url=f"https://example.com/{n}") for n in range(sources)]
        await store.sync_config_sources(specs, now=NOW)
        for number in range(subscriptions):
            await store.add_subscription(
                platform="console",
                chat_id="",
                thread_id=None,
                query=f"xiaomi{number}",
                language="en",
                created_by="test",
                now=NOW,
            )
    finally:
        await store.close()


def _backed_up(database: Path, tmp_path: Path, *, sources: int, subscriptions: int) -> Path:
    """Fill the database, then `newsbot backup` it to tmp_path/backup.db."""
    asyncio.run(_fill(database, sources=sources, subscriptions=subscriptions))
    target = tmp_path / "backup.db"
    assert main(["backup", str(target)]) == 0
    return target


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.parametrize(
    ("exists", "reason"),
    [(False, "no database at"), (True, "no sources and no subscriptions")],
    ids=["no-database", "empty-database"],
)
def test_backup_of_nothing_exits_1(
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    exists: bool,
    reason: str,
) -> None:
    """No database, or one without sources and subscriptions: exit 1 and no backup file
    (sqlite3's `.backup` on a missing path wrote an empty one and exited 0)."""
    if exists:
        asyncio.run(_fill(database, sources=0, subscriptions=0))
    target = tmp_path / "backup.db"
    assert main(["backup", str(target)]) == 1
    assert reason in capsys.readouterr().err
    assert list(tmp_path.glob("backup.db*")) == []
    assert database.exists() is exists


def test_backup_saves_and_reports_counts(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The backup is one self-contained file with the rows, and the counts are printed."""
    target = _backed_up(database, tmp_path, sources=2, subscriptions=3)
    out = capsys.readouterr().out
    assert out.startswith("saved 2 sources, 3 subscriptions, 0 items, 0 alerts in the outbox")
    assert (_count(target, "sources"), _count(target, "subscriptions")) == (2, 3)
    assert list(tmp_path.glob("backup.db*")) == [target]  # no -wal or .partial beside it


def test_restore_round_trip(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup restored over a changed database brings back exactly what was saved."""
    target = _backed_up(database, tmp_path, sources=1, subscriptions=1)
    asyncio.run(_fill(database, sources=3, subscriptions=0))  # later changes, then a mistake
    assert main(["restore", str(target)]) == 0
    assert "restored 1 sources, 1 subscriptions" in capsys.readouterr().out

    async def listed() -> list[str]:
        store = await Store.open(f"sqlite+aiosqlite:///{database}")
        try:
            return [source.name for source in await store.list_sources()]
        finally:
            await store.close()

    assert asyncio.run(listed()) == ["s0"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not a database at all, just text" * 200, "not a newsbot database"),
        (None, "no table sources"),
        ("future", "schema revision r9999"),
    ],
    ids=["text-file", "other-sqlite", "unknown-revision"],
)
def test_restore_refuses_what_is_not_a_known_newsbot_database(
    database: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes | str | None,
    reason: str,
) -> None:
    """restore checks the file first and leaves the database alone when it is not one of ours."""
    backup = tmp_path / "suspect.db"
    if isinstance(content, bytes):
        backup.write_bytes(content)
    elif content is None:
        with sqlite3.connect(backup) as connection:
            connection.execute("CREATE TABLE notes (text)")
    else:
        asyncio.run(_fill(backup))
        with sqlite3.connect(backup) as connection:
            connection.execute("UPDATE alembic_version SET version_num = 'r9999'")
    assert main(["restore", str(backup)]) == 1
    assert reason in capsys.readouterr().err
    assert not database.exists()


async def test_restore_refuses_while_newsbot_has_the_database_open(
    database: Path, tmp_path: Path
) -> None:
    """A running newsbot's open database is not overwritten."""
    backup = tmp_path / "backup.db"
    await _fill(backup)
    store = await Store.open(f"sqlite+aiosqlite:///{database}")
    try:
        await store.list_sources()  # the pool now holds an open connection, as while running
        with pytest.raises(BackupError, match="in use"):
            await asyncio.to_thread(restore_database, backup, database)
        assert await store.list_sources() == []
    finally:
        await store.close()

"""`newsbot backup` and `newsbot restore`: SQLite's online backup API, with checks around it.

Decisions:
- backup copies the live database page by page (`sqlite3.Connection.backup`), consistent even
  while newsbot writes, into `FILE.partial`, then renames it over FILE: a failed backup never
  leaves a half-written FILE. It refuses (exit 1) when there is no database file, or when the
  copy holds neither sources nor subscriptions: `sqlite3 ... .backup` on a missing path
  writes an empty file and exits 0, and an empty "backup" is found out only when it is needed.
  The copy is switched to a rollback journal so that it is one self-contained file.
- restore first checks FILE: a SQLite file that passes `PRAGMA quick_check`, holds newsbot's
  tables and is at a schema revision this version knows (an older one is upgraded by the
  next `newsbot run`). It then takes SQLite's exclusive lock on the target, which fails while
  a running newsbot holds the database open, and copies FILE over it with the same API.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from bot.store._engine import alembic_config, sqlite_file
from bot.store.errors import StoreError

__all__ = ["BackupError", "BackupReport", "backup_database", "restore_database"]

_TABLES = ("sources", "subscriptions", "items", "outbox")
BACKUP_WAIT = 5.0  # seconds a backup may wait for newsbot's writer (WAL readers rarely wait)


class BackupError(StoreError):
    """A backup or restore was refused or failed; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    """What a backup holds: row counts of the tables an operator cares about, and its revision."""

    path: Path
    revision: str
    sources: int
    subscriptions: int
    items: int
    outbox: int

    def summary(self) -> str:
        """One line for the operator: counts and schema revision."""
        return (
            f"{self.sources} sources, {self.subscriptions} subscriptions, {self.items} items, "
            f"{self.outbox} alerts in the outbox (schema {self.revision})"
        )


def database_file(url: str) -> Path:
    """The SQLite file behind NEWSBOT_DATABASE_URL; other databases have their own tools."""
    path = sqlite_file(url)
    if path is None:
        raise BackupError(
            f"backup and restore work on a SQLite file; {url.split('://', 1)[0]} is not one "
            "(use the database's own tools, e.g. pg_dump)"
        )
    return path


def backup_database(database: Path, destination: Path) -> BackupReport:
    """Copy the live `database` to `destination`; refuse a missing or empty database."""
    if not database.is_file():
        raise BackupError(f"no database at {database}: nothing to back up")
    if destination.exists() and destination.resolve() == database.resolve():
        raise BackupError(f"{destination} is the database itself; name another file")
    partial = destination.with_name(destination.name + ".partial")
    try:
        with _connect(database, wait=BACKUP_WAIT) as source, _connect(partial) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            report = _report(copy, destination)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup of {database} failed: {exc}") from exc
    if report.sources == 0 and report.subscriptions == 0:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"{database} has no sources and no subscriptions: refusing to save an empty backup"
        )
    os.replace(partial, destination)
    return report


def restore_database(backup: Path, database: Path) -> BackupReport:
    """Replace `database` by the checked `backup`; refuse while newsbot has it open."""
    report = check_backup(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _connect(backup) as source, _connect(database) as target:
            _lock_exclusively(target, database)
            source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"restore into {database} failed: {exc}") from exc
    return report


def check_backup(backup: Path) -> BackupReport:
    """The report of a file that is a sound newsbot database at a known schema revision."""
    if not backup.is_file():
        raise BackupError(f"no backup at {backup}")
    try:
        with _connect(backup, read_only=True) as connection:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{backup} is damaged (PRAGMA quick_check failed)")
            return _report(connection, backup)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{backup} is not a newsbot database: {exc}") from exc


def _report(connection: sqlite3.Connection, path: Path) -> BackupReport:
    """Counts and revision of a newsbot database; BackupError if it is not one."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    missing = [name for name in (*_TABLES, "alembic_version") if name not in tables]
    if missing:
        raise BackupError(f"{path} is not a newsbot database (no table {missing[0]})")
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    revision = row[0] if row else ""
    if revision not in _known_revisions():
        raise BackupError(
            f"{path} is at schema revision {revision or 'none'}, which this newsbot does not "
            "know (made by a newer version?)"
        )
    counts = {
        # Table names from the fixed tuple above, never from input.
        name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        for name in _TABLES
    }
    return BackupReport(path=path, revision=revision, **counts)


def _known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def _lock_exclusively(connection: sqlite3.Connection, database: Path) -> None:
    """Hold SQLite's exclusive lock until the connection closes; fail if anyone has it open."""
    connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    try:
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        raise BackupError(
            f"{database} is in use ({exc}): stop newsbot first, e.g. docker compose stop newsbot"
        ) from exc


@contextlib.contextmanager
def _connect(
    path: Path, *, read_only: bool = False, wait: float = 0.0
) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection (waiting `wait` seconds for locks), closed on exit."""
    target = path.absolute().as_uri() + ("?mode=ro" if read_only else "")
    connection = sqlite3.connect(target, uri=True, timeout=wait, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()

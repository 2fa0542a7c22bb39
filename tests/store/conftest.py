"""Fixtures for the store tests: a fresh SQLite file per test and real article data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest import ProcessedEntry
from bot.model import Article
from tests.fakes.ingest import entry as scripted_entry

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 5, 9, 8, 0, tzinfo=UTC)

EntryFactory = Callable[..., ProcessedEntry]


def _load_articles() -> list[Article]:
    rows = json.loads((FIXTURES / "articles.json").read_text(encoding="utf-8"))
    return [
        Article(
            id=row["id"],
            link=row["link"],
            title=row["title"],
            teaser=row["summary"],
            source=row["feed"],
            published=datetime.fromisoformat(row["published"]) if row["published"] else None,
            language=row["language"],
        )
        for row in rows
    ]


@pytest.fixture
def now() -> datetime:
    """A fixed, aware UTC moment for every test."""
    return NOW


@pytest.fixture
def articles() -> list[Article]:
    """Real German and English news items (see fixtures/README.md); 0 is the 12S Ultra one."""
    return _load_articles()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A SQLite URL in a directory that does not exist yet."""
    return f"sqlite+aiosqlite:///{tmp_path}/data/newsbot.db"


@pytest.fixture
def entry() -> EntryFactory:
    """Build a processed entry: `entry(article, story, {sub_id: words})`; entries with the
    same `story` number are one story to the real story index."""
    return scripted_entry


def same_fingerprint(a: int, b: int) -> bool:
    """The test's near-duplicate rule: equal fingerprints."""
    return a == b


@pytest.fixture
def same_story() -> Callable[[int, int], bool]:
    """A simple `same_story` predicate: fingerprints are equal."""
    return same_fingerprint

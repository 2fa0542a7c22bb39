"""Pure decisions, by tables: item identity (dedupe), backfill (ingest), times and the
store's own small rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.engine import Dialect, make_url

from bot.dedupe.items import KnownItem, resolve_items
from bot.ingest import pick_backfill
from bot.model import Article
from bot.store import NaiveDatetimeError, SourceRecord, SourceSpec
from bot.store._engine import DatabaseURLError, sqlite_file
from bot.store._sources import spec_changes
from bot.store._subscriptions import normalize_query, subscription_label
from bot.store.tables import UTCDateTime

GOLEM = "https://www.golem.de/news/xiaomi-das-mi-mix-3-hat-keine-notch-und-eine-versteckte-frontkamera-1810-137319-rss.html"
TITLE = "Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera"


def art(guid: str, link: str = "", title: str = "", published: datetime | None = None) -> Article:
    return Article(id=guid, link=link, title=title, teaser="", source="golem", published=published)


T0 = datetime(2018, 10, 25, 10, 0, tzinfo=UTC)

STORED = [
    KnownItem(1, "https://www.golem.de/1810/137319-rss.html", GOLEM, TITLE),
    KnownItem(2, "die-woche-41", "https://www.golem.de/woche-41", "Die Woche"),
]


@pytest.mark.parametrize(
    ("polled", "new", "seen", "guid_changes"),
    [
        ([art("https://www.golem.de/1810/137319-rss.html", GOLEM, TITLE)], (), (1,), ()),
        ([art("golem-137319", GOLEM, TITLE)], (), (1,), ((1, "golem-137319"),)),
        ([art("golem-137319", GOLEM + "?page=2", TITLE)], (), (1,), ((1, "golem-137319"),)),
        (
            [art("die-woche-42", "https://www.golem.de/woche-42", "Die Woche")],
            (),
            (2,),
            ((2, "die-woche-42"),),
        ),
        (
            [
                art("die-woche-42", "https://www.golem.de/woche-42", "Die Woche"),
                art("die-woche-41", "https://www.golem.de/woche-41", "Die Woche"),
            ],
            (0,),
            (2,),
            (),
        ),
        (
            [art("neu-1", "https://x.de/1", "Neu"), art("neu-1", "https://x.de/1", "Neu")],
            (0,),
            (),
            (),
        ),
        (
            [art("neu-1", "https://x.de/1", "Neu"), art("neu-2", "https://x.de/1", "Neu 2")],
            (0,),
            (),
            (),
        ),
        ([art("neu-1", "", ""), art("neu-2", "", "")], (0, 1), (), ()),
        (
            [
                art("https://www.golem.de/1810/137319-rss.html", GOLEM, TITLE),
                art("g2", GOLEM, TITLE),
            ],
            (),
            (1,),
            (),
        ),
    ],
    ids=[
        "same-guid",
        "guid-changed-same-link",
        "guid-and-link-changed-same-title",
        "recurring-title-predecessor-gone-is-same-item",
        "recurring-title-predecessor-still-listed-is-new",
        "repeat-in-one-poll",
        "same-link-twice-in-one-poll",
        "no-link-no-title-two-guids",
        "old-guid-still-listed-keeps-guid",
    ],
)
def test_resolve_items(
    polled: list[Article],
    new: tuple[int, ...],
    seen: tuple[int, ...],
    guid_changes: tuple[tuple[int, str], ...],
) -> None:
    """An item is matched by guid, else link, else title (only when its old guid left the feed)."""
    resolution = resolve_items(polled, STORED)
    assert (resolution.new, resolution.seen, resolution.guid_changes) == (new, seen, guid_changes)
    assert resolution.known == len(polled) - len(new)


def test_resolve_items_never_reuses_a_guid_of_a_new_item() -> None:
    """A guid rewrite may not take a guid that a new item of the same poll is inserted with."""
    polled = [art("g5", "https://x.de/5", "Fünf"), art("g5", GOLEM, TITLE)]
    resolution = resolve_items(polled, STORED)
    assert resolution.new == (0,)
    assert resolution.guid_changes == ()


@pytest.mark.parametrize(
    ("published", "count", "expected"),
    [
        ([T0, T0 + timedelta(hours=2), T0 + timedelta(hours=1)], 2, [1, 2]),
        ([None, None, None], 2, [0, 1]),
        ([None, T0, None], 1, [1]),
        ([T0, T0, T0], 1, [0]),
        ([T0, T0], 0, []),
        ([T0], 5, [0]),
    ],
    ids=[
        "newest-by-date",
        "undated-feed-order",
        "undated-counts-as-oldest",
        "tie-feed-order",
        "zero",
        "fewer-than-count",
    ],
)
def test_pick_backfill(published: list[datetime | None], count: int, expected: list[int]) -> None:
    """Backfill takes the newest by date (undated last, ties by feed order), in feed order."""
    polled = [art(f"g{i}", published=p) for i, p in enumerate(published)]
    assert pick_backfill(polled, range(len(polled)), count) == expected


CEST = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "dialect", "stored"),
    [
        (datetime(2026, 5, 9, 10, 0, tzinfo=CEST), SQLiteDialect(), datetime(2026, 5, 9, 8, 0)),
        (datetime(2026, 5, 9, 8, 0, tzinfo=UTC), SQLiteDialect(), datetime(2026, 5, 9, 8, 0)),
        (
            datetime(2026, 5, 9, 10, 0, tzinfo=CEST),
            make_url("postgresql://").get_dialect()(),
            datetime(2026, 5, 9, 8, 0, tzinfo=UTC),
        ),
        (None, SQLiteDialect(), None),
    ],
    ids=["sqlite-converts-to-naive-utc", "sqlite-utc", "postgresql-keeps-aware-utc", "none"],
)
def test_utc_datetime_bind(
    value: datetime | None, dialect: Dialect, stored: datetime | None
) -> None:
    """Times go in as UTC: naive for SQLite, aware for PostgreSQL."""
    bound = UTCDateTime().process_bind_param(value, dialect)
    assert bound == stored
    assert bound is None or (bound.tzinfo is None) == (stored is not None and stored.tzinfo is None)


def test_utc_datetime_rejects_naive() -> None:
    """A naive datetime is refused with the store's typed error."""
    with pytest.raises(NaiveDatetimeError):
        UTCDateTime().process_bind_param(datetime(2026, 5, 9, 8, 0), SQLiteDialect())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime(2026, 5, 9, 8, 0), datetime(2026, 5, 9, 8, 0, tzinfo=UTC)),
        (datetime(2026, 5, 9, 10, 0, tzinfo=CEST), datetime(2026, 5, 9, 8, 0, tzinfo=UTC)),
    ],
    ids=["sqlite-naive-is-utc", "aware-is-converted"],
)
def test_utc_datetime_result(raw: datetime, expected: datetime) -> None:
    """Times come out aware, in UTC."""
    value = UTCDateTime().process_result_value(raw, SQLiteDialect())
    assert value == expected
    assert value is not None
    assert value.tzinfo is UTC


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite+aiosqlite:///data/newsbot.db", Path("data/newsbot.db")),
        ("sqlite+aiosqlite:////var/lib/newsbot/n.db", Path("/var/lib/newsbot/n.db")),
        ("sqlite+aiosqlite://", None),
        ("sqlite+aiosqlite:///:memory:", None),
        ("postgresql+asyncpg://bot@localhost/newsbot", None),
    ],
    ids=["relative", "absolute", "memory-empty", "memory", "postgresql"],
)
def test_sqlite_file(url: str, expected: Path | None) -> None:
    """Only SQLite file URLs name a file whose directories must be created."""
    assert sqlite_file(url) == expected


def test_sqlite_file_rejects_garbage() -> None:
    """A malformed database URL is a typed error naming the URL."""
    with pytest.raises(DatabaseURLError, match="not a url"):
        sqlite_file("not a url")


def _record(**overrides: object) -> SourceRecord:
    values: dict[str, object] = dict.fromkeys(SourceRecord.__slots__, None)
    values |= {"id": 1, "name": "golem", "url": "https://golem.de/rss", "origin": "config"}
    values |= {"listed_url": "https://golem.de/rss", "full_text": False, "backfill": 0}
    values |= {"next_poll_at": T0, "created_at": T0, "consecutive_failures": 0}
    values |= {"baselined": False, "active": True}
    values.update(overrides)
    return SourceRecord(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (SourceSpec("golem", "https://golem.de/rss"), {}),
        (
            SourceSpec("Golem.de", "https://golem.de/rss", interval=120),
            {"name": "Golem.de", "interval": 120},
        ),
        (
            SourceSpec("golem", "https://golem.de/rss", language="de", full_text=True, backfill=3),
            {"language": "de", "full_text": True, "backfill": 3},
        ),
    ],
    ids=["unchanged", "name-and-interval", "language-full-text-backfill"],
)
def test_spec_changes(spec: SourceSpec, expected: dict[str, object]) -> None:
    """Config sync updates exactly the fields that changed."""
    assert spec_changes(_record(), spec) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("xiaomi", "xiaomi"),
        ('  xiaomi   OR  "lei jun" ', 'xiaomi OR "lei jun"'),
        ("a\tb\nc", "a b c"),
    ],
    ids=["plain", "outer-and-repeated-spaces", "tabs-and-newlines"],
)
def test_normalize_query(query: str, expected: str) -> None:
    """Queries compare equal when they differ only in whitespace."""
    assert normalize_query(query) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("console", "", None, "xiaomi"), "console xiaomi"),
        (("telegram", "-1001", None, "xiaomi"), "telegram:-1001 xiaomi"),
        (("discord", "42", "7", '"lei jun"'), 'discord:42#7 "lei jun"'),
    ],
    ids=["console", "telegram", "discord-thread"],
)
def test_subscription_label(parts: tuple[str, str, str | None, str], expected: str) -> None:
    """Sync reports name subscriptions as `target query`."""
    assert subscription_label(*parts) == expected

"""/healthz tells the truth: failed writes fail the store, sources all failing fail the poller."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from bot.app import App
from bot.health import all_sources_failing, store_component
from bot.settings import Settings, SourceConfig, SubscriptionConfig
from bot.store import SourceRecord
from tests.fakes.feeds import FeedBehaviour, FeedItem, NewsSite
from tests.fakes.waiting import until
from tests.ops.botproc import free_port

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failure_age", "success_age", "ok", "status"),
    [
        (None, 1.0, True, "ok"),
        (None, None, True, "ok"),
        (2.0, 10.0, False, "write_failed"),
        (2.0, None, False, "write_failed"),
        (10.0, 2.0, False, "write_failed"),
        (400.0, 2.0, True, "ok"),
        (400.0, 500.0, False, "write_failed"),
    ],
    ids=[
        "never-failed",
        "nothing-written-yet",
        "failed-last",
        "never-succeeded",
        "small-write-after-failure-within-hold",
        "recovered-after-hold",
        "old-failure-still-last",
    ],
)
def test_store_component(
    failure_age: float | None, success_age: float | None, ok: bool, status: str
) -> None:
    """A failed write counts until a later write succeeded and the hold has passed."""
    component = store_component(
        failure_age=failure_age, success_age=success_age, error="disk full", hold=300.0
    )
    assert (component.ok, component.status) == (ok, status)


def _source(
    failures: int,
    *,
    success_ago: float | None,
    created_ago: float = 3600,
    interval: int | None = None,
) -> SourceRecord:
    return SourceRecord(
        id=1,
        name="s",
        url="https://example.com/feed",
        listed_url="https://example.com/feed",
        origin="config",
        added_by=None,
        interval=interval,
        language=None,
        full_text=False,
        backfill=0,
        etag=None,
        last_modified=None,
        next_poll_at=NOW,
        last_polled_at=NOW,
        last_success_at=None if success_ago is None else NOW - timedelta(seconds=success_ago),
        consecutive_failures=failures,
        last_error="boom" if failures else None,
        paused_at=None,
        paused_reason=None,
        baselined=True,
        active=True,
        created_at=NOW - timedelta(seconds=created_ago),
    )


@pytest.mark.parametrize(
    ("sources", "failing"),
    [
        ([], False),
        ([_source(0, success_ago=10)], False),
        ([_source(5, success_ago=301)], True),
        ([_source(5, success_ago=299)], False),
        ([_source(5, success_ago=301), _source(0, success_ago=10)], False),
        ([_source(5, success_ago=None, created_ago=301)], True),
        ([_source(5, success_ago=None, created_ago=100)], False),
        ([_source(5, success_ago=400, interval=200)], False),
        ([_source(5, success_ago=301), _source(2, success_ago=900)], True),
    ],
    ids=[
        "no-sources",
        "one-working",
        "all-failing-long",
        "failing-not-long-enough",
        "one-still-works",
        "never-succeeded-since-added",
        "just-added",
        "own-longer-interval",
        "two-failing-long",
    ],
)
def test_all_sources_failing(sources: list[SourceRecord], failing: bool) -> None:
    """Only every source failing for over three of its intervals (default 100 s) counts."""
    assert all_sources_failing(sources, now=NOW, default_interval=100) is failing


def _settings(tmp_path: Path, site: NewsSite) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}",
        poll_interval=1,
        http_port=free_port(),
        language="de",
        sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        subscriptions=(
            SubscriptionConfig.model_validate({"target": "console", "query": "xiaomi"}),
        ),
    )


async def _healthz(port: int) -> tuple[int, dict[str, Any]]:
    url = f"http://127.0.0.1:{port}/healthz"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, json.loads(await response.text())


@pytest.fixture
def disk() -> Iterator[list[bool]]:
    """Set `disk[0] = True` to make every SQLite file full from the next checkout on."""
    full = [False]

    def on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if full[0]:
            # The file may not grow by a single page: SQLite answers SQLITE_FULL.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA max_page_count = 1")
            cursor.close()

    event.listen(Pool, "checkout", on_checkout)
    yield full
    event.remove(Pool, "checkout", on_checkout)


async def test_full_disk_makes_the_store_unhealthy(tmp_path: Path, disk: list[bool]) -> None:
    """Polls failing with `database or disk is full` turn /healthz to 503 naming the store."""
    async with NewsSite() as site:
        site.publish("golem", FeedItem(guid="0", title="Xiaomi", description="Xiaomi"))
        app = App(_settings(tmp_path, site), shutdown_grace=0.5)
        stop = asyncio.Event()
        task = asyncio.create_task(app.run(stop))
        try:
            await until(lambda: app.health is not None and site.requests.get("golem", 0) >= 1)
            assert (await _healthz(app.settings.http_port))[0] == 200
            disk[0] = True
            for number in range(1, 40):
                site.publish(
                    "golem",
                    FeedItem(guid=str(number), title=f"Xiaomi {number}", description="x" * 3000),
                )
            await until(lambda: app.store is not None and app.store.writes.last_failure is not None)
            status, body = await _healthz(app.settings.http_port)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
    assert status == 503
    assert "store" in body["failing"]
    assert body["components"]["store"]["status"] == "write_failed"
    assert "database or disk is full" in body["components"]["store"]["error"]


async def test_every_source_failing_makes_the_poller_unhealthy(tmp_path: Path) -> None:
    """With the only source answering 500 for over three intervals, /healthz names the poller."""
    async with NewsSite() as site:
        site.behaviour["golem"] = FeedBehaviour(status=500)
        app = App(_settings(tmp_path, site), shutdown_grace=0.5)
        stop = asyncio.Event()
        task = asyncio.create_task(app.run(stop))
        try:
            await until(lambda: app.health is not None and site.requests.get("golem", 0) >= 1)
            first_status, _ = await _healthz(app.settings.http_port)
            await asyncio.sleep(3.5)  # three poll intervals of 1 s, and a little more
            status, body = await _healthz(app.settings.http_port)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
    assert first_status == 200
    assert status == 503
    assert body["failing"] == ["poller"]
    assert body["components"]["poller"]["status"] == "all_sources_failing"

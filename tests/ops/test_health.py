"""`/healthz` and `/metrics`: the decisions by table, the server over loopback, the app's parts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from pathlib import Path

import aiohttp
import pytest

from bot.app import App
from bot.delivery.platform import Outgoing
from bot.health import (
    Component,
    HealthServer,
    health_report,
    platform_component,
    poller_component,
)
from bot.metrics import Metrics
from bot.model import Target
from bot.settings import Settings, SourceConfig, SubscriptionConfig
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.waiting import until
from tests.ops.botproc import free_port


@pytest.mark.parametrize(
    ("alive", "age", "expected_ok", "expected_status"),
    [
        (True, 3.0, True, "ok"),
        (True, 179.0, True, "ok"),
        (True, 181.0, False, "stale"),
        (True, None, False, "starting"),
        (False, 3.0, False, "stopped"),
        (False, None, False, "stopped"),
    ],
    ids=["fresh", "just-inside", "stale", "never-looped", "task-ended", "ended-before-loop"],
)
def test_poller_component(
    alive: bool, age: float | None, expected_ok: bool, expected_status: str
) -> None:
    """The poller is well only while its task runs and its loop looked lately."""
    component = poller_component(alive=alive, last_loop_age=age, polls=4, stale_after=180.0)
    assert (component.ok, component.status) == (expected_ok, expected_status)
    assert component.as_json()["polls"] == 4


@pytest.mark.parametrize(
    ("components", "code", "failing"),
    [
        ({"store": Component(True), "console": platform_component(True)}, 200, None),
        ({"store": Component(False, "unreachable"), "telegram": Component(True)}, 503, ["store"]),
        (
            {
                "store": Component(True),
                "telegram": platform_component(False),
                "discord": Component(False),
            },
            503,
            ["telegram", "discord"],
        ),
        ({}, 200, None),
    ],
    ids=["all-well", "store-down", "two-platforms-down", "nothing-to-check"],
)
def test_health_report(
    components: Mapping[str, Component], code: int, failing: list[str] | None
) -> None:
    """200 when every component is well; 503 naming exactly the unwell ones, in order."""
    status, body = health_report(components)
    assert status == code
    assert body["status"] == ("ok" if code == 200 else "unhealthy")
    assert body.get("failing") == failing
    assert body["components"] == {name: c.as_json() for name, c in components.items()}


async def _get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def test_server_answers_health_and_metrics() -> None:
    """The server turns the check into JSON with 200/503 and serves the registry as text."""
    metrics = Metrics()
    verdict = {"store": Component(True)}
    scrapes: list[int] = []

    async def check() -> Mapping[str, Component]:
        return verdict

    async def before_scrape() -> None:
        scrapes.append(1)
        metrics.outbox_depth.set(7)

    server = HealthServer(check, metrics, port=0, host="127.0.0.1", before_scrape=before_scrape)
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        status, kind, text = await _get(f"{base}/healthz")
        assert (status, kind) == (200, "application/json; charset=utf-8")
        assert json.loads(text) == {"status": "ok", "components": {"store": {"status": "ok"}}}
        verdict["store"] = Component(False, "unreachable", {"error": "disk gone"})
        status, _, text = await _get(f"{base}/healthz")
        assert status == 503
        assert json.loads(text)["failing"] == ["store"]
        status, kind, text = await _get(f"{base}/metrics")
    finally:
        await server.stop()
    assert status == 200
    assert kind.startswith("text/plain; version=")
    assert "newsbot_outbox_depth 7.0" in text
    assert scrapes == [1]
    names = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")}
    assert names
    assert all(name.startswith("newsbot_") for name in names)


class _Unhealthy:
    """A chat platform that has lost its connection."""

    name = "telegram"

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        raise AssertionError("not used")

    async def edit_alert(self, outgoing: Outgoing) -> None:
        raise AssertionError("no alerts in this test")

    async def send_notice(self, target: Target, text: str) -> None:
        raise AssertionError("not used")

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""

    def healthy(self) -> bool:
        return False


def _settings(tmp_path: Path, site: NewsSite, port: int) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}",
        poll_interval=1,
        http_port=port,
        language="de",
        sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        subscriptions=(
            SubscriptionConfig.model_validate({"target": "console", "query": "xiaomi"}),
        ),
    )


async def _healthz(port: int) -> tuple[int, dict[str, object]]:
    status, _, text = await _get(f"http://127.0.0.1:{port}/healthz")
    return status, json.loads(text)


async def _running_app(
    tmp_path: Path, site: NewsSite
) -> tuple[App, asyncio.Event, asyncio.Task[None]]:
    port = free_port()
    app = App(_settings(tmp_path, site, port))
    stop = asyncio.Event()
    task = asyncio.create_task(app.run(stop))
    await until(lambda: app.health is not None and site.requests.get("golem", 0) >= 1)
    return app, stop, task


async def test_app_health_names_an_unreachable_store(tmp_path: Path) -> None:
    """All well: 200 with the outbox depth; the database gone: the store is named unreachable."""
    async with NewsSite() as site:
        site.publish("golem", FeedItem(guid="1", title="Xiaomi", description="Xiaomi"))
        app, stop, task = await _running_app(tmp_path, site)
        try:
            port = app.settings.http_port
            await until(lambda: app.poller is not None and app.poller.last_loop_at is not None)
            status, body = await _healthz(port)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
    assert status == 200, body
    assert body["components"]["outbox"] == {"status": "ok", "depth": 0}  # type: ignore[index]
    assert body["components"]["poller"]["status"] == "ok"  # type: ignore[index]
    # The volume disappears: the (stopped) app's store cannot open the file any more.
    (tmp_path / "data").rename(tmp_path / "moved")
    assert app.store is not None
    components = await app.check_health()
    await app.store.close()
    assert components["store"].ok is False
    assert components["store"].status == "unreachable"
    report_status, report = health_report(components)
    assert report_status == 503
    assert "store" in report["failing"]  # type: ignore[operator]


async def test_app_health_names_an_unhealthy_platform(tmp_path: Path) -> None:
    """A platform whose `healthy()` is false makes /healthz 503 and /metrics show it down."""
    async with NewsSite() as site:
        app, stop, task = await _running_app(tmp_path, site)
        try:
            port = app.settings.http_port
            await until(lambda: app.poller is not None and app.poller.last_loop_at is not None)
            app.platforms["telegram"] = _Unhealthy()
            status, body = await _healthz(port)
            _, _, metrics = await _get(f"http://127.0.0.1:{port}/metrics")
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)
    assert status == 503
    assert body["failing"] == ["telegram"]
    assert body["components"]["telegram"] == {"status": "unhealthy"}  # type: ignore[index]
    assert 'newsbot_platform_up{platform="telegram"} 0.0' in metrics
    assert 'newsbot_platform_up{platform="console"} 1.0' in metrics

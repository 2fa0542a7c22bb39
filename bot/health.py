"""The operations HTTP server: `/healthz` (JSON) and `/metrics` (Prometheus text format).

The server knows nothing about the app's parts: the app hands it a `check` coroutine that
returns one `Component` per part, and a `before_scrape` coroutine that refreshes the gauges
read at scrape time. What counts as healthy is decided by the pure functions below.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from aiohttp import web

from bot.errors import NewsbotError
from bot.metrics import CONTENT_TYPE, Metrics
from bot.store.records import SourceRecord

__all__ = [
    "Component",
    "HealthServer",
    "all_sources_failing",
    "health_report",
    "platform_component",
    "poller_component",
    "store_component",
]

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[Mapping[str, "Component"]]]
Refresh = Callable[[], Awaitable[None]]


class HealthServerError(NewsbotError):
    """The health and metrics server cannot start (its port is taken, say)."""


@dataclass(frozen=True, slots=True)
class Component:
    """One part's health: whether it is well, and what an operator should see about it."""

    ok: bool
    status: str = "ok"
    detail: Mapping[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The component's entry in the `/healthz` body."""
        return {"status": self.status, **self.detail}


def poller_component(
    *,
    alive: bool,
    last_loop_age: float | None,
    polls: int,
    stale_after: float,
    sources_failing: bool = False,
) -> Component:
    """The poller is well while its loop task runs, has looked at the schedule lately, and
    not every source has been failing for long (see `all_sources_failing`).

    The loop wakes at least once a minute even with nothing due, so a loop silent for
    `stale_after` seconds is stuck (a hung database call, a blocked event loop).
    """
    detail: dict[str, object] = {"polls": polls}
    if last_loop_age is not None:
        detail["last_loop_seconds_ago"] = round(last_loop_age, 1)
    if not alive:
        return Component(False, "stopped", detail)
    if last_loop_age is None:
        return Component(False, "starting", detail)
    if last_loop_age > stale_after:
        return Component(False, "stale", detail)
    if sources_failing:
        return Component(False, "all_sources_failing", detail)
    return Component(True, "ok", detail)


def all_sources_failing(
    sources: Sequence[SourceRecord], *, now: datetime, default_interval: float, intervals: int = 3
) -> bool:
    """Whether every source is failing and has not succeeded for `intervals` of its intervals.

    One working source means the network, DNS and the poller work: the rest is the feeds'
    business (and /status shows it). With none working for three intervals, nothing is
    being watched at all, which an operator must hear about (a dead network, a full disk).
    """
    if not sources:
        return False
    for source in sources:
        if source.consecutive_failures == 0:
            return False
        since = source.last_success_at or source.created_at
        allowed = intervals * float(source.interval or default_interval)
        if (now - since).total_seconds() <= allowed:
            return False
    return True


def store_component(
    *, failure_age: float | None, success_age: float | None, error: str | None, hold: float
) -> Component:
    """The store is well while its writes go through.

    A write failure counts until a later write succeeded *and* `hold` seconds have passed:
    a full disk still takes the small updates that fit in free pages, and the health check
    must not flap to "ok" between two failing polls.
    """
    if failure_age is None:
        return Component(True)
    failed_last = success_age is None or failure_age <= success_age
    if failed_last or failure_age < hold:
        detail = {"error": error, "failed_seconds_ago": round(failure_age, 1)}
        return Component(False, "write_failed", detail)
    return Component(True)


def platform_component(healthy: bool) -> Component:
    """A chat platform is well when it says it can send right now."""
    return Component(True) if healthy else Component(False, "unhealthy")


def health_report(components: Mapping[str, Component]) -> tuple[int, dict[str, object]]:
    """The `/healthz` status code and body: 200 when every component is well, else 503."""
    failing = [name for name, component in components.items() if not component.ok]
    body: dict[str, object] = {
        "status": "unhealthy" if failing else "ok",
        "components": {name: component.as_json() for name, component in components.items()},
    }
    if failing:
        body["failing"] = failing
        return 503, body
    return 200, body


class HealthServer:
    """Serves `/healthz` and `/metrics` on `host:port` (port 0 picks a free one, for tests)."""

    def __init__(
        self,
        check: Check,
        metrics: Metrics,
        *,
        port: int,
        host: str = "0.0.0.0",  # in a container the health check comes from outside
        before_scrape: Refresh | None = None,
    ) -> None:
        self._check = check
        self._metrics = metrics
        self._host = host
        self._port = port
        self._before_scrape = before_scrape
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Bind the port and begin answering."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._serve_metrics)
        # access_log=None: a probe every 30 s would drown the operator's log.
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise HealthServerError(
                f"cannot serve /healthz and /metrics on port {self._port}: {exc.strerror}; "
                "set NEWSBOT_HTTP_PORT to a free port, or to 0 to turn them off"
            ) from exc
        self._runner = runner
        log.info("health and metrics on port %d (/healthz, /metrics)", self.port)

    async def stop(self) -> None:
        """Stop answering and release the port."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def port(self) -> int:
        """The bound port (the real one when started with port 0)."""
        if self._runner is None:
            return self._port
        address = self._runner.addresses[0]
        return int(address[1])

    async def _healthz(self, request: web.Request) -> web.Response:
        status, body = health_report(await self._check())
        if status != 200:
            log.debug("health check failing: %s", body.get("failing"))
        return web.json_response(body, status=status)

    async def _serve_metrics(self, request: web.Request) -> web.Response:
        if self._before_scrape is not None:
            await self._before_scrape()
        response = web.Response(body=self._metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE
        return response

"""The app owns every lifecycle (HTTP session, store, poller, delivery, platforms)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from bot.condense import Condenser
from bot.delivery.platform import AlertSender
from bot.delivery.service import DeliveryService
from bot.errors import EXIT_OK
from bot.platforms.console import ConsolePlatform
from bot.settings import Settings
from bot.sources.fetch import Fetcher, build_user_agent, create_http_session
from bot.sources.poller import Poller, SubscriptionIndex
from bot.store import OperatorSubscriptionSpec, SourceSpec, Store

log = logging.getLogger(__name__)

EXPIRY_EVERY = timedelta(hours=1)
KEEP_ITEMS = timedelta(days=30)
KEEP_SENT = timedelta(days=14)
SHUTDOWN_GRACE = 5.0  # seconds for in-flight sends; well inside Docker's 10 s


def utc_now() -> datetime:
    """The app's clock; injected everywhere so tests can compress time."""
    return datetime.now(UTC)


async def run_app(settings: Settings) -> int:
    """`newsbot run`: run until SIGINT or SIGTERM, then shut down gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await App(settings).run(stop)
    return EXIT_OK


class App:
    """Builds the parts in order, runs them side by side, and takes them down in reverse."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        senders: Mapping[str, AlertSender] | None = None,
        shutdown_grace: float = SHUTDOWN_GRACE,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._senders = senders
        self._shutdown_grace = shutdown_grace
        self.subscriptions = SubscriptionIndex()
        self.store: Store | None = None
        self.poller: Poller | None = None
        self.delivery: DeliveryService | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set."""
        settings = self.settings
        store = await Store.open(settings.database_url)
        self.store = store
        try:
            async with create_http_session(
                user_agent=build_user_agent(settings.user_agent_contact)
            ) as session:
                await self._sync_config(store)
                requeued = await store.requeue_in_flight()
                if requeued:
                    log.info(
                        "%d alerts were in flight at the last stop; sending them again", requeued
                    )
                self.subscriptions.load(await store.active_subscriptions())
                senders = self._senders or {"console": ConsolePlatform()}
                self.delivery = DeliveryService(
                    store,
                    senders,
                    Condenser(max_chars=settings.summary_max_chars),
                    default_language=settings.language,
                    clock=self.clock,
                )
                self.poller = Poller(
                    store,
                    Fetcher(session),
                    self.subscriptions,
                    default_interval=settings.poll_interval,
                    clock=self.clock,
                    on_queued=self.delivery.wake,
                )
                await self._run_parts(stop, self.poller, self.delivery, store)
        finally:
            await store.close()

    async def _run_parts(
        self, stop: asyncio.Event, poller: Poller, delivery: DeliveryService, store: Store
    ) -> None:
        log.info(
            "newsbot running: %d sources, %d subscriptions",
            len(await store.list_sources()),
            len(self.subscriptions),
        )
        poll_task = asyncio.create_task(poller.run(), name="poller")
        delivery_task = asyncio.create_task(delivery.run(), name="delivery")
        expiry_task = asyncio.create_task(self._expire_periodically(store), name="expiry")
        stop_task = asyncio.create_task(stop.wait(), name="stop")
        tasks = {poll_task, delivery_task, expiry_task}
        done, _ = await asyncio.wait({*tasks, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        log.info("shutting down")
        poller.stop()
        delivery.stop()
        poll_task.cancel()
        expiry_task.cancel()
        # In-flight sends finish; what is not sent stays in the outbox for the next start.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(delivery_task), self._shutdown_grace)
        delivery_task.cancel()
        stop_task.cancel()
        results = await asyncio.gather(*tasks, stop_task, return_exceptions=True)
        for task, result in zip((*tasks, stop_task), results, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                log.error("%s failed", task.get_name(), exc_info=result)
        for task in done - {stop_task}:
            if task.exception() is not None:
                raise task.exception()  # type: ignore[misc]

    async def _sync_config(self, store: Store) -> None:
        now = self.clock()
        report = await store.sync_config_sources(
            [
                SourceSpec(
                    name=source.name,
                    url=source.url,
                    interval=source.interval,
                    language=source.language,
                    full_text=source.full_text,
                    backfill=source.backfill,
                )
                for source in self.settings.sources
            ],
            now=now,
        )
        if report.added or report.updated or report.removed:
            log.info(
                "config sources synced: %d added, %d changed, %d removed",
                len(report.added),
                len(report.updated),
                len(report.removed),
            )
        await store.sync_operator_subscriptions(
            [
                OperatorSubscriptionSpec(
                    platform=sub.target.platform,
                    chat_id=sub.target.chat,
                    query=sub.query,
                    language=sub.language,
                )
                for sub in self.settings.subscriptions
            ],
            now=now,
        )

    async def _expire_periodically(self, store: Store) -> None:
        while True:
            report = await store.expire(
                now=self.clock(), items_older_than=KEEP_ITEMS, sent_older_than=KEEP_SENT
            )
            if report.items or report.outbox:
                log.info("expired %d items and %d sent alerts", report.items, report.outbox)
            await asyncio.sleep(EXPIRY_EVERY.total_seconds())

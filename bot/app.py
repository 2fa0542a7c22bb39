"""The app owns every lifecycle (HTTP session, store, poller, delivery, platforms)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

from bot.commands import CommandService
from bot.commands.events import ChatEvents
from bot.condense import Condenser, LanguageDetector
from bot.delivery.platform import AlertSender
from bot.delivery.service import DeliveryService
from bot.errors import EXIT_OK
from bot.health import (
    Component,
    HealthServer,
    all_sources_failing,
    platform_component,
    poller_component,
    store_component,
)
from bot.i18n import translate
from bot.ingest import Poller, SubscriptionIndex, build_ingestor
from bot.logs import protect_secrets
from bot.metrics import Metrics
from bot.model import Target
from bot.platforms.base import ChatPlatform, PlatformServices
from bot.platforms.console import ConsolePlatform
from bot.platforms.registry import build_platform, enabled_platforms, platform_states
from bot.settings import Settings
from bot.sources.fetch import Fetcher, FetchLimits, build_user_agent, create_http_session
from bot.sources.guard import is_public_address
from bot.store import OperatorSubscriptionSpec, SourceRecord, SourceSpec, Store, StoreError

log = logging.getLogger(__name__)

EXPIRY_EVERY = timedelta(hours=1)
KEEP_ITEMS = timedelta(days=30)
KEEP_SENT = timedelta(days=14)
SHUTDOWN_GRACE = 5.0  # seconds for in-flight sends; well inside Docker's 10 s
HEALTH_TIMEOUT = 2.0  # a store that takes longer to count the outbox is not healthy
# The poller loop looks at the schedule at least once a minute: three missed looks is stuck.
POLLER_STALE_AFTER = 180.0
PROBE_LIMITS = FetchLimits(attempts=1, total_timeout=15.0)
# A failed write keeps the store unhealthy this long even if a small write succeeds after it.
WRITE_FAILURE_HOLD = 300.0


def utc_now() -> datetime:
    """The app's clock; injected everywhere so tests can compress time."""
    return datetime.now(UTC)


async def run_app(settings: Settings) -> int:
    """`newsbot run`: run until SIGINT or SIGTERM, then shut down gracefully."""
    protect_secrets(
        secret.get_secret_value()
        for secret in (
            settings.telegram_token,
            settings.discord_token,
            settings.telegram_webhook_secret,
        )
        if secret is not None
    )
    stop = asyncio.Event()
    stopped_at: list[float] = []

    def on_signal(signum: signal.Signals) -> None:
        if not stop.is_set():
            log.info("%s received: stopping", signum.name)
            stopped_at.append(time.monotonic())
        stop.set()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, on_signal, signum)
    await App(settings).run(stop)
    if stopped_at:
        log.info("stopped cleanly in %.1f s", time.monotonic() - stopped_at[0])
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
        metrics: Metrics | None = None,
    ) -> None:
        self.settings = settings
        self.metrics = metrics or Metrics()
        self.clock = clock
        self._senders = senders
        self._shutdown_grace = shutdown_grace
        self.subscriptions = SubscriptionIndex()
        self.store: Store | None = None
        self.poller: Poller | None = None
        self.delivery: DeliveryService | None = None
        self.commands: CommandService | None = None
        self.platforms: dict[str, ChatPlatform] = {}
        self.health: HealthServer | None = None
        self._loops: dict[str, asyncio.Task[None]] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set."""
        settings = self.settings
        async with AsyncExitStack() as stack:
            # Loading the language models takes a second: overlap it with opening the store.
            detector = asyncio.create_task(asyncio.to_thread(LanguageDetector))
            store = await Store.open(settings.database_url)
            self.store = store
            stack.push_async_callback(store.close)
            fetcher = await self._fetcher(stack)
            await self._sync_config(store)
            requeued = await store.requeue_in_flight()
            if requeued:
                log.info("%d alerts were in flight at the last stop: sending them again", requeued)
            await self.reload_subscriptions()
            services = self._services(store, fetcher)
            await self._start_platforms(stack, services)
            languages = await detector
            self.delivery = DeliveryService(
                store,
                self._senders or self.platforms,
                Condenser(languages, max_chars=settings.summary_max_chars),
                default_language=settings.language,
                default_timezone=settings.timezone,
                clock=self.clock,
                metrics=self.metrics,
            )
            ingestor = build_ingestor(
                store, self.subscriptions, fetcher=fetcher, detector=languages
            )
            self.poller = Poller(
                store,
                fetcher,
                ingestor,
                default_interval=settings.poll_interval,
                clock=self.clock,
                on_queued=self.delivery.wake,
                on_paused=self._source_paused,
                pause_after=settings.pause_after_failures,
                metrics=self.metrics,
                max_entries=settings.max_entries_per_poll,
            )
            if settings.http_port:
                self.health = HealthServer(
                    self.check_health,
                    self.metrics,
                    port=settings.http_port,
                    before_scrape=self._refresh_gauges,
                )
                await self.health.start()
                stack.push_async_callback(self.health.stop)
            await self._run_loops(stop, self.poller, self.delivery, store)

    async def check_health(self) -> dict[str, Component]:
        """Each part's health, for `/healthz`: store, poller, outbox depth, every platform."""
        components: dict[str, Component] = {}
        failing = False
        try:
            assert self.store is not None
            async with asyncio.timeout(HEALTH_TIMEOUT):
                depth = await self.store.outbox_depth()
                sources = await self.store.list_sources()
        except (StoreError, TimeoutError) as exc:
            reason = "timed out" if isinstance(exc, TimeoutError) else str(exc)
            components["store"] = Component(False, "unreachable", {"error": reason})
            # The depth is unknown, but the store already names the fault.
            components["outbox"] = Component(True, "unknown", {"depth": None})
        else:
            components["store"] = self._store_writes_health(self.store)
            components["outbox"] = Component(True, "ok", {"depth": depth})
            failing = all_sources_failing(
                sources, now=self.clock(), default_interval=self.settings.poll_interval
            )
        components["poller"] = self._poller_health(sources_failing=failing)
        for name, platform in self.platforms.items():
            components[name] = platform_component(platform.healthy())
        return components

    def _poller_health(self, *, sources_failing: bool) -> Component:
        task = self._loops.get("poller")
        last = self.poller.last_loop_at if self.poller is not None else None
        return poller_component(
            alive=task is not None and not task.done(),
            last_loop_age=None if last is None else time.monotonic() - last,
            polls=self.poller.polls if self.poller is not None else 0,
            stale_after=POLLER_STALE_AFTER,
            sources_failing=sources_failing,
        )

    @staticmethod
    def _store_writes_health(store: Store) -> Component:
        writes, now = store.writes, time.monotonic()
        return store_component(
            failure_age=None if writes.last_failure is None else now - writes.last_failure,
            success_age=None if writes.last_success is None else now - writes.last_success,
            error=writes.last_error,
            hold=WRITE_FAILURE_HOLD,
        )

    async def _refresh_gauges(self) -> None:
        """Gauges read at scrape time: outbox depth and each platform's health."""
        if self.store is not None:
            with contextlib.suppress(StoreError):
                self.metrics.outbox_depth.set(await self.store.outbox_depth())
        for name, platform in self.platforms.items():
            self.metrics.platform_up.labels(platform=name).set(1 if platform.healthy() else 0)

    async def _fetcher(self, stack: AsyncExitStack) -> Fetcher:
        """The fetcher with its two sessions: plain for config sources, guarded for chat ones."""
        user_agent = build_user_agent(self.settings.user_agent_contact)
        session = await stack.enter_async_context(create_http_session(user_agent=user_agent))
        guarded = await stack.enter_async_context(
            create_http_session(user_agent=user_agent, guard=is_public_address)
        )
        return Fetcher(session, guarded=guarded)

    def _services(self, store: Store, fetcher: Fetcher) -> PlatformServices:
        # /addsource tries the URL once, quickly, so a refused address is shown to the admin.
        probe = Fetcher(fetcher.session, guarded=fetcher.guarded, limits=PROBE_LIMITS)
        self.commands = CommandService(
            store,
            settings=self.settings,
            clock=self.clock,
            on_subscriptions_changed=self.reload_subscriptions,
            on_sources_changed=self._sources_changed,
            source_probe=probe.fetch,
        )
        events = ChatEvents(
            store,
            settings=self.settings,
            clock=self.clock,
            on_subscriptions_changed=self.reload_subscriptions,
        )
        return PlatformServices(commands=self.commands, events=events)

    async def _start_platforms(self, stack: AsyncExitStack, services: PlatformServices) -> None:
        log.info("platforms: %s", platform_states(self.settings))
        platforms: list[ChatPlatform] = [ConsolePlatform()]
        platforms += [
            build_platform(name, self.settings, services)
            for name in enabled_platforms(self.settings)
        ]
        for platform in platforms:
            await platform.start()
            stack.push_async_callback(platform.stop)
            self.platforms[platform.name] = platform
            log.info("platform %s started", platform.name)

    async def reload_subscriptions(self) -> None:
        """Bring the in-memory index in line with the store's active subscriptions."""
        assert self.store is not None
        self.subscriptions.load(await self.store.active_subscriptions())

    async def _sources_changed(self) -> None:
        if self.poller is not None:
            self.poller.wake()

    async def _source_paused(self, source: SourceRecord) -> None:
        """Tell the operator (log), the user who added the source and every chat that had
        alerts from it, once, when the source is paused after its run of failures."""
        log.warning(
            "source paused after %d failures: %s",
            source.consecutive_failures,
            source.last_error,
            extra={"source": source.name},
        )
        assert self.store is not None
        recipients = [
            (r.target, r.language)
            for r in await self.store.chats_alerted_from(source.id)
            if r.target.platform in self.platforms
        ]
        platform, _, user = (source.added_by or "").partition(":")
        if platform in self.platforms and user:
            recipients.append((Target.of(platform, user), None))
        for target, language in dict(recipients).items():
            text = translate(
                language or self.settings.language,
                "notice.source_paused",
                name=source.name,
                url=source.url,
                failures=source.consecutive_failures,
                error=source.last_error or "",
            )
            await self.platforms[target.platform].send_notice(target, text)

    async def _run_loops(
        self, stop: asyncio.Event, poller: Poller, delivery: DeliveryService, store: Store
    ) -> None:
        log.info(
            "newsbot running: %d sources, %d subscriptions",
            len(await store.list_sources()),
            len(self.subscriptions),
        )
        self._loops = {
            "poller": asyncio.create_task(poller.run(), name="poller"),
            "delivery": asyncio.create_task(delivery.run(), name="delivery"),
            "expiry": asyncio.create_task(self._expire_periodically(store), name="expiry"),
        }
        loops = set(self._loops.values())
        stopping = asyncio.create_task(stop.wait(), name="stop")
        done, _ = await asyncio.wait({*loops, stopping}, return_when=asyncio.FIRST_COMPLETED)
        log.info("shutting down")
        poller.stop()
        delivery.stop()
        # Sends and polls in flight may finish (what is not sent stays in the outbox for the
        # next start); cancelling them mid-query would leave the database driver's thread
        # answering a loop that is gone.
        await asyncio.wait(
            {self._loops["delivery"], self._loops["poller"]}, timeout=self._shutdown_grace
        )
        for task in (*loops, stopping):
            task.cancel()
        await asyncio.gather(*loops, stopping, return_exceptions=True)
        failed = [task for task in done if task is not stopping and task.exception()]
        for task in failed:
            log.error("%s stopped unexpectedly", task.get_name(), exc_info=task.exception())
        if failed:
            raise RuntimeError(f"{failed[0].get_name()} stopped unexpectedly")

    async def _sync_config(self, store: Store) -> None:
        now = self.clock()
        report = await store.sync_config_sources(
            [SourceSpec(**source.model_dump()) for source in self.settings.sources], now=now
        )
        if report.added or report.updated or report.removed:
            log.info(
                "config sources synced: %d added, %d changed, %d removed",
                len(report.added),
                len(report.updated),
                len(report.removed),
            )
        # A restart is the operator's "try again": config sources paused after failures
        # are polled once more (chat-added ones are resumed by /addsource of the same URL).
        for source in await store.list_sources():
            if source.paused and source.origin == "config":
                log.info(
                    "resuming source paused since %s",
                    source.paused_at,
                    extra={"source": source.name},
                )
                await store.resume_source(source.id, now=now)
        await store.sync_operator_subscriptions(
            [
                OperatorSubscriptionSpec(
                    platform=sub.target.platform,
                    chat_id=sub.target.chat,
                    query=sub.query,
                    language=sub.language,
                    thread_id=sub.target.thread,
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

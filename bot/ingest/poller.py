"""The poller: polls each source on its own schedule and hands its entries to the ingestor."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.ingest.ingestor import Ingestor
from bot.metrics import Metrics
from bot.sources.errors import FetchError, HTTPStatusError, SourceError
from bot.sources.fetch import Fetcher
from bot.sources.parse import DEFAULT_MAX_ENTRIES
from bot.sources.reader import SourceRead, UnreadableSourceError, read_source
from bot.sources.schedule import PollHints, failure_delay, next_poll_delay, should_pause
from bot.store import SourceRecord, Store, StoreError
from bot.wakeup import Wakeup

log = logging.getLogger(__name__)

IDLE_WAKE = 60.0  # look at the schedule at least this often
STORE_RETRY = 5.0  # seconds to wait out a store error before trying again


class Poller:
    """Owns the polling loop; one instance per app."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        ingestor: Ingestor,
        *,
        default_interval: float,
        clock: Callable[[], datetime],
        on_queued: Callable[[], None],
        on_paused: Callable[[SourceRecord], Awaitable[None]] | None = None,
        concurrency: int = 16,
        pause_after: int = 20,
        metrics: Metrics | None = None,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        self._max_entries = max_entries
        self._store = store
        self._fetcher = fetcher
        self._ingestor = ingestor
        self._default_interval = default_interval
        self._clock = clock
        self._on_queued = on_queued
        self._on_paused = on_paused
        self._concurrency = concurrency
        self._pause_after = pause_after
        self._running: set[int] = set()
        self._wakeup = Wakeup(idle=IDLE_WAKE)
        self._metrics = metrics
        self.polls = 0
        # Monotonic time of the loop's last look at the schedule: the health check's heartbeat.
        self.last_loop_at: float | None = None

    def wake(self) -> None:
        """Sources changed: look at the schedule now."""
        self._wakeup.wake()

    def stop(self) -> None:
        """Start no new poll; polls in flight end when their task group is cancelled."""
        self._wakeup.stop()

    async def run(self) -> None:
        """Poll due sources until stopped, at most `concurrency` at once."""
        slots = asyncio.Semaphore(self._concurrency)
        async with asyncio.TaskGroup() as group:
            while not self._wakeup.stopping:
                self.last_loop_at = time.monotonic()
                self._wakeup.begin_turn()
                try:
                    due = await self._store.due_sources(self._clock(), limit=self._concurrency * 4)
                    for source in due:
                        if source.id not in self._running:
                            self._running.add(source.id)
                            group.create_task(self._poll_in_slot(source, slots))
                    next_due = await self._store.next_due_at(excluding=self._running)
                    await self._wakeup.sleep_until(next_due, self._clock())
                except StoreError as exc:
                    # A locked or unreachable database is waited out, not fatal.
                    log.error("store unavailable to the poller, retrying: %s", exc)
                    await asyncio.sleep(STORE_RETRY)

    async def _poll_in_slot(self, source: SourceRecord, slots: asyncio.Semaphore) -> None:
        try:
            async with slots:
                if not self._wakeup.stopping:
                    await self.poll(source)
        except StoreError as exc:
            log.error("poll not recorded: %s", exc, extra={"source": source.name})
            # Still due in the store: hold the source a while so it isn't retried at once.
            await asyncio.sleep(STORE_RETRY)
        finally:
            self._running.discard(source.id)
            self._wakeup.wake()

    async def poll(self, source: SourceRecord) -> None:
        """Poll one source once and record the outcome; never raises for a source's fault."""
        self.polls += 1
        started = time.monotonic()
        try:
            read = await read_source(
                self._fetcher,
                source.url,
                name=source.name,
                trusted=source.origin == "config",
                etag=source.etag,
                last_modified=source.last_modified,
                max_entries=self._max_entries,
            )
        except SourceError as exc:
            self._count_failure(exc, time.monotonic() - started)
            await self._failed(source, exc)
            return
        if self._metrics is not None:
            self._metrics.fetches.labels("not_modified" if read.not_modified else "ok").inc()
            self._metrics.fetch_duration.observe(read.fetched.elapsed)
        await self._succeeded(source, read)

    def _count_failure(self, exc: SourceError, elapsed: float) -> None:
        if self._metrics is None:
            return
        if isinstance(exc, UnreadableSourceError):
            # The fetch went well; the body was not a feed or page we can read.
            self._metrics.fetches.labels("ok").inc()
            self._metrics.parse_errors.inc()
        else:
            self._metrics.fetches.labels("error").inc()
        self._metrics.fetch_duration.observe(elapsed)

    async def _succeeded(self, source: SourceRecord, read: SourceRead) -> None:
        now = self._clock()
        # An empty first answer still counts as the baseline: what comes next is news.
        if read.articles or (not source.baselined and not read.not_modified):
            report = await self._ingestor.ingest(source, read.articles, now=now)
            if self._metrics is not None and report.new_items:
                self._metrics.items_seen.inc(report.new_items)
                self._metrics.matches.inc(report.queued + report.edits)
                self._metrics.queued(report.queued)
            if report.new_items:
                log.info(
                    "%d new items, %d alerts and %d edits queued%s",
                    report.new_items,
                    report.queued,
                    report.edits,
                    " (first poll: baseline)" if report.baselined_now else "",
                    extra={"source": source.name},
                )
            if report.queued or report.edits:
                self._on_queued()
        hints = PollHints(
            max_age=read.fetched.max_age,
            ttl=read.feed.ttl if read.feed is not None else None,
        )
        delay = next_poll_delay(self._interval(source), hints)
        await self._store.record_poll_success(
            source.id,
            now=now,
            next_poll_at=now + timedelta(seconds=delay),
            etag=read.fetched.etag if not read.not_modified else source.etag,
            last_modified=(
                read.fetched.last_modified if not read.not_modified else source.last_modified
            ),
            new_url=read.fetched.permanent_redirect,
        )

    async def _failed(self, source: SourceRecord, exc: SourceError) -> None:
        now = self._clock()
        failures = source.consecutive_failures + 1
        retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        delay = failure_delay(self._interval(source), failures, retry_after=retry_after)
        pause = should_pause(failures, pause_after=self._pause_after)
        transient = exc.transient if isinstance(exc, FetchError) else False
        log.warning(
            "poll failed (%d in a row, %s), next try in %.0f s: %s",
            failures,
            "transient" if transient else "permanent",
            delay,
            exc,
            extra={"source": source.name},
        )
        record = await self._store.record_poll_failure(
            source.id,
            now=now,
            error=str(exc),
            next_poll_at=now + timedelta(seconds=delay),
            pause=pause,
        )
        if pause and self._on_paused is not None:
            await self._on_paused(record)

    def _interval(self, source: SourceRecord) -> float:
        return float(source.interval or self._default_interval)

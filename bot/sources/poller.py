"""The poller: polls each source on its own schedule and hands new articles to the store."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.condense import LanguageDetector
from bot.dedupe import fingerprint, story_matcher
from bot.matching import QueryIndex, parse_query
from bot.metrics import Metrics
from bot.model import Article
from bot.sources.errors import FetchError, HTTPStatusError, SourceError
from bot.sources.fetch import Fetcher
from bot.sources.reader import (
    SourceRead,
    UnreadableSourceError,
    match_input,
    read_source,
    with_full_text,
)
from bot.sources.schedule import PollHints, failure_delay, next_poll_delay, should_pause
from bot.store import IngestEntry, SourceRecord, Store, StoreError, SubscriptionRecord
from bot.wakeup import Wakeup

log = logging.getLogger(__name__)

IDLE_WAKE = 60.0  # look at the schedule at least this often
STORE_RETRY = 5.0  # seconds to wait out a store error before trying again


class SubscriptionIndex:
    """The compiled index over every active subscription, kept current as they change."""

    def __init__(self) -> None:
        self._index: QueryIndex[int] = QueryIndex()
        self._queries: dict[int, str] = {}

    def load(self, subscriptions: list[SubscriptionRecord]) -> None:
        """Make the index hold exactly `subscriptions`, touching only what changed."""
        wanted = {record.id: record for record in subscriptions}
        for gone in set(self._queries) - set(wanted):
            self.remove(gone)
        for record in subscriptions:
            if self._queries.get(record.id) != record.query:
                self.add(record)

    def add(self, subscription: SubscriptionRecord) -> None:
        """Index one subscription; a query that no longer parses is logged and skipped."""
        try:
            self._index.add(subscription.id, parse_query(subscription.query))
        except ValueError as exc:
            log.error("subscription %d has an invalid query: %s", subscription.id, exc)
            return
        self._queries[subscription.id] = subscription.query

    def remove(self, subscription_id: int) -> None:
        """Forget a subscription."""
        self._index.remove(subscription_id)
        self._queries.pop(subscription_id, None)

    def __len__(self) -> int:
        return len(self._index)

    def match(
        self, article: Article, *, hint: str | None, detector: LanguageDetector | None = None
    ) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """(subscription id, matched words) for every subscription the article matches."""
        found = self._index.match(match_input(article, hint=hint, detector=detector))
        return tuple((match.key, match.matched) for match in found)


class Poller:
    """Owns the polling loop; one instance per app."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        subscriptions: SubscriptionIndex,
        *,
        default_interval: float,
        clock: Callable[[], datetime],
        on_queued: Callable[[], None],
        on_paused: Callable[[SourceRecord], Awaitable[None]] | None = None,
        concurrency: int = 16,
        pause_after: int = 20,
        detector: LanguageDetector | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._store = store
        self._fetcher = fetcher
        self._subscriptions = subscriptions
        self._default_interval = default_interval
        self._clock = clock
        self._on_queued = on_queued
        self._on_paused = on_paused
        self._concurrency = concurrency
        self._pause_after = pause_after
        self._detector = detector
        self._running: set[int] = set()
        self._same_story = story_matcher()
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
                etag=source.etag,
                last_modified=source.last_modified,
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
            known = await self._store.known_guids(source.id, [a.id for a in read.articles])
            entries = [
                IngestEntry(article, 0)
                if article.id in known
                else await self._entry(article, source)
                for article in read.articles
            ]
            report = await self._store.ingest(
                source.id, entries, now=now, same_story=self._same_story
            )
            if self._metrics is not None and report.new_items:
                self._metrics.items_seen.inc(report.new_items)
                self._metrics.matches.inc(sum(len(entry.matches) for entry in entries))
                self._metrics.queued(report.queued)
            if report.new_items:
                log.info(
                    "%d new items, %d alerts queued%s",
                    report.new_items,
                    report.queued,
                    " (first poll: baseline)" if report.baselined_now else "",
                    extra={"source": source.name},
                )
            if report.queued:
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

    async def _entry(self, article: Article, source: SourceRecord) -> IngestEntry:
        if source.full_text and source.baselined:
            # Only news gets its page fetched: a first poll's entries are never alerted.
            article = await with_full_text(self._fetcher, article)
        return IngestEntry(
            article=article,
            fingerprint=fingerprint(article.title, article.summary),
            matches=self._subscriptions.match(
                article, hint=source.language, detector=self._detector
            ),
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

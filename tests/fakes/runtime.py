"""A poller and delivery wired to a real store, a loopback site and a recording target."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.condense import Condenser, LanguageDetector
from bot.delivery.platform import Outgoing
from bot.delivery.service import DeliveryService
from bot.ingest import Poller, SubscriptionIndex, build_ingestor
from bot.sources.fetch import Fetcher, FetchLimits, create_http_session
from bot.sources.guard import is_public_address
from bot.store import SourceRecord, SourceSpec, Store, SubscriptionRecord
from tests.fakes.feeds import NewsSite
from tests.fakes.resolver import MappedResolver

# A public-looking name that resolves to the loopback site: trusted for config sources only.
PUBLIC_LOOKING_HOST = "feeds.example.com"


class FakeClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)


@dataclass
class RecordingTarget:
    """A platform that records what it is sent and fails when told to."""

    name: str = "console"
    sent: list[Outgoing] = field(default_factory=list)
    edits: list[Outgoing] = field(default_factory=list)
    failures: list[Exception] = field(default_factory=list)

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        """Raise the next queued failure, else record the alert."""
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(outgoing)
        return f"m{len(self.sent)}"

    async def edit_alert(self, outgoing: Outgoing) -> None:
        """Raise the next queued failure, else record the edit."""
        if self.failures:
            raise self.failures.pop(0)
        self.edits.append(outgoing)

    def titles(self) -> list[str]:
        """The titles of what was sent, in order."""
        return [outgoing.alert.title for outgoing in self.sent]


@dataclass
class Runtime:
    """The parts of the running bot below the platforms, for driving one step at a time."""

    store: Store
    site: NewsSite
    poller: Poller
    delivery: DeliveryService
    target: RecordingTarget
    clock: FakeClock
    index: SubscriptionIndex

    async def add_source(self, name: str, **options: object) -> SourceRecord:
        """Register the site's feed `name` as a config source."""
        spec = SourceSpec(name=name, url=self.site.url(name), **options)  # type: ignore[arg-type]
        await self.store.sync_config_sources([*await self._config_specs(), spec], now=self.clock())
        (record,) = [s for s in await self.store.list_sources() if s.name == name]
        return record

    async def _config_specs(self) -> list[SourceSpec]:
        return [
            SourceSpec(
                name=s.name,
                url=s.listed_url,
                interval=s.interval,
                language=s.language,
                full_text=s.full_text,
                backfill=s.backfill,
            )
            for s in await self.store.list_sources()
            if s.origin == "config"
        ]

    async def subscribe(
        self, query: str, *, chat: str = "", language: str = "de"
    ) -> SubscriptionRecord:
        """A console subscription, indexed as the app does."""
        record = await self.store.add_subscription(
            platform="console",
            chat_id=chat,
            thread_id=None,
            query=query,
            language=language,
            created_by="test",
            now=self.clock(),
        )
        self.index.add(record)
        return record

    async def poll(self, name: str) -> SourceRecord:
        """Poll the source called `name` once, whatever its schedule; return it afterwards."""
        (source,) = [s for s in await self.store.list_sources() if s.name == name]
        await self.poller.poll(source)
        (after,) = [s for s in await self.store.list_sources() if s.name == name]
        return after

    async def deliver(self) -> int:
        """Send every due alert once; return how many were claimed."""
        jobs = await self.store.claim_outbox(now=self.clock(), limit=1000)
        await self.delivery.deliver(jobs)
        return len(jobs)


_DETECTOR: list[LanguageDetector] = []


def shared_detector() -> LanguageDetector:
    """One language detector for the whole test session: loading it takes a second."""
    if not _DETECTOR:
        _DETECTOR.append(LanguageDetector())
    return _DETECTOR[0]


@asynccontextmanager
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    """Open a fresh store, a loopback site and the poller/delivery pair between them."""
    clock = FakeClock()
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}")
    target = RecordingTarget()
    index = SubscriptionIndex()
    limits = FetchLimits(attempts=1, total_timeout=5, connect_timeout=2, read_timeout=2)
    try:
        async with (
            NewsSite() as site,
            create_http_session(
                limits=limits, user_agent="newsbot-test", resolver=_dns()
            ) as session,
            create_http_session(
                limits=limits, user_agent="newsbot-test", resolver=_dns(), guard=is_public_address
            ) as guarded,
        ):
            delivery = DeliveryService(
                store,
                {"console": target},
                Condenser(shared_detector()),
                default_language="en",
                clock=clock,
            )
            fetcher = Fetcher(session, guarded=guarded, limits=limits)
            poller = Poller(
                store,
                fetcher,
                build_ingestor(store, index, fetcher=fetcher, detector=shared_detector()),
                default_interval=60,
                clock=clock,
                on_queued=delivery.wake,
            )
            yield Runtime(store, site, poller, delivery, target, clock, index)
    finally:
        await store.close()


def _dns() -> MappedResolver:
    """The test DNS: the public-looking name points at the loopback site."""
    return MappedResolver({PUBLIC_LOOKING_HOST: "127.0.0.1", "localhost": "127.0.0.1"})

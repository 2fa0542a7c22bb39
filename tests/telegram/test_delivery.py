"""Delivery through the Telegram platform: an outage, then recovery, with nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.condense import Condenser
from bot.delivery.service import DeliveryService
from bot.ingest import Poller, SubscriptionIndex, build_ingestor
from bot.sources.fetch import Fetcher, FetchLimits, create_http_session
from bot.store import SourceSpec
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.runtime import FakeClock, shared_detector
from tests.fakes.telegram_api import User, server_error
from tests.telegram.conftest import Bot

BORING = FeedItem("heise-1", "Frequenzauktion beginnt", "Die Auktion beginnt im März.")
XIAOMI = FeedItem(
    "golem-2",
    "Xiaomi zeigt das Mi Mix 3 <ohne> Notch & Co",
    "Das Display von Xiaomis Smartphone ist nahezu randlos. Die Kamera ist versteckt.",
)


async def test_outage_then_recovery_loses_nothing(bot: Bot) -> None:
    """Alerts that meet a Telegram outage stay queued and all arrive, once, after it ends."""
    users = [User(20 + n, f"U{n}", language_code="de") for n in range(3)]
    chats = [bot.tg.private_chat(user) for user in users]
    clock = FakeClock(datetime.now(UTC))
    index = SubscriptionIndex()
    for chat in chats:
        index.add(
            await bot.store.add_subscription(
                platform="telegram",
                chat_id=str(chat.id),
                thread_id=None,
                query="xiaomi",
                language="de",
                created_by=None,
                now=clock(),
            )
        )
    limits = FetchLimits(attempts=1, total_timeout=5, connect_timeout=2, read_timeout=2)
    async with NewsSite() as site, create_http_session(limits=limits, user_agent="t") as session:
        site.publish("golem", BORING)
        spec = SourceSpec(name="Golem", url=site.url("golem"))
        await bot.store.sync_config_sources([spec], now=clock())
        (source,) = await bot.store.list_sources()
        delivery = DeliveryService(
            bot.store,
            {"telegram": bot.platform},
            Condenser(shared_detector()),
            default_language="en",
            clock=clock,
        )
        fetcher = Fetcher(session, limits=limits)
        poller = Poller(
            bot.store,
            fetcher,
            build_ingestor(bot.store, index, fetcher=fetcher, detector=shared_detector()),
            default_interval=60,
            clock=clock,
            on_queued=delivery.wake,
        )
        await poller.poll(source)  # the baseline
        site.publish("golem", XIAOMI)
        await poller.poll(source)

        bot.tg.outage = server_error(502)
        jobs = await bot.store.claim_outbox(now=clock(), limit=100)
        assert len(jobs) == 3
        await delivery.deliver(jobs)
        assert bot.tg.sent == []
        assert await bot.store.outbox_depth() == 3

        bot.tg.outage = None
        clock.advance(3600)
        await delivery.deliver(await bot.store.claim_outbox(now=clock(), limit=100))
        clock.advance(3600)
        assert await bot.store.claim_outbox(now=clock(), limit=100) == []
    assert sorted(m.chat_id for m in bot.tg.sent) == sorted(c.id for c in chats)
    assert all("Quelle: Golem" in m.visible for m in bot.tg.sent)
    assert all(m.visible.startswith("Xiaomi zeigt das Mi Mix 3") for m in bot.tg.sent)
    assert (delivery.sent, delivery.failed) == (3, 0)

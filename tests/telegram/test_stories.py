"""Stories in a Telegram chat: one message per story, edited as other outlets report it
(the reports: tests/fakes/stories.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.condense import Condenser
from bot.delivery.service import DeliveryService
from bot.ingest import Poller, SubscriptionIndex, build_ingestor
from bot.sources.fetch import Fetcher, FetchLimits, create_http_session
from bot.store import SourceSpec
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.runtime import FakeClock, shared_detector
from tests.fakes.stories import BORING, GOLEM, HEISE, REDMI, VERGE
from tests.fakes.telegram_api import User
from tests.telegram.conftest import Bot

OUTLETS = {"golem": "Golem", "heise": "heise online", "verge": "The Verge"}


@dataclass
class Newsroom:
    """Three loopback outlets, the ingest stage and delivery to the fake Bot API."""

    bot: Bot
    site: NewsSite
    poller: Poller
    delivery: DeliveryService
    clock: FakeClock

    async def publish(self, outlet: str, item: FeedItem) -> None:
        """`outlet` publishes `item`; it is polled and whatever is due is delivered."""
        self.site.publish(outlet, item)
        (source,) = [s for s in await self.bot.store.list_sources() if s.name == OUTLETS[outlet]]
        await self.poller.poll(source)
        await self.deliver()

    async def deliver(self) -> None:
        """Deliver until nothing is due (a chat's queue goes one claim at a time)."""
        while jobs := await self.bot.store.claim_outbox(now=self.clock(), limit=100):
            await self.delivery.deliver(jobs)


@asynccontextmanager
async def newsroom(bot: Bot, chat_id: int) -> AsyncIterator[Newsroom]:
    """Every outlet polled once (its baseline), a German chat subscribed to `xiaomi`."""
    clock = FakeClock(datetime.now(UTC))
    index = SubscriptionIndex()
    index.add(
        await bot.store.add_subscription(
            platform="telegram",
            chat_id=str(chat_id),
            thread_id=None,
            query="xiaomi",
            language="de",
            created_by=None,
            now=clock(),
        )
    )
    limits = FetchLimits(attempts=1, total_timeout=5, connect_timeout=2, read_timeout=2)
    async with NewsSite() as site, create_http_session(limits=limits, user_agent="t") as session:
        site.languages["verge"] = "en"
        specs = [SourceSpec(name=name, url=site.url(key)) for key, name in OUTLETS.items()]
        await bot.store.sync_config_sources(specs, now=clock())
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
        room = Newsroom(bot, site, poller, delivery, clock)
        for outlet in OUTLETS:
            await room.publish(outlet, BORING)  # each outlet's first poll: its baseline
        yield room


def _chat(bot: Bot, user_id: int) -> int:
    return bot.tg.private_chat(User(user_id, "Anna", language_code="de")).id


async def test_one_message_per_story_edited_with_the_other_outlets(bot: Bot) -> None:
    """Golem's report is sent; heise's and The Verge's (English) reports of the same launch
    edit that message to name them, linked; a later Redmi story is a second message."""
    chat = _chat(bot, 31)
    async with newsroom(bot, chat) as room:
        await room.publish("golem", GOLEM)
        (message,) = bot.tg.sent_to(chat)
        assert message.visible.startswith(GOLEM.title)
        assert "Auch berichtet von" not in message.visible
        await room.publish("heise", HEISE)
        await room.publish("verge", VERGE)
        await room.publish("golem", REDMI)
        base = room.site.base()
    first, second = bot.tg.sent_to(chat)
    assert first is message
    assert first.edits == 2
    assert "Auch berichtet von: heise online, The Verge" in first.visible
    linked = {link["href"] for link in first.links}
    assert {f"{base}/heise-mimix3", f"{base}/verge-mimix3"} <= linked
    assert first.buttons() == message.buttons()
    assert first.buttons()
    assert second.visible.startswith(REDMI.title)
    assert "Auch berichtet von" not in second.visible


async def test_a_deleted_message_drops_the_edit_and_sends_nothing_new(bot: Bot) -> None:
    """Telegram answers `message to edit not found`: no new message, nothing left queued,
    and later reports of that story are not edited in either."""
    chat = _chat(bot, 32)
    async with newsroom(bot, chat) as room:
        await room.publish("golem", GOLEM)
        (message,) = bot.tg.sent_to(chat)
        bot.tg.delete(message)
        await room.publish("heise", HEISE)
        await room.publish("verge", VERGE)
        assert await bot.store.outbox_depth() == 0
    assert bot.tg.sent_to(chat) == [message]
    assert [d for m, d in bot.tg.rejected if m == "editMessageText"] == [
        "Bad Request: message to edit not found"
    ]

"""A started Telegram platform against the fake Bot API server, over a real SQLite store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.commands import CommandService, CommandThrottle, Rate, ThrottleLimits
from bot.commands.events import ChatEvents
from bot.platforms.base import PlatformServices
from bot.platforms.telegram import RateLimits, TelegramOptions, TelegramPlatform, create_platform
from bot.settings import Settings
from bot.store import Store
from tests.fakes.telegram_api import TOKEN, FakeTelegram


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns on RetryAfter unless opted into timedeltas; the platform opts in too."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@dataclass
class Bot:
    """What a test drives and inspects: the fake server, the platform and the store."""

    tg: FakeTelegram
    platform: TelegramPlatform
    store: Store
    settings: Settings


def settings_for(tg: FakeTelegram, tmp_path: Path, **values: object) -> Settings:
    """Settings pointing the bot at the fake server (the API URL alone does it)."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
        telegram_token=TOKEN,  # type: ignore[arg-type]
        telegram_api_url=tg.api_url,
        http_port=0,
        **values,  # type: ignore[arg-type]
    )


def services_for(
    store: Store, settings: Settings, *, throttle: CommandThrottle | None = None
) -> PlatformServices:
    """Real commands and chat events over `store`, on the wall clock."""
    clock = lambda: datetime.now(UTC)  # noqa: E731
    return PlatformServices(
        commands=CommandService(store, settings=settings, clock=clock, throttle=throttle),
        events=ChatEvents(store, settings=settings, clock=clock),
    )


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server on loopback."""
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def throttle() -> CommandThrottle:
    """Tests talk faster than a person; the command limits have their own tests."""
    return CommandThrottle(ThrottleLimits(user=Rate(1000, 0.01), chat=Rate(1000, 0.01)))


@pytest.fixture
async def bot(tg: FakeTelegram, tmp_path: Path, throttle: CommandThrottle) -> AsyncIterator[Bot]:
    """A started platform with real commands and chat events; stopped after the test."""
    settings = settings_for(tg, tmp_path, admins="telegram:1")
    store = await Store.open(settings.database_url)
    services = services_for(store, settings, throttle=throttle)
    # Conversations in tests go faster than Telegram lets a bot talk; the limits have own tests.
    fast = RateLimits(per_second=1000, private_interval=0.0, group_messages=1000)
    options = TelegramOptions(poll_timeout=1, limits=fast)
    platform = create_platform(settings, services, options=options)
    await platform.start()
    try:
        yield Bot(tg, platform, store, settings)
    finally:
        await platform.stop()
        await store.close()

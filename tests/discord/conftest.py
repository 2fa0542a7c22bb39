"""A Discord platform logged in to the loopback fake, over a real store and command service."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.commands import CommandService, CommandThrottle, Rate, ThrottleLimits
from bot.commands.events import ChatEvents
from bot.platforms.base import PlatformServices
from bot.platforms.discord import DiscordPlatform, SyncRecord
from bot.settings import Settings
from bot.store import Store
from tests.fakes.discord_api import ADMIN_ID, FakeDiscord

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass
class Bot:
    """The running platform, its fake Discord and the store behind the commands."""

    platform: DiscordPlatform
    discord: FakeDiscord
    store: Store
    changes: list[str]


def clock() -> datetime:
    """A fixed clock: the tests do not depend on time passing."""
    return NOW


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings independent of the environment; ADMIN_ID is a bot operator."""
    for name in list(os.environ):
        if name.upper().startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    return Settings(language="en", admins=frozenset({f"discord:{ADMIN_ID}"}))


@pytest.fixture
def throttle() -> CommandThrottle:
    """Tests talk faster than a person; the command limits have their own tests."""
    return CommandThrottle(ThrottleLimits(user=Rate(1000, 0.01), chat=Rate(1000, 0.01)))


@pytest.fixture
async def bot(
    tmp_path: Path, settings: Settings, store: Store, throttle: CommandThrottle
) -> AsyncIterator[Bot]:
    """A started DiscordPlatform talking to a fresh FakeDiscord; stopped afterwards."""
    changes: list[str] = []

    async def changed() -> None:
        changes.append("subscriptions")

    commands = CommandService(
        store, settings=settings, clock=clock, on_subscriptions_changed=changed, throttle=throttle
    )
    events = ChatEvents(store, settings=settings, clock=clock, on_subscriptions_changed=changed)
    async with FakeDiscord() as discord:
        platform = DiscordPlatform(
            token="test-token",
            api_url=discord.api_url,
            services=PlatformServices(commands=commands, events=events),
            sync_record=SyncRecord(tmp_path / "newsbot.discord-commands.json"),
            ready_timeout=10,
            guild_ready_timeout=0.05,
        )
        await platform.start()
        try:
            yield Bot(platform, discord, store, changes)
        finally:
            await platform.stop()

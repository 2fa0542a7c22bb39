"""The issue's "done when": the whole app with Discord enabled against the loopback fake."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.app import App
from bot.settings import Settings, SourceConfig
from tests.fakes.discord_api import CHANNEL_ID, FakeDiscord
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.waiting import until

BORING = FeedItem(
    guid="heise-4211",
    title="Bundesnetzagentur versteigert Frequenzen für 5G",
    description="Die Auktion der Frequenzen für den neuen Mobilfunkstandard beginnt im März.",
)
XIAOMI = FeedItem(
    guid="golem-137319",
    title="Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera",
    description="Das Display von Xiaomis angekündigtem Smartphone Mi Mix 3 ist nahezu randlos.",
)


async def test_subscribe_and_receive_an_embed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/subscribe xiaomi is answered; a new matching article arrives as a linked embed."""
    for name in list(os.environ):
        if name.upper().startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    async with FakeDiscord() as discord, NewsSite() as site:
        site.publish("golem", BORING)
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}",
            poll_interval=1,
            http_port=0,
            language="en",
            discord_token="test-token",  # type: ignore[arg-type]  # pydantic makes it a SecretStr
            discord_api_url=discord.api_url,
            sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        )
        stop = asyncio.Event()
        running = asyncio.create_task(App(settings).run(stop))
        try:
            await until(lambda: bool(discord.syncs) and site.requests.get("golem", 0) >= 1)
            answer = await discord.command("subscribe", "xiaomi", option="query", locale="de")
            assert "xiaomi" in answer.text
            site.publish("golem", XIAOMI)
            await until(lambda: bool(discord.posted_to(CHANNEL_ID)))
            link = f"{site.base()}/{XIAOMI.guid}"
        finally:
            stop.set()
            async with asyncio.timeout(15):
                await running
    (post,) = discord.posted_to(CHANNEL_ID)
    assert post.embed["title"] == XIAOMI.title
    assert post.embed["url"] == link
    assert post.embed["footer"]["text"].startswith("Quelle: Golem")
    assert post.payload["allowed_mentions"] == {"parse": []}
    assert (tmp_path / "data" / "newsbot.discord-commands.json").exists()

"""Telegram and Discord in one process: one article, one alert in each subscribed chat."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.app import App
from bot.settings import Settings, SourceConfig
from tests.fakes.discord_api import CHANNEL_ID, FakeDiscord
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.telegram_api import TOKEN, FakeTelegram, User
from tests.fakes.waiting import until

ANNA = User(10, "Anna", language_code="de-DE")
BORING = FeedItem("heise-1", "Frequenzauktion beginnt", "Die Auktion beginnt im März.")
XIAOMI = FeedItem(
    "golem-2",
    "Xiaomi: Das Mi Mix 3 hat keine Notch",
    "Das Display von Xiaomis Smartphone Mi Mix 3 ist nahezu randlos.",
)


async def test_one_article_reaches_telegram_and_discord(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both platforms run side by side; each subscribed chat gets the alert once."""
    for name in list(os.environ):
        if name.upper().startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    async with FakeTelegram() as tg, FakeDiscord() as discord, NewsSite() as site:
        site.publish("golem", BORING)
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
            poll_interval=1,
            http_port=0,
            telegram_token=TOKEN,  # type: ignore[arg-type]
            telegram_api_url=tg.api_url,
            discord_token="test-token",  # type: ignore[arg-type]
            discord_api_url=discord.api_url,
            sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        )
        app = App(settings)
        stop = asyncio.Event()
        running = asyncio.create_task(app.run(stop))
        try:
            await until(lambda: {"telegram", "discord"} <= set(app.platforms))
            await until(lambda: site.requests.get("golem", 0) >= 1)
            chat = tg.private_chat(ANNA)
            tg.send_command(chat, ANNA, "/subscribe xiaomi")
            (answer,) = await tg.wait_sent(chat_id=chat.id)
            assert answer.visible.startswith("Abonniert")
            reply = await discord.command("subscribe", "xiaomi", option="query", locale="en-US")
            assert "xiaomi" in reply.text
            site.publish("golem", XIAOMI)
            _, alert = await tg.wait_sent(2, chat_id=chat.id, limit=15)
            await until(lambda: bool(discord.posted_to(CHANNEL_ID)))
            polls = site.requests["golem"]
            await until(lambda: site.requests["golem"] >= polls + 2)
        finally:
            stop.set()
            async with asyncio.timeout(15):
                await running
    assert alert.visible.startswith(XIAOMI.title)
    assert "\nQuelle: Golem" in alert.visible
    (post,) = discord.posted_to(CHANNEL_ID)
    assert post.embed["title"] == XIAOMI.title
    assert post.embed["footer"]["text"].startswith("Source: Golem")
    assert len(tg.sent_to(chat.id)) == 2

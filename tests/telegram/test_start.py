"""Telegram unreachable at start: one clear line, retries with backoff, the rest runs."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import pytest
from pydantic import SecretStr

from bot.app import App
from bot.platforms.telegram import (
    RateLimits,
    TelegramOptions,
    TelegramStartError,
    create_platform,
)
from bot.settings import Settings, SourceConfig
from bot.store import Store
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.telegram_api import TOKEN, FakeTelegram, User, server_error
from tests.fakes.waiting import until
from tests.ops.botproc import free_port
from tests.telegram.conftest import services_for, settings_for

ANNA = User(10, "Anna", language_code="en")


def _errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("bot")]


async def test_platform_retries_until_telegram_answers(
    tg: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """getMe failing at start: start() returns, one ERROR line, then it connects by itself."""
    tg.fail(server_error(502), method="getMe", times=3)
    settings = settings_for(tg, tmp_path)
    store = await Store.open(settings.database_url)
    services = services_for(store, settings)
    fast = RateLimits(per_second=1000, private_interval=0.0, group_messages=1000)
    options = TelegramOptions(poll_timeout=1, limits=fast, connect_backoff_initial=0.05)
    platform = create_platform(settings, services, options=options)
    try:
        with caplog.at_level(logging.INFO):
            await platform.start()
            assert not platform.healthy()
            await until(platform.healthy, limit=10)
        chat = tg.private_chat(ANNA)
        tg.send_command(chat, ANNA, "/help")
        (answer,) = await tg.wait_sent(chat_id=chat.id)
    finally:
        await platform.stop()
        await store.close()
    assert answer.visible
    assert [call for call, _ in tg.calls].count("getMe") == 4
    (error,) = _errors(caplog)
    assert "telegram unreachable at start" in error.getMessage()
    assert "retrying in the background" in error.getMessage()
    assert error.exc_info is None  # one line, no traceback
    assert TOKEN not in caplog.text


async def test_app_runs_while_telegram_cannot_be_reached(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Connection refused at start: the poller and /healthz run, Telegram is reported unhealthy."""
    closed = free_port()  # nothing listens here
    async with NewsSite() as site:
        site.publish("golem", FeedItem("1", "Xiaomi", "Xiaomi"))
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
            poll_interval=1,
            http_port=free_port(),
            telegram_token=TOKEN,  # type: ignore[arg-type]
            telegram_api_url=f"http://127.0.0.1:{closed}/bot",
            sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        )
        app = App(settings, shutdown_grace=0.5)
        stop = asyncio.Event()
        with caplog.at_level(logging.INFO):
            running = asyncio.create_task(app.run(stop))
            try:
                await until(lambda: site.requests.get("golem", 0) >= 2, limit=15)
                url = f"http://127.0.0.1:{settings.http_port}/healthz"
                async with aiohttp.ClientSession() as session, session.get(url) as response:
                    status, body = response.status, await response.json()
            finally:
                stop.set()
                await asyncio.wait_for(running, 10)
    assert status == 503
    assert body["failing"] == ["telegram"]
    (error,) = _errors(caplog)
    assert error.getMessage().startswith("telegram unreachable at start")
    assert error.exc_info is None
    assert any(
        "platforms: console on (always), telegram on" in r.getMessage() for r in caplog.records
    )


async def test_refused_token_is_one_clear_line(tmp_path: Path, tg: FakeTelegram) -> None:
    """A token Telegram refuses is no network trouble: start fails at once, naming the setting."""
    settings = settings_for(tg, tmp_path).model_copy(
        update={"telegram_token": SecretStr("4242:wrong-token")}
    )
    store = await Store.open(settings.database_url)
    services = services_for(store, settings)
    platform = create_platform(settings, services)
    try:
        with pytest.raises(TelegramStartError, match="refused NEWSBOT_TELEGRAM_TOKEN"):
            await platform.start()
        assert not platform.healthy()
    finally:
        await platform.stop()
        await store.close()

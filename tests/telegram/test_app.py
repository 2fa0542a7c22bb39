"""The whole app with Telegram: the issue's "done when", the token kept out of logs, webhooks."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import pytest

from bot.app import App
from bot.settings import Settings, SourceConfig
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.telegram_api import TOKEN, FakeTelegram, User, server_error
from tests.fakes.waiting import until

ANNA = User(10, "Anna", language_code="de-DE")
BORING = FeedItem("heise-1", "Frequenzauktion beginnt", "Die Auktion beginnt im März.")
XIAOMI = FeedItem(
    "golem-2",
    "Xiaomi: Das Mi Mix 3 hat keine Notch",
    "Das Display von Xiaomis Smartphone Mi Mix 3 ist nahezu randlos.",
)


def _settings(tmp_path: Path, tg: FakeTelegram, site: NewsSite, **values: object) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'newsbot.db'}",
        poll_interval=1,
        http_port=0,
        telegram_token=TOKEN,  # type: ignore[arg-type]
        telegram_api_url=tg.api_url,
        sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        **values,  # type: ignore[arg-type]
    )


async def test_done_when_subscribe_in_private_chat_gets_a_german_alert(tmp_path: Path) -> None:
    """/subscribe xiaomi is answered; a new article arrives as a German alert with buttons."""
    async with FakeTelegram() as tg, NewsSite() as site:
        site.publish("golem", BORING)
        app = App(_settings(tmp_path, tg, site))
        stop = asyncio.Event()
        running = asyncio.create_task(app.run(stop))
        try:
            await until(lambda: site.requests.get("golem", 0) >= 1 and "telegram" in app.platforms)
            chat = tg.private_chat(ANNA)
            tg.send_command(chat, ANNA, "/subscribe xiaomi")
            (answer,) = await tg.wait_sent(chat_id=chat.id)
            assert answer.visible.startswith("Abonniert")
            site.publish("golem", XIAOMI)
            _, alert = await tg.wait_sent(2, chat_id=chat.id, limit=15)
            assert alert.parse_mode == "HTML"
            assert alert.visible.startswith(XIAOMI.title)
            assert "\nQuelle: Golem" in alert.visible
            assert alert.links[0]["href"].endswith("/golem-2")
            (sub,) = await app.store.list_subscriptions(platform="telegram")  # type: ignore[union-attr]
            assert alert.buttons()[0] == ("⏸ Pausieren", f"p:{sub.id}")
            tg.press(ANNA, alert, f"p:{sub.id}")
            await tg.wait_for(lambda: bool(tg.callback_answers))
            assert "pausiert" in tg.callback_answers[0]["text"]
            assert app.platforms["telegram"].healthy()
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)
        (paused,) = await _subscriptions(tmp_path, tg, site)
        assert paused.paused


async def _subscriptions(tmp_path: Path, tg: FakeTelegram, site: NewsSite) -> list:  # type: ignore[type-arg]
    from bot.store import Store

    store = await Store.open(_settings(tmp_path, tg, site).database_url)
    try:
        return await store.list_subscriptions(platform="telegram")
    finally:
        await store.close()


async def test_token_never_reaches_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """At DEBUG, with httpx request lines, PTB's base-URL line and failures: no token."""
    caplog.set_level(logging.DEBUG)
    # Other tests may have quietened these loggers (configure_logging); hear everything here.
    for name in ("httpx", "httpcore", "telegram", "telegram.ext.Updater"):
        caplog.set_level(logging.DEBUG, logger=name)
    async with FakeTelegram() as tg, NewsSite() as site:
        tg.fail(server_error(502), method="getUpdates", times=2)
        app = App(_settings(tmp_path, tg, site))
        stop = asyncio.Event()
        running = asyncio.create_task(app.run(stop))
        try:
            await until(lambda: len(tg.called("getUpdates")) >= 4)
            assert not app.platforms["telegram"].healthy()  # polling failed just now
            chat = tg.private_chat(ANNA)
            tg.send_command(chat, ANNA, "/help")
            await tg.wait_sent(chat_id=chat.id)
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)
    secret = TOKEN.partition(":")[2]
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log
    assert any("getUpdates" in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text
    assert all(secret not in r.getMessage() for r in caplog.records)


async def test_webhook_mode_receives_updates(tmp_path: Path, unused_tcp_port: int) -> None:
    """With a webhook URL set, the bot listens there, checks the secret and answers commands."""
    async with FakeTelegram() as tg, NewsSite() as site:
        url = f"http://127.0.0.1:{unused_tcp_port}/tg/hook"
        settings = _settings(
            tmp_path,
            tg,
            site,
            telegram_webhook_url=url,
            telegram_webhook_listen="127.0.0.1",
            telegram_webhook_port=unused_tcp_port,
            telegram_webhook_secret="s3cret-value",
        )
        app = App(settings)
        stop = asyncio.Event()
        running = asyncio.create_task(app.run(stop))
        try:
            await until(lambda: tg.webhook is not None)
            assert tg.webhook is not None
            assert tg.webhook["url"] == url
            assert tg.webhook["secret_token"] == "s3cret-value"
            assert not tg.called("getUpdates")
            chat = tg.private_chat(ANNA)
            tg.send_command(chat, ANNA, "/start")
            update = tg.take_updates()[0]
            async with aiohttp.ClientSession() as http:
                wrong = await http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "no"}
                )
                assert wrong.status == 403
                right = await http.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-value"}
                )
                assert right.status == 200
            (reply,) = await tg.wait_sent(chat_id=chat.id)
            assert reply.visible.startswith("Hallo")
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)

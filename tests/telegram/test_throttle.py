"""The command limits on Telegram: "slow down" once in the chat's language, then silence."""

from __future__ import annotations

import asyncio

import pytest

from bot.commands import CommandThrottle, Rate, ThrottleLimits
from tests.fakes.telegram_api import User
from tests.telegram.conftest import Bot

ANNA = User(10, "Anna", language_code="de-DE")
BEN = User(11, "Ben", language_code="en")


@pytest.fixture
def throttle() -> CommandThrottle:
    """Two commands per user, then one a minute; chats unlimited."""
    return CommandThrottle(ThrottleLimits(user=Rate(2, 60.0), chat=Rate(1000, 0.01)))


async def test_a_flooding_user_is_warned_once_in_german_then_ignored(bot: Bot) -> None:
    """Of five commands two are answered, the third says slow down (German), two get nothing."""
    chat = bot.tg.private_chat(ANNA)
    for text in ("/help", "/list", "/status", "/help", "/sources"):
        bot.tg.send_command(chat, ANNA, text)
    other = bot.tg.private_chat(BEN)
    bot.tg.send_command(other, BEN, "/help")
    await bot.tg.wait_sent(chat_id=other.id)
    await bot.tg.wait_sent(3, chat_id=chat.id)
    await asyncio.sleep(0.3)
    replies = [m.visible for m in bot.tg.sent_to(chat.id)]
    assert len(replies) == 3
    assert replies[2].startswith("Nicht so schnell")
    assert "/subscribe" in replies[0]

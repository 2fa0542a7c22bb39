"""The command limits on Discord: a flooding user is told once to slow down, then ignored."""

from __future__ import annotations

import asyncio

import pytest

from bot.commands import CommandThrottle, Rate, ThrottleLimits
from tests.discord.conftest import Bot
from tests.fakes.discord_api import ADMIN_ID, MEMBER_ID


@pytest.fixture
def throttle() -> CommandThrottle:
    """Two commands per user, then one a minute; chats unlimited."""
    return CommandThrottle(ThrottleLimits(user=Rate(2, 60.0), chat=Rate(1000, 0.01)))


async def test_a_flooding_user_is_warned_once_then_ignored(bot: Bot) -> None:
    """Two answers, one ephemeral "slow down", then silence; another user is still answered."""
    first = await bot.discord.command("help", user=ADMIN_ID)
    second = await bot.discord.command("status", user=ADMIN_ID)
    warned = await bot.discord.command("help", user=ADMIN_ID)
    ignored = await bot.discord.command("help", user=ADMIN_ID, wait=False)
    other = await bot.discord.command("help", user=MEMBER_ID)
    await asyncio.sleep(0.2)
    assert "/subscribe" in first.text
    assert second.text
    assert warned.text.startswith("Slow down")
    assert warned.ephemeral
    assert "/subscribe" in other.text
    assert ignored.callbacks == []
    assert ignored.followups == []

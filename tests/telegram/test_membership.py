"""The bot's membership: removal or blocking deactivates, joining greets, migration moves."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from bot.store import SubscriptionRecord
from tests.fakes.telegram_api import Chat, Member, User
from tests.telegram.conftest import Bot

ANNA = User(10, "Anna", language_code="de")


async def _subscribe(bot: Bot, chat_id: int) -> SubscriptionRecord:
    return await bot.store.add_subscription(
        platform="telegram",
        chat_id=str(chat_id),
        thread_id=None,
        query="xiaomi",
        language=None,
        created_by=None,
        now=datetime.now(UTC),
    )


async def _active(bot: Bot, chat_id: int) -> list[SubscriptionRecord]:
    return await bot.store.list_subscriptions(platform="telegram", chat_id=str(chat_id))


async def _eventually(condition: Callable[[], Awaitable[bool]], limit: float = 5.0) -> None:
    """Wait until the bot has handled the update (the store says so)."""
    async with asyncio.timeout(limit):
        # The bot's own tasks change the store; there is no event to wait on from here.
        while not await condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


@pytest.mark.parametrize(
    ("chat_type", "old", "new", "reason"),
    [
        ("private", Member("member"), Member("kicked"), "blocked"),
        ("supergroup", Member("member"), Member("left"), "removed"),
        ("supergroup", Member("administrator"), Member("kicked"), "removed"),
        ("supergroup", Member("member"), Member("restricted", can_post=False), "no longer post"),
        (
            "channel",
            Member("administrator"),
            Member("administrator", can_post=False),
            "no longer post",
        ),
    ],
    ids=["blocked", "removed", "banned", "muted", "channel-rights-taken"],
)
async def test_losing_the_chat_deactivates_with_a_reason(
    bot: Bot, chat_type: str, old: Member, new: Member, reason: str
) -> None:
    """my_chat_member to kicked, left or without posting rights ends the chat's subscriptions."""
    chat = (
        bot.tg.private_chat(ANNA)
        if chat_type == "private"
        else bot.tg.add_chat(Chat(-1001000, chat_type, "Chat"))  # type: ignore[arg-type]
    )
    await _subscribe(bot, chat.id)
    bot.tg.bot_membership_changed(chat, ANNA, old, new)

    async def deactivated() -> bool:
        return not await _active(bot, chat.id)

    await _eventually(deactivated)
    (sub,) = await bot.store.list_subscriptions(
        platform="telegram", chat_id=str(chat.id), active_only=False
    )
    assert reason in (sub.deactivated_reason or "")


async def test_added_to_a_group_greets_in_the_adders_language(bot: Bot) -> None:
    """Joining a group posts the short help, in German for a German-speaking adder."""
    group = bot.tg.add_chat(Chat(-1001000, "supergroup", "Redaktion"), bot=Member("left"))
    bot.tg.bot_membership_changed(group, ANNA, Member("left"), Member("member"))
    (greeting,) = await bot.tg.wait_sent(chat_id=group.id)
    assert "/subscribe" in greeting.visible
    assert "Hallo" in greeting.visible


async def test_migration_moves_subscriptions_to_the_supergroup(bot: Bot) -> None:
    """migrate_to_chat_id moves the group's subscriptions to the new id."""
    group = bot.tg.add_chat(Chat(-4242, "group", "Alt"))
    await _subscribe(bot, group.id)
    bot.tg.announce_migration(group, -1004242, ANNA)

    async def moved() -> bool:
        return bool(await _active(bot, -1004242))

    await _eventually(moved)
    assert not await _active(bot, group.id)

"""Alerts as embeds with buttons, delivery errors, chat events and gateway drops, over the fake."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.delivery.platform import (
    EditRefusedError,
    Outgoing,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from bot.model import Alert, OtherReport, Target
from bot.platforms.discord import DiscordPlatform, SyncRecord
from bot.store import SubscriptionRecord
from tests.discord.conftest import NOW, Bot
from tests.fakes.discord_api import (
    ADMIN_ID,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER_ID,
    MISSING_PERMISSIONS,
    OTHER_CHANNEL_ID,
    RATE_LIMITED,
    THREAD_ID,
    UNAVAILABLE,
    UNKNOWN_CHANNEL,
    Failure,
    Posted,
    channel_deleted,
)

ZW = "\u200b"


async def _subscribe(
    bot: Bot, query: str = "xiaomi", *, chat: int = CHANNEL_ID, thread: int | None = None
) -> SubscriptionRecord:
    return await bot.store.add_subscription(
        platform="discord",
        chat_id=str(chat),
        thread_id=str(thread) if thread else None,
        query=query,
        language=None,
        created_by=str(ADMIN_ID),
        now=NOW,
    )


def _outgoing(
    sub: SubscriptionRecord,
    *,
    title: str = "Xiaomi 15 Ultra kommt nach Europa",
    language: str = "de",
) -> Outgoing:
    alert = Alert(
        title=title,
        link="https://example.com/xiaomi-15",
        summary="Xiaomi bringt das 15 Ultra nach Europa. Der Preis steht noch nicht fest.",
        source="heise online",
        published=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        matched=("Xiaomi",),
        language="de",
    )
    target = Target("discord", sub.chat_id, sub.thread_id)
    return Outgoing(
        outbox_id=1, subscription_id=sub.id, target=target, language=language, alert=alert
    )


async def _post(bot: Bot, outgoing: Outgoing) -> Posted:
    message_id = await bot.platform.send_alert(outgoing)
    (post,) = [p for p in bot.discord.posted if str(p.id) == message_id]
    return post


async def test_alert_embed(bot: Bot) -> None:
    """Title linked to the article, summary, source footer, timestamp, matched words, buttons."""
    sub = await _subscribe(bot)
    post = await _post(bot, _outgoing(sub))
    embed = post.embed
    assert post.channel_id == CHANNEL_ID
    assert embed["title"] == "Xiaomi 15 Ultra kommt nach Europa"
    assert embed["url"] == "https://example.com/xiaomi-15"
    assert embed["description"].startswith("Xiaomi bringt das 15 Ultra")
    assert embed["footer"]["text"] == "Quelle: heise online"  # the timestamp carries the time
    assert embed["timestamp"].startswith("2026-11-25T09:30:00")
    assert embed["fields"] == [{"name": "Treffer", "value": "Xiaomi", "inline": False}]
    assert post.payload["allowed_mentions"] == {"parse": []}
    assert post.custom_ids() == [f"newsbot:pause:{sub.id}", f"newsbot:unsub:{sub.id}"]
    labels = [c["label"] for row in post.payload["components"] for c in row["components"]]
    assert labels == ["Pausieren", "Abbestellen"]


async def test_alert_in_a_thread_posts_into_the_thread(bot: Bot) -> None:
    """A thread's subscription posts into the thread, not its channel."""
    sub = await _subscribe(bot, thread=THREAD_ID)
    post = await _post(bot, _outgoing(sub))
    assert post.channel_id == THREAD_ID


async def test_mentions_in_feed_text_never_ping(bot: Bot) -> None:
    """@everyone and a role mention in a title show as text and allow no mentions."""
    sub = await _subscribe(bot)
    title = "@everyone: <@&123456789012345678> Xiaomi-Leak @here"
    post = await _post(bot, _outgoing(sub, title=title))
    shown = post.embed["title"]
    assert "@everyone" not in shown
    assert "<@&" not in shown
    assert "@here" not in shown
    assert shown.replace(ZW, "") == title
    assert post.payload["allowed_mentions"] == {"parse": []}


async def test_very_long_alert_is_accepted(bot: Bot) -> None:
    """A summary far past Discord's limits is shortened so that the fake's checks pass."""
    sub = await _subscribe(bot)
    outgoing = _outgoing(sub, title="Xiaomi " * 100)
    long = replace(outgoing.alert, summary="Xiaomi hat etwas angekündigt. " * 400)
    post = await _post(bot, replace(outgoing, alert=long))
    assert post.embed["description"].endswith("angekündigt.")


async def test_pause_button(bot: Bot) -> None:
    """Pause pauses the alert's subscription, through the command service."""
    sub = await _subscribe(bot)
    post = await _post(bot, _outgoing(sub))
    answer = await bot.discord.press(post, f"newsbot:pause:{sub.id}")
    assert "1" in answer.text
    (after,) = await bot.store.list_subscriptions(platform="discord")
    assert after.paused


async def test_unsubscribe_button_needs_manage_channels(bot: Bot) -> None:
    """A member without Manage Channels is told so; an admin's press ends the subscription."""
    sub = await _subscribe(bot)
    post = await _post(bot, _outgoing(sub))
    refused = await bot.discord.press(
        post, f"newsbot:unsub:{sub.id}", user=MEMBER_ID, manage_channels=False
    )
    assert refused.ephemeral
    assert len(await bot.store.list_subscriptions(platform="discord")) == 1
    await bot.discord.press(post, f"newsbot:unsub:{sub.id}")
    assert await bot.store.list_subscriptions(platform="discord") == []


async def test_buttons_work_after_a_restart(bot: Bot, tmp_path: Path) -> None:
    """A button on a message from before a restart still acts (stable custom ids)."""
    sub = await _subscribe(bot)
    post = await _post(bot, _outgoing(sub))
    await bot.platform.stop()
    restarted = DiscordPlatform(
        token="test-token",
        api_url=bot.discord.api_url,
        services=bot.platform._services,
        sync_record=SyncRecord(tmp_path / "newsbot.discord-commands.json"),
        guild_ready_timeout=0.05,
    )
    await restarted.start()
    try:
        await bot.discord.press(post, f"newsbot:pause:{sub.id}")
    finally:
        await restarted.stop()
    (after,) = await bot.store.list_subscriptions(platform="discord")
    assert after.paused
    assert bot.discord.identifies == 2
    assert len(bot.discord.syncs) == 1  # the definition did not change: no second sync


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (MISSING_PERMISSIONS, PermanentDeliveryError),
        (UNKNOWN_CHANNEL, PermanentDeliveryError),
        (UNAVAILABLE, TransientDeliveryError),
        (Failure(400, 50035, "Invalid Form Body"), TransientDeliveryError),
    ],
    ids=["403-missing-permissions", "404-unknown-channel", "503", "400"],
)
async def test_send_errors(bot: Bot, failure: Failure, expected: type[Exception]) -> None:
    """Lost permissions and gone channels end the subscription; outages are retried later."""
    sub = await _subscribe(bot)
    bot.discord.fail_next(CHANNEL_ID, failure)
    with pytest.raises(expected):
        await bot.platform.send_alert(_outgoing(sub))


async def test_rate_limit_is_left_to_discord_py(bot: Bot) -> None:
    """A 429 (with Via) is waited out inside discord.py and the send then succeeds."""
    sub = await _subscribe(bot)
    bot.discord.fail_next(CHANNEL_ID, RATE_LIMITED)
    await _post(bot, _outgoing(sub))
    assert len(bot.discord.posted_to(CHANNEL_ID)) == 1


async def test_deleted_channel_ends_its_subscriptions(bot: Bot) -> None:
    """CHANNEL_DELETE deactivates the channel's subscriptions (its threads' too), no others."""
    await _subscribe(bot, "xiaomi")
    await _subscribe(bot, "huawei", thread=THREAD_ID)
    other = await _subscribe(bot, "samsung", chat=OTHER_CHANNEL_ID)
    await bot.discord.dispatch("CHANNEL_DELETE", channel_deleted(CHANNEL_ID))
    await _until(lambda: bool(bot.changes))
    remaining = await bot.store.list_subscriptions(platform="discord")
    assert [sub.id for sub in remaining] == [other.id]
    (gone, *_) = await bot.store.list_subscriptions(platform="discord", active_only=False)
    assert gone.deactivated_reason == "discord: channel deleted"


async def test_removed_from_the_server(bot: Bot) -> None:
    """GUILD_DELETE (removed, not an outage) ends every channel's subscriptions there."""
    await _subscribe(bot, "xiaomi")
    await _subscribe(bot, "samsung", chat=OTHER_CHANNEL_ID)
    await bot.discord.dispatch("GUILD_DELETE", {"id": str(GUILD_ID)})
    await _until(lambda: len(bot.changes) >= 2)
    assert await bot.store.list_subscriptions(platform="discord") == []


async def test_gateway_drop_resumes_without_losing_anything(bot: Bot) -> None:
    """A dropped gateway resumes the session; an interaction sent meanwhile is still answered."""
    sub = await _subscribe(bot)
    await bot.discord.drop_gateway()
    # Alerts go over REST, so they are posted even while the gateway reconnects.
    await _post(bot, _outgoing(sub))
    answer = await bot.discord.command("list")
    await bot.discord.wait_connected()
    assert "xiaomi" in answer.text
    assert (bot.discord.identifies, bot.discord.resumes) == (1, 1)
    assert bot.platform.healthy()


async def test_reconnect_request_resumes(bot: Bot) -> None:
    """Discord's op 7 RECONNECT is followed by a RESUME, not a new session."""
    await bot.discord.request_reconnect()
    await bot.discord.wait_connected()
    answer = await bot.discord.command("status")
    assert answer.text
    assert (bot.discord.identifies, bot.discord.resumes) == (1, 1)


async def _until(condition: object, limit: float = 5.0) -> None:
    assert callable(condition)
    async with asyncio.timeout(limit):
        # The gateway event is handled by the client's own task.
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_story_edit_adds_the_other_outlets_as_a_field(bot: Bot) -> None:
    """An edit patches the sent message: the embed gains an `Auch berichtet von` field with
    each outlet linked, the buttons stay, nothing new is posted."""
    sub = await _subscribe(bot)
    outgoing = _outgoing(sub)
    post = await _post(bot, outgoing)
    also = (
        OtherReport("Golem", "Xiaomi 15 Ultra im Test", "https://golem.example/xiaomi-15"),
        OtherReport("The Verge", "Xiaomi 15 Ultra launches", "https://verge.example/x15"),
    )
    edit = replace(outgoing, alert=replace(outgoing.alert, also=also), message_id=str(post.id))
    await bot.platform.edit_alert(edit)
    assert len(bot.discord.posted) == 1
    assert post.edits == 1
    fields = {f["name"]: f["value"] for f in post.embed["fields"]}
    assert fields["Auch berichtet von"] == (
        "[Golem](https://golem.example/xiaomi-15), [The Verge](https://verge.example/x15)"
    )
    assert post.custom_ids() == [f"newsbot:pause:{sub.id}", f"newsbot:unsub:{sub.id}"]


async def test_edit_of_a_deleted_message_is_refused_not_reposted(bot: Bot) -> None:
    """Discord answers 10008 Unknown Message: EditRefusedError, and no new message."""
    sub = await _subscribe(bot)
    outgoing = _outgoing(sub)
    post = await _post(bot, outgoing)
    bot.discord.deleted_messages.add(post.id)
    with pytest.raises(EditRefusedError):
        await bot.platform.edit_alert(replace(outgoing, message_id=str(post.id)))
    assert len(bot.discord.posted) == 1

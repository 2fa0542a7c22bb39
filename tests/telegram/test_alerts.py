"""Alerts on Telegram: HTML that survives hostile feeds, buttons, threads, errors, parking."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.delivery.platform import (
    ChatMigratedError,
    Outgoing,
    PermanentDeliveryError,
    RejectedAlertError,
    TransientDeliveryError,
)
from bot.model import Alert, Target
from bot.store import SubscriptionRecord
from tests.fakes.telegram_api import (
    Chat,
    Failure,
    User,
    blocked,
    chat_not_found,
    migrated,
    retry_after,
    server_error,
)
from tests.telegram.conftest import Bot

ANNA = User(10, "Anna", language_code="de")
JOHN = User(11, "John", language_code="en")
HOSTILE_TITLE = 'Xiaomi </a><b>&amp; "Co" <script>alert(1)</script> & שלום 👩‍👩‍👧 \u202eRTL'
HOSTILE_SUMMARY = "1 < 2 && 3 > 2 </b> <i>unclosed &nbsp; &#99999999; Xiaomi wächst. Ende."


def _alert(title: str = "Xiaomi zeigt das Mi Mix 3", summary: str = "Es ist randlos.") -> Alert:
    return Alert(
        title=title,
        link="https://www.golem.de/news/xiaomi?a=1&b=2",
        summary=summary,
        source="Golem & Co",
        published=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        matched=("Xiaomi",),
        language="de",
    )


async def _subscribe(bot: Bot, chat_id: int, *, thread: str | None = None) -> SubscriptionRecord:
    return await bot.store.add_subscription(
        platform="telegram",
        chat_id=str(chat_id),
        thread_id=thread,
        query="xiaomi",
        language=None,
        created_by=str(ANNA.id),
        now=datetime.now(UTC),
    )


def _outgoing(sub: SubscriptionRecord, alert: Alert, language: str = "de") -> Outgoing:
    target = Target("telegram", sub.chat_id, sub.thread_id)
    return Outgoing(
        outbox_id=1, subscription_id=sub.id, target=target, language=language, alert=alert
    )


async def test_hostile_alert_renders_exactly(bot: Bot) -> None:
    """Markup in title and summary is shown as text; the title links the article."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    message_id = await bot.platform.send_alert(
        _outgoing(sub, _alert(HOSTILE_TITLE, HOSTILE_SUMMARY))
    )
    (sent,) = bot.tg.sent_to(chat.id)
    assert message_id == str(sent.message_id)
    assert sent.parse_mode == "HTML"
    assert sent.visible.startswith(HOSTILE_TITLE)
    assert HOSTILE_SUMMARY in sent.visible
    assert "Quelle: Golem & Co, 25. Nov. 2026, 09:00 UTC" in sent.visible
    assert "Treffer: Xiaomi" in sent.visible
    assert sent.links == [{"href": "https://www.golem.de/news/xiaomi?a=1&b=2"}]
    assert sent.link_preview == {"url": "https://www.golem.de/news/xiaomi?a=1&b=2"}


@pytest.mark.parametrize(
    ("language", "labels"),
    [("de", ["⏸ Pausieren", "✖ Abbestellen"]), ("en", ["⏸ Pause", "✖ Unsubscribe"])],
    ids=["de", "en"],
)
async def test_buttons_in_the_alert_language(bot: Bot, language: str, labels: list[str]) -> None:
    """Pause and Unsubscribe buttons carry the subscription id."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    await bot.platform.send_alert(_outgoing(sub, _alert(), language))
    (sent,) = bot.tg.sent_to(chat.id)
    assert sent.buttons() == [(labels[0], f"p:{sub.id}"), (labels[1], f"u:{sub.id}")]


async def test_pause_and_unsubscribe_buttons_work(bot: Bot) -> None:
    """Pressing Pause pauses, Unsubscribe ends the subscription; each answers with a toast."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    await bot.platform.send_alert(_outgoing(sub, _alert()))
    (sent,) = bot.tg.sent_to(chat.id)
    bot.tg.press(ANNA, sent, f"p:{sub.id}")
    await bot.tg.wait_for(lambda: len(bot.tg.callback_answers) == 1)
    (paused,) = await bot.store.list_subscriptions(platform="telegram")
    assert paused.paused
    bot.tg.press(ANNA, sent, f"u:{sub.id}")
    await bot.tg.wait_for(lambda: len(bot.tg.callback_answers) == 2)
    assert not await bot.store.list_subscriptions(platform="telegram")
    first, second = (answer["text"] for answer in bot.tg.callback_answers)
    assert "pausiert" in first
    assert "xiaomi" in second
    assert len(first) <= 200


async def test_buttons_in_a_group_need_an_admin(bot: Bot) -> None:
    """A member's press is refused with a toast; an administrator's works."""
    group = bot.tg.add_chat(Chat(-1001000, "supergroup", "Redaktion"))
    bot.tg.add_user(ANNA, chat=group, status="administrator")
    bot.tg.add_user(JOHN, chat=group, status="member")
    sub = await _subscribe(bot, group.id)
    await bot.platform.send_alert(_outgoing(sub, _alert(), "en"))
    (sent,) = bot.tg.sent_to(group.id)
    bot.tg.press(JOHN, sent, f"u:{sub.id}")
    await bot.tg.wait_for(lambda: len(bot.tg.callback_answers) == 1)
    assert "administrators" in bot.tg.callback_answers[0]["text"]
    assert await bot.store.list_subscriptions(platform="telegram")
    bot.tg.press(ANNA, sent, f"u:{sub.id}")
    await bot.tg.wait_for(lambda: len(bot.tg.callback_answers) == 2)
    assert not await bot.store.list_subscriptions(platform="telegram")


async def test_unknown_button_gets_a_toast(bot: Bot) -> None:
    """A payload we did not write is answered, not ignored (the spinner would keep turning)."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    await bot.platform.send_alert(_outgoing(sub, _alert()))
    bot.tg.press(ANNA, bot.tg.sent[0], "zz")
    await bot.tg.wait_for(lambda: len(bot.tg.callback_answers) == 1)
    assert bot.tg.callback_answers[0]["text"]


async def test_alert_goes_into_the_subscriptions_topic(bot: Bot) -> None:
    """A subscription made in a forum topic posts its alerts there (message_thread_id)."""
    forum = bot.tg.add_chat(Chat(-1003000, "supergroup", "Forum", is_forum=True))
    sub = await _subscribe(bot, forum.id, thread="77")
    await bot.platform.send_alert(_outgoing(sub, _alert()))
    assert bot.tg.sent_to(forum.id)[0].thread_id == 77


async def test_channel_by_name(bot: Bot) -> None:
    """An operator target `telegram:@channel` is sent to by its name."""
    bot.tg.add_chat(Chat(-1002000, "channel", "Tech", username="technews"))
    sub = await _subscribe(bot, 0)
    outgoing = _outgoing(sub, _alert())
    named = Outgoing(1, sub.id, Target("telegram", "@technews"), "de", outgoing.alert)
    await bot.platform.send_alert(named)
    assert len(bot.tg.sent_to(-1002000)) == 1


@pytest.mark.parametrize(
    ("failure", "error", "detail"),
    [
        (retry_after(30), TransientDeliveryError, 30.0),
        (blocked(), PermanentDeliveryError, "blocked by the user"),
        (chat_not_found(), PermanentDeliveryError, "chat not found"),
        (migrated(-1009999), ChatMigratedError, "-1009999"),
        (server_error(502), TransientDeliveryError, None),
        (server_error(500), TransientDeliveryError, None),
    ],
    ids=["flood", "blocked", "chat-not-found", "migrated", "bad-gateway", "internal-error"],
)
async def test_send_errors_become_delivery_errors(
    bot: Bot, failure: Failure, error: type[Exception], detail: object
) -> None:
    """Each Bot API error answer raises the delivery error that says what to do next."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    bot.tg.fail(failure, chat_id=chat.id)
    with pytest.raises(error) as raised:
        await bot.platform.send_alert(_outgoing(sub, _alert()))
    if isinstance(raised.value, TransientDeliveryError):
        assert raised.value.retry_after == detail
    elif isinstance(raised.value, ChatMigratedError):
        assert raised.value.new_chat_id == detail
    else:
        assert str(detail) in str(raised.value).lower()


async def test_flood_wait_parks_only_that_chat(bot: Bot) -> None:
    """After a RetryAfter of hours, that chat is refused at once; other chats still get theirs."""
    parked, other = bot.tg.private_chat(ANNA), bot.tg.private_chat(JOHN)
    parked_sub, other_sub = await _subscribe(bot, parked.id), await _subscribe(bot, other.id)
    bot.tg.fail(retry_after(7200), chat_id=parked.id)
    with pytest.raises(TransientDeliveryError):
        await bot.platform.send_alert(_outgoing(parked_sub, _alert()))
    calls = len(bot.tg.called("sendMessage"))
    with pytest.raises(TransientDeliveryError) as again:
        await bot.platform.send_alert(_outgoing(parked_sub, _alert()))
    assert again.value.retry_after == pytest.approx(7200, abs=5)
    assert len(bot.tg.called("sendMessage")) == calls  # parked: Telegram was not asked
    await bot.platform.send_alert(_outgoing(other_sub, _alert()))
    assert len(bot.tg.sent_to(other.id)) == 1


async def test_refused_html_falls_back_to_plain_text_once(bot: Bot) -> None:
    """A message Telegram cannot parse goes again as plain text; a second refusal drops
    that alert only (the subscription stays)."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    entities = Failure(400, "Bad Request: can't parse entities: Unsupported start tag")
    bot.tg.fail(entities, chat_id=chat.id)
    await bot.platform.send_alert(_outgoing(sub, _alert()))
    (sent,) = bot.tg.sent_to(chat.id)
    assert sent.parse_mode is None
    assert sent.visible.startswith("Xiaomi zeigt das Mi Mix 3\nhttps://www.golem.de/")
    assert sent.buttons()
    bot.tg.fail(entities, chat_id=chat.id, times=2)
    with pytest.raises(RejectedAlertError):
        await bot.platform.send_alert(_outgoing(sub, _alert()))


async def test_health_follows_the_network(bot: Bot) -> None:
    """Repeated 5xx on sends mark the platform unhealthy; a success heals it."""
    chat = bot.tg.private_chat(ANNA)
    sub = await _subscribe(bot, chat.id)
    assert bot.platform.healthy()
    bot.tg.fail(server_error(502), chat_id=chat.id, times=3)
    for _ in range(3):
        with pytest.raises(TransientDeliveryError):
            await bot.platform.send_alert(_outgoing(sub, _alert()))
    assert not bot.platform.healthy()
    await bot.platform.send_alert(_outgoing(sub, _alert()))
    assert bot.platform.healthy()

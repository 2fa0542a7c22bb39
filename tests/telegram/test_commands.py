"""Every command through real PTB against the fake Bot API: private, group, topic, channel."""

from __future__ import annotations

import pytest

from bot.commands import COMMANDS
from tests.fakes.telegram_api import Chat, Member, User
from tests.telegram.conftest import Bot

ANNA = User(10, "Anna", language_code="de-AT")
JOHN = User(11, "John", language_code="en")
OPERATOR = User(1, "Olga", language_code="en")  # listed in NEWSBOT_ADMINS

# command -> (German words, English words) its reply must contain
REPLIES = {
    "/start": ("Hallo", "Hello"),
    "/help": ("Befehle", "Commands"),
    "/subscribe xiaomi": ("Abonniert", "Subscribed"),
    "/list": ("xiaomi", "xiaomi"),
    "/pause": ("pausiert", "Paused"),
    "/resume": ("fortgesetzt", "Resumed"),
    "/preview xiaomi": ("Tage", "days"),
    "/sources": ("Feeds", "feeds"),
    "/status": ("Status", "status"),
    "/unsubscribe xiaomi": ("Abo beendet", "Unsubscribed"),
    "/lang": ("Sprache", "language"),
    "/frobnicate": ("/frobnicate", "/frobnicate"),
}


@pytest.mark.parametrize(("user", "column"), [(ANNA, 0), (JOHN, 1)], ids=["de", "en"])
async def test_every_command_in_a_private_chat(bot: Bot, user: User, column: int) -> None:
    """Each command is answered in the user's language (language_code de* picks German)."""
    chat = bot.tg.private_chat(user)
    for number, (text, words) in enumerate(REPLIES.items(), start=1):
        bot.tg.send_command(chat, user, text)
        replies = await bot.tg.wait_sent(number, chat_id=chat.id)
        assert words[column].lower() in replies[-1].visible.lower(), text
        assert replies[-1].parse_mode is None  # replies are plain text: nothing to escape
    assert len(bot.tg.sent_to(chat.id)) == len(REPLIES)


async def test_language_command_switches_replies(bot: Bot) -> None:
    """/language en in a German user's chat makes the next replies English."""
    chat = bot.tg.private_chat(ANNA)
    bot.tg.send_command(chat, ANNA, "/language en")
    bot.tg.send_command(chat, ANNA, "/help")
    first, second = await bot.tg.wait_sent(2, chat_id=chat.id)
    assert "English" in first.visible
    assert "Commands" in second.visible


async def test_source_commands_for_bot_admins_only(bot: Bot) -> None:
    """/addsource is refused for ordinary users and accepted from NEWSBOT_ADMINS."""
    chat = bot.tg.private_chat(JOHN)
    bot.tg.send_command(chat, JOHN, "/addsource https://www.heise.de/rss/heise-atom.xml")
    (refusal,) = await bot.tg.wait_sent(chat_id=chat.id)
    assert "operators" in refusal.visible
    own = bot.tg.private_chat(OPERATOR)
    bot.tg.send_command(own, OPERATOR, "/addsource https://www.heise.de/rss/heise-atom.xml")
    bot.tg.send_command(own, OPERATOR, "/removesource 1")
    added, removed = await bot.tg.wait_sent(2, chat_id=own.id)
    assert "Added source #1" in added.visible
    assert "Removed source #1" in removed.visible


def _group(bot: Bot, *, forum: bool = False) -> Chat:
    chat = bot.tg.add_chat(Chat(-1001000, "supergroup", "Redaktion", is_forum=forum))
    bot.tg.add_user(ANNA, chat=chat, status="administrator")
    bot.tg.add_user(JOHN, chat=chat, status="member")
    return chat


async def test_group_admin_subscribes_and_member_is_refused(bot: Bot) -> None:
    """In a group only administrators change subscriptions; everyone may read /list."""
    chat = _group(bot)
    bot.tg.send_command(chat, ANNA, "/subscribe@newsbot_test_bot xiaomi")
    bot.tg.send_command(chat, JOHN, "/unsubscribe xiaomi")
    bot.tg.send_command(chat, JOHN, "/list")
    done, refused, listed = await bot.tg.wait_sent(3, chat_id=chat.id)
    assert "Abonniert" in done.visible
    assert "Administratoren" in refused.visible  # the chat language is pinned to German
    assert "xiaomi" in listed.visible
    (sub,) = await bot.store.list_subscriptions(platform="telegram", chat_id=str(chat.id))
    assert sub.created_by == str(ANNA.id)


async def test_group_ignores_unknown_commands_for_other_bots(bot: Bot) -> None:
    """A bare unknown command in a group is not ours; one addressed to us gets help."""
    chat = _group(bot)
    bot.tg.send_command(chat, JOHN, "/weather")
    bot.tg.send_command(chat, JOHN, "/stats@otherbot")
    bot.tg.send_command(chat, JOHN, "/weather@newsbot_test_bot")
    (reply,) = await bot.tg.wait_sent(chat_id=chat.id)
    await bot.tg.wait_for(lambda: len(bot.tg.called("getUpdates")) >= 3)
    assert "/weather" in reply.visible
    assert len(bot.tg.sent_to(chat.id)) == 1


async def test_anonymous_admin_counts_as_admin(bot: Bot) -> None:
    """A command sent as the group itself (anonymous administrator) may subscribe."""
    chat = _group(bot)
    anonymous = User(1087968824, "Group", username="GroupAnonymousBot", is_bot=True)
    bot.tg.send_command(chat, anonymous, "/subscribe huawei", sender_chat=chat)
    (reply,) = await bot.tg.wait_sent(chat_id=chat.id)
    assert "Subscribed" in reply.visible
    assert not bot.tg.called("getChatMember")


async def test_forum_topic_subscription_lives_in_its_topic(bot: Bot) -> None:
    """A subscription made in a topic is stored with its thread; the reply goes there too."""
    chat = _group(bot, forum=True)
    bot.tg.send_command(chat, ANNA, "/subscribe xiaomi", thread_id=77)
    bot.tg.send_command(chat, ANNA, "/list", thread_id=78)
    done, other_topic = await bot.tg.wait_sent(2, chat_id=chat.id)
    assert (done.thread_id, other_topic.thread_id) == (77, 78)
    assert "keine Abos" in other_topic.visible
    (sub,) = await bot.store.list_subscriptions(platform="telegram", chat_id=str(chat.id))
    assert sub.thread_id == "77"


async def test_channel_posts_are_admin_commands(bot: Bot) -> None:
    """Commands posted in a channel act for the channel (only admins can post there)."""
    channel = bot.tg.add_chat(Chat(-1002000, "channel", "Tech News", username="technews"))
    bot.tg.send_command(channel, None, "/subscribe xiaomi")
    bot.tg.send_command(channel, None, "/list")
    done, listed = await bot.tg.wait_sent(2, chat_id=channel.id)
    assert "Subscribed" in done.visible
    assert "xiaomi" in listed.visible
    (sub,) = await bot.store.list_subscriptions(platform="telegram", chat_id=str(channel.id))
    assert sub.created_by is None


async def test_manage_a_channel_from_a_private_chat(bot: Bot) -> None:
    """/subscribe @channel q and /list @channel act on the channel after the rights checks."""
    channel = bot.tg.add_chat(Chat(-1002000, "channel", "Tech News", username="technews"))
    bot.tg.add_user(ANNA, chat=channel, status="administrator")
    chat = bot.tg.private_chat(ANNA)
    bot.tg.send_command(chat, ANNA, "/subscribe @technews xiaomi OR huawei")
    bot.tg.send_command(chat, ANNA, "/list @technews")
    done, listed = await bot.tg.wait_sent(2, chat_id=chat.id)
    assert done.visible.startswith("Für @technews:\nAbonniert")
    assert "xiaomi OR huawei" in listed.visible
    (sub,) = await bot.store.list_subscriptions(platform="telegram", chat_id=str(channel.id))
    assert sub.query == "xiaomi OR huawei"
    assert not bot.tg.sent_to(channel.id)  # nothing is posted in the channel itself


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("not-admin", "Nur Administratoren"),
        ("bot-cannot-post", "nicht posten"),
        ("unknown", "finde"),
    ],
    ids=["user-not-admin", "bot-cannot-post", "unknown-chat"],
)
async def test_managing_another_chat_is_checked(bot: Bot, setup: str, expected: str) -> None:
    """The user must administer the chat and the bot must be able to post there."""
    channel = bot.tg.add_chat(Chat(-1002000, "channel", "Tech News", username="technews"))
    bot.tg.add_user(ANNA, chat=channel, status="administrator")
    if setup == "not-admin":
        bot.tg.set_member(channel, ANNA, Member("member"))
    elif setup == "bot-cannot-post":
        bot.tg.set_member(channel, bot.tg.bot, Member("administrator", can_post=False))
    name = "@nosuchchannel" if setup == "unknown" else "@technews"
    chat = bot.tg.private_chat(ANNA)
    bot.tg.send_command(chat, ANNA, f"/subscribe {name} xiaomi")
    (reply,) = await bot.tg.wait_sent(chat_id=chat.id)
    assert expected in reply.visible
    assert not await bot.store.list_subscriptions(platform="telegram")


async def test_command_menu_and_description_are_registered(bot: Bot) -> None:
    """setMyCommands for de, en and the default; descriptions too; the updates we need."""
    names = [spec.name for spec in COMMANDS]
    assert set(bot.tg.commands) == {"de", "en", ""}
    assert [c["command"] for c in bot.tg.commands["de"]] == names
    assert bot.tg.commands["de"][2]["description"] != bot.tg.commands["en"][2]["description"]
    assert "Stichwörter" in bot.tg.descriptions["de"]
    await bot.tg.wait_for(lambda: bot.tg.allowed_updates is not None)
    assert set(bot.tg.allowed_updates or ()) == {
        "message",
        "channel_post",
        "callback_query",
        "my_chat_member",
    }


async def test_long_reply_is_split_at_lines(bot: Bot) -> None:
    """A reply over 4,096 characters arrives in several messages, none too long."""
    chat = bot.tg.private_chat(JOHN)
    bot.tg.send_command(chat, JOHN, "/subscribe " + " OR ".join(f"w{n}" for n in range(50)))
    bot.tg.send_command(chat, JOHN, "/preview " + "x" * 5000)
    replies = await bot.tg.wait_sent(2, chat_id=chat.id)
    assert all(len(reply.visible) <= 4096 for reply in replies)


async def test_preference_commands_in_german(bot: Bot) -> None:
    """/timezone, /digest, /quiet and /limit answer in German through the real Bot API path
    and are in the German command menu with German descriptions."""
    chat = bot.tg.private_chat(ANNA)
    commands = [
        ("/timezone Europe/Berlin", "Europe/Berlin"),
        ("/timezone Europe/Berln", "Meintest du Europe/Berlin?"),
        ("/digest weekly montag 08:00", "jeden Montag um 08:00 gesammelt"),
        ("/quiet 22:00-07:00", "22:00 bis 07:00 (Europe/Berlin)"),
        ("/limit 10", "höchstens 10 Meldungen pro Stunde"),
    ]
    for number, (text, _) in enumerate(commands, start=1):
        bot.tg.send_command(chat, ANNA, text)
        await bot.tg.wait_sent(number, chat_id=chat.id)
    replies = [reply.visible for reply in bot.tg.sent_to(chat.id)]
    for (text, words), reply in zip(commands, replies, strict=True):
        assert words in reply, text
    menu = {c["command"]: c["description"] for c in bot.tg.commands["de"]}
    assert menu["digest"].startswith("Sammelmeldung")

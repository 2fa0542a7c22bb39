"""Slash commands as interactions from the fake gateway: rights, locales, scopes, registration."""

from __future__ import annotations

import string

import pytest

from bot.i18n import translate
from bot.platforms.discord.embeds import markdown_safe
from tests.discord.conftest import Bot
from tests.fakes.discord_api import (
    ADMIN_ID,
    CHANNEL_ID,
    DM_CHANNEL_ID,
    MANAGE_CHANNELS,
    MEMBER_ID,
    THREAD_ID,
)

OPTION = {
    "subscribe": "query",
    "unsubscribe": "target",
    "language": "language",
    "group": "switch",
    "preview": "query",
    "addsource": "url",
    "removesource": "id",
}
ARGUMENT = {
    "group": "off",
    "subscribe": "xiaomi",
    "unsubscribe": "all",
    "preview": "xiaomi",
    "addsource": "https://example.com/feed.xml",
    "removesource": "99",
}
CHANGES_SUBSCRIPTIONS = {"subscribe", "unsubscribe", "language", "group", "pause", "resume"}
MANAGES_SOURCES = {"addsource", "removesource"}


def _expected(command: str, language: str, *, manage: bool, operator: bool) -> tuple[str, bool]:
    """The reply text a fresh chat gets, and whether only the caller sees it."""
    if command in CHANGES_SUBSCRIPTIONS and not manage:
        return translate(language, "cmd.error.not_chat_admin"), True
    if command in MANAGES_SOURCES and not operator:
        return translate(language, "cmd.error.not_bot_admin"), True
    texts = {
        "start": (translate(language, "cmd.start.greeting"), False),
        "help": (translate(language, "cmd.help"), True),
        "subscribe": (translate(language, "cmd.subscribe.done", id=1, query="xiaomi"), False),
        "unsubscribe": (translate(language, "cmd.unsubscribe.all_none"), False),
        "list": (translate(language, "cmd.list.empty"), True),
        "language": (translate(language, "cmd.language.done"), False),
        "group": (translate(language, "cmd.group.off"), False),
        "pause": (translate(language, "cmd.pause.none"), False),
        "resume": (translate(language, "cmd.resume.none"), False),
        "preview": (translate(language, "cmd.preview.none", days=3), True),
        "sources": (translate(language, "cmd.sources.empty"), True),
        "addsource": (
            translate(
                language,
                "cmd.addsource.done",
                id=1,
                name="example.com",
                url="https://example.com/feed.xml",
            ),
            False,
        ),
        "removesource": (translate(language, "cmd.removesource.not_found", id=99), True),
        "status": (translate(language, "cmd.status.header"), True),
    }
    return texts[command]


COMMAND_NAMES = [
    "start",
    "help",
    "subscribe",
    "unsubscribe",
    "list",
    "language",
    "group",
    "pause",
    "resume",
    "preview",
    "sources",
    "addsource",
    "removesource",
    "status",
]
PREFERENCE_COMMANDS = {"timezone": "zone", "digest": "schedule", "quiet": "hours", "limit": "count"}


@pytest.mark.parametrize("locale", ["de", "en-US"])
@pytest.mark.parametrize("manage", [True, False], ids=["manage-channels", "member"])
@pytest.mark.parametrize("command", COMMAND_NAMES)
async def test_every_command(bot: Bot, command: str, manage: bool, locale: str) -> None:
    """Each command answers in the caller's locale; only Manage Channels changes subscriptions."""
    language = "de" if locale == "de" else "en"
    user = ADMIN_ID if manage else MEMBER_ID  # ADMIN_ID is also a bot operator
    argument = ARGUMENT.get(command, language if command == "language" else None)
    answer = await bot.discord.command(
        command,
        argument,
        option=OPTION.get(command, "value"),
        user=user,
        manage_channels=manage,
        locale=locale,
    )
    text, ephemeral = _expected(command, language, manage=manage, operator=manage)
    assert markdown_safe(text).split("\n")[0] in answer.text
    assert answer.ephemeral == ephemeral
    assert all(body["allowed_mentions"] == {"parse": []} for body in answer.payloads())


async def test_subscription_is_refused_without_manage_channels(bot: Bot) -> None:
    """A member without Manage Channels changes nothing, even with the command in hand."""
    await bot.discord.command(
        "subscribe", "xiaomi", option="query", user=MEMBER_ID, manage_channels=False
    )
    assert await bot.store.list_subscriptions(platform="discord") == []


async def test_subscribe_in_a_channel(bot: Bot) -> None:
    """A server channel subscribes the channel, pinned to the language of the caller."""
    await bot.discord.command("subscribe", "xiaomi", option="query", locale="de")
    (sub,) = await bot.store.list_subscriptions(platform="discord")
    assert (sub.chat_id, sub.thread_id, sub.query) == (str(CHANNEL_ID), None, "xiaomi")
    assert await bot.store.get_chat_language("discord", str(CHANNEL_ID)) == "de"
    assert bot.changes == ["subscriptions"]


async def test_subscribe_in_a_thread(bot: Bot) -> None:
    """A thread subscribes the thread under its channel; /list in the thread shows only it."""
    await bot.discord.command("subscribe", "xiaomi", option="query", channel=THREAD_ID)
    await bot.discord.command("subscribe", "huawei", option="query")
    (sub,) = [s for s in await bot.store.list_subscriptions(platform="discord") if s.thread_id]
    assert (sub.chat_id, sub.thread_id, sub.query) == (str(CHANNEL_ID), str(THREAD_ID), "xiaomi")
    listed = await bot.discord.command("list", channel=THREAD_ID)
    assert "xiaomi" in listed.text
    assert "huawei" not in listed.text


async def test_subscribe_in_a_dm(bot: Bot) -> None:
    """A DM is a private chat: anyone may subscribe it, no Manage Channels needed."""
    answer = await bot.discord.command(
        "subscribe", "xiaomi", option="query", user=MEMBER_ID, channel=DM_CHANNEL_ID
    )
    assert "#1" in answer.text
    (sub,) = await bot.store.list_subscriptions(platform="discord")
    assert sub.chat_id == str(DM_CHANNEL_ID)


async def test_german_locale_until_language_says_otherwise(bot: Bot) -> None:
    """A `de` locale gets German; after /language en the chat gets English whatever the locale."""
    first = await bot.discord.command("list", locale="de")
    assert translate("de", "cmd.list.empty") in first.text
    await bot.discord.command("language", "en", option="language", locale="de")
    second = await bot.discord.command("list", locale="de")
    assert translate("en", "cmd.list.empty") in second.text


async def test_feed_text_in_a_reply_cannot_ping(bot: Bot) -> None:
    """A query with @everyone is echoed defused, and the reply allows no mentions."""
    answer = await bot.discord.command("subscribe", "xiaomi @everyone", option="query")
    assert "@\u200beveryone" in answer.text
    assert answer.payloads()[0]["allowed_mentions"] == {"parse": []}


async def test_registered_commands(bot: Bot) -> None:
    """Every contract command is registered once, with German localisations and hints."""
    (synced,) = bot.discord.syncs
    by_name = {command["name"]: command for command in synced}
    assert sorted(by_name) == sorted([*COMMAND_NAMES, *PREFERENCE_COMMANDS])
    subscribe = by_name["subscribe"]
    assert subscribe["description_localizations"]["de"] == translate("de", "cmd.describe.subscribe")
    (option,) = subscribe["options"]
    assert (option["name"], option["required"]) == ("query", True)
    assert option["name_localizations"] == {"de": "suchanfrage"}
    assert option["description_localizations"]["de"] == translate("de", "dc.option.subscribe")
    assert subscribe["default_member_permissions"] == MANAGE_CHANNELS
    assert by_name["list"]["default_member_permissions"] is None
    assert [c["value"] for c in by_name["language"]["options"][0]["choices"]] == ["de", "en"]
    assert [c["value"] for c in by_name["group"]["options"][0]["choices"]] == ["on", "off"]
    assert by_name["group"]["default_member_permissions"] == MANAGE_CHANNELS
    assert by_name["pause"]["options"][0]["required"] is False
    timezone = by_name["timezone"]
    assert timezone["description_localizations"]["de"] == translate("de", "cmd.describe.timezone")
    assert timezone["options"][0]["name_localizations"] == {"de": "zeitzone"}
    assert timezone["default_member_permissions"] == MANAGE_CHANNELS


@pytest.mark.parametrize(
    ("command", "argument", "key", "params"),
    [
        ("timezone", "Europe/Berlin", "cmd.timezone.done", {"zone": "Europe/Berlin"}),
        ("timezone", "Europe/Berln", "cmd.timezone.suggest", {"name": "Europe/Berln"}),
        ("digest", "daily 08:00", "cmd.digest.done", {}),
        ("quiet", "off", "cmd.quiet.off", {}),
        ("limit", "10", "cmd.limit.done", {"count": 10}),
        ("limit", "many", "cmd.limit.usage", {}),
    ],
    ids=["timezone", "timezone-typo", "digest", "quiet-off", "limit", "limit-bad"],
)
async def test_preference_commands(
    bot: Bot, command: str, argument: str, key: str, params: dict[str, object]
) -> None:
    """The preference slash commands reach the command service and answer in German."""
    answer = await bot.discord.command(
        command, argument, option=PREFERENCE_COMMANDS[command], locale="de"
    )
    fixed = translate("de", key, **dict.fromkeys(_names(key), "\x00") | params)
    first_fixed_part = fixed.split("\x00")[0]
    assert markdown_safe(first_fixed_part) in answer.text


def _names(key: str) -> set[str]:
    """The placeholders of a German message."""
    return {n for _, n, _, _ in string.Formatter().parse(translate("de", key)) if n}


async def test_minimal_intents(bot: Bot) -> None:
    """The bot identifies with the guilds intent only: nothing privileged."""
    assert bot.discord.intents == 1

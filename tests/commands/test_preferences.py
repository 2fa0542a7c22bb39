"""/timezone, /digest, /quiet and /limit end to end over a real store, in German and English."""

from __future__ import annotations

import pytest

from bot.commands import CommandService
from bot.i18n import translate
from bot.store import ChatPreferences, SourceSpec, Store
from tests.commands.conftest import NOW, request

# NOW in the shared conftest is 2026-11-25 12:00 UTC: 13:00 in Berlin, 7:00 AM in New York.
LANGS = pytest.mark.parametrize(
    ("locale", "lang"), [("en-US", "en"), ("de-DE", "de")], ids=["english", "german"]
)
CHAT = ("telegram", "100")


async def send(service: CommandService, command: str, args: str = "", **kwargs: object) -> str:
    """The reply text of one command."""
    reply = await service.handle(request(command, args, **kwargs))  # type: ignore[arg-type]
    return reply.text


@LANGS
async def test_timezone_set_and_show(
    service: CommandService, store: Store, locale: str, lang: str
) -> None:
    """/timezone stores the zone and says the local time now; alone, it shows the zone."""
    now = {"de": "13:00", "en": "1:00 PM"}[lang]
    assert await send(service, "timezone", locale=locale) == translate(
        lang, "cmd.timezone.current", zone="UTC", now={"de": "12:00", "en": "12:00 PM"}[lang]
    )
    reply = await send(service, "timezone", "europe/berlin", locale=locale)
    assert reply == translate(lang, "cmd.timezone.done", zone="Europe/Berlin", now=now)
    assert (await store.get_chat_preferences(*CHAT)).timezone == "Europe/Berlin"
    shown = await send(service, "timezone", locale=locale)
    assert shown == translate(lang, "cmd.timezone.current", zone="Europe/Berlin", now=now)


@pytest.mark.parametrize(
    ("args", "key", "params"),
    [
        (
            "Europe/Berln",
            "cmd.timezone.suggest",
            {"name": "Europe/Berln", "suggestion": "Europe/Berlin"},
        ),
        ("Mitteleuropa", "cmd.timezone.unknown", {"name": "Mitteleuropa"}),
    ],
    ids=["typo-suggests", "unknown"],
)
async def test_bad_timezone_is_refused_helpfully(
    service: CommandService, store: Store, args: str, key: str, params: dict[str, str]
) -> None:
    """A bad zone changes nothing and the reply names a close match when there is one."""
    assert await send(service, "timezone", args, locale="de") == translate("de", key, **params)
    assert await store.get_chat_preferences(*CHAT) == ChatPreferences()


@LANGS
@pytest.mark.parametrize(
    ("args", "stored", "described"),
    [
        (
            "daily 08:00",
            "daily 08:00",
            {"de": "täglich um 08:00 gesammelt", "en": "collected daily at 8:00 AM"},
        ),
        (
            "weekly montag 18:30",
            "weekly 0 18:30",
            {"de": "jeden Montag um 18:30 gesammelt", "en": "collected every Monday at 6:30 PM"},
        ),
        ("hourly", "hourly", {"de": "stündlich gesammelt", "en": "collected hourly"}),
        ("off", "off", {"de": "jede sofort", "en": "each at once"}),
    ],
    ids=["daily", "weekly", "hourly", "off"],
)
async def test_chat_digest(
    service: CommandService,
    store: Store,
    locale: str,
    lang: str,
    args: str,
    stored: str,
    described: dict[str, str],
) -> None:
    """/digest sets the chat's schedule, stores it and describes it in the chat's language."""
    reply = await send(service, "digest", args, locale=locale)
    assert reply == translate(lang, "cmd.digest.done", schedule=described[lang])
    assert (await store.get_chat_preferences(*CHAT)).digest == stored
    shown = await send(service, "digest", locale=locale)
    assert shown == translate(lang, "cmd.digest.current", schedule=described[lang])


async def test_subscription_digest(service: CommandService, store: Store) -> None:
    """/digest 3 daily 08:00 sets one subscription's schedule; /digest lists it under the chat's."""
    await send(service, "subscribe", "xiaomi")
    (sub,) = await store.list_subscriptions(platform="telegram", chat_id="100")
    reply = await send(service, "digest", f"{sub.id} daily 08:00")
    schedule = "collected daily at 8:00 AM"
    assert reply == translate(
        "en", "cmd.digest.done_subscription", id=sub.id, query="xiaomi", schedule=schedule
    )
    (stored,) = await store.list_subscriptions(platform="telegram", chat_id="100")
    assert (stored.digest, (await store.get_chat_preferences(*CHAT)).digest) == (
        "daily 08:00",
        None,
    )
    assert (await send(service, "digest")).splitlines() == [
        translate("en", "cmd.digest.current", schedule="each at once"),
        translate(
            "en", "cmd.digest.current_subscription", id=sub.id, query="xiaomi", schedule=schedule
        ),
    ]


@pytest.mark.parametrize(
    ("command", "args", "key", "params"),
    [
        ("digest", "monthly", "cmd.digest.usage", {}),
        ("digest", "daily 8 Uhr", "cmd.digest.usage", {}),
        ("digest", "daily 25:00", "cmd.schedule.bad_time", {}),
        ("digest", "weekly someday 08:00", "cmd.schedule.bad_weekday", {}),
        ("digest", "77 daily 08:00", "cmd.subscription.not_found", {"id": 77}),
        ("quiet", "22 bis 7", "cmd.quiet.usage", {}),
        ("quiet", "07:00-07:00", "cmd.quiet.empty", {}),
        ("limit", "0", "cmd.limit.usage", {}),
    ],
    ids=[
        "digest-usage",
        "digest-no-clock",
        "bad-time",
        "bad-weekday",
        "no-such-subscription",
        "quiet-usage",
        "quiet-empty",
        "limit-zero",
    ],
)
async def test_bad_arguments_get_the_explaining_reply(
    service: CommandService,
    store: Store,
    command: str,
    args: str,
    key: str,
    params: dict[str, object],
) -> None:
    """Malformed preferences change nothing and get a German explanation."""
    assert await send(service, command, args, locale="de") == translate("de", key, **params)
    assert await store.get_chat_preferences(*CHAT) == ChatPreferences()


@LANGS
async def test_quiet_hours(service: CommandService, store: Store, locale: str, lang: str) -> None:
    """/quiet sets the span in the chat's zone, /quiet shows it, /quiet off removes it."""
    await send(service, "timezone", "Europe/Berlin", locale=locale)
    assert await send(service, "quiet", locale=locale) == translate(lang, "cmd.quiet.none")
    start, end = {"de": ("22:00", "07:00"), "en": ("10:00 PM", "7:00 AM")}[lang]
    done = await send(service, "quiet", "22:00-07:00", locale=locale)
    assert done == translate(lang, "cmd.quiet.done", start=start, end=end, zone="Europe/Berlin")
    assert (await store.get_chat_preferences(*CHAT)).quiet == "22:00-07:00"
    shown = await send(service, "quiet", locale=locale)
    assert shown == translate(lang, "cmd.quiet.current", start=start, end=end, zone="Europe/Berlin")
    assert await send(service, "quiet", "aus", locale=locale) == translate(lang, "cmd.quiet.off")
    assert (await store.get_chat_preferences(*CHAT)).quiet is None


@LANGS
async def test_limit(service: CommandService, store: Store, locale: str, lang: str) -> None:
    """/limit N caps alerts per hour, /limit shows it, /limit off lifts it."""
    assert await send(service, "limit", locale=locale) == translate(lang, "cmd.limit.none")
    assert await send(service, "limit", "10", locale=locale) == translate(
        lang, "cmd.limit.done", count=10
    )
    assert await send(service, "limit", locale=locale) == translate(
        lang, "cmd.limit.current", count=10
    )
    assert await send(service, "limit", "off", locale=locale) == translate(lang, "cmd.limit.off")
    assert (await store.get_chat_preferences(*CHAT)).hourly_limit is None


@pytest.mark.parametrize(
    ("command", "args"),
    [("timezone", "Europe/Berlin"), ("digest", "hourly"), ("quiet", "off"), ("limit", "5")],
    ids=["timezone", "digest", "quiet", "limit"],
)
async def test_only_chat_admins_change_preferences(
    service: CommandService, store: Store, command: str, args: str
) -> None:
    """In a group a member may look at the preferences but not change them."""
    reply = await send(service, command, args, kind="group", admin=False)
    assert reply == translate("en", "cmd.error.not_chat_admin")
    assert await store.get_chat_preferences(*CHAT) == ChatPreferences()
    shown = await send(service, command, kind="group", admin=False)
    assert shown != translate("en", "cmd.error.not_chat_admin")


async def test_status_shows_the_last_poll_in_the_chats_zone(
    service: CommandService, store: Store
) -> None:
    """After /timezone Europe/Berlin, /status gives the last poll in Berlin time with `Uhr`."""
    await store.sync_config_sources([SourceSpec("heise", "https://heise.example/rss")], now=NOW)
    (source,) = await store.list_sources()
    await store.record_poll_failure(source.id, now=NOW, error="HTTP 503", next_poll_at=NOW)
    await send(service, "timezone", "Europe/Berlin", locale="de")
    lines = (await send(service, "status", locale="de")).splitlines()
    assert translate("de", "cmd.status.last_poll", time="25. Nov. 2026, 13:00 Uhr") in lines

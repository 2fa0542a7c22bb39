"""Every chat command end to end over a real SQLite store, in German and English."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.commands import CommandService, Reply
from bot.i18n import format_datetime, translate
from bot.model import Article
from bot.settings import Settings
from bot.store import (
    OperatorSubscriptionSpec,
    SourceRecord,
    SourceSpec,
    Store,
    StoreError,
)
from tests.commands.conftest import ADMIN, FIXTURES, NOW, Changes, request
from tests.fakes.ingest import entry, ingest

LANGS = pytest.mark.parametrize(
    ("locale", "lang"), [("en-US", "en"), ("de-DE", "de")], ids=["english", "german"]
)


def t(lang: str, key: str, /, **params: object) -> str:
    """The catalogue text a reply should carry."""
    return translate(lang, key, **params)


async def subscribe(service: CommandService, query: str, **kwargs: object) -> Reply:
    """Send /subscribe with the given request options."""
    return await service.handle(request("subscribe", query, **kwargs))  # type: ignore[arg-type]


@LANGS
@pytest.mark.parametrize("command", ["start", "help"])
async def test_start_and_help_in_the_chats_language(
    service: CommandService, locale: str, lang: str, command: str
) -> None:
    """/start and /help explain the bot, list the commands and show query examples."""
    reply = await service.handle(request(command, locale=locale))
    assert reply.language == lang
    assert t(lang, "cmd.help") in reply.text
    assert "/subscribe" in reply.text
    assert '"lei jun"' in reply.text
    assert ("Befehle:" in reply.text) == (lang == "de")


@LANGS
async def test_subscribe_list_unsubscribe_round_trip(
    service: CommandService, store: Store, changes: Changes, locale: str, lang: str
) -> None:
    """A subscription is stored for the chat, listed with its id and removed by id."""
    reply = await subscribe(service, '  xiaomi   OR "lei jun" ', locale=locale)
    assert reply.text == t(lang, "cmd.subscribe.done", id=1, query='xiaomi OR "lei jun"')
    assert changes.subscriptions == 1
    [stored] = await store.list_subscriptions(platform="telegram", chat_id="100")
    assert (stored.query, stored.created_by, stored.thread_id) == (
        'xiaomi OR "lei jun"',
        ADMIN,
        None,
    )
    listing = await service.handle(request("list", locale=locale))
    assert listing.ephemeral
    assert f'#1 xiaomi OR "lei jun" · {lang}' in listing.text
    reply = await service.handle(request("unsub", "#1", locale=locale))
    assert reply.text == t(lang, "cmd.unsubscribe.done", id=1, query='xiaomi OR "lei jun"')
    assert await store.list_subscriptions(platform="telegram", chat_id="100") == []
    assert changes.subscriptions == 2
    listing = await service.handle(request("list", locale=locale))
    assert listing.text == t(lang, "cmd.list.empty")


async def test_subscribe_pins_the_chat_language_for_alerts(
    service: CommandService, store: Store
) -> None:
    """The first subscription stores the language the chat reads, so alerts use it too."""
    await subscribe(service, "xiaomi", locale="de-AT")
    assert await store.get_chat_language("telegram", "100") == "de"


async def test_german_until_language_en_switches_the_chat(service: CommandService) -> None:
    """A de-DE user gets German replies until /language en; then the chat reads English."""
    assert (await service.handle(request("list", locale="de-DE"))).language == "de"
    reply = await service.handle(request("lang", "en", locale="de-DE"))
    assert (reply.language, reply.text) == ("en", t("en", "cmd.language.done"))
    reply = await service.handle(request("list", locale="de-DE"))
    assert (reply.language, reply.text) == ("en", t("en", "cmd.list.empty"))
    reply = await service.handle(request("language", "DE", locale="en-US"))
    assert (reply.language, reply.text) == ("de", t("de", "cmd.language.done"))


@pytest.mark.parametrize(
    ("default", "locale", "expected"),
    [("en", None, "en"), ("de", None, "de"), ("de", "en-GB", "en"), ("en", "fr-FR", "en")],
    ids=["channel-default-en", "channel-default-de", "locale-beats-default", "unknown-locale"],
)
async def test_reply_language_without_a_stored_choice(
    store: Store, settings: Settings, default: str, locale: str | None, expected: str
) -> None:
    """Without /language the user's locale decides, else the configured default."""
    service = CommandService(
        store, settings=settings.model_copy(update={"language": default}), clock=lambda: NOW
    )
    reply = await service.handle(request("list", locale=locale, kind="channel", user=None))
    assert reply.language == expected


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("subscribe", "xiaomi"),
        ("unsubscribe", "all"),
        ("pause", ""),
        ("resume", ""),
        ("language", "de"),
    ],
    ids=["subscribe", "unsubscribe", "pause", "resume", "language"],
)
@pytest.mark.parametrize("kind", ["group", "channel"])
async def test_only_chat_admins_change_groups_and_channels(
    service: CommandService, store: Store, command: str, args: str, kind: str
) -> None:
    """In groups and channels a non-admin is refused politely and nothing changes."""
    reply = await service.handle(request(command, args, kind=kind, admin=False))  # type: ignore[arg-type]
    assert reply.text == t("en", "cmd.error.not_chat_admin")
    assert reply.ephemeral
    assert await store.list_subscriptions(platform="telegram", chat_id="100") == []
    assert await store.get_chat_language("telegram", "100") is None


@pytest.mark.parametrize("kind", ["group", "channel"])
async def test_chat_admins_subscribe_in_groups_and_channels(
    service: CommandService, kind: str
) -> None:
    """A chat admin may subscribe a group or channel; anonymous channel posts included."""
    reply = await subscribe(service, "xiaomi", kind=kind, admin=True, user=None)
    assert reply.text == t("en", "cmd.subscribe.done", id=1, query="xiaomi")


async def test_everyone_may_read_in_groups(service: CommandService) -> None:
    """Read-only commands need no chat admin."""
    for command in ("list", "preview", "sources", "status", "help"):
        reply = await service.handle(
            request(command, "xiaomi", kind="group", admin=False, user="55")
        )
        assert reply.text != t("en", "cmd.error.not_chat_admin"), command


async def test_thread_subscriptions_post_there_and_list_apart(
    service: CommandService, store: Store
) -> None:
    """A subscription made in a thread belongs to it; the main chat sees all with a marker."""
    await subscribe(service, "xiaomi", kind="group", thread="77")
    await subscribe(service, "huawei", kind="group")
    [in_thread] = await store.list_subscriptions(platform="telegram", chat_id="100", thread_id="77")
    assert in_thread.query == "xiaomi"
    thread_list = await service.handle(request("list", kind="group", thread="77"))
    assert "xiaomi" in thread_list.text
    assert "huawei" not in thread_list.text
    main_list = await service.handle(request("list", kind="group"))
    assert "#1 xiaomi · en · in thread 77" in main_list.text
    assert "#2 huawei · en" in main_list.text


async def test_duplicate_and_quota(service: CommandService, store: Store) -> None:
    """The same query twice names the existing id; the per-chat limit (2 here) is enforced."""
    await subscribe(service, "xiaomi")
    reply = await subscribe(service, "XIAOMI")
    assert reply.text == t("en", "cmd.subscribe.duplicate", id=1, query="xiaomi")
    await subscribe(service, "huawei")
    reply = await subscribe(service, "oppo")
    assert reply.text == t("en", "cmd.subscribe.quota", limit=2)
    assert await store.count_subscriptions("telegram", "100") == 2
    other_chat = await subscribe(service, "oppo", chat="200")
    assert other_chat.text == t("en", "cmd.subscribe.done", id=3, query="oppo")


def _query_error(lang: str, position: int, reason_key: str, **params: object) -> str:
    return t(lang, "cmd.query.invalid", position=position, reason=t(lang, reason_key, **params))


MALFORMED = [
    ("subscribe", "", lambda lang: t(lang, "cmd.subscribe.usage")),
    ("sub", "   ", lambda lang: t(lang, "cmd.subscribe.usage")),
    ("subscribe", '"lei jun', lambda lang: _query_error(lang, 1, "cmd.query.missing_quote")),
    ("subscribe", "(xiaomi OR oppo", lambda lang: _query_error(lang, 1, "cmd.query.unbalanced")),
    ("subscribe", "xiaomi)", lambda lang: _query_error(lang, 7, "cmd.query.unbalanced")),
    ("subscribe", "x" * 41, lambda lang: t(lang, "cmd.query.too_long", length=41, limit=40)),
    ("preview", "", lambda lang: t(lang, "cmd.preview.usage")),
    (
        "preview",
        "xiaomi OR",
        lambda lang: _query_error(lang, 8, "cmd.query.term_after", operator="'OR'"),
    ),
    ("frobnicate", "now", lambda lang: t(lang, "cmd.error.unknown_command", command="frobnicate")),
    ("language", "fr", lambda lang: t(lang, "cmd.language.usage", current=lang)),
    ("language", "", lambda lang: t(lang, "cmd.language.usage", current=lang)),
    ("unsubscribe", "", lambda lang: t(lang, "cmd.unsubscribe.usage")),
    ("unsubscribe", "9999", lambda lang: t(lang, "cmd.subscription.not_found", id=9999)),
    ("unsubscribe", "samsung", lambda lang: t(lang, "cmd.unsubscribe.no_query", query="samsung")),
    ("pause", "abc", lambda lang: t(lang, "cmd.pause.usage")),
    ("resume", "#42", lambda lang: t(lang, "cmd.subscription.not_found", id=42)),
    ("removesource", "abc", lambda lang: t(lang, "cmd.removesource.usage")),
    ("removesource", "9999", lambda lang: t(lang, "cmd.removesource.not_found", id=9999)),
    ("addsource", "", lambda lang: t(lang, "cmd.addsource.usage")),
    ("addsource", "ftp://example.com/x", lambda lang: t(lang, "cmd.addsource.bad_scheme")),
]


@LANGS
@pytest.mark.parametrize(
    ("command", "args", "expected"),
    MALFORMED,
    ids=[
        "subscribe-empty",
        "sub-blank",
        "unbalanced-quote",
        "unclosed-paren",
        "unopened-paren",
        "too-long",
        "preview-empty",
        "preview-bad-query",
        "unknown-command",
        "language-fr",
        "language-empty",
        "unsubscribe-empty",
        "unsubscribe-unknown-id",
        "unsubscribe-unknown-query",
        "pause-not-an-id",
        "resume-unknown-id",
        "removesource-abc",
        "removesource-unknown",
        "addsource-empty",
        "addsource-ftp",
    ],
)
async def test_malformed_commands_get_a_helpful_reply(
    service: CommandService, locale: str, lang: str, command: str, args: str, expected: object
) -> None:
    """Bad input never raises; the reply explains, in the chat's language, only to the caller."""
    reply = await service.handle(request(command, args, locale=locale))
    assert callable(expected)
    assert (reply.language, reply.text) == (lang, expected(lang))
    assert reply.ephemeral


async def test_language_usage_for_bad_code_names_the_current_language(
    service: CommandService,
) -> None:
    """`/language fr` shows the usage with the chat's current language filled in."""
    reply = await service.handle(request("language", "fr", locale="de-DE"))
    assert (
        reply.text == "Die Sprache dieses Chats ist de. Ändern mit /language de oder /language en."
    )


async def _operator_subscription(store: Store) -> int:
    await store.sync_operator_subscriptions(
        [OperatorSubscriptionSpec(platform="telegram", chat_id="100", query="xiaomi")], now=NOW
    )
    [sub] = await store.list_subscriptions(platform="telegram", chat_id="100")
    return sub.id


@LANGS
async def test_operator_subscription_cannot_be_removed(
    service: CommandService, store: Store, locale: str, lang: str
) -> None:
    """Operator subscriptions stay, by id, by query and with `all`, and the reply says why."""
    op_id = await _operator_subscription(store)
    by_id = await service.handle(request("unsubscribe", str(op_id), locale=locale))
    assert by_id.text == t(lang, "cmd.unsubscribe.operator", id=op_id)
    by_query = await service.handle(request("unsubscribe", "Xiaomi", locale=locale))
    assert by_query.text == t(lang, "cmd.unsubscribe.operator", id=op_id)
    await subscribe(service, "huawei", locale=locale)
    everything = await service.handle(request("unsubscribe", "all", locale=locale))
    assert everything.text == "\n".join(
        [
            t(lang, "cmd.unsubscribe.all_done", count=1),
            t(lang, "cmd.unsubscribe.operator_kept", count=1),
        ]
    )
    [left] = await store.list_subscriptions(platform="telegram", chat_id="100")
    assert (left.id, left.operator) == (op_id, True)
    listing = await service.handle(request("list", locale=locale))
    assert t(lang, "cmd.list.operator") in listing.text


async def test_unsubscribe_all_with_nothing(service: CommandService) -> None:
    """`/unsubscribe all` in a chat without subscriptions says there was nothing."""
    reply = await service.handle(request("unsubscribe", "all"))
    assert reply.text == t("en", "cmd.unsubscribe.all_none")


async def test_unsubscribe_by_exact_query(service: CommandService, store: Store) -> None:
    """A subscription can be named by its query text (whitespace and case aside)."""
    await subscribe(service, '"lei jun"')
    reply = await service.handle(request("unsubscribe", '"Lei  Jun"'))
    assert reply.text == t("en", "cmd.unsubscribe.done", id=1, query='"lei jun"')
    assert await store.list_subscriptions(platform="telegram", chat_id="100") == []


async def test_unsubscribe_only_inside_the_own_chat(service: CommandService, store: Store) -> None:
    """An id of another chat's subscription is unknown here."""
    await subscribe(service, "xiaomi", chat="200")
    reply = await service.handle(request("unsubscribe", "1"))
    assert reply.text == t("en", "cmd.subscription.not_found", id=1)
    assert len(await store.list_subscriptions(platform="telegram", chat_id="200")) == 1


@LANGS
async def test_pause_and_resume(
    service: CommandService, store: Store, locale: str, lang: str
) -> None:
    """/pause and /resume act on all subscriptions of the chat, or on one id."""
    await subscribe(service, "xiaomi", locale=locale)
    await subscribe(service, "huawei", locale=locale)
    reply = await service.handle(request("pause", locale=locale))
    assert reply.text == t(lang, "cmd.pause.done", count=2)
    subs = await store.list_subscriptions(platform="telegram", chat_id="100")
    assert [sub.paused for sub in subs] == [True, True]
    reply = await service.handle(request("pause", locale=locale))
    assert reply.text == t(lang, "cmd.pause.none")
    reply = await service.handle(request("resume", "#2", locale=locale))
    assert reply.text == t(lang, "cmd.resume.done", count=1)
    subs = await store.list_subscriptions(platform="telegram", chat_id="100")
    assert [sub.paused for sub in subs] == [True, False]
    listing = await service.handle(request("list", locale=locale))
    assert f"#1 xiaomi · {lang} · {t(lang, 'cmd.list.paused')}" in listing.text


async def _source(store: Store, *, name: str = "Beispiel-News Mobil", backfill: int = 10) -> int:
    await store.sync_config_sources(
        [SourceSpec(name=name, url="https://www.example-news.de/feed", backfill=backfill)], now=NOW
    )
    [source] = await store.list_sources()
    return source.id


def _german_article(**changes: object) -> Article:
    title, _, teaser = (FIXTURES / "xiaomi-12s-ultra-de.txt").read_text("utf-8").partition("\n\n")
    article = Article(
        id="de-1",
        link="https://www.example-news.de/2022/07/xiaomi-ceo-lei-jun-12s-ultra-nachfolger-global",
        title=title.strip(),
        teaser=teaser.strip(),
        source="Beispiel-News Mobil",
        published=NOW - timedelta(hours=2),
        language="de",
    )
    return replace(article, **changes)  # type: ignore[arg-type]


_ENGLISH = Article(
    id="en-1",
    link="https://www.example-news.de/en/gpu-prices",
    title="Graphics card prices fall again",
    teaser="Retailers cut prices of current GPUs ahead of the holidays.",
    source="Beispiel-News Mobil",
    published=NOW - timedelta(hours=1),
    language="en",
)


async def _ingest(
    store: Store, source_id: int, *articles: Article, at: datetime = NOW, sub: int | None = None
) -> None:
    entries = [
        entry(article, n, {sub: ("Xiaomi",)} if sub else None)
        for n, article in enumerate(articles, start=1)
    ]
    await ingest(store, source_id, entries, now=at)


async def test_resume_does_not_flood_with_what_was_queued(
    service: CommandService, store: Store
) -> None:
    """Pausing drops the alerts queued for the chat; resuming starts with new articles only."""
    await subscribe(service, "xiaomi")
    await _ingest(store, await _source(store), _german_article(), sub=1)
    assert await store.outbox_depth() == 1
    await service.handle(request("pause"))
    await service.handle(request("resume"))
    assert await store.outbox_depth() == 0


@LANGS
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("xiaomi", True),
        ('"lei jun"', True),
        ('"12S Ultra"', True),
        ("xiaomi lang:de", True),
        ("xiaomi lang:en", False),
        ("huawei", False),
    ],
    ids=["xiaomi", "lei-jun", "12s-ultra", "lang-de", "lang-en", "huawei"],
)
async def test_preview_matches_recent_items_only(
    service: CommandService, store: Store, locale: str, lang: str, query: str, found: bool
) -> None:
    """/preview matches the last 3 days' items, newest first, and subscribes nothing."""
    source_id = await _source(store)
    old = _german_article(id="de-old", link="https://www.example-news.de/old", title="Xiaomi alt")
    await _ingest(store, source_id, old, at=NOW - timedelta(days=5))
    await _ingest(store, source_id, _german_article(), _ENGLISH, at=NOW - timedelta(hours=1))
    reply = await service.handle(request("preview", query, locale=locale))
    if found:
        header = t(lang, "cmd.preview.header", count=1, days=3)
        assert reply.text.startswith(f"{header}\n\nXiaomi-CEO Lei Jun bestätigt")
        assert "Beispiel-News Mobil, " in reply.text
        assert "xiaomi-ceo-lei-jun-12s-ultra-nachfolger-global" in reply.text
    else:
        assert reply.text == t(lang, "cmd.preview.none", days=3)
    assert "Xiaomi alt" not in reply.text
    assert await store.list_subscriptions(platform="telegram", chat_id="100") == []


async def test_preview_shows_the_five_newest(service: CommandService, store: Store) -> None:
    """Of many matches only the five newest are listed; the header gives the total."""
    source_id = await _source(store)
    articles = [
        _german_article(
            id=f"de-{n}",
            link=f"https://www.example-news.de/{n}",
            title=f"Xiaomi Nummer {n}",
            published=NOW - timedelta(hours=10 - n),
        )
        for n in range(7)
    ]
    await _ingest(store, source_id, *articles)
    reply = await service.handle(request("preview", "xiaomi"))
    assert reply.text.startswith(t("en", "cmd.preview.header", count=7, days=3))
    shown = [line for line in reply.text.splitlines() if line.startswith("Xiaomi Nummer")]
    assert shown == [f"Xiaomi Nummer {n}" for n in (6, 5, 4, 3, 2)]


@LANGS
async def test_sources_add_and_remove_by_bot_admins(
    service: CommandService, store: Store, changes: Changes, locale: str, lang: str
) -> None:
    """Bot admins add and remove chat sources; config sources stay; others are refused."""
    config_id = await _source(store)
    url = "https://www.heise.de/rss/heise-atom.xml"
    refused = await service.handle(request("addsource", url, locale=locale, user="55"))
    assert refused.text == t(lang, "cmd.error.not_bot_admin")
    added = await service.handle(request("addsource", url, locale=locale))
    assert added.text == t(lang, "cmd.addsource.done", id=2, name="heise.de", url=url)
    again = await service.handle(request("addsource", url, locale=locale))
    assert again.text == t(lang, "cmd.addsource.duplicate", id=2, url=url)
    listing = await service.handle(request("sources", locale=locale))
    assert f"#{config_id} Beispiel-News Mobil · https://www.example-news.de/feed" in listing.text
    assert f"#2 heise.de · {url} · " in listing.text
    assert t(lang, "cmd.sources.from_chat") in listing.text
    kept = await service.handle(request("removesource", str(config_id), locale=locale))
    assert kept.text == t(lang, "cmd.removesource.config", id=config_id, name="Beispiel-News Mobil")
    stranger = await service.handle(request("removesource", "2", locale=locale, user="55"))
    assert stranger.text == t(lang, "cmd.error.not_bot_admin")
    removed = await service.handle(request("removesource", "#2", locale=locale))
    assert removed.text == t(lang, "cmd.removesource.done", id=2, name="heise.de")
    assert [s.id for s in await store.list_sources()] == [config_id]
    assert changes.sources == 2


@LANGS
async def test_addsource_of_a_paused_source_resumes_it(
    service: CommandService, store: Store, changes: Changes, locale: str, lang: str
) -> None:
    """A source paused after its failures is tried again by adding it again."""
    url = "https://www.heise.de/rss/heise-atom.xml"
    await service.handle(request("addsource", url, locale=locale))
    (source,) = [s for s in await store.list_sources() if s.url == url]
    now = source.created_at
    await store.record_poll_failure(
        source.id, now=now, error="HTTP 500", next_poll_at=now + timedelta(hours=6), pause=True
    )
    resumed = await service.handle(request("addsource", url, locale=locale))
    assert resumed.text == t(lang, "cmd.addsource.resumed", id=source.id, name="heise.de")
    (after,) = [s for s in await store.list_sources() if s.url == url]
    assert not after.paused
    assert after.consecutive_failures == 0
    assert after.id in [s.id for s in await store.due_sources(now + timedelta(seconds=1), limit=9)]
    assert changes.sources == 2


@pytest.mark.parametrize(
    ("user", "platform"),
    [(None, "telegram"), ("9", "telegram"), ("1", "discord")],
    ids=["anonymous", "admin-of-other-platform", "same-id-other-platform"],
)
async def test_addsource_needs_a_listed_admin_of_this_platform(
    service: CommandService, store: Store, user: str | None, platform: str
) -> None:
    """NEWSBOT_ADMINS names platform:user pairs; the chat admin flag does not count."""
    reply = await service.handle(
        request("addsource", "https://www.heise.de/feed", user=user, platform=platform)
    )
    assert reply.text == t("en", "cmd.error.not_bot_admin")
    assert await store.list_sources() == []


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8080/feed", "http://169.254.169.254/", "http://[::1]/", "http://10.0.0.1/"],
    ids=["localhost", "metadata", "ipv6-loopback", "private"],
)
async def test_addsource_refuses_local_addresses(
    service: CommandService, store: Store, url: str
) -> None:
    """Chat-added sources may not point into the bot's own network."""
    reply = await service.handle(request("addsource", url))
    assert reply.text.endswith(t("en", "cmd.addsource.not_public", host="x").removeprefix("x"))
    assert await store.list_sources() == []


@LANGS
async def test_status_reports_sources_poll_queue_and_chat(
    service: CommandService, store: Store, locale: str, lang: str
) -> None:
    """/status names counts, the worst failing source with its error, last poll, queue, chat."""
    source_id = await _source(store)
    await subscribe(service, "xiaomi", locale=locale)
    await _ingest(store, source_id, _german_article(), sub=1)
    await store.record_poll_failure(
        source_id, now=NOW - timedelta(minutes=5), error="HTTP 503", next_poll_at=NOW
    )
    reply = await service.handle(request("status", locale=locale))
    lines = reply.text.splitlines()
    assert lines[0] == t(lang, "cmd.status.header")
    assert lines[1] == t(lang, "cmd.status.sources", active=1, paused=0, failing=1)
    assert lines[2].strip() == t(
        lang, "cmd.status.failing", name="Beispiel-News Mobil", count=1, error="HTTP 503"
    )
    last = format_datetime(NOW - timedelta(minutes=5), lang)
    assert lines[3] == t(lang, "cmd.status.last_poll", time=last)
    assert lines[4] == t(lang, "cmd.status.queue", depth=1)
    assert lines[5] == t(lang, "cmd.status.chat", active=1, paused=0)


async def test_status_before_the_first_poll(service: CommandService) -> None:
    """Without sources /status says nothing was polled yet."""
    reply = await service.handle(request("status"))
    assert t("en", "cmd.status.never_polled") in reply.text.splitlines()


class BrokenStore(Store):
    """A real store whose source listing and language lookup fail like a lost database."""

    async def list_sources(self, *, active_only: bool = True) -> list[SourceRecord]:
        """Fail as an unexpected bug would."""
        raise RuntimeError("disk on fire")

    async def get_chat_language(self, platform: str, chat_id: str) -> str | None:
        """Fail as an unreachable database would."""
        raise StoreError("database is locked")


async def test_unexpected_failure_is_logged_and_answered(
    store: Store, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug or a store outage becomes a localised 'something went wrong', never an exception."""
    broken = BrokenStore(store.engine)
    service = CommandService(broken, settings=settings, clock=lambda: NOW)
    with caplog.at_level(logging.ERROR, logger="bot.commands"):
        reply = await service.handle(request("sources", locale="de-CH"))
    assert (reply.language, reply.text) == ("de", t("de", "cmd.error.unexpected"))
    assert any("disk on fire" in (r.exc_text or "") for r in caplog.records)
    assert any(getattr(r, "command", None) == "sources" for r in caplog.records)

"""translate_alert: cache per story and language, marking, and untranslated on any failure."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import aiohttp
import pytest
import sqlalchemy as sa

from bot.model import Alert
from bot.settings import Settings
from bot.store import Store, TranslationRecord
from bot.store.tables import stories
from bot.translate import (
    AlertTranslator,
    DeepLClient,
    LibreTranslateClient,
    OpenAIClient,
    build_translator,
    needs_translation,
    translation_mark,
)
from tests.fakes.translate_api import KEY, Behaviour, TranslateAPI

NOW = datetime(2026, 12, 1, 21, 20, tzinfo=UTC)
ALERT = Alert(
    title="Xiaomi launches the 15 Ultra",
    link="https://example.com/xiaomi-15",
    summary="The phone comes to Europe in March.",
    source="The Verge",
    published=NOW,
    matched=("Xiaomi",),
    language="en",
    query="xiaomi",
)
GERMAN_SUMMARY = "Das Telefon kommt im März nach Europa."


async def add_story(store: Store, story_id: int) -> int:
    """A stories row for the translations to belong to."""
    async with store.engine.begin() as conn:
        await conn.execute(
            sa.insert(stories).values(
                id=story_id, first_seen_at=NOW, title="t", link="l", fingerprint=0
            )
        )
    return story_id


def alert_translator(
    store: Store, api: TranslateAPI | str, session: aiohttp.ClientSession, *, timeout: float = 2.0
) -> AlertTranslator:
    """The translator delivery would use, over LibreTranslate's fake (or a dead URL)."""
    url = api if isinstance(api, str) else api.url
    client = LibreTranslateClient(session, url=url, key=KEY, timeout=timeout)
    return AlertTranslator(store, client, timeout=timeout, clock=lambda: NOW)


async def test_english_alert_reaches_a_german_subscription_translated(
    store: Store, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """Title and summary are LibreTranslate's German; the mark and original title follow."""
    api.dictionary[(ALERT.title, "de")] = "Xiaomi bringt das 15 Ultra"
    api.dictionary[(ALERT.summary, "de")] = GERMAN_SUMMARY
    story = await add_story(store, 1)
    result = await alert_translator(store, api, session).translate_alert(ALERT, "de", story)
    assert result.title == "Xiaomi bringt das 15 Ultra"
    assert result.summary == (
        f"{GERMAN_SUMMARY} (übersetzt aus dem Englischen; Original: {ALERT.title})"
    )
    assert (result.link, result.source, result.language) == (ALERT.link, "The Verge", "en")


async def test_one_call_per_story_and_language(
    store: Store, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """Ten chats reading one story in German, at once and later, cost one request; a
    second story costs one more; and a fresh translator (restart) reads the store."""
    first, second = await add_story(store, 1), await add_story(store, 2)
    translator = alert_translator(store, api, session)
    results = await asyncio.gather(
        *(translator.translate_alert(ALERT, "de", first) for _ in range(10))
    )
    assert len({result.summary for result in results}) == 1
    await translator.translate_alert(ALERT, "de", first)
    await translator.translate_alert(ALERT, "de", second)
    await alert_translator(store, api, session).translate_alert(ALERT, "de", first)
    assert len(api.requests) == 2
    assert await store.get_translation(first, "de") == TranslationRecord(
        "en", f"[de] {ALERT.title}", f"[de] {ALERT.summary}"
    )


@pytest.mark.parametrize(
    ("article", "target", "expected"),
    [("en", "de", True), ("de", "de", False), ("en-US", "en", False), ("", "de", False)],
    ids=["en-to-de", "same", "region-same", "unknown"],
)
def test_needs_translation(article: str, target: str, expected: bool) -> None:
    """Only an article known to be in another language is translated."""
    assert needs_translation(article, target) is expected


async def test_same_language_makes_no_request(
    store: Store, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """An English article for an English subscription goes out as it is."""
    story = await add_story(store, 1)
    assert await alert_translator(store, api, session).translate_alert(ALERT, "en", story) == ALERT
    assert api.requests == []


@pytest.mark.parametrize(
    "behaviour",
    [
        Behaviour(status=503),
        Behaviour(status=429, retry_after="30"),
        Behaviour(status=403),
        Behaviour(malformed=True),
        Behaviour(delay=30.0),
    ],
    ids=["5xx", "429", "403", "malformed", "never-answers"],
)
async def test_any_failure_sends_the_alert_untranslated(
    store: Store,
    api: TranslateAPI,
    session: aiohttp.ClientSession,
    behaviour: Behaviour,
) -> None:
    """A failing, refusing or silent service leaves the alert as it was, within the timeout,
    and caches nothing, so the next alert of the story tries again."""
    api.behaviour = behaviour
    story = await add_story(store, 1)
    translator = alert_translator(store, api, session, timeout=0.3)
    async with asyncio.timeout(10):  # far above the 0.3 s timeout: only a hang fails this
        assert await translator.translate_alert(ALERT, "de", story) == ALERT
    assert await store.get_translation(story, "de") is None


async def test_service_down_sends_untranslated(
    store: Store, session: aiohttp.ClientSession
) -> None:
    """LibreTranslate not running: the alert still goes out, untranslated."""
    async with TranslateAPI() as gone:
        url = gone.url
    story = await add_story(store, 1)
    assert await alert_translator(store, url, session).translate_alert(ALERT, "de", story) == ALERT


async def test_store_failure_sends_untranslated(
    store: Store, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """A translation that cannot be cached (no such story) still never loses the alert."""
    translator = alert_translator(store, api, session)
    assert await translator.translate_alert(ALERT, "de", story_id=404) == ALERT


async def test_off_translates_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """NEWSBOT_TRANSLATE=off builds no client, and the alert translator passes alerts through."""
    monkeypatch.delenv("NEWSBOT_TRANSLATE", raising=False)
    async with aiohttp.ClientSession() as session:
        translator = build_translator(Settings(), session)
    assert translator is None
    quiet = AlertTranslator(store, None, timeout=1.0, clock=lambda: NOW)
    assert not quiet.enabled
    assert await quiet.translate_alert(ALERT, "de", 1) == ALERT


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"translate": "libretranslate", "translate_url": "http://lt:5000"}, LibreTranslateClient),
        ({"translate": "deepl", "translate_key": "k"}, DeepLClient),
        (
            {"translate": "openai", "translate_url": "http://ollama:11434", "translate_model": "m"},
            OpenAIClient,
        ),
    ],
    ids=["libretranslate", "deepl", "openai"],
)
async def test_build_translator_from_settings(
    values: dict[str, str], expected: type, session: aiohttp.ClientSession
) -> None:
    """NEWSBOT_TRANSLATE picks the client."""
    assert isinstance(build_translator(Settings(**values), session), expected)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("en", "de", "übersetzt aus dem Englischen; Original: T"),
        ("fr", "de", "übersetzt aus dem Französischen; Original: T"),
        ("hi", "de", "übersetzt aus: Hindi; Original: T"),
        ("de", "en", "translated from German; Original: T"),
    ],
    ids=["en-de", "fr-de", "de-no-dative-form", "de-en"],
)
def test_translation_mark(source: str, target: str, expected: str) -> None:
    """The mark names the source language as the reader's language says it."""
    assert translation_mark(source, target, "T") == expected

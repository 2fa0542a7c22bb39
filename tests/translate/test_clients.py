"""The three translation clients against loopback fakes of their services."""

from __future__ import annotations

import json

import aiohttp
import pytest

from bot.translate import (
    DeepLClient,
    LibreTranslateClient,
    MalformedTranslationError,
    OpenAIClient,
    Translation,
    TranslationAuthError,
    TranslationError,
    TranslationRateLimitedError,
    TranslationRejectedError,
    TranslationTimeoutError,
    TranslationUnavailableError,
    Translator,
)
from bot.translate.openai import MAX_TOKENS
from tests.fakes.translate_api import KEY, Behaviour, TranslateAPI

SERVICES = ["libretranslate", "deepl", "openai"]
TEXTS = ["Xiaomi launches the 15 Ultra", "The phone comes to Europe in March."]
TIMEOUT = 2.0


def client(
    name: str, session: aiohttp.ClientSession, url: str, *, key: str = KEY, timeout: float = TIMEOUT
) -> Translator:
    """The client for service `name` at `url`."""
    if name == "libretranslate":
        return LibreTranslateClient(session, url=url, key=key, timeout=timeout)
    if name == "deepl":
        return DeepLClient(session, url=url, key=key, timeout=timeout)
    return OpenAIClient(session, url=url, key=key, model="llama3.1", timeout=timeout)


@pytest.mark.parametrize("name", SERVICES)
async def test_translates_in_order_with_the_source_language(
    name: str, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """Both texts come back translated, in order, with the language they were written in."""
    api.dictionary[(TEXTS[0], "de")] = "Xiaomi bringt das 15 Ultra"
    result = await client(name, session, api.url).translate(TEXTS, source="en", target="de")
    assert result == Translation(
        ("Xiaomi bringt das 15 Ultra", f"[de] {TEXTS[1]}"), detected_source="en"
    )
    assert len(api.requests) == 1


@pytest.mark.parametrize("name", ["libretranslate", "deepl"])
async def test_detects_the_source_language_when_not_given(
    name: str, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """Without a source, LibreTranslate's detectedLanguage and DeepL's
    detected_source_language say what the text was written in."""
    api.source_language = "fr"
    result = await client(name, session, api.url).translate(TEXTS, source=None, target="de")
    assert result.detected_source == "fr"


async def test_libretranslate_request(api: TranslateAPI, session: aiohttp.ClientSession) -> None:
    """POST {url}/translate with q, source, target, format and api_key."""
    await client("libretranslate", session, api.url).translate(TEXTS, source="en", target="de")
    (sent,) = api.requests
    assert sent.path == "/translate"
    assert sent.body == {
        "q": TEXTS, "source": "en", "target": "de", "format": "text", "api_key": KEY
    }  # fmt: skip


async def test_deepl_request(api: TranslateAPI, session: aiohttp.ClientSession) -> None:
    """POST {url}/v2/translate with the key in the Authorization header, never in the body."""
    await client("deepl", session, api.url).translate(TEXTS, source="de", target="en")
    (sent,) = api.requests
    assert (sent.path, sent.headers["Authorization"]) == ("/v2/translate", f"DeepL-Auth-Key {KEY}")
    assert sent.body == {"text": TEXTS, "target_lang": "EN-US", "source_lang": "DE"}


async def test_openai_request(api: TranslateAPI, session: aiohttp.ClientSession) -> None:
    """POST {url}/v1/chat/completions: fixed prompt naming both languages, temperature 0,
    a token cap, the texts as a JSON array."""
    await client("openai", session, api.url).translate(TEXTS, source="en", target="de")
    (sent,) = api.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert (sent.body["model"], sent.body["temperature"], sent.body["max_tokens"]) == (
        "llama3.1",
        0,
        MAX_TOKENS,
    )
    system, user = sent.body["messages"]
    assert "written in English" in system["content"]
    assert "into German" in system["content"]
    assert json.loads(user["content"]) == TEXTS


async def test_openai_answer_in_a_code_fence(
    api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """A local model's ```json fence around the array is tolerated."""
    api.behaviour = Behaviour(fenced=True)
    result = await client("openai", session, api.url).translate(TEXTS, source="en", target="de")
    assert result.texts == tuple(f"[de] {text}" for text in TEXTS)


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize(
    ("behaviour", "error"),
    [
        (Behaviour(status=503), TranslationUnavailableError),
        (Behaviour(status=500), TranslationUnavailableError),
        (Behaviour(status=400), TranslationRejectedError),
        (Behaviour(malformed=True), MalformedTranslationError),
        (Behaviour(wrong_count=True), MalformedTranslationError),
        (Behaviour(delay=1.0), TranslationTimeoutError),
    ],
    ids=["503", "500", "400", "not-json", "wrong-count", "timeout"],
)
async def test_failures_are_typed(
    name: str,
    behaviour: Behaviour,
    error: type[TranslationError],
    api: TranslateAPI,
    session: aiohttp.ClientSession,
) -> None:
    """Every way a service can fail is one TranslationError subclass."""
    api.behaviour = behaviour
    translator = client(name, session, api.url, timeout=0.3)
    with pytest.raises(error):
        await translator.translate(TEXTS, source="en", target="de")


@pytest.mark.parametrize("name", SERVICES)
async def test_rate_limit_carries_retry_after(
    name: str, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """A 429 is a rate-limit error with the Retry-After seconds."""
    api.behaviour = Behaviour(status=429, retry_after="7")
    with pytest.raises(TranslationRateLimitedError) as caught:
        await client(name, session, api.url).translate(TEXTS, source="en", target="de")
    assert caught.value.retry_after == 7.0


@pytest.mark.parametrize("name", SERVICES)
async def test_wrong_key_is_an_auth_error_without_the_key(
    name: str, api: TranslateAPI, session: aiohttp.ClientSession
) -> None:
    """A refused key is an auth error whose message does not contain the key."""
    wrong = "wrong-secret-456"
    with pytest.raises(TranslationAuthError) as caught:
        await client(name, session, api.url, key=wrong).translate(TEXTS, source="en", target="de")
    assert wrong not in str(caught.value)
    assert KEY not in str(caught.value)


@pytest.mark.parametrize("name", SERVICES)
async def test_service_down(name: str, session: aiohttp.ClientSession) -> None:
    """Nothing listening at the URL is an unavailable error."""
    async with TranslateAPI() as gone:
        url = gone.url
    with pytest.raises(TranslationUnavailableError):
        await client(name, session, url).translate(TEXTS, source="en", target="de")

"""The one interface of a translation service, and the HTTP exchange all three clients share."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp

from bot.translate.errors import (
    MalformedTranslationError,
    TranslationAuthError,
    TranslationRateLimitedError,
    TranslationRejectedError,
    TranslationTimeoutError,
    TranslationUnavailableError,
)


@dataclass(frozen=True, slots=True)
class Translation:
    """The translated texts, in the order sent, and the source language the service saw."""

    texts: tuple[str, ...]
    detected_source: str | None = None  # ISO 639-1, lower case, when the service says


class Translator(Protocol):
    """Translates a few short texts (a title and a summary) into one language."""

    name: str

    async def translate(
        self, texts: Sequence[str], *, source: str | None, target: str
    ) -> Translation:
        """The texts in `target`; `source` None lets the service detect it. Raises only
        TranslationError subclasses."""
        ...


async def post_json(
    session: aiohttp.ClientSession,
    url: str,
    *,
    service: str,
    body: Mapping[str, Any],
    headers: Mapping[str, str],
    seconds: float,
) -> Any:
    """POST a JSON body and return the decoded JSON answer, mapping failures to typed errors.

    Error messages name the service and the status only: a key sent in the body or a header
    must never reach a log line, and some services echo the request in their error text.
    """
    try:
        async with session.post(
            url,
            json=dict(body),
            headers=dict(headers),
            timeout=aiohttp.ClientTimeout(total=seconds),
        ) as response:
            text = await response.text()
            _raise_for_status(service, response.status, response.headers)
    except TimeoutError as exc:
        raise TranslationTimeoutError(f"{service}: no answer within {seconds:g} s") from exc
    except aiohttp.ClientError as exc:
        raise TranslationUnavailableError(f"{service}: {type(exc).__name__}") from exc
    try:
        return json.loads(text)
    except ValueError as exc:
        raise MalformedTranslationError(f"{service}: the answer is not JSON") from exc


def _raise_for_status(service: str, status: int, headers: Mapping[str, str]) -> None:
    if status < 300:
        return
    message = f"{service}: HTTP {status}"
    if status in (401, 403):
        raise TranslationAuthError(message)
    if status in (429, 456):  # 456: DeepL's quota exceeded
        raise TranslationRateLimitedError(message, retry_after=_retry_after(headers))
    if status >= 500:
        raise TranslationUnavailableError(message)
    raise TranslationRejectedError(message)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def strings(value: object, count: int, *, service: str) -> tuple[str, ...]:
    """`value` as exactly `count` strings, else MalformedTranslationError."""
    if not isinstance(value, list) or len(value) != count:
        raise MalformedTranslationError(f"{service}: expected {count} translations")
    if not all(isinstance(item, str) for item in value):
        raise MalformedTranslationError(f"{service}: a translation is not text")
    return tuple(value)


def language_code(value: object) -> str | None:
    """`EN`, `en-US`, `en` -> `en`; anything else None."""
    if not isinstance(value, str) or not value:
        return None
    return value.replace("_", "-").split("-", 1)[0].lower() or None

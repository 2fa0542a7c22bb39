"""LibreTranslate: POST {url}/translate with q, source, target, format and api_key."""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp

from bot.translate.base import Translation, language_code, post_json, strings
from bot.translate.errors import MalformedTranslationError


class LibreTranslateClient:
    """A LibreTranslate server (self-hosted or libretranslate.com)."""

    name = "libretranslate"

    def __init__(
        self, session: aiohttp.ClientSession, *, url: str, key: str | None, timeout: float
    ) -> None:
        self._session = session
        self._url = url.rstrip("/")
        self._key = key
        self._timeout = timeout

    async def translate(
        self, texts: Sequence[str], *, source: str | None, target: str
    ) -> Translation:
        """One request for all texts (`q` as a list gives `translatedText` as a list)."""
        body = {
            "q": list(texts),
            "source": source or "auto",
            "target": target,
            "format": "text",
            "api_key": self._key or "",
        }
        answer = await post_json(
            self._session,
            f"{self._url}/translate",
            service=self.name,
            body=body,
            headers={},
            seconds=self._timeout,
        )
        if not isinstance(answer, dict):
            raise MalformedTranslationError(f"{self.name}: the answer is not an object")
        translated = strings(answer.get("translatedText"), len(texts), service=self.name)
        return Translation(translated, source or _detected(answer.get("detectedLanguage")))


def _detected(value: object) -> str | None:
    # With source "auto" each text gets {"confidence": …, "language": "en"}; the first decides.
    first = value[0] if isinstance(value, list) and value else value
    return language_code(first.get("language")) if isinstance(first, dict) else None

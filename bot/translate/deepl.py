"""DeepL: POST {url}/v2/translate with `Authorization: DeepL-Auth-Key …`."""

from __future__ import annotations

from collections.abc import Sequence

import aiohttp

from bot.translate.base import Translation, language_code, post_json
from bot.translate.errors import MalformedTranslationError

# DeepL wants a variant for English targets; `EN` alone is deprecated.
_TARGETS = {"en": "EN-US", "pt": "PT-PT"}


class DeepLClient:
    """DeepL's API (free: api-free.deepl.com, pro: api.deepl.com)."""

    name = "deepl"

    def __init__(
        self, session: aiohttp.ClientSession, *, url: str, key: str, timeout: float
    ) -> None:
        self._session = session
        self._url = url.rstrip("/")
        self._key = key
        self._timeout = timeout

    async def translate(
        self, texts: Sequence[str], *, source: str | None, target: str
    ) -> Translation:
        """One request for all texts; DeepL reports each one's detected source language."""
        body: dict[str, object] = {
            "text": list(texts),
            "target_lang": _TARGETS.get(target, target.upper()),
        }
        if source:
            body["source_lang"] = source.upper()
        answer = await post_json(
            self._session,
            f"{self._url}/v2/translate",
            service=self.name,
            body=body,
            headers={"Authorization": f"DeepL-Auth-Key {self._key}"},
            seconds=self._timeout,
        )
        items = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(items, list) or len(items) != len(texts):
            raise MalformedTranslationError(f"{self.name}: expected {len(texts)} translations")
        translated: list[str] = []
        for item in items:
            text = item.get("text") if isinstance(item, dict) else None
            if not isinstance(text, str):
                raise MalformedTranslationError(f"{self.name}: a translation is not text")
            translated.append(text)
        detected = language_code(items[0].get("detected_source_language")) if items else None
        return Translation(tuple(translated), detected or source)

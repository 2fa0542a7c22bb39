"""Translating an alert for a subscription: cache first, then the service, never raising.

An alert is translated when its article's language differs from the subscription's. The
translation is kept per story and language, so however many chats read the story in German,
the service is asked once; concurrent deliveries of one story wait for that one call.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Protocol

import aiohttp
from babel import Locale

from bot.i18n import translate
from bot.model import Alert
from bot.settings import Settings
from bot.store.errors import StoreError
from bot.store.records import TranslationRecord
from bot.translate.base import Translator
from bot.translate.deepl import DeepLClient
from bot.translate.errors import TranslationError
from bot.translate.libretranslate import LibreTranslateClient
from bot.translate.openai import OpenAIClient

log = logging.getLogger(__name__)


class TranslationStore(Protocol):
    """The store methods the cache needs (the real Store satisfies it)."""

    async def get_translation(self, story_id: int, language: str) -> TranslationRecord | None: ...

    async def put_translation(
        self, story_id: int, language: str, translation: TranslationRecord, *, now: datetime
    ) -> None: ...


def build_translator(settings: Settings, session: aiohttp.ClientSession) -> Translator | None:
    """The client NEWSBOT_TRANSLATE names, over the app's session; None when it is off."""
    key = settings.translate_key.get_secret_value() if settings.translate_key else None
    url, timeout = settings.translate_base_url, settings.translate_timeout
    if settings.translate == "libretranslate":
        return LibreTranslateClient(session, url=url, key=key, timeout=timeout)
    if settings.translate == "deepl" and key is not None:
        return DeepLClient(session, url=url, key=key, timeout=timeout)
    if settings.translate == "openai":
        model = settings.translate_model
        return OpenAIClient(session, url=url, key=key, model=model, timeout=timeout)
    return None


def needs_translation(article_language: str | None, target_language: str) -> bool:
    """Whether an article in `article_language` must be translated for `target_language`
    readers (an unknown article language is left as it is)."""
    if not article_language:
        return False
    return article_language.split("-", 1)[0].lower() != target_language.lower()


def translation_mark(source_language: str, target_language: str, original_title: str) -> str:
    """`übersetzt aus dem Englischen; Original: …` / `translated from German; Original: …`."""
    name = str(Locale(target_language).languages.get(source_language, source_language))
    if target_language == "de":
        # German names the language in the dative: Englisch -> aus dem Englischen.
        key = "translation.from" if name.endswith("isch") else "translation.from_other"
        name = f"{name}en" if name.endswith("isch") else name
    else:
        key = "translation.from"
    mark = translate(target_language, key, language=name)
    original = translate(target_language, "translation.original", title=original_title)
    return f"{mark}; {original}"


def translated_alert(alert: Alert, record: TranslationRecord, target_language: str) -> Alert:
    """The alert with translated title and summary; the mark and the original title follow
    the summary, so every platform shows them without a layout of its own."""
    mark = translation_mark(record.source_language, target_language, alert.title)
    summary = f"{record.summary} ({mark})" if record.summary else f"({mark})"
    return replace(alert, title=record.title or alert.title, summary=summary)


class AlertTranslator:
    """What delivery calls: `translate_alert` returns the alert translated, or as it was."""

    def __init__(
        self,
        store: TranslationStore,
        translator: Translator | None,
        *,
        timeout: float,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._translator = translator
        self._timeout = timeout
        self._clock = clock
        # One lock per story and language while someone holds it: one call per story.
        self._locks: weakref.WeakValueDictionary[tuple[int, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self.calls = 0  # requests made to the service (for tests and metrics)

    @property
    def enabled(self) -> bool:
        """Whether a translation service is configured."""
        return self._translator is not None

    async def translate_alert(self, alert: Alert, target_language: str, story_id: int) -> Alert:
        """The alert in `target_language` when its article is in another one.

        Never raises and never takes longer than the timeout: on any failure (service down,
        slow, refusing, malformed; store unavailable) the alert comes back untranslated.
        """
        if self._translator is None or not needs_translation(alert.language, target_language):
            return alert
        context = {"story": story_id, "language": target_language}
        try:
            async with asyncio.timeout(self._timeout):
                record = await self._record(self._translator, alert, target_language, story_id)
        except TimeoutError:
            log.warning("translation timed out, sending untranslated", extra=context)
            return alert
        except (TranslationError, StoreError) as exc:
            log.warning("translation failed, sending untranslated: %s", exc, extra=context)
            return alert
        except Exception:
            # Losing or delaying an alert is worse than an unknown failure: send it as it is.
            log.exception("unexpected translation error, sending untranslated", extra=context)
            return alert
        return translated_alert(alert, record, target_language)

    async def _record(
        self, translator: Translator, alert: Alert, target: str, story_id: int
    ) -> TranslationRecord:
        key = (story_id, target)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            cached = await self._store.get_translation(story_id, target)
            if cached is not None:
                return cached
            self.calls += 1
            source = alert.language.split("-", 1)[0].lower() or None
            result = await translator.translate(
                [alert.title, alert.summary], source=source, target=target
            )
            title, summary = result.texts
            record = TranslationRecord(result.detected_source or alert.language, title, summary)
            await self._store.put_translation(story_id, target, record, now=self._clock())
            return record

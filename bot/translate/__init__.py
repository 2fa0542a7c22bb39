"""Machine translation of alerts (LibreTranslate, DeepL, OpenAI-compatible), cached per story."""

from bot.translate.base import Translation, Translator
from bot.translate.deepl import DeepLClient
from bot.translate.errors import (
    MalformedTranslationError,
    TranslationAuthError,
    TranslationError,
    TranslationRateLimitedError,
    TranslationRejectedError,
    TranslationTimeoutError,
    TranslationUnavailableError,
)
from bot.translate.libretranslate import LibreTranslateClient
from bot.translate.openai import OpenAIClient
from bot.translate.service import (
    AlertTranslator,
    TranslationStore,
    build_translator,
    needs_translation,
    translated_alert,
    translation_mark,
)

__all__ = [
    "AlertTranslator",
    "DeepLClient",
    "LibreTranslateClient",
    "MalformedTranslationError",
    "OpenAIClient",
    "Translation",
    "TranslationAuthError",
    "TranslationError",
    "TranslationRateLimitedError",
    "TranslationRejectedError",
    "TranslationStore",
    "TranslationTimeoutError",
    "TranslationUnavailableError",
    "Translator",
    "build_translator",
    "needs_translation",
    "translated_alert",
    "translation_mark",
]

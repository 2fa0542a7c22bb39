"""Language detection, sentence splitting and the extractive summary of an article."""

from __future__ import annotations

from bot.condense.condenser import Condensed, Condenser
from bot.condense.errors import CondenseError, InvalidLimitError, UnknownLanguageError
from bot.condense.language import DEFAULT_LANGUAGES, LanguageDetector
from bot.condense.sentences import split_sentences
from bot.condense.summary import summarize

__all__ = [
    "DEFAULT_LANGUAGES",
    "CondenseError",
    "Condensed",
    "Condenser",
    "InvalidLimitError",
    "LanguageDetector",
    "UnknownLanguageError",
    "split_sentences",
    "summarize",
]

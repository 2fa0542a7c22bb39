"""Language detection with lingua, restricted to the languages newsbot supports.

Supported set (default `DEFAULT_LANGUAGES`): German and English, the languages
alerts are written for. Every extra language costs memory and accuracy on short
German/English titles: with French, Spanish, Italian, Dutch, Portuguese and Polish
also loaded (the set before), 49 of 974 bare headlines were misread, against 22
with German and English only. A French article is then read as the closer of the
two; `LanguageDetector(languages=...)` still builds any other set.

Figures from `python -m bench language` (974 bare headlines of the German and
English feeds in `/work/shared/corpora/feeds`, labelled with the feed's language,
`bench/data/language/headlines.tsv`):

| detector                         | RSS    | no hint | right hint | per headline |
| -------------------------------- | ------ | ------- | ---------- | ------------ |
| 8 languages, low accuracy (before) | 12-15 MB | 94.5 % | 96.8 %   | 0.09 ms      |
| de + en, low accuracy (default)  | 6-8 MB | 97.7 %  | 99.2 %     | 0.05-0.08 ms |
| de + en, high accuracy           | 68-81 MB | 99.2 % | 100 %     | 0.11 ms      |

High accuracy is better on headlines, but its 70-80 MB would push the whole bot past
its 200 MB budget at scale (190 MB measured with the low mode), and on what
newsbot judges in practice (title plus teaser: 513 entries) the low mode made no
mistake with or without the feed's hint. So low accuracy is the default
(`high_accuracy=True` restores the other).

Decision rule (`choose_language`): the feed's declared language wins on a short
text (under `SHORT_LETTERS` letters: a headline, a teaser line) unless the
detector is very sure (`VERY_SURE`: at 0.99 the confident guesses on bare
headlines were wrong 8 times in 974, against 21 at 0.6); on longer text the
detector wins from `CONFIDENT` on (0 wrong in 513 title + teaser entries even with
the opposite language declared); under `MIN_LETTERS` letters the hint decides alone.
Without a hint the top guess is taken from `MIN_GUESS_LETTERS` letters on. Only the first
`SAMPLE_CHARS` characters are judged: lingua's confidence is saturated long before
that, and it bounds the cost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.condense.errors import UnknownLanguageError

__all__ = [
    "CONFIDENT",
    "DEFAULT_LANGUAGES",
    "SHORT_LETTERS",
    "VERY_SURE",
    "LanguageDetector",
    "choose_language",
    "normalize_hint",
]

DEFAULT_LANGUAGES: Final = ("de", "en")
# On longer text, at or above this the detector beats the declared language.
CONFIDENT: Final = 0.6
# On short text, only this sure a guess beats the declared language (see above).
VERY_SURE: Final = 0.99
# Fewer letters than this is short text: a headline or a one-line teaser.
SHORT_LETTERS: Final = 150
# Below this and without a hint, the top guess is noise.
GUESS_FLOOR: Final = 0.3
# With a hint, fewer letters than this are not judged at all: the hint decides (a bare
# brand name, "Xiaomi 12S Ultra", says nothing about the article's language).
MIN_LETTERS: Final = 20
# Without a hint, a guess needs this many letters: the 9 headlines of 10-19 letters in
# the bench were all read right ("Slice of Life"), a bare "Xiaomi 12S" is not judged.
MIN_GUESS_LETTERS: Final = 10
SAMPLE_CHARS: Final = 1000

_HINT = re.compile(r"([a-z]{2})(?:$|[-_])")


def normalize_hint(hint: str | None) -> str | None:
    """Turn a declared language (`de-DE`, `en_US`, ` EN `) into an ISO 639-1 code, or None."""
    if not hint:
        return None
    match = _HINT.match(hint.strip().lower())
    return match.group(1) if match else None


def _to_language(code: str) -> Language:
    """Map one ISO 639-1 code to lingua's enum, rejecting what lingua does not know."""
    try:
        iso = getattr(IsoCode639_1, code.strip().upper())
        return Language.from_iso_code_639_1(iso)
    except (AttributeError, ValueError) as exc:
        raise UnknownLanguageError(f"unknown ISO 639-1 language code: {code!r}") from exc


class LanguageDetector:
    """Detects the language of a text among a fixed set; build once, share everywhere.

    Construction loads every model eagerly (a few hundredths of a second, or about
    0.5 s in high accuracy), so build it at start-up (or in a thread), never per
    article. `detect` is then pure CPU work: about 0.05 ms per headline.
    """

    def __init__(
        self, languages: Iterable[str] = DEFAULT_LANGUAGES, *, high_accuracy: bool = False
    ) -> None:
        chosen = sorted({_to_language(code) for code in languages}, key=lambda lang: lang.name)
        if len(chosen) < 2:
            raise UnknownLanguageError("a language detector needs at least two languages")
        self.languages: tuple[str, ...] = tuple(lang.iso_code_639_1.name.lower() for lang in chosen)
        # Preloading keeps the first detect() from stalling the event loop on model loads.
        builder = LanguageDetectorBuilder.from_languages(*chosen).with_preloaded_language_models()
        if not high_accuracy:
            builder = builder.with_low_accuracy_mode()
        self._detector = builder.build()

    def confidence(self, text: str) -> tuple[str | None, float]:
        """Return the most likely language of `text` (its first chars) and its confidence."""
        sample = text[:SAMPLE_CHARS]
        if not any(ch.isalpha() for ch in sample):
            return None, 0.0
        values = self._detector.compute_language_confidence_values(sample)
        if not values or values[0].value <= 0.0:
            return None, 0.0
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), float(top.value)

    def detect(self, text: str, *, hint: str | None = None) -> str | None:
        """Return the ISO 639-1 code of `text`, falling back to `hint` when unsure."""
        declared = normalize_hint(hint)
        code, confidence = self.confidence(text)
        return choose_language(
            code, confidence, letters=_count_letters(text[:SAMPLE_CHARS]), hint=declared
        )


def _count_letters(text: str) -> int:
    """Count alphabetic characters, the measure of how much there is to judge."""
    return sum(1 for ch in text if ch.isalpha())


def choose_language(
    detected: str | None, confidence: float, *, letters: int, hint: str | None
) -> str | None:
    """Decide between the detector's guess and the declared language."""
    if hint:
        if letters < MIN_LETTERS:
            return hint
        needed = VERY_SURE if letters < SHORT_LETTERS else CONFIDENT
        return hint if detected is None or confidence < needed else detected
    if letters < MIN_GUESS_LETTERS or detected is None or confidence < GUESS_FLOOR:
        return None
    return detected

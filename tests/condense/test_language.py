"""Language detection: real headlines and sentences, the hint fallback, the decision rule."""

from __future__ import annotations

import pytest

from bot.condense import LanguageDetector, UnknownLanguageError
from bot.condense.language import (
    CONFIDENT,
    SHORT_LETTERS,
    VERY_SURE,
    choose_language,
    normalize_hint,
)

# Real headlines and sentences: the German fixture article, golem 2018, heise 2019,
# The Verge 2025, Lifehacker 2025 (see tests/fixtures/condense/README.md for the feeds).
REAL_TEXTS = [
    (
        "de",
        "Xiaomi-CEO Lei Jun bestätigt eine weltweite Veröffentlichung des 12 S Ultra-Nachfolgers",
    ),
    (
        "de",
        "Der Xiaomi 12S Ultra ist ein perfektes Beispiel dafür, was passiert,"
        " wenn ein Unternehmen bis an die Grenzen geht.",
    ),
    ("de", "Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera"),
    ("de", "iPhone Xr im Test: Apples günstigeres iPhone ist nicht günstig"),
    ("de", "Fachkräftemangel: Öffentlicher Hand droht laut Studie Handlungsunfähigkeit"),
    ("de", "Lenovo: Fehlerhafte Bios-Einstellung macht Thinkpads unbrauchbar"),
    ("de", "Wochenrückblick: Wilder Westen, buntes Handy, nutzloses Siegel"),
    ("en", "Cloudflare will now block AI crawlers by default"),
    ("en", "Tinder’s mandatory facial recognition check comes to the US"),
    ("en", "Samsung Galaxy Phones Have a Secret Wifi Menu Packed With Useful Options"),
    (
        "en",
        "The Google graveyard has claimed another victim:"
        " the company has killed the Apple Watch version of its Keep app.",
    ),
    ("en", "Apple’s Second macOS Tahoe Beta Lets You Test Out New AirPods Features"),
]

NEIGHBOURS = [
    ("fr", "Le nouveau smartphone de Xiaomi arrive en France la semaine prochaine."),
    ("es", "Xiaomi lanzará su nuevo teléfono en España a finales de este mes."),
    ("nl", "Xiaomi brengt de nieuwe telefoon volgende maand ook in Nederland uit."),
]


@pytest.mark.parametrize(
    ("expected", "text"), REAL_TEXTS, ids=[f"{lang}-{text[:24]}" for lang, text in REAL_TEXTS]
)
def test_detects_real_news_text(detector: LanguageDetector, expected: str, text: str) -> None:
    """Real German/English headlines (umlauts, brand names) get their language without a hint."""
    assert detector.detect(text) == expected


@pytest.mark.parametrize(
    ("expected", "text"), NEIGHBOURS, ids=[lang for lang, _ in NEIGHBOURS]
)  # fmt: skip
def test_a_custom_set_detects_neighbour_languages(expected: str, text: str) -> None:
    """Only de and en are loaded by default; a detector built for more languages finds them."""
    wider = LanguageDetector(languages=["de", "en", "fr", "es", "nl"])
    assert wider.detect(text) == expected


# Bare headlines from the shared feeds, with the feed's own (right) language as hint.
HEADLINES = [
    ("Symantec to Buy Veritas for $13.5 Billion", "en"),
    ("Apple’s Wallet App Is Spamming Users With Movie Ads", "en"),
    ("Google kills its Keep app on Apple Watch", "en"),
    ("Mi Mix 3: Xiaomi-Flaggschiff mit Kamera-Slider und 10 GByte RAM", "de"),
    ("Chaos auf den Straßen: Orkan Niklas zieht mit schweren Windböen", "de"),
    ("WLAN-Lautsprecher: Apples HomePod wird billiger", "de"),
]


@pytest.mark.parametrize(
    ("text", "hint"), HEADLINES, ids=[text[:28] for text, _ in HEADLINES]
)  # fmt: skip
def test_short_headline_keeps_the_declared_language(
    detector: LanguageDetector, text: str, hint: str
) -> None:
    """A bare headline takes the feed's language unless the detector is very sure otherwise."""
    assert detector.detect(text, hint=hint) == hint


HINTED = [
    ("brand-only-de", "Xiaomi 12S Ultra", "de", "de"),
    ("brand-only-en", "Xiaomi 12S Ultra", "en", "en"),
    ("empty-region-hint", "", "de-DE", "de"),
    ("digits-only", "12 345", "en_US", "en"),
    ("low-confidence-title", "Google kills its Keep app on Apple Watch", "en", "en"),
    ("confident-beats-hint", "Cloudflare will now block AI crawlers by default", "de", "en"),
    (
        "confident-beats-hint-de",
        "Lenovo: Fehlerhafte Bios-Einstellung macht Thinkpads unbrauchbar",
        "en",
        "de",
    ),
    ("brand-no-hint", "Xiaomi 12S", None, None),
    ("short-headline-no-hint", "Slice of Life", None, "en"),
    ("empty-no-hint", "", None, None),
    ("garbage-hint", "Xiaomi 12S", "??", None),
]


@pytest.mark.parametrize(
    ("text", "hint", "expected"), [h[1:] for h in HINTED], ids=[h[0] for h in HINTED]
)
def test_hint_decides_short_or_unclear_text(
    detector: LanguageDetector, text: str, hint: str | None, expected: str | None
) -> None:
    """The declared language wins only when the text is too short or unclear to judge."""
    assert detector.detect(text, hint=hint) == expected


@pytest.mark.parametrize(
    ("detected", "confidence", "letters", "hint", "expected"),
    [
        ("en", 0.95, 400, "de", "en"),
        ("en", CONFIDENT, 400, "de", "en"),
        ("en", 0.59, 400, "de", "de"),
        ("en", 0.95, 60, "de", "de"),
        ("en", VERY_SURE, 60, "de", "en"),
        ("en", 0.98, SHORT_LETTERS - 1, "de", "de"),
        ("en", 0.98, SHORT_LETTERS, "de", "en"),
        ("en", 0.59, 40, None, "en"),
        ("en", 0.29, 40, None, None),
        ("de", 0.99, 5, "en", "en"),
        ("de", 0.99, 5, None, None),  # too short to judge: no guess
        ("en", 0.7, 12, None, "en"),
        ("en", 0.7, 12, "de", "de"),
        (None, 0.0, 0, "fr", "fr"),
        (None, 0.0, 0, None, None),
    ],
    ids=[
        "long-confident",
        "long-at-threshold",
        "long-below-threshold-hint",
        "short-sure-is-not-enough",
        "short-very-sure",
        "just-short",
        "just-long",
        "no-hint-takes-the-guess",
        "below-floor-no-hint",
        "too-short-hint",
        "too-short-no-hint",
        "short-guess-without-hint",
        "short-with-hint-not-judged",
        "nothing-detected-hint",
        "nothing-at-all",
    ],
)
def test_choose_language(
    detected: str | None, confidence: float, letters: int, hint: str | None, expected: str | None
) -> None:
    """The decision between detector and declared language follows the measured thresholds."""
    assert choose_language(detected, confidence, letters=letters, hint=hint) == expected


@pytest.mark.parametrize(
    ("hint", "expected"),
    [("de", "de"), ("de-DE", "de"), ("en_US", "en"), (" EN ", "en"), ("", None), (None, None),
     ("deutsch", None), ("x", None)],
    ids=["plain", "region", "underscore", "padded-upper", "empty", "none", "word", "one-letter"],
)  # fmt: skip
def test_normalize_hint(hint: str | None, expected: str | None) -> None:
    """Declared languages from feeds and pages are reduced to ISO 639-1 codes."""
    assert normalize_hint(hint) == expected


def test_detector_reports_its_languages() -> None:
    """A custom set is built and reported as sorted-by-name ISO codes."""
    assert set(LanguageDetector(languages=["en", "DE"]).languages) == {"de", "en"}


@pytest.mark.parametrize(
    "languages", [["de", "xx"], ["de"], []], ids=["unknown-code", "only-one", "empty"]
)
def test_rejects_bad_language_sets(languages: list[str]) -> None:
    """Unknown codes and sets too small to choose from raise a typed error."""
    with pytest.raises(UnknownLanguageError):
        LanguageDetector(languages=languages)


def test_only_the_first_chars_are_judged(detector: LanguageDetector) -> None:
    """A German lead decides even if English boilerplate follows far behind it."""
    text = "Xiaomi bestätigt den weltweiten Marktstart des neuen Smartphones. " * 20
    assert detector.detect(text + "Read more about this on our website. " * 200) == "de"

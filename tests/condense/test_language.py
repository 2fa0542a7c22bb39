"""Language detection: real headlines and sentences, the hint fallback, the decision rule."""

from __future__ import annotations

import pytest

from bot.condense import LanguageDetector, UnknownLanguageError
from bot.condense.language import CONFIDENT, choose_language, normalize_hint

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
    ("fr", "Le nouveau smartphone de Xiaomi arrive en France la semaine prochaine."),
    ("es", "Xiaomi lanzará su nuevo teléfono en España a finales de este mes."),
    ("nl", "Xiaomi brengt de nieuwe telefoon volgende maand ook in Nederland uit."),
]


@pytest.mark.parametrize(
    ("expected", "text"), REAL_TEXTS, ids=[f"{lang}-{text[:24]}" for lang, text in REAL_TEXTS]
)
def test_detects_real_news_text(detector: LanguageDetector, expected: str, text: str) -> None:
    """Real German/English headlines (umlauts, brand names) and neighbours get their language."""
    assert detector.detect(text) == expected


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
    ("brand-no-hint", "Xiaomi 12S Ultra", None, None),
    ("empty-no-hint", "", None, None),
    ("garbage-hint", "Xiaomi 12S Ultra", "??", None),
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
        ("en", 0.95, 40, "de", "en"),
        ("en", CONFIDENT, 40, "de", "en"),
        ("en", 0.59, 40, "de", "de"),
        ("en", 0.59, 40, None, "en"),
        ("en", 0.29, 40, None, None),
        ("de", 0.99, 5, "en", "en"),
        ("de", 0.99, 5, None, None),  # too short to judge: no guess
        (None, 0.0, 0, "fr", "fr"),
        (None, 0.0, 0, None, None),
    ],
    ids=[
        "confident",
        "at-threshold",
        "below-threshold-hint",
        "below-threshold-no-hint",
        "below-floor-no-hint",
        "too-short-hint",
        "too-short-no-hint",
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

"""Sentence splitting: tricky German/English news cases, repairs, and pathological input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.condense import split_sentences
from bot.condense.sentences import MAX_CHARS, cap, is_german_ordinal

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "condense" / "sentence_cases.json").read_text(
        "utf-8"
    )
)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_tricky_news_sentence_pairs(case: dict[str, Any]) -> None:
    """Abbreviations, ordinals, numbers, URLs, quotes and ellipses split into exactly two."""
    assert split_sentences(case["text"], case["language"]) == case["expected"]


@pytest.mark.parametrize("language", ["de", None], ids=["german", "unknown"])
def test_tricky_cases_hold_without_exact_language(language: str | None) -> None:
    """German cases also split right when the language is unknown (detection failed)."""
    german = [case for case in CASES if case["language"] == "de"]
    assert [split_sentences(c["text"], language) for c in german] == [c["expected"] for c in german]


def test_paragraphs_end_sentences_and_whitespace_folds() -> None:
    """A headline without a period stays separate, and inner line breaks become spaces."""
    text = (
        "Xiaomi-CEO bestätigt Marktstart\n\nLei Jun hat das\n  am Montag   bestätigt. Mehr folgt."
    )
    assert split_sentences(text, "de") == [
        "Xiaomi-CEO bestätigt Marktstart",
        "Lei Jun hat das am Montag bestätigt.",
        "Mehr folgt.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t"], ids=["empty", "spaces", "blank-lines"])
def test_blank_text_has_no_sentences(text: str) -> None:
    """Nothing in, nothing out."""
    assert split_sentences(text) == []


PATHOLOGICAL = {
    "100k-no-punctuation": "wort " * 20_000,
    "100k-dots": "." * 100_000,
    "digit-dot-run": "1." * 50_000,
    "pysbd-numbered-reference": "..[" + " ".join(["111"] * 5_000) + "]",
    "abbreviation-run": "z. B. " * 15_000,
    "one-long-url": "https://example.com/" + "a/" * 40_000,
    "ellipsis-run": "Xiaomi… " * 12_000,
}


@pytest.mark.parametrize(
    "text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys()
)  # ids keep the report readable
def test_pathological_input_returns_bounded_output(text: str) -> None:
    """Inputs that make regex splitters backtrack return, and only the capped prefix is used."""
    sentences = split_sentences(text)
    assert sum(len(s) for s in sentences) <= MAX_CHARS
    assert all(s.replace(" ", "") in text.replace(" ", "") for s in sentences)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("kurz", 10, "kurz"),
        ("eins zwei drei", 8, "eins"),
        ("eins zwei drei", 10, "eins zwei"),
        ("abcdefghij", 4, "abcd"),
    ],
    ids=["under-limit", "cut-at-space", "space-at-limit", "no-space"],
)
def test_cap(text: str, limit: int, expected: str) -> None:
    """The input cap cuts at whitespace when it can."""
    assert cap(text, limit) == expected


@pytest.mark.parametrize(
    ("previous", "following", "expected"),
    [
        ("Das Gerät erscheint am 3.", "Oktober in Deutschland.", True),
        ("Der Start ist für den 12.", "November geplant.", True),
        ("Xiaomi bringt die 2.", "Generation.", True),
        ("Die Zahl stieg auf 12.", "November war ruhiger.", True),
        ("Die Zahl stieg auf 12.", "Samsung folgt.", False),
        ("3.", "Quartal.", True),
        ("Xiaomi verkaufte 2011.", "Dann kam Samsung.", False),
        ("Es kam am Montag.", "Oktober wird spannend.", False),
    ],
    ids=[
        "am-month",
        "den-month",
        "die-noun",
        "month-after-any-word",
        "plain-number-end",
        "bare-number",
        "year-end",
        "no-number",
    ],
)
def test_is_german_ordinal(previous: str, following: str, expected: bool) -> None:
    """A split after `<n>.` is undone only after an article/preposition or before a month."""
    assert is_german_ordinal(previous, following) is expected


def test_german_repairs_are_not_applied_to_english() -> None:
    """`12. November` is a date in German, but two sentences in English text."""
    text = "Sales rose for the 12. November was quieter."
    assert split_sentences(text, "en") == ["Sales rose for the 12.", "November was quieter."]
    assert split_sentences(text, "de") == [text]


NEWS_FORMS = [
    (
        "slash-saint",
        "Der Zug fährt nach Wien/St. Pölten und hält dort. Dann geht es weiter.",
        ["Der Zug fährt nach Wien/St. Pölten und hält dort.", "Dann geht es weiter."],
    ),
    (
        "ausser-dienst",
        "Bundeskanzler a. D. Gerhard Schröder sprach. Er lobte Putin.",
        ["Bundeskanzler a. D. Gerhard Schröder sprach.", "Er lobte Putin."],
    ),
    (
        "und-aehnliches",
        "Sie kaufte Äpfel, Birnen u. Ä. auf dem Markt. Danach ging sie heim.",
        ["Sie kaufte Äpfel, Birnen u. Ä. auf dem Markt.", "Danach ging sie heim."],
    ),
    (
        "street-number",
        "Das Büro liegt in der Hauptstr. 5 in Berlin. Es ist klein.",
        ["Das Büro liegt in der Hauptstr. 5 in Berlin.", "Es ist klein."],
    ),
    (
        "street-number-spaced",
        "Er wohnt in der Berliner Str. 5 in Bremen. Dort ist es ruhig.",
        ["Er wohnt in der Berliner Str. 5 in Bremen.", "Dort ist es ruhig."],
    ),
    (
        "numeric-date",
        "Er wurde am 8. 11. 1931 in Wien geboren. Er starb 2001.",
        ["Er wurde am 8. 11. 1931 in Wien geboren.", "Er starb 2001."],
    ),
    (
        "number-after-stop",
        "Die Firma wuchs stark. 2020 kam dann die Wende.",
        ["Die Firma wuchs stark.", "2020 kam dann die Wende."],
    ),
    (
        "abbreviation-before-number",
        "Das kostet ca. 500 Euro. Nr. 5 ist gut.",
        ["Das kostet ca. 500 Euro.", "Nr. 5 ist gut."],
    ),
    (
        "fact-box",
        "Fakten zum Gerät\nPreis: 999 Euro\nAkku: 5000 mAh\n\nEs kommt im Mai.",
        ["Fakten zum Gerät", "Preis: 999 Euro", "Akku: 5000 mAh", "Es kommt im Mai."],
    ),
    ("bullet-lines", "Im Paket:\n• Ladegerät\n• Kabel", ["Im Paket:", "• Ladegerät", "• Kabel"]),
    (
        "hard-wrap-article",
        "Der Hersteller hat das\nSmartphone am Montag vorgestellt.",
        ["Der Hersteller hat das Smartphone am Montag vorgestellt."],
    ),
    (
        "hard-wrap-lower-case",
        "Lei Jun hat das\nam Montag bestätigt.",
        ["Lei Jun hat das am Montag bestätigt."],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in NEWS_FORMS], ids=[c[0] for c in NEWS_FORMS]
)  # fmt: skip
def test_german_news_forms(text: str, expected: list[str]) -> None:
    """Abbreviations, dates, numbers after a stop and unpunctuated lines found in German news."""
    assert split_sentences(text, "de") == expected

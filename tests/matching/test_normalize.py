"""The word model shared by article text and queries."""

from __future__ import annotations

import pytest

from bot.matching.normalize import fold, word_keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Škoda", "skoda"),
        ("Straße", "strasse"),
        ("Müller", "muller"),
        ("ÄÖÜ", "aou"),
    ],
    ids=["caron", "sharp-s", "umlaut", "capital-umlauts"],
)
def test_fold(text: str, expected: str) -> None:
    """`fold` removes case and accents and expands ß."""
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xiaomi-CEO Lei Jun", ["xiaomi", "ceo", "lei", "jun"]),
        ("12S Ultra", ["12", "s", "ultra"]),
        ("12S-Ultra", ["12", "s", "ultra"]),
        ("12 S Ultra", ["12", "s", "ultra"]),
        ("12SUltra", ["12", "sultra"]),
        ("Samsung’s One UI 8", ["samsung's", "one", "ui", "8"]),
        ("Ray-Bans' 1080p", ["ray", "bans", "1080", "p"]),
        ("Mueller", ["muller"]),
        ("Müller", ["muller"]),
        ("Muellers", ["mullers"]),
        ("Goethe", ["gothe"]),
        ("Queen Quelle", ["queen", "quelle"]),
        ("Blue Bauer Steuer neue", ["blue", "bauer", "steuer", "neue"]),
        ("does issues blues", ["does", "issues", "blues"]),
        ("Straße", ["strasse"]),
        ("Mu\u0308ller", ["muller"]),
        ("snake_case", ["snake", "case"]),
        ("", []),
    ],
    ids=[
        "hyphen-compound",
        "digit-letter",
        "digit-letter-hyphen",
        "digit-space-letter",
        "no-split-inside-letters",
        "typographic-apostrophe",
        "trailing-apostrophe-dropped",
        "ue-collapses",
        "umlaut-folds",
        "ue-before-letters",
        "oe-collapses",
        "qu-kept",
        "ue-after-vowel-or-at-end-kept",
        "ue-before-final-s-kept",
        "sharp-s",
        "decomposed-umlaut",
        "underscore-splits",
        "empty",
    ],
)
def test_word_keys(text: str, expected: list[str]) -> None:
    """Text splits into folded word keys exactly as the matcher sees them."""
    assert word_keys(text) == expected

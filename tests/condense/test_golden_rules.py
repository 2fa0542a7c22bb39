"""pySBD's golden rules (English and German) as a table: the splitter passes every case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.condense import split_sentences

GOLDEN = Path(__file__).parents[2] / "bench" / "data" / "sentences" / "golden_rules.json"
TABLE: dict[str, list[dict[str, Any]]] = json.loads(GOLDEN.read_text("utf-8"))
CASES = [(language, case) for language in ("en", "de") for case in TABLE[language]]


def _fold(sentences: list[str]) -> list[str]:
    """Whitespace-fold sentences the way `split_sentences` returns them."""
    return [" ".join(s.split()) for s in sentences if s.strip()]


@pytest.mark.parametrize(
    ("language", "case"),
    CASES,
    ids=[f"{language}-{i:02d}-{case['text'][:30]}" for i, (language, case) in enumerate(CASES)],
)
def test_golden_rule(language: str, case: dict[str, Any]) -> None:
    """Each golden rule splits exactly as pySBD's authors expect (whitespace folded)."""
    assert split_sentences(case["text"], language) == _fold(case["expected"])


def test_table_is_complete() -> None:
    """The table holds all 48 English and 30 German rules (nothing silently dropped)."""
    assert (len(TABLE["en"]), len(TABLE["de"])) == (48, 30)

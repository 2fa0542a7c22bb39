"""Shared fixtures for the condense tests: one language detector, the article texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.condense import LanguageDetector

FIXTURES = Path(__file__).parent.parent / "fixtures" / "condense"


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    """Build the detector once: loading lingua's models takes about a second."""
    return LanguageDetector()


@pytest.fixture(scope="session")
def german_article() -> tuple[str, str]:
    """Return (title, body) of the real German Xiaomi article."""
    title, _, body = (FIXTURES / "xiaomi-12s-ultra-de.txt").read_text("utf-8").partition("\n")
    return title.strip(), body


@pytest.fixture(scope="session")
def english_article() -> tuple[str, str]:
    """Return (title, teaser + body) of the real English Verge article."""
    text = (FIXTURES / "theverge-google-keep-apple-watch-en.txt").read_text("utf-8")
    return "Google kills its Keep app on Apple Watch", text

"""The Condenser facade and the package's public surface."""

from __future__ import annotations

import dataclasses

import pytest

import bot.condense
from bot.condense import Condensed, Condenser, InvalidLimitError, LanguageDetector


def test_condenses_german_article(
    detector: LanguageDetector, german_article: tuple[str, str]
) -> None:
    """A German article is detected as German and summarised around the keyword."""
    title, body = german_article
    result = Condenser(detector).condense(title=title, text=body, keywords=["Xiaomi"], hint="en")
    assert result.language == "de"
    assert "Xiaomi" in result.summary
    assert len(result.summary) <= 400


def test_condenses_english_entry_with_limits(
    detector: LanguageDetector, english_article: tuple[str, str]
) -> None:
    """The facade's limits are passed to the summary."""
    title, text = english_article
    condenser = Condenser(detector, max_chars=120, max_sentences=1)
    result = condenser.condense(title=title, text=text, keywords=["Keep"])
    assert result.language == "en"
    assert len(result.summary) <= 120
    assert "Keep" in result.summary


def test_short_title_only_falls_back_to_hint(detector: LanguageDetector) -> None:
    """A bare brand-name title takes the feed's language and yields no summary."""
    result = Condenser(detector).condense(
        title="Xiaomi 12S Ultra", text="", keywords=["Xiaomi"], hint="de-DE"
    )
    assert result == Condensed(language="de", summary="")


def test_condensed_is_frozen() -> None:
    """Results are values: they cannot be changed after the fact."""
    result = Condensed(language="en", summary="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.summary = "y"  # type: ignore[misc]


def test_rejects_invalid_limits(detector: LanguageDetector) -> None:
    """Bad limits fail at construction, not on the first article."""
    with pytest.raises(InvalidLimitError):
        Condenser(detector, max_chars=0)


def test_default_detector_is_built_by_the_condenser() -> None:
    """Without a detector, the Condenser builds the default one itself."""
    assert "de" in Condenser().detector.languages


def test_public_names_are_exported() -> None:
    """Everything in `__all__` is importable from `bot.condense`."""
    assert all(hasattr(bot.condense, name) for name in bot.condense.__all__)
    assert {"Condenser", "Condensed", "LanguageDetector", "summarize", "split_sentences"} <= set(
        bot.condense.__all__
    )

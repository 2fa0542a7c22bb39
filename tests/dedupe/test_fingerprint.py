"""Fingerprint, distance and title-key decisions, each pinned by a table."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.dedupe import (
    THRESHOLD,
    DedupeError,
    FingerprintRangeError,
    distance,
    fingerprint,
    same_story,
    story_matcher,
    title_key,
)

MIN_INT64 = -(2**63)
MAX_INT64 = 2**63 - 1


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        pytest.param(
            "Xiaomi-CEO Lei Jun bestätigt globalen Start des 12S-Ultra-Nachfolgers",
            "",
            -3826171738424263247,
            id="de-title",
        ),
        pytest.param(
            "Fujitsu schließt Werk in Augsburg",
            "Fujitsu plant einen Konzernumbau.",
            -3915673798967963681,
            id="de-title-summary",
        ),
        pytest.param(
            "US civil rights leader Jesse Jackson dies aged 84",
            "",
            -5447014889441993806,
            id="en-title",
        ),
    ],
)
def test_fingerprint_is_pinned(title: str, summary: str, expected: int) -> None:
    """Stored fingerprints stay valid: the same text hashes to the same value in every release."""
    assert fingerprint(title, summary) == expected


def test_fingerprint_is_stable_across_processes() -> None:
    """Hashing does not depend on Python's per-process salted `hash()`."""
    title, summary = "Xiaomi meldet Rekordumsatz", "Im dritten Quartal so viel wie nie zuvor."
    code = f"from bot.dedupe import fingerprint; print(fingerprint({title!r}, {summary!r}))"
    values = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert values == {str(fingerprint(title, summary))}


@pytest.mark.parametrize(
    "title",
    [
        pytest.param("Xiaomi meldet Rekordumsatz", id="short"),
        pytest.param("Ünïcödé Ärger: Straße gesperrt", id="accents"),
        pytest.param("Live: One Nation expecting a 'Melbourne Cup'-like race", id="punctuation"),
        pytest.param("x" * 5000, id="long-word"),
        pytest.param("a", id="stop-word-only"),
    ],
)
def test_fingerprint_fits_a_signed_bigint(title: str) -> None:
    """Every fingerprint fits a SQL BIGINT (signed 64-bit)."""
    assert MIN_INT64 <= fingerprint(title, title) <= MAX_INT64


def test_fingerprints_use_the_sign_bit() -> None:
    """Signed mapping really happens: some fingerprints are negative, some positive."""
    values = [fingerprint(f"wort{n}") for n in range(40)]  # unrelated texts, independent bits
    assert any(value < 0 for value in values)
    assert any(value > 0 for value in values)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param("Xiaomi meldet Rekordumsatz", "XIAOMI MELDET REKORDUMSATZ", id="case"),
        pytest.param("Škoda und Müller: Straße", "skoda und muller: strasse", id="accents"),
        pytest.param(
            "Lei Jun: Xiaomi-CEO bestätigt", "Lei Jun – Xiaomi CEO bestätigt!", id="punct"
        ),
        pytest.param("U.S. and Iran hold talks", "US and Iran hold talks", id="abbreviation"),
        pytest.param("Update: Fujitsu schließt Werk", "Fujitsu schließt Werk", id="update-mark"),
        pytest.param("Fujitsu schließt das Werk", "Fujitsu schließt Werk", id="stop-word"),
    ],
)
def test_fingerprint_ignores_surface_differences(a: str, b: str) -> None:
    """Case, accents, punctuation, dotted abbreviations, stop words and "Update:" do not count."""
    assert fingerprint(a) == fingerprint(b)


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("   ", "", id="blank"),
        pytest.param("!!! – ???", "", id="punctuation-only"),
        pytest.param("Die und der", "", id="stop-words-only"),
    ],
)
def test_fingerprint_of_no_content_is_zero(title: str, summary: str) -> None:
    """A title without content words (and no summary) gives the fingerprint 0, never an error."""
    assert fingerprint(title, summary) == 0


def test_empty_title_falls_back_to_the_summary() -> None:
    """An untitled item is fingerprinted by its summary, so its re-post still matches."""
    summary = "Fujitsu plant einen Konzernumbau. In Augsburg sind 1500 Beschäftigte betroffen."
    assert fingerprint("", summary) != 0
    assert fingerprint("", summary) == fingerprint("", summary + " ")


def test_summary_beyond_the_lead_is_ignored() -> None:
    """Only the summary's first ~300 characters count: feeds put boilerplate later."""
    lead = "Fujitsu will seine gesamte Fertigung außerhalb Japans schließen. " * 5
    assert len(lead) > 300
    title = "Fujitsu schließt Werk in Augsburg"
    assert fingerprint(title, lead) == fingerprint(title, lead + " Weiterlesen bei heise online")
    assert fingerprint(title, lead[:120]) != fingerprint(title, "Ganz andere Meldung hier.")


def test_title_outweighs_a_shared_boilerplate_summary() -> None:
    """Two stories under one repeated teaser stay apart: the title decides."""
    boilerplate = "Another lovely record. " + "View fullsize " * 20
    a = fingerprint('"Scorpio" by Arthur Jones on BYG Actuel 50', boilerplate)
    b = fingerprint('"Intensity" by Art Pepper on Contemporary M3607', boilerplate)
    assert not same_story(a, b)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(0, 0, 0, id="equal"),
        pytest.param(0, 1, 1, id="one-bit"),
        pytest.param(0, -1, 64, id="all-bits"),
        pytest.param(MIN_INT64, 0, 1, id="sign-bit"),
        pytest.param(MAX_INT64, MIN_INT64, 64, id="extremes"),
        pytest.param(0b1011, 0b0110, 3, id="mixed"),
    ],
)
def test_distance_counts_differing_bits(a: int, b: int, expected: int) -> None:
    """Hamming distance over the 64-bit two's-complement patterns."""
    assert distance(a, b) == expected
    assert distance(b, a) == expected


@pytest.mark.parametrize(
    "value",
    [pytest.param(MAX_INT64 + 1, id="too-big"), pytest.param(MIN_INT64 - 1, id="too-small")],
)
def test_distance_rejects_values_outside_int64(value: int) -> None:
    """A value no fingerprint can have is an error, not a silent wrap-around."""
    with pytest.raises(FingerprintRangeError):
        distance(value, 0)
    assert issubclass(FingerprintRangeError, DedupeError)


@pytest.mark.parametrize(
    ("bits", "threshold", "expected"),
    [
        pytest.param(0, THRESHOLD, True, id="identical"),
        pytest.param(THRESHOLD, THRESHOLD, True, id="at-threshold"),
        pytest.param(THRESHOLD + 1, THRESHOLD, False, id="beyond-threshold"),
        pytest.param(3, 2, False, id="custom-threshold-strict"),
        pytest.param(3, 3, True, id="custom-threshold"),
    ],
)
def test_same_story_compares_distance_to_threshold(
    bits: int, threshold: int, expected: bool
) -> None:
    """same_story is `distance <= threshold` (inclusive)."""
    other = (1 << bits) - 1  # `bits` low bits set: distance `bits` from 0
    assert same_story(0, other, threshold=threshold) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        pytest.param("Xiaomi meldet Rekordumsatz", "xiaomi meldet rekordumsatz", id="plain"),
        pytest.param("Update: Fujitsu schließt das Werk!", "fujitsu schliesst werk", id="edit"),
        pytest.param("Škoda-Chef: „Wir bleiben“", "skoda chef bleiben", id="accents-quotes"),
        pytest.param("The U.S. and the EU", "us eu", id="abbreviation"),
        pytest.param("", "", id="empty"),
    ],
)
def test_title_key_normalises(title: str, expected: str) -> None:
    """title_key folds, drops punctuation, stop words and edit markers, for exact matching."""
    assert title_key(title) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(0, 0, False, id="both-empty"),
        pytest.param(0, 5, False, id="one-empty"),
        pytest.param(5, 5, True, id="identical"),
        pytest.param(-1, -1, True, id="negative-identical"),
        pytest.param(-1, MAX_INT64, True, id="only-sign-bit-differs"),
        pytest.param(-1, MAX_INT64 >> 20, False, id="sign-and-20-bits-differ"),
        pytest.param(7, 7 ^ ((1 << THRESHOLD) - 1), True, id="at-threshold"),
        pytest.param(7, 7 ^ ((1 << (THRESHOLD + 1)) - 1), False, id="beyond-threshold"),
    ],
)
def test_story_matcher_table(a: int, b: int, expected: bool) -> None:
    """The hot-loop matcher: distance <= threshold, and a 0 fingerprint never matches."""
    assert story_matcher()(a, b) is expected


def test_story_matcher_agrees_with_same_story() -> None:
    """On real fingerprints the fast matcher and `same_story` decide alike."""
    import random

    rng = random.Random(4)
    values = [rng.randint(MIN_INT64, MAX_INT64) for _ in range(200)]
    values += [v ^ (1 << rng.randrange(64)) for v in values[:100]]
    matcher = story_matcher()
    for a in values:
        for b in values[:50]:
            if a and b:
                assert matcher(a, b) is same_story(a, b)

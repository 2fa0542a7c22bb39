"""Plain-text alerts and the message catalogues."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.delivery.render import alert_text, render_plain
from bot.i18n import format_datetime, language_for_locale, message_keys, translate
from bot.model import Alert

SUMMARY = "Xiaomis Chef Lei Jun hat bestätigt, dass der Nachfolger des 12S Ultra weltweit kommt."
ALERT = Alert(
    title="Xiaomi-CEO Lei Jun bestätigt\nglobalen Start",
    link="https://example-news.de/xiaomi-12s-ultra",
    summary=SUMMARY,
    source="Example News",
    published=datetime(2026, 3, 12, 9, 5, tzinfo=UTC),
    matched=("Xiaomi-CEO", "Lei Jun"),
    language="de",
    query='xiaomi OR "lei jun"',
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        pytest.param(
            "de",
            "Xiaomi-CEO Lei Jun bestätigt globalen Start\n"
            f"{SUMMARY}\n"
            "Quelle: Example News, 12. März 2026, 09:05 UTC\n"
            "Treffer: Xiaomi-CEO, Lei Jun\n"
            "https://example-news.de/xiaomi-12s-ultra",
            id="de",
        ),
        pytest.param(
            "en",
            "Xiaomi-CEO Lei Jun bestätigt globalen Start\n"
            f"{SUMMARY}\n"
            "Source: Example News, Mar 12, 2026, 9:05 AM UTC\n"
            "Matched: Xiaomi-CEO, Lei Jun\n"
            "https://example-news.de/xiaomi-12s-ultra",
            id="en",
        ),
    ],
)
def test_plain_alert_per_language(language: str, expected: str) -> None:
    """Labels, date format and source line follow the subscription's language."""
    assert render_plain(ALERT, language) == expected


def test_plain_alert_has_no_blank_line_inside() -> None:
    """Newlines and blank lines in feed text never split the one-block alert."""
    alert = Alert(
        title="A\n\nB",
        link="https://x.example/",
        summary="one\n\n\ntwo",
        source="S",
        published=None,
        matched=(),
        language="en",
    )
    rendered = render_plain(alert, "en")
    assert "\n\n" not in rendered
    assert rendered.splitlines() == ["A B", "one two", "Source: S", "https://x.example/"]


def test_source_line_begins_with_quelle_in_german() -> None:
    """The contract: German alerts' source line begins with `Quelle:`."""
    assert alert_text(ALERT, "de").source_line.startswith("Quelle: ")
    assert alert_text(ALERT, "en").source_line.startswith("Source: ")


@pytest.mark.parametrize(
    ("moment", "language", "expected"),
    [
        pytest.param(
            datetime(2026, 5, 1, 0, 0, tzinfo=UTC), "de", "1. Mai 2026, 00:00 UTC", id="de"
        ),
        pytest.param(
            datetime(2026, 5, 1, 0, 0, tzinfo=UTC), "en", "May 1, 2026, 12:00 AM UTC", id="en"
        ),
        pytest.param(
            datetime(2026, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-2))),
            "de",
            "1. Jan. 2027, 01:30 UTC",
            id="offset-to-utc",
        ),
        pytest.param(
            datetime(2026, 3, 2, 14, 7), "en", "Mar 2, 2026, 2:07 PM UTC", id="naive-is-utc"
        ),
    ],
)
def test_format_datetime(moment: datetime, language: str, expected: str) -> None:
    """Without a zone, publication times are shown in UTC, saying so, in each language's form."""
    assert format_datetime(moment, language) == expected


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        pytest.param("de", "de", id="de"),
        pytest.param("de-AT", "de", id="de-AT"),
        pytest.param("de_CH", "de", id="de_CH"),
        pytest.param("en-GB", "en", id="en-GB"),
        pytest.param("fr", "en", id="fr-default"),
        pytest.param(None, "en", id="none"),
    ],
)
def test_language_for_locale(locale: str | None, expected: str) -> None:
    """A platform locale starting with `de` picks German; others the default."""
    assert language_for_locale(locale) == expected


def test_catalogues_have_the_same_keys() -> None:
    """Every message exists in German and English."""
    assert message_keys("de") == message_keys("en")


def test_translate_falls_back_to_english_for_unknown_language() -> None:
    """An unsupported language falls back to English instead of failing."""
    assert translate("fr", "alert.source", source="X") == "Source: X"

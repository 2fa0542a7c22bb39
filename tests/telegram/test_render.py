"""Alert layout, escaping, the 4,096 limit and button payloads: pure decisions, by table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.delivery.render import AlertText, alert_text
from bot.model import Alert
from bot.platforms.telegram._render import (
    MESSAGE_LIMIT,
    alert_message,
    callback_data,
    parse_callback_data,
    shorten_at_sentence,
    toast,
    utf16_len,
)
from tests.fakes.telegram_api import parse_html


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Kurz.", 100, "Kurz."),
        ("Erster Satz. Zweiter Satz. Dritter.", 27, "Erster Satz. Zweiter Satz."),
        ("Erster Satz. Zweiter Satz. Dritter.", 12, "Erster Satz."),
        ("Is it? Yes! No.", 13, "Is it? Yes!"),
        ("Er sagte: „Gut.“ Dann ging er.", 17, "Er sagte: „Gut.“"),
        ("one two three four five", 12, "one two…"),
        ("one two three four five", 8, "one two…"),
        ("Version 1.5 kommt bald heraus", 12, "Version 1.5…"),
        ("unbreakablewordwithoutspaces", 10, "unbreakab…"),
        ("😀😀😀😀 Satz. Mehr Text hier", 14, "😀😀😀😀 Satz."),
        ("😀😀😀😀 Satz. Mehr Text hier", 13, "😀😀😀😀…"),
        ("😀😀😀😀😀😀", 5, "😀😀…"),
        ("anything", 0, ""),
    ],
    ids=[
        "fits",
        "two-sentences",
        "one-sentence",
        "question-and-exclamation",
        "closing-quote",
        "words-with-ellipsis",
        "word-boundary-exact",
        "decimal-point-is-no-sentence-end",
        "no-space-hard-cut",
        "emoji-count-double",
        "emoji-one-short",
        "emoji-hard-cut",
        "no-room",
    ],
)
def test_shorten_at_sentence(text: str, limit: int, expected: str) -> None:
    """A text over the limit keeps whole sentences, else whole words with an ellipsis."""
    shortened = shorten_at_sentence(text, limit)
    assert shortened == expected
    assert utf16_len(shortened) <= limit


def _text(title: str, summary: str, *, link: str = "https://example.com/a?b=1&c=2") -> AlertText:
    return AlertText(
        title=title,
        summary=summary,
        source_line="Quelle: heise online, 25. Nov 2026, 09:00 UTC",
        matched_line="Treffer: xiaomi",
        link=link,
    )


HOSTILE = [
    ('<b>Xiaomi</b> & "Co" </a> <script>alert(1)</script>', "1 < 2 && 3 > 2 </b>"),
    ("&amp; &lt;already escaped&gt; &#39;", "&nbsp; &copy; & ; &#x; &#99999999;"),
    ("שלום Xiaomi مرحبا \u202e reversed \u202c", "RTL \u200f mark, emoji 👩‍👩‍👧 🇩🇪"),
    ("Tab\there\nand newline", "A summary with <br/> and <a href='x'>link</a>."),
]


@pytest.mark.parametrize(
    ("title", "summary"), HOSTILE, ids=["tags-and-amps", "entities", "rtl-emoji", "html-bits"]
)
def test_hostile_fields_render_as_their_own_text(title: str, summary: str) -> None:
    """Every field is escaped: Telegram's parser shows exactly the feed's text, linked."""
    message = alert_message(_text(title, summary, link='https://ex.com/?q="x"&y=<1>'))
    visible, links = parse_html(message.html)
    assert visible.startswith(title)
    assert summary in visible
    assert "Quelle: heise online" in visible
    assert links == [{"href": 'https://ex.com/?q="x"&y=<1>'}]


@pytest.mark.parametrize(
    ("title_len", "summary_len"),
    [(100, 5000), (100, 100_000), (5000, 100), (5000, 5000), (30, 4000)],
    ids=["long-summary", "huge-summary", "huge-title", "both-huge", "just-over"],
)
def test_long_alert_is_shortened_never_rejected(title_len: int, summary_len: int) -> None:
    """Over 4,096 visible characters the summary (then the title) is cut at a sentence."""
    sentence = "Xiaomi & Co <b>bauen</b> ein Telefon. "
    title = ("Titel " * title_len)[:title_len]
    summary = (sentence * (summary_len // len(sentence) + 1))[:summary_len]
    message = alert_message(_text(title, summary))
    visible, _ = parse_html(message.html)
    assert utf16_len(visible) <= MESSAGE_LIMIT
    assert "Quelle: heise online" in visible
    assert "Treffer: xiaomi" in visible
    if summary_len > 4000 and title_len < 200:
        assert visible.split("\n\n")[1].endswith("Telefon.")
    assert utf16_len(message.plain) <= MESSAGE_LIMIT


def test_alert_layout_in_german() -> None:
    """Linked bold title, summary, source line with time (italic), matched words."""
    alert = Alert(
        title="Xiaomi zeigt das Mi Mix 3",
        link="https://www.golem.de/news/xiaomi-1.html",
        summary="Das Display ist nahezu randlos.",
        source="Golem",
        published=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
        matched=("Xiaomi",),
        language="de",
    )
    message = alert_message(alert_text(alert, "de"))
    assert message.html == (
        '<b><a href="https://www.golem.de/news/xiaomi-1.html">Xiaomi zeigt das Mi Mix 3</a></b>'
        "\n\nDas Display ist nahezu randlos."
        "\n\n<i>Quelle: Golem, 25. Nov. 2026, 09:00 UTC</i>\nTreffer: Xiaomi"
    )
    assert message.plain.startswith("Xiaomi zeigt das Mi Mix 3\nhttps://www.golem.de/")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("p:12", ("pause", 12)),
        ("u:9007199254740993", ("unsubscribe", 9007199254740993)),
        ("x:12", None),
        ("p:", None),
        ("p:12:3", None),
        ("", None),
        (None, None),
    ],
    ids=["pause", "unsubscribe-big-id", "unknown-action", "no-id", "extra", "empty", "none"],
)
def test_parse_callback_data(data: str | None, expected: tuple[str, int] | None) -> None:
    """Only payloads we wrote are read back."""
    assert parse_callback_data(data) == expected


@pytest.mark.parametrize("action", ["pause", "unsubscribe"], ids=["pause", "unsubscribe"])
def test_callback_data_round_trip_and_size(action: str) -> None:
    """Payloads round-trip and stay within Telegram's 64 bytes."""
    data = callback_data(action, 10**18 - 1)  # type: ignore[arg-type]
    assert parse_callback_data(data) == (action, 10**18 - 1)
    assert len(data.encode()) <= 64


@pytest.mark.parametrize(
    ("text", "expected_len"),
    [("short", 5), ("x" * 500, 200), ("a\nb   c", 5)],
    ids=["short", "long", "whitespace"],
)
def test_toast_fits_telegram(text: str, expected_len: int) -> None:
    """Callback answers are one line of at most 200 characters."""
    assert len(toast(text)) == expected_len

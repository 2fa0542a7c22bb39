"""Caps and sanitising at the door: titles cut, text capped, invisible controls removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.validate import normalise_query
from bot.matching import QuerySyntaxError, parse_query
from bot.sources.parse import parse_feed
from bot.sources.text import (
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    cap,
    clean_title,
    html_to_text,
    strip_controls,
)

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
FEED = Path(__file__).parent.parent / "fixtures" / "feeds" / "xiaomi-12s-ultra-de.rss"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{RLO}moc.elgoog", "moc.elgoog"),
        ("a\u202ab\u202bc\u202cd\u202de", "abcde"),
        ("\u2066x\u2067y\u2068z\u2069", "xyz"),
        ("\u200eleft\u200fright", "leftright"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("c1\x85kept-nel", "c1\x85kept-nel"),
        ("שלום עולם", "שלום עולם"),
        ("👩\u200d💻", "👩\u200d💻"),
    ],
    ids=["rlo", "embeddings", "isolates", "marks", "c0", "nel", "rtl-letters", "zwj-emoji"],
)
def test_strip_controls_table(text: str, expected: str) -> None:
    """Bidi controls and C0/C1 controls go; RTL letters, NEL and ZWJ sequences stay."""
    assert strip_controls(text) == expected


def test_html_to_text_drops_bidi_overrides() -> None:
    """Feed text loses its invisible overrides on the way in."""
    assert html_to_text(f"<b>Xiaomi</b> {RLO}gnp.exe") == "Xiaomi gnp.exe"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("one two three four", 10, "one two…"),
        ("line one\nline two", 12, "line one…"),
        ("x" * 20, 10, "x" * 10 + "…"),
    ],
    ids=["fits", "word-boundary", "keeps-line-break-cut", "no-space"],
)
def test_cap_table(text: str, limit: int, expected: str) -> None:
    """Cut at a word boundary (or hard when there is none) with an ellipsis."""
    assert cap(text, limit) == expected


def test_megabyte_title_is_cut() -> None:
    """A 1 MB title becomes a headline-sized one."""
    title = clean_title("Xiaomi " * 150_000)
    assert len(title) <= TITLE_MAX_CHARS + 1
    assert title.startswith("Xiaomi Xiaomi")
    assert title.endswith("…")


def test_feed_with_hostile_title_and_body_is_capped_and_cleaned() -> None:
    """parse_feed caps the title and the text and strips overrides from both."""
    huge_title = "Xiaomi " * 150_000
    huge_body = "Wort " * 50_000
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        f"<item><title>{RLO}{huge_title}</title><link>https://example.com/a</link>"
        f"<description>{RLO}{huge_body}</description></item></channel></rss>"
    ).encode()
    (article,) = parse_feed(feed, url="https://example.com/feed").entries
    assert len(article.title) <= TITLE_MAX_CHARS + 1
    assert len(article.body) <= TEXT_MAX_CHARS + 1
    assert RLO not in article.title
    assert RLO not in article.body


def test_query_controls_are_removed() -> None:
    """An override inside a query neither survives storage nor changes what it matches."""
    assert normalise_query(f"xia{RLO}omi  \u200eredmi") == "xiaomi redmi"
    assert parse_query(f"xia{RLO}omi") == parse_query("xiaomi")


@pytest.mark.parametrize(
    ("query", "position"),
    [
        ("(" * 200 + "xiaomi" + ")" * 200, 33),
        ("NOT " * 200 + "xiaomi", 129),
        ("-" * 200 + "xiaomi", 33),
        ("(" * 32 + "xiaomi" + ")" * 32, None),
    ],
    ids=["parentheses", "not-chain", "minus-chain", "at-the-limit"],
)
def test_nesting_limit(query: str, position: int | None) -> None:
    """Past 32 levels the parser refuses with a position instead of a RecursionError."""
    if position is None:
        assert str(parse_query(query)) == "xiaomi"
        return
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.reason == "nesting deeper than 32 levels"
    assert caught.value.position == position


def test_check_with_200_nested_parentheses_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`newsbot check --query` with 200 nested parentheses is a usage error naming the position."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSBOT_CONFIG", raising=False)
    query = "(" * 200 + "xiaomi" + ")" * 200
    assert main(["check", str(FEED), "--query", query]) == 2
    err = capsys.readouterr().err
    assert "nesting deeper than 32 levels at position 33" in err

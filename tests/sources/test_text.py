"""html_to_text: clean plain text from hostile HTML fragments."""

from __future__ import annotations

import time

import pytest

from bot.sources.text import fold_whitespace, html_to_text, lede


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        pytest.param("", "", id="empty"),
        pytest.param("   \n\t ", "", id="blank"),
        pytest.param("Plain  text\n\n  here", "Plain text\nhere", id="plain-folded"),
        pytest.param("<p>a</p><p>b</p>", "a\nb", id="paragraphs-not-glued"),
        pytest.param("a<br>b<br/>c", "a\nb\nc", id="br"),
        pytest.param("<ul><li>one</li><li>two</li></ul>tail", "one\ntwo\ntail", id="list"),
        pytest.param("<h2>Head</h2>Body", "Head\nBody", id="heading"),
        pytest.param("Xiao<b>mi</b> <i>12S</i> Ultra", "Xiaomi 12S Ultra", id="inline-joined"),
        pytest.param("<script>alert('x')</script>Hi", "Hi", id="script-dropped"),
        pytest.param("<style>p { color: red }</style>Hi", "Hi", id="style-dropped"),
        pytest.param(
            "<noscript>enable js</noscript><iframe>x</iframe>Hi", "Hi", id="noscript-iframe"
        ),
        pytest.param("A <!-- hidden --> B", "A B", id="comment"),
        pytest.param("<p>unclosed <b>bold", "unclosed bold", id="unclosed-tags"),
        pytest.param("x </a> y </div>", "x y", id="stray-closing-tags"),
        pytest.param("Fish &amp; Chips", "Fish & Chips", id="entity"),
        pytest.param("Fish &amp;amp; Chips", "Fish & Chips", id="double-escaped"),
        pytest.param("<p>Fish &amp;amp; Chips</p>", "Fish & Chips", id="double-escaped-in-markup"),
        pytest.param("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>", id="escaped-markup-is-text"),
        pytest.param("&#8222;Zitat&#8220; &eacute;t&eacute;", "„Zitat“ été", id="numeric-named"),
        pytest.param("AT&T &unknown; & co", "AT&T &unknown; & co", id="bare-ampersands"),
        pytest.param("a < b and c > d", "a < b and c > d", id="comparison-signs"),
        pytest.param(
            "😀 <i>emoji</i> 👨\u200d👩\u200d👧", "😀 emoji 👨\u200d👩\u200d👧", id="emoji-zwj"
        ),
        pytest.param("<p dir='rtl'>مرحبا <b>بالعالم</b></p>", "مرحبا بالعالم", id="rtl"),
        pytest.param("a\x00b\x07c\x9bd", "abcd", id="control-chars"),
        pytest.param("a\u00a0\u2009b\rc\u2028d", "a b\nc\nd", id="unicode-spaces-breaks"),
        pytest.param("lone \ud800 surrogate", "lone surrogate", id="surrogate"),
        pytest.param("<![CDATA[x]]>y", "y", id="cdata-in-html"),
        pytest.param("<?php echo 1 ?>ok", "ok", id="processing-instruction"),
        pytest.param(
            "<html><head><title>T</title></head><body><p>B</p></body></html>",
            "T\nB",
            id="whole-document",
        ),
        pytest.param(
            '<img src="x.jpg" onerror="alert(1)"><a href="javascript:x">link</a>',
            "link",
            id="attributes-gone",
        ),
    ],
)
def test_html_to_text(fragment: str, expected: str) -> None:
    """Tags, scripts and entities become clean text with line breaks at blocks."""
    assert html_to_text(fragment) == expected


def test_deep_nesting_and_huge_input_stay_fast() -> None:
    """Pathological fragments finish quickly and keep their text."""
    deep = "<div>" * 20000 + "deep" + "</div>" * 20000
    wide = "<p>word</p>" * 20000
    lone = "<" * 100_000 + " text"
    started = time.perf_counter()
    assert html_to_text(deep) == "deep"
    assert html_to_text(wide).count("word") == 20000
    assert html_to_text(lone).endswith("text")
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(" a \t b \n\n c ", "a b\nc", id="fold"),
        pytest.param("x\x0cy\x0bz", "x\ny\nz", id="form-feed-vertical-tab"),
    ],
)
def test_fold_whitespace(text: str, expected: str) -> None:
    """Spaces fold within lines, blank lines disappear."""
    assert fold_whitespace(text) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("short", 10, "short", id="fits"),
        pytest.param("one two three four", 10, "one two…", id="word-boundary"),
        pytest.param("abcdefghijklmnop", 5, "abcde…", id="no-space"),
        pytest.param("a\nb", 10, "a b", id="one-line"),
    ],
)
def test_lede(text: str, limit: int, expected: str) -> None:
    """lede cuts at a word boundary and marks the cut."""
    assert lede(text, limit) == expected

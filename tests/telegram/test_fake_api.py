"""The fake server's HTML check is strict enough that escaping bugs fail tests."""

from __future__ import annotations

import pytest

from tests.fakes.telegram_api import EntityError, parse_html


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("<b>bold</b> &amp; <i>it</i>", "bold & it"),
        ('<a href="https://x.y/?a=1&amp;b=&quot;2&quot;">link</a>', "link"),
        ("&lt;tag&gt; &#39;q&#x27; 1 > 0", "<tag> 'q' 1 > 0"),
        ("<b><i>nested</i></b>", "nested"),
        ('<span class="tg-spoiler">s</span>', "s"),
    ],
    ids=["tags", "link-with-entities", "entities", "nested", "spoiler"],
)
def test_valid_html(html: str, visible: str) -> None:
    """Valid Telegram HTML parses to its visible text."""
    assert parse_html(html)[0] == visible


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<script>x</script>", 'Unsupported start tag "script"'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("closed</b>", "Unexpected end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("Fish & Chips", "Can't find end of the entity"),
        ("1 < 2", 'Unsupported start tag ""'),
        ('<a href="x"y">z</a>', "Expected equal sign"),
    ],
    ids=["unknown-tag", "unclosed", "stray-end", "crossed", "bare-amp", "bare-lt", "bad-quote"],
)
def test_malformed_html_is_refused(html: str, message: str) -> None:
    """Malformed markup raises with Telegram's kind of description."""
    with pytest.raises(EntityError, match=message):
        parse_html(html)

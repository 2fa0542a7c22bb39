"""decode: bytes to text by BOM, declared charset, prolog, meta, UTF-8, cp1252."""

from __future__ import annotations

import codecs

import pytest

from bot.sources.encoding import declared_charset, decode

UMLAUTS = "Grüße aus Köln – 5 €"


@pytest.mark.parametrize(
    ("body", "charset", "content_type", "expected"),
    [
        pytest.param(UMLAUTS.encode(), None, None, UMLAUTS, id="utf8-default"),
        pytest.param(codecs.BOM_UTF8 + b"x", "latin-1", None, "x", id="bom-beats-header"),
        pytest.param(
            codecs.BOM_UTF16_LE + "ä".encode("utf-16-le"), None, None, "ä", id="utf16-bom"
        ),
        pytest.param("<a>ä</a>".encode("utf-16-le"), None, None, "<a>ä</a>", id="utf16-le-no-bom"),
        pytest.param(
            '<?xml version="1.0" encoding="utf-16"?><a>ä</a>'.encode("utf-16-be"),
            None,
            None,
            '<?xml version="1.0" encoding="utf-16"?><a>ä</a>',
            id="utf16-be-no-bom",
        ),
        pytest.param(UMLAUTS.encode("cp1252"), "windows-1252", None, UMLAUTS, id="charset-arg"),
        pytest.param(
            UMLAUTS.encode("cp1252"), None, "text/xml; charset=windows-1252", UMLAUTS, id="header"
        ),
        pytest.param(
            UMLAUTS.encode("cp1252"),
            None,
            'text/html; charset="ISO-8859-1"',
            UMLAUTS,
            id="latin1-as-cp1252",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="ISO-8859-1"?><t>' + "Köln".encode("latin-1") + b"</t>",
            None,
            None,
            '<?xml version="1.0" encoding="ISO-8859-1"?><t>Köln</t>',
            id="xml-prolog",
        ),
        pytest.param(
            b'<html><head><meta charset="windows-1251"></head>\xcf\xf0\xe8',
            None,
            None,
            '<html><head><meta charset="windows-1251"></head>При',
            id="meta-charset",
        ),
        pytest.param(
            b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">\xf0',
            None,
            None,
            '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">П',
            id="meta-http-equiv",
        ),
        pytest.param(UMLAUTS.encode("cp1252"), None, None, UMLAUTS, id="undeclared-cp1252"),
        pytest.param(
            UMLAUTS.encode(), "iso-8859-1", None, UMLAUTS, id="valid-utf8-beats-latin1-declaration"
        ),
        pytest.param(UMLAUTS.encode("cp1252"), "utf-8", None, UMLAUTS, id="wrong-utf8-declaration"),
        pytest.param(b"abc", "no-such-charset", None, "abc", id="unknown-charset"),
        pytest.param(
            "é".encode() * 20 + b"\xff", None, None, "é" * 20 + "\ufffd", id="mostly-utf8"
        ),
        pytest.param(b"", None, None, "", id="empty"),
        pytest.param(
            "Ein café in Köln. ".encode() * 3 + b"\x96 Ende",
            "iso-8859-1",
            None,
            "Ein café in Köln. " * 3 + "\ufffd Ende",
            id="mostly-utf8-beats-latin1-declaration",
        ),
        pytest.param(
            b'<?xml version="1.0" encoding="iso-8859-1"?><t>' + "café".encode() + b"</t>",
            None,
            None,
            '<?xml version="1.0" encoding="iso-8859-1"?><t>café</t>',
            id="valid-utf8-beats-latin1-prolog",
        ),
        pytest.param("café".encode(), "shift_jis", None, "café", id="valid-utf8-beats-shift-jis"),
        pytest.param("café".encode(), "gb2312", None, "café", id="valid-utf8-beats-gb2312"),
        pytest.param(
            "日本語のニュース".encode("shift_jis"),
            "shift_jis",
            None,
            "日本語のニュース",
            id="real-shift-jis-kept",
        ),
    ],
)
def test_decode(body: bytes, charset: str | None, content_type: str | None, expected: str) -> None:
    """The first declaration the bytes agree with wins; else UTF-8, else cp1252."""
    assert decode(body, charset=charset, content_type=content_type) == expected


@pytest.mark.parametrize(
    ("charset", "content_type", "expected"),
    [
        pytest.param(None, "text/html; charset=UTF-8", "UTF-8", id="header"),
        pytest.param(" latin1 ", "text/html; charset=UTF-8", "latin1", id="argument-wins"),
        pytest.param(None, "text/html", None, id="none"),
        pytest.param(None, None, None, id="nothing"),
    ],
)
def test_declared_charset(
    charset: str | None, content_type: str | None, expected: str | None
) -> None:
    """The charset argument wins over the Content-Type parameter."""
    assert declared_charset(charset, content_type) == expected


def test_feed_with_a_wrong_charset_keeps_its_utf8() -> None:
    """A UTF-8 feed served as ISO-8859-1 with one stray cp1252 byte still reads `café`."""
    from bot.sources.parse import parse_feed

    feed = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel>'
        "<title>F</title><item><title>Ein café in Köln</title><link>https://example.com/a</link>"
        "<description>Über das café STRAY mehr</description></item></channel></rss>"
    )
    body = feed.encode().replace(b"STRAY", b"\x96")  # one cp1252 dash among the UTF-8
    (article,) = parse_feed(body, url="https://example.com/feed", charset="iso-8859-1").entries
    assert article.title == "Ein café in Köln"
    assert article.teaser.startswith("Über das café")

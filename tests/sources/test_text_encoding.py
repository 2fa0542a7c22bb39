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

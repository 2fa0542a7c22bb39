"""Bytes from the wire to text: the charset a document declares, or the one its bytes prove.

Order (table-tested in `tests/sources/test_text.py`): a byte-order mark wins; then the HTTP
charset (`charset=` or the `content_type` header's parameter); then the XML prolog's
`encoding=`; then an HTML `<meta charset>` or `http-equiv` in the first 4 KiB; then UTF-8;
bytes that are not valid UTF-8 are read as cp1252.

A declaration is only used when the bytes decode with it. Two deliberate exceptions:
- `iso-8859-1`, `latin1` and `us-ascii` are read as cp1252, as browsers do (WHATWG Encoding),
  because publishers who declare Latin-1 routinely send `€` and typographic quotes;
- any declaration other than UTF-8/16/32 loses to bytes that are (nearly all) UTF-8 with
  multi-byte sequences, that is valid multi-byte sequences outnumber invalid bytes:
  such sequences are vanishingly rare in real Latin-1, Shift_JIS or GB2312 text, and a
  server's default `charset=ISO-8859-1` on a UTF-8 feed is a common misconfiguration (one
  stray cp1252 byte in it used to turn every `café` into `cafÃ©`).
Unknown charset names are skipped. UTF-8 with a few invalid bytes among many valid multi-byte
sequences keeps UTF-8 (with U+FFFD) rather than turning the whole text into mojibake.
"""

from __future__ import annotations

import codecs
import re

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:-]+)["']""")
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE | re.DOTALL
)
_SNIFF_BYTES = 4096
# Browsers read these as windows-1252 (WHATWG Encoding Standard, "legacy single-byte").
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii", "cp1252"})
_UTF16_NO_BOM: tuple[tuple[bytes, str], ...] = ((b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))


def decode(body: bytes, *, charset: str | None = None, content_type: str | None = None) -> str:
    """The text of `body`, decoded by the rules in the module docstring."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace")
    for name in _declared(body, charset=charset, content_type=content_type):
        text = _try_decode(body, name)
        if text is not None:
            return text
    return _utf8_or_cp1252(body)


def declared_charset(charset: str | None, content_type: str | None) -> str | None:
    """The charset named by the caller or by a Content-Type header value, if any."""
    if charset and charset.strip():
        return charset.strip().strip("\"'")
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            return match.group(1)
    return None


def _declared(body: bytes, *, charset: str | None, content_type: str | None) -> list[str]:
    """Python codec names declared for `body`, most authoritative first, unknown ones dropped."""
    head = body[:_SNIFF_BYTES]
    candidates: list[str | None] = [declared_charset(charset, content_type)]
    for prefix, name in _UTF16_NO_BOM:
        if head.startswith(prefix):
            # An XML prolog in UTF-16 without BOM: the byte pattern is the declaration.
            candidates.append(name)
    xml = _XML_ENCODING.match(head)
    candidates.append(xml.group(1).decode("ascii") if xml else None)
    meta = _META_CHARSET.search(head)
    candidates.append(meta.group(1).decode("ascii") if meta else None)
    names: list[str] = []
    for candidate in candidates:
        codec = _codec_name(candidate)
        if codec is not None and codec not in names:
            names.append(codec)
    return names


def _codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, cp1252 for Latin-1 aliases, None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except (LookupError, ValueError):
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name == "utf-16" or name == "utf-32":
        # Without a BOM the generic codec guesses the byte order: little endian is the web's.
        return f"{name}-le"
    return name


def _try_decode(body: bytes, name: str) -> str | None:
    """`body` decoded strictly with codec `name`, or None when the bytes contradict it."""
    if not name.startswith("utf") and _mostly_utf8(body):
        return None
    try:
        return body.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(body: bytes) -> bool:
    """True when `body` has UTF-8 multi-byte sequences and few invalid bytes beside them."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        lenient = body.decode("utf-8", errors="replace")
        invalid = lenient.count("\ufffd")
        non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
        # Latin-1 or cp1252 text almost never forms a valid multi-byte sequence by chance.
        return non_ascii - invalid > invalid
    return True


def _utf8_or_cp1252(body: bytes) -> str:
    """UTF-8 when the bytes are (nearly all) UTF-8, else cp1252."""
    if body.isascii() or _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    return body.decode("cp1252", errors="replace")

"""Clean plain text from the HTML fragments feeds put in titles, summaries and content.

Decisions (table-tested in `tests/sources/test_text.py`):
- block elements (`p`, `div`, `li`, headings, `br`, ...) end a line: `<p>a</p><p>b</p>` gives
  `"a\\nb"`, so words are never glued and sentence splitters see the break; inline
  elements (`a`, `b`, `span`) just lose their tags; within a line whitespace folds to one space,
  empty lines are dropped;
- `script`, `style`, `noscript`, `template`, `iframe`, `object`, `svg`, `math` and comments
  are dropped with their content;
- entities are decoded by the HTML parser; a second, single round of decoding repairs the
  double-escaped text common in feeds (`Fish &amp;amp; Chips` -> `Fish & Chips`). The result is
  plain text: a literal `<b>` in it is text, and renderers must escape it;
- control characters (C0 except newline, C1, and stray surrogates) and the invisible
  bidirectional controls (LRM/RLM U+200E/F, embeddings and overrides U+202A-U+202E, isolates
  U+2066-U+2069) are removed: an override can make `moc.elgoog` read as `google.com` in a
  chat. Emoji, ZWJ sequences and RTL letters are kept as they are;
- sizes are capped where text enters (`clean_title`, `clean_text`): a title at
  `TITLE_MAX_CHARS` (cut at a word with `…`; a 1 MB title was once stored and sent whole),
  feed summaries and page texts at `TEXT_MAX_CHARS`.

Speed: text without `<` or `&` takes a regex-only path; markup goes through lxml's libxml2 HTML
parser (no network, comments removed). Measured with `python -m bench parse`: 1.2 µs for a
plain-text title, 13.5 µs for a summary fragment, ~220 µs for a 10 KB article body (half of
it libxml2's parse).
"""

from __future__ import annotations

import html
import re
import threading

from lxml import etree  # lxml ships no stubs: ignored in pyproject.toml

_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg", "math")
# Controls that are neither whitespace nor line breaks to str.split/splitlines (C0, DEL, C1
# except NEL), and lone surrogates, never belong in text.
_CONTROL = re.compile(
    r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# Longest title kept: ample for any headline (the longest in our feed corpus has 247).
TITLE_MAX_CHARS = 300
# Longest summary or page text kept in memory; what is stored is capped further by the store.
TEXT_MAX_CHARS = 100_000
# Bounded so a run of `<` without `>` costs linear time, not quadratic.
_TAG = re.compile(r"<[^<>]{0,2000}>")
_HAS_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (or of plain text), see the module docstring."""
    if not fragment:
        return ""
    if "<" in fragment:
        text = _markup_text(fragment)
    elif "&" in fragment:
        text = html.unescape(fragment)
    else:
        text = fragment
    if "&" in text and _HAS_ENTITY.search(text):
        # One more round: feeds often escape HTML that was already escaped.
        text = html.unescape(text)
    return fold_whitespace(text)


def clean_title(fragment: str) -> str:
    """A title as shown: plain text on one line, at most `TITLE_MAX_CHARS`."""
    return lede(html_to_text(fragment), TITLE_MAX_CHARS)


def clean_text(fragment: str) -> str:
    """A summary or body as stored: plain text, at most `TEXT_MAX_CHARS`."""
    return cap(html_to_text(fragment), TEXT_MAX_CHARS)


def cap(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters and `…`, line breaks kept."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(" ", 0, limit), text.rfind("\n", 0, limit))
    return text[: cut if cut > limit // 2 else limit].rstrip() + "…"


def strip_controls(text: str) -> str:
    """`text` without control characters and bidirectional controls (see module docstring)."""
    return _CONTROL.sub("", text)


def fold_whitespace(text: str) -> str:
    """Remove control characters, fold spaces within lines, keep single line breaks."""
    # str.split/splitlines run in C and know every Unicode space and line break; a regex
    # with a negated class was 10x slower on long article bodies.
    lines = (" ".join(line.split()) for line in _CONTROL.sub("", text).splitlines())
    return "\n".join(line for line in lines if line)


def lede(text: str, limit: int) -> str:
    """The start of `text` on one line, cut at a word boundary to at most `limit` characters."""
    text = text.replace("\n", " ")
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-") + "…"


def _markup_text(fragment: str) -> str:
    """Text of an HTML fragment parsed with libxml2, with line breaks at block elements."""
    parser = _html_parser()
    try:
        root = etree.fromstring(fragment.encode("utf-8", "surrogatepass"), parser)
    except (etree.ParserError, ValueError):
        # libxml2 gives up only on input with no markup it can read: treat it as text.
        return _CONTROL.sub("", fragment)
    if root is None:
        return ""
    if any(error.level_name == "FATAL" for error in parser.error_log):
        # libxml2 stops at its depth limit and drops the rest: strip tags crudely instead.
        return html.unescape(_TAG.sub("\n", fragment))
    etree.strip_elements(root, *_DROPPED_TAGS, with_tail=False)
    for element in root.iter(*_BLOCK_TAGS):
        # Mark block boundaries in the tree, then let libxml2 serialise the text in one go.
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    return str(etree.tostring(root, method="text", encoding="unicode", with_tail=False))


class _ParserSlot(threading.local):
    """Per-thread parser: lxml locks a parser for a whole parse, so threads must not share one."""

    parser: etree.HTMLParser | None = None


_SLOT = _ParserSlot()


def _html_parser() -> etree.HTMLParser:
    """This thread's lazily built libxml2 HTML parser (no network, comments and PIs dropped)."""
    if _SLOT.parser is None:
        _SLOT.parser = etree.HTMLParser(
            encoding="utf-8",
            remove_comments=True,
            remove_pis=True,
            no_network=True,
            default_doctype=False,
            compact=True,
        )
    return _SLOT.parser

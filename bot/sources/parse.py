"""Feed bytes to `Article`s: RSS 0.9x/1.0/2.0, RDF, Atom 0.3/1.0 and JSON Feed 1.0/1.1.

Parser choice, measured with `python -m bench parse` over the 49 feeds of
`/work/shared/corpora/feeds` (5.9 MB, ~1,670 entries) on the 2-core dev machine:
feedparser alone 1.81 s (925 entries/s, 3.3 MB/s); fastfeedparser alone 0.024 s
(~65,000 entries/s); `parse_feed` (fastfeedparser + our `html_to_text` on every title,
summary and content, canonical links, ids) 0.24 s (~7,000 entries/s, 24.6 MB/s): 7.6x faster
than feedparser's parse alone, most of it spent turning article bodies into text.
So the fast path is fastfeedparser (libxml2 in recover mode, no entity resolution, no
network when given bytes), our own `html_to_text` is the sanitiser, and feedparser is the
fallback whenever the fast path raises, reads nothing, or reads fewer entries than the
document has `<item>`/`<entry>` tags (RSS 0.90 with the Netscape namespace is one such
case: fastfeedparser reads no items there). JSON Feed is mapped here with `json`.

Before either parser sees the document, we decode it ourselves (`encoding.decode`: BOM,
HTTP charset, XML prolog, UTF-8, cp1252) and hand the parsers UTF-8 without an XML
declaration, which settles mis-declared encodings, UTF-16 and the blank line some
publishers put before `<?xml`. An internal DTD subset (`<!DOCTYPE x [ ... ]>`) is cut out:
feeds never need one, and it is where entity-expansion bombs and external entities (XXE)
live, so neither parser ever sees an entity declaration.

Work per poll is bounded: `max_entries` keeps only the newest entries (by published date,
else feed order, which is newest first in practice) before any of them is cleaned or turned
into an Article: a 50,000-item feed costs its parse and 200 Articles, not 50,000. A document
with more than `WINDOW` times that many entries is cut before it is parsed: its first and its
last `WINDOW x max_entries` entries are kept (feeds list newest first, archives oldest first:
either way the newest are at one end), so 300,000 tiny items cost a parse of 2,000. Each
title, summary and content fragment is cut at `FRAGMENT_CHARS` before it is cleaned: a
9.5 MB description costs the cleaning of 512 KB. Measured with `python -m bench hostile`.

Decisions: `published` is the entry's published date, else its updated date, in UTC; dates
before 1990 or more than two days ahead of now are treated as absent (placeholder and
broken-clock dates). Ids are `url:<canonical guid or link>`, `guid:<guid>` for URI-like guids,
`guid:<feed host>:<guid>` for others (bare numbers collide across feeds) and
`sha256:<hex>` of title and summary when there is neither.
"""

from __future__ import annotations

import asyncio
import calendar
import functools
import hashlib
import heapq
import io
import json
import re
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot.model import Article
from bot.sources.encoding import decode
from bot.sources.links import canonical_url, host_of
from bot.sources.text import clean_text, clean_title, lede

__all__ = [
    "DEFAULT_MAX_ENTRIES",
    "FeedParseError",
    "ParsedFeed",
    "looks_like_feed",
    "middle_cut",
    "newest_entries",
    "parse_feed",
    "parse_feed_async",
]

Engine = Literal["auto", "fastfeedparser", "feedparser"]

# Above this size parsing goes to a worker thread so the event loop keeps serving.
THREAD_THRESHOLD = 64 * 1024
_SNIFF_CHARS = 4096
_SUMMARY_CHARS = 300
_TITLE_CHARS = 120
_OLDEST = datetime(1990, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=2)
_MAX_TTL = 30 * 24 * 3600
DEFAULT_MAX_ENTRIES = 200  # newest entries read per poll (NEWSBOT_MAX_ENTRIES_PER_POLL)
WINDOW = 5  # entries kept at each end of a huge document, in multiples of max_entries
FRAGMENT_CHARS = 512 * 1024  # longest HTML fragment cleaned; far above any real article

_FEED_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]")
_HTML_ROOT = re.compile(r"<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_XML_DECL = re.compile(r"<\?xml[^>]{0,300}\?>")
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]{0,500}\[.*?\]\s*>", re.DOTALL)
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ROOT_CLOSE = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)\s*>\s*$")
_LANGUAGE = re.compile(
    r"<(?:dc:)?language>\s*(?:<!\[CDATA\[)?\s*([A-Za-z]{2,3}(?:[-_][\w-]+)?)", re.IGNORECASE
)
_ROOT_LANG = re.compile(r"""xml:lang\s*=\s*["']([A-Za-z]{2,3})[^"']*["']""")
_ROOT_BASE = re.compile(r"""<(?:[\w.-]+:)?feed\b[^>]*?xml:base\s*=\s*["']([^"']+)["']""")
_TTL = re.compile(r"<ttl>\s*(\d{1,7})\s*</ttl>")
_SY_PERIOD = re.compile(r"<(?:[\w.-]+:)?updatePeriod>\s*(\w+)\s*</")
_SY_FREQUENCY = re.compile(r"<(?:[\w.-]+:)?updateFrequency>\s*(\d{1,5})\s*</")
_PERIOD_SECONDS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 7 * 86400,
    "monthly": 30 * 86400,
    "yearly": 365 * 86400,
}
_ISO639_2 = {"deu": "de", "ger": "de", "eng": "en", "fra": "fr", "fre": "fr", "spa": "es"}


class FeedParseError(ValueError):
    """The body is not a feed, or no entry of it could be read."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's metadata and its entries as Articles; `warning` notes a recovered malformed feed."""

    title: str
    link: str | None
    language: str | None
    ttl: int | None
    entries: tuple[Article, ...]
    warning: str | None = None
    left_out: int = 0  # older entries beyond `max_entries`, not read


@dataclass(frozen=True, slots=True)
class _Entry:
    """One entry as read by either parser, before it becomes an Article."""

    guid: str
    link: str
    title: str
    summary: str
    contents: tuple[str, ...]
    published: datetime | None
    language: str | None


@dataclass(frozen=True, slots=True)
class _Raw:
    """What a parser read from a document, before we build Articles."""

    title: str
    link: str
    language: str | None
    entries: tuple[_Entry, ...]
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    """What every entry of one feed shares when it becomes an Article."""

    url: str
    base: str
    source: str
    language: str | None
    now: datetime


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """True when `body` (sniffed in its first KiB) is RSS, Atom, RDF or JSON Feed."""
    if content_type and _is_feed_type(content_type):
        return True
    head = decode(body[:1024]).lstrip()
    if head.startswith("{"):
        return _JSON_FEED_VERSION.search(head) is not None
    return _sniff_xml(head) == "feed"


def parse_feed(
    body: bytes,
    *,
    url: str,
    source_name: str | None = None,
    content_type: str | None = None,
    charset: str | None = None,
    engine: Engine = "auto",
    max_entries: int | None = None,
) -> ParsedFeed:
    """Parse a feed document into Articles; raise FeedParseError when it is not a feed.

    `engine` pins one XML parser (for tests and benchmarks); `auto` is the fast path with
    the feedparser fallback. `max_entries` keeps only that many of the newest entries.
    """
    text = _prepare(decode(body, charset=charset, content_type=content_type))
    if not text:
        raise FeedParseError("not a feed: the body is empty")
    cut = 0
    if text.startswith(("{", "[")):
        raw = _read_json_feed(text)
    else:
        kind = _sniff_xml(text[:_SNIFF_CHARS])
        if kind == "html":
            raise FeedParseError("not a feed: this is an HTML page")
        if kind != "feed":
            raise FeedParseError("not a feed: no RSS, Atom, RDF or JSON Feed root element")
        data = text.encode("utf-8", "surrogatepass")
        if max_entries is not None:
            data, cut = _without_middle(data, keep=WINDOW * max_entries)
        raw = _read_xml(data, url=url, engine=engine)
    feed = _build(raw, text=text, url=url, source_name=source_name, max_entries=max_entries)
    return replace(feed, left_out=feed.left_out + cut) if cut else feed


async def parse_feed_async(
    body: bytes,
    *,
    url: str,
    source_name: str | None = None,
    content_type: str | None = None,
    charset: str | None = None,
    max_entries: int | None = None,
) -> ParsedFeed:
    """`parse_feed`, in a worker thread when the body is large enough to stall the loop."""
    parse = functools.partial(
        parse_feed,
        body,
        url=url,
        source_name=source_name,
        content_type=content_type,
        charset=charset,
        max_entries=max_entries,
    )
    return parse() if len(body) <= THREAD_THRESHOLD else await asyncio.to_thread(parse)


def _is_feed_type(content_type: str) -> bool:
    """True for media types only feeds use (`text/xml` is ambiguous, so it is sniffed)."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media in {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
    }


def _sniff_xml(head: str) -> str:
    """`feed`, `html` or `unknown`: which root element comes first in the document head."""
    feed = _FEED_ROOT.search(head)
    page = _HTML_ROOT.search(head)
    if feed and (page is None or feed.start() < page.start()):
        return "feed"
    return "html" if page else "unknown"


def _prepare(text: str) -> str:
    """Trim junk before the document, drop the XML declaration and any internal DTD subset."""
    text = text.lstrip("\ufeff \t\r\n")
    decl = _XML_DECL.search(text, 0, _SNIFF_CHARS)
    if decl:
        # Also drops PHP warnings or blank lines that some servers print before the prolog.
        text = text[decl.end() :].lstrip()
    doctype = text.find("<!DOCTYPE", 0, _SNIFF_CHARS)
    if doctype >= 0:
        text = text[:doctype] + _DOCTYPE_SUBSET.sub("", text[doctype:], count=1)
    return text


# --- XML: fastfeedparser first, feedparser as the fallback -------------------------------------


def _without_middle(data: bytes, *, keep: int) -> tuple[bytes, int]:
    """The document without the entries between its first and its last `keep`, and how
    many entries were cut."""
    head: list[int] = []
    tail: deque[int] = deque(maxlen=keep)
    count = 0
    for found in _ENTRY_TAG.finditer(data):
        count += 1
        if len(head) <= keep:
            head.append(found.start())
        else:
            tail.append(found.start())
    cut = middle_cut(head, tail, count=count, keep=keep)
    if cut is None:
        return data, 0
    return data[: cut[0]] + data[cut[1] :], count - 2 * keep


def middle_cut(
    head: Sequence[int], tail: Sequence[int], *, count: int, keep: int
) -> tuple[int, int] | None:
    """The byte range to leave out: from the start of entry `keep` to the start of the last
    `keep` entries; None when the document has no more than `2 x keep` entries.

    `head` holds the starts of the first `keep + 1` entries, `tail` those of the last `keep`.
    """
    if count <= 2 * keep:
        return None
    return head[keep], tail[0]


def _read_xml(data: bytes, *, url: str, engine: Engine) -> _Raw:
    """Read an XML feed with the fast parser, falling back to feedparser when it falls short."""
    if engine == "feedparser":
        return _read_slow(data, url=url)
    if engine == "fastfeedparser":
        return _read_fast(data)
    expected = sum(1 for _ in _ENTRY_TAG.finditer(data))  # counted, not listed: feeds are big
    fast: _Raw | None = None
    problem: str | None = None
    try:
        fast = _read_fast(data)
    except ImportError:
        problem = None
    except Exception as exc:  # any failure of the fast path means: fall back
        problem = _one_line(exc)
    if fast is not None and fast.entries and len(fast.entries) >= expected:
        return fast
    slow = _read_slow(data, url=url)
    if fast is not None and len(fast.entries) >= len(slow.entries):
        return fast
    if not slow.entries and expected:
        reason = slow.problem or problem or "the parsers found no readable entry"
        raise FeedParseError(f"no entries could be read: {reason}")
    return slow


def _read_fast(data: bytes) -> _Raw:
    """Read with fastfeedparser (imported lazily: it is the optional fast path)."""
    import fastfeedparser

    parsed = fastfeedparser.parse(
        data, include_tags=False, include_media=False, include_enclosures=False
    )
    feed = parsed.get("feed") or {}
    entries = tuple(_fast_entry(entry) for entry in parsed.get("entries") or ())
    return _Raw(
        title=_str(feed.get("title")),
        link=_str(feed.get("link")),
        language=_str(feed.get("language")) or None,
        entries=entries,
    )


def _fast_entry(entry: Mapping[str, Any]) -> _Entry:
    """One fastfeedparser entry; its synthesised id (the link) counts as no guid."""
    link = _str(entry.get("link"))
    guid = _str(entry.get("id"))
    if guid == link:
        guid = ""
    published = _iso_datetime(entry.get("published")) or _iso_datetime(entry.get("updated"))
    return _Entry(
        guid=guid,
        link=link,
        title=_str(entry.get("title")),
        summary=_str(entry.get("description")),
        contents=_content_values(entry.get("content")),
        published=published,
        language=None,
    )


def _read_slow(data: bytes, *, url: str) -> _Raw:
    """Read with feedparser from a stream (a bytes argument that looks like a URL is fetched)."""
    import feedparser

    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers={
                "content-location": url,
                "content-type": "application/xml; charset=utf-8",
            },
            sanitize_html=False,  # html_to_text is our sanitiser; feedparser's costs time
        )
    except Exception as exc:  # feedparser can raise anything on hostile input
        return _Raw(title="", link="", language=None, entries=(), problem=_one_line(exc))
    feed = parsed.get("feed") or {}
    problem = _one_line(parsed["bozo_exception"]) if parsed.get("bozo") else None
    return _Raw(
        title=_str(feed.get("title")),
        link=_str(feed.get("link")),
        language=_str(feed.get("language")) or None,
        entries=tuple(_slow_entry(entry) for entry in parsed.get("entries") or ()),
        problem=problem,
    )


def _slow_entry(entry: Mapping[str, Any]) -> _Entry:
    """One feedparser entry."""
    published = _struct_datetime(entry.get("published_parsed")) or _struct_datetime(
        entry.get("updated_parsed")
    )
    detail = entry.get("title_detail") or entry.get("summary_detail") or {}
    return _Entry(
        guid=_str(entry.get("id")),
        link=_str(entry.get("link")),
        title=_str(entry.get("title")),
        summary=_str(entry.get("summary")),
        contents=_content_values(entry.get("content")),
        published=published,
        language=_str(detail.get("language")) or None,
    )


# --- JSON Feed ---------------------------------------------------------------------------------


def _read_json_feed(text: str) -> _Raw:
    """Map a JSON Feed 1.0/1.1 document (https://jsonfeed.org/version/1.1)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FeedParseError(f"not a feed: invalid JSON ({_one_line(exc)})") from exc
    if not isinstance(document, dict) or not _str(document.get("version")).startswith(
        ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")
    ):
        raise FeedParseError("not a feed: JSON without a JSON Feed version")
    items = document.get("items")
    entries = tuple(
        _json_entry(item)
        for item in (items if isinstance(items, list) else ())
        if isinstance(item, dict)
    )
    return _Raw(
        title=_str(document.get("title")),
        link=_str(document.get("home_page_url")),
        language=_str(document.get("language")) or None,
        entries=entries,
    )


def _json_entry(item: Mapping[str, Any]) -> _Entry:
    """One JSON Feed item."""
    guid = item.get("id")
    published = _iso_datetime(item.get("date_published")) or _iso_datetime(
        item.get("date_modified")
    )
    return _Entry(
        guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else "",
        link=_str(item.get("url")) or _str(item.get("external_url")),
        title=_str(item.get("title")),
        summary=_str(item.get("summary")),
        contents=tuple(
            value
            for value in (_str(item.get("content_html")), _str(item.get("content_text")))
            if value
        ),
        published=published,
        language=_str(item.get("language")) or None,
    )


# --- building Articles -------------------------------------------------------------------------


def newest_entries(published: Sequence[datetime | None], limit: int | None) -> tuple[int, ...]:
    """Positions of the `limit` newest entries, in feed order; `published` per entry.

    Dated entries rank by date, newest first; undated ones after them in feed order (feeds
    list their newest first). Ties keep feed order, so the choice is stable across polls.
    """
    if limit is None or len(published) <= limit:
        return tuple(range(len(published)))
    ranked = heapq.nsmallest(
        limit,
        range(len(published)),
        key=lambda i: (published[i] is None, -_timestamp(published[i]), i),
    )
    return tuple(sorted(ranked))


def _timestamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0


def _build(
    raw: _Raw, *, text: str, url: str, source_name: str | None, max_entries: int | None
) -> ParsedFeed:
    """Turn what a parser read into a ParsedFeed of clean Articles (the newest, if capped)."""
    head = _channel_head(text)
    title = clean_title(raw.title)
    language = normalise_language(raw.language) or _head_language(head)
    base = _base_url(head, url)
    context = _Context(
        url=url,
        base=base,
        source=(source_name or "").strip() or title or host_of(url),
        language=language,
        now=datetime.now(UTC),
    )
    dates = [_plausible(entry.published, context.now) for entry in raw.entries]
    kept = newest_entries(dates, max_entries)
    articles = tuple(_articles((raw.entries[i] for i in kept), context))
    return ParsedFeed(
        title=title,
        link=canonical_url(raw.link, base=url) if raw.link else None,
        language=language,
        ttl=_ttl(head),
        entries=articles,
        warning=_warning(raw, text=text, read=len(articles)),
        left_out=len(raw.entries) - len(kept),
    )


def _articles(entries: Iterable[_Entry], context: _Context) -> Iterable[Article]:
    """Articles for the entries that have a title or a link."""
    for entry in entries:
        article = _article(entry, context)
        if article is not None:
            yield article


def _article(entry: _Entry, context: _Context) -> Article | None:
    """One Article, or None for an entry with neither title nor link."""
    title = clean_title(entry.title[:FRAGMENT_CHARS])
    link = canonical_url(entry.link, base=context.base) if entry.link.strip() else ""
    if not link and _is_http(entry.guid):
        link = canonical_url(entry.guid)  # an RSS permalink guid stands in for a missing link
    if not title and not link:
        return None
    summary = clean_text(entry.summary[:FRAGMENT_CHARS])
    content = max(
        (clean_text(value[:FRAGMENT_CHARS]) for value in entry.contents), key=len, default=""
    )
    if len(content) <= len(summary):
        content = ""
    if not summary and content:
        summary = lede(content, _SUMMARY_CHARS)
    return Article(
        id=_article_id(entry.guid, link, title, summary, context.url),
        link=link,
        title=title or lede(summary, _TITLE_CHARS) or link,
        teaser=summary,
        source=context.source,
        published=_plausible(entry.published, context.now),
        content=content,
        language=normalise_language(entry.language) or context.language,
    )


def _article_id(guid: str, link: str, title: str, summary: str, feed_url: str) -> str:
    """A stable id; the prefixes keep guids, links and hashes from colliding."""
    guid = guid.strip()
    if _is_http(guid):
        return "url:" + canonical_url(guid)
    if guid:
        return "guid:" + (guid if ":" in guid else f"{host_of(feed_url)}:{guid}")
    if link:
        return "url:" + link
    digest = hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
    return "sha256:" + digest


def normalise_language(tag: str | None) -> str | None:
    """ISO 639-1 code of a language tag (`de-DE` -> `de`, `eng` -> `en`), None if unreadable."""
    if not tag:
        return None
    primary = re.split(r"[-_\s]", tag.strip().lower(), maxsplit=1)[0]
    if len(primary) == 2 and primary.isascii() and primary.isalpha():
        return primary
    return _ISO639_2.get(primary)


def _channel_head(text: str) -> str:
    """The document up to its first entry: where channel-level elements live."""
    match = re.search(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]", text)
    end = match.start() if match else min(len(text), 64 * 1024)
    return text[:end]


def _head_language(head: str) -> str | None:
    """The language the channel declares (`<language>`, `<dc:language>`, root `xml:lang`)."""
    match = _LANGUAGE.search(head) or _ROOT_LANG.search(head)
    return normalise_language(match.group(1)) if match else None


def _base_url(head: str, url: str) -> str:
    """The base for relative entry links: the Atom feed's `xml:base`, else the feed URL."""
    match = _ROOT_BASE.search(head)
    if not match:
        return url
    return canonical_url(match.group(1), base=url)


def _ttl(head: str) -> int | None:
    """Seconds between polls the feed asks for (RSS `<ttl>` minutes, else `sy:update*`)."""
    ttl = _TTL.search(head)
    if ttl:
        seconds = int(ttl.group(1)) * 60
    else:
        period = _SY_PERIOD.search(head)
        if not period or period.group(1).lower() not in _PERIOD_SECONDS:
            return None
        frequency = _SY_FREQUENCY.search(head)
        per_period = int(frequency.group(1)) if frequency else 1
        seconds = _PERIOD_SECONDS[period.group(1).lower()] // max(per_period, 1)
    return seconds if 0 < seconds <= _MAX_TTL else None


def _warning(raw: _Raw, *, text: str, read: int) -> str | None:
    """A one-line note when the feed was malformed but entries were recovered."""
    notes: list[str] = []
    if raw.problem:
        notes.append(f"malformed feed ({raw.problem})")
    tail = text[-200:].encode("utf-8", "surrogatepass")
    if not text.startswith(("{", "[")) and not _ROOT_CLOSE.search(tail):
        notes.append("truncated feed (no closing root tag)")
    if not notes:
        return None
    return f"{'; '.join(notes)}; read {read} entries"


# --- small converters --------------------------------------------------------------------------


def _str(value: object) -> str:
    """The value as a string, empty for None and non-strings."""
    return value if isinstance(value, str) else ""


def _content_values(value: object) -> tuple[str, ...]:
    """The `value`s of a parser's content list."""
    if not isinstance(value, list):
        return ()
    return tuple(
        item["value"] for item in value if isinstance(item, dict) and _str(item.get("value"))
    )


def _iso_datetime(value: object) -> datetime | None:
    """An ISO 8601 / RFC 3339 timestamp as an aware UTC datetime, None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        # RFC 3339 requires an offset; a missing one is most often UTC in practice.
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _struct_datetime(value: object) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _plausible(published: datetime | None, now: datetime) -> datetime | None:
    """The date, unless it is a placeholder (before 1990) or implausibly far in the future."""
    if published is None or published < _OLDEST or published > now + _FUTURE_SLACK:
        return None
    return published


def _is_http(value: str) -> bool:
    """True for absolute http(s) URLs."""
    return value.strip().lower().startswith(("http://", "https://"))


def _one_line(exc: BaseException) -> str:
    """An exception as a short single line for warnings and error messages."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message[:200]

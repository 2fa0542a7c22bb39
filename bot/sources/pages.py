"""HTML article pages to `Article`s with trafilatura's main-text extraction.

trafilatura is given bytes we already hold, so it never fetches; its config has
`EXTRACTION_TIMEOUT = 0` because its timeout uses `signal`, which only works in the main
thread and we extract in worker threads. We favour precision (navigation, related links and
footers are worse for alerts than a missed paragraph) and leave comments out.

Decisions: `content` is the main text without a leading repeat of the title, with the page's
description in front when the extraction left that lede out; `summary` is
the page's description when it has one, else the first ~300 characters of the text;
`published` comes from trafilatura's date metadata (htmldate), read as UTC when the page
gives no offset; `language` is the page's declared `<html lang>` (or `content-language`),
ISO 639-1; `link` is the page's `<link rel=canonical>` when trafilatura finds one, else
`url`, through `canonical_url`; `source` is `source_name`, else the site name, else the host.
"""

from __future__ import annotations

import asyncio
import re
from configparser import ConfigParser
from datetime import UTC, datetime
from functools import cache
from typing import Any

from bot.model import Article
from bot.sources.encoding import decode
from bot.sources.links import canonical_url, host_of
from bot.sources.parse import normalise_language
from bot.sources.text import TEXT_MAX_CHARS, cap, clean_text, clean_title, fold_whitespace, lede

__all__ = ["PageExtractError", "extract_article", "extract_article_async"]

_SUMMARY_CHARS = 300
# Below this, what trafilatura found is a menu entry or a button label, not an article.
_MIN_TEXT_CHARS = 40
_HEAD_CHARS = 16 * 1024
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.IGNORECASE)
_META_LANG = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?content-language["']?[^>]+content\s*=\s*["']?"""
    r"""([A-Za-z]{2,3})""",
    re.IGNORECASE,
)
_DATE_PARAMS = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,  # the first publication, not the last edit
    "extensive_search": False,  # guessing dates from free text picks up unrelated dates
}


class PageExtractError(ValueError):
    """No main text could be extracted from the page."""


def extract_article(
    body: bytes, *, url: str, charset: str | None = None, source_name: str | None = None
) -> Article:
    """Extract the article of an HTML page; raise PageExtractError when there is no main text."""
    from trafilatura import bare_extraction

    html = decode(body, charset=charset)
    if not html.strip():
        raise PageExtractError(f"no main text: the page is empty ({url})")
    try:
        document = bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=True,
            date_extraction_params=dict(_DATE_PARAMS),
            config=_config(),
        )
    except Exception as exc:  # trafilatura and lxml raise many types on hostile markup
        raise PageExtractError(f"no main text: extraction failed ({exc}) ({url})") from exc
    text = cap(fold_whitespace(_attr(document, "text")), TEXT_MAX_CHARS)
    if document is None or len(text) < _MIN_TEXT_CHARS:
        raise PageExtractError(f"no main text found ({url})")
    return _article(document, text=text, html=html, url=url, source_name=source_name)


async def extract_article_async(
    body: bytes, *, url: str, charset: str | None = None, source_name: str | None = None
) -> Article:
    """`extract_article` in a worker thread: extraction takes milliseconds to tens of them."""
    return await asyncio.to_thread(
        extract_article, body, url=url, charset=charset, source_name=source_name
    )


def _article(document: Any, *, text: str, html: str, url: str, source_name: str | None) -> Article:
    """Build the Article from trafilatura's document and our own reading of the page head."""
    title = clean_title(_attr(document, "title"))
    description = clean_text(_attr(document, "description"))
    content = _with_lede(_without_leading_title(text, title), description)
    link = canonical_url(_attr(document, "url") or url, base=url)
    site = clean_title(_attr(document, "sitename"))
    return Article(
        id="url:" + link,
        link=link,
        title=title or lede(content, 120),
        teaser=description or lede(content, _SUMMARY_CHARS),
        source=(source_name or "").strip() or site or host_of(link) or host_of(url),
        published=_published(_attr(document, "date")),
        content=content,
        language=_declared_language(html[:_HEAD_CHARS])
        or normalise_language(_attr(document, "language")),
    )


@cache
def _config() -> ConfigParser:
    """trafilatura's config without the signal-based timeout (built once; only read after)."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _attr(document: Any, name: str) -> str:
    """A string attribute of trafilatura's document, empty when missing."""
    value = getattr(document, name, None)
    return value if isinstance(value, str) else ""


def _without_leading_title(text: str, title: str) -> str:
    """The text without its first line when that line only repeats the title."""
    first, _, rest = text.partition("\n")
    if title and first.strip() == title and rest:
        return rest
    return text


def _with_lede(text: str, description: str) -> str:
    """The text with the page's description in front when the extraction left the lede out.

    Some sites (ORF, for one) put the lede in a teaser element trafilatura drops as
    boilerplate; it is the part most likely to name the story's subject, so matching needs it.
    """
    if not description or description in text or text.startswith(description.rstrip(".…")):
        return text
    return f"{description}\n{text}"


def _published(value: str) -> datetime | None:
    """htmldate's timestamp as UTC; a missing offset is read as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _declared_language(head: str) -> str | None:
    """ISO 639-1 code from `<html lang>` or a content-language meta element."""
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return normalise_language(match.group(1)) if match else None

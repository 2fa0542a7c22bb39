"""Read one source: fetch it, then parse it as a feed or extract it as an article page."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from bot.model import Article
from bot.sources.errors import SourceError
from bot.sources.fetch import Fetcher, FetchResult
from bot.sources.pages import PageExtractError, extract_article_async
from bot.sources.parse import (
    DEFAULT_MAX_ENTRIES,
    FeedParseError,
    ParsedFeed,
    looks_like_feed,
    parse_feed_async,
)

log = logging.getLogger(__name__)


class UnreadableSourceError(SourceError):
    """The body arrived but is neither a readable feed nor an article page."""


@dataclass(frozen=True, slots=True)
class SourceRead:
    """The articles of one read, with what the fetch and the feed said about polling again."""

    articles: tuple[Article, ...]
    fetched: FetchResult
    feed: ParsedFeed | None = None

    @property
    def not_modified(self) -> bool:
        """The server answered 304: nothing new, keep the validators."""
        return self.fetched.not_modified


async def read_source(
    fetcher: Fetcher,
    url: str,
    *,
    name: str | None = None,
    trusted: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> SourceRead:
    """Fetch `url` (conditionally) and read its newest `max_entries` feed entries, or the
    page as one article. Large feeds are parsed in a worker thread, so the loop keeps serving.

    `trusted` is for config sources only: see `Fetcher.fetch`.
    """
    fetched = await fetcher.fetch(url, trusted=trusted, etag=etag, last_modified=last_modified)
    if fetched.not_modified:
        return SourceRead((), fetched)
    if looks_like_feed(fetched.body, fetched.content_type):
        try:
            feed = await parse_feed_async(
                fetched.body,
                url=fetched.url,
                source_name=name,
                content_type=fetched.content_type,
                charset=fetched.charset,
                max_entries=max_entries,
            )
        except FeedParseError as exc:
            raise UnreadableSourceError(str(exc), url=url) from exc
        if feed.left_out:
            log.info(
                "read the newest %d entries, left out %d older ones",
                len(feed.entries),
                feed.left_out,
                extra={"source": name or url},
            )
        return SourceRead(feed.entries, fetched, feed)
    return SourceRead((await _page(fetched, url=url, name=name),), fetched)


async def read_page(
    fetcher: Fetcher, url: str, *, name: str | None = None, trusted: bool = False
) -> Article:
    """Fetch an article page and extract its main text."""
    fetched = await fetcher.fetch(url, trusted=trusted)
    return await _page(fetched, url=url, name=name)


async def _page(fetched: FetchResult, *, url: str, name: str | None) -> Article:
    try:
        return await extract_article_async(
            fetched.body, url=fetched.url, charset=fetched.charset, source_name=name
        )
    except PageExtractError as exc:
        raise UnreadableSourceError(str(exc), url=url) from exc


async def with_full_text(fetcher: Fetcher, article: Article, *, trusted: bool = False) -> Article:
    """The article with its page's main text, or unchanged when the page cannot be read.

    `trusted` follows the source the article came from: a chat source's links are guarded.
    """
    if not article.link:
        return article
    try:
        page = await read_page(fetcher, article.link, name=article.source, trusted=trusted)
    except SourceError as exc:
        log.warning("full text unavailable: %s", exc, extra={"url": article.link})
        return article
    return replace(article, content=page.content or article.content)

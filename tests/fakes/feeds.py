"""A loopback news site whose feed changes while a test runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class FeedItem:
    """One RSS item as the fake site publishes it."""

    guid: str
    title: str
    description: str
    link: str = ""  # defaults to {base}/{guid}
    published: datetime = field(default_factory=lambda: datetime(2026, 11, 25, 9, 0, tzinfo=UTC))


@dataclass
class FeedBehaviour:
    """How the next responses of one feed path behave; tests change it between polls."""

    status: int = 200
    redirect_to: str | None = None  # with status 301/302/307/308
    etag: str | None = None  # when set, a matching If-None-Match gets 304
    max_age: int | None = None


class NewsSite:
    """Serves RSS 2.0 feeds at `/feeds/<name>` and counts the requests to each."""

    def __init__(self) -> None:
        self.items: dict[str, list[FeedItem]] = {}
        self.behaviour: dict[str, FeedBehaviour] = {}
        self.requests: dict[str, int] = {}
        self.pages: dict[str, str] = {}  # slug -> HTML of an article page at /<slug>
        self.languages: dict[str, str] = {}  # feed name -> its <language> (default de)
        self.server: TestServer | None = None

    async def __aenter__(self) -> NewsSite:
        app = web.Application()
        app.router.add_get("/feeds/{name}", self._feed)
        app.router.add_get("/{slug}", self._page)
        self.server = TestServer(app)
        await self.server.start_server()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.server is not None:
            await self.server.close()

    def url(self, name: str) -> str:
        """The address of feed `name`."""
        assert self.server is not None
        return str(self.server.make_url(f"/feeds/{name}"))

    def base(self) -> str:
        """The site's base URL, for article links."""
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    def publish(self, name: str, item: FeedItem) -> None:
        """Put `item` at the top of feed `name`."""
        self.items.setdefault(name, []).insert(0, item)

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        self.requests[name] = self.requests.get(name, 0) + 1
        behaviour = self.behaviour.get(name, FeedBehaviour())
        if behaviour.redirect_to is not None:
            return _redirect(behaviour.status, behaviour.redirect_to)
        if behaviour.status != 200:
            return web.Response(status=behaviour.status, text="unavailable")
        headers = {}
        if behaviour.etag is not None:
            headers["ETag"] = behaviour.etag
            if request.headers.get("If-None-Match") == behaviour.etag:
                return web.Response(status=304, headers=headers)
        if behaviour.max_age is not None:
            headers["Cache-Control"] = f"max-age={behaviour.max_age}"
        body = self.render(name)
        return web.Response(body=body.encode(), headers=headers, content_type="application/rss+xml")

    async def _page(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        self.requests[slug] = self.requests.get(slug, 0) + 1
        if slug not in self.pages:
            return web.Response(status=404, text="no such article")
        return web.Response(text=self.pages[slug], content_type="text/html", charset="utf-8")

    def render(self, name: str) -> str:
        """Feed `name` as RSS 2.0."""
        entries = "".join(self._item(item) for item in self.items.get(name, []))
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{escape(name)}</title><link>{self.base()}/</link>"
            f"<description>Fake feed</description>"
            f"<language>{self.languages.get(name, 'de')}</language>{entries}"
            "</channel></rss>"
        )

    def _item(self, item: FeedItem) -> str:
        link = item.link or f"{self.base()}/{item.guid}"
        return (
            f"<item><title>{escape(item.title)}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="false">{escape(item.guid)}</guid>'
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<description>{escape(item.description)}</description></item>"
        )


def _redirect(status: int, location: str) -> web.Response:
    return web.Response(status=status, headers={"Location": location})

"""A loopback farm of many RSS feeds for benchmarks, run as its own process.

`python -m bench.feedfarm PORT FEEDS` serves `/f/<n>` (n < FEEDS), each an RSS 2.0 feed
of 20 items built from real headlines; `POST /round` moves every feed on by two new
items, as an hour of news would. Running it in another process keeps its CPU time out
of the bot's measurements.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from aiohttp import web

from bench.bench_matching import load_articles

ITEMS_PER_FEED = 20
NEW_PER_ROUND = 2


class Farm:
    """The state of every feed: a round counter shifts a window over the headlines."""

    def __init__(self, feeds: int) -> None:
        self.feeds = feeds
        self.round = 0
        self.articles = [(a.title, a.text[:600]) for a in load_articles()]

    def render(self, feed: int) -> bytes:
        newest = self.round * NEW_PER_ROUND + ITEMS_PER_FEED
        items = []
        for serial in range(newest - 1, newest - ITEMS_PER_FEED - 1, -1):
            title, text = self.articles[(feed * 7919 + serial * 104729) % len(self.articles)]
            published = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=5 * serial)
            items.append(
                f"<item><title>{escape(title)} ({feed}/{serial})</title>"
                f"<link>https://farm.example/{feed}/{serial}</link>"
                f"<guid>farm-{feed}-{serial}</guid>"
                f"<pubDate>{format_datetime(published)}</pubDate>"
                f"<description>{escape(text)}</description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {feed}</title><link>https://farm.example/{feed}</link>"
            f"<description>bench</description>{''.join(items)}</channel></rss>"
        )
        return body.encode()


def main(argv: list[str]) -> None:
    port, feeds = int(argv[0]), int(argv[1])
    farm = Farm(feeds)

    async def feed(request: web.Request) -> web.Response:
        number = int(request.match_info["n"])
        return web.Response(body=farm.render(number), content_type="application/rss+xml")

    async def next_round(_: web.Request) -> web.Response:
        farm.round += 1
        return web.Response(text=str(farm.round))

    app = web.Application()
    app.router.add_get("/f/{n}", feed)
    app.router.add_post("/round", next_round)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main(sys.argv[1:])

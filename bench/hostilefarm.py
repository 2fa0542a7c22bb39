"""Hostile feeds for benchmarks, served on loopback by a process of their own.

`python -m bench.hostilefarm PORT NORMAL` serves `/n/<k>` (k < NORMAL: ordinary 20-item feeds
of `bench.feedfarm`) and the hostile mix under `/h/<kind>`: `huge` (50,000 items), `deep`
(an item nested 100,000 elements deep), `body` (one 9.5 MB description) and `many` (300,000
tiny items), each under the fetcher's 10 MB cap so that it is read, not refused. `GET /counts`
says how often each path was requested, so the benchmark knows when every feed was polled.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from aiohttp import web

from bench.feedfarm import Farm

HUGE_ITEMS = 50_000
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _rss(items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Hostile</title><link>https://hostile.example/</link>{items}</channel></rss>"
    ).encode()


def huge(count: int = HUGE_ITEMS) -> bytes:
    """A feed of `count` short dated items, newest first (about 170 bytes each)."""
    return _rss(
        "".join(
            f"<item><title>Huge item {n}</title><link>https://hostile.example/h/{n}</link>"
            f"<guid>huge-{n}</guid>"
            f"<pubDate>{format_datetime(T0 + timedelta(seconds=n))}</pubDate>"
            "<description>x</description></item>"
            for n in range(count - 1, -1, -1)
        )
    )


def deep(depth: int = 100_000) -> bytes:
    """One item whose description is `depth` nested elements."""
    nested = "<div>" * depth + "deep" + "</div>" * depth
    return _rss(
        "<item><title>Deep</title><link>https://hostile.example/deep</link>"
        f"<description><![CDATA[{nested}]]></description></item>"
        f"<item><title>Deep raw</title><link>https://hostile.example/raw</link>"
        f"<description>{'<x>' * depth}</description></item>"
    )


def body(size: int = 9_500_000) -> bytes:
    """One item with a description of `size` bytes of ordinary markup."""
    paragraph = "<p>Xiaomi stellt ein neues Smartphone vor, das vieles anders macht.</p>"
    text = paragraph * (size // len(paragraph))
    return _rss(
        "<item><title>Body</title><link>https://hostile.example/body</link>"
        f"<description><![CDATA[{text}]]></description></item>"
    )


def many(count: int = 300_000) -> bytes:
    """`count` tiny undated items."""
    return _rss("".join(f"<item><title>m{n}</title></item>" for n in range(count)))


HOSTILE = {"huge": huge, "deep": deep, "body": body, "many": many}


def main(argv: list[str]) -> None:
    """Serve the mix until killed."""
    port, normal = int(argv[0]), int(argv[1])
    farm = Farm(normal)
    bodies = {kind: build() for kind, build in HOSTILE.items()}
    counts: Counter[str] = Counter()

    async def normal_feed(request: web.Request) -> web.Response:
        counts[request.path] += 1
        return web.Response(
            body=farm.render(int(request.match_info["n"])), content_type="application/rss+xml"
        )

    async def hostile_feed(request: web.Request) -> web.Response:
        counts[request.path] += 1
        return web.Response(
            body=bodies[request.match_info["kind"]], content_type="application/rss+xml"
        )

    async def show_counts(_: web.Request) -> web.Response:
        return web.Response(text=json.dumps(counts), content_type="application/json")

    app = web.Application()
    app.router.add_get("/n/{n}", normal_feed)
    app.router.add_get("/h/{kind}", hostile_feed)
    app.router.add_get("/counts", show_counts)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main(sys.argv[1:])

"""The Fetcher against real loopback HTTP servers and local files."""

from __future__ import annotations

import asyncio
import gzip
import logging
import socket
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from pathlib import Path

import aiohttp
import pytest
import stamina
from aiohttp import web
from aiohttp.test_utils import TestServer
from yarl import URL

from bot.sources.errors import (
    ConnectError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    ResponseTooLarge,
    TooManyRedirects,
    UnsupportedURL,
)
from bot.sources.fetch import Fetcher, FetchLimits, create_http_session

FIXTURES = Path(__file__).parent.parent / "fixtures" / "fetch"
RSS_NAME = "xiaomi-12s-ultra-de.rss"
RSS = (FIXTURES / RSS_NAME).read_bytes()
ATTEMPTS = 3
MIB = 1024 * 1024

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Serve = Callable[[Mapping[str, Handler]], Awaitable[URL]]
MakeFetcher = Callable[..., Awaitable[Fetcher]]


@pytest.fixture(autouse=True)
def _fast_retries() -> Iterator[None]:
    """Retries without waiting, a fixed number of attempts; restored after each test."""
    with stamina.set_testing(True, attempts=ATTEMPTS):
        yield


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start loopback servers from {path: handler} maps; returns each server's base URL."""
    servers: list[TestServer] = []

    async def start(routes: Mapping[str, Handler]) -> URL:
        app = web.Application()
        for path, handler in routes.items():
            app.router.add_get(path, handler)
        server = TestServer(app)
        await server.start_server()
        servers.append(server)
        return server.make_url("/")

    yield start
    for server in servers:
        await server.close()


@pytest.fixture
async def make_fetcher() -> AsyncIterator[MakeFetcher]:
    """Build Fetchers on fresh sessions (session limits may differ); closes the sessions."""
    sessions: list[aiohttp.ClientSession] = []

    async def make(
        limits: FetchLimits | None = None, *, session_limits: FetchLimits | None = None
    ) -> Fetcher:
        limits = limits or FetchLimits()
        session = create_http_session(limits=session_limits or limits, user_agent="newsbot-test/1")
        sessions.append(session)
        return Fetcher(session, limits=limits)

    yield make
    for session in sessions:
        await session.close()


def counting(hits: Counter[str], handler: Handler) -> Handler:
    """Wrap a handler so that the server counts requests per path."""

    async def counted(request: web.Request) -> web.StreamResponse:
        hits[request.path] += 1
        return await handler(request)

    return counted


async def test_ok_body_and_metadata(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """A 200 gives the body, final URL, content type, charset, validators and freshness."""
    seen: dict[str, str] = {}

    async def feed(request: web.Request) -> web.Response:
        seen.update(request.headers)
        return web.Response(
            body=RSS,
            headers={
                "Content-Type": "application/rss+xml; charset=UTF-8",
                "ETag": '"v1"',
                "Last-Modified": "Wed, 06 Jul 2022 10:00:00 GMT",
                "Cache-Control": "public, max-age=300",
                "Age": "20",
                "Expires": "Wed, 06 Jul 2022 10:05:00 GMT",
            },
        )

    base = await serve({"/feed.xml": feed})
    fetcher = await make_fetcher()
    result = await fetcher.fetch(str(base / "feed.xml"), trusted=True)

    assert (result.status, result.body, result.url) == (200, RSS, str(base / "feed.xml"))
    assert (result.content_type, result.charset) == ("application/rss+xml", "utf-8")
    assert (result.etag, result.last_modified) == ('"v1"', "Wed, 06 Jul 2022 10:00:00 GMT")
    assert (result.max_age, result.not_modified, result.permanent_redirect) == (280, False, None)
    assert result.expires is not None
    assert result.expires.isoformat() == "2022-07-06T10:05:00+00:00"
    assert 0 < result.elapsed < 5
    assert seen["User-Agent"] == "newsbot-test/1"
    assert "application/rss+xml" in seen["Accept"]
    assert "gzip" in seen["Accept-Encoding"]
    assert "If-None-Match" not in seen


async def test_missing_content_type_is_none(make_fetcher: MakeFetcher) -> None:
    """Without a Content-Type header the result says None, not aiohttp's octet-stream default."""

    async def raw(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # aiohttp's server always adds a Content-Type, so answer by hand.
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\n<rss/>")
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(raw, "127.0.0.1", 0)
    async with server:
        port = server.sockets[0].getsockname()[1]
        result = await (await make_fetcher()).fetch(f"http://127.0.0.1:{port}/bare", trusted=True)
    assert (result.content_type, result.charset, result.body) == (None, None, b"<rss/>")


VALIDATORS = {"etag": '"v2"', "last_modified": "Thu, 07 Jul 2022 08:00:00 GMT"}


@pytest.mark.parametrize(
    ("sent", "sends_validators_on_304", "expected"),
    [
        ({"etag": '"v2"'}, False, (304, b"", True, '"v2"', None)),
        (
            {"last_modified": VALIDATORS["last_modified"]},
            False,
            (304, b"", True, None, VALIDATORS["last_modified"]),
        ),
        (VALIDATORS, True, (304, b"", True, '"v2"', VALIDATORS["last_modified"])),
        ({"etag": '"v1"'}, False, (200, RSS, False, '"v2"', VALIDATORS["last_modified"])),
        ({}, False, (200, RSS, False, '"v2"', VALIDATORS["last_modified"])),
    ],
    ids=["etag", "last-modified", "both-echoed", "stale-etag", "unconditional"],
)
async def test_conditional_get(
    serve: Serve,
    make_fetcher: MakeFetcher,
    sent: dict[str, str],
    sends_validators_on_304: bool,
    expected: tuple[int, bytes, bool, str | None, str | None],
) -> None:
    """Stored validators give a 304 with an empty body; a 304 without validators keeps ours."""

    async def feed(request: web.Request) -> web.Response:
        fresh = request.headers.get("If-None-Match") == VALIDATORS["etag"] or (
            request.headers.get("If-Modified-Since") == VALIDATORS["last_modified"]
        )
        if fresh:
            headers = (
                {"ETag": VALIDATORS["etag"], "Last-Modified": VALIDATORS["last_modified"]}
                if sends_validators_on_304
                else {}
            )
            return web.Response(status=304, headers=headers)
        headers = {"ETag": VALIDATORS["etag"], "Last-Modified": VALIDATORS["last_modified"]}
        return web.Response(body=RSS, headers=headers)

    base = await serve({"/feed": feed})
    result = await (await make_fetcher()).fetch(str(base / "feed"), **sent, trusted=True)
    got = (result.status, result.body, result.not_modified, result.etag, result.last_modified)
    assert got == expected


def _raw_deflate(data: bytes) -> bytes:
    """Deflate without the zlib header, as some servers wrongly send it."""
    compressor = zlib.compressobj(wbits=-15)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("coding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("deflate", _raw_deflate)],
    ids=["gzip", "deflate-zlib", "deflate-raw"],
)
async def test_compressed_body_is_decoded(
    serve: Serve, make_fetcher: MakeFetcher, coding: str, compress: Callable[[bytes], bytes]
) -> None:
    """gzip and deflate bodies arrive decompressed."""
    encoded = compress(RSS)

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=encoded, headers={"Content-Encoding": coding})

    base = await serve({"/feed": feed})
    result = await (await make_fetcher()).fetch(str(base / "feed"), trusted=True)
    assert result.body == RSS
    assert len(encoded) < len(RSS)


async def test_compression_bomb_is_capped(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """A small gzip body that inflates past the cap is refused: the cap counts decoded bytes."""
    bomb = gzip.compress(bytes(64 * MIB), compresslevel=9)

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=bomb, headers={"Content-Encoding": "gzip"})

    base = await serve({"/bomb": feed})
    fetcher = await make_fetcher(FetchLimits(max_bytes=MIB))
    with pytest.raises(ResponseTooLarge, match="larger than 1 MiB"):
        await fetcher.fetch(str(base / "bomb"), trusted=True)
    assert len(bomb) < MIB


async def _redirect_hop(request: web.Request) -> web.Response:
    """`/hop/301-302-done` answers 301 with a relative Location `302-done`, and so on."""
    codes = request.match_info["codes"]
    if codes == "done":
        return web.Response(body=b"arrived")
    status, _, rest = codes.partition("-")
    if request.query.get("style") == "absolute":
        location = str(request.url.with_path(f"/hop/{rest}").with_query(style="absolute"))
    else:
        location = rest
    return web.Response(status=int(status), headers={"Location": location})


@pytest.mark.parametrize(
    ("codes", "style", "permanent"),
    [
        ("301-done", "relative", "/hop/done"),
        ("308-done", "absolute", "/hop/done"),
        ("302-done", "relative", None),
        ("307-done", "absolute", None),
        ("301-301-done", "relative", "/hop/done"),
        ("301-302-done", "relative", "/hop/302-done"),
        ("302-301-done", "absolute", None),
        ("303-done", "relative", None),
    ],
    ids=["301", "308", "302", "307", "301-301", "301-then-302", "302-then-301", "303"],
)
async def test_redirect_chain(
    serve: Serve, make_fetcher: MakeFetcher, codes: str, style: str, permanent: str | None
) -> None:
    """Redirects are followed (relative or absolute); 301/308 at the start move the source."""
    hits: Counter[str] = Counter()
    base = await serve({"/hop/{codes}": counting(hits, _redirect_hop)})
    start = (base / "hop" / codes).with_query(style=style)
    result = await (await make_fetcher()).fetch(str(start), trusted=True)

    assert (result.status, result.body) == (200, b"arrived")
    assert URL(result.url).path == "/hop/done"
    moved = None if result.permanent_redirect is None else URL(result.permanent_redirect).path
    assert moved == permanent
    assert sum(hits.values()) == codes.count("-") + 1


async def test_too_many_redirects(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """A redirect loop stops after max_redirects with TooManyRedirects, and is not retried."""
    hits: Counter[str] = Counter()

    async def loop(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "/loop"})

    base = await serve({"/loop": counting(hits, loop)})
    fetcher = await make_fetcher(FetchLimits(max_redirects=3))
    with pytest.raises(TooManyRedirects, match=r"too many redirects \(4\) from http"):
        await fetcher.fetch(str(base / "loop"), trusted=True)
    assert hits["/loop"] == 4


async def test_redirect_to_file_is_refused(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """A server cannot make the fetcher read a local file through a redirect."""

    async def sneaky(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": f"file://{FIXTURES / RSS_NAME}"})

    base = await serve({"/sneaky": sneaky})
    with pytest.raises(UnsupportedURL, match="leaves http"):
        await (await make_fetcher()).fetch(str(base / "sneaky"), trusted=True)


class Streamer:
    """A handler streaming zeros until the client goes away; records how much it wrote."""

    def __init__(self, *, total: int, declare_length: bool) -> None:
        self.total = total
        self.declare_length = declare_length
        self.written = 0
        self.done = asyncio.Event()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Write `total` bytes in 64 KiB chunks, stopping when the connection breaks."""
        response = web.StreamResponse()
        if self.declare_length:
            response.content_length = self.total
        try:
            await response.prepare(request)
            chunk = bytes(64 * 1024)
            while self.written < self.total:
                await response.write(chunk)
                self.written += len(chunk)
        except ConnectionError:
            pass
        finally:
            self.done.set()
        return response


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
async def test_size_cap_stops_early(
    serve: Serve, make_fetcher: MakeFetcher, declare_length: bool
) -> None:
    """A body past the cap raises ResponseTooLarge and the download stops long before its end."""
    streamer = Streamer(total=512 * MIB, declare_length=declare_length)
    base = await serve({"/huge": streamer.handle})
    fetcher = await make_fetcher(FetchLimits(max_bytes=MIB))

    with pytest.raises(ResponseTooLarge) as caught:
        await fetcher.fetch(str(base / "huge"), trusted=True)
    await asyncio.wait_for(streamer.done.wait(), timeout=10)

    assert not caught.value.transient
    # Socket buffers let the server write a few MiB more than we read, never the whole body.
    assert streamer.written < 64 * MIB, streamer.written


async def test_stalled_server_times_out(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """A server that accepts and never answers ends in FetchTimeout (read timeout), retried."""
    hits: Counter[str] = Counter()

    async def stall(request: web.Request) -> web.Response:
        await asyncio.sleep(0.5)
        return web.Response(body=b"too late")

    base = await serve({"/stall": counting(hits, stall)})
    fetcher = await make_fetcher(FetchLimits(read_timeout=0.05, total_timeout=5))
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match=r"timed out after 0\.05 s waiting for data from") as err:
        await fetcher.fetch(str(base / "stall"), trusted=True)
    assert time.monotonic() - started < 1.0
    assert err.value.transient
    assert hits["/stall"] == ATTEMPTS


async def test_dripping_server_hits_total_timeout(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """A server sending one byte at a time, each within the read timeout, hits the total one."""

    async def drip(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        try:
            for _ in range(200):
                await response.write(b"x")
                await asyncio.sleep(0.02)
        except ConnectionError:
            pass
        return response

    base = await serve({"/drip": drip})
    limits = FetchLimits(read_timeout=0.2, total_timeout=0.15)
    fetcher = await make_fetcher(limits)
    started = time.monotonic()
    with stamina.set_testing(True, attempts=1), pytest.raises(FetchTimeout) as caught:
        await fetcher.fetch(str(base / "drip"), trusted=True)
    assert time.monotonic() - started < 1.0
    assert str(caught.value) == f"timed out after 0.15 s reading {base / 'drip'}"


async def test_total_timeout_spans_the_redirect_chain(
    serve: Serve, make_fetcher: MakeFetcher
) -> None:
    """Hops that are each quicker than the total still share one total budget."""
    hits: Counter[str] = Counter()

    async def slow_hop(request: web.Request) -> web.Response:
        await asyncio.sleep(0.1)
        return web.Response(status=307, headers={"Location": f"/slow/{hits['/all']}"})

    async def tally(request: web.Request) -> web.StreamResponse:
        hits["/all"] += 1
        return await slow_hop(request)

    base = await serve({"/slow/{n}": tally})
    fetcher = await make_fetcher(FetchLimits(total_timeout=0.25, max_redirects=10))
    with (
        stamina.set_testing(True, attempts=1),
        pytest.raises(FetchTimeout, match=r"after 0\.25 s reading"),
    ):
        await fetcher.fetch(str(base / "slow" / "0"), trusted=True)
    # Two hops finish (0.2 s), the third is cut off at 0.25 s; per-hop totals would allow 11.
    assert hits["/all"] == 3


def sequence(steps: str) -> Handler:
    """A handler whose n-th answer is the n-th of `500,200` (`429:5` adds Retry-After: 5);
    the last step repeats."""
    answers = steps.split(",")
    served = 0

    async def answer(request: web.Request) -> web.Response:
        nonlocal served
        status, _, retry_after = answers[min(served, len(answers) - 1)].partition(":")
        served += 1
        headers = {"Retry-After": retry_after} if retry_after else {}
        return web.Response(
            status=int(status), body=b"ok" if status == "200" else None, headers=headers
        )

    return answer


@pytest.mark.parametrize(
    ("steps", "outcome", "requests"),
    [
        ("404", (HTTPStatusError, 404, False, None), 1),
        ("410", (HTTPStatusError, 410, False, None), 1),
        ("403", (HTTPStatusError, 403, False, None), 1),
        ("500,200", 200, 2),
        ("502,503,200", 200, 3),
        ("408,200", 200, 2),
        ("503", (HTTPStatusError, 503, True, None), ATTEMPTS),
        ("429:1,200", 200, 2),
        ("503:2,200", 200, 2),
        ("429:3600", (HTTPStatusError, 429, True, 3600.0), 1),
        ("503:120", (HTTPStatusError, 503, True, 120.0), 1),
        ("302", (HTTPStatusError, 302, False, None), 1),
    ],
    ids=[
        "404-no-retry",
        "410-no-retry",
        "403-no-retry",
        "500-then-ok",
        "5xx-twice-then-ok",
        "408-then-ok",
        "503-gives-up",
        "429-short-retry-after",
        "503-short-retry-after",
        "429-long-retry-after",
        "503-long-retry-after",
        "redirect-without-location",
    ],
)
async def test_status_retries(
    serve: Serve,
    make_fetcher: MakeFetcher,
    steps: str,
    outcome: int | tuple[type[HTTPStatusError], int, bool, float | None],
    requests: int,
) -> None:
    """Transient statuses are retried (short Retry-After honoured), permanent ones are not."""
    hits: Counter[str] = Counter()
    base = await serve({"/seq": counting(hits, sequence(steps))})
    fetcher = await make_fetcher()
    if isinstance(outcome, int):
        result = await fetcher.fetch(str(base / "seq"), trusted=True)
        assert (result.status, result.body) == (outcome, b"ok")
    else:
        kind, status, transient, retry_after = outcome
        with pytest.raises(kind) as caught:
            await fetcher.fetch(str(base / "seq"), trusted=True)
        assert (caught.value.status, caught.value.transient) == (status, transient)
        assert caught.value.retry_after == retry_after
        assert str(caught.value).startswith(f"HTTP {status} ")
    assert hits["/seq"] == requests


def _free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_refused_connection_is_connect_error(make_fetcher: MakeFetcher) -> None:
    """A refused connection becomes a transient ConnectError naming the host."""
    fetcher = await make_fetcher()
    with pytest.raises(ConnectError, match=r"^cannot connect to 127\.0\.0\.1: ") as caught:
        await fetcher.fetch(f"http://127.0.0.1:{_free_port()}/feed", trusted=True)
    assert caught.value.transient
    assert not isinstance(caught.value.__cause__, FetchError)
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)


@pytest.mark.parametrize(
    "source",
    ["relative", "absolute", "file-url"],
    ids=["relative-path", "absolute-path", "file-url"],
)
async def test_local_file(
    make_fetcher: MakeFetcher, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    """Local feeds are read by relative or absolute path or file:// URL, typed by extension."""
    monkeypatch.chdir(FIXTURES)
    given = {
        "relative": RSS_NAME,
        "absolute": str(FIXTURES / RSS_NAME),
        "file-url": (FIXTURES / RSS_NAME).as_uri(),
    }[source]
    result = await (await make_fetcher()).fetch(given, trusted=True)
    assert (result.status, result.body, result.content_type) == (200, RSS, "application/xml")
    assert result.url == (FIXTURES / RSS_NAME).as_uri()
    assert not result.not_modified


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("missing.xml", None, FetchError, "file not found: {given}"),
        ("big.xml", b"x" * 2049, ResponseTooLarge, "response larger than 2 KiB from {given}"),
        ("folder.xml", "dir", FetchError, "not a file: {given}"),
    ],
    ids=["missing", "above-cap", "directory"],
)
async def test_local_file_errors(
    make_fetcher: MakeFetcher,
    tmp_path: Path,
    name: str,
    content: bytes | str | None,
    error: type[FetchError],
    message: str,
) -> None:
    """Missing, oversized or non-regular files give permanent errors naming the path given."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "dir":
        path.mkdir()
    fetcher = await make_fetcher(FetchLimits(max_bytes=2048))
    with pytest.raises(error) as caught:
        await fetcher.fetch(str(path), trusted=True)
    assert str(caught.value) == message.format(given=path)
    assert not caught.value.transient


async def test_unsupported_scheme(make_fetcher: MakeFetcher) -> None:
    """Schemes other than http, https and file are refused before any I/O."""
    with pytest.raises(UnsupportedURL, match=r"^unsupported URL ftp://example\.com/feed\.xml: "):
        await (await make_fetcher()).fetch("ftp://example.com/feed.xml", trusted=True)


async def test_per_host_semaphore(serve: Serve, make_fetcher: MakeFetcher) -> None:
    """No more than per_host fetches to one host run at once, even if the pool allows more."""
    running = 0
    peak = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.05)
        running -= 1
        return web.Response(body=b"ok")

    base = await serve({"/slow": slow})
    fetcher = await make_fetcher(FetchLimits(per_host=2), session_limits=FetchLimits(per_host=50))
    results = await asyncio.gather(
        *(fetcher.fetch(str(base / "slow"), trusted=True) for _ in range(8))
    )
    assert [r.body for r in results] == [b"ok"] * 8
    assert peak == 2


async def test_debug_line_per_request(
    serve: Serve, make_fetcher: MakeFetcher, caplog: pytest.LogCaptureFixture
) -> None:
    """Each request logs one DEBUG line with url, status, bytes and elapsed as fields."""

    async def moved(request: web.Request) -> web.Response:
        return web.Response(status=301, headers={"Location": "/feed"})

    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=RSS)

    base = await serve({"/old": moved, "/feed": feed})
    with caplog.at_level(logging.DEBUG, logger="bot.sources.fetch"):
        await (await make_fetcher()).fetch(str(base / "old"), trusted=True)
    records = [r for r in caplog.records if r.name == "bot.sources.fetch"]
    fields = [(r.url, r.status, r.bytes) for r in records]  # type: ignore[attr-defined]
    assert fields == [(str(base / "old"), 301, 0), (str(base / "feed"), 200, len(RSS))]
    assert all(r.levelno == logging.DEBUG and r.elapsed >= 0 for r in records)  # type: ignore[attr-defined]

"""The address guard: untrusted fetches never reach a non-public address, on any hop."""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.sources.errors import BlockedAddressError, FetchError, UnsupportedURL
from bot.sources.fetch import Fetcher, FetchLimits, create_http_session
from bot.sources.guard import AddressPolicy, IPAddress, is_public_address
from tests.fakes.resolver import MappedResolver

LIMITS = FetchLimits(attempts=1, total_timeout=5, connect_timeout=2, read_timeout=2)
RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("127.8.9.10", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),
        ("100.127.255.254", False),
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("0.1.2.3", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.2.10", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("64:ff9b::7f00:1", False),
        ("64:ff9b::a9fe:a9fe", False),
        ("2002:7f00:1::1", False),
        ("2001:db8::1", False),
        ("8.8.8.8", True),
        ("93.184.216.34", True),
        ("100.128.0.1", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),
        ("2a00:1450:4001:80b::200e", True),
    ],
    ids=lambda value: str(value),
)
def test_public_address_table(address: str, public: bool) -> None:
    """Loopback, private, link-local, CGNAT, multicast, reserved and embedded forms are refused."""
    assert is_public_address(ipaddress.ip_address(address)) is public


@asynccontextmanager
async def site(host: str, routes: dict[str, Callable[..., object]]) -> AsyncIterator[TestServer]:
    """A loopback server on `host` answering `routes`."""
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)  # type: ignore[arg-type]
    server = TestServer(app, host=host)
    await server.start_server()
    try:
        yield server
    finally:
        await server.close()


@asynccontextmanager
async def fetcher(
    table: dict[str, str], *, policy: AddressPolicy = is_public_address
) -> AsyncIterator[Fetcher]:
    """A Fetcher whose plain and guarded sessions both resolve through `table`."""
    async with (
        create_http_session(limits=LIMITS, user_agent="t", resolver=MappedResolver(table)) as plain,
        create_http_session(
            limits=LIMITS, user_agent="t", resolver=MappedResolver(table), guard=policy
        ) as guarded,
    ):
        yield Fetcher(plain, guarded=guarded, limits=LIMITS)


def counted(hits: Counter[str]) -> Callable[[web.Request], object]:
    """A feed handler that counts its requests."""

    async def feed(request: web.Request) -> web.Response:
        hits[request.path] += 1
        return web.Response(body=RSS, content_type="application/rss+xml")

    return feed


async def test_public_name_on_loopback_is_refused_untrusted_and_allowed_trusted() -> None:
    """A public name on 127.0.0.1: refused at connect time when untrusted, fetched when trusted."""
    hits: Counter[str] = Counter()
    async with site("127.0.0.1", {"/feed": counted(hits)}) as server:
        url = f"http://feeds.example.com:{server.port}/feed"
        async with fetcher({"feeds.example.com": "127.0.0.1"}) as fetch:
            with pytest.raises(BlockedAddressError) as refused:
                await fetch.fetch(url)
            assert hits["/feed"] == 0
            trusted = await fetch.fetch(url, trusted=True)
    assert (refused.value.host, refused.value.address) == ("feeds.example.com", "127.0.0.1")
    assert refused.value.transient is False
    assert "not a public address" in str(refused.value)
    assert (trusted.status, trusted.body, hits["/feed"]) == (200, RSS, 1)


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1:{port}/feed", "http://internal.example.com:{port}/feed"],
    ids=["ip-literal", "name-to-loopback"],
)
async def test_redirect_to_loopback_is_refused(target: str) -> None:
    """A hop the guard allows that redirects to 127.0.0.1 is refused before connecting there."""
    hits: Counter[str] = Counter()
    allowed = ipaddress.ip_address("127.0.0.2")

    def only_first_hop(address: IPAddress) -> bool:
        return address == allowed

    async with site("127.0.0.1", {"/feed": counted(hits)}) as inner:
        location = target.format(port=inner.port)

        async def hop(request: web.Request) -> web.Response:
            raise web.HTTPFound(location)

        async with site("127.0.0.2", {"/hop": hop}) as outer:
            table = {"hop.example.com": "127.0.0.2", "internal.example.com": "127.0.0.1"}
            async with fetcher(table, policy=only_first_hop) as fetch:
                url = f"http://hop.example.com:{outer.port}/hop"
                with pytest.raises(BlockedAddressError) as refused:
                    await fetch.fetch(url)
                trusted = await fetch.fetch(url, trusted=True)
    assert refused.value.address == "127.0.0.1"
    assert (trusted.status, trusted.url) == (200, location)
    assert hits["/feed"] == 1  # only the trusted fetch got there


async def test_untrusted_fetch_without_guarded_session_fails_closed() -> None:
    """A Fetcher given no guarded session refuses untrusted URLs instead of fetching them."""
    async with aiohttp.ClientSession() as plain:
        with pytest.raises(FetchError, match="no guarded session"):
            await Fetcher(plain).fetch("http://feeds.example.com/feed")


async def test_untrusted_fetch_never_reads_local_files() -> None:
    """A local path is only read for trusted sources."""
    async with fetcher({}) as fetch:
        with pytest.raises(UnsupportedURL, match="local file"):
            await fetch.fetch("/etc/hostname")

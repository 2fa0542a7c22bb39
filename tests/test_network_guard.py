"""The suite-wide guard itself: real hosts are refused, loopback is not."""

from __future__ import annotations

import socket

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer


def test_resolving_a_real_host_fails_loudly() -> None:
    """A lookup of a public name raises instead of leaving the machine."""
    with pytest.raises(RuntimeError, match="real host"):
        socket.getaddrinfo("example.com", 443)


def test_connecting_to_a_public_address_fails_loudly() -> None:
    """A raw connect to a public address raises before any packet is sent."""
    with socket.socket() as sock, pytest.raises(RuntimeError, match="real address"):
        sock.connect(("93.184.216.34", 80))


async def test_aiohttp_to_a_real_host_fails_loudly() -> None:
    """aiohttp, as the fetcher uses it, cannot reach a real site from a test."""
    async with aiohttp.ClientSession() as session:
        with pytest.raises((RuntimeError, aiohttp.ClientError)):
            await session.get("http://example.com/feed.xml")


async def test_loopback_is_allowed() -> None:
    """Loopback servers stay reachable, so fakes at the far end of the wire work."""

    async def hello(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", hello)
    async with (
        TestServer(app) as server,
        aiohttp.ClientSession() as session,
        session.get(server.make_url("/")) as response,
    ):
        assert await response.text() == "ok"

"""/addsource tries the URL once through the guarded connector and refuses private addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.commands import CommandService
from bot.i18n import translate
from bot.settings import Settings
from bot.sources.fetch import Fetcher, FetchLimits, create_http_session
from bot.sources.guard import is_public_address
from bot.store import Store
from tests.commands.conftest import NOW, request
from tests.fakes.resolver import MappedResolver

LIMITS = FetchLimits(attempts=1, total_timeout=5, connect_timeout=2, read_timeout=2)
DNS = {"feeds.example.com": "127.0.0.1"}
HITS = web.AppKey("hits", list[str])


@pytest.fixture
async def feed_server() -> AsyncIterator[TestServer]:
    """A loopback feed at /feed that records its requests in app[HITS]."""
    app = web.Application()
    app[HITS] = []

    async def feed(request: web.Request) -> web.Response:
        request.app[HITS].append(request.path)
        return web.Response(text="<rss version='2.0'><channel/></rss>")

    app.router.add_get("/feed", feed)
    server = TestServer(app)
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def probing_service(store: Store, settings: Settings) -> AsyncIterator[CommandService]:
    """The command service with the app's probe: an untrusted fetch through the guard."""
    async with create_http_session(
        limits=LIMITS, user_agent="t", resolver=MappedResolver(DNS), guard=is_public_address
    ) as guarded:
        probe = Fetcher(guarded, guarded=guarded, limits=LIMITS)
        yield CommandService(store, settings=settings, clock=lambda: NOW, source_probe=probe.fetch)


@pytest.mark.parametrize(("locale", "lang"), [("de-DE", "de"), ("en-US", "en")], ids=["de", "en"])
async def test_addsource_of_a_name_resolving_to_loopback_is_refused_in_the_admins_language(
    probing_service: CommandService,
    store: Store,
    feed_server: TestServer,
    locale: str,
    lang: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The admin is told, in their language, that the name leads to 127.0.0.1; nothing is added."""
    url = f"http://feeds.example.com:{feed_server.port}/feed"
    reply = await probing_service.handle(request("addsource", url, locale=locale))
    assert reply.text == translate(
        lang, "cmd.addsource.blocked", host="feeds.example.com", address="127.0.0.1"
    )
    assert await store.list_sources() == []
    assert feed_server.app[HITS] == []
    assert any("source refused" in record.getMessage() for record in caplog.records)


async def test_addsource_of_an_unreachable_public_name_is_still_added(
    probing_service: CommandService, store: Store
) -> None:
    """A name that does not resolve now is no address problem: the source is added, polled later."""
    url = "http://nowhere.example.org/feed"
    reply = await probing_service.handle(request("addsource", url))
    assert reply.text == translate(
        "en", "cmd.addsource.done", id=1, name="nowhere.example.org", url=url
    )
    assert [source.url for source in await store.list_sources()] == [url]

"""Sources added from a chat are fetched through the address guard; config sources are not."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from yarl import URL

from bot.model import Article
from bot.sources.reader import with_full_text
from bot.store import SourceSpec
from tests.fakes.feeds import FeedItem
from tests.fakes.runtime import PUBLIC_LOOKING_HOST, Runtime, runtime

ITEM = FeedItem(guid="a1", title="Xiaomi kündigt an", description="Xiaomi hat etwas angekündigt.")
PAGE = "<html><head><title>Seite</title></head><body><article><p>{text}</p></article></body></html>"


@pytest.fixture
async def rt(tmp_path: Path) -> AsyncIterator[Runtime]:
    """A fresh runtime per test."""
    async with runtime(tmp_path) as value:
        yield value


def public_looking(url: str) -> str:
    """The same loopback URL under a public-looking name that resolves to 127.0.0.1."""
    return str(URL(url).with_host(PUBLIC_LOOKING_HOST))


async def test_chat_source_resolving_to_loopback_is_refused(rt: Runtime) -> None:
    """A chat source whose public-looking name resolves to 127.0.0.1 fails without a request."""
    rt.site.publish("golem", ITEM)
    url = public_looking(rt.site.url("golem"))
    source = await rt.store.add_source(
        SourceSpec(name="chat", url=url), added_by="telegram:1", now=rt.clock()
    )
    after = await rt.poll(source.name)
    assert after.consecutive_failures == 1
    assert after.last_error is not None
    assert "not a public address (127.0.0.1)" in after.last_error
    assert rt.site.requests.get("golem", 0) == 0


async def test_config_source_with_the_same_name_is_trusted(rt: Runtime) -> None:
    """The operator's config source on the same name is fetched from loopback as before."""
    rt.site.publish("golem", ITEM)
    url = public_looking(rt.site.url("golem"))
    await rt.store.sync_config_sources([SourceSpec(name="cfg", url=url)], now=rt.clock())
    after = await rt.poll("cfg")
    assert (after.consecutive_failures, after.baselined) == (0, True)
    assert rt.site.requests["golem"] == 1


async def test_full_text_page_of_a_chat_source_is_guarded(rt: Runtime) -> None:
    """An entry link to a loopback page is not fetched for a chat source, only for a config one."""
    rt.site.pages["story"] = PAGE.format(text="Der ganze Artikeltext über Xiaomi und Samsung.")
    link = public_looking(rt.site.base() + "/story")
    article = Article("url:" + link, link, "Xiaomi", "kurz", "s")
    fetcher = rt.poller._fetcher  # the poller's own fetcher, sessions and all
    guarded = await with_full_text(fetcher, article)
    assert guarded == article
    assert rt.site.requests.get("story", 0) == 0
    trusted = await with_full_text(fetcher, article, trusted=True)
    assert "Samsung" in trusted.content
    assert rt.site.requests["story"] == 1

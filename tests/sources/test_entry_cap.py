"""Only the newest entries of a feed are read per poll: a huge feed costs little."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sources.parse import newest_entries, parse_feed

URL = "https://feeds.example.org/feed.xml"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _at(hours: int | None) -> datetime | None:
    return None if hours is None else T0 + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("hours", "limit", "kept"),
    [
        pytest.param([3, 2, 1], None, (0, 1, 2), id="no-limit-keeps-all"),
        pytest.param([3, 2, 1], 5, (0, 1, 2), id="under-the-limit-keeps-all"),
        pytest.param([3, 2, 1, 0], 2, (0, 1), id="newest-first-feed"),
        pytest.param([0, 1, 2, 3], 2, (2, 3), id="oldest-first-feed-keeps-its-tail"),
        pytest.param([1, 5, 2, 4, 3], 3, (1, 3, 4), id="shuffled-kept-in-feed-order"),
        pytest.param([None, None, None, None], 2, (0, 1), id="undated-feed-order"),
        pytest.param([None, 1, None, 2], 3, (0, 1, 3), id="dated-before-undated"),
        pytest.param([2, 2, 2, 2], 2, (0, 1), id="ties-keep-feed-order"),
    ],
)
def test_newest_entries(hours: list[int | None], limit: int | None, kept: tuple[int, ...]) -> None:
    """The positions kept: newest by date, undated after dated, in feed order."""
    assert newest_entries([_at(h) for h in hours], limit) == kept


def _rss(count: int) -> bytes:
    items = "".join(
        f"<item><title>Entry {n}</title><link>https://example.org/{n}</link>"
        f"<pubDate>{(T0 + timedelta(minutes=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
        "</item>"
        for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def test_parse_keeps_the_newest_and_counts_the_rest() -> None:
    """An oldest-first feed of 1,000 entries capped at 10 gives its 10 newest."""
    feed = parse_feed(_rss(1000), url=URL, max_entries=10)
    assert [a.title for a in feed.entries] == [f"Entry {n}" for n in range(990, 1000)]
    assert feed.left_out == 990


def test_no_cap_reads_every_entry() -> None:
    """Without a cap (newsbot check) every entry is read."""
    feed = parse_feed(_rss(300), url=URL)
    assert (len(feed.entries), feed.left_out) == (300, 0)

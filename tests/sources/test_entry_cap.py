"""Only the newest entries of a feed are read per poll: a huge feed costs little."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.sources.parse import middle_cut, newest_entries, parse_feed

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


@pytest.mark.parametrize(
    ("count", "keep", "cut"),
    [
        pytest.param(4, 2, None, id="no-more-than-twice-keep-is-whole"),
        pytest.param(5, 2, (20, 30), id="one-too-many-cuts-one"),
        pytest.param(9, 2, (20, 70), id="cut-from-entry-keep-to-the-last-keep"),
    ],
)
def test_middle_cut(count: int, keep: int, cut: tuple[int, int] | None) -> None:
    """Entries start every 10 bytes; the cut runs from entry `keep` to the last `keep`."""
    starts = [10 * n for n in range(count)]
    head, tail = starts[: keep + 1], starts[keep + 1 :][-keep:]
    assert middle_cut(head, tail, count=count, keep=keep) == cut


@pytest.mark.parametrize("oldest_first", [True, False], ids=["oldest-first", "newest-first"])
def test_a_huge_document_is_cut_but_keeps_its_newest(oldest_first: bool) -> None:
    """5,000 entries capped at 10: the middle is never parsed, the 10 newest still come out."""
    body = _rss(5000)
    if not oldest_first:
        head, _, rest = body.partition(b"<item>")
        items = [b"<item>" + part for part in rest.split(b"<item>")]
        items[-1], tail = items[-1].split(b"</channel>")
        body = head + b"".join(reversed(items)) + b"</channel>" + tail
    feed = parse_feed(body, url=URL, max_entries=10)
    assert sorted(a.title for a in feed.entries) == sorted(f"Entry {n}" for n in range(4990, 5000))
    assert feed.left_out == 4990

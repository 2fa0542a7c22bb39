"""Feed parsing throughput: feedparser vs fastfeedparser vs our `parse_feed`, and html_to_text."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

CORPUS = Path("/work/shared/corpora/feeds")
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "feeds"
URL = "https://feeds.example.org/feed"


def _feeds() -> list[bytes]:
    """Every feed file of the shared corpus, else of the test fixtures."""
    root = CORPUS if CORPUS.is_dir() else FIXTURES
    paths = sorted(
        path
        for path in root.rglob("*")
        if path.suffix in {".xml", ".rdf", ".rss"}
        or (path.suffix == ".json" and not path.name.endswith(".expected.json") and _is_feed(path))
    )
    return [path.read_bytes() for path in paths]


def _is_feed(path: Path) -> bool:
    """True for JSON Feed files (the corpus also holds parse results as .json)."""
    return b"jsonfeed.org/version" in path.read_bytes()[:2048]


def _best_of(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    """The fastest of `runs` runs of `work` (seconds) and the entry count it returned."""
    best, count = float("inf"), 0
    for _ in range(runs):
        started = time.perf_counter()
        count = work()
        best = min(best, time.perf_counter() - started)
    return best, count


def _feedparser(bodies: list[bytes]) -> int:
    """Entries read by feedparser alone (its default sanitising on, as a caller would use it)."""
    import io

    import feedparser

    return sum(len(feedparser.parse(io.BytesIO(body)).entries) for body in bodies)


def _fastfeedparser(bodies: list[bytes]) -> int:
    """Entries read by fastfeedparser alone; documents it rejects count zero."""
    import fastfeedparser

    total = 0
    for body in bodies:
        with contextlib.suppress(ValueError):
            total += len(fastfeedparser.parse(body).entries)
    return total


def _ours(bodies: list[bytes]) -> int:
    """Articles built by parse_feed (decode, parse, html_to_text, canonical links)."""
    from bot.sources.parse import FeedParseError, parse_feed

    total = 0
    for body in bodies:
        with contextlib.suppress(FeedParseError):
            total += len(parse_feed(body, url=URL).entries)
    return total


def _html_to_text_figures() -> None:
    """Microseconds per html_to_text call for plain text, a summary fragment, an article body."""
    from bot.sources.text import html_to_text

    paragraph = "<p>" + "Ein Satz mit <em>Betonung</em> &amp; Text. " * 25 + "</p>"
    samples = {
        "plain title": "Xiaomi-CEO Lei Jun bestätigt eine weltweite Veröffentlichung",
        "summary fragment": '<p>Lei Jun, CEO von <a href="/x">Xiaomi</a>, hat &quot;erklärt&quot;, '
        "dass das <b>12S Ultra</b> kommt.</p><img src='x.jpg'>",
        "article body": paragraph * 9 + "<script>var x = 1;</script>",
    }
    for name, sample in samples.items():
        calls = 2000 if len(sample) < 1000 else 200
        started = time.perf_counter()
        for _ in range(calls):
            html_to_text(sample)
        micros = (time.perf_counter() - started) / calls * 1e6
        print(f"html_to_text {name:22} {len(sample):6} chars  {micros:8.1f} µs/call")


def run() -> None:
    """Print entries/s and MB/s for each parser and the ratios between them."""
    bodies = _feeds()
    megabytes = sum(len(body) for body in bodies) / 1e6
    print(f"{len(bodies)} feeds, {megabytes:.2f} MB")
    results = {
        "feedparser": _best_of(1, lambda: _feedparser(bodies)),
        "fastfeedparser": _best_of(3, lambda: _fastfeedparser(bodies)),
        "parse_feed (ours)": _best_of(3, lambda: _ours(bodies)),
    }
    for name, (seconds, entries) in results.items():
        print(
            f"{name:18} {seconds:7.3f} s  {entries:5} entries  "
            f"{entries / seconds:9.0f} entries/s  {megabytes / seconds:7.1f} MB/s"
        )
    slow = results["feedparser"][0]
    for name in ("fastfeedparser", "parse_feed (ours)"):
        print(f"feedparser / {name}: {slow / results[name][0]:.1f}x")
    _html_to_text_figures()

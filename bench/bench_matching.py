"""Matching throughput: one compiled index vs. one regex per query, at 1, 1,000 and 10,000 queries.

Articles are the real entries of the feeds in `/work/shared/corpora/feeds/`
(German and English), cycled to 2,000; without `/work/shared` the bench falls
back to the test fixture article. Queries are generated deterministically
(seed 12): brand-like names, two-word product phrases, prefixes, exclusions,
filters, and a share of real brand names so that some queries do match.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import feedparser

from bot.matching import MatchInput, QueryIndex, fold, parse_query

ARTICLES = 2_000
SIZES = (1, 1_000, 10_000)
BASELINE_ARTICLES = 40  # the regex baseline is timed on a subset and scaled
FEEDS = Path("/work/shared/corpora/feeds")
FALLBACK = (
    Path(__file__).resolve().parent.parent / "tests/fixtures/matching/xiaomi-12s-ultra-de.txt"
)
REAL_BRANDS = (
    "xiaomi",
    "apple",
    "samsung",
    "meta",
    "google",
    "microsoft",
    "amazon",
    "huawei",
    "tesla",
    "nvidia",
    "intel",
    "sony",
)
_TAG_RE = re.compile(r"<[^>]+>")


def load_articles() -> list[MatchInput]:
    """2,000 real feed entries (cycled), or copies of the fixture article without the corpora."""
    found: list[MatchInput] = []
    for folder in ("de", "en", "fastfeedparser-news"):
        for path in sorted((FEEDS / folder).glob("*")) if FEEDS.is_dir() else []:
            if path.suffix in (".xml", ".rdf"):
                found.extend(_entries(path, "de" if folder == "de" else "en"))
    if not found:
        title, text = FALLBACK.read_text(encoding="utf-8").split("\n", 1)
        found = [MatchInput(title=title, text=text, language="de")]
    return [found[i % len(found)] for i in range(ARTICLES)]


def _entries(path: Path, language: str) -> list[MatchInput]:
    """The entries of one feed file as match inputs (HTML tags stripped)."""
    parsed = feedparser.parse(path.read_bytes())
    out = []
    for entry in parsed.entries:
        content = " ".join(part.get("value", "") for part in entry.get("content", []))
        text = _TAG_RE.sub(" ", content or entry.get("summary", ""))
        out.append(
            MatchInput(
                title=_TAG_RE.sub(" ", entry.get("title", "")),
                text=text,
                link=entry.get("link", ""),
                language=language,
            )
        )
    return out


def make_queries(count: int, rng: random.Random) -> list[str]:
    """`count` deterministic, realistic alert queries."""
    syllables = ["zen", "kor", "va", "lo", "tri", "mex", "qua", "ri", "nox", "pel", "dra", "sun"]
    lines = ["ultra", "pro", "max", "lite", "note", "air", "plus", "mini", "edge", "fold"]

    def name() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))

    queries = ["xiaomi"]
    while len(queries) < count:
        kind = rng.randrange(10)
        brand = rng.choice(REAL_BRANDS) if rng.random() < 0.05 else name()
        if kind < 3:
            queries.append(brand)
        elif kind < 6:
            queries.append(f'"{brand} {rng.choice(lines)}"')
        elif kind == 6:
            queries.append(f"{brand[:5]}*")
        elif kind == 7:
            queries.append(f"{brand} -{name()}")
        elif kind == 8:
            queries.append(f'{brand} OR "{name()} {rng.randint(2, 15)}"')
        else:
            queries.append(f"{brand} lang:{rng.choice(['de', 'en'])}")
    return queries[:count]


def time_index(queries: list[str], articles: list[MatchInput]) -> tuple[float, float, int]:
    """(build seconds, match seconds, matches) for one compiled index."""
    index: QueryIndex[int] = QueryIndex()
    started = time.perf_counter()
    for key, text in enumerate(queries):
        index.add(key, parse_query(text))
    index.compile()
    built = time.perf_counter()
    hits = sum(len(index.match(article)) for article in articles)
    return built - started, time.perf_counter() - built, hits


def naive_matcher(text: str) -> Callable[[str], bool]:
    """One compiled regex per query: positive words must occur, excluded words must not."""
    words = re.findall(r'-?"[^"]*"\*?|-?[^\s"]+', text)
    positive = [w for w in words if not w.startswith("-") and ":" not in w and w != "OR"]
    negative = [w[1:] for w in words if w.startswith("-")]

    def pattern(parts: list[str]) -> re.Pattern[str] | None:
        alternatives = []
        for part in parts:
            body = re.escape(fold(part.strip('"*')))
            alternatives.append(body + (r"\w*" if part.endswith("*") else r"(?:s|'s)?\b"))
        return re.compile(r"\b(?:" + "|".join(alternatives) + ")") if alternatives else None

    wanted, unwanted = pattern(positive), pattern(negative)

    def matches(folded: str) -> bool:
        return bool(wanted and wanted.search(folded)) and not (unwanted and unwanted.search(folded))

    return matches


def time_baseline(queries: list[str], articles: list[MatchInput]) -> float:
    """Seconds per article of the naive baseline, measured on a subset of articles."""
    matchers = [naive_matcher(text) for text in queries]
    subset = articles[:BASELINE_ARTICLES]
    started = time.perf_counter()
    for article in subset:
        folded = fold(f"{article.title}\n{article.text}")
        for matcher in matchers:
            matcher(folded)
    return (time.perf_counter() - started) / len(subset)


def run() -> None:
    """Print articles/s per index size, the 10,000-vs-1 ratio and the speed-up over regexes."""
    articles = load_articles()
    rng = random.Random(12)
    all_queries = make_queries(max(SIZES), rng)
    size_kb = sum(len(a.title) + len(a.text) for a in articles) / 1024
    print(f"{len(articles)} articles ({size_kb:.0f} KiB of text), queries seeded with 12")
    per_article: dict[int, float] = {}
    for size in SIZES:
        build, seconds, hits = time_index(all_queries[:size], articles)
        per_article[size] = seconds / len(articles)
        print(
            f"index {size:>6} queries: build {build * 1000:7.1f} ms, "
            f"{len(articles) / seconds:8.0f} articles/s, {hits} matches"
        )
    ratio = per_article[SIZES[-1]] / per_article[SIZES[0]]
    print(f"10,000 vs 1 query: {ratio:.2f}x the time (goal <= 3x): {_verdict(ratio <= 3)}")
    baseline = time_baseline(all_queries, articles)
    speedup = baseline / per_article[SIZES[-1]]
    print(
        f"naive baseline, 10,000 regexes: {1 / baseline:8.1f} articles/s "
        f"(timed on {BASELINE_ARTICLES} articles, scaled)"
    )
    verdict = _verdict(speedup >= 20)
    print(f"index vs baseline at 10,000: {speedup:.0f}x faster (goal >= 20x): {verdict}")


def _verdict(met: bool) -> str:
    """How a goal is reported."""
    return "met" if met else "NOT met"

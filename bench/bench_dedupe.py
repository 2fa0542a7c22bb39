"""Dedupe throughput: fingerprints per second, and one fingerprint against 10,000 stored ones."""

from __future__ import annotations

import html
import random
import re
import time
from pathlib import Path

import feedparser

from bot.dedupe import THRESHOLD, distance, fingerprint, same_story

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpora/feeds")
PAIRS = ROOT / "tests" / "fixtures" / "dedupe" / "pairs.tsv"
STORED = 10_000
_TAG = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    """Plain text of a feed field (tags dropped, entities decoded, spaces collapsed)."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def _corpus_items() -> list[tuple[str, str]]:
    """(title, summary) of every entry in the shared feed corpus, if it is there."""
    items = []
    for path in sorted(CORPUS.glob("*/*")):
        if path.suffix not in {".xml", ".rdf"}:
            continue
        parsed = feedparser.parse(path.read_bytes())
        for entry in parsed.entries:
            items.append((_clean(entry.get("title", "")), _clean(entry.get("summary", ""))))
    return items


def _pairs() -> list[dict[str, str]]:
    """The labelled pairs, one dict per row of pairs.tsv."""
    lines = PAIRS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def _fixture_items() -> list[tuple[str, str]]:
    """(title, summary) of both sides of every labelled pair (fallback without the corpus)."""
    items = []
    for row in _pairs():
        items += [(row["title_a"], row["summary_a"]), (row["title_b"], row["summary_b"])]
    return items


def _confusion() -> None:
    """Print merged/missed/kept counts over pairs.tsv for thresholds around THRESHOLD."""
    scored = [
        (
            distance(
                fingerprint(row["title_a"], row["summary_a"]),
                fingerprint(row["title_b"], row["summary_b"]),
            ),
            row["label"] == "same",
            row["kind"],
        )
        for row in _pairs()
    ]
    print("threshold  same-merged  same-missed  different-merged  different-kept")
    for threshold in (8, 10, 12, 14, 16, 17):
        merged_same = sum(same and d <= threshold for d, same, _ in scored)
        missed_same = sum(same and d > threshold for d, same, _ in scored)
        merged_diff = sum(not same and d <= threshold for d, same, _ in scored)
        kept_diff = sum(not same and d > threshold for d, same, _ in scored)
        mark = "  <- THRESHOLD" if threshold == THRESHOLD else ""
        print(
            f"{threshold:9d}  {merged_same:11d}  {missed_same:11d}  {merged_diff:16d}"
            f"  {kept_diff:14d}{mark}"
        )
    kinds = sorted({kind for _, same, kind in scored if same})
    by_kind = ", ".join(
        f"{kind} {sum(s and k == kind and d <= THRESHOLD for d, s, k in scored)}"
        f"/{sum(s and k == kind for _, s, k in scored)}"
        for kind in kinds
    )
    print(f"same-story pairs merged at {THRESHOLD} by kind: {by_kind}")
    nearest = min(d for d, same, _ in scored if not same)
    print(f"closest different-story pair: {nearest} bits")


def _bench_fingerprints(items: list[tuple[str, str]]) -> list[int]:
    """Print fingerprints per second (title + summary lead), best of 3 rounds."""
    best = float("inf")
    values: list[int] = []
    for _ in range(3):
        started = time.perf_counter()
        values = [fingerprint(title, summary) for title, summary in items]
        best = min(best, time.perf_counter() - started)
    print(f"fingerprint: {len(items)} items in {best * 1000:.1f} ms = {len(items) / best:,.0f}/s")
    return values


def _bench_compare(values: list[int]) -> None:
    """Print the time to compare one fingerprint against 10,000 stored ones."""
    rng = random.Random(0)
    stored = [rng.choice(values) ^ rng.getrandbits(8) for _ in range(STORED)]
    probe = values[0]
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        hits = [value for value in stored if same_story(probe, value)]
    elapsed = (time.perf_counter() - started) / rounds
    print(
        f"compare 1 vs {STORED:,} with same_story: {elapsed * 1000:.2f} ms "
        f"({len(hits)} within {THRESHOLD})"
    )
    started = time.perf_counter()
    for _ in range(rounds):
        nearest = min(distance(probe, value) for value in stored)
    elapsed = (time.perf_counter() - started) / rounds
    print(f"nearest of {STORED:,} with distance: {elapsed * 1000:.2f} ms (nearest {nearest})")


def run() -> None:
    """Threshold table, then fingerprint the corpus headlines and compare one to 10,000."""
    _confusion()
    items = _corpus_items() if CORPUS.is_dir() else _fixture_items()
    print(f"source: {'shared feed corpus' if CORPUS.is_dir() else PAIRS.name}")
    values = _bench_fingerprints(items)
    _bench_compare(values)

"""`newsbot check` end to end vs. parsing the same files with feedparser alone.

The corpus feeds (`/work/shared/corpora/feeds`, else the test fixtures) are copied into a
temporary folder as many times as needed for at least 5,000 entries; 1,000 generated
brand-like queries are matched against every entry and each match is condensed and
rendered, all through the real `run_check` with local files as sources. The baseline
reads and parses the same files with feedparser alone, which is what RSS-to-Telegram-Bot
and most peers do before any matching; fastfeedparser alone is printed for reference.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import random
import shutil
import tempfile
import time
from pathlib import Path

from bench.bench_matching import make_queries
from bench.bench_parse import CORPUS, FIXTURES
from bot.check import CheckOptions, run_check
from bot.settings import Settings

ENTRIES = 5_000
QUERIES = 1_000


def _sources(folder: Path) -> tuple[list[Path], int]:
    """Copies of every corpus feed in `folder` until they hold at least ENTRIES entries."""
    import feedparser

    root = CORPUS if CORPUS.is_dir() else FIXTURES
    originals = [
        path
        for path in sorted(root.rglob("*"))
        if path.suffix in {".xml", ".rdf", ".rss"}
        and feedparser.parse(path.read_bytes()).entries  # only files that are feeds
    ]
    per_round = sum(len(feedparser.parse(path.read_bytes()).entries) for path in originals)
    copies: list[Path] = []
    entries = 0
    round_ = 0
    while entries < ENTRIES:
        for path in originals:
            target = folder / f"{round_}-{path.name}"
            shutil.copyfile(path, target)
            copies.append(target)
        entries += per_round
        round_ += 1
    return copies, entries


def _feedparser_alone(paths: list[Path]) -> tuple[float, int]:
    import feedparser

    started = time.perf_counter()
    count = sum(len(feedparser.parse(path.read_bytes()).entries) for path in paths)
    return time.perf_counter() - started, count


def _fastfeedparser_alone(paths: list[Path]) -> tuple[float, int]:
    import fastfeedparser

    started = time.perf_counter()
    count = 0
    for path in paths:
        with contextlib.suppress(ValueError):
            count += len(fastfeedparser.parse(path.read_bytes()).entries)
    return time.perf_counter() - started, count


def _check(paths: list[Path], queries: list[str]) -> tuple[float, int]:
    options = CheckOptions(
        sources=tuple(str(path) for path in paths),
        queries=tuple((f"query {n}", text) for n, text in enumerate(queries)),
        language="de",
        output="json",
    )
    out = io.StringIO()
    started = time.perf_counter()
    status = asyncio.run(run_check(options, settings=Settings(), out=out))
    elapsed = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"check failed with status {status}")
    return elapsed, out.getvalue().count("\n")


def run() -> None:
    """Print the whole check's time against feedparser's parse alone."""
    with tempfile.TemporaryDirectory() as tmp:
        paths, entries = _sources(Path(tmp))
        queries = make_queries(QUERIES, random.Random(12))
        print(f"{len(paths)} feed files, {entries} entries, {len(queries)} queries")
        fp_time, fp_entries = _feedparser_alone(paths)
        ffp_time, ffp_entries = _fastfeedparser_alone(paths)
        check_time, alerts = _check(paths, queries)
    print(f"feedparser parse alone     {fp_time:7.2f} s  ({fp_entries / fp_time:8.0f} entries/s)")
    print(
        f"fastfeedparser parse alone {ffp_time:7.2f} s  ({ffp_entries / ffp_time:8.0f} entries/s)"
    )
    print(
        f"newsbot check (all stages) {check_time:7.2f} s  ({entries / check_time:8.0f} entries/s, "
        f"{alerts} alerts)"
    )
    ratio = check_time / fp_time
    verdict = "met" if ratio <= 1.0 else "NOT met"
    print(f"check / feedparser-alone = {ratio:.2f} (goal <= 1.00: {verdict})")

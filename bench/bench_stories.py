"""Story clustering: alerts per story, wrong merges, cross-language merges, and `find` cost.

Data (see bench/data/PROVENANCE.md and tests/fixtures/dedupe/README.md):
- stories-stream.tsv: 634 real headline+lead items of 26 outlets (English news of
  13-19 February 2026, golem and heise of 25/26 October 2018), labelled by story by hand.
- uci-news-3days.tsv: 6,366 headlines, 87 stories, grouped by a news aggregator (UCI News
  Aggregator, March 2014): headlines only.
- crosslang.tsv + pairs.tsv: labelled German/English and monolingual pairs.

Each method assigns the items of a stream to stories in publication order, as the bot does.
"""

from __future__ import annotations

import collections
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.dedupe import THRESHOLD, StoryIndex, StoryKey, fingerprint, story_key
from bot.dedupe._tokens import story_tokens

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "dedupe"
WINDOW = timedelta(hours=72)
SCALE = 100_000
PROBES = 2_000

KeyFunction = Callable[[str, str, str | None], StoryKey]


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled item of a stream."""

    title: str
    teaser: str
    at: datetime
    story: str
    language: str


@dataclass(frozen=True, slots=True)
class Pair:
    """One labelled pair: two items and whether they are one story."""

    id: str
    same: bool
    kind: str
    a: tuple[str, str, str]  # title, teaser, language
    b: tuple[str, str, str]


def _rows(path: Path) -> list[dict[str, str]]:
    """A tab-separated file with a header line as dicts."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def _stream() -> list[Item]:
    """The hand-labelled headline+lead stream, in publication order."""
    items = [
        Item(
            row["title"],
            row["teaser"],
            datetime.fromisoformat(row["published"]),
            row["story"],
            "de" if row["source"].startswith("corpora/feeds/de/") else "en",
        )
        for row in _rows(DATA / "stories-stream.tsv")
    ]
    return sorted(items, key=lambda item: item.at)


def _uci() -> list[Item]:
    """The aggregator's headlines (no teasers), in publication order."""
    items = [
        Item(
            row["title"],
            "",
            datetime.fromtimestamp(int(row["timestamp_ms"]) / 1000, UTC),
            row["story"],
            "en",
        )
        for row in _rows(DATA / "uci-news-3days.tsv")
    ]
    return sorted(items, key=lambda item: item.at)


def _pairs() -> list[Pair]:
    """German/English pairs (crosslang.tsv) and monolingual pairs (pairs.tsv)."""
    pairs = [
        Pair(
            row["id"],
            row["label"] == "same",
            f"xl-{row['kind']}",
            (row["title_a"], row["teaser_a"], "de"),
            (row["title_b"], row["teaser_b"], "en"),
        )
        for row in _rows(FIXTURES / "crosslang.tsv")
    ]
    pairs += [
        Pair(
            row["id"],
            row["label"] == "same",
            row["kind"],
            (row["title_a"], row["summary_a"], row["lang"]),
            (row["title_b"], row["summary_b"], row["lang"]),
        )
        for row in _rows(FIXTURES / "pairs.tsv")
    ]
    return pairs


# Methods: each turns a stream into predicted story ids, one per item.


def _tokens_key(title: str, teaser: str, language: str | None) -> StoryKey:
    """The shipped key: rare tokens of title and teaser lead."""
    return story_key(title, teaser, language=language)


def _blind_key(title: str, teaser: str, language: str | None) -> StoryKey:
    """The shipped key without the detected language (no cross-language weighting)."""
    return story_key(title, teaser, language=None)


def _title_key(title: str, teaser: str, language: str | None) -> StoryKey:
    """The shipped key without the teaser (what headline-only feeds give)."""
    return story_key(title, "", language=language)


def _char_key(title: str, teaser: str, language: str | None, n: int = 4) -> StoryKey:
    """Character n-grams of the story tokens (TF-IDF over n-grams instead of words)."""
    in_title, in_teaser = story_tokens(title, teaser)

    def grams(tokens: Iterable[str]) -> frozenset[str]:
        out: set[str] = set()
        for token in tokens:
            padded = f"_{token}_"
            out.update(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
        return frozenset(out)

    title_grams = grams(in_title)
    return StoryKey(
        title=tuple(sorted(title_grams)),
        teaser=tuple(sorted(grams(in_teaser) - title_grams)),
        fingerprint=fingerprint(title, teaser),
        language=language,
    )


def _assign_index(items: Sequence[Item], key: KeyFunction, threshold: float) -> list[int]:
    """Story ids from a StoryIndex, fed in publication order like the bot does."""
    index = StoryIndex(window=WINDOW, threshold=threshold)
    assigned: list[int] = []
    for number, item in enumerate(items):
        item_key = key(item.title, item.teaser, item.language)
        story = index.find(item_key, now=item.at)
        story = number if story is None else story
        index.add(number, story, item_key, at=item.at)
        assigned.append(story)
    return assigned


def _assign_simhash(items: Sequence[Item], threshold: int = THRESHOLD) -> list[int]:
    """The old decision: the first story of the window whose founder is within `threshold` bits."""
    founders: list[tuple[datetime, int, int]] = []  # (first seen, story id, fingerprint)
    assigned: list[int] = []
    mask = (1 << 64) - 1
    for number, item in enumerate(items):
        value = fingerprint(item.title, item.teaser)
        cutoff = item.at - WINDOW
        story = next(
            (
                sid
                for at, sid, other in founders
                if at >= cutoff and value and ((value ^ other) & mask).bit_count() <= threshold
            ),
            None,
        )
        if story is None:
            story = number
            founders.append((item.at, number, value))
        assigned.append(story)
    return assigned


@dataclass(frozen=True, slots=True)
class StreamScore:
    """What one method did to one labelled stream."""

    alerts_per_story: float  # mean over stories with 2+ items (ideal 1.0)
    median_alerts: float
    worst_alerts: int
    wrong: float  # share of items put into a story founded by another story's item
    alerts: int  # stories founded (= alerts for a chat that matches everything)


def _score_stream(items: Sequence[Item], assigned: Sequence[int]) -> StreamScore:
    """Alerts per real story and the share of items in a wrong story."""
    by_story: dict[str, set[int]] = collections.defaultdict(set)
    for item, story in zip(items, assigned, strict=True):
        by_story[item.story].add(story)
    counts = [len(stories) for label, stories in by_story.items() if _size(items, label) > 1]
    wrong = sum(
        1
        for number, (item, story) in enumerate(zip(items, assigned, strict=True))
        if story != number and items[story].story != item.story
    )
    return StreamScore(
        alerts_per_story=statistics.mean(counts),
        median_alerts=statistics.median(counts),
        worst_alerts=max(counts),
        wrong=wrong / len(items),
        alerts=len(set(assigned)),
    )


_SIZES: dict[int, collections.Counter[str]] = {}


def _size(items: Sequence[Item], label: str) -> int:
    """How many items of `items` carry the story label (cached per stream)."""
    sizes = _SIZES.get(id(items))
    if sizes is None:
        sizes = collections.Counter(item.story for item in items)
        _SIZES[id(items)] = sizes
    return sizes[label]


@dataclass(frozen=True, slots=True)
class PairScore:
    """Merged shares over the labelled pairs, by group."""

    crosslang_same: float
    crosslang_different: float
    mono_same: float
    mono_different: float


def _score_pairs(
    pairs: Sequence[Pair], background: Sequence[Item], key: KeyFunction, threshold: float
) -> PairScore:
    """Per pair: side a founds a story in a window of real background stories; is b put there?"""
    index = StoryIndex(window=WINDOW, threshold=threshold)
    now = datetime(2026, 2, 18, tzinfo=UTC)
    titles = {pair.a[0] for pair in pairs} | {pair.b[0] for pair in pairs}
    number = 0
    for item in background:
        if item.title not in titles:
            number += 1
            index.add(number, number, key(item.title, item.teaser, item.language), at=now)
    merged: dict[tuple[bool, bool], list[bool]] = collections.defaultdict(list)
    for pair in pairs:
        index.add(-1, -1, key(*pair.a), at=now)
        found = index.find(key(*pair.b), now=now)
        index.remove(-1)
        merged[(pair.kind.startswith("xl-"), pair.same)].append(found == -1)

    def share(group: tuple[bool, bool]) -> float:
        return sum(merged[group]) / len(merged[group])

    return PairScore(
        share((True, True)), share((True, False)), share((False, True)), share((False, False))
    )


def _print_quality(stream: list[Item], uci: list[Item], pairs: list[Pair]) -> None:
    """One line per method and threshold: the stream, the aggregator headlines, the pairs."""
    print(
        "method        thr  | lead stream: alerts/story median worst wrong | "
        "UCI headlines: alerts/story wrong | "
        "pairs merged: DE-EN same, DE-EN diff, mono same, mono diff"
    )
    methods: list[tuple[str, KeyFunction, Sequence[float]]] = [
        ("tokens", _tokens_key, (0.25, 0.3, 0.35, 0.375, 0.4, 0.45)),
        ("tokens-nolang", _blind_key, (0.375,)),
        ("tokens-title", _title_key, (0.375,)),
        ("char4-tfidf", _char_key, (0.3, 0.375)),
    ]
    simhash_stream = _score_stream(stream, _assign_simhash(stream))
    simhash_uci = _score_stream(uci, _assign_simhash(uci))
    _print_row("simhash(old)", float(THRESHOLD), simhash_stream, simhash_uci, None)
    for name, key, thresholds in methods:
        for threshold in thresholds:
            on_stream = _score_stream(stream, _assign_index(stream, key, threshold))
            on_uci = _score_stream(uci, _assign_index(uci, key, threshold))
            on_pairs = _score_pairs(pairs, stream, key, threshold)
            _print_row(name, threshold, on_stream, on_uci, on_pairs)


def _print_row(
    name: str, threshold: float, stream: StreamScore, uci: StreamScore, pairs: PairScore | None
) -> None:
    """One formatted line of the quality table."""
    pair_text = (
        "           -"
        if pairs is None
        else f"{pairs.crosslang_same:6.0%} {pairs.crosslang_different:6.1%} "
        f"{pairs.mono_same:6.0%} {pairs.mono_different:6.1%}"
    )
    print(
        f"{name:13s} {threshold:5.3f} | {stream.alerts_per_story:6.2f} "
        f"{stream.median_alerts:4.1f} {stream.worst_alerts:4d} {stream.wrong:6.1%} | "
        f"{uci.alerts_per_story:6.1f} {uci.wrong:6.1%} | {pair_text}"
    )


def _synthetic_keys(items: Sequence[Item], count: int) -> list[StoryKey]:
    """`count` distinct keys: real item keys, each with two rare made-up names added."""
    rng = random.Random(0)
    base = [_tokens_key(item.title, item.teaser, item.language) for item in items]
    keys = []
    for number in range(count):
        key = base[number % len(base)]
        names = {f"name{rng.randrange(count)}", f"code{number}"}
        title = tuple(sorted(set(key.title) | names))
        keys.append(StoryKey(title, key.teaser, key.fingerprint ^ number, key.language))
    return keys


def _print_cost(items: Sequence[Item]) -> None:
    """Time per `find` with SCALE stories held, against the old linear SimHash scan."""
    now = datetime(2026, 2, 18, tzinfo=UTC)
    tracemalloc.start()
    # Keys from their stored text, as the bot rebuilds its index at start.
    keys = [StoryKey.loads(key.dumps()) for key in _synthetic_keys(items, SCALE)]
    index = StoryIndex(window=WINDOW)
    for number, key in enumerate(keys):
        index.add(number, number, key, at=now)
    memory = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    probes = [_tokens_key(item.title, item.teaser, item.language) for item in items[:PROBES]]
    started = time.perf_counter()
    for probe in probes:
        index.find(probe, now=now)
    per_find = (time.perf_counter() - started) / len(probes)
    scored = index.scored / len(probes)
    fingerprints = [key.fingerprint for key in keys]
    mask = (1 << 64) - 1
    rounds = 20
    started = time.perf_counter()
    for probe in probes[:rounds]:
        value = probe.fingerprint
        # A new story (the usual case) is compared with every stored one.
        sum(((f ^ value) & mask).bit_count() <= THRESHOLD for f in fingerprints)
    per_scan = (time.perf_counter() - started) / rounds
    print(
        f"find with {len(index):,} stories: {per_find * 1000:.3f} ms per item "
        f"({scored:.0f} candidates scored); old linear SimHash scan: {per_scan * 1000:.1f} ms "
        f"per item; ratio {per_scan / per_find:,.0f}x"
    )
    print(f"index memory with its keys, {len(index):,} one-item stories: {memory / 2**20:.0f} MB")


def run_cost() -> None:
    """Only the cost part (quick check while tuning)."""
    _print_cost(_stream() + _uci())


def run() -> None:
    """Quality table per method and threshold, then the cost at 100,000 stories."""
    stream = _stream()
    uci = _uci()
    pairs = _pairs()
    stories = len({item.story for item in stream})
    print(
        f"lead stream: {len(stream)} items, {stories} stories; UCI: {len(uci)} headlines, "
        f"{len({item.story for item in uci})} stories; pairs: {len(pairs)}"
    )
    _print_quality(stream, uci, pairs)
    _print_cost(stream + uci)

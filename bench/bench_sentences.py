"""Sentence splitters (syntok, our repaired syntok, pysbd) and the language detector, measured.

Prints: accuracy on the tricky-case table, sentences/s on real German and English
text, time on pathological inputs (each run in a child process with a deadline,
so a catastrophic regex cannot hang the bench), and LanguageDetector build time
and detections/s.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "condense"
GOLDEN = ROOT / "bench" / "data" / "sentences" / "golden_rules.json"
# Read when present (the shared workspace); the bench still runs on the fixtures alone.
FEEDS = Path("/work/shared/corpora/feeds")
FEED_FILES = {
    "de": ["de/heise-atom-2019-04-05.xml", "de/golem-rss2-iso8859-1-2018-10-28.xml"],
    "en": ["en/lifehacker-rss-2025-07-01.xml", "en/theverge-atom-2025-07-01.xml"],
}
DEADLINE_S = 5.0
SPLITTERS = ("syntok", "newsbot", "pysbd")

PATHOLOGICAL: dict[str, Callable[[], str]] = {
    "100 KB without punctuation": lambda: "wort " * 20_000,
    "100 KB of dots": lambda: "." * 100_000,
    "100 KB of '1.'": lambda: "1." * 50_000,
    "'z. B. ' x 15,000": lambda: "z. B. " * 15_000,
    "pysbd #79, 8 numbers": lambda: "..[" + " ".join(["111"] * 8) + "]",
    "pysbd #79, 12 numbers": lambda: "..[" + " ".join(["111"] * 12) + "]",
    "pysbd #79, 5,000 numbers": lambda: "..[" + " ".join(["111"] * 5_000) + "]",
}

Splitter = Callable[[str, str], list[str]]


def _splitter(name: str) -> Splitter:
    """Return a `(text, language) -> sentences` function for one splitter."""
    from bot.condense.sentences import _split, syntok_sentences

    if name == "syntok":
        return lambda text, _lang: [" ".join(s.split()) for s in syntok_sentences(text)]
    if name == "newsbot":
        # The uncached splitter: `split_sentences` remembers texts, which would time the cache.
        return _split
    import pysbd

    segmenters = {lang: pysbd.Segmenter(language=lang, clean=False) for lang in ("de", "en")}
    return lambda text, lang: [
        " ".join(s.split()) for s in segmenters[lang].segment(text) if s.strip()
    ]


def _strip_tags(markup: str) -> str:
    """Turn feed HTML into plain paragraphs, good enough for timing."""
    text = re.sub(r"</p>|<br\s*/?>", "\n\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _feed_texts(language: str) -> Iterator[str]:
    """Yield title and body texts of the shared feeds, if the workspace has them."""
    import feedparser

    for name in FEED_FILES[language]:
        path = FEEDS / name
        if not path.exists():
            continue
        for entry in feedparser.parse(path.read_bytes()).entries:
            yield html.unescape(entry.get("title", ""))
            contents = entry.get("content") or [{"value": entry.get("summary", "")}]
            yield _strip_tags(contents[0].get("value", ""))


def _real_texts() -> dict[str, list[str]]:
    """German and English real text: the fixture articles plus feed texts."""
    texts = {
        "de": [(FIXTURES / "xiaomi-12s-ultra-de.txt").read_text("utf-8")],
        "en": [(FIXTURES / "theverge-google-keep-apple-watch-en.txt").read_text("utf-8")],
    }
    for language, found in texts.items():
        found.extend(t for t in _feed_texts(language) if t.strip())
    return texts


def _fold(sentences: list[str]) -> list[str]:
    return [" ".join(s.split()) for s in sentences if s.strip()]


def _accuracy() -> None:
    """Print how many tricky cases and pySBD golden rules each splitter gets exactly right."""
    cases: list[dict[str, Any]] = json.loads((FIXTURES / "sentence_cases.json").read_text("utf-8"))
    golden: dict[str, list[dict[str, Any]]] = json.loads(GOLDEN.read_text("utf-8"))
    for name in SPLITTERS:
        split = _splitter(name)
        right = sum(split(c["text"], c["language"]) == c["expected"] for c in cases)
        rules = {
            lang: sum(_fold(split(c["text"], lang)) == _fold(c["expected"]) for c in table)
            for lang, table in golden.items()
        }
        print(
            f"  accuracy {name:8s} {right}/{len(cases)} tricky cases;"
            f" pySBD golden rules en {rules['en']}/{len(golden['en'])},"
            f" de {rules['de']}/{len(golden['de'])}"
        )


def _throughput(texts: dict[str, list[str]]) -> None:
    """Print sentences per second of each splitter on the real texts."""
    chars = sum(len(t) for group in texts.values() for t in group)
    print(f"  real text: {sum(map(len, texts.values()))} texts, {chars / 1000:.0f} K chars")
    rates: dict[str, float] = {}
    for name in SPLITTERS:
        split = _splitter(name)
        count, rounds, started = 0, 0, time.perf_counter()
        while rounds == 0 or time.perf_counter() - started < 1.0:
            count += sum(len(split(t, lang)) for lang, group in texts.items() for t in group)
            rounds += 1
        elapsed = time.perf_counter() - started
        rates[name] = count / elapsed
        print(
            f"  speed    {name:8s} {count / elapsed:9,.0f} sentences/s ({count // rounds} per pass)"
        )
    print(
        f"  speed ratio: newsbot {rates['newsbot'] / rates['pysbd']:.1f}x pysbd,"
        f" {rates['newsbot'] / rates['syntok']:.2f}x bare syntok"
    )


def _child(splitter: str, case: str) -> None:
    """Child-process entry: split one pathological input and print the seconds it took."""
    split = _splitter(splitter)
    text = PATHOLOGICAL[case]()
    started = time.perf_counter()
    split(text, "de")
    print(f"{time.perf_counter() - started:.3f}")


def _pathological() -> None:
    """Print each splitter's time on each pathological input, or `> deadline` if it hangs."""
    for case in PATHOLOGICAL:
        cells = []
        for splitter in SPLITTERS:
            code = f"from bench.bench_sentences import _child; _child({splitter!r}, {case!r})"
            try:
                done = subprocess.run(
                    [sys.executable, "-c", code],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=DEADLINE_S,
                    check=True,
                )
                cells.append(f"{splitter} {float(done.stdout):.3f} s")
            except subprocess.TimeoutExpired:
                cells.append(f"{splitter} > {DEADLINE_S:.0f} s")
            except subprocess.CalledProcessError as exc:
                cells.append(f"{splitter} error: {exc.stderr.strip().splitlines()[-1]}")
        print(f"  {case:28s} " + " | ".join(cells))


def _language(texts: dict[str, list[str]]) -> None:
    """Print detector build time, detections/s, and condense time per article."""
    from bot.condense import Condenser, LanguageDetector

    started = time.perf_counter()
    detector = LanguageDetector()
    print(f"  LanguageDetector() built in {time.perf_counter() - started:.2f} s")
    samples = [t for group in texts.values() for t in group]
    started = time.perf_counter()
    for text in samples:
        detector.detect(text)
    elapsed = time.perf_counter() - started
    print(
        f"  detect: {len(samples) / elapsed:,.0f} texts/s over {len(samples)} texts (<=1,000 chars)"
    )
    article = texts["de"][0]
    title, _, body = article.partition("\n")
    rounds, started = 0, time.perf_counter()
    while rounds == 0 or time.perf_counter() - started < 1.0:
        # A new article each time: condensing remembers what it has seen.
        Condenser(detector).condense(
            title=title, text=f"{body}\n{rounds}", keywords=["Xiaomi"], hint="de"
        )
        rounds += 1
    per_call = (time.perf_counter() - started) / rounds * 1000
    print(f"  Condenser.condense on the German article (first time): {per_call:.2f} ms")


def run() -> None:
    """Print every figure of this benchmark."""
    texts = _real_texts()
    _accuracy()
    _throughput(texts)
    print(f"  pathological inputs (each in a child process, deadline {DEADLINE_S:.0f} s):")
    _pathological()
    _language(texts)


if __name__ == "__main__":
    run()

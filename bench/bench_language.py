"""Language of bare headlines: accuracy with and without the feed's hint, time, memory.

Data: `bench/data/language/headlines.tsv`, 974 distinct headlines of the German and
English feeds in the shared corpus, labelled with the feed's language (see the
PROVENANCE note beside it). Each detector is built in its own child process, so its
resident memory (VmRSS after building minus before) is its own.

- `before`: German, English, French, Spanish, Italian, Dutch, Portuguese and Polish in
  low-accuracy mode, where a guess at 0.6 confidence beat the hint whatever the length
  (newsbot until this benchmark).
- `newsbot`: `LanguageDetector()`: German and English, low accuracy, and the
  short-text rule of `choose_language`.
- `high`: the same with lingua's high-accuracy models.

"Wrong hint" declares the other language: how often a confident detector still gets
it right (a German feed carrying an English story). Accuracy counts "no answer"
(None) as wrong.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADLINES = ROOT / "bench" / "data" / "language" / "headlines.tsv"
OLD_LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pt", "pl")
CONFIGS = ("before", "newsbot", "high")


def _rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _headlines() -> list[tuple[str, str]]:
    """(language, headline) pairs."""
    with HEADLINES.open(encoding="utf-8", newline="") as handle:
        return [(row["language"], row["title"]) for row in csv.DictReader(handle, delimiter="\t")]


def _old_rule(
    detected: str | None, confidence: float, letters: int, hint: str | None
) -> str | None:
    """The decision before this benchmark: 0.6 beats the hint at any length."""
    if letters < 20:
        return hint
    if hint and (detected is None or confidence < 0.6):
        return hint
    if detected is None or confidence < 0.3:
        return None
    return detected


def _child(config: str) -> None:
    """Child-process entry: build one detector, judge every headline, print JSON figures."""
    from bot.condense.language import LanguageDetector

    rows = _headlines()
    before = _rss_mb()
    started = time.perf_counter()
    if config == "before":
        detector = LanguageDetector(OLD_LANGUAGES)
    else:
        detector = LanguageDetector(high_accuracy=config == "high")
    built = time.perf_counter() - started
    rss = _rss_mb() - before
    other = {"de": "en", "en": "de"}

    def judge(text: str, hint: str | None) -> str | None:
        if config != "before":
            return detector.detect(text, hint=hint)
        code, confidence = detector.confidence(text)
        return _old_rule(code, confidence, sum(ch.isalpha() for ch in text), hint)

    started = time.perf_counter()
    plain = [judge(text, None) for _, text in rows]
    elapsed = time.perf_counter() - started
    right = [judge(text, label) for label, text in rows]
    wrong = [judge(text, other[label]) for label, text in rows]
    labels = [label for label, _ in rows]

    def share(found: list[str | None]) -> float:
        return sum(a == b for a, b in zip(found, labels, strict=True)) / len(labels)

    figures = {
        "rss": rss,
        "build": built,
        "per": elapsed / len(rows) * 1000,
        "plain": share(plain),
        "right": share(right),
        "wrong": share(wrong),
        "count": len(rows),
    }
    print(json.dumps(figures))


def run() -> None:
    """Print every figure of this benchmark."""
    print("  detector   RSS      build    no hint  right hint  wrong hint  per headline")
    for config in CONFIGS:
        code = f"from bench.bench_language import _child; _child({config!r})"
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        f = json.loads(done.stdout)
        print(
            f"  {config:9s} {f['rss']:5.0f} MB {f['build']:6.2f} s  {f['plain']:7.1%}"
            f"  {f['right']:9.1%}  {f['wrong']:9.1%}   {f['per']:.3f} ms"
        )
    print(f"  ({f['count']} headlines; goals: >= 99% with the right hint, >= 97% without)")


if __name__ == "__main__":
    run()

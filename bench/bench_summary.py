"""Extractive summaries against public reference summaries: newsbot vs lead vs TextRank.

Data (see `bench/data/summary/PROVENANCE.md`): 500 BBC News articles with extractive
reference summaries (English) and 272 German Wikipedia articles whose reference is the
opening paragraph of the Klexikon article on the same subject (German). Every system
gets the same budget as an alert: at most 400 characters and 3 sentences, cut from the
same sentence splitter, in article order.

- `newsbot`: `bot.condense.summarize` (no keywords: the generic summary).
- `newsbot+kw`: the same, with the article's most frequent title word as the keyword,
  the way an alert is condensed around its matched word.
- `lead`: the first sentences that fit.
- `textrank`: Mihalcea and Tarau's TextRank (2004): a graph of sentences weighted by
  word overlap normalised by log length, PageRank with damping 0.85, then the best-ranked
  sentences that fit.

ROUGE-1/2/L F1 from `rouge-score` with a German-safe tokenizer (case and accents folded,
umlauts kept as letters; rouge-score's own tokenizer drops every non-ASCII letter).
Also printed: time per article, and how often a summary leaves a quotation half open.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.condense.sentences import _split_cached, split_sentences
from bot.condense.summary import _candidates, half_open_quote, shorten, summarize, word_keys
from bot.matching.normalize import fold

DATA = Path(__file__).resolve().parent / "data" / "summary"
SETS = {"en": "bbc_en.jsonl", "de": "klexikon_de.jsonl"}
MAX_CHARS = 400
MAX_SENTENCES = 3
DAMPING = 0.85
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Article:
    """One benchmark article with its reference summary."""

    title: str
    text: str
    reference: str
    language: str


class _FoldingTokenizer:
    """rouge-score tokenizer: folded `\\w+` words, so `Müller` and `muller` are one token."""

    def tokenize(self, text: str) -> list[str]:
        return _WORD.findall(fold(text))


def load(language: str) -> list[Article]:
    """The benchmark articles of one language."""
    rows = (DATA / SETS[language]).read_text("utf-8").splitlines()
    return [Article(r["title"], r["text"], r["summary"], language) for r in map(json.loads, rows)]


def _fit(sentences: Sequence[str], order: Sequence[int]) -> str:
    """Take sentences in `order` while they fit the budget, then join them in article order."""
    chosen: list[int] = []
    used = 0
    for index in order:
        needed = len(sentences[index]) + (1 if chosen else 0)
        if used + needed <= MAX_CHARS:
            chosen.append(index)
            used += needed
        elif not chosen:
            return shorten(sentences[index], MAX_CHARS)
        if len(chosen) == MAX_SENTENCES:
            break
    return " ".join(sentences[i] for i in sorted(chosen))


def lead(article: Article) -> str:
    """The first sentences that fit."""
    sentences = split_sentences(article.text, article.language)
    return _fit(sentences, range(len(sentences)))


def textrank_scores(sentences: Sequence[str]) -> list[float]:
    """PageRank over the sentence graph of Mihalcea and Tarau (2004)."""
    words = [set(word_keys(s)) for s in sentences]
    size = len(sentences)
    weights = [[0.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            if len(words[i]) > 1 and len(words[j]) > 1:
                common = len(words[i] & words[j])
                norm = math.log(len(words[i])) + math.log(len(words[j]))
                weights[i][j] = weights[j][i] = common / norm if norm else 0.0
    totals = [sum(row) or 1.0 for row in weights]
    scores = [1.0] * size
    for _ in range(30):
        scores = [
            (1 - DAMPING)
            + DAMPING * sum(weights[j][i] / totals[j] * scores[j] for j in range(size))
            for i in range(size)
        ]
    return scores


def textrank(article: Article) -> str:
    """The best-ranked sentences that fit."""
    sentences = split_sentences(article.text, article.language)
    scores = textrank_scores(sentences)
    return _fit(sentences, sorted(range(len(sentences)), key=lambda i: (-scores[i], i)))


def newsbot(article: Article) -> str:
    """newsbot's summary without keywords."""
    return summarize(article.text, title=article.title, language=article.language)


def title_keyword(article: Article) -> str:
    """The title word (4+ letters) the text names most often: a stand-in for a matched word."""
    text_keys = word_keys(article.text)
    candidates = [w for w in article.title.split() if len(w) >= 4 and w[:1].isupper()]
    return max(candidates, key=lambda w: text_keys.count(fold(w).strip(".,:;!?")), default="")


def newsbot_keyword(article: Article) -> str:
    """newsbot's summary around one keyword, as an alert is condensed."""
    keyword = title_keyword(article)
    return summarize(
        article.text,
        title=article.title,
        keywords=[keyword] if keyword else [],
        language=article.language,
    )


SYSTEMS: dict[str, Callable[[Article], str]] = {
    "lead": lead,
    "textrank": textrank,
    "newsbot": newsbot,
    "newsbot+kw": newsbot_keyword,
}


def _score(articles: Sequence[Article], system: Callable[[Article], str]) -> tuple[str, ...]:
    """ROUGE-1/2/L F1 (x100), ms per article and the share of half-open quotations."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=_FoldingTokenizer())
    # Every system starts cold: splitting and candidates are remembered per text.
    _split_cached.cache_clear()
    _candidates.cache_clear()
    started = time.perf_counter()
    summaries = [system(a) for a in articles]
    elapsed = time.perf_counter() - started
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    for article, summary in zip(articles, summaries, strict=True):
        for name, value in scorer.score(article.reference, summary).items():
            totals[name] += value.fmeasure
    means = [100 * totals[name] / len(articles) for name in ("rouge1", "rouge2", "rougeL")]
    quotes = sum(half_open_quote(s) for s in summaries) / len(articles)
    return (
        *(f"{m:5.1f}" for m in means),
        f"{elapsed / len(articles) * 1000:6.2f} ms",
        f"{quotes:5.1%}",
    )


def run() -> None:
    """Print every figure of this benchmark."""
    for language in SETS:
        articles = load(language)
        print(f"  {language}: {len(articles)} articles ({SETS[language]}), budget {MAX_CHARS}")
        print("    system        R-1   R-2   R-L   per article  half-open quotes")
        for name, system in SYSTEMS.items():
            r1, r2, rl, ms, quotes = _score(articles, system)
            print(f"    {name:11s} {r1} {r2} {rl}  {ms}   {quotes}")


if __name__ == "__main__":
    run()

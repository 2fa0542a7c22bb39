"""Extractive summary: pick the 1-3 sentences that best tell what an article says about a keyword.

Ranking: sentences naming a keyword come first; within each group a score of
lead position (news puts the gist first), centrality (words shared with the
rest of the article) and overlap with the title decides. The chosen sentences
are joined in article order. Everything is deterministic: ties go to the
earlier sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.condense.errors import InvalidLimitError
from bot.condense.sentences import split_sentences
from bot.matching.normalize import fold

__all__ = ["is_boilerplate", "is_fragment", "names_keyword", "shorten", "summarize", "word_keys"]

ELLIPSIS: Final = "…"


def _wordset(words: str) -> frozenset[str]:
    """Build a word set from a space-separated literal (long lists stay readable)."""
    return frozenset(words.split())


_TOKEN = re.compile(r"\d+|[^\W\d_]+")
# German `ue`/`oe`/`ae` spellings fold onto the umlaut's base letter on both sides.
_SPELLING = re.compile(r"(?<=[aou])e")
# Endings that still name the same word: Xiaomis, Apples, Samsungs, Lenovos.
_INFLECTIONS: Final = frozenset({"s", "es", "n", "en", "e", "er", "ern"})
_STOPWORDS: Final = _wordset(
    "aber alle also auch auf aus bei beim bereits dabei damit dann dass dem den der des die"
    " dies diese dieser dieses doch durch eine einem einen einer eines etwa fur gegen hatte"
    " hier ihre immer jedoch kann keine mehr nach nicht noch nun oder ohne schon sehr sein"
    " seine sich sind soll uber und unter vom von vor wann war waren was weil wenn werden"
    " wie wieder wird wurde wurden zum zur zwischen"
    " about after also been before being both could does from have into just more most"
    " only other over said says such than that their them then there these they this those"
    " very were what when where which while will with would your"
)
_BOILERPLATE = re.compile(
    r"""
    ^(?:read\ more|continue\ reading|weiterlesen|mehr\ lesen|mehr\ zum\ thema
        |lesen\ sie\ (?:auch|mehr)|see\ also|siehe\ auch|related\ articles?)\b
    | ^(?:bild(?:er)?|fotos?|images?|photos?|picture|grafik|illustration|screenshot|video
        |quellen?|sources?|credits?|via|anzeige|werbung|advertisement|sponsored)\s*:
    | ^(?:photo|image|illustration|video|picture)\s+(?:by|courtesy|credit)\b
    | \bappeared\ first\ on\b
    | \[\s*(?:\.\.\.|…)\s*\]$
    | \b(?:all\ rights\ reserved|alle\ rechte\ vorbehalten)\b
    | ^(?:©|\(c\)|copyright\b)
    | ^\([^()]*\)$
    """,
    re.VERBOSE,
)
# Characters not worth keeping right before the `…` of a shortened sentence.
_TRAILING: Final = " ,;:-–—(\"„“”'»«"
_TITLE_SEPARATORS: Final = " :–—-|·."
_MIN_TITLE_PREFIX = 4
# Fewer words than this and no closing punctuation: a subhead or tag line, not a sentence.
_MIN_FRAGMENT_WORDS = 4
_TERMINATED = re.compile(r"[.!?…][\"'“”’»«)]*$")
_NEAR_DUPLICATE = 0.8


def _key(token: str) -> str:
    """Fold one token so case, accents and umlaut spellings compare equal."""
    return _SPELLING.sub("", fold(token))


def word_keys(text: str) -> list[str]:
    """Split `text` into folded word keys; digit/letter runs split (`12S` -> `12`, `s`)."""
    return [_key(match.group()) for match in _TOKEN.finditer(text)]


def _same_word(text_key: str, wanted: str, *, prefix: bool) -> bool:
    """Tell whether a text word is the wanted word, inflected or (for `x*`) extended."""
    if text_key == wanted or (prefix and text_key.startswith(wanted)):
        return True
    short, long = sorted((text_key, wanted), key=len)
    return len(short) >= 3 and long.startswith(short) and long[len(short) :] in _INFLECTIONS


def names_keyword(keys: Sequence[str], keyword: str) -> bool:
    """Tell whether word keys contain `keyword` as consecutive words (last may be inflected)."""
    prefix = keyword.rstrip().endswith("*")
    wanted = word_keys(keyword)
    if not wanted:
        return False
    head, last, size = wanted[:-1], wanted[-1], len(wanted)
    for start in range(len(keys) - size + 1):
        if list(keys[start : start + size - 1]) == head and _same_word(
            keys[start + size - 1], last, prefix=prefix
        ):
            return True
    return False


def is_boilerplate(sentence: str) -> bool:
    """Tell whether a sentence is feed or page furniture rather than news."""
    return _BOILERPLATE.search(" ".join(fold(sentence).split())) is not None


def shorten(text: str, max_chars: int) -> str:
    """Cut `text` to at most `max_chars` chars at a word boundary, ending with `…`."""
    if len(text) <= max_chars:
        return text
    budget = max_chars - len(ELLIPSIS)
    if budget <= 0:
        return ELLIPSIS[:max_chars]
    space = text.rfind(" ", 0, budget + 1)
    # No whole word fits: a bare `…` is better than half a word (or half a URL).
    cut = text[:space].rstrip(_TRAILING) if space > 0 else ""
    return cut + ELLIPSIS


def _strip_title(sentence: str, title_keys: Sequence[str]) -> str:
    """Remove a leading copy of the title (feeds often glue it to the teaser)."""
    if len(title_keys) < _MIN_TITLE_PREFIX:
        return sentence
    matches = list(_TOKEN.finditer(sentence))
    if len(matches) <= len(title_keys):
        return sentence
    if [_key(m.group()) for m in matches[: len(title_keys)]] != list(title_keys):
        return sentence
    return sentence[matches[len(title_keys) - 1].end() :].lstrip(_TITLE_SEPARATORS)


def is_fragment(sentence: str, keys: Sequence[str]) -> bool:
    """Tell whether a "sentence" is a short unpunctuated line (subhead, tag list, caption)."""
    return len(keys) < _MIN_FRAGMENT_WORDS and _TERMINATED.search(sentence) is None


def is_near_title(keys: Sequence[str], title_keys: Sequence[str]) -> bool:
    """Tell whether a sentence says nothing but the title (same words, +/- a few)."""
    sentence, title = set(keys), set(title_keys)
    if not sentence or not title:
        return False
    common = len(sentence & title)
    return common >= _NEAR_DUPLICATE * len(sentence) and common >= _NEAR_DUPLICATE * len(title)


# Long articles are not split whole: the lead and the paragraphs that name a keyword are
# where summary sentences come from, and sentence splitting is most of the cost.
_LEAD_CHARS: Final = 2_000
_FOCUS_PARAGRAPHS: Final = 12


def focus(text: str, keywords: Sequence[str]) -> str:
    """The part of a long `text` worth splitting: its lead plus paragraphs naming a keyword.

    A cheap superset test (a paragraph contains a keyword's first word, folded and
    without its last letter so inflected forms pass) keeps every paragraph that
    `names_keyword` could accept later.
    """
    if len(text) <= _LEAD_CHARS * 2:
        return text
    stems = {stem for stem in (_stem(keyword) for keyword in keywords) if stem}
    kept: list[str] = []
    lead = 0
    named = 0
    for paragraph in text.split("\n"):
        if lead < _LEAD_CHARS:
            kept.append(paragraph)
            lead += len(paragraph)
        elif named < _FOCUS_PARAGRAPHS and stems and _names_stem(paragraph, stems):
            kept.append(paragraph)
            named += 1
    return "\n".join(kept)


def _stem(keyword: str) -> str:
    keys = word_keys(keyword)
    if not keys:
        return ""
    first = keys[0]
    return first[:-1] if len(first) > 3 else first


def _names_stem(paragraph: str, stems: set[str]) -> bool:
    folded = _SPELLING.sub("", fold(paragraph))
    return any(stem in folded for stem in stems)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One sentence that may go into the summary."""

    position: int
    text: str
    keys: tuple[str, ...]


@lru_cache(maxsize=256)
def _candidates(text: str, title: str, language: str | None) -> tuple[_Candidate, ...]:
    """Split the article and drop the title, duplicates and boilerplate (remembered, since
    an article that matches several subscriptions is condensed once for each)."""
    title_keys = word_keys(title)
    seen: set[tuple[str, ...]] = set()
    found: list[_Candidate] = []
    for sentence in split_sentences(text, language):
        sentence = _strip_title(sentence, title_keys)
        keys = tuple(word_keys(sentence))
        if not keys or keys in seen or is_near_title(keys, title_keys):
            continue
        seen.add(keys)
        if not is_boilerplate(sentence) and not is_fragment(sentence, keys):
            found.append(_Candidate(len(found), sentence, keys))
    return tuple(found)


def _content(keys: Sequence[str]) -> set[str]:
    """Keep the words that carry meaning: long words and numbers, no stopwords."""
    return {k for k in keys if (len(k) >= 4 or k.isdigit()) and k not in _STOPWORDS}


def _scores(candidates: Sequence[_Candidate], title: str) -> list[float]:
    """Score each candidate by lead position, centrality and overlap with the title."""
    contents = [_content(c.keys) for c in candidates]
    frequency = Counter(word for words in contents for word in words)
    central = [sum(frequency[w] - 1 for w in words) / (len(words) + 3) for words in contents]
    top = max(central, default=0.0) or 1.0
    title_words = _content(word_keys(title))
    scores = []
    for candidate, words, centrality in zip(candidates, contents, central, strict=True):
        overlap = len(words & title_words) / max(1, len(title_words))
        score = 1.0 / (1 + candidate.position) + 0.5 * centrality / top + 0.5 * overlap
        # Fragments ("Wait... what?") rarely stand on their own in an alert.
        scores.append(score if len(candidate.keys) >= 4 else score / 2)
    return scores


def summarize(
    text: str,
    *,
    title: str = "",
    keywords: Sequence[str] = (),
    language: str | None = None,
    max_chars: int = 400,
    max_sentences: int = 3,
) -> str:
    """Condense `text` to its most relevant sentences, at most `max_chars` chars."""
    if max_chars < 1 or max_sentences < 1:
        raise InvalidLimitError(f"limits must be >= 1: {max_chars=}, {max_sentences=}")
    candidates = _candidates(focus(text, keywords), title, language)
    if not candidates:
        return ""
    scores = _scores(candidates, title)
    wanted = [k for k in keywords if k.strip()]

    def rank(index: int) -> tuple[bool, float, int]:
        named = any(names_keyword(candidates[index].keys, k) for k in wanted)
        return (not named, -scores[index], index)

    chosen: list[_Candidate] = []
    used = 0
    for index in sorted(range(len(candidates)), key=rank):
        candidate = candidates[index]
        needed = len(candidate.text) + (1 if chosen else 0)
        if used + needed <= max_chars:
            chosen.append(candidate)
            used += needed
        elif not chosen:
            return shorten(candidate.text, max_chars)
        if len(chosen) == max_sentences:
            break
    return " ".join(c.text for c in sorted(chosen, key=lambda c: c.position))

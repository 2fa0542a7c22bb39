"""Sentence splitting for German and English news text: syntok plus a few repairs.

Why syntok and not pysbd (figures from `python -m bench sentences`, this machine):
- Hangs: pysbd's numbered-reference regex backtracks catastrophically (pySBD
  issues #58, #79): `"..[" + "111 " * 8 + "]"` takes 2.5 s, 12 numbers more than
  5 s (the bench's deadline); syntok does the same pattern with 5,000 numbers in
  0.02 s. syntok is a linear state machine over tokens: on 100 KB without
  punctuation, 100 KB of dots, of `1.` and 90 KB of `z. B. ` it needs at most
  0.28 s (this module, with its input cap: at most 0.09 s).
- Accuracy on pySBD's own golden rules (`bench/data/sentences/golden_rules.json`):
  raw syntok 34/48 English and 24/30 German, pysbd 47/48 and 30/30, this module
  48/48 and 30/30 (the repairs below were written against those tables, so that
  is a regression guard, not an unbiased score); on our 30 tricky German/English
  news cases (`tests/fixtures/condense/sentence_cases.json`) 30/30.
- Speed on real German and English feed text (a shared, loaded machine): this
  module takes 1.1-1.3x the time of bare syntok (the repairs before them: about
  1.08x) and is about 3x faster than pysbd (the bench prints both ratios).

syntok's known misses, repaired here:
- German ordinals and dates (`am 3. Oktober`, `die 2. Generation`, `im 1. -3.
  Jahrhundert`, `8. 11. 1931`): re-joined when a month or an ordinal noun follows
  or a German article or preposition precedes the number (German or unknown text).
- Abbreviations syntok does not know (`kath.`, `Wien/St. Pölten`, `u. Ä.`, `a. D.`,
  `Hauptstr. 5`, `N°. 1026`): re-joined.
- `... gibt es. Dann ...`: syntok lists `es`, `alt`, `mag` as (Spanish/German)
  abbreviations; we split there when a capital follows (German or unknown text).
- `99 €. Das ...`, `sagte: „Wir kommen.“ Das ...`, `jane@example.com. I ...`,
  `you and I. Did ...`, `wuchs stark. 2020 kam ...`: split there.
- Lists: inline enumerations (`1. a 2. b`, `a) x b) y`, `• 9. x • 10. y`) give
  one unit per item, and a line break after an unpunctuated line (fact boxes,
  bullet lists) ends a unit unless the line ends in an article, preposition or
  conjunction (a hard-wrapped sentence).
- Spaced ellipses (`. . .`) inside a sentence do not end it.

Input is capped at `MAX_CHARS` (cut at a space) so the worst case stays bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import Final

import syntok.segmenter as syntok_segmenter

__all__ = ["MAX_CHARS", "split_sentences", "syntok_sentences"]

MAX_CHARS: Final = 20_000


def _wordset(words: str) -> frozenset[str]:
    """Build a word set from a space-separated literal (long lists stay readable)."""
    return frozenset(words.split())


_MONTHS: Final = _wordset(
    "januar jänner februar märz april mai juni juli august september oktober november dezember"
    " jan feb mär apr jun jul aug sep sept okt nov dez"
)
# Words after which `<number>.` is an ordinal in German (`am 3.`, `die 2.`, `zum 100.`).
_ORDINAL_CUES: Final = _wordset(
    "am an ab bis im vom zum zur beim seit dem den der die das des ein eine einer einem einen"
    " jeden jede jedes jedem dieser diese dieses diesem sein seine seinem seiner ihr ihre"
    " ihrem ihrer zu vor nach für"
)
# Nouns that follow a German ordinal (`im 3. Quartal`, `aus dem 1. -3. Jahrhundert`).
_ORDINAL_NOUNS: Final = _wordset(
    "jahrhundert jahrhunderts jahrtausend quartal quartals halbjahr mal platz rang runde"
    " spieltag liga klasse stock etage generation auflage staffel folge kapitel weltkrieg"
)
# Abbreviations syntok does not know and that rarely end a sentence; compared folded to
# lower case, with the period stripped (`kath.`, `Hauptstr.`, `N°.`).
_ABBREVIATIONS: Final = _wordset(
    "kath evang ev röm str nr no n° tel geb gest verh jh jhd jhdt bzw ca usw vgl ggf inkl"
    " zzgl bzgl evtl sog allg bes bspw ehem hl st abs art bd hrsg lt mind max min rd tsd"
    " mio mrd approx fig vol nos pp"
)
# Applied to the last `_TAIL` chars only, so a huge unpunctuated "sentence" stays cheap.
_TAIL: Final = 64
_ENDS_WITH_ORDINAL = re.compile(r"(?:^|\s)(?:(\S+)\s+)?[-–]?\d{1,3}\.$")
_LAST_WORD = re.compile(r"([^\W\d_][\w°]*)\.$")
_FIRST_WORD = re.compile(r"[^\W\d_]+")
# `u.`, `a. D.`, `u. Ä.`: a lone lower-case letter (and a capital) with periods.
_LETTER_ABBREVIATION = re.compile(r"(?:^|[\s(/])[a-zäöü]\.(?:\s?[A-ZÄÖÜa-zäöü]\.)?$")
# A list marker standing alone: `1.`, `2.)`, `a.`, `• 9.`, `⁃10.`.
_MARKER = r"(?:[•⁃▪‣·*]\s*)?(?:\d{1,2}|[a-z])(?:\.\)|\.|\))"
_MARKER_ONLY = re.compile(_MARKER + "$")
_LIST_START = re.compile(r"\s*(?:[•⁃▪‣·*]\s*)?(\d{1,2}|[a-z])(\.\)|\.|\))\s")
_UPPER_START = r"(?=[\"„“»«‚‘(]?[A-ZÄÖÜ])"
# Always safe: a closing quote right after a terminal, or a terminal glued to a currency sign.
_FORCED_BREAK = re.compile(
    r"(?:(?<=[.!?…][“”\"»«’])|(?<=[€$£¥%]\.)|(?<=[€$£¥%][!?]))\s+" + _UPPER_START
)
# German only: words syntok takes for abbreviations but that mostly end sentences.
_GERMAN_BREAK = re.compile(r"(?:(?<=\bes\.)|(?<=\balt\.)|(?<=\bmag\.))\s+" + _UPPER_START)
# English only: `you and I. Did ...` (a name's initial has a capital before it), `6 P.M. Mr.`.
_ENGLISH_BREAK = re.compile(
    r"(?:(?<=\b[a-z]{2} I\.)|(?<=\b[a-z]{3} I\.)|(?<=\b[AP]\.M\.))\s+" + _UPPER_START
)
# A sentence that starts with a number after a full stop: `wuchs stark. 2020 kam ...`; the
# word before the stop is checked against `_ABBREVIATIONS` (`ca. 500`, `Nr. 5` stay).
# (Sentences are whitespace-folded by then; a literal `. ` lets the regex engine skip ahead.)
_NUMBER_START = re.compile(r"(?<=[^\W\d_]{3})\. (?=\d{1,4} [^\W\d_])")
_SENTENCE_GAP = re.compile(r"\.\s+" + _UPPER_START)
# A single line break after an unpunctuated line ends it when a capital, digit or bullet
# follows (fact boxes, lists); a hard-wrapped line ends in a lower-case word or a comma.
_LINE_BREAK = re.compile(r"\n[ \t]*(?=\S)")
_UNENDED = re.compile(r"[^\s.!?:;,\-–(][ \t]*$")
_BULLETS: Final = frozenset("•⁃▪‣·*–-")
_WRAP_WORDS: Final = _wordset(
    "der die das den dem des ein eine einen einem einer und oder aber mit von zu zur zum im in"
    " am an auf aus bei für nach über unter vor the a an and or of to in on at for with by from"
)
_ALNUM = re.compile(r"[^\W_]")
_SPACED_ELLIPSIS = re.compile(r"(?<!\.)\s\.\s\.\s\.$")
# `No. 5`, `N°. 1026`, `Nr. 5` in any language: a number sign before its number.
_NUMBER_SIGN = re.compile(r"(?:^|\s)(?:[Nn]°|[Nn]o|[Nn]r)\.$")
_WORD_THEN_ELLIPSIS = re.compile(r"(?<=\w\.) \. \. \.$")


def syntok_sentences(text: str) -> Iterator[str]:
    """Yield syntok's sentences as slices of `text` (not yet repaired or folded)."""
    for paragraph in syntok_segmenter.analyze(text):
        for sentence in paragraph:
            if sentence:
                first, last = sentence[0], sentence[-1]
                yield text[first.offset : last.offset + len(last.value)]


def cap(text: str, limit: int = MAX_CHARS) -> str:
    """Cut `text` to at most `limit` chars, at the last whitespace when there is one."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    return text[: cut if cut > 0 else limit]


def is_german_ordinal(previous: str, following: str) -> bool:
    """Tell whether a split between `previous` and `following` broke a German ordinal."""
    tail = previous[-_TAIL:]
    match = _ENDS_WITH_ORDINAL.search(tail)
    if match is None:
        return False
    word_before = (match.group(1) or "").lower()
    first = _FIRST_WORD.match(following)
    next_word = first.group(0).lower() if first else ""
    return (
        next_word in _MONTHS
        or next_word in _ORDINAL_NOUNS
        or word_before in _ORDINAL_CUES
        or previous == match.group(0).strip()
    )


def ends_with_abbreviation(previous: str, following: str) -> bool:
    """Tell whether `previous` ends with an abbreviation rather than a sentence."""
    tail = previous[-_TAIL:]
    if _LETTER_ABBREVIATION.search(tail):
        return True
    match = _LAST_WORD.search(tail)
    if match is None:
        return False
    word = match.group(1).lower()
    if word in _ABBREVIATIONS:
        return True
    # `Hauptstr. 5`, `Berliner Str. 5`: a street name before its house number.
    return word.endswith("str") and following[:1].isdigit()


def _glued(previous: str, following: str) -> bool:
    """Tell whether two pieces belong together whatever the language."""
    if _ALNUM.search(following) is None:
        return True  # `.”` after `. . .`: punctuation left over
    if _MARKER_ONLY.fullmatch(previous):
        return True  # `1.` | `The first item`
    if following[:1].isdigit() and _NUMBER_SIGN.search(previous[-_TAIL:]):
        return True
    return _SPACED_ELLIPSIS.search(previous[-_TAIL:]) is not None and following[:1] != "."


def _german_glued(previous: str, following: str) -> bool:
    """Tell whether two pieces belong together in German (or unknown) text."""
    return is_german_ordinal(previous, following) or ends_with_abbreviation(previous, following)


def _merge(sentences: list[str], glued: Callable[[str, str], bool]) -> list[str]:
    """Re-join neighbouring pieces that `glued` says were split wrongly."""
    merged: list[str] = []
    for sentence in sentences:
        if merged and glued(merged[-1], sentence):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged


def _move_ellipses(sentences: list[str]) -> list[str]:
    """`compounds. . . . The` is a stop, then an ellipsis that opens the next sentence."""
    for index in range(len(sentences) - 1):
        match = _WORD_THEN_ELLIPSIS.search(sentences[index][-_TAIL:])
        if match is not None:
            cut = len(sentences[index]) - len(match.group(0))
            sentences[index + 1] = f". . . {sentences[index + 1]}"
            sentences[index] = sentences[index][:cut]
    return sentences


def _resplit(sentences: list[str], pattern: re.Pattern[str]) -> list[str]:
    """Split each sentence further wherever `pattern` matches."""
    return [part for sentence in sentences for part in pattern.split(sentence) if part]


def _split_at(sentence: str, cuts: list[int]) -> list[str]:
    """Cut `sentence` at the given offsets (each the end of a sentence)."""
    if not cuts:
        return [sentence]
    bounds = [0, *cuts, len(sentence)]
    return [sentence[a:b].strip() for a, b in pairwise(bounds) if a < b]


def _address_cuts(sentence: str) -> list[int]:
    """Offsets after `example.com.` or `jane@example.com.` where a new sentence starts."""
    if "@" not in sentence and "://" not in sentence and "www." not in sentence:
        return []
    cuts = []
    for gap in _SENTENCE_GAP.finditer(sentence):
        token = sentence[sentence.rfind(" ", 0, gap.start()) + 1 : gap.start()]
        if "@" in token or "://" in token or token.startswith("www."):
            cuts.append(gap.start() + 1)
    return cuts


def _number_cuts(sentence: str) -> list[int]:
    """Offsets after `stark.` in `stark. 2020 kam ...`, unless the word is an abbreviation."""
    cuts = []
    for gap in _NUMBER_START.finditer(sentence):
        match = _LAST_WORD.search(sentence[max(0, gap.start() - _TAIL) : gap.start() + 1])
        if match and not ends_with_abbreviation(match.group(0), sentence[gap.end() :]):
            cuts.append(gap.start() + 1)
    return cuts


def _break_lines(text: str) -> str:
    """Turn the line breaks that end unpunctuated lines into paragraph breaks."""

    if "\n" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        following = text[match.end() : match.end() + 2]
        if following[:1] in _BULLETS and following[1:2].isspace():
            return "\n\n"
        if not (following[:1].isdigit() or following[:1].isupper()):
            return match.group(0)
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        if _UNENDED.search(line[-_TAIL:]) is None:
            return match.group(0)
        words = line.split()
        wrapped = bool(words) and words[-1].lower() in _WRAP_WORDS
        return match.group(0) if wrapped else "\n\n"

    return _LINE_BREAK.sub(replace, text)


def _break_lists(text: str) -> str:
    """Put each item of an inline enumeration (`1. a 2. b`, `a) x b) y`) in its own paragraph."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(_list_items(p) for p in paragraphs)


def _list_items(paragraph: str) -> str:
    start = _LIST_START.match(paragraph)
    if start is None:
        return paragraph
    label, closer = start.group(1), start.group(2)
    pieces, position = [], 0
    while True:
        label = str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)
        marker = re.compile(r"\s(?=(?:[•⁃▪‣·*]\s*)?" + re.escape(label + closer) + r"\s)")
        found = marker.search(paragraph, position)
        if found is None:
            break
        pieces.append(paragraph[position : found.start()])
        position = found.end()
    pieces.append(paragraph[position:])
    return "\n\n".join(pieces)


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Split `text` into clean sentences (original wording, whitespace folded)."""
    if not text or text.isspace():
        return []
    return list(_split_cached(text, language))


# An article matching several subscriptions is condensed once per subscription; the
# split is the costly part and depends only on the text, so it is remembered.
@lru_cache(maxsize=512)
def _split_cached(text: str, language: str | None) -> tuple[str, ...]:
    return tuple(_split(text, language))


def _split(text: str, language: str | None) -> list[str]:
    # syntok finds paragraphs at blank lines; only plain \n line ends are handled.
    prepared = _break_lists(_break_lines(cap(text.replace("\r\n", "\n"))))
    raw = [" ".join(s.split()) for s in syntok_sentences(prepared)]
    sentences = _merge([s for s in raw if s], _glued)
    sentences = _resplit(sentences, _FORCED_BREAK)
    sentences = [part for s in sentences for part in _split_at(s, _address_cuts(s))]
    if language in (None, "de"):
        sentences = _merge(_resplit(sentences, _GERMAN_BREAK), _german_glued)
    if language in (None, "en"):
        sentences = [
            part
            for s in sentences
            for part in ([s] if " I." not in s and ".M." not in s else _ENGLISH_BREAK.split(s))
            if part
        ]
    sentences = [part for s in sentences for part in _split_at(s, _number_cuts(s))]
    return _move_ellipses(sentences)

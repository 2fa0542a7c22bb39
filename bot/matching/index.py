"""One compiled index over every active query: one tokenisation and one automaton pass per article.

How an article is matched:

1. Title and text are split into words and folded once (see `normalize`) and
   joined as `" <title words> \\n <text words> "`: one space between words,
   so every word is delimited by spaces and no phrase can cross from title
   to text.
2. One Aho-Corasick automaton holds every term of every query as
   space-delimited patterns: `" xiaomi "` (whole word), `" lei jun "`
   (phrase), `" redmi"` (prefix, no closing space). Whole-word, phrase and
   prefix semantics therefore come from the patterns themselves, and one pass
   over the article yields the ids of all terms that occur.
3. Only queries that use a term that occurred (plus the few queries that can
   hold without any term, such as `lang:de -samsung`) are evaluated, as
   compiled closures over the set of term ids found.

Inflection is a set of extra patterns per term, on its last word, when that
word is all letters: always `-s` and `-'s` (`Xiaomis`, `Apple's`, `Apple’s`,
`Apples`); `-es` after `s`, `x`, `z`, `ch`, `sh` (`Lexuses`); and, for words
of at least six letters only, the German endings `-e`, `-en`, `-er`, `-ern`,
and `-n` after `e`, `el`, `er` (`Porschen`, `Samsungern` is harmless).
The length limit keeps short words apart: `bayer` never matches `Bayern`,
`tim` never `time`, `meta` only `Metas`/`Meta's` and never `Metadaten`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import ahocorasick

from bot.matching.normalize import WORD_RE, canonical, fold_joined, nfc
from bot.matching.query import (
    AndNode,
    LangNode,
    Node,
    NotNode,
    OrNode,
    Query,
    SiteNode,
    Term,
    TermNode,
    needs_term_hit,
    parse_query,
    to_ascii_host,
)

K = TypeVar("K", bound=Hashable)

_GERMAN_MIN_LENGTH = 6


@dataclass(frozen=True, slots=True)
class MatchInput:
    """What the matcher looks at: title, body text (summary and/or full text), link, language."""

    title: str
    text: str
    link: str = ""
    language: str | None = None
    # Finds the language when a `lang:` filter is about to be judged; called at most once,
    # so detection is paid only for articles whose other terms already matched.
    detect_language: Callable[[], str | None] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Match(Generic[K]):
    """A query that matched, with the matched words as they appear in the article."""

    key: K
    matched: tuple[str, ...]


def inflections(word: str) -> list[str]:
    """The forms of a folded last word that still count as that word (see module docstring)."""
    forms = [word]
    if len(word) < 2 or not word.isalpha():
        return forms
    forms += [word + "s", word + "'s"]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    if len(word) >= _GERMAN_MIN_LENGTH:
        forms += [word + "e", word + "en", word + "er", word + "ern"]
        if word.endswith(("e", "el", "er")):
            forms.append(word + "n")
    return forms


def term_patterns(term: Term) -> set[str]:
    """The space-delimited automaton patterns of one term."""
    head = " " + "".join(w + " " for w in term.words[:-1])
    last = term.words[-1]
    if not term.prefix:
        return {canonical(head + form + " ") for form in inflections(last)}
    patterns = {canonical(head + last)}
    # A prefix does not know the letter after it, which decides the umlaut
    # collapse: also try it as if a consonant followed (`mues*` -> `mus*`,
    # matching `Muesli` -> `musli`). A prefix ending in the pair itself is left
    # alone, since `mue*` -> `mu*` would match every `mu...` word.
    if not last.endswith(("ae", "oe", "ue")):
        patterns.add(canonical(head + last + "x")[:-1])
    return patterns


def base_pattern(term: Term) -> str:
    """The pattern of the term as written in the query (no inflection, no umlaut variant)."""
    pattern = " " + " ".join(term.words) + ("" if term.prefix else " ")
    return canonical(pattern)


@dataclass(slots=True)
class _Doc:
    """One article as the compiled queries see it."""

    terms: set[int]
    title_terms: set[int]
    declared_language: str | None
    link: str
    detect_language: Callable[[], str | None] | None = None
    _host: str | None = None
    _language: str | None = None
    _language_known: bool = False

    @property
    def language(self) -> str | None:
        """The article's language: detected on first use if the caller can, else declared."""
        if not self._language_known:
            found = self.detect_language() if self.detect_language else None
            self._language = _primary_language(found) or self.declared_language
            self._language_known = True
        return self._language

    @property
    def host(self) -> str:
        """The link's ASCII host name, computed on first use."""
        if self._host is None:
            try:
                self._host = to_ascii_host(urlsplit(self.link).hostname or "")
            except (ValueError, UnicodeError):
                self._host = ""
        return self._host


_Check = Callable[[_Doc], bool]


@dataclass(frozen=True, slots=True)
class _Slot(Generic[K]):
    """One query compiled against the index's term ids."""

    key: K
    check: _Check
    anywhere: frozenset[int]  # term ids whose hits anywhere are matched words
    title_only: frozenset[int]  # intitle: term ids: only their title hits count


@dataclass(frozen=True, slots=True)
class _Compiled(Generic[K]):
    """A snapshot of the index, rebuilt lazily after changes."""

    automaton: Any  # ahocorasick.Automaton (untyped), None when there are no patterns
    slots: tuple[_Slot[K], ...]
    term_slots: tuple[tuple[int, ...], ...]  # term id -> slot indices using it
    always: tuple[int, ...]  # slots that may hold without any term hit


@dataclass(slots=True)
class _Field:
    """A field's words, lazily mapped from joined-string offsets back to the original text."""

    text: str
    keys: str
    _starts: list[int] | None = None
    _spans: list[tuple[int, int]] | None = None

    def surface(self, offset: int, count: int) -> str:
        """The original text of `count` words, the first starting at key offset `offset`."""
        if self._starts is None:
            self._starts = [0, *accumulate(len(key) + 1 for key in self.keys.split(" "))]
            self._spans = [m.span() for m in WORD_RE.finditer(self.text)]
        assert self._spans is not None
        first = bisect_right(self._starts, offset) - 1
        return self.text[self._spans[first][0] : self._spans[first + count - 1][1]]


@dataclass(slots=True)
class _Builder:
    """Collects term ids and patterns while queries are compiled."""

    term_ids: dict[Term, int] = field(default_factory=dict)
    term_slots: list[list[int]] = field(default_factory=list)

    def term_id(self, term: Term, slot: int) -> int:
        """The id of `term`, registering `slot` as one of its users."""
        tid = self.term_ids.setdefault(term, len(self.term_ids))
        if tid == len(self.term_slots):
            self.term_slots.append([])
        if not self.term_slots[tid] or self.term_slots[tid][-1] != slot:
            self.term_slots[tid].append(slot)
        return tid

    def automaton(self) -> Any:
        """An automaton mapping each pattern to (length, word count, term ids, base-form ids).

        The base-form ids are the terms for which the pattern is the term itself, not an
        inflection: the word reported for a term is its base form when the text has it.
        """
        merged: dict[str, tuple[int, set[int], set[int]]] = {}
        for term, tid in self.term_ids.items():
            base = base_pattern(term)
            for pattern in term_patterns(term):
                entry = merged.setdefault(pattern, (len(term.words), set(), set()))
                entry[1].add(tid)
                if pattern == base:
                    entry[2].add(tid)
        if not merged:
            return None
        automaton = ahocorasick.Automaton()
        for pattern, (count, tids, bases) in merged.items():
            value = (len(pattern), count, tuple(sorted(tids)), frozenset(bases))
            automaton.add_word(pattern, value)
        automaton.make_automaton()
        return automaton


class QueryIndex(Generic[K]):
    """Every active query, compiled into one automaton; `match` returns the queries an article hits.

    The automaton is rebuilt on the first `match` after `add`/`remove` (or by
    `compile()`, which callers may run in a worker thread to keep a large
    rebuild off the event loop).
    """

    def __init__(self) -> None:
        self._queries: dict[K, Query] = {}
        self._compiled: _Compiled[K] | None = None

    def add(self, key: K, query: Query | str) -> None:
        """Add `query` under `key`, replacing (in place) any query already there."""
        self._queries[key] = parse_query(query) if isinstance(query, str) else query
        self._compiled = None

    def remove(self, key: K) -> None:
        """Remove the query under `key`; absent keys are ignored."""
        if self._queries.pop(key, None) is not None:
            self._compiled = None

    def get(self, key: K) -> Query | None:
        """The query under `key`, if any."""
        return self._queries.get(key)

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, key: object) -> bool:
        return key in self._queries

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._queries))

    def compile(self) -> None:
        """Build the automaton now if a change made it stale."""
        if self._compiled is None:
            self._compiled = _compile(self._queries)

    def match(self, doc: MatchInput) -> list[Match[K]]:
        """Every query that matches `doc`, in the insertion order of their keys."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _compile(self._queries)
        if not compiled.slots:
            return []
        title, body = _field(doc.title), _field(doc.text)
        haystack = f" {title.keys} \n {body.keys} "
        hits = [] if compiled.automaton is None else list(compiled.automaton.iter(haystack))
        return _evaluate(compiled, hits, doc, title, body)


def _field(text: str) -> _Field:
    """Tokenise and fold one field once; word spans are only computed if a query matches."""
    text = nfc(text)
    return _Field(text, fold_joined(" ".join(WORD_RE.findall(text))))


_Hit = tuple[int, tuple[int, int, tuple[int, ...], frozenset[int]]]
# Where one hit is: (word start, word count, term ids, term ids it is the base form of).
_Located = tuple[int, int, tuple[int, ...], frozenset[int]]


def _evaluate(
    compiled: _Compiled[K], hits: list[_Hit], doc: MatchInput, title: _Field, body: _Field
) -> list[Match[K]]:
    """Run the candidate queries over the term ids found, and collect their matched words."""
    body_start = len(title.keys) + 4  # " " + title + " \n " precede the body
    located: list[_Located] = []
    terms: set[int] = set()
    title_terms: set[int] = set()
    for end, (length, count, tids, bases) in hits:
        start = end - length + 2  # skip the pattern's leading space
        located.append((start, count, tids, bases))
        terms.update(tids)
        if start < body_start:
            title_terms.update(tids)
    candidates = set(compiled.always)
    for tid in terms:
        candidates.update(compiled.term_slots[tid])
    if not candidates:
        return []
    view = _Doc(terms, title_terms, _primary_language(doc.language), doc.link, doc.detect_language)
    located.sort(key=lambda hit: hit[0])
    words = _Words(located, body_start, title, body)
    results: list[Match[K]] = []
    for index in sorted(candidates):
        slot = compiled.slots[index]
        if slot.check(view):
            results.append(Match(key=slot.key, matched=words.matched(slot)))
    return results


class _Words:
    """The surface forms of one document's hits, shared by every query that matched it.

    Many queries share terms (a brand in hundreds of subscriptions): each term's word is
    chosen once, and each query only visits its own terms. A term is reported once, as
    its base form when the text has it (`Xiaomi`, not `Xiaomi, Xiaomis`), else as its
    first inflected form.
    """

    def __init__(
        self, located: list[_Located], body_start: int, title: _Field, body: _Field
    ) -> None:
        self._located = located
        self._body_start = body_start
        self._title = title
        self._body = body
        self._by_term: dict[int, list[int]] = {}
        for position, (_, _, tids, _) in enumerate(located):
            for tid in tids:
                self._by_term.setdefault(tid, []).append(position)
        self._surfaces: dict[int, str] = {}
        self._chosen: dict[tuple[int, bool], int | None] = {}

    def matched(self, slot: _Slot[K]) -> tuple[str, ...]:
        """One surface form per positive term of the slot, in text order, without repeats."""
        positions = {self._choose(tid, title_only=False) for tid in slot.anywhere}
        positions.update(self._choose(tid, title_only=True) for tid in slot.title_only)
        seen: dict[str, str] = {}
        for position in sorted(p for p in positions if p is not None):
            surface = self._surface(position)
            seen.setdefault(surface.casefold(), surface)
        return tuple(seen.values())

    def _choose(self, tid: int, *, title_only: bool) -> int | None:
        """The hit that stands for term `tid`: its first base form, else its first hit."""
        key = (tid, title_only)
        if key not in self._chosen:
            hits = self._by_term.get(tid, [])
            if title_only:
                hits = [p for p in hits if self._located[p][0] < self._body_start]
            base = next((p for p in hits if tid in self._located[p][3]), None)
            self._chosen[key] = base if base is not None else next(iter(hits), None)
        return self._chosen[key]

    def _surface(self, position: int) -> str:
        surface = self._surfaces.get(position)
        if surface is None:
            start, count, _, _ = self._located[position]
            if start < self._body_start:
                surface = self._title.surface(start - 1, count)
            else:
                surface = self._body.surface(start - self._body_start, count)
            self._surfaces[position] = surface
        return surface


def _primary_language(language: str | None) -> str | None:
    """`de-DE` -> `de`; None stays None."""
    if not language:
        return None
    return language.replace("_", "-").split("-", 1)[0].strip().lower() or None


def _compile(queries: dict[K, Query]) -> _Compiled[K]:
    """Compile every query into slots and one automaton."""
    builder = _Builder()
    slots: list[_Slot[K]] = []
    always: list[int] = []
    for index, (key, query) in enumerate(queries.items()):
        anywhere: set[int] = set()
        title_only: set[int] = set()
        check = _compile_node(query.root, builder, index, negated=False, out=(anywhere, title_only))
        slots.append(_Slot(key, check, frozenset(anywhere), frozenset(title_only - anywhere)))
        if not needs_term_hit(query.root):
            always.append(index)
    return _Compiled(
        automaton=builder.automaton(),
        slots=tuple(slots),
        term_slots=tuple(tuple(s) for s in builder.term_slots),
        always=tuple(always),
    )


def _compile_node(
    node: Node,
    builder: _Builder,
    slot: int,
    *,
    negated: bool,
    out: tuple[set[int], set[int]],
) -> _Check:
    """A closure deciding `node` for a document; records positive term ids in `out`."""
    if isinstance(node, TermNode):
        return _compile_term(node, builder.term_id(node.term, slot), negated=negated, out=out)
    if isinstance(node, LangNode):
        code = node.code
        return lambda doc: doc.language == code
    if isinstance(node, SiteNode):
        domain, suffix = node.domain, "." + node.domain
        return lambda doc: doc.host == domain or doc.host.endswith(suffix)
    if isinstance(node, NotNode):
        inner = _compile_node(node.child, builder, slot, negated=not negated, out=out)
        return lambda doc: not inner(doc)
    checks = tuple(
        _compile_node(child, builder, slot, negated=negated, out=out) for child in node.children
    )
    if isinstance(node, AndNode):
        return lambda doc: all(check(doc) for check in checks)
    assert isinstance(node, OrNode)
    return lambda doc: any(check(doc) for check in checks)


def _compile_term(
    node: TermNode, tid: int, *, negated: bool, out: tuple[set[int], set[int]]
) -> _Check:
    """A closure testing one term id; exclusions contribute no matched words."""
    if not negated:
        out[1 if node.in_title else 0].add(tid)
    if node.in_title:
        return lambda doc: tid in doc.title_terms
    return lambda doc: tid in doc.terms

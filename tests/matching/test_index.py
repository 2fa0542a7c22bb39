"""QueryIndex bookkeeping: keys, replacement, order, shared terms and queries without terms."""

from __future__ import annotations

import pytest

from bot.matching import Match, MatchInput, QueryIndex, parse_query
from bot.matching.index import inflections, term_patterns
from bot.matching.query import Term

MIMIX = MatchInput(
    title="Mi Mix 3: Xiaomi-Flaggschiff mit Kamera-Slider und 10 GByte RAM",
    text="Xiaomis nächstes Flaggschiff bietet eine fast randlose Display-Front.",
    link="https://www.heise.de/newsticker/meldung/Mi-Mix-3-4204655",
    language="de",
)
WALLET = MatchInput(
    title="Apple’s Wallet App Is Spamming Users With Movie Ads",
    text="But what makes this even worse is this is one of Apple's own system apps.",
    link="https://lifehacker.com/tech/apple-wallet-ads",
    language="en",
)


def keys(index: QueryIndex[int], doc: MatchInput) -> list[int]:
    """The keys of the queries matching `doc`, in result order."""
    return [match.key for match in index.match(doc)]


def test_empty_index_matches_nothing() -> None:
    """An index without queries returns no matches and has length 0."""
    index: QueryIndex[int] = QueryIndex()
    assert len(index) == 0
    assert index.match(MIMIX) == []


def test_add_contains_len() -> None:
    """Added keys are members; `len` counts them."""
    index: QueryIndex[int] = QueryIndex()
    index.add(1, parse_query("xiaomi"))
    index.add(2, parse_query("apple"))
    assert len(index) == 2
    assert 1 in index
    assert 3 not in index
    assert list(index) == [1, 2]


def test_add_accepts_query_text() -> None:
    """A query string is parsed on `add`, so callers need not parse first."""
    index: QueryIndex[str] = QueryIndex()
    index.add("sub", "xiaomi -samsung")
    assert index.get("sub") == parse_query("xiaomi -samsung")
    assert [m.key for m in index.match(MIMIX)] == ["sub"]


def test_replace_keeps_position_and_takes_effect() -> None:
    """Adding an existing key replaces its query (after a match compiled the old one)."""
    index: QueryIndex[int] = QueryIndex()
    index.add(1, parse_query("xiaomi"))
    index.add(2, parse_query("flaggschiff"))
    assert keys(index, MIMIX) == [1, 2]
    index.add(1, parse_query("apple"))
    assert keys(index, MIMIX) == [2]
    assert keys(index, WALLET) == [1]
    assert list(index) == [1, 2]


def test_remove_and_remove_absent() -> None:
    """Removed keys stop matching; removing an absent key is not an error."""
    index: QueryIndex[int] = QueryIndex()
    index.add(1, parse_query("xiaomi"))
    index.add(2, parse_query("xiaomi ram"))
    assert keys(index, MIMIX) == [1, 2]
    index.remove(1)
    index.remove(99)
    assert 1 not in index
    assert keys(index, MIMIX) == [2]
    index.remove(2)
    assert index.match(MIMIX) == []


def test_results_in_insertion_order_of_keys() -> None:
    """Results follow the order in which keys were first added, not term order in the text."""
    index: QueryIndex[str] = QueryIndex()
    for key, query in [("z", "flaggschiff"), ("a", "ram"), ("m", "xiaomi")]:
        index.add(key, parse_query(query))
    assert [m.key for m in index.match(MIMIX)] == ["z", "a", "m"]


def test_many_queries_share_terms() -> None:
    """Hundreds of queries with the same terms each get their own result and matched words."""
    index: QueryIndex[int] = QueryIndex()
    for key in range(300):
        query = ["xiaomi", "xiaomi -ram", '"xiaomi flaggschiff"', "xiaomi OR apple"][key % 4]
        index.add(key, parse_query(query))
    results = index.match(MIMIX)
    assert [m.key for m in results] == [k for k in range(300) if k % 4 != 1]
    assert results[0] == Match(key=0, matched=("Xiaomi",))
    assert results[1] == Match(key=2, matched=("Xiaomi-Flaggschiff",))
    assert results[2] == Match(key=3, matched=("Xiaomi",))
    assert [m.key for m in index.match(WALLET)] == [k for k in range(300) if k % 4 == 3]


@pytest.mark.parametrize(
    ("query", "doc", "expected"),
    [
        ("lang:de", MIMIX, ()),
        ("lang:de", WALLET, None),
        ("site:heise.de", MIMIX, ()),
        ("site:heise.de -apple", MIMIX, ()),
        ("site:lifehacker.com -apple", WALLET, None),
        ("lang:en OR xiaomi", MIMIX, ("Xiaomi",)),
        ("lang:en OR xiaomi", WALLET, ()),
        ("lang:de redmi*", MIMIX, None),
        ("lang:de mi*", MIMIX, ("Mi",)),
    ],
    ids=[
        "lang-only",
        "lang-only-other",
        "site-only",
        "site-with-exclusion",
        "site-with-matching-exclusion",
        "filter-or-term-by-term",
        "filter-or-term-by-filter",
        "filter-and-prefix-absent",
        "filter-and-prefix-present",
    ],
)
def test_queries_without_indexable_terms(
    query: str, doc: MatchInput, expected: tuple[str, ...] | None
) -> None:
    """Queries that can hold without a term hit (filters, exclusions) are still evaluated."""
    index: QueryIndex[int] = QueryIndex()
    index.add(0, parse_query("something entirely different"))
    index.add(1, parse_query(query))
    results = [m for m in index.match(doc) if m.key == 1]
    assert (results[0].matched if results else None) == expected


def _state(index: QueryIndex[int]) -> object:
    """The index's compiled snapshot (None while stale), seen from outside."""
    return index._compiled


def test_rebuild_is_lazy_and_cached() -> None:
    """The automaton is built on the first match after a change and reused until the next one."""
    index: QueryIndex[int] = QueryIndex()
    index.add(1, parse_query("xiaomi"))
    assert _state(index) is None
    index.match(MIMIX)
    compiled = _state(index)
    assert compiled is not None
    index.match(WALLET)
    assert _state(index) is compiled
    index.add(2, parse_query("apple"))
    assert _state(index) is None
    index.compile()
    assert _state(index) is not None
    assert _state(index) is not compiled


def test_generic_keys() -> None:
    """Any hashable key works, e.g. (chat, subscription) tuples."""
    index: QueryIndex[tuple[str, int]] = QueryIndex()
    index.add(("telegram:1", 7), parse_query("xiaomi"))
    assert index.match(MIMIX) == [Match(key=("telegram:1", 7), matched=("Xiaomi",))]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        (
            "xiaomi",
            ["xiaomi", "xiaomis", "xiaomi's", "xiaomie", "xiaomien", "xiaomier", "xiaomiern"],
        ),
        ("meta", ["meta", "metas", "meta's"]),
        ("lexus", ["lexus", "lexuss", "lexus's", "lexuses"]),
        (
            "porsche",
            [
                "porsche",
                "porsches",
                "porsche's",
                "porschee",
                "porscheen",
                "porscheer",
                "porscheern",
                "porschen",
            ],
        ),
        ("12", ["12"]),
        ("x", ["x"]),
        ("o'brien", ["o'brien"]),
    ],
    ids=["long", "short", "sibilant", "long-e", "digits", "single-letter", "apostrophe"],
)
def test_inflections(word: str, expected: list[str]) -> None:
    """The inflection rule: -s/-'s always, -es after sibilants, German endings from six letters."""
    assert inflections(word) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (Term(("lei", "jun")), {" lei jun ", " lei juns ", " lei jun's "}),
        (Term(("redmi",), prefix=True), {" redmi"}),
        (Term(("mues",), prefix=True), {" mues", " mus"}),
        (Term(("mue",), prefix=True), {" mue"}),
        (
            Term(("mueller",)),
            {
                " muller ",
                " mullers ",
                " muller's ",
                " mullere ",
                " mulleren ",
                " mullerer ",
                " mullerern ",
                " mullern ",
            },
        ),
    ],
    ids=["phrase", "prefix", "prefix-umlaut-spelling", "prefix-ending-in-pair", "collapsed"],
)
def test_term_patterns(term: Term, expected: set[str]) -> None:
    """Patterns carry whole-word (closing space), phrase and prefix (open end) semantics."""
    assert term_patterns(term) == expected


def test_language_is_detected_lazily_and_once() -> None:
    """Detection runs only when a `lang:` filter is judged, at most once per article."""
    calls: list[str] = []

    def detect() -> str | None:
        calls.append("detect")
        return "en"

    index: QueryIndex[str] = QueryIndex()
    index.add("plain", "xiaomi")
    index.add("en", "xiaomi lang:en")
    index.add("de", "redmi lang:de")
    index.add("not-de", "xiaomi -lang:de")
    doc = MatchInput(
        title="Xiaomi unveils the Mix Flip",
        text="A bigger cover screen than most rivals.",
        language="de",  # what the feed declares
        detect_language=detect,
    )
    assert [m.key for m in index.match(doc)] == ["plain", "en", "not-de"]
    assert calls == ["detect"]
    unrelated = MatchInput(title="Samsung news", text="Nothing else.", detect_language=detect)
    assert index.match(unrelated) == []
    assert calls == ["detect"]  # no candidate query: nothing to detect

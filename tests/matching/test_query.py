"""Parsing the query language: normalised forms and errors with positions."""

from __future__ import annotations

import pytest

from bot.matching import QuerySyntaxError, parse_query
from bot.matching.query import AndNode, NotNode, OrNode, TermNode


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("xiaomi", "xiaomi"),
        ("Xiaomi", "xiaomi"),
        ('"lei jun"', '"lei jun"'),
        ('"Lei   Jun"', '"lei jun"'),
        ('"12S Ultra"', '"12s ultra"'),
        ("redmi*", "redmi*"),
        ('"redmi note*"', '"redmi note*"'),
        ('"redmi note"*', '"redmi note*"'),
        ('xiaomi OR "lei jun"', 'xiaomi OR "lei jun"'),
        ("xiaomi | huawei", "xiaomi OR huawei"),
        ("xiaomi|huawei", "xiaomi OR huawei"),
        ("xiaomi samsung", "xiaomi samsung"),
        ("xiaomi AND samsung", "xiaomi samsung"),
        ("xiaomi -samsung", "xiaomi -samsung"),
        ("xiaomi NOT samsung", "xiaomi -samsung"),
        ("xiaomi -(samsung OR apple)", "xiaomi -(samsung OR apple)"),
        ("(xiaomi OR huawei) smartphone", "(xiaomi OR huawei) smartphone"),
        ("a OR b c", "a OR b c"),
        ("(a OR b) OR c", "a OR b OR c"),
        ("((xiaomi))", "xiaomi"),
        ("lang:DE xiaomi", "lang:de xiaomi"),
        ("site:heise.de xiaomi", "site:heise.de xiaomi"),
        ("site:https://www.Heise.de/newsticker/ xiaomi", "site:www.heise.de xiaomi"),
        ("site:müller.de", "site:xn--mller-kva.de"),
        ("intitle:Xiaomi", "intitle:xiaomi"),
        ('intitle:"Lei Jun"', 'intitle:"lei jun"'),
        ("intitle:redmi*", "intitle:redmi*"),
        ("Müller", "müller"),
        ("lang:de", "lang:de"),
        ("site:heise.de -xiaomi", "site:heise.de -xiaomi"),
        ("or", "or"),
        ("Xiaomi-CEO", "xiaomi-ceo"),
    ],
    ids=[
        "term",
        "term-case",
        "phrase",
        "phrase-spaces",
        "phrase-digit-letter",
        "prefix",
        "phrase-prefix",
        "phrase-prefix-star-outside",
        "contract-or-phrase",
        "pipe",
        "pipe-no-spaces",
        "implicit-and",
        "explicit-and",
        "minus",
        "not",
        "not-group",
        "group-and",
        "and-binds-tighter-than-or",
        "or-flattened",
        "redundant-parens",
        "lang",
        "site",
        "site-url-normalised",
        "site-idna",
        "intitle",
        "intitle-phrase",
        "intitle-prefix",
        "umlaut-kept-in-display",
        "filter-only",
        "filter-and-exclusion",
        "lowercase-or-is-a-word",
        "hyphenated-word",
    ],
)
def test_normalised_form(text: str, normalised: str) -> None:
    """`str(parse_query(text))` is the canonical spelling of the query."""
    assert str(parse_query(text)) == normalised


@pytest.mark.parametrize(
    ("text", "reason", "position"),
    [
        ("", "empty query", 1),
        ("   ", "empty query", 1),
        ("(xiaomi", "unbalanced parenthesis", 1),
        ("xiaomi (lei", "unbalanced parenthesis", 8),
        ("xiaomi)", "unbalanced parenthesis", 7),
        ("(xiaomi))", "unbalanced parenthesis", 9),
        (")", "unbalanced parenthesis", 1),
        ('"lei jun', "missing closing quote", 1),
        ('xiaomi "lei', "missing closing quote", 8),
        ('""', "empty phrase", 1),
        ("()", "empty parentheses", 1),
        ("-xiaomi", "query has only exclusions", 1),
        ("NOT xiaomi -samsung", "query has only exclusions", 1),
        ("-lang:en", "query has only exclusions", 1),
        ("xiaomi OR -samsung", "an alternative of the query has only exclusions", 1),
        ("foo:bar", "unknown filter 'foo:'", 1),
        ("xiaomi titel:redmi", "unknown filter 'titel:'", 8),
        ("lang:", "expected a value after 'lang:'", 1),
        ('site:"heise.de"', "expected a value after 'site:'", 1),
        ("lang:deutsch", "invalid language code 'deutsch'", 6),
        ("site:heise..de", "invalid domain 'heise..de'", 6),
        ("xiaomi OR", "expected a term after 'OR'", 8),
        ("OR xiaomi", "expected a term before 'OR'", 1),
        ("xiaomi | | huawei", "expected a term after 'OR'", 8),
        ("xiaomi AND", "expected a term after 'AND'", 8),
        ("AND xiaomi", "expected a term before 'AND'", 1),
        ("xiaomi NOT", "expected a term after 'NOT'", 8),
        ("xiaomi -", "expected a term after '-'", 8),
        ("xiaomi (OR huawei)", "expected a term before 'OR'", 9),
        ("re*dmi", "a wildcard '*' may only end a word", 3),
        ('"lei *jun"', "a wildcard '*' may only end a word", 6),
        ("+++", "expected a word with letters or digits", 1),
        ("*", "expected a word with letters or digits", 1),
    ],
    ids=[
        "empty",
        "blank",
        "unclosed-paren",
        "unclosed-inner-paren",
        "stray-close",
        "extra-close",
        "only-close",
        "unclosed-quote",
        "unclosed-quote-later",
        "empty-phrase",
        "empty-parens",
        "only-exclusion",
        "only-exclusions",
        "only-excluded-filter",
        "alternative-only-exclusion",
        "unknown-filter",
        "unknown-filter-later",
        "empty-filter",
        "quoted-site",
        "bad-language",
        "bad-domain",
        "dangling-or",
        "leading-or",
        "double-pipe",
        "dangling-and",
        "leading-and",
        "dangling-not",
        "dangling-minus",
        "or-after-paren",
        "inner-wildcard",
        "inner-wildcard-in-phrase",
        "no-letters",
        "bare-star",
    ],
)
def test_syntax_errors(text: str, reason: str, position: int) -> None:
    """Each malformed query names what is wrong and the 1-based column where."""
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text)
    assert (caught.value.reason, caught.value.position) == (reason, position)


def test_error_message_is_a_sentence_naming_the_position() -> None:
    """`str(error)` is a full sentence with the position, usable as a chat reply."""
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("xiaomi (lei jun")
    assert str(caught.value) == "Invalid query: unbalanced parenthesis at position 8."


def test_error_is_a_value_error() -> None:
    """Callers that only know ValueError still catch a bad query."""
    with pytest.raises(ValueError, match="position 1"):
        parse_query("foo:bar")


def test_precedence_not_and_or() -> None:
    """`NOT a b OR c` reads as `((NOT a) AND b) OR c`."""
    root = parse_query("NOT a b OR c").root
    assert isinstance(root, OrNode)
    first = root.children[0]
    assert isinstance(first, AndNode)
    assert isinstance(first.children[0], NotNode)
    assert isinstance(root.children[1], TermNode)


def test_queries_compare_by_meaning_and_keep_their_text() -> None:
    """Equal trees are equal queries; `.text` keeps what the user typed."""
    first, second = parse_query('Xiaomi | "Lei  Jun"'), parse_query('xiaomi OR "lei jun"')
    assert first == second
    assert hash(first) == hash(second)
    assert first.text == 'Xiaomi | "Lei  Jun"'
    assert parse_query("xiaomi") != parse_query("huawei")

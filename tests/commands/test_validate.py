"""Pure argument decisions of the chat commands: ids, targets, languages, queries, source URLs."""

from __future__ import annotations

import pytest

from bot.commands import SourceUrlError, UsageError, check_source_url, is_public_host
from bot.commands.validate import (
    UnsubscribeTarget,
    check_query_length,
    normalise_query,
    parse_id,
    parse_language,
    parse_unsubscribe_target,
    query_reason,
)
from bot.matching import QuerySyntaxError, parse_query


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("#12", 12),
        ("  # 7 ", 7),
        ("abc", None),
        ("12a", None),
        ("-3", None),
        ("", None),
        ("#", None),
        ("1 2", None),
    ],
    ids=["plain", "hash", "spaced", "word", "mixed", "negative", "empty", "bare-hash", "two"],
)
def test_parse_id(text: str, expected: int | None) -> None:
    """Ids are written `12` or `#12`; anything else is not an id."""
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("all", UnsubscribeTarget("all")),
        ("ALLE", UnsubscribeTarget("all")),
        ("#4", UnsubscribeTarget("id", id=4)),
        ("4", UnsubscribeTarget("id", id=4)),
        ('  "lei   jun" ', UnsubscribeTarget("query", query='"lei jun"')),
        ("xiaomi OR huawei", UnsubscribeTarget("query", query="xiaomi OR huawei")),
    ],
    ids=["all", "alle-german", "hash-id", "id", "query-spaces", "query"],
)
def test_parse_unsubscribe_target(args: str, expected: UnsubscribeTarget) -> None:
    """`/unsubscribe` names all, an id or a query text (whitespace collapsed)."""
    assert parse_unsubscribe_target(args) == expected


def test_parse_unsubscribe_target_empty_is_usage() -> None:
    """`/unsubscribe` without argument asks for one."""
    with pytest.raises(UsageError) as caught:
        parse_unsubscribe_target("   ")
    assert caught.value.key == "cmd.unsubscribe.usage"


@pytest.mark.parametrize(
    ("args", "expected"),
    [("de", "de"), ("EN", "en"), (" de-AT ", "de"), ("en_GB", "en"), ("fr", None), ("", None)],
    ids=["de", "upper-en", "de-region", "en-underscore", "french", "empty"],
)
def test_parse_language(args: str, expected: str | None) -> None:
    """Only German and English are languages a chat can choose."""
    if expected is None:
        with pytest.raises(UsageError):
            parse_language(args)
    else:
        assert parse_language(args) == expected


def test_normalise_query_collapses_whitespace() -> None:
    """Queries are stored with single spaces and no surrounding blanks."""
    assert normalise_query('\n xiaomi   OR\t"lei jun"  ') == 'xiaomi OR "lei jun"'


@pytest.mark.parametrize(
    ("length", "limit", "ok"),
    [(300, 300, True), (301, 300, False), (11, 10, False)],
    ids=["at-limit", "over-limit", "small-limit"],
)
def test_check_query_length(length: int, limit: int, ok: bool) -> None:
    """A query may be as long as the limit, not longer."""
    if ok:
        check_query_length("x" * length, limit)
    else:
        with pytest.raises(UsageError) as caught:
            check_query_length("x" * length, limit)
        assert caught.value.params == {"length": length, "limit": limit}


@pytest.mark.parametrize(
    ("query", "key", "params"),
    [
        ('"lei jun', "cmd.query.missing_quote", {}),
        ("(xiaomi OR huawei", "cmd.query.unbalanced", {}),
        ("xiaomi)", "cmd.query.unbalanced", {}),
        ("()", "cmd.query.empty_parentheses", {}),
        ("xiaomi OR", "cmd.query.term_after", {"operator": "'OR'"}),
        ("foo:bar", "cmd.query.unknown_filter", {"filter": "foo:"}),
        ("red*mi", "cmd.query.wildcard", {}),
        ('""', "cmd.query.empty_phrase", {}),
        ("lang:german", "cmd.query.bad_language", {"value": "'german'"}),
        ("-xiaomi", "cmd.query.only_exclusions", {}),
        ("(" * 40 + "x" + ")" * 40, "cmd.query.too_deep", {"limit": "32"}),
    ],
    ids=[
        "open-quote",
        "open-paren",
        "close-paren",
        "empty-parens",
        "or-at-end",
        "unknown-filter",
        "inner-wildcard",
        "empty-phrase",
        "bad-lang",
        "only-exclusion",
        "too-deep",
    ],
)
def test_query_reason_maps_parser_errors(query: str, key: str, params: dict[str, str]) -> None:
    """Each parser reason we know has a localised text with its details as parameters."""
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert query_reason(caught.value) == (key, params)


def test_query_reason_falls_back_to_english_reason() -> None:
    """A reason without a text of ours is shown in the parser's English words, with its hint."""
    error = QuerySyntaxError("something new", 3, hint="try this")
    assert query_reason(error) == ("cmd.query.other", {"reason": "something new (try this)"})


@pytest.mark.parametrize(
    "url",
    [
        "https://www.heise.de/rss/heise-atom.xml",
        "http://rss.golem.de/rss.php?feed=RSS2.0",
        "https://EXAMPLE.com:8443/feed",
        "https://bücher.de/feed",
        "https://8.8.8.8/feed",
        "https://[2001:4860:4860::8888]/feed",
    ],
    ids=["https", "http-query", "port-upper", "idn", "public-ipv4", "public-ipv6"],
)
def test_check_source_url_accepts_public_http(url: str) -> None:
    """Public http(s) URLs are accepted as they were given."""
    assert check_source_url(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("ftp://example.com/feed", "cmd.addsource.bad_scheme"),
        ("file:///etc/passwd", "cmd.addsource.bad_scheme"),
        ("example.com/feed", "cmd.addsource.bad_scheme"),
        ("https://user:pw@example.com/feed", "cmd.addsource.credentials"),
        ("https:///feed", "cmd.addsource.no_host"),
        ("https://example.com:99999/", "cmd.addsource.malformed"),
        ("http://localhost:8080/feed", "cmd.addsource.not_public"),
        ("http://LOCALHOST./feed", "cmd.addsource.not_public"),
        ("http://api.localhost/feed", "cmd.addsource.not_public"),
        ("http://printer.local/feed", "cmd.addsource.not_public"),
        ("http://intranet/feed", "cmd.addsource.not_public"),
        ("http://127.0.0.1/feed", "cmd.addsource.not_public"),
        ("http://127.1/feed", "cmd.addsource.not_public"),
        ("http://2130706433/feed", "cmd.addsource.not_public"),
        ("http://0x7f.0.0.1/feed", "cmd.addsource.not_public"),
        ("http://0.0.0.0/feed", "cmd.addsource.not_public"),
        ("http://10.1.2.3/feed", "cmd.addsource.not_public"),
        ("http://192.168.1.1/feed", "cmd.addsource.not_public"),
        ("http://172.16.0.1/feed", "cmd.addsource.not_public"),
        ("http://100.64.0.1/feed", "cmd.addsource.not_public"),
        ("http://169.254.169.254/latest/meta-data", "cmd.addsource.not_public"),
        ("http://240.0.0.1/feed", "cmd.addsource.not_public"),
        ("http://224.0.0.1/feed", "cmd.addsource.not_public"),
        ("http://[::1]/feed", "cmd.addsource.not_public"),
        ("http://[fe80::1]/feed", "cmd.addsource.not_public"),
        ("http://[fc00::1]/feed", "cmd.addsource.not_public"),
        ("http://[::ffff:127.0.0.1]/feed", "cmd.addsource.not_public"),
        ("http://[64:ff9b::a00:1]/feed", "cmd.addsource.not_public"),
        ("http://[2002:c0a8:101::1]/feed", "cmd.addsource.not_public"),
    ],
    ids=[
        "ftp",
        "file",
        "no-scheme",
        "credentials",
        "no-host",
        "bad-port",
        "localhost",
        "localhost-dot-upper",
        "sub-localhost",
        "mdns-local",
        "single-label",
        "loopback",
        "loopback-short",
        "loopback-decimal",
        "loopback-hex",
        "unspecified",
        "private-10",
        "private-192",
        "private-172",
        "shared-cgnat",
        "link-local-metadata",
        "reserved",
        "multicast",
        "ipv6-loopback",
        "ipv6-link-local",
        "ipv6-unique-local",
        "ipv4-mapped-loopback",
        "nat64-private",
        "6to4-private",
    ],
)
def test_check_source_url_refuses(url: str, key: str) -> None:
    """Chat-added sources must be public http(s) hosts, judged from the text alone."""
    with pytest.raises(SourceUrlError) as caught:
        check_source_url(url)
    assert caught.value.key == key


def test_is_public_host_resolves_nothing() -> None:
    """Judging a host name never touches DNS (the network guard would raise)."""
    assert is_public_host("www.heise.de")
    assert not is_public_host("metadata.google.internal")

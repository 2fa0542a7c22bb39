"""Pure decisions about command arguments: ids, unsubscribe targets, queries, source URLs."""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from bot.commands.errors import SourceUrlError, UsageError
from bot.matching.errors import QuerySyntaxError
from bot.model import SUPPORTED_LANGUAGES, Language
from bot.sources.guard import is_public_address
from bot.sources.text import strip_controls

_ID = re.compile(r"#?\s*(\d{1,18})")
# Names that only ever mean "this machine" or "this network", whatever DNS says.
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")
# inet_aton also reads `127.1`, `0x7f.0.0.1` and `2130706433`; so do the resolvers we hand URLs to.
_NUMERIC_HOST = re.compile(r"(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def parse_id(text: str) -> int | None:
    """Read a subscription or source id written `12` or `#12`; None when it is no id."""
    found = _ID.fullmatch(text.strip())
    return int(found.group(1)) if found else None


def normalise_query(text: str) -> str:
    """A query as stored and compared: controls removed, whitespace collapsed."""
    return " ".join(strip_controls(text).split())


@dataclass(frozen=True, slots=True)
class UnsubscribeTarget:
    """What `/unsubscribe` names: every subscription, one id, or one query text."""

    kind: Literal["all", "id", "query"]
    id: int | None = None
    query: str = ""


_ALL_WORDS = frozenset({"all", "alle", "*"})


def parse_unsubscribe_target(args: str) -> UnsubscribeTarget:
    """Decide whether `/unsubscribe` names all, an id or a query; empty is a usage error."""
    text = normalise_query(args)
    if not text:
        raise UsageError("cmd.unsubscribe.usage")
    if text.lower() in _ALL_WORDS:
        return UnsubscribeTarget("all")
    number = parse_id(text)
    if number is not None:
        return UnsubscribeTarget("id", id=number)
    return UnsubscribeTarget("query", query=text)


def parse_switch(args: str) -> bool | None:
    """`on`/`off` (also `an`/`aus`, `ein`, `yes`/`no`, `true`/`false`); None for no argument;
    a usage error for anything else."""
    word = args.strip().lower()
    if not word:
        return None
    if word in ("on", "an", "ein", "yes", "ja", "true", "1"):
        return True
    if word in ("off", "aus", "no", "nein", "false", "0"):
        return False
    raise UsageError("cmd.group.usage")


def parse_language(args: str) -> Language:
    """The language `/language` asks for (`de`, `en`, also `DE` or `en-GB`); else a usage error."""
    code = args.strip().lower().replace("_", "-").split("-", 1)[0]
    for language in SUPPORTED_LANGUAGES:
        if code == language:
            return language
    raise UsageError("cmd.language.usage", current="?")


# Parser reasons (English, from bot.matching) and the catalogue keys that say them localised.
_QUERY_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key)
    for pattern, key in (
        (r"empty query", "cmd.query.empty"),
        (r"missing closing quote", "cmd.query.missing_quote"),
        (r"unbalanced parenthesis", "cmd.query.unbalanced"),
        (r"empty parentheses", "cmd.query.empty_parentheses"),
        (r"expected a term after (?P<operator>.+)", "cmd.query.term_after"),
        (r"expected a term before (?P<operator>.+)", "cmd.query.term_before"),
        (r"unknown filter '(?P<filter>[^']*)'", "cmd.query.unknown_filter"),
        (r"expected a value after '(?P<filter>[^']*)'", "cmd.query.filter_value"),
        (r"a wildcard .* may only end a word", "cmd.query.wildcard"),
        (r"empty phrase", "cmd.query.empty_phrase"),
        (r"expected a word with letters or digits", "cmd.query.no_letters"),
        (r"invalid language code (?P<value>.+)", "cmd.query.bad_language"),
        (r"invalid domain (?P<value>.+)", "cmd.query.bad_domain"),
        (r"(an alternative of the )?query has only exclusions", "cmd.query.only_exclusions"),
        (r"nesting deeper than (?P<limit>\d+) levels", "cmd.query.too_deep"),
    )
)


def query_reason(error: QuerySyntaxError) -> tuple[str, dict[str, str]]:
    """The catalogue key and parameters that explain a parser error in the reader's language."""
    for pattern, key in _QUERY_REASONS:
        found = pattern.fullmatch(error.reason)
        if found:
            return key, {name: value for name, value in found.groupdict().items() if value}
    # A reason we have no text for yet: show the parser's English words rather than nothing.
    reason = f"{error.reason} ({error.hint})" if error.hint else error.reason
    return "cmd.query.other", {"reason": reason}


def check_query_length(query: str, max_length: int) -> None:
    """Refuse a query longer than the configured limit."""
    if len(query) > max_length:
        raise UsageError("cmd.query.too_long", length=len(query), limit=max_length)


def check_source_url(url: str) -> str:
    """Accept an http(s) URL of a public host for a chat-added source; return it stripped.

    Only the text is judged: nothing is resolved here. A public name that resolves to a
    private address must be refused by the fetcher when it connects (DNS rebinding).
    """
    text = url.strip().strip("<>")
    try:
        parts = urlsplit(text)
        port = parts.port  # raises on a malformed port
    except ValueError as exc:
        raise SourceUrlError("cmd.addsource.malformed") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceUrlError("cmd.addsource.bad_scheme")
    if parts.username is not None or parts.password is not None:
        raise SourceUrlError("cmd.addsource.credentials")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise SourceUrlError("cmd.addsource.no_host")
    if port == 0:
        raise SourceUrlError("cmd.addsource.malformed")
    if not is_public_host(host):
        raise SourceUrlError("cmd.addsource.not_public", host=host)
    return text


def is_public_host(host: str) -> bool:
    """Whether a URL's host names something on the public internet, judged without DNS."""
    name = host.lower().rstrip(".")
    address = _ip_literal(name)
    if address is not None:
        return is_public_address(address)
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return False
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_name.split(".")
    # A single label (`intranet`, `router`) only resolves through a local search domain.
    if len(labels) < 2 or labels[-1].isdigit():
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in labels)


def _ip_literal(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(name):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(name))
        except OSError:
            return None
    return None

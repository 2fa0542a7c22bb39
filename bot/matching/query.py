"""The alert query language: lexer, recursive-descent parser and the parsed tree.

Grammar (precedence NOT > AND > OR)::

    query   := or EOF
    or      := and (("OR" | "|") and)*
    and     := unary (["AND"] unary)*          # juxtaposition is AND
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | FILTER | PHRASE | WORD

Decisions beyond the contract:

- `OR`, `AND` and `NOT` are operators only in upper case; `or` is a word.
- `name:value` with a name other than `lang`, `site` and `intitle` is an error
  (`unknown filter 'foo:'`): a typo such as `titel:xiaomi` should not silently
  become a search for the words `titel xiaomi`.
- A word holding punctuation is a phrase of its words (`Xiaomi-CEO` is
  `"xiaomi ceo"`); a word with no letters or digits (`+++`) is an error.
- `*` may only end a word or phrase (`redmi*`, `"redmi note*"`).
- A query that matches articles through exclusions alone (`-xiaomi`,
  `xiaomi OR -samsung`, `-lang:en`) is rejected: it would alert on almost
  every article.
- `intitle:` words are positive words and are reported as matched words.
- Two queries are equal when their trees are equal (`.text` is ignored), so
  `Xiaomi | "Lei Jun"` equals `xiaomi OR "lei  jun"`.
- Control characters and bidirectional controls are removed before lexing (positions
  count what remains): an invisible override must not make two queries look alike.
- Parentheses and negations nest at most `MAX_DEPTH` deep (`nesting deeper than 32 levels`
  at the offending token): far beyond any real query, and it keeps the recursive descent and
  every tree walk after it well inside Python's recursion limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal, NoReturn

from bot.matching.errors import QuerySyntaxError
from bot.matching.normalize import folded_words
from bot.sources.text import strip_controls

FILTERS = ("intitle", "lang", "site")
_FILTER_HINT = "known filters: intitle:, lang:, site:"
_FILTER_RE = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_LANG_RE = re.compile(r"[a-z]{2,3}")
_DOMAIN_RE = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_SPECIAL = frozenset('()|"')
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Term:
    """A word, phrase or prefix as folded words; `display` is its normalised spelling.

    `words` are folded but not yet umlaut-collapsed: the index collapses each
    whole pattern once, exactly as it collapses article text.
    """

    words: tuple[str, ...]
    prefix: bool = False
    display: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class TermNode:
    """A term that must occur in the article (or only in its title)."""

    term: Term
    in_title: bool = False


@dataclass(frozen=True, slots=True)
class LangNode:
    """`lang:de`: the article's declared or detected language."""

    code: str


@dataclass(frozen=True, slots=True)
class SiteNode:
    """`site:heise.de`: the link's host is the domain or one of its subdomains."""

    domain: str


@dataclass(frozen=True, slots=True)
class NotNode:
    """Negation (`-x`, `NOT x`)."""

    child: Node


@dataclass(frozen=True, slots=True)
class AndNode:
    """Every child must hold."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class OrNode:
    """At least one child must hold."""

    children: tuple[Node, ...]


Node = TermNode | LangNode | SiteNode | NotNode | AndNode | OrNode


@dataclass(frozen=True, slots=True)
class Query:
    """An immutable parsed query; `.text` is what the user wrote, `str()` the normalised form."""

    text: str = field(compare=False)
    root: Node

    def __str__(self) -> str:
        return render(self.root)


def parse_query(text: str) -> Query:
    """Parse `text` into a `Query`, or raise `QuerySyntaxError` naming the position."""
    text = strip_controls(text)
    tokens = _Lexer(text).tokens()
    if not tokens:
        raise QuerySyntaxError("empty query", 1)
    root = _Parser(tokens).parse()
    _reject_exclusion_only(root)
    return Query(text=text, root=root)


# --- lexer -------------------------------------------------------------------

_Kind = Literal["word", "phrase", "filter", "lparen", "rparen", "or", "and", "not", "minus"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    pos: int  # 1-based column of the token's first character
    text: str = ""
    name: str = ""  # filter name, for kind == "filter"
    value_pos: int = 0  # column of a filter's value
    quoted: bool = False  # a phrase, or a filter whose value is a phrase


class _Lexer:
    """Split a query into tokens, raising on unterminated quotes and unknown filters."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0

    def tokens(self) -> list[_Token]:
        """Every token of the query, in order."""
        out: list[_Token] = []
        while True:
            while self.i < len(self.text) and self.text[self.i].isspace():
                self.i += 1
            if self.i >= len(self.text):
                return out
            out.append(self._next())

    def _next(self) -> _Token:
        char, pos = self.text[self.i], self.i + 1
        simple: dict[str, _Kind] = {"(": "lparen", ")": "rparen", "|": "or"}
        if char in simple:
            self.i += 1
            return _Token(simple[char], pos, char)
        if char == '"':
            body, star = self._quoted()
            return _Token("phrase", pos, body + star, quoted=True)
        if char == "-":
            return self._minus(pos)
        return self._word(pos)

    def _minus(self, pos: int) -> _Token:
        self.i += 1
        if self.i >= len(self.text) or self.text[self.i].isspace() or self.text[self.i] in ")|":
            raise QuerySyntaxError("expected a term after '-'", pos)
        return _Token("minus", pos, "-")

    def _quoted(self) -> tuple[str, str]:
        """Read `"..."` (and a directly following `*`) starting at the opening quote."""
        start = self.i
        end = self.text.find('"', start + 1)
        if end < 0:
            raise QuerySyntaxError("missing closing quote", start + 1)
        self.i = end + 1
        star = ""
        if self.i < len(self.text) and self.text[self.i] == "*":
            star = "*"
            self.i += 1
        return self.text[start + 1 : end], star

    def _word(self, pos: int) -> _Token:
        start = self.i
        while (
            self.i < len(self.text)
            and not self.text[self.i].isspace()
            and self.text[self.i] not in _SPECIAL
        ):
            self.i += 1
        word = self.text[start : self.i]
        if word in ("OR", "AND", "NOT"):
            kinds: dict[str, _Kind] = {"OR": "or", "AND": "and", "NOT": "not"}
            return _Token(kinds[word], pos, word)
        found = _FILTER_RE.fullmatch(word)
        if found is None:
            return _Token("word", pos, word)
        return self._filter(pos, found.group(1).lower(), found.group(2))

    def _filter(self, pos: int, name: str, value: str) -> _Token:
        if name not in FILTERS:
            raise QuerySyntaxError(f"unknown filter '{name}:'", pos, hint=_FILTER_HINT)
        value_pos = pos + len(name) + 1
        if value:
            return _Token("filter", pos, value, name=name, value_pos=value_pos)
        if self.i < len(self.text) and self.text[self.i] == '"' and name == "intitle":
            body, star = self._quoted()
            return _Token("filter", pos, body + star, name=name, value_pos=value_pos, quoted=True)
        raise QuerySyntaxError(f"expected a value after '{name}:'", pos)


# --- parser ------------------------------------------------------------------

_OPERATOR_NAMES = {"or": "'OR'", "and": "'AND'", "rparen": "')'"}


class _Parser:
    """Recursive descent over the token list; builds a flattened tree."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def _enter(self, token: _Token) -> None:
        """One level deeper (a group or a negation); refuse past `MAX_DEPTH`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(f"nesting deeper than {MAX_DEPTH} levels", token.pos)

    def parse(self) -> Node:
        """The whole query; leftovers can only be an unmatched `)`."""
        node = self._or()
        if self.i < len(self.tokens):
            raise QuerySyntaxError("unbalanced parenthesis", self.tokens[self.i].pos)
        return node

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _or(self) -> Node:
        parts = [self._and()]
        while (token := self._peek()) is not None and token.kind == "or":
            self.i += 1
            self._expect_operand(token, "'OR'")
            parts.append(self._and())
        return _combine(OrNode, parts)

    def _and(self) -> Node:
        parts: list[Node] = []
        while (token := self._peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                if not parts:
                    raise QuerySyntaxError("expected a term before 'AND'", token.pos)
                self.i += 1
                self._expect_operand(token, "'AND'")
                continue
            parts.append(self._unary())
        if not parts:
            self._raise_missing_operand()
        return _combine(AndNode, parts)

    def _raise_missing_operand(self) -> NoReturn:
        token = self._peek()
        if token is None:  # only reachable through `()`-less empty input, kept for safety
            raise QuerySyntaxError("empty query", 1)
        if token.kind == "rparen":
            raise QuerySyntaxError("unbalanced parenthesis", token.pos)
        raise QuerySyntaxError(f"expected a term before {_OPERATOR_NAMES[token.kind]}", token.pos)

    def _expect_operand(self, operator: _Token, name: str) -> None:
        token = self._peek()
        if token is None or token.kind in ("or", "and", "rparen"):
            raise QuerySyntaxError(f"expected a term after {name}", operator.pos)

    def _unary(self) -> Node:
        token = self.tokens[self.i]
        if token.kind in ("not", "minus"):
            self.i += 1
            self._expect_operand(token, "'NOT'" if token.kind == "not" else "'-'")
            self._enter(token)
            node = NotNode(self._unary())
            self.depth -= 1
            return node
        return self._primary()

    def _primary(self) -> Node:
        token = self.tokens[self.i]
        self.i += 1
        if token.kind == "lparen":
            return self._group(token)
        if token.kind == "filter":
            return _filter_node(token)
        if token.kind in ("word", "phrase"):
            return TermNode(_term(token.text, token.pos, quoted=token.quoted))
        raise QuerySyntaxError(f"unexpected {token.text!r}", token.pos)  # pragma: no cover

    def _group(self, opening: _Token) -> Node:
        token = self._peek()
        if token is not None and token.kind == "rparen":
            raise QuerySyntaxError("empty parentheses", opening.pos)
        if token is None:
            raise QuerySyntaxError("unbalanced parenthesis", opening.pos)
        self._enter(opening)
        node = self._or()
        self.depth -= 1
        closing = self._peek()
        if closing is None or closing.kind != "rparen":
            raise QuerySyntaxError("unbalanced parenthesis", opening.pos)
        self.i += 1
        return node


def _combine(kind: type[AndNode] | type[OrNode], parts: list[Node]) -> Node:
    """One node for `parts`, flattening nested nodes of the same kind."""
    if len(parts) == 1:
        return parts[0]
    flat: list[Node] = []
    for part in parts:
        flat.extend(part.children if isinstance(part, kind) else (part,))
    return kind(tuple(flat))


def _term(text: str, pos: int, *, quoted: bool) -> Term:
    """Build a term from a word or phrase body, validating wildcards and content."""
    prefix = text.endswith("*")
    body = text[:-1] if prefix else text
    star = body.find("*")
    if star >= 0:
        raise QuerySyntaxError(
            "a wildcard '*' may only end a word", pos + star + (1 if quoted else 0)
        )
    keys = tuple(folded_words(body))
    if not keys:
        reason = "empty phrase" if quoted else "expected a word with letters or digits"
        raise QuerySyntaxError(reason, pos)
    spelled = " ".join(body.casefold().split())
    wildcard = "*" if prefix else ""
    display = f'"{spelled}{wildcard}"' if quoted else spelled + wildcard
    return Term(words=keys, prefix=prefix, display=display)


def _filter_node(token: _Token) -> Node:
    """Build the node of a `name:value` filter, validating the value."""
    if token.name == "intitle":
        return TermNode(_term(token.text, token.value_pos, quoted=token.quoted), in_title=True)
    value = token.text.strip().lower()
    if token.name == "lang":
        if not _LANG_RE.fullmatch(value):
            raise QuerySyntaxError(
                f"invalid language code {token.text!r}",
                token.value_pos,
                hint="expected an ISO 639-1 code such as de or en",
            )
        return LangNode(value)
    return SiteNode(_domain(token.text, token.value_pos))


def _domain(raw: str, pos: int) -> str:
    """Normalise a `site:` value: drop a scheme, a path and a trailing dot; IDNA-encode."""
    value = raw.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = value.split("/", 1)[0].rstrip(".")
    try:
        value = to_ascii_host(value)
    except UnicodeError as exc:
        raise QuerySyntaxError(f"invalid domain {raw!r}", pos) from exc
    if not _DOMAIN_RE.fullmatch(value):
        raise QuerySyntaxError(f"invalid domain {raw!r}", pos, hint="expected e.g. heise.de")
    return value


def to_ascii_host(host: str) -> str:
    """Lower-case ASCII form of a host name (`müller.de` -> `xn--mller-kva.de`)."""
    host = host.lower().rstrip(".")
    return host if host.isascii() else host.encode("idna").decode("ascii")


def _reject_exclusion_only(root: Node) -> None:
    """Reject queries that hold when no term and no filter holds: they match nearly anything."""
    if _holds(root, terms=False, filters=False) is True:
        if _has_positive(root, negated=False):
            raise QuerySyntaxError("an alternative of the query has only exclusions", 1)
        raise QuerySyntaxError("query has only exclusions", 1)


def _has_positive(node: Node, *, negated: bool) -> bool:
    """Whether any term or filter occurs outside a negation."""
    if isinstance(node, NotNode):
        return _has_positive(node.child, negated=not negated)
    if isinstance(node, AndNode | OrNode):
        return any(_has_positive(child, negated=negated) for child in node.children)
    return not negated


def _holds(node: Node, *, terms: bool | None, filters: bool | None) -> bool | None:
    """Three-valued (Kleene) value of `node` when every term/filter has the given value."""
    if isinstance(node, TermNode):
        return terms
    if isinstance(node, LangNode | SiteNode):
        return filters
    if isinstance(node, NotNode):
        value = _holds(node.child, terms=terms, filters=filters)
        return None if value is None else not value
    values = [_holds(child, terms=terms, filters=filters) for child in node.children]
    if isinstance(node, AndNode):
        return False if False in values else (None if None in values else True)
    return True if True in values else (None if None in values else False)


def needs_term_hit(root: Node) -> bool:
    """Whether the query can only hold when one of its terms occurs (so it can be indexed)."""
    return _holds(root, terms=False, filters=None) is False


def render(node: Node) -> str:
    """The normalised text of a tree: lower-case terms, `OR`, `-` and minimal parentheses."""
    if isinstance(node, TermNode):
        return ("intitle:" if node.in_title else "") + node.term.display
    if isinstance(node, LangNode):
        return f"lang:{node.code}"
    if isinstance(node, SiteNode):
        return f"site:{node.domain}"
    if isinstance(node, NotNode):
        inner = render(node.child)
        return f"-({inner})" if isinstance(node.child, AndNode | OrNode) else f"-{inner}"
    if isinstance(node, AndNode):
        return " ".join(
            f"({render(c)})" if isinstance(c, OrNode) else render(c) for c in node.children
        )
    return " OR ".join(render(child) for child in node.children)

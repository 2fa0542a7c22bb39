"""Text folding shared by matching and condensing.

`fold` is the general-purpose folding other capabilities import. The rest of
this module is the matcher's word model, applied identically to article text
and to query words so that both sides always agree:

- Words are runs of letters or runs of digits: `12S` is the two words `12 s`,
  so `12S Ultra`, `12 S Ultra` and `12S-Ultra` all read `12 s ultra`, while
  `12SUltra` reads `12 sultra` (a letter-letter case change is no boundary,
  otherwise `RedmiBook` would stop being one word). An apostrophe between
  letters stays inside the word (`samsung's`, `o'brien`); `’` counts as `'`.
- Keys are folded (`Škoda` -> `skoda`, `Straße` -> `strasse`, `Müller` ->
  `muller`) and then the German umlaut spellings `ae`, `oe`, `ue` collapse to
  `a`, `o`, `u` (`Mueller` -> `muller`), so `Müller` = `Mueller` = `muller`
  on either side. The collapse only applies where an umlaut spelling is
  plausible: after a consonant other than `q`/`y` (`Queen`, `Quelle`, `Bauer`
  and `Steuer` stay), before another letter (`Blue`, `neue` stay), and not
  before a word-final `s` (`does`, `issues`, `blues` stay). The known price is
  a few rare collisions such as `poet`/`pot` and `guest`/`gust`.
"""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Fold case and accents so that `Škoda` == `skoda` and `Straße` == `strasse`.

    German umlauts fold to their base letter here (`Müller` -> `muller`); the
    `ue` spelling is handled by the matcher, which knows which side is a query.
    """
    if text.isascii():  # most news text: casefold is lower, nothing to decompose
        return text.lower()
    return text.casefold().translate(_ACCENT_TABLE)


def _strip_accents(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class _AccentTable(dict[int, str]):
    """`str.translate` table that strips accents one character at a time, filled on use.

    Per character is the same as per string here: NFKD decomposes each precomposed
    character on its own, and a lone combining mark maps to nothing either way.
    """

    def __missing__(self, codepoint: int) -> str:
        folded = _strip_accents(chr(codepoint))
        self[codepoint] = folded
        return folded


_ACCENT_TABLE = _AccentTable()


# A word: letters (with inner apostrophes) or digits; `_` is not a letter.
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")

# `Mueller` -> `muller`; see the module docstring for why each guard exists.
_UMLAUT_SPELLING_RE = re.compile(r"(?<=[bcdfghjklmnprstvwxz])([aou])e(?=[a-z])(?!s(?![a-z]))")


class _FoldTable(dict[int, str]):
    """`str.translate` table that folds one character at a time, filled on first use."""

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        if char == " ":  # the word delimiter of joined text
            folded = char
        elif char == "’":
            folded = "'"
        else:
            # A compatibility decomposition may contain spaces (Arabic ligatures);
            # a word key must not, because spaces delimit words in the joined text.
            folded = "".join(fold(char).split())
        self[codepoint] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def nfc(text: str) -> str:
    """`text` in NFC, so that `u` + combining diaeresis is one letter `ü` inside a word."""
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The words of `text` in their surface form (NFC), in order."""
    return WORD_RE.findall(nfc(text))


def fold_joined(joined: str) -> str:
    """Fold space-joined words into space-joined keys, keeping one key per word."""
    return canonical(fold_only(joined))


def fold_only(joined: str) -> str:
    """Fold space-joined words without the umlaut-spelling collapse."""
    return joined.lower() if joined.isascii() else joined.translate(_FOLD_TABLE)


def canonical(folded: str) -> str:
    """Collapse umlaut spellings (`mueller` -> `muller`) in folded, space-joined words.

    Apply it exactly once to a string: `mueeller` -> `mueller` -> `muller`
    shows that it is not idempotent, so text and patterns must both be
    collapsed once, from their folded form.
    """
    return _UMLAUT_SPELLING_RE.sub(r"\1", folded)


def word_keys(text: str) -> list[str]:
    """The matching keys of the words in `text` (`Xiaomi-CEO's` -> `['xiaomi', "ceo's"]`)."""
    joined = fold_joined(" ".join(words(text)))
    return joined.split(" ") if joined else []


def folded_words(text: str) -> list[str]:
    """The folded words of `text` before the collapse: the raw material of query patterns."""
    joined = fold_only(" ".join(words(text)))
    return joined.split(" ") if joined else []

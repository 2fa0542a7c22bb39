"""`StoryKey`: what story assignment compares for one item, and its persisted text form."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from bot.dedupe._simhash import MAX_FINGERPRINT, MIN_FINGERPRINT, DedupeError, fingerprint
from bot.dedupe._tokens import story_tokens

_FORMAT = "s1"
_LANGUAGE_TEXT = re.compile(r"[a-z]{2,3}")


class StoryKeyError(DedupeError, ValueError):
    """A stored story key that `StoryKey.loads` cannot read (not written by `dumps`)."""


@dataclass(frozen=True, slots=True)
class StoryKey:
    """What story assignment compares for one item, computed once from title + teaser.

    `title` and `teaser` are the distinct story tokens of the headline and of the teaser's
    lead (without the title's), sorted and interned: tuples because a window holds 100,000
    keys and a small frozenset costs six times a tuple; `fingerprint` is the SimHash of
    both, the gate for copies.
    """

    title: tuple[str, ...]
    teaser: tuple[str, ...]
    fingerprint: int
    language: str | None = None

    def dumps(self) -> str:
        """Compact text: `s1|<fingerprint>|<language>|<title tokens>|<teaser tokens>`."""
        return "|".join(
            (
                _FORMAT,
                str(self.fingerprint),
                self.language or "",
                " ".join(self.title),
                " ".join(self.teaser),
            )
        )

    @classmethod
    def loads(cls, text: str) -> StoryKey:
        """Read what `dumps` wrote; raise `StoryKeyError` for anything else."""
        parts = text.split("|")
        if len(parts) != 5 or parts[0] != _FORMAT:
            raise StoryKeyError(f"not a story key: {text[:60]!r}")
        _, number, language, title, teaser = parts
        try:
            value = int(number)
        except ValueError as exc:
            raise StoryKeyError(f"story key fingerprint is no integer: {number[:30]!r}") from exc
        if not MIN_FINGERPRINT <= value <= MAX_FINGERPRINT:
            raise StoryKeyError(f"story key fingerprint {value} is outside 64 bits")
        if language and not _LANGUAGE_TEXT.fullmatch(language):
            raise StoryKeyError(f"story key language is no ISO 639 code: {language[:10]!r}")
        return cls(
            title=_tokens(title.split()),
            teaser=_tokens(teaser.split()),
            fingerprint=value,
            language=sys.intern(language) if language else None,
        )

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every story token of the item, title and teaser."""
        return self.title + self.teaser


def _tokens(tokens: Iterable[str]) -> tuple[str, ...]:
    """Distinct tokens, sorted and interned (one string object per token in the window)."""
    return tuple(sorted({sys.intern(token) for token in tokens}))


def story_key(title: str, teaser: str, *, language: str | None) -> StoryKey:
    """The story key of one item; `teaser` is the feed's own summary of the entry (may be "")."""
    in_title, in_teaser = story_tokens(title, teaser)
    return StoryKey(
        title=_tokens(in_title),
        teaser=_tokens(in_teaser),
        fingerprint=fingerprint(title, teaser),
        language=language,
    )

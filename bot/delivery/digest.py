"""A digest message: the stories collected since the last one, most covered first. Pure.

Platforms arrange the same `DigestStory` list their own way (Telegram HTML, Discord
markdown, console plain text) and cut it with `split_blocks` only where their limit forces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.condense.sentences import split_sentences
from bot.i18n import format_day, translate
from bot.matching import QuerySyntaxError, parse_query

SENTENCE_LIMIT = 300  # one sentence per story; a run-on "sentence" is cut at a word
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class DigestStory:
    """One story of a digest: its leading report and every outlet that covered it."""

    title: str
    link: str
    sources: tuple[str, ...]  # outlet names, leading report's first
    summary: str  # the condensed text; the digest shows its first sentence
    first_seen_at: datetime
    language: str | None = None  # the summary's language, for sentence splitting

    @property
    def coverage(self) -> int:
        """How many outlets reported the story."""
        return len(set(self.sources))

    @property
    def sentence(self) -> str:
        """The summary's first sentence, at most SENTENCE_LIMIT characters."""
        sentences = split_sentences(self.summary, self.language)
        first = " ".join((sentences[0] if sentences else self.summary).split())
        if len(first) <= SENTENCE_LIMIT:
            return first
        return first[: SENTENCE_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def order_stories(stories: Sequence[DigestStory]) -> list[DigestStory]:
    """Most covered first; equal coverage keeps the order they were first seen in."""
    return sorted(stories, key=lambda story: (-story.coverage, story.first_seen_at))


def digest_topic(queries: Sequence[str]) -> str | None:
    """The brand a heading names: the one query's single word (`xiaomi` -> `Xiaomi`), else None.

    `xiaomi OR "lei jun"` or several subscriptions have no one name; the heading then
    says only "your news".
    """
    if len({query.strip().casefold() for query in queries}) != 1:
        return None
    word = queries[0].strip()
    try:
        parse_query(word)
    except QuerySyntaxError:
        return None
    if not word.isalnum():
        return None
    return word if any(char.isupper() for char in word) else word.capitalize()


def digest_heading(language: str, *, topic: str | None, day: date) -> str:
    """`Ihre Xiaomi-Nachrichten vom 1. Dezember` / `Your Xiaomi news of December 1`."""
    when = format_day(day, language)
    if topic:
        return translate(language, "digest.heading_topic", topic=topic, day=when)
    return translate(language, "digest.heading", day=when)


def source_names(story: DigestStory) -> str:
    """`heise online, golem.de`: each outlet once, in the order they reported."""
    return ", ".join(dict.fromkeys(story.sources))


def plain_block(story: DigestStory) -> str:
    """One story as plain text: title, outlets, one sentence, link."""
    lines = [" ".join(story.title.split()), source_names(story), story.sentence, story.link]
    return "\n".join(line for line in lines if line)


def split_blocks(
    blocks: Sequence[str],
    limit: int,
    *,
    measure: Callable[[str], int] = len,
    separator: str = BLOCK_SEPARATOR,
) -> list[str]:
    """Join blocks into as few messages of at most `limit` as possible, cutting only between
    blocks; a single block over the limit is cut hard (a platform would refuse it whole)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _hard_cut(block, limit, measure):
            candidate = f"{current}{separator}{piece}" if current else piece
            if measure(candidate) <= limit:
                current = candidate
                continue
            messages.append(current)
            current = piece
    if current:
        messages.append(current)
    return messages


def _hard_cut(block: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    if measure(block) <= limit:
        return [block]
    pieces: list[str] = []
    current = ""
    for char in block:
        if measure(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def render_digest_plain(
    stories: Sequence[DigestStory],
    language: str,
    *,
    topic: str | None,
    day: date,
    limit: int = 4096,
) -> list[str]:
    """The console form of a digest: heading, then one block per story, most covered first."""
    heading = digest_heading(language, topic=topic, day=day)
    blocks = [heading, *(plain_block(story) for story in order_stories(stories))]
    return split_blocks(blocks, limit)

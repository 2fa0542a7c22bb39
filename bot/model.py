"""Plain domain types shared by every capability; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Language = Literal["de", "en"]
SUPPORTED_LANGUAGES: tuple[Language, ...] = ("de", "en")


@dataclass(frozen=True, slots=True)
class Article:
    """One news item as newsbot understands it, whatever format it came from.

    `id` is stable across polls (guid, else canonical link, else a content hash);
    `link` is canonical (tracking parameters and fragments removed); `title`,
    `summary` and `content` are clean plain text; `published` is UTC or None.
    """

    id: str
    link: str
    title: str
    summary: str
    source: str
    published: datetime | None = None
    content: str = ""
    language: str | None = None  # declared by the feed or page, ISO 639-1, if any

    @property
    def text(self) -> str:
        """The body to match and condense: full text when there is one, else the summary."""
        return self.content or self.summary


@dataclass(frozen=True, slots=True)
class Alert:
    """What a subscriber is told about one article, before it is rendered for a platform."""

    title: str
    link: str
    summary: str
    source: str
    published: datetime | None
    matched: tuple[str, ...]
    language: str  # the article's language (ISO 639-1)
    query: str = ""

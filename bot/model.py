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
    `teaser` (the feed's own summary or description) and `content` (the page's full
    text, where fetched) are clean plain text; `published` is UTC or None.
    """

    id: str
    link: str
    title: str
    teaser: str
    source: str
    published: datetime | None = None
    content: str = ""
    language: str | None = None  # declared by the feed or page, ISO 639-1, if any

    @property
    def body(self) -> str:
        """The body to match and condense: full text when there is one, else the teaser."""
        return self.content or self.teaser


@dataclass(frozen=True, slots=True)
class OtherReport:
    """Another outlet's article of the same story: listed under the alert, linked."""

    source: str
    title: str
    link: str


@dataclass(frozen=True, slots=True)
class Alert:
    """What a subscriber is told about one story, before it is rendered for a platform.

    The title, link and summary are those of the story's first article; `also` lists the
    other reports of it that matched, in the order they came in.
    """

    title: str
    link: str
    summary: str
    source: str
    published: datetime | None
    matched: tuple[str, ...]
    language: str  # the article's language (ISO 639-1)
    query: str = ""
    also: tuple[OtherReport, ...] = ()


Platform = Literal["console", "telegram", "discord"]
PLATFORMS: tuple[Platform, ...] = ("console", "telegram", "discord")


class TargetError(ValueError):
    """A subscription target in the config file is not `console`, `telegram:…` or `discord:…`."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where alerts go: a platform and a chat on it (`console` has no chat)."""

    platform: Platform
    chat: str = ""
    thread: str | None = None  # Telegram forum topic or Discord thread

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read `console`, `telegram:<chat id or @channel>` or `discord:<channel id>`."""
        raw = text.strip()
        if raw == "console":
            return cls("console")
        platform, sep, chat = raw.partition(":")
        chat = chat.strip()
        if not sep or not chat:
            raise TargetError(
                f"target {text!r} must be 'console', 'telegram:<chat id or @channel>' "
                "or 'discord:<channel id>'"
            )
        if platform == "telegram" and _is_telegram_chat(chat):
            return cls("telegram", chat)
        if platform == "discord" and chat.isdigit():
            return cls("discord", chat)
        if platform in ("telegram", "discord"):
            raise TargetError(f"target {text!r} names no valid {platform} chat")
        raise TargetError(f"target {text!r} names an unknown platform {platform!r}")

    @classmethod
    def of(cls, platform: str, chat: str, thread: str | None = None) -> Target:
        """A target from stored values; an unknown platform is a TargetError, not a cast."""
        for known in PLATFORMS:
            if platform == known:
                return cls(known, chat, thread)
        raise TargetError(f"unknown platform {platform!r}")

    def __str__(self) -> str:
        return self.platform if self.platform == "console" else f"{self.platform}:{self.chat}"


def _is_telegram_chat(chat: str) -> bool:
    if chat.startswith("@"):
        name = chat[1:]
        return len(name) >= 4 and name.replace("_", "").isalnum() and name.isascii()
    return chat.removeprefix("-").isdigit()

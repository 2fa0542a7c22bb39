"""Per-entry processing, done once per new entry: full text, language, match, story key."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from bot.condense import LanguageDetector
from bot.dedupe import StoryKey, story_key
from bot.ingest.subscriptions import Matches, SubscriptionIndex
from bot.matching import MatchInput
from bot.model import Article
from bot.sources.fetch import Fetcher
from bot.sources.reader import with_full_text


@dataclass(frozen=True, slots=True)
class ProcessedEntry:
    """A new entry ready for story assignment and the outbox.

    `article.language` is the language judged once here (detected where it mattered, else
    declared); `key` is None for entries that never alert (a first poll's history).
    """

    article: Article
    key: StoryKey | None
    matches: Matches = ()

    @property
    def fingerprint(self) -> int:
        """The SimHash of title and teaser (the copy gate), also for keyless entries."""
        return self.key.fingerprint if self.key is not None else _fingerprint(self.article)


def _fingerprint(article: Article) -> int:
    return story_key(article.title, article.teaser, language=None).fingerprint


class _Language:
    """The entry's language, detected at most once and only when asked for."""

    def __init__(self, article: Article, declared: str | None, detector: LanguageDetector | None):
        self._article = article
        self._declared = declared
        self._detector = detector
        self._detected: str | None = None
        self._done = detector is None

    def detect(self) -> str | None:
        if not self._done:
            article = self._article
            assert self._detector is not None
            self._detected = self._detector.detect(
                f"{article.title}\n{article.body}", hint=self._declared
            )
            self._done = True
        return self._detected if self._detector is not None else self._declared


class EntryProcessor:
    """Turns new articles into processed entries; shared by `run` (poller) and `check`."""

    def __init__(
        self,
        subscriptions: SubscriptionIndex,
        *,
        fetcher: Fetcher | None = None,
        detector: LanguageDetector | None = None,
    ) -> None:
        self._subscriptions = subscriptions
        self._fetcher = fetcher
        self._detector = detector

    async def process(
        self,
        article: Article,
        *,
        hint: str | None = None,
        full_text: bool = False,
        trusted: bool = False,
    ) -> ProcessedEntry:
        """Fetch the page where asked, match every subscription, judge the language once
        (detected for entries that matched, else the declared one), and key the story."""
        if full_text and self._fetcher is not None:
            # `trusted` only for config sources: a chat source's pages pass the address guard.
            article = await with_full_text(self._fetcher, article, trusted=trusted)
        declared = article.language or hint
        language = _Language(article, declared, self._detector)
        matches = self._subscriptions.match(
            MatchInput(
                title=article.title,
                text=_match_text(article),
                link=article.link,
                language=declared,
                detect_language=language.detect if self._detector is not None else None,
            )
        )
        judged = language.detect() if matches else declared
        article = replace(article, language=judged)
        key = story_key(article.title, article.teaser, language=judged)
        return ProcessedEntry(article=article, key=key, matches=matches)


def history(article: Article, *, hint: str | None = None) -> ProcessedEntry:
    """An entry that is never alerted (a new source's baseline): no match, no key."""
    return ProcessedEntry(article=replace(article, language=article.language or hint), key=None)


class Processor(Protocol):
    """What the ingestor needs of per-entry processing (EntryProcessor, or a test's script)."""

    async def process(
        self,
        article: Article,
        *,
        hint: str | None = None,
        full_text: bool = False,
        trusted: bool = False,
    ) -> ProcessedEntry:
        """The processed entry of one new article."""
        ...


def _match_text(article: Article) -> str:
    """Teaser and full text, each once."""
    if article.content and article.content != article.teaser:
        return f"{article.teaser}\n{article.content}" if article.teaser else article.content
    return article.teaser

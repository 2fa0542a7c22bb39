"""The facade the app uses: detect the language, then summarise, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.condense.errors import InvalidLimitError
from bot.condense.language import LanguageDetector
from bot.condense.summary import summarize
from bot.model import Alert, Article, OtherReport


@dataclass(frozen=True, slots=True)
class Condensed:
    """An article reduced to its language and a short summary."""

    language: str | None
    summary: str


class Condenser:
    """Condenses articles for alerts; holds the (expensive) language detector.

    Pure CPU work, about 5 ms for a 2.5 KB article (see `bench/bench_sentences.py`);
    call it through `asyncio.to_thread` when condensing many full-text pages at once.
    """

    def __init__(
        self,
        detector: LanguageDetector | None = None,
        *,
        max_chars: int = 400,
        max_sentences: int = 3,
    ) -> None:
        if max_chars < 1 or max_sentences < 1:
            raise InvalidLimitError(f"limits must be >= 1: {max_chars=}, {max_sentences=}")
        # Built here, not at import: loading lingua's models takes about a second.
        self.detector = detector if detector is not None else LanguageDetector()
        self.max_chars = max_chars
        self.max_sentences = max_sentences
        # One article often matches several queries: judge its language once.
        self._language = lru_cache(maxsize=256)(self._detect)

    def condense(
        self, *, title: str, text: str, keywords: Sequence[str], hint: str | None = None
    ) -> Condensed:
        """Detect the article's language from title and text, then summarise the text."""
        language = self._language(title, text, hint)
        return Condensed(
            language=language, summary=self._summarize(text, title, keywords, language)
        )

    def _summarize(
        self, text: str, title: str, keywords: Sequence[str], language: str | None
    ) -> str:
        return summarize(
            text,
            title=title,
            keywords=keywords,
            language=language,
            max_chars=self.max_chars,
            max_sentences=self.max_sentences,
        )

    def alert(
        self,
        article: Article,
        *,
        matched: Sequence[str],
        query: str,
        default_language: str,
        judged: bool = False,
        also: tuple[OtherReport, ...] = (),
    ) -> Alert:
        """The alert for one subscription: the article condensed around its matched words.

        `judged`: the article's language was already judged at ingest (detected once,
        then kept), so it is used as it is instead of being detected again.
        """
        language = (
            article.language
            if judged
            else self._language(article.title, article.body, article.language)
        )
        summary = self._summarize(article.body, article.title, matched, language)
        return Alert(
            title=article.title,
            link=article.link,
            summary=summary,
            source=article.source,
            published=article.published,
            matched=tuple(matched),
            language=language or article.language or default_language,
            query=query,
            also=also,
        )

    def _detect(self, title: str, text: str, hint: str | None) -> str | None:
        return self.detector.detect(f"{title}\n{text}", hint=hint)

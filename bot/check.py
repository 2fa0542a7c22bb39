"""`newsbot check`: a stateless dry run from sources to rendered alerts."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TextIO

from bot.condense import Condenser, LanguageDetector
from bot.delivery.render import render_plain
from bot.errors import EXIT_OK, EXIT_SOURCE_FAILED, UsageError
from bot.ingest import EntryProcessor, ProcessedEntry, StoryAssigner, SubscriptionIndex
from bot.matching import QuerySyntaxError, parse_query
from bot.model import Alert, Article, OtherReport
from bot.settings import Settings
from bot.sources.errors import SourceError
from bot.sources.fetch import Fetcher, build_user_agent, create_http_session
from bot.sources.reader import read_source, with_full_text

log = logging.getLogger(__name__)

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What `newsbot check` was asked to do, already parsed from the command line."""

    sources: tuple[str, ...]
    queries: tuple[tuple[str, str], ...]  # (where it came from, query text)
    language: str
    output: Literal["text", "json"] = "text"
    full_text: bool = False


async def run_check(options: CheckOptions, *, settings: Settings, out: TextIO | None = None) -> int:
    """Read every source, group their entries into stories, print one alert per story per
    query; 1 if any source failed."""
    stream = out or sys.stdout
    index = _compile(options.queries)
    # Loading the language models takes about a second: overlap it with the fetching.
    detector = asyncio.create_task(asyncio.to_thread(LanguageDetector))
    failed = False
    async with create_http_session(
        user_agent=build_user_agent(settings.user_agent_contact)
    ) as session:
        fetcher = Fetcher(session)
        # A SOURCE the config file names is shown under its configured name, as `run` does.
        names = {str(source.url): source.name for source in settings.sources}
        reads = await asyncio.gather(
            # The operator's own command line: trusted like config sources.
            *(
                read_source(
                    fetcher,
                    source,
                    name=names.get(source),
                    trusted=True,
                    max_entries=settings.max_entries_per_poll,
                )
                for source in options.sources
            ),
            return_exceptions=True,
        )
        articles: list[Article] = []
        for source, read in zip(options.sources, reads, strict=True):
            if isinstance(read, SourceError):
                print(f"newsbot check: {source}: {read}", file=sys.stderr)
                failed = True
                continue
            if isinstance(read, BaseException):
                raise read
            articles.extend(read.articles)
        languages = await detector
        condenser = Condenser(languages, max_chars=settings.summary_max_chars)
        processor = EntryProcessor(index, detector=languages)
        stories = await _group(processor, _in_publication_order(articles))
        first = True
        for story in stories:
            for alert in await _alerts(story, condenser, fetcher, options):
                if options.output == "json":
                    stream.write(_as_json(alert, story, options.language) + "\n")
                else:
                    stream.write(("" if first else "\n") + render_plain(alert, options.language))
                    stream.write("\n")
                first = False
    stream.flush()
    return EXIT_SOURCE_FAILED if failed else EXIT_OK


@dataclass(frozen=True, slots=True)
class _Story:
    """One story of the run: its number (1, 2, … in order of first report) and its entries
    in publication order."""

    number: int
    entries: tuple[ProcessedEntry, ...]


def _in_publication_order(articles: list[Article]) -> list[Article]:
    # Undated entries last, each source's own order kept among equals (sorted is stable).
    return sorted(articles, key=lambda a: (a.published is None, a.published or _OLDEST))


async def _group(processor: EntryProcessor, articles: list[Article]) -> list[_Story]:
    """Every entry processed once and grouped into stories as `run` groups them."""
    assigner = StoryAssigner(None)
    members: dict[int, list[ProcessedEntry]] = {}
    async with assigner.assigning(datetime.now(UTC)) as assignment:
        for article in articles:
            entry = await processor.process(article)
            members.setdefault(assignment.choose(entry.article.link, entry.key), []).append(entry)
    return [
        _Story(number, tuple(entries)) for number, entries in enumerate(members.values(), start=1)
    ]


async def _alerts(
    story: _Story, condenser: Condenser, fetcher: Fetcher, options: CheckOptions
) -> list[Alert]:
    """One alert per query the story matches, led by its earliest entry matching it; the
    story's other entries matching the query are its `also`."""
    alerts: list[Alert] = []
    for key, (_, query) in enumerate(options.queries):
        matching = [
            (entry, matched)
            for entry in story.entries
            for sub, matched in entry.matches
            if sub == key
        ]
        if not matching:
            continue
        (lead, matched), others = matching[0], matching[1:]
        article = lead.article
        if options.full_text:
            # The operator's own command line: trusted like config sources.
            article = await with_full_text(fetcher, article, trusted=True)
        alerts.append(
            condenser.alert(
                article,
                matched=matched,
                query=query,
                default_language=options.language,
                judged=article.language is not None,
                also=tuple(
                    OtherReport(e.article.source, e.article.title, e.article.link)
                    for e, _ in others
                ),
            )
        )
    return alerts


def _compile(queries: Sequence[tuple[str, str]]) -> SubscriptionIndex:
    index = SubscriptionIndex()
    for number, (where, text) in enumerate(queries):
        try:
            index.add_query(number, parse_query(text), text)
        except QuerySyntaxError as exc:
            raise UsageError(f"invalid query ({where}) {text!r}: {exc}") from exc
    return index


def _as_json(alert: Alert, story: _Story, language: str) -> str:
    return json.dumps(
        {
            "query": alert.query,
            "title": alert.title,
            "link": alert.link,
            "source": alert.source,
            "published": alert.published.isoformat() if alert.published else None,
            "language": alert.language,
            "matched": list(alert.matched),
            "summary": alert.summary,
            "message": render_plain(alert, language),
            "story": story.number,
            "also": [
                {"source": other.source, "title": other.title, "link": other.link}
                for other in alert.also
            ],
        },
        ensure_ascii=False,
    )

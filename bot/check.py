"""`newsbot check`: a stateless dry run from sources to rendered alerts."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TextIO

from bot.condense import Condenser, LanguageDetector
from bot.delivery.render import render_plain
from bot.errors import EXIT_OK, EXIT_SOURCE_FAILED, UsageError
from bot.matching import QueryIndex, QuerySyntaxError, parse_query
from bot.model import Alert, Article
from bot.settings import Settings
from bot.sources.errors import SourceError
from bot.sources.fetch import Fetcher, build_user_agent, create_http_session
from bot.sources.reader import match_input, read_source, with_full_text

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What `newsbot check` was asked to do, already parsed from the command line."""

    sources: tuple[str, ...]
    queries: tuple[tuple[str, str], ...]  # (where it came from, query text)
    language: str
    output: Literal["text", "json"] = "text"
    full_text: bool = False


async def run_check(options: CheckOptions, *, settings: Settings, out: TextIO | None = None) -> int:
    """Read every source, print each alert it would give; 1 if any source failed."""
    stream = out or sys.stdout
    index = _compile(options.queries)
    # Loading the language models takes about a second: overlap it with the fetching.
    detector = asyncio.create_task(asyncio.to_thread(LanguageDetector))
    failed = False
    async with create_http_session(
        user_agent=build_user_agent(settings.user_agent_contact)
    ) as session:
        fetcher = Fetcher(session)
        reads = await asyncio.gather(
            *(read_source(fetcher, source) for source in options.sources), return_exceptions=True
        )
        condenser = Condenser(await detector, max_chars=settings.summary_max_chars)
        first = True
        for source, read in zip(options.sources, reads, strict=True):
            if isinstance(read, SourceError):
                print(f"newsbot check: {source}: {read}", file=sys.stderr)
                failed = True
                continue
            if isinstance(read, BaseException):
                raise read
            for article in read.articles:
                for alert in await _alerts_for(article, index, condenser, fetcher, options):
                    if options.output == "json":
                        stream.write(_as_json(alert, options.language) + "\n")
                    else:
                        stream.write(
                            ("" if first else "\n") + render_plain(alert, options.language)
                        )
                        stream.write("\n")
                    first = False
    stream.flush()
    return EXIT_SOURCE_FAILED if failed else EXIT_OK


def _compile(queries: Sequence[tuple[str, str]]) -> QueryIndex[int]:
    index: QueryIndex[int] = QueryIndex()
    for number, (where, text) in enumerate(queries):
        try:
            index.add(number, parse_query(text))
        except QuerySyntaxError as exc:
            raise UsageError(f"invalid query ({where}) {text!r}: {exc}") from exc
    return index


async def _alerts_for(
    article: Article,
    index: QueryIndex[int],
    condenser: Condenser,
    fetcher: Fetcher,
    options: CheckOptions,
) -> list[Alert]:
    matches = index.match(match_input(article, detector=condenser.detector))
    if not matches:
        return []
    if options.full_text:
        article = await with_full_text(fetcher, article)
    return [
        condenser.alert(
            article,
            matched=match.matched,
            query=options.queries[match.key][1],
            default_language=options.language,
        )
        for match in matches
    ]


def _as_json(alert: Alert, language: str) -> str:
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
        },
        ensure_ascii=False,
    )

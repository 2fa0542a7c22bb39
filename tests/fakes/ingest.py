"""Ingest with scripted per-entry results: each test says which story and matches an entry
has, and the real ingestor, story index and store do the rest."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.dedupe import StoryKey
from bot.ingest import Ingestor, ProcessedEntry, StoryAssigner
from bot.model import Article
from bot.store import IngestReport, Store


def scripted_key(story: int, language: str | None = None) -> StoryKey:
    """A story key that is identical for equal `story` numbers and far from every other:
    the index merges exactly the entries a test puts into one story."""
    digest = hashlib.blake2b(str(story).encode(), digest_size=8).digest()
    fingerprint = int.from_bytes(digest, "big", signed=True)
    tokens = tuple(sorted(f"story{story}tok{n}" for n in range(6)))
    return StoryKey(title=tokens, teaser=(), fingerprint=fingerprint, language=language)


def entry(
    article: Article, story: int = 0, matches: Mapping[int, tuple[str, ...]] | None = None
) -> ProcessedEntry:
    """The processed form of `article`: in scripted story `story`, matching `matches`."""
    return ProcessedEntry(
        article=article,
        key=scripted_key(story, article.language),
        matches=tuple((matches or {}).items()),
    )


class ScriptedProcessor:
    """Returns the scripted entry of each article (by id)."""

    def __init__(self, entries: Sequence[ProcessedEntry]) -> None:
        self._entries = {e.article.id: e for e in entries}

    async def process(
        self,
        article: Article,
        *,
        hint: str | None = None,
        full_text: bool = False,
        trusted: bool = False,
    ) -> ProcessedEntry:
        """The scripted entry; an unscripted article matches nothing."""
        return self._entries.get(article.id) or entry(article, -hash(article.id))


# One story index per store, as the app has one: parallel ingests are serialised by it.
_ASSIGNERS: weakref.WeakKeyDictionary[Store, StoryAssigner] = weakref.WeakKeyDictionary()


async def ingest(
    store: Store, source_id: int, entries: Sequence[ProcessedEntry], *, now: datetime
) -> IngestReport:
    """One poll of `source_id` returning `entries`, through the real ingest stage."""
    source = await store.get_source(source_id)
    assert source is not None
    stories = _ASSIGNERS.setdefault(store, StoryAssigner(store))
    ingestor = Ingestor(store, ScriptedProcessor(entries), stories)
    return await ingestor.ingest(source, [e.article for e in entries], now=now)

"""One poll's entries from the feed to the outbox: the pipeline's single home.

Same item? (`bot.dedupe.items`) -> which entries alert (`plan.pick_backfill`) -> per-entry
processing (`process`) -> same story? (`stories`) -> message or edit (`plan.plan_alerts`)
-> one write (`Store.write_ingest`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.condense import LanguageDetector
from bot.dedupe.items import resolve_items
from bot.ingest.plan import StoryEntry, pick_backfill, plan_alerts
from bot.ingest.process import EntryProcessor, ProcessedEntry, Processor, history
from bot.ingest.stories import StoryAssigner
from bot.ingest.subscriptions import SubscriptionIndex
from bot.model import Article
from bot.sources.fetch import Fetcher
from bot.store import IngestReport, IngestWrite, NewItem, SourceRecord, Store


class Ingestor:
    """Decides what a poll's entries are and hands the store one write."""

    def __init__(self, store: Store, processor: Processor, stories: StoryAssigner) -> None:
        self._store = store
        self._processor = processor
        self._stories = stories

    async def ingest(
        self, source: SourceRecord, articles: Sequence[Article], *, now: datetime
    ) -> IngestReport:
        """Store the poll's new entries and queue alerts and edits for those that are news
        (after the source's first poll, which is its baseline, except `backfill` entries)."""
        if not source.baselined:
            # The caller's record may predate an earlier poll's baseline: read it afresh.
            source = await self._store.get_source(source.id) or source
        resolution = resolve_items(articles, await self._store.stored_items(source.id, articles))
        alerting = (
            set(resolution.new)
            if source.baselined
            else set(pick_backfill(articles, resolution.new, source.backfill))
        )
        entries = [
            await self._process(source, articles[position], alerting=position in alerting)
            for position in resolution.new
        ]
        async with self._stories.assigning(now) as assignment:
            # Read under the lock, so a parallel poll's write of the same link is seen.
            assignment.know_links(
                await self._store.stories_by_link(
                    (entry.article.link for entry in entries), since=now - self._stories.window
                )
            )
            chosen = [assignment.choose(entry.article.link, entry.key) for entry in entries]
            story_entries = [
                StoryEntry(position, story, entry.matches)
                for position, (entry, story) in enumerate(zip(entries, chosen, strict=True))
                if entry.matches
            ]
            context = await self._store.alert_context(
                (sub for entry in story_entries for sub, _ in entry.matches),
                (entry.story for entry in story_entries),
                now=now,
            )
            report = await self._store.write_ingest(
                IngestWrite(
                    source_id=source.id,
                    now=now,
                    new_items=tuple(
                        NewItem(
                            entry.article,
                            entry.fingerprint,
                            story,
                            entry.key.dumps() if entry.key is not None else None,
                        )
                        for entry, story in zip(entries, chosen, strict=True)
                    ),
                    seen=resolution.seen,
                    guid_changes=resolution.guid_changes,
                    plan=plan_alerts(story_entries, context),
                    baselined_now=not source.baselined,
                )
            )
        return replace(report, known_items=resolution.known)

    async def _process(
        self, source: SourceRecord, article: Article, *, alerting: bool
    ) -> ProcessedEntry:
        if not alerting:
            return history(article, hint=source.language)
        # Only news gets its page fetched: a first poll's entries are never alerted.
        return await self._processor.process(
            article,
            hint=source.language,
            full_text=source.full_text and source.baselined,
            trusted=source.origin == "config",
        )


def build_ingestor(
    store: Store,
    subscriptions: SubscriptionIndex,
    *,
    fetcher: Fetcher | None,
    detector: LanguageDetector | None,
) -> Ingestor:
    """The ingest stage as `run` wires it: real per-entry processing and story index."""
    return Ingestor(
        store,
        EntryProcessor(subscriptions, fetcher=fetcher, detector=detector),
        StoryAssigner(store),
    )

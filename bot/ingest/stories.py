"""Story assignment during ingest: the one owner of the in-memory story index.

The index is rebuilt from the store's items of the window at the first ingest (and after
an expiry deleted stories, or a failed write) and catches up on the store's new items after
each write that stored keyed items; the entries of the batch being decided join it
provisionally, under negative ids, and leave it again once the write is done or failed.
One process writes through one assigner: several processes on one database (PostgreSQL)
would each have to catch up before every batch as well.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from bot.dedupe import StoryIndex, StoryKey, StoryKeyError
from bot.store import Store

log = logging.getLogger(__name__)

STORY_WINDOW = timedelta(hours=72)
_PAGE = 20_000  # stored members loaded per query when catching up


class Assignment:
    """The story decisions of one batch, in order; later entries see the earlier ones."""

    def __init__(
        self,
        index: StoryIndex,
        now: datetime,
        by_link: Mapping[str, int],
        ids: Iterator[int] | None = None,
    ) -> None:
        self._index = index
        self._now = now
        self._by_link = dict(by_link)
        # Negative ids, never reused while the index lives: a provisional member's expiry
        # entry can then never take a later batch's member with it.
        self._ids = ids if ids is not None else itertools.count(-1, -1)
        self._provisional: list[int] = []
        self.keyed = False  # whether any entry of the batch has a story key

    def know_links(self, by_link: Mapping[str, int]) -> None:
        """Stored stories by canonical link, read under the batch's lock."""
        for link, story in by_link.items():
            self._by_link.setdefault(link, story)

    def choose(self, link: str, key: StoryKey | None) -> int:
        """The story of the next new entry: a stored one (same link, else similar), or a new
        one (negative id). Keyless entries (history) only join by link."""
        story = self._by_link.get(link) if link else None
        if story is None and key is not None:
            story = self._index.find(key, now=self._now)
        if story is None:
            story = next(self._ids)
        if key is not None:
            member = next(self._ids)
            self._provisional.append(member)
            self._index.add(member, story, key, at=self._now)
            self.keyed = True
        if link:
            self._by_link.setdefault(link, story)
        return story

    def forget(self) -> None:
        """Take the batch's provisional members out of the index."""
        for member in self._provisional:
            self._index.remove(member)
        self._provisional.clear()


class StoryAssigner:
    """Owns the story index; one per app (and one per `check` run, without a store)."""

    def __init__(self, store: Store | None, *, window: timedelta = STORY_WINDOW) -> None:
        self._store = store
        self.window = window
        self.index = StoryIndex(window=window)
        self._watermark = 0
        self._deletions = 0
        self._loaded = False
        self._provisional_ids = itertools.count(-1, -1)
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def assigning(
        self, now: datetime, *, by_link: Mapping[str, int] | None = None
    ) -> AsyncIterator[Assignment]:
        """One batch's decisions, serialised with every other batch's; the stored result
        is read back into the index after the block (whose write must be done by then)."""
        async with self._lock:
            if not self._loaded or self._store_changed():
                await self.catch_up(now)
            assignment = Assignment(self.index, now, by_link or {}, self._provisional_ids)
            try:
                yield assignment
            except BaseException:
                # The write may have failed on a story deleted meanwhile (by another
                # process's expiry): rebuild from the store before the next batch.
                self._reset()
                raise
            finally:
                assignment.forget()
            if assignment.keyed:
                await self.catch_up(now)  # the batch's own members, under their stored ids
            else:
                self.index.expire(now - self.window)

    def _reset(self) -> None:
        self.index = StoryIndex(window=self.window)
        self._watermark = 0
        self._loaded = False

    def _store_changed(self) -> bool:
        # Within one process every write of items goes through this assigner, which catches
        # up after it; only an expiry that deleted stories makes the index stale.
        return self._store is not None and self._store.stories_deleted != self._deletions

    async def catch_up(self, now: datetime) -> None:
        """Load stored members the index has not seen yet, and forget those past the window."""
        cutoff = now - self.window
        if self._store is not None:
            if self._store.stories_deleted != self._deletions:
                self._deletions = self._store.stories_deleted
                self._reset()
            while True:
                members = await self._store.story_members(
                    after_item_id=self._watermark, since=cutoff, limit=_PAGE
                )
                for member in members:
                    self._watermark = max(self._watermark, member.item_id)
                    try:
                        key = StoryKey.loads(member.story_key)
                    except StoryKeyError as exc:
                        log.warning("item %d has an unreadable story key: %s", member.item_id, exc)
                        continue
                    self.index.add(member.item_id, member.story_id, key, at=member.first_seen_at)
                if len(members) < _PAGE:
                    break
        self._loaded = True
        self.index.expire(cutoff)

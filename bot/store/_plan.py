"""Pure decisions of `ingest`: which entries are known, which story a new one joins, backfill.

No I/O: `_ingest.py` loads the rows these functions need and writes what they decide.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.model import Article

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class KnownItem:
    """The identifying columns of an item already stored for the polled source."""

    id: int
    guid: str
    link: str
    title: str


@dataclass(frozen=True, slots=True)
class Resolution:
    """Which entries are new, and what to update on the stored items the others matched."""

    new: tuple[int, ...]  # positions in the entries, in the order given
    seen: tuple[int, ...]  # stored item ids to touch (last_seen_at)
    guid_changes: tuple[tuple[int, str], ...]  # (stored item id, its new guid)
    known: int  # entries that were not new (stored items and repeats within the batch)


def resolve_items(articles: Sequence[Article], stored: Iterable[KnownItem]) -> Resolution:
    """Match each article to a stored item of its source: by guid, else link, else title.

    A title match (and a guid rewrite) counts only when the stored item's own guid is absent
    from this poll: then the feed re-issued the article under a new guid. When both guids
    are present, they are two articles that happen to share a title ("Die Woche").
    """
    stored = list(stored)
    by_guid = {item.guid: item for item in stored}
    by_link = {item.link: item for item in stored if item.link}
    by_title = {item.title: item for item in stored if item.title}
    polled_guids = {article.id for article in articles}
    new: list[int] = []
    new_keys: set[tuple[str, str]] = set()
    seen: dict[int, None] = {}
    guid_changes: dict[int, str] = {}
    for position, article in enumerate(articles):
        item = by_guid.get(article.id) or by_link.get(article.link)
        title_item = by_title.get(article.title)
        if item is None and title_item is not None and title_item.guid not in polled_guids:
            item = title_item
        if item is not None:
            seen[item.id] = None
            free = article.id not in by_guid and ("guid", article.id) not in new_keys
            if free and item.guid not in polled_guids and item.id not in guid_changes:
                guid_changes[item.id] = article.id
                by_guid[article.id] = item
            continue
        keys = {("guid", article.id), ("link", article.link)} if article.link else set()
        keys.add(("guid", article.id))
        if keys & new_keys:
            continue  # the same article twice in one feed
        new_keys |= keys
        new.append(position)
    return Resolution(
        new=tuple(new),
        seen=tuple(seen),
        guid_changes=tuple(guid_changes.items()),
        known=len(articles) - len(new),
    )


@dataclass(eq=False, slots=True)
class NewStory:
    """A story to create, founded by the entry at `founder` (identity matters, not value)."""

    founder: int


StoryChoice = int | NewStory


@dataclass(slots=True)
class StoryFinder:
    """Finds the story of each new item: same link, else a similar fingerprint, else new.

    `by_link` maps canonical links (seen within the window, any source) to story ids;
    `window[start:]` holds (story id, fingerprint) of the window's stories, oldest first, so
    that an item similar to several stories joins the first one (the one alerted first).
    """

    same_story: Callable[[int, int], bool]
    by_link: dict[str, StoryChoice] = field(default_factory=dict)
    window: Sequence[tuple[int, int]] = ()
    start: int = 0
    created: list[tuple[NewStory, int]] = field(default_factory=list)
    _exact: dict[int, StoryChoice] | None = None

    def choose(
        self, position: int, link: str, fingerprint: int, *, scan: bool = True
    ) -> StoryChoice:
        """The story for the new item at `position`; later items see the stories made here.

        `scan=False` compares fingerprints for equality only (a dict lookup instead of a
        linear scan), for items that will never be alerted (a new source's baseline).
        """
        choice = self.by_link.get(link) if link else None
        if choice is None:
            choice = self._similar(fingerprint) if scan else self._equal(fingerprint)
        if choice is None:
            choice = NewStory(position)
            self.created.append((choice, fingerprint))
            if self._exact is not None:
                self._exact.setdefault(fingerprint, choice)
        if link:
            self.by_link.setdefault(link, choice)
        return choice

    def comparisons(self, scanned_items: int) -> int:
        """About how many `same_story` calls scanning that many items costs."""
        return scanned_items * (len(self.window) - self.start + scanned_items)

    def _similar(self, fingerprint: int) -> StoryChoice | None:
        same = self.same_story
        for story, other in itertools.islice(self.window, self.start, None):
            if same(other, fingerprint):
                return story
        for new, other in self.created:
            if same(other, fingerprint):
                return new
        return None

    def _equal(self, fingerprint: int) -> StoryChoice | None:
        if self._exact is None:
            exact: dict[int, StoryChoice] = {}
            for story, other in itertools.islice(self.window, self.start, None):
                exact.setdefault(other, story)
            for new, other in self.created:
                exact.setdefault(other, new)
            self._exact = exact
        return self._exact.get(fingerprint)


def pick_backfill(articles: Sequence[Article], positions: Sequence[int], count: int) -> list[int]:
    """The `count` newest of the given entries: by published, undated ones last, else feed order.

    Returned in the order given, so alerts go out in the feed's order.
    """
    if count <= 0:
        return []
    ranked = sorted(
        positions,
        key=lambda position: (
            -(articles[position].published or _OLDEST).timestamp(),
            position,
        ),
    )
    chosen = set(ranked[:count])
    return [position for position in positions if position in chosen]

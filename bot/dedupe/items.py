"""Same item: which polled entries a source already has (pure; the store loads the rows)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.model import Article


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

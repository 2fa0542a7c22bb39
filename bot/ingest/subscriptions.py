"""The compiled index over every active subscription, kept current as they change."""

from __future__ import annotations

import logging

from bot.matching import MatchInput, Query, QueryIndex, parse_query
from bot.store import SubscriptionRecord

log = logging.getLogger(__name__)

Matches = tuple[tuple[int, tuple[str, ...]], ...]  # (subscription id, matched words)


class SubscriptionIndex:
    """One compiled index over every active subscription's query (or `check`'s queries)."""

    def __init__(self) -> None:
        self._index: QueryIndex[int] = QueryIndex()
        self._queries: dict[int, str] = {}

    def load(self, subscriptions: list[SubscriptionRecord]) -> None:
        """Make the index hold exactly `subscriptions`, touching only what changed."""
        wanted = {record.id: record for record in subscriptions}
        for gone in set(self._queries) - set(wanted):
            self.remove(gone)
        for record in subscriptions:
            if self._queries.get(record.id) != record.query:
                self.add(record)

    def add(self, subscription: SubscriptionRecord) -> None:
        """Index one subscription; a query that no longer parses is logged and skipped."""
        try:
            query = parse_query(subscription.query)
        except ValueError as exc:
            log.error("subscription %d has an invalid query: %s", subscription.id, exc)
            return
        self.add_query(subscription.id, query, subscription.query)

    def add_query(self, key: int, query: Query, text: str) -> None:
        """Index a parsed query under `key` (replacing what `key` had)."""
        self._index.add(key, query)
        self._queries[key] = text

    def remove(self, subscription_id: int) -> None:
        """Forget a subscription."""
        self._index.remove(subscription_id)
        self._queries.pop(subscription_id, None)

    def __len__(self) -> int:
        return len(self._index)

    def match(self, text: MatchInput) -> Matches:
        """(subscription id, matched words) for every subscription the text matches."""
        return tuple((match.key, match.matched) for match in self._index.match(text))

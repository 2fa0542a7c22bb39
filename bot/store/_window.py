"""The in-memory list of recent story fingerprints that `ingest` scans for near-duplicates.

Kept between calls so a poll does not reload tens of thousands of rows; valid because only
`ingest` adds stories and only `expire` deletes them, both under the store's ingest lock (one
Store per database, which the app guarantees by owning the only one).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime

# Prune the stories before the window once they are this many: amortised, not every call.
_PRUNE_AT = 1024


@dataclass(slots=True)
class StoryWindow:
    """Stories first seen at or after `covered_from`, sorted by first_seen_at (oldest first)."""

    covered_from: datetime
    times: list[datetime] = field(default_factory=list)
    stories: list[tuple[int, int]] = field(default_factory=list)  # (story id, fingerprint)

    def covers(self, cutoff: datetime) -> bool:
        """Whether every story first seen at or after `cutoff` is here."""
        return cutoff >= self.covered_from

    def start(self, cutoff: datetime) -> int:
        """Index of the first story first seen at or after `cutoff`."""
        return bisect.bisect_left(self.times, cutoff)

    def add(self, first_seen_at: datetime, story_id: int, fingerprint: int) -> None:
        """Add a committed story, keeping the time order (appends in the usual case)."""
        at = bisect.bisect_right(self.times, first_seen_at)
        self.times.insert(at, first_seen_at)
        self.stories.insert(at, (story_id, fingerprint))

    def prune(self, cutoff: datetime) -> None:
        """Forget the stories before `cutoff` when enough of them have piled up."""
        at = self.start(cutoff)
        if at >= _PRUNE_AT:
            del self.times[:at]
            del self.stories[:at]
            self.covered_from = max(self.covered_from, cutoff)

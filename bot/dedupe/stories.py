"""Which story a new item belongs to: an in-memory index of the stories within the window.

A story is the set of its members' keys. A new item is compared with the whole story (the
centroid of its members' token weights), never only with its first item, by the cosine of
their token vectors weighted by rarity (inverse story frequency within the window). Two
outlets' own headlines of one event share the rare tokens that carry it (names, product
codes, numbers) and little else, so rarity does the work that word overlap cannot.
`bench/bench_stories.py` measures this against the alternatives and shows how THRESHOLD
was chosen.

Cost does not grow with the window: candidates come from an inverted index over tokens,
visited rarest first within a fixed budget of postings, and only the best few candidates
are scored in full.
"""

from __future__ import annotations

import heapq
import itertools
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.dedupe._key import StoryKey, StoryKeyError, story_key
from bot.dedupe._simhash import THRESHOLD as COPY_BITS

__all__ = ["STORY_THRESHOLD", "StoryIndex", "StoryKey", "StoryKeyError", "story_key"]

STORY_THRESHOLD = 0.35

# A teaser token weighs this much of a title token: the headline names the story, the lead
# adds detail (and sometimes boilerplate).
TEASER_WEIGHT = 0.5

# Fewer story tokens than this and an item founds its own story: a one-word title ("Live")
# carries no story, whatever it shares.
MIN_TOKENS = 3
# A merge needs at least this many distinct shared tokens, so one rare shared word is not
# a story.
MIN_SHARED = 2

# Postings visited per `find`, rarest tokens first; common tokens only score candidates.
POSTINGS_BUDGET = 4000
# Stories up to this size are checked member by member for copies; a bigger one's centroid
# already stands for its copies.
COPY_SCAN = 32
# Candidates scored in full per `find`, the best by their rare-token overlap.
CANDIDATES = 64


@dataclass(slots=True)
class _Member:
    """One item of a story: its key and when it was first seen."""

    story: int
    key: StoryKey
    at: datetime


@dataclass(slots=True)
class _Story:
    """A story's members and the sum of their token weights (the centroid times `size`)."""

    founded: datetime
    order: int
    members: set[int] = field(default_factory=set)
    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 0.0  # |centroid| with the rarity of the last change

    @property
    def size(self) -> int:
        return len(self.members)


def _field_weights(key: StoryKey) -> dict[str, float]:
    """Each token of the key with its field's weight (title 1, teaser TEASER_WEIGHT)."""
    weights = dict.fromkeys(key.teaser, TEASER_WEIGHT)
    weights.update(dict.fromkeys(key.title, 1.0))
    return weights


class StoryIndex:
    """In-memory, pure (no I/O) index of the stories within the window."""

    def __init__(
        self, *, window: timedelta = timedelta(hours=72), threshold: float = STORY_THRESHOLD
    ) -> None:
        self.window = window
        self.threshold = threshold
        self.scored = 0  # candidates scored in full, over the index's life (cost, for tests)
        self._members: dict[int, _Member] = {}
        self._stories: dict[int, _Story] = {}
        self._postings: dict[str, set[int]] = {}  # token -> stories holding it
        self._timeline: list[tuple[datetime, int, int]] = []  # (at, seq, item id), a heap
        self._seq = itertools.count()

    def __len__(self) -> int:
        """Stories held."""
        return len(self._stories)

    def add(self, item_id: int, story_id: int, key: StoryKey, *, at: datetime) -> None:
        """Make item `item_id` a member of story `story_id`; again for the same item: no-op."""
        member = self._members.get(item_id)
        if member is not None:
            if member.story == story_id:
                return
            self.remove(item_id)
        story = self._stories.get(story_id)
        if story is None:
            story = _Story(founded=at, order=next(self._seq))
            self._stories[story_id] = story
        story.founded = min(story.founded, at)
        self._members[item_id] = _Member(story_id, key, at)
        story.members.add(item_id)
        for token, weight in _field_weights(key).items():
            if token not in story.weights:
                self._postings.setdefault(token, set()).add(story_id)
                story.weights[token] = weight
            else:
                story.weights[token] += weight
        story.norm = self._norm(story)
        heapq.heappush(self._timeline, (at, next(self._seq), item_id))

    def remove(self, item_id: int) -> None:
        """Forget one member; a story left with no members disappears."""
        member = self._members.pop(item_id, None)
        if member is None:
            return
        story = self._stories[member.story]
        story.members.discard(item_id)
        for token, weight in _field_weights(member.key).items():
            left = story.weights[token] - weight
            if left > 1e-9:
                story.weights[token] = left
                continue
            del story.weights[token]
            holders = self._postings[token]
            holders.discard(member.story)
            if not holders:
                del self._postings[token]
        if not story.members:
            del self._stories[member.story]
        else:
            story.norm = self._norm(story)

    def expire(self, cutoff: datetime) -> None:
        """Forget the members first seen before `cutoff`."""
        timeline = self._timeline
        while timeline and timeline[0][0] < cutoff:
            at, _, item_id = heapq.heappop(timeline)
            member = self._members.get(item_id)
            if member is not None and member.at == at:
                self.remove(item_id)

    def find(self, key: StoryKey, *, now: datetime) -> int | None:
        """The story `key` belongs to, or None (it founds a new one).

        Members older than the window before `now` are forgotten first. When several
        stories qualify: the best score, ties to the oldest story.
        """
        self.expire(now - self.window)
        weights = _field_weights(key)
        if len(weights) < MIN_TOKENS:
            return None
        rarity = {token: self._rarity(token) for token in weights}
        vector = {token: weight * rarity[token] for token, weight in weights.items()}
        norm = math.sqrt(sum(value * value for value in vector.values()))
        best: tuple[float, datetime, int, int] | None = None
        for story_id in self._candidates(vector):
            self.scored += 1
            story = self._stories[story_id]
            score = self._score(vector, norm, rarity, story)
            if 0.0 < score < self.threshold and self._copies(key, story):
                score = 1.0
            if score < self.threshold:
                continue
            rank = (-score, story.founded, story.order, story_id)
            if best is None or rank < best:
                best = rank
        return None if best is None else best[3]

    def _rarity(self, token: str) -> float:
        """Inverse story frequency of `token` in the window (unseen tokens are the rarest)."""
        holders = self._postings.get(token)
        return math.log(1.0 + (len(self._stories) + 1) / (len(holders) if holders else 1))

    def _norm(self, story: _Story) -> float:
        """|centroid| of the story, with today's rarities."""
        size = story.size
        return math.sqrt(
            sum(
                (weight / size * self._rarity(token)) ** 2
                for token, weight in story.weights.items()
            )
        )

    def _candidates(self, vector: dict[str, float]) -> list[int]:
        """The stories worth scoring: those sharing the rarest tokens, best overlap first."""
        postings = self._postings
        present = sorted(
            (token for token in vector if token in postings),
            key=lambda token: (len(postings[token]), token),
        )
        overlap: dict[int, float] = {}
        budget = POSTINGS_BUDGET
        for token in present:
            holders = postings[token]
            if len(holders) > budget:
                break
            budget -= len(holders)
            value = vector[token]
            for story_id in holders:
                overlap[story_id] = overlap.get(story_id, 0.0) + value
        if len(overlap) <= CANDIDATES:
            return list(overlap)
        return heapq.nlargest(CANDIDATES, overlap, key=overlap.__getitem__)

    def _copies(self, key: StoryKey, story: _Story) -> bool:
        """Whether `key` is a copy of a member (SimHash within COPY_BITS): a wire copy or an
        edited re-post is the same story even where its few words score low."""
        if not key.fingerprint or story.size > COPY_SCAN:
            return False
        mask = (1 << 64) - 1
        return any(
            ((self._members[item].key.fingerprint ^ key.fingerprint) & mask).bit_count()
            <= COPY_BITS
            for item in story.members
        )

    @staticmethod
    def _score(
        vector: dict[str, float],
        norm: float,
        rarity: dict[str, float],
        story: _Story,
    ) -> float:
        """Cosine of the item and the story's centroid; 1.0 for a copy of a member."""
        size = story.size
        shared = 0
        dot = 0.0
        for token, value in vector.items():
            weight = story.weights.get(token)
            if weight is not None:
                shared += 1
                dot += value * weight / size * rarity[token]
        if shared < MIN_SHARED or not norm or not story.norm:
            return 0.0
        return dot / (norm * story.norm)

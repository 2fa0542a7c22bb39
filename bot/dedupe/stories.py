"""Which story a new item belongs to: an in-memory index of the stories within the window.

A story is the set of its members' keys. A new item is compared with the whole story (the
centroid of its members' token weights), never only with its first item, by the cosine of
their token vectors weighted by rarity (inverse story frequency within the window). Two
outlets' own headlines of one event share the rare tokens that carry it (names, product
codes, numbers) and little else, so rarity does the work that word overlap cannot.

How STORY_THRESHOLD and CROSS_WEIGHT were chosen (`python -m bench stories`; lead stream:
634 real headline+lead items of 26 outlets labelled by story by hand; UCI: 6,366 headlines
in 87 stories grouped by a news aggregator; DE-EN: 80 German/English same-story pairs and
100 same-brand different-story pairs; see bench/data/PROVENANCE.md):

    method          thr   lead: alerts/story  wrong | UCI: alerts/story | DE-EN same  diff
    simhash (old)   12          3.19          0.0%  |        63.5       |     -
    tokens          0.30        1.58          2.7%  |        15.3       |    90%     8%
    tokens          0.35        1.73          2.5%  |        18.9       |    85%     4%
    tokens          0.375       2.00          0.9%  |        21.6       |    80%     2%  <-
    tokens          0.40        2.09          0.6%  |        24.9       |    76%     2%
    tokens, no lang 0.375       2.00          0.9%  |        21.6       |    48%     0%
    char 4-gram     0.375       1.70          2.4%  |        19.0       |    74%     1%

"wrong" is the share of items put into a story another story's item founded (a lost
alert); 0.375 is the lowest threshold within 2% of it on the lead stream and 2% false
merges across languages. Character n-grams merge more in one language but also more of
different stories, and they miss more across languages than names and numbers do.

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
from bot.dedupe._postings import Postings
from bot.dedupe._simhash import THRESHOLD as COPY_BITS

__all__ = ["STORY_THRESHOLD", "StoryIndex", "StoryKey", "StoryKeyError", "story_key"]

STORY_THRESHOLD = 0.375

# A teaser token weighs this much of a title token: the headline names the story, the lead
# adds detail (and sometimes boilerplate).
TEASER_WEIGHT = 0.5

# Fewer story tokens than this and an item founds its own story: a one-word title ("Live")
# carries no story, whatever it shares.
MIN_TOKENS = 3
# A merge needs at least this many distinct shared tokens, so one rare shared word is not
# a story.
MIN_SHARED = 2

# Across languages, a token that only one side's language has weighs this much in the
# norms (see `_score`): 1.0 merges 48% of German/English same-story pairs, 0.5 merges 14-25%
# of different ones, 0.75 gives 80% at 2% (bench_stories).
CROSS_WEIGHT = 0.75

# Postings visited per `find`, rarest tokens first; common tokens only score candidates.
POSTINGS_BUDGET = 2000
# Stories up to this size are checked member by member for copies; a bigger one's centroid
# already stands for its copies.
COPY_SCAN = 32
# Candidates scored in full per `find`, the best by their rare-token overlap.
CANDIDATES = 24


@dataclass(slots=True)
class _Member:
    """One item of a story: its key and when it was first seen."""

    story: int
    key: StoryKey
    at: datetime


def _field_weights(key: StoryKey) -> dict[str, float]:
    """Each token of the key with its field's weight (title 1, teaser TEASER_WEIGHT)."""
    weights = dict.fromkeys(key.teaser, TEASER_WEIGHT)
    weights.update(dict.fromkeys(key.title, 1.0))
    return weights


@dataclass(slots=True)
class _Story:
    """A story's members and the sum of their token weights (the centroid times `size`).

    Most stories in a window have one member; they keep that member's key instead of a
    weights dict, which roughly halves the index's memory.
    """

    founded: datetime
    order: int
    members: list[int] = field(default_factory=list)
    only: StoryKey | None = None  # the key of a one-member story
    weights: dict[str, float] | None = None  # token weight sums, once there are two members
    spoken: dict[str, int] | None = None  # members per detected language, once there are two
    norm: float = 0.0  # |centroid| with the rarities of the last change

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def languages(self) -> tuple[str, ...]:
        """The detected languages of the members."""
        if self.spoken is not None:
            return tuple(self.spoken)
        language = self.only.language if self.only is not None else None
        return (language,) if language else ()

    def weight(self, token: str) -> float | None:
        """The summed weight of `token` over the members, None if no member has it."""
        if self.weights is not None:
            return self.weights.get(token)
        key = self.only
        if key is None:
            return None
        if token in key.title:
            return 1.0
        return TEASER_WEIGHT if token in key.teaser else None

    def token_weights(self) -> dict[str, float]:
        """Every token of the story with its summed weight."""
        if self.weights is not None:
            return self.weights
        return _field_weights(self.only) if self.only is not None else {}

    def join(self, key: StoryKey) -> list[str]:
        """Add a member's key; return the tokens new to the story."""
        if self.weights is None and self.only is None:
            self.only = key
            return list(key.tokens)
        weights = self._expand()
        spoken = self.spoken if self.spoken is not None else {}
        self.spoken = spoken
        if key.language:
            spoken[key.language] = spoken.get(key.language, 0) + 1
        new = []
        for token, weight in _field_weights(key).items():
            if token in weights:
                weights[token] += weight
            else:
                weights[token] = weight
                new.append(token)
        return new

    def _expand(self) -> dict[str, float]:
        """Turn a one-member story into the general form (a weights dict) and return it."""
        if self.weights is None:
            only = self.only
            self.weights = _field_weights(only) if only is not None else {}
            self.spoken = {only.language: 1} if only is not None and only.language else {}
            self.only = None
        return self.weights

    def leave(self, key: StoryKey) -> list[str]:
        """Take a member's key out (the story has other members); return tokens now absent."""
        weights = self._expand()
        spoken = self.spoken if self.spoken is not None else {}
        gone = []
        for token, weight in _field_weights(key).items():
            left = weights[token] - weight
            if left > 1e-9:
                weights[token] = left
            else:
                del weights[token]
                gone.append(token)
        if key.language and key.language in spoken:
            count = spoken[key.language] - 1
            if count:
                spoken[key.language] = count
            else:
                del spoken[key.language]
        return gone


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
        self._postings = Postings()
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
        story.members.append(item_id)
        for token in story.join(key):
            self._postings.add(token, story_id)
        story.norm = self._norm(story)
        heapq.heappush(self._timeline, (at, next(self._seq), item_id))

    def remove(self, item_id: int) -> None:
        """Forget one member; a story left with no members disappears."""
        member = self._members.pop(item_id, None)
        if member is None:
            return
        story = self._stories[member.story]
        story.members.remove(item_id)
        gone = story.leave(member.key) if story.members else list(story.token_weights())
        for token in gone:
            self._postings.discard(token, member.story)
        if story.members:
            story.norm = self._norm(story)
        else:
            del self._stories[member.story]

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
            score = self._score(key, vector, norm, rarity, story)
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
        return math.log(1.0 + (len(self._stories) + 1) / (self._postings.count(token) or 1))

    def _norm(self, story: _Story) -> float:
        """|centroid| of the story, with today's rarities."""
        size = story.size
        return math.sqrt(
            sum(
                (weight / size * self._rarity(token)) ** 2
                for token, weight in story.token_weights().items()
            )
        )

    def _candidates(self, vector: dict[str, float]) -> list[int]:
        """The stories worth scoring: those sharing the rarest tokens, best overlap first."""
        postings = self._postings
        present = sorted(
            (token for token in vector if token in postings),
            key=lambda token: (postings.count(token), token),
        )
        overlap: dict[int, float] = {}
        budget = POSTINGS_BUDGET
        for token in present:
            holders = postings.holders(token)
            if holders is None:
                # Once too common, a token keeps only its count, even after churn has made
                # it rare again: it cannot name candidates, but rarer tokens still may.
                continue
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

    def _score(
        self,
        key: StoryKey,
        vector: dict[str, float],
        norm: float,
        rarity: dict[str, float],
        story: _Story,
    ) -> float:
        """Cosine of the item and the story's centroid (0.0 below MIN_SHARED shared tokens).

        Across languages (the item's is none of the story's), both sides count only the
        tokens the other language could have matched: a German item's German words are
        absent from every English report, so they must not dilute the names and numbers
        they share (they weigh CROSS_WEIGHT in the norms).
        """
        size = story.size
        shared = 0
        dot = 0.0
        for token, value in vector.items():
            weight = story.weight(token)
            if weight is not None:
                shared += 1
                dot += value * weight / size * rarity[token]
        if shared < MIN_SHARED or not norm or not story.norm:
            return 0.0
        if not key.language or not story.languages or key.language in story.languages:
            return dot / (norm * story.norm)
        return dot / self._cross_norms(vector, story)

    def _cross_norms(self, vector: dict[str, float], story: _Story) -> float:
        """|item| * |centroid| where a token only one language has weighs CROSS_WEIGHT.

        Tokens both sides share and numbers (`6000mah`, `1299`) count fully: they are what
        a German and an English report of one event can have in common.
        """
        discount = CROSS_WEIGHT * CROSS_WEIGHT
        item = sum(
            value
            * value
            * (1.0 if story.weight(token) is not None or _neutral(token) else discount)
            for token, value in vector.items()
        )
        size = story.size
        centroid = sum(
            (weight / size * self._rarity(token)) ** 2
            * (1.0 if token in vector or _neutral(token) else discount)
            for token, weight in story.token_weights().items()
        )
        return math.sqrt(item * centroid) or math.inf


def _neutral(token: str) -> bool:
    """Whether a token reads the same in every language: it has a digit (numbers, codes)."""
    return not token.isalpha()

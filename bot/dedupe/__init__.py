"""Story deduplication: SimHash fingerprints for copies, and story assignment across outlets."""

from bot.dedupe._features import title_key
from bot.dedupe._key import StoryKey, StoryKeyError, story_key
from bot.dedupe._simhash import (
    THRESHOLD,
    DedupeError,
    FingerprintRangeError,
    distance,
    fingerprint,
    same_story,
    story_matcher,
)
from bot.dedupe.stories import STORY_THRESHOLD, StoryIndex

__all__ = [
    "STORY_THRESHOLD",
    "THRESHOLD",
    "DedupeError",
    "FingerprintRangeError",
    "StoryIndex",
    "StoryKey",
    "StoryKeyError",
    "distance",
    "fingerprint",
    "same_story",
    "story_key",
    "story_matcher",
    "title_key",
]

"""Story deduplication: SimHash fingerprints of title and summary, and when two are one story."""

from bot.dedupe._features import title_key
from bot.dedupe._simhash import (
    THRESHOLD,
    DedupeError,
    FingerprintRangeError,
    distance,
    fingerprint,
    same_story,
    story_matcher,
)

__all__ = [
    "THRESHOLD",
    "DedupeError",
    "FingerprintRangeError",
    "distance",
    "fingerprint",
    "same_story",
    "story_matcher",
    "title_key",
]

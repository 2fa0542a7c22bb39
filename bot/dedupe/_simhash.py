"""SimHash fingerprints of stories and the decision whether two are the same story."""

from __future__ import annotations

import hashlib

from bot.dedupe._features import weighted_features

BITS = 64
_SIGN_BIT = 1 << (BITS - 1)
_MODULUS = 1 << BITS
MIN_FINGERPRINT = -_SIGN_BIT
MAX_FINGERPRINT = _SIGN_BIT - 1

THRESHOLD = 12


class DedupeError(Exception):
    """Base error of the dedupe module."""


class FingerprintRangeError(DedupeError, ValueError):
    """A fingerprint outside the signed 64-bit range (it cannot have come from `fingerprint`)."""


def _feature_hash(feature: str) -> int:
    """A stable 64-bit hash: Python's `hash()` is salted per process, stored values must not be."""
    return int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")


def _to_signed(value: int) -> int:
    """Map an unsigned 64-bit value onto a signed one, so that it fits a SQL BIGINT."""
    return value - _MODULUS if value & _SIGN_BIT else value


def _check(value: int) -> int:
    """Return `value` as unsigned 64 bits, or raise if it is no signed 64-bit fingerprint."""
    if not MIN_FINGERPRINT <= value <= MAX_FINGERPRINT:
        raise FingerprintRangeError(f"fingerprint {value} is outside the signed 64-bit range")
    return value % _MODULUS


def simhash(weights: dict[str, float]) -> int:
    """Charikar's SimHash: each bit is the weighted majority vote of the features' hash bits."""
    votes = [0.0] * BITS
    for feature, weight in weights.items():
        hashed = _feature_hash(feature)
        for bit in range(BITS):
            votes[bit] += weight if hashed >> bit & 1 else -weight
    unsigned = sum(1 << bit for bit, vote in enumerate(votes) if vote > 0)
    return _to_signed(unsigned)


def fingerprint(title: str, summary: str = "") -> int:
    """The story's SimHash as a signed 64-bit int; 0 when the text has no content words."""
    return simhash(weighted_features(title, summary))


def distance(a: int, b: int) -> int:
    """Hamming distance between two fingerprints (0-64)."""
    return (_check(a) ^ _check(b)).bit_count()


def same_story(a: int, b: int, *, threshold: int = THRESHOLD) -> bool:
    """Whether two fingerprints are close enough to count as one story."""
    return distance(a, b) <= threshold

"""How long to wait before retrying an alert: a pure decision."""

from __future__ import annotations

import random

BASE_DELAY = 5.0
MAX_DELAY = 3600.0  # an outage of hours is retried hourly, never given up on


def retry_delay(
    attempts: int, *, retry_after: float | None = None, rng: random.Random | None = None
) -> float:
    """Seconds before the next try of an alert that has failed `attempts` times.

    A platform's retry_after is honoured exactly (plus a little), whatever its size:
    Telegram's flood control may ask for hours, and sending earlier only extends it.
    """
    if retry_after is not None and retry_after > 0:
        return retry_after + (rng or random).uniform(0.0, 1.0)
    exponent = min(max(attempts - 1, 0), 20)
    delay = min(BASE_DELAY * (2.0**exponent), MAX_DELAY)
    return delay * (1.0 + 0.25 * (rng or random).random())

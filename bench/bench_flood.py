"""One Telegram user floods the bot: another user's reply latency, and SIGTERM under flood.

`newsbot run` as its own process against the fake Bot API (loopback). Baseline: eight
users' /help one after another with nothing else going on. Flood: the same while one user
sends 500 commands in 10 s. Goal: replies within 1 s during the flood (before the command
limits and per-chat update processing: over 20 s), SIGTERM within 10 s (was over 15 s).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegram
from tests.ops.flood import (
    FLOOD,
    FLOOD_SECONDS,
    flood,
    probes,
    start_telegram_bot,
    terminate_during_flood,
)

PROBES = 8


async def _run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeTelegram() as tg:
            bot = await start_telegram_bot(Path(tmp), tg)
            try:
                quiet = await probes(tg, PROBES, every=0.5, first_id=900)
                flooding = asyncio.create_task(flood(tg))
                loud = await probes(tg, PROBES, every=FLOOD_SECONDS / (PROBES + 1), first_id=950)
                await flooding
                code, took = await terminate_during_flood(tg, bot)
            finally:
                await bot.kill()
    base, under = statistics.median(quiet), statistics.median(loud)
    print(
        f"reply latency: quiet p50 {base:.3f} s, max {max(quiet):.3f} s; during a flood of "
        f"{FLOOD} commands in {FLOOD_SECONDS:.0f} s p50 {under:.3f} s ({under / base:.1f}x), "
        f"max {max(loud):.3f} s (goal < 1 s: {'met' if max(loud) < 1 else 'NOT met'})"
    )
    print(f"SIGTERM during a flood: exit {code} after {took:.2f} s (goal < 10 s)")


def run() -> None:
    """Print the latency figures and the shutdown time."""
    asyncio.run(_run())


if __name__ == "__main__":
    run()

"""Hostile feeds: the bot's peak memory, and the first poll of a 50,000-item feed.

Memory: `newsbot run` as its own process polls 20 ordinary loopback feeds (the baseline),
then the same 20 beside the hostile mix of `bench/hostilefarm.py` (50,000 items, 100,000
levels of nesting, a 9.5 MB description, 300,000 tiny items). The figure is the process's
peak resident memory (the kernel's VmHWM) once every feed was polled twice. Goal: under
250 MB with the mix (it was 425 MB before entries per poll were capped).

First poll: one poll of the 50,000-item feed on a fresh store, against one poll of an
ordinary 20-item feed, with the default cap (200 newest entries) and with no cap (as
before). Before the cap it took 31 s on the dev machine and kept other feeds waiting.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench.bench_runtime import _free_port
from bench.hostilefarm import HOSTILE
from bot.ingest import Poller, SubscriptionIndex, build_ingestor
from bot.sources.fetch import Fetcher, create_http_session
from bot.store import SourceSpec, Store

NORMAL = 20
POLLS = 2
WAIT = 120.0
UNCAPPED = 10**9


def _config(path: Path, base: str, *, hostile: bool) -> Path:
    urls = [(f"Normal {n}", f"{base}/n/{n}") for n in range(NORMAL)]
    if hostile:
        urls += [(f"Hostile {kind}", f"{base}/h/{kind}") for kind in HOSTILE]
    sources = "".join(f'[[sources]]\nname = "{name}"\nurl = "{url}"\n\n' for name, url in urls)
    path.write_text(
        'language = "en"\npoll_interval = 2\n\n'
        f'{sources}[[subscriptions]]\ntarget = "console"\nquery = "xiaomi"\n',
        encoding="utf-8",
    )
    return path


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _counts(session: aiohttp.ClientSession, base: str) -> dict[str, int]:
    async with session.get(f"{base}/counts") as response:
        counts: dict[str, int] = json.loads(await response.text())
        return counts


async def _peak(base: str, *, hostile: bool) -> tuple[float, float]:
    """(peak MB, seconds until every feed was polled POLLS times) of one bot process."""
    with tempfile.TemporaryDirectory() as tmp:
        config = _config(Path(tmp) / "newsbot.toml", base, hostile=hostile)
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSBOT_")}
        env |= {
            "NEWSBOT_CONFIG": str(config),
            "NEWSBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/newsbot.db",
            "NEWSBOT_HTTP_PORT": "0",
            "NEWSBOT_LOG_LEVEL": "WARNING",
        }
        paths = [f"/n/{n}" for n in range(NORMAL)]
        paths += [f"/h/{kind}" for kind in HOSTILE] if hostile else []
        async with aiohttp.ClientSession() as session:
            before = await _counts(session, base)
            started = time.perf_counter()
            bot = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, stdout=subprocess.DEVNULL
            )
            try:
                while time.perf_counter() - started < WAIT:
                    await asyncio.sleep(0.5)
                    counts = await _counts(session, base)
                    if all(counts.get(p, 0) - before.get(p, 0) >= POLLS for p in paths):
                        break
                took = time.perf_counter() - started
                peak = _peak_mb(bot.pid)
            finally:
                bot.terminate()
                await bot.wait()
    return peak, took


async def _first_poll(base: str, path: str, *, max_entries: int) -> float:
    """Seconds for one first poll of `base + path` into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(f"sqlite+aiosqlite:///{tmp}/first.db")
        now = datetime.now(UTC)
        await store.sync_config_sources([SourceSpec(name="feed", url=f"{base}{path}")], now=now)
        (source,) = await store.list_sources()
        async with create_http_session(user_agent="newsbot-bench") as session:
            fetcher = Fetcher(session)
            poller = Poller(
                store,
                fetcher,
                build_ingestor(store, SubscriptionIndex(), fetcher=fetcher, detector=None),
                default_interval=300,
                clock=lambda: datetime.now(UTC),
                on_queued=lambda: None,
                max_entries=max_entries,
            )
            started = time.perf_counter()
            await poller.poll(source)
            took = time.perf_counter() - started
        await store.close()
    return took


async def _run() -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    farm = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.hostilefarm", str(port), str(NORMAL)
    )
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    await _counts(session, base)
                    break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
        normal = await _first_poll(base, "/n/0", max_entries=200)
        capped = await _first_poll(base, "/h/huge", max_entries=200)
        uncapped = await _first_poll(base, "/h/huge", max_entries=UNCAPPED)
        print(
            f"first poll: 20-item feed {normal:.2f} s; 50,000-item feed {capped:.2f} s "
            f"({capped / normal:.1f}x) with the 200-entry cap, {uncapped:.2f} s "
            f"({uncapped / normal:.1f}x) without"
        )
        baseline, base_took = await _peak(base, hostile=False)
        mixed, mixed_took = await _peak(base, hostile=True)
        print(
            f"peak memory: {NORMAL} normal feeds {baseline:.0f} MB (all polled twice in "
            f"{base_took:.0f} s); with the hostile mix {mixed:.0f} MB ({mixed / baseline:.2f}x, "
            f"{mixed_took:.0f} s) (goal < 250 MB: {'met' if mixed < 250 else 'NOT met'})"
        )
    finally:
        farm.terminate()
        await farm.wait()


def run() -> None:
    """Print the first-poll times and the peak memory figures."""
    asyncio.run(_run())


if __name__ == "__main__":
    run()

"""SIGTERM as `docker stop` sends it: a prompt exit 0, and nothing queued is lost."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.store import Store
from tests.fakes.feeds import NewsSite
from tests.ops.botproc import BotProcess, bot_env, distinct_items, free_port, write_config

ITEMS = 300
RUN = (sys.executable, "-m", "bot", "run")


async def _outbox_depth(tmp_path: Path) -> int:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}")
    try:
        return await store.outbox_depth()
    finally:
        await store.close()


async def test_sigterm_during_delivery_keeps_the_rest_for_the_next_start(tmp_path: Path) -> None:
    """Stopped mid-delivery: unsent alerts stay in the outbox, the restart sends each once."""
    items = distinct_items(ITEMS)
    async with NewsSite() as site:
        for item in reversed(items):
            site.publish("golem", item)
        config = write_config(tmp_path / "newsbot.toml", site, backfill=ITEMS)
        # Every item of the one big poll is read, not only the newest 200 (the default cap).
        env = bot_env(tmp_path, config, free_port(), NEWSBOT_MAX_ENTRIES_PER_POLL=str(ITEMS))

        first = await BotProcess.start(RUN, env=env, cwd=tmp_path)
        try:
            await first.wait_for(lambda: "Quelle:" in first.out())
            code, took = await first.terminate()
        finally:
            await first.kill()
        assert code == 0, first.log()
        assert took < 10
        left = await _outbox_depth(tmp_path)
        assert 0 < left < ITEMS, f"stopped too late or too early: {left} of {ITEMS} left"

        second = await BotProcess.start(RUN, env=env, cwd=tmp_path)
        try:
            await second.wait_for(lambda: second.out().count("Quelle:") >= left)
            code, _ = await second.terminate()
        finally:
            await second.kill()
        assert code == 0, second.log()
    printed = first.out() + second.out()
    for item in items:
        assert printed.count(item.title) == 1, item.title
    assert await _outbox_depth(tmp_path) == 0

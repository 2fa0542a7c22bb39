"""Chaos: SIGKILL at random moments of a fan-out to several Telegram chats, then restarts.

The bot runs as a real process against the fake Bot API; many alerts are queued for several
chats at once (a backfilled feed, one subscription per chat). The run is killed a few times
while alerts go out, each time restarted on the same database. Afterwards every alert has
arrived (none lost), and each kill duplicated at most the one send per chat that was in
flight when it struck (a chat's alerts go one after another).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path

from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.telegram_api import FakeTelegram, User
from tests.ops.botproc import BotProcess, distinct_items
from tests.ops.flood import RUN, telegram_env

CHATS = 8
ITEMS = 10
KILLS = 5
SEED = 20261201


def _config(path: Path, site: NewsSite, chats: list[int]) -> Path:
    subscriptions = "".join(
        f'[[subscriptions]]\ntarget = "telegram:{chat}"\nquery = "xiaomi"\nlanguage = "en"\n\n'
        for chat in chats
    )
    path.write_text(
        'language = "en"\npoll_interval = 60\n\n'
        f'[[sources]]\nname = "Golem"\nurl = "{site.url("golem")}"\nbackfill = {ITEMS}\n\n'
        f"{subscriptions}",
        encoding="utf-8",
    )
    return path


async def test_sigkill_during_fan_out_loses_nothing(tmp_path: Path) -> None:
    """Five kills mid fan-out: all 80 alerts arrive, at most one extra per chat per kill."""
    rng = random.Random(SEED)
    items = distinct_items(ITEMS)
    async with FakeTelegram() as tg, NewsSite() as site:
        tg.answer_delay = 0.2  # so that kills find sends in flight
        chats = [tg.private_chat(User(700 + n, f"Reader {n}")).id for n in range(CHATS)]
        for item in reversed(items):
            site.publish("golem", item)
        config = _config(tmp_path / "newsbot.toml", site, chats)
        env = telegram_env(tmp_path, config, tg)
        killed_at: list[int] = []
        for _ in range(KILLS):
            bot = await BotProcess.start(RUN, env=env, cwd=tmp_path)
            try:
                before = len(tg.sent)
                await tg.wait_for(lambda: len(tg.sent) > before, limit=30)  # noqa: B023
                await asyncio.sleep(rng.uniform(0.0, 2.0))
            finally:
                await bot.kill()
            killed_at.append(len(tg.sent))
        bot = await BotProcess.start(RUN, env=env, cwd=tmp_path)
        try:
            await tg.wait_for(lambda: len(_received(tg, items).keys()) == CHATS * ITEMS, limit=60)
            await asyncio.sleep(1.0)  # a late duplicate would arrive now
            code, _ = await bot.terminate()
        finally:
            await bot.kill()
    received = _received(tg, items)
    duplicates = sum(count - 1 for count in received.values())
    print(
        f"\nchaos: {KILLS} kills after {killed_at} of {CHATS * ITEMS} alerts; "
        f"0 lost, {duplicates} duplicates"
    )
    assert code == 0
    assert set(received) == {(chat, item.title) for chat in chats for item in items}
    per_chat = Counter(chat for (chat, _), count in received.items() for _ in range(count - 1))
    assert all(extra <= KILLS for extra in per_chat.values()), per_chat


def _received(tg: FakeTelegram, items: list[FeedItem]) -> Counter[tuple[int, str]]:
    """How often each (chat, item title) arrived."""
    titles = [item.title for item in items]
    counts: Counter[tuple[int, str]] = Counter()
    for message in tg.sent:
        for title in titles:
            if message.visible.startswith(title):
                counts[(message.chat_id, title)] += 1
    return counts

"""One user floods the bot with commands: others are still answered at once, SIGTERM is prompt.

The bot runs as a real process against the fake Bot API on loopback. Before the command
limits and the per-chat update processing, 500 commands in 10 s left another user's /help
unanswered for over 20 s and SIGTERM took over 15 s.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from tests.fakes.telegram_api import TOKEN, FakeTelegram, User
from tests.ops.botproc import BotProcess, bot_env, free_port

RUN = (sys.executable, "-m", "bot", "run")
FLOOD = 500
FLOOD_SECONDS = 10.0
BATCHES = 20
FLOODER = User(501, "Flo", language_code="en")
COMMANDS = ("/help", "/list", "/status", "/sources", "/subscribe flood{n}", "/preview xiaomi")


async def _started(tmp_path: Path, tg: FakeTelegram) -> BotProcess:
    config = tmp_path / "newsbot.toml"
    config.write_text('language = "en"\npoll_interval = 60\n', encoding="utf-8")
    env = bot_env(
        tmp_path,
        config,
        free_port(),
        NEWSBOT_TELEGRAM_TOKEN=TOKEN,
        NEWSBOT_TELEGRAM_API_URL=tg.api_url,
    )
    bot = await BotProcess.start(RUN, env=env, cwd=tmp_path)
    await bot.wait_healthy()
    return bot


async def _flood(tg: FakeTelegram, *, seconds: float = FLOOD_SECONDS) -> None:
    """FLOOD commands from one user, in batches spread over `seconds`."""
    chat = tg.private_chat(FLOODER)
    per_batch = FLOOD // BATCHES
    for batch in range(BATCHES):
        for number in range(batch * per_batch, (batch + 1) * per_batch):
            tg.send_command(chat, FLOODER, COMMANDS[number % len(COMMANDS)].format(n=number))
        await asyncio.sleep(seconds / BATCHES)


async def _probe(tg: FakeTelegram, user: User) -> float:
    """Seconds from another user's /help to its answer."""
    chat = tg.private_chat(user)
    asked = time.monotonic()
    tg.send_command(chat, user, "/help")
    (answer,) = await tg.wait_sent(chat_id=chat.id, limit=30)
    assert "/subscribe" in answer.visible
    return answer.at - asked


async def test_another_user_is_answered_during_a_flood(tmp_path: Path) -> None:
    """While one user sends 500 commands in 10 s, other users' /help is answered promptly."""
    async with FakeTelegram() as tg:
        bot = await _started(tmp_path, tg)
        try:
            flooding = asyncio.create_task(_flood(tg))
            latencies = []
            for number in range(8):
                await asyncio.sleep(FLOOD_SECONDS / 9)
                latencies.append(await _probe(tg, User(600 + number, f"U{number}")))
            await flooding
            warned = [m for m in tg.sent_to(FLOODER.id) if m.visible.startswith("Slow down")]
            answered = len(tg.sent_to(FLOODER.id))
        finally:
            await bot.kill()
    print(
        f"\nreply latency during a flood of {FLOOD} commands in {FLOOD_SECONDS:.0f} s: "
        f"p50 {statistics.median(latencies):.3f} s, max {max(latencies):.3f} s; "
        f"the flooder got {answered} replies"
    )
    # The goal is 1 s; the bound is generous because CI machines are shared.
    assert max(latencies) < 5, latencies
    assert 1 <= len(warned) < 10
    assert answered < 60


async def test_sigterm_during_a_flood_exits_promptly(tmp_path: Path) -> None:
    """SIGTERM while a flood of commands is queued ends the process within 10 s."""
    async with FakeTelegram() as tg:
        bot = await _started(tmp_path, tg)
        try:
            flooding = asyncio.create_task(_flood(tg, seconds=4.0))
            await asyncio.sleep(2.0)
            code, took = await bot.terminate(limit=20)
            await flooding
        finally:
            await bot.kill()
    print(f"\nSIGTERM during a flood: exit {code} after {took:.2f} s")
    assert code == 0, bot.log()
    assert took < 10

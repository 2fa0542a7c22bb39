"""A Telegram bot process and a flood of commands from one user, for tests and benchmarks."""

from __future__ import annotations

import asyncio
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


async def start_telegram_bot(tmp_path: Path, tg: FakeTelegram) -> BotProcess:
    """`newsbot run` with Telegram pointed at the fake and no sources; once healthy."""
    config = tmp_path / "newsbot.toml"
    config.write_text('language = "en"\npoll_interval = 60\n', encoding="utf-8")
    bot = await BotProcess.start(RUN, env=telegram_env(tmp_path, config, tg), cwd=tmp_path)
    await bot.wait_healthy()
    return bot


def telegram_env(tmp_path: Path, config: Path, tg: FakeTelegram) -> dict[str, str]:
    """The child's environment with Telegram pointed at the fake Bot API."""
    return bot_env(
        tmp_path,
        config,
        free_port(),
        NEWSBOT_TELEGRAM_TOKEN=TOKEN,
        NEWSBOT_TELEGRAM_API_URL=tg.api_url,
    )


async def terminate_during_flood(tg: FakeTelegram, bot: BotProcess) -> tuple[int, float]:
    """SIGTERM two seconds into a four-second flood; (exit code, seconds until exit)."""
    flooding = asyncio.create_task(flood(tg, seconds=4.0))
    await asyncio.sleep(2.0)
    code, took = await bot.terminate(limit=30)
    await flooding
    return code, took


async def flood(tg: FakeTelegram, *, seconds: float = FLOOD_SECONDS) -> None:
    """FLOOD commands from FLOODER, in batches spread over `seconds`."""
    chat = tg.private_chat(FLOODER)
    per_batch = FLOOD // BATCHES
    for batch in range(BATCHES):
        for number in range(batch * per_batch, (batch + 1) * per_batch):
            tg.send_command(chat, FLOODER, COMMANDS[number % len(COMMANDS)].format(n=number))
        await asyncio.sleep(seconds / BATCHES)


async def probe(tg: FakeTelegram, user: User) -> float:
    """Seconds from `user`'s /help to its answer."""
    chat = tg.private_chat(user)
    asked = time.monotonic()
    tg.send_command(chat, user, "/help")
    (answer,) = await tg.wait_sent(chat_id=chat.id, limit=30)
    assert "/subscribe" in answer.visible
    return answer.at - asked


async def probes(tg: FakeTelegram, count: int, *, every: float, first_id: int) -> list[float]:
    """`count` probes by different users, `every` seconds apart."""
    latencies = []
    for number in range(count):
        await asyncio.sleep(every)
        latencies.append(await probe(tg, User(first_id + number, f"U{number}")))
    return latencies

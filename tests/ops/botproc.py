"""`newsbot run` as a child process: output collected, HTTP port probed, stopped by signal."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import string
from collections.abc import Callable, Sequence
from pathlib import Path

import aiohttp

from tests.fakes.feeds import FeedItem, NewsSite

START_LIMIT = 30.0  # seconds for a cold start (imports, migrations, language models)


def free_port() -> int:
    """A TCP port that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(
    path: Path, site: NewsSite, *, feed: str = "golem", query: str = "xiaomi", backfill: int = 0
) -> Path:
    """A config file with one loopback source and one console subscription."""
    path.write_text(
        'language = "de"\npoll_interval = 1\n\n'
        f'[[sources]]\nname = "Golem"\nurl = "{site.url(feed)}"\nbackfill = {backfill}\n\n'
        f'[[subscriptions]]\ntarget = "console"\nquery = "{query}"\nlanguage = "de"\n',
        encoding="utf-8",
    )
    return path


def bot_env(tmp_path: Path, config: Path, port: int, **extra: str) -> dict[str, str]:
    """The child's environment: ours without NEWSBOT_* settings, plus the test's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSBOT_")}
    env.update(
        NEWSBOT_CONFIG=str(config),
        NEWSBOT_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}",
        NEWSBOT_HTTP_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def distinct_items(count: int, *, seed: int = 7) -> list[FeedItem]:
    """Matching items whose words differ enough that no two are merged into one story."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 10)))

    items = []
    for number in range(count):
        words = [word() for _ in range(12)]
        items.append(
            FeedItem(
                guid=f"item-{number}",
                title=f"Xiaomi {' '.join(words[:5]).title()} {number}",
                description=f"Xiaomi {' '.join(words)}. " * 3,
            )
        )
    return items


class BotProcess:
    """A running `newsbot run`; stdout and stderr are read continuously into lists of lines."""

    def __init__(self, proc: asyncio.subprocess.Process, port: int) -> None:
        self.proc = proc
        self.port = port
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        assert proc.stdout is not None
        assert proc.stderr is not None
        self._readers = [
            asyncio.create_task(_collect(proc.stdout, self.stdout)),
            asyncio.create_task(_collect(proc.stderr, self.stderr)),
        ]

    @classmethod
    async def start(cls, command: Sequence[str], *, env: dict[str, str], cwd: Path) -> BotProcess:
        """Start `command` (ending in `run`) with pipes for its output."""
        proc = await asyncio.create_subprocess_exec(
            *command,
            env=env,
            cwd=cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(proc, int(env["NEWSBOT_HTTP_PORT"]))

    async def get(self, path: str) -> tuple[int, str]:
        """GET a path of the health server; (status, body)."""
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{self.port}{path}") as response,
        ):
            return response.status, await response.text()

    async def wait_healthy(self, limit: float = START_LIMIT) -> str:
        """Wait for `/healthz` to answer 200; return its body."""
        async with asyncio.timeout(limit):
            while True:
                if self.proc.returncode is not None:
                    raise AssertionError(f"newsbot exited early:\n{self.log()}")
                try:
                    status, body = await self.get("/healthz")
                except aiohttp.ClientConnectionError:
                    status, body = 0, ""
                if status == 200:
                    return body
                await asyncio.sleep(0.1)

    async def wait_for(self, condition: Callable[[], bool], limit: float = START_LIMIT) -> None:
        """Wait until `condition` holds (it looks at the collected output)."""
        async with asyncio.timeout(limit):
            while not condition():
                if self.proc.returncode is not None:
                    raise AssertionError(f"newsbot exited early:\n{self.log()}")
                await asyncio.sleep(0.02)

    async def terminate(self, limit: float = 15.0) -> tuple[int, float]:
        """Send SIGTERM as `docker stop` does; (exit code, seconds until exit)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        self.proc.send_signal(signal.SIGTERM)
        async with asyncio.timeout(limit):
            code = await self.proc.wait()
            took = loop.time() - started
            await asyncio.gather(*self._readers)
        return code, took

    async def kill(self) -> None:
        """End the process hard (test clean-up after a failure)."""
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        await asyncio.gather(*self._readers)

    def out(self) -> str:
        """Everything written to stdout so far."""
        return "".join(self.stdout)

    def log(self) -> str:
        """Everything written to stderr so far."""
        return "".join(self.stderr)


async def _collect(stream: asyncio.StreamReader, lines: list[str]) -> None:
    while line := await stream.readline():
        lines.append(line.decode("utf-8", errors="replace"))

"""Tokens never reach a log line: the redaction by table, and a whole run at DEBUG."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import REDACTED, RedactingFilter, configure_logging, protect_secrets, redact
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.feeds import FeedItem, NewsSite
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegram
from tests.ops.botproc import BotProcess, bot_env, free_port, write_config

SHAPED_TELEGRAM = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SHAPED_DISCORD = "MTA4NzE2NTk4NzY1NDMyMTA5OA.GhT5xZ.abcdefghijklmnopqrstuvwxyz0123456789AB"
DISCORD_TOKEN = "test-token"  # the one FakeDiscord accepts


@pytest.mark.parametrize(
    ("text", "secrets", "expected"),
    [
        (
            f"POST https://api.telegram.org/bot{TELEGRAM_TOKEN}/getUpdates",
            [TELEGRAM_TOKEN],
            f"POST https://api.telegram.org/bot{REDACTED}/getUpdates",
        ),
        ("Authorization: Bot s3cr3t", ["s3cr3t"], f"Authorization: Bot {REDACTED}"),
        (f"url /bot{SHAPED_TELEGRAM}/x", [], f"url /bot{REDACTED}/x"),
        (f"token={SHAPED_DISCORD}&x=1", [], f"token={REDACTED}&x=1"),
        ("abcdef abc", ["abc", "abcdef"], f"{REDACTED} {REDACTED}"),
        ("nothing secret 12:30 here", ["", "zzz"], "nothing secret 12:30 here"),
        ("a 1234567:short b", [], "a 1234567:short b"),
    ],
    ids=[
        "configured-in-url",
        "configured-anywhere",
        "telegram-shape",
        "discord-shape",
        "longest-first",
        "no-secret-no-change",
        "short-not-a-token",
    ],
)
def test_redact(text: str, secrets: list[str], expected: str) -> None:
    """Configured secrets and token-shaped strings are masked; other text is untouched."""
    assert redact(text, secrets) == expected


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Restore the root logger after a test configured it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _emit_everywhere(log: logging.Logger, secret: str) -> None:
    log.debug("GET %s failed", f"/bot{secret}/getMe", extra={"url": f"http://x/{secret}"})
    try:
        raise ConnectionError(f"cannot reach /bot{secret}/sendMessage")
    except ConnectionError:
        log.exception("send failed for %s", secret)
    log.debug(f"f-string with {secret}", stack_info=True)


@pytest.mark.usefixtures("root_logging")
@pytest.mark.parametrize("fmt", ["text", "json"], ids=["text", "json"])
def test_no_secret_in_any_part_of_a_record(fmt: str) -> None:
    """Message, arguments, context fields, traceback and stack are all masked, in both formats."""
    stream = io.StringIO()
    configure_logging("DEBUG", fmt=fmt, stream=stream, secrets=["first-secret"])
    protect_secrets(["later-secret"])
    log = logging.getLogger("bot.test")
    _emit_everywhere(log, "first-secret")
    _emit_everywhere(log, "later-secret")
    output = stream.getvalue()
    assert "first-secret" not in output
    assert "later-secret" not in output
    assert output.count(REDACTED) >= 10
    if fmt == "json":
        lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        assert REDACTED in lines[1]["exception"]
        assert lines[0]["url"] == f"http://x/{REDACTED}"


def test_filter_survives_a_bad_format_string() -> None:
    """A record whose arguments do not fit its message is still masked, not dropped."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items %s", ("tok",), None)
    assert RedactingFilter(["tok"]).filter(record)
    assert "tok" not in record.getMessage()


async def test_no_token_in_any_line_of_a_debug_run(tmp_path: Path) -> None:
    """A run at DEBUG with both platforms and a token in a failing source URL logs no token."""
    async with NewsSite() as site, FakeTelegram() as telegram, FakeDiscord() as discord:
        site.publish("golem", FeedItem(guid="1", title="Xiaomi", description="Xiaomi"))
        config = write_config(tmp_path / "newsbot.toml", site)
        # A source whose URL holds the token, as a pasted private feed link might: it 404s,
        # and the failure is logged with its URL.
        with config.open("a", encoding="utf-8") as handle:
            handle.write(
                f'\n[[sources]]\nname = "private"\nurl = "{site.base()}/bot{TELEGRAM_TOKEN}"\n'
                f'\n[[sources]]\nname = "private2"\nurl = "{site.base()}/x/{DISCORD_TOKEN}"\n'
            )
        env = bot_env(
            tmp_path,
            config,
            free_port(),
            NEWSBOT_LOG_LEVEL="DEBUG",
            NEWSBOT_TELEGRAM_TOKEN=TELEGRAM_TOKEN,
            NEWSBOT_TELEGRAM_API_URL=telegram.api_url,
            NEWSBOT_DISCORD_TOKEN=DISCORD_TOKEN,
            NEWSBOT_DISCORD_API_URL=discord.api_url,
        )
        bot = await BotProcess.start((sys.executable, "-m", "bot", "run"), env=env, cwd=tmp_path)
        try:
            await bot.wait_healthy()
            await bot.wait_for(lambda: bot.log().count("poll failed") >= 2)
            code, _ = await bot.terminate()
        finally:
            await bot.kill()
    log = bot.log()
    assert code == 0, log
    assert TELEGRAM_TOKEN not in log + bot.out()
    assert DISCORD_TOKEN not in log + bot.out()
    assert f"/bot{REDACTED}" in log  # the failing source's URL, masked
    assert "DEBUG" in log

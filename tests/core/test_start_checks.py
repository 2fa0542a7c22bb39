"""Failing clearly at start: config mistakes exit 2 naming the entry; typos are warned about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.platforms.registry import platform_states
from bot.settings import Settings, unknown_environment

FEED = Path(__file__).parent.parent / "fixtures" / "feeds" / "xiaomi-12s-ultra-de.rss"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No NEWSBOT_* from the shell, no config file, a database in tmp_path."""
    for name in list(os.environ):
        if name.upper().startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NEWSBOT_HTTP_PORT", "0")


def _config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "newsbot.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


TWO_SOURCES = """
[[sources]]
name = "a"
url = "https://example.com/feed"
[[sources]]
name = "b"
url = "https://example.com/feed"
"""
TWO_SUBSCRIPTIONS = """
[[subscriptions]]
target = "console"
query = "xiaomi  redmi"
[[subscriptions]]
target = "console"
query = "xiaomi redmi"
"""
TELEGRAM_SUBSCRIPTION = """
[[subscriptions]]
target = "telegram:@mychannel"
query = "xiaomi"
"""
DISCORD_SUBSCRIPTION = """
[[subscriptions]]
target = "discord:123"
query = "xiaomi"
"""


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (TWO_SOURCES, "sources[1] ('b') in {path} has the same url as sources[0]"),
        (TWO_SUBSCRIPTIONS, "subscriptions[1] (console 'xiaomi redmi') in {path} repeats"),
        (TELEGRAM_SUBSCRIPTION, "needs NEWSBOT_TELEGRAM_TOKEN, which is not set"),
        (DISCORD_SUBSCRIPTION, "(discord:123 'xiaomi') in {path} needs NEWSBOT_DISCORD_TOKEN"),
    ],
    ids=["duplicate-source", "duplicate-subscription", "telegram-no-token", "discord-no-token"],
)
def test_run_refuses_an_unusable_config_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    """The entry is named on one line, before anything starts (was an IntegrityError)."""
    path = _config(tmp_path, config)
    assert main(["run", "--config", path]) == 2
    err = capsys.readouterr().err
    assert message.format(path=path) in err
    assert "Traceback" not in err
    assert not (tmp_path / "data").exists()  # refused before the store was opened


def test_check_ignores_a_platform_subscription_without_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` sends nothing, so a Telegram subscription in the config does not stop it."""
    path = _config(tmp_path, TELEGRAM_SUBSCRIPTION)
    assert main(["check", str(FEED), "--query", "xiaomi", "--config", path]) == 0


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"NEWSBOT_TELEGRAM_TOKN": "x"},
            ["NEWSBOT_TELEGRAM_TOKN is ignored (did you mean NEWSBOT_TELEGRAM_TOKEN?)"],
        ),
        ({"NEWSBOT_TELEGRAM_TOKEN": "x", "NEWSBOT_LANGUAGE": "de"}, []),
        ({"newsbot_language": "de"}, []),
        ({"NEWSBOT_WHATEVER": "1"}, ["NEWSBOT_WHATEVER is ignored"]),
        ({"HOME": "/root", "PTB_TIMEDELTA": "1"}, []),
    ],
    ids=["typo", "known", "lower-case-known", "no-close-match", "other-prefixes"],
)
def test_unknown_environment(environ: dict[str, str], expected: list[str]) -> None:
    """Each unknown NEWSBOT_* variable gets one warning, with the setting it probably meant."""
    warnings = unknown_environment(environ)
    assert len(warnings) == len(expected)
    for warning, part in zip(warnings, expected, strict=True):
        assert part in warning


def test_typo_in_the_environment_is_logged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped token variable is no longer silently ignored."""
    monkeypatch.setenv("NEWSBOT_TELEGRAM_TOKN", "123:abc")
    assert main(["check", str(FEED), "--query", "xiaomi"]) == 0
    assert "unknown environment variable NEWSBOT_TELEGRAM_TOKN" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (
            {},
            "console on (always), telegram off (NEWSBOT_TELEGRAM_TOKEN is not set), "
            "discord off (NEWSBOT_DISCORD_TOKEN is not set)",
        ),
        (
            {"telegram_token": "1:a"},
            "console on (always), telegram on, discord off (NEWSBOT_DISCORD_TOKEN is not set)",
        ),
        (
            {"telegram_token": "1:a", "discord_token": "d"},
            "console on (always), telegram on, discord on",
        ),
    ],
    ids=["none", "telegram", "both"],
)
def test_platform_states(tokens: dict[str, str], expected: str) -> None:
    """The start log names every platform, on or off, and why it is off."""
    assert platform_states(Settings(**tokens)) == expected  # type: ignore[arg-type]


def test_check_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`newsbot check ... | head`: the reader going away is no traceback and no error."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NEWSBOT_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "check", str(FEED), "--query", "xiaomi"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    assert process.stdout is not None
    process.stdout.close()  # like `head` exiting before the first line arrives
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err

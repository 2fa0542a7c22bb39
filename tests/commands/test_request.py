"""Command text parsing, aliases and reply splitting for the platform adapters."""

from __future__ import annotations

import pytest

from bot.commands import COMMANDS, Reply, canonical_command, parse_command_text


@pytest.mark.parametrize(
    ("text", "bot", "expected"),
    [
        ("/start", None, ("start", "")),
        ("/Sub xiaomi OR huawei", None, ("sub", "xiaomi OR huawei")),
        ("/sub@NewsBot xiaomi", "newsbot", ("sub", "xiaomi")),
        ("/sub@otherbot xiaomi", "newsbot", None),
        ("/sub@otherbot xiaomi", None, ("sub", "xiaomi")),
        ("  /list  ", None, ("list", "")),
        ('/subscribe\n"lei jun"\nxiaomi', None, ("subscribe", '"lei jun"\nxiaomi')),
        ("hello /start", None, None),
        ("/", None, None),
        ("//x", None, None),
        ("", None, None),
    ],
    ids=[
        "bare",
        "alias-args-case",
        "addressed-to-us",
        "addressed-to-other",
        "addressed-no-name-known",
        "padded",
        "newline-args",
        "not-at-start",
        "slash-only",
        "double-slash",
        "empty",
    ],
)
def test_parse_command_text(text: str, bot: str | None, expected: tuple[str, str] | None) -> None:
    """Commands start with a slash, may name the bot, and keep their raw arguments."""
    assert parse_command_text(text, bot_username=bot) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sub", "subscribe"),
        ("UNSUB", "unsubscribe"),
        ("lang", "language"),
        ("/status", "status"),
        ("removesource", "removesource"),
        ("delete", None),
    ],
    ids=["sub", "unsub-upper", "lang", "slash", "plain", "unknown"],
)
def test_canonical_command(name: str, expected: str | None) -> None:
    """Aliases map to the contract names; unknown names to None."""
    assert canonical_command(name) == expected


def test_command_set_is_the_contract() -> None:
    """Exactly the contract's commands and aliases are known."""
    names = {spec.name for spec in COMMANDS}
    aliases = {alias for spec in COMMANDS for alias in spec.aliases}
    assert names == {
        "start", "help", "subscribe", "unsubscribe", "list", "language", "pause", "resume",
        "preview", "sources", "addsource", "removesource", "status", "group",
        "timezone", "digest", "quiet", "limit",
    }  # fmt: skip
    assert aliases == {"sub", "unsub", "lang"}


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 100, ["short"]),
        ("aaa\nbbb\nccc", 7, ["aaa\nbbb", "ccc"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("aa\n\n\nbb", 3, ["aa", "bb"]),
    ],
    ids=["fits", "line-breaks", "hard-wrap", "blank-lines-dropped-at-cut"],
)
def test_reply_parts(text: str, limit: int, expected: list[str]) -> None:
    """Long replies are cut at line breaks into pieces within the platform's limit."""
    parts = Reply(text, "en").parts(limit)
    assert parts == expected
    assert all(len(part) <= limit for part in parts)

"""Subscription targets: the config file's `target` forms."""

from __future__ import annotations

import pytest

from bot.model import Target, TargetError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("console", Target("console"), id="console"),
        pytest.param("telegram:123456", Target("telegram", "123456"), id="tg-user"),
        pytest.param("telegram:-1001234567890", Target("telegram", "-1001234567890"), id="tg-sg"),
        pytest.param("telegram:@xiaomi_news", Target("telegram", "@xiaomi_news"), id="tg-chan"),
        pytest.param(
            "discord:987654321098765432", Target("discord", "987654321098765432"), id="dc"
        ),
        pytest.param(" telegram: 42 ", Target("telegram", "42"), id="spaces"),
    ],
)
def test_valid_targets(text: str, expected: Target) -> None:
    """Every documented target form parses, and prints back the same way."""
    assert Target.parse(text) == expected
    assert str(Target.parse(text)) == str(expected)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("telegram", id="no-chat"),
        pytest.param("telegram:", id="empty-chat"),
        pytest.param("telegram:@ab", id="short-channel"),
        pytest.param("telegram:abc", id="words"),
        pytest.param("discord:#news", id="dc-name"),
        pytest.param("slack:123", id="platform"),
    ],
)
def test_invalid_targets(text: str) -> None:
    """Anything else is refused with a TargetError that quotes it."""
    with pytest.raises(TargetError):
        Target.parse(text)


def test_target_of_stored_values() -> None:
    """Stored platform names become targets; an unknown one is refused, not cast."""
    assert Target.of("telegram", "-100123", "7") == Target("telegram", "-100123", "7")
    with pytest.raises(TargetError, match="slack"):
        Target.of("slack", "1")

"""The German and English catalogues hold the same messages with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import bot.commands
from bot.commands import COMMANDS
from bot.i18n import message_keys, translate

COMMANDS_DIR = Path(bot.commands.__file__).parent
# Keys built at run time (f"cmd.{verb}.…") that a scan for literals cannot see.
DYNAMIC_KEYS = {
    f"cmd.{verb}.{what}" for verb in ("pause", "resume") for what in ("usage", "none", "done")
}


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_same_keys_in_both_languages() -> None:
    """Every message exists in German and in English."""
    assert message_keys("de") == message_keys("en")


@pytest.mark.parametrize("key", sorted(message_keys("en")))
def test_same_placeholders_in_both_languages(key: str) -> None:
    """A message takes the same parameters in both languages, so any call formats in both."""
    assert placeholders(translate("de", key)) == placeholders(translate("en", key))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_message_formats(lang: str) -> None:
    """No stray braces: each template formats with its own placeholders filled in."""
    for key in message_keys(lang):
        params = dict.fromkeys(placeholders(translate(lang, key)), "X")
        assert translate(lang, key, **params)


def test_every_key_the_commands_use_exists() -> None:
    """Each `cmd.*` key named in bot/commands has a text in both catalogues."""
    used = set(DYNAMIC_KEYS)
    for path in COMMANDS_DIR.glob("*.py"):
        used |= set(re.findall(r'"(cmd\.[a-z_]+\.[a-z_.]+)"', path.read_text("utf-8")))
    used |= {spec.description_key for spec in COMMANDS}
    assert len(used) > 60
    assert used <= message_keys("en")
    assert used <= message_keys("de")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_help_names_every_command(lang: str) -> None:
    """The help text lists every contract command."""
    text = translate(lang, "cmd.help")
    missing = [spec.name for spec in COMMANDS if spec.name not in ("start", "help")]
    assert [name for name in missing if f"/{name}" not in text] == []


@pytest.mark.parametrize(
    "key", sorted(k for k in message_keys("en") if k.startswith("cmd.describe."))
)
def test_descriptions_fit_discord(key: str) -> None:
    """Slash-command descriptions stay within Discord's 100 characters in both languages."""
    assert 1 <= len(translate("de", key)) <= 100
    assert 1 <= len(translate("en", key)) <= 100

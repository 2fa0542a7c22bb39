"""The contract's commands as Discord slash commands, localised from our catalogues.

Discord rate-limits command registration (a few hundred writes a day), so the definition is
synced only when its hash differs from the one stored after the last successful sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, locale_str
from sqlalchemy.engine import make_url

from bot.commands import COMMANDS, CommandSpec
from bot.i18n import translate

log = logging.getLogger(__name__)

# Commands that change a chat's subscriptions: hidden from members without Manage Channels
# by default (server admins may widen this); the command service checks again at run time.
MANAGE_COMMANDS = frozenset(
    {
        *("subscribe", "unsubscribe", "language", "group", "pause", "resume"),
        *("timezone", "digest", "quiet", "limit"),
    }
)
LANGUAGE_CHOICES = [Choice(name="Deutsch", value="de"), Choice(name="English", value="en")]
SWITCH_CHOICES = [Choice(name="on", value="on"), Choice(name="off", value="off")]

CommandHandler = Callable[[discord.Interaction, str, str], Awaitable[None]]


class CatalogTranslator(app_commands.Translator):
    """German texts for command descriptions and options, from `bot/i18n/de.py`."""

    async def translate(
        self,
        string: locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """The German catalogue text of the string's key; None keeps the English default."""
        key = string.extras.get("key")
        if key is None or locale is not discord.Locale.german:
            return None
        return translate("de", key)


def _text(key: str) -> locale_str:
    """An English default that carries its catalogue key for the translator."""
    return locale_str(translate("en", key), key=key)


def build_commands(handler: CommandHandler) -> list[app_commands.Command[Any, Any, None]]:
    """One slash command per contract command (aliases are left out: the picker completes)."""
    return [_command(spec, handler) for spec in COMMANDS]


def _command(spec: CommandSpec, handler: CommandHandler) -> app_commands.Command[Any, Any, None]:
    name = spec.name
    if spec.argument is None:

        async def bare(interaction: discord.Interaction) -> None:
            await handler(interaction, name, "")

        callback: Callable[..., Awaitable[None]] = bare
    elif spec.argument_required:

        async def required(interaction: discord.Interaction, value: str) -> None:
            await handler(interaction, name, value)

        callback = required
    else:

        async def optional(interaction: discord.Interaction, value: str | None = None) -> None:
            await handler(interaction, name, value or "")

        callback = optional
    if spec.argument is not None:
        callback = app_commands.rename(value=_text(f"dc.option_name.{spec.argument}"))(callback)
        callback = app_commands.describe(value=_text(f"dc.option.{name}"))(callback)
        if name == "language":
            callback = app_commands.choices(value=LANGUAGE_CHOICES)(callback)
        if name == "group":
            callback = app_commands.choices(value=SWITCH_CHOICES)(callback)
    command: app_commands.Command[Any, Any, None] = app_commands.Command(
        name=name,
        description=_text(spec.description_key),
        callback=callback,  # type: ignore[arg-type]  # one of three fixed signatures above
    )
    if name in MANAGE_COMMANDS:
        command.default_permissions = discord.Permissions(manage_channels=True)
    return command


async def commands_payload(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """What a sync of the tree's global commands would send, German localisations included."""
    translator = tree.translator or CatalogTranslator()
    return [
        await command.get_translated_payload(tree, translator) for command in tree.get_commands()
    ]


def definition_hash(payload: Sequence[dict[str, Any]]) -> str:
    """A stable hash of a command definition (key order and whitespace do not count)."""
    text = json.dumps(list(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class SyncRecord:
    """The hash of the last synced definition, per application, in a small JSON file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def matches(self, application_id: int, digest: str) -> bool:
        """Whether `digest` is what was last synced for this application."""
        if self.path is None:
            return False
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(stored, dict) and stored.get(str(application_id)) == digest

    def remember(self, application_id: int, digest: str) -> None:
        """Store `digest` after a successful sync; a failure to write only costs a re-sync."""
        if self.path is None:
            return
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = {}
        if not isinstance(stored, dict):
            stored = {}
        stored[str(application_id)] = digest
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            log.warning("cannot store the slash-command hash in %s: %s", self.path, exc)


def sync_record_path(database_url: str) -> Path | None:
    """Next to a SQLite database file; None (always sync) for other or in-memory stores."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    database = Path(url.database)
    return database.with_name(f"{database.stem}.discord-commands.json")

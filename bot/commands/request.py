"""What a platform adapter hands to the commands (a request) and gets back (a reply)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.commands.errors import PermissionDeniedError

ChatKind = Literal["private", "group", "channel"]

_COMMAND_TEXT = re.compile(r"/([^\s@/]+)(?:@(\S+))?(?:\s+(.*))?", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One chat command of the contract: its name, aliases and whether it takes an argument."""

    name: str
    aliases: tuple[str, ...] = ()
    argument: str | None = None  # the placeholder shown in help ("query", "url", …), if any
    argument_required: bool = False

    @property
    def description_key(self) -> str:
        """The catalogue key of the one-line description (slash-command registration, help)."""
        return f"cmd.describe.{self.name}"


# The contract's command set; Discord registers these as slash commands, Telegram as /commands.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start"),
    CommandSpec("help"),
    CommandSpec("subscribe", ("sub",), "query", argument_required=True),
    CommandSpec("unsubscribe", ("unsub",), "target", argument_required=True),
    CommandSpec("list"),
    CommandSpec("language", ("lang",), "language", argument_required=True),
    CommandSpec("group", (), "switch"),
    CommandSpec("pause", (), "id"),
    CommandSpec("resume", (), "id"),
    CommandSpec("preview", (), "query", argument_required=True),
    CommandSpec("sources"),
    CommandSpec("addsource", (), "url", argument_required=True),
    CommandSpec("removesource", (), "id", argument_required=True),
    CommandSpec("status"),
    CommandSpec("timezone", (), "zone"),
    CommandSpec("digest", (), "schedule"),
    CommandSpec("quiet", (), "hours"),
    CommandSpec("limit", (), "count"),
)

_CANONICAL: dict[str, str] = {
    alias: spec.name for spec in COMMANDS for alias in (spec.name, *spec.aliases)
}


def canonical_command(name: str) -> str | None:
    """The contract name of a command or alias (`sub` -> `subscribe`), None if unknown."""
    return _CANONICAL.get(name.strip().lower().removeprefix("/"))


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """One command as a user sent it, with what the platform knows about the chat and user."""

    platform: str  # "telegram" | "discord" | "console"
    chat_id: str
    thread_id: str | None  # forum topic / Discord thread: subscriptions made there post there
    user_id: str | None  # None for anonymous channel posts
    chat_kind: ChatKind
    user_is_chat_admin: bool  # decided by the adapter; always True in private chats
    locale: str | None  # the user's language code from the platform
    command: str  # lower-case name without slash; aliases allowed ("sub", "unsub", "lang")
    args: str  # the rest of the text, raw

    def require_chat_admin(self) -> None:
        """In groups and channels only the chat's administrators change its settings."""
        if self.chat_kind != "private" and not self.user_is_chat_admin:
            raise PermissionDeniedError("cmd.error.not_chat_admin")


@dataclass(frozen=True, slots=True)
class Reply:
    """A localised plain-text answer; the platform escapes and formats it."""

    text: str
    language: str
    ephemeral: bool = False  # Discord: only the caller sees it (errors, help, lists)

    def parts(self, max_chars: int) -> list[str]:
        """The text cut at line breaks into pieces of at most `max_chars` (platform limits)."""
        if max_chars < 1:
            raise ValueError("max_chars must be positive")
        parts: list[str] = []
        current = ""
        for line in self.text.split("\n"):
            for piece in _hard_wrap(line, max_chars):
                candidate = f"{current}\n{piece}" if current else piece
                if len(candidate) <= max_chars:
                    current = candidate
                    continue
                parts.append(current)
                current = piece
        if current or not parts:
            parts.append(current)
        # Blank lines at a cut would show as empty space at the start or end of a message.
        trimmed = [part.strip("\n") for part in parts]
        return [part for part in trimmed if part.strip()] or [self.text[:max_chars]]


def _hard_wrap(line: str, max_chars: int) -> list[str]:
    # A single over-long line (a 300-character query on a narrow limit) is cut where it must be.
    return [line[i : i + max_chars] for i in range(0, len(line), max_chars)] or [""]


def parse_command_text(text: str, *, bot_username: str | None = None) -> tuple[str, str] | None:
    """Split `/Sub@newsbot xiaomi` into (`sub`, `xiaomi`); None if it is no command for us."""
    found = _COMMAND_TEXT.fullmatch(text.strip())
    if found is None:
        return None
    name, addressee, args = found.group(1, 2, 3)
    # In groups Telegram appends the bot's name; a command for another bot is not ours.
    if addressee and bot_username and addressee.lower() != bot_username.lstrip("@").lower():
        return None
    return name.lower(), (args or "").strip()

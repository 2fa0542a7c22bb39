"""Platform-neutral chat commands: a request comes in, a localised plain-text reply goes out."""

from bot.commands.errors import (
    CommandError,
    NotFoundError,
    PermissionDeniedError,
    RefusedError,
    SourceUrlError,
    UsageError,
)
from bot.commands.request import (
    COMMANDS,
    ChatKind,
    CommandRequest,
    CommandSpec,
    Reply,
    canonical_command,
    parse_command_text,
)
from bot.commands.service import CommandService, CommandStore
from bot.commands.validate import check_source_url, is_public_host

__all__ = [
    "COMMANDS",
    "ChatKind",
    "CommandError",
    "CommandRequest",
    "CommandService",
    "CommandSpec",
    "CommandStore",
    "NotFoundError",
    "PermissionDeniedError",
    "RefusedError",
    "Reply",
    "SourceUrlError",
    "UsageError",
    "canonical_command",
    "check_source_url",
    "is_public_host",
    "parse_command_text",
]

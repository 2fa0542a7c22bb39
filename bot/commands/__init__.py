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
from bot.commands.service import Admission, CommandService, CommandStore
from bot.commands.throttle import CommandThrottle, Decision, Rate, ThrottleLimits, Verdict
from bot.commands.validate import check_source_url, is_public_host

__all__ = [
    "COMMANDS",
    "Admission",
    "ChatKind",
    "CommandError",
    "CommandRequest",
    "CommandService",
    "CommandSpec",
    "CommandStore",
    "CommandThrottle",
    "Decision",
    "NotFoundError",
    "PermissionDeniedError",
    "Rate",
    "RefusedError",
    "Reply",
    "SourceUrlError",
    "ThrottleLimits",
    "UsageError",
    "Verdict",
    "canonical_command",
    "check_source_url",
    "is_public_host",
    "parse_command_text",
]

"""Pure decisions about Telegram chats: kinds, topics, rights, membership changes, targets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.commands import ChatKind

ADMIN_STATUSES = frozenset({"creator", "administrator"})
# Commands a user may point at a channel or group they administer, from a private chat.
MANAGEABLE = frozenset(
    {"subscribe", "unsubscribe", "list", "pause", "resume", "language", "group", "status"}
)
_TARGET = re.compile(r"(@[A-Za-z][A-Za-z0-9_]{3,31}|-\d{5,20})(?:\s+(.*))?", re.DOTALL)

MembershipAction = Literal["gone", "greet", "none"]


def chat_kind(chat_type: str) -> ChatKind:
    """Telegram's chat type as the commands' kind (supergroups are groups)."""
    if chat_type == "private":
        return "private"
    return "channel" if chat_type == "channel" else "group"


def thread_id(message_thread_id: int | None, is_topic_message: bool | None) -> str | None:
    """The forum topic a message is in; reply threads of ordinary groups are no topic."""
    return str(message_thread_id) if is_topic_message and message_thread_id else None


def split_target(args: str) -> tuple[str, str] | None:
    """`@channel xiaomi` -> (`@channel`, `xiaomi`); None when args name no other chat."""
    found = _TARGET.fullmatch(args.strip())
    if found is None:
        return None
    return found.group(1), (found.group(2) or "").strip()


@dataclass(frozen=True, slots=True)
class MemberState:
    """What matters of a ChatMember: its status and whether it may post."""

    status: str
    can_post_messages: bool | None = None  # administrators of channels
    can_send_messages: bool | None = None  # restricted members


def can_post(chat_type: str, member: MemberState) -> bool:
    """Whether a member (the bot) may post in a chat of `chat_type`."""
    if member.status in ("left", "kicked"):
        return False
    if chat_type == "channel":
        return member.status == "creator" or (
            member.status == "administrator" and bool(member.can_post_messages)
        )
    if member.status == "restricted":
        return bool(member.can_send_messages)
    return True


def membership_action(
    chat_type: str, old: MemberState, new: MemberState
) -> tuple[MembershipAction, str]:
    """What a change of the bot's own membership means, and the reason to store with it."""
    could, can = can_post(chat_type, old), can_post(chat_type, new)
    if could and not can:
        if chat_type == "private":
            return "gone", "the user blocked the bot"
        if new.status in ("left", "kicked"):
            return "gone", "the bot was removed from the chat"
        return "gone", "the bot may no longer post in the chat"
    joined = old.status in ("left", "kicked") and can
    if joined and chat_type in ("group", "supergroup"):
        return "greet", "the bot was added to the group"
    return "none", ""

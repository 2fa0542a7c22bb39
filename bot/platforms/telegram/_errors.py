"""Telegram's errors as delivery decisions: retry, deactivate, move, or try plain text."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.delivery.platform import (
    ChatMigratedError,
    DeliveryError,
    PermanentDeliveryError,
    RejectedAlertError,
    TransientDeliveryError,
)

BadRequestKind = Literal["chat", "content"]

# BadRequest descriptions that are about the chat (gone, no rights, topic closed), not the text;
# sending the same alert as plain text would fail the same way.
_CHAT_PROBLEMS = (
    "chat not found",
    "not enough rights",
    "need administrator rights",
    "have no rights to send",
    "chat_write_forbidden",
    "chat_restricted",
    "message thread not found",
    "topic_closed",
    "topic_deleted",
    "group chat was deactivated",
    "peer_id_invalid",
    "user is deactivated",
    "bot was kicked",
)


EditRefusal = Literal["unchanged", "refused", "other"]

# editMessageText refusals that mean the message cannot be edited any more: the edit is
# dropped (never sent as a new message).
_EDIT_REFUSED = (
    "message to edit not found",
    "message can't be edited",
    "message_id_invalid",
    "message identifier is not specified",
)


def edit_refusal(description: str) -> EditRefusal:
    """What an editMessageText BadRequest means: the message already shows this text, it
    can no longer be edited, or something else (judged like a send's error)."""
    lowered = description.lower()
    if "message is not modified" in lowered:
        return "unchanged"
    if any(marker in lowered for marker in _EDIT_REFUSED):
        return "refused"
    return "other"


def bad_request_kind(description: str) -> BadRequestKind:
    """Whether a BadRequest is about the chat (deactivate) or about the message (plain retry)."""
    lowered = description.lower()
    return "chat" if any(marker in lowered for marker in _CHAT_PROBLEMS) else "content"


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait a RetryAfter asks for, in seconds (PTB gives a timedelta or an int)."""
    value: object = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


def delivery_error(exc: TelegramError, *, token: str = "") -> DeliveryError:
    """The delivery error a Telegram error means; `token` is cut out of every message."""
    message = redact(str(exc), token)
    # Order matters: BadRequest and TimedOut are NetworkError subclasses in PTB.
    if isinstance(exc, RetryAfter):
        return TransientDeliveryError(message, retry_after=retry_after_seconds(exc))
    if isinstance(exc, ChatMigrated):
        return ChatMigratedError(str(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return PermanentDeliveryError(message)
    if isinstance(exc, BadRequest):
        if bad_request_kind(exc.message) == "content":
            # Refused even as plain text: this alert is lost, the chat is fine.
            return RejectedAlertError(message)
        return PermanentDeliveryError(message)
    if isinstance(exc, InvalidToken):
        # Not the chat's fault: every chat would fail alike, so keep the alerts.
        return TransientDeliveryError(f"the Telegram token was rejected: {message}")
    if isinstance(exc, NetworkError):
        return TransientDeliveryError(message)
    return TransientDeliveryError(f"{type(exc).__name__}: {message}")


def redact(text: str, token: str) -> str:
    """`text` with the bot token (and its secret half alone) replaced by `<token>`."""
    if not token:
        return text
    text = text.replace(token, "<token>")
    _, _, secret = token.partition(":")
    return text.replace(secret, "<token>") if len(secret) >= 8 else text

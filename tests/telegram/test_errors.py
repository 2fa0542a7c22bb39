"""Telegram errors as delivery decisions, and the token kept out of messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.delivery.platform import (
    ChatMigratedError,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from bot.platforms.telegram._errors import bad_request_kind, delivery_error, redact

TOKEN = "4242:AAF-secret-part-xyz"


@pytest.mark.parametrize(
    ("error", "kind", "retry_after"),
    [
        (lambda: RetryAfter(17), TransientDeliveryError, 17.0),
        (lambda: RetryAfter(7200), TransientDeliveryError, 7200.0),
        (lambda: Forbidden("Forbidden: bot was blocked by the user"), PermanentDeliveryError, None),
        (lambda: ChatMigrated(-1001234), ChatMigratedError, None),
        (lambda: BadRequest("Bad Request: chat not found"), PermanentDeliveryError, None),
        (lambda: NetworkError("Bad Gateway"), TransientDeliveryError, None),
        (lambda: TimedOut(), TransientDeliveryError, None),
        (lambda: InvalidToken("Unauthorized"), TransientDeliveryError, None),
        (lambda: Conflict("terminated by other getUpdates"), TransientDeliveryError, None),
        (lambda: TelegramError("something new"), TransientDeliveryError, None),
    ],
    ids=[
        "retry-after",
        "retry-after-hours",
        "blocked",
        "migrated",
        "chat-not-found",
        "5xx",
        "timeout",
        "token-rejected",
        "conflict",
        "unknown",
    ],
)
def test_delivery_error(
    error: Callable[[], TelegramError], kind: type, retry_after: float | None
) -> None:
    """Each Telegram error maps to retry, deactivate or move (BadRequest before NetworkError)."""
    # Built inside the test: PTB reads the PTB_TIMEDELTA opt-in when a RetryAfter is made.
    mapped = delivery_error(error(), token=TOKEN)
    assert type(mapped) is kind
    if isinstance(mapped, TransientDeliveryError):
        assert mapped.retry_after == retry_after
    if isinstance(mapped, ChatMigratedError):
        assert mapped.new_chat_id == "-1001234"


@pytest.mark.parametrize(
    ("description", "kind"),
    [
        ("Bad Request: chat not found", "chat"),
        ("Bad Request: not enough rights to send text messages to the chat", "chat"),
        ("Bad Request: need administrator rights in the channel chat", "chat"),
        ("Bad Request: message thread not found", "chat"),
        ("Bad Request: TOPIC_CLOSED", "chat"),
        ("Bad Request: can't parse entities: Unsupported start tag", "content"),
        ("Bad Request: message is too long", "content"),
        ("Bad Request: wrong HTTP URL specified", "content"),
    ],
    ids=[
        "not-found",
        "no-rights",
        "channel-admin",
        "thread",
        "topic-closed",
        "entities",
        "long",
        "url",
    ],
)
def test_bad_request_kind(description: str, kind: str) -> None:
    """Chat problems deactivate; message problems get one plain-text retry."""
    assert bad_request_kind(description) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f"POST https://api.telegram.org/bot{TOKEN}/sendMessage",
            "POST https://api.telegram.org/bot<token>/sendMessage",
        ),
        ("half AAF-secret-part-xyz leaked", "half <token> leaked"),
        ("nothing here", "nothing here"),
    ],
    ids=["whole-token", "secret-half", "clean"],
)
def test_redact(text: str, expected: str) -> None:
    """The token, or its secret half alone, never survives."""
    assert redact(text, TOKEN) == expected


def test_error_messages_never_carry_the_token() -> None:
    """An error whose text holds the token is mapped with the token cut out."""
    mapped = delivery_error(NetworkError(f"httpx.ConnectError: bot{TOKEN}/x"), token=TOKEN)
    assert TOKEN not in str(mapped)
    assert "AAF-secret" not in str(mapped)

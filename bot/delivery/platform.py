"""The one small interface between delivery and the chat platforms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.errors import NewsbotError
from bot.i18n import zone_of
from bot.model import Alert, Target


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One alert for one subscription, ready for a platform to format and send.

    With `message_id` set it is an edit: that message gets the alert as it is now (its
    `also` grown); `shown` of the alert's `also` were in the message before.
    """

    outbox_id: int
    subscription_id: int
    target: Target
    language: str  # the language labels are written in (subscription's, else chat's, else default)
    alert: Alert
    message_id: str | None = None
    shown: int = 0
    timezone: str = "UTC"  # IANA name times are shown in (chat's, else NEWSBOT_TIMEZONE)

    @property
    def is_edit(self) -> bool:
        """Whether this updates a sent message instead of sending a new one."""
        return self.message_id is not None

    @property
    def zone(self) -> ZoneInfo:
        """The zone times are shown in (UTC if the stored name is no longer known)."""
        return zone_of(self.timezone)


class DeliveryError(NewsbotError):
    """A platform could not deliver an alert; subclasses say what delivery should do next."""


class TransientDeliveryError(DeliveryError):
    """Try again later: network trouble, 5xx, or a rate limit (`retry_after` seconds)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    """The chat cannot take alerts any more (blocked, gone, no permission): deactivate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RejectedAlertError(DeliveryError):
    """The platform refuses this one alert's content (not the chat): give it up, keep the
    subscription, since the next article will be fine."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EditRefusedError(DeliveryError):
    """The platform will not edit the message (deleted, or too old to edit): the edit is
    dropped, never turned into a new message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChatMigratedError(DeliveryError):
    """The chat moved to a new id (Telegram group -> supergroup): move and resend there."""

    def __init__(self, new_chat_id: str) -> None:
        super().__init__(f"chat migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class AlertSender(Protocol):
    """What delivery needs of a platform: send one alert, return the platform's message id;
    edit a sent one when later reports of its story come in."""

    name: str

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        """Deliver or raise a DeliveryError subclass; any other exception counts as transient."""
        ...

    async def edit_alert(self, outgoing: Outgoing) -> None:
        """Update `outgoing.message_id` to show the alert as it is now, or raise a
        DeliveryError subclass (EditRefusedError when the message cannot be edited)."""
        ...

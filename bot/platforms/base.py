"""What a chat platform offers the app: a lifecycle, alert delivery and plain notices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.commands import CommandService
from bot.commands.events import ChatEvents
from bot.delivery.platform import Outgoing
from bot.model import Target


@dataclass(frozen=True, slots=True)
class PlatformServices:
    """The core services a platform adapter calls; injected by the app."""

    commands: CommandService
    events: ChatEvents


class ChatPlatform(Protocol):
    """A platform adapter (Telegram, Discord, console): thin, and only translating.

    `start` returns once the platform is connected and receiving; `stop` ends it cleanly.
    `send_alert` raises `bot.delivery.platform` errors; `send_notice` is best effort.
    """

    name: str

    async def start(self) -> None:
        """Connect and begin receiving commands and events."""
        ...

    async def stop(self) -> None:
        """Stop receiving, finish what is in flight, and close connections."""
        ...

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        """Deliver one alert; return the platform's message id."""
        ...

    async def edit_alert(self, outgoing: Outgoing) -> None:
        """Edit a sent alert in place to show the story's other reports."""
        ...

    async def send_notice(self, target: Target, text: str) -> None:
        """Tell a chat something outside alerts (e.g. a paused source); never raises."""
        ...

    def healthy(self) -> bool:
        """Whether the platform is connected and able to send right now."""
        ...

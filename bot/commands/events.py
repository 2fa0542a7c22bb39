"""Chat lifecycle events from platforms: the bot removed, blocked, migrated or added."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from bot.commands.request import Reply
from bot.i18n import language_for_locale, translate
from bot.settings import Settings

logger = logging.getLogger(__name__)

Notify = Callable[[], Awaitable[None]]


class EventStore(Protocol):
    """The store methods chat events need (the real Store satisfies it)."""

    async def deactivate_chat(
        self, platform: str, chat_id: str, *, reason: str, now: datetime
    ) -> list[int]: ...

    async def migrate_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int: ...

    async def get_chat_language(self, platform: str, chat_id: str) -> str | None: ...


class ChatEvents:
    """What happens to a chat's subscriptions when the platform reports a change to the chat."""

    def __init__(
        self,
        store: EventStore,
        *,
        settings: Settings,
        clock: Callable[[], datetime],
        on_subscriptions_changed: Notify | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._changed = on_subscriptions_changed

    async def chat_gone(self, platform: str, chat_id: str, *, reason: str) -> int:
        """The bot was removed, blocked or lost the right to post: end the chat's subscriptions."""
        ids = await self._store.deactivate_chat(platform, chat_id, reason=reason, now=self._clock())
        if ids:
            logger.info(
                "deactivated %d subscriptions: %s",
                len(ids),
                reason,
                extra={"chat": f"{platform}:{chat_id}"},
            )
            await self._notify()
        return len(ids)

    async def chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        """A group became a supergroup with a new id: its subscriptions follow it."""
        moved = await self._store.migrate_chat(platform, old_chat_id, new_chat_id)
        logger.info(
            "chat migrated to %s with %d subscriptions",
            new_chat_id,
            moved,
            extra={"chat": f"{platform}:{old_chat_id}"},
        )
        await self._notify()
        return moved

    async def greeting(self, platform: str, chat_id: str, *, locale: str | None) -> Reply:
        """The short help a group gets when the bot is added to it, in the group's language."""
        stored = await self._store.get_chat_language(platform, chat_id)
        language = stored or language_for_locale(locale, self._settings.language)
        return Reply(translate(language, "cmd.greeting"), language)

    async def _notify(self) -> None:
        if self._changed is not None:
            await self._changed()

"""Per-chat and per-subscription delivery preferences: zone, digest, quiet hours, hourly limit."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.store._base import StoreBase
from bot.store._subscriptions import update_chat
from bot.store.records import ChatPreferences
from bot.store.tables import chats, outbox, subscriptions


class PreferencesMixin(StoreBase):
    """Methods for the preference columns of `chats` and `subscriptions` (NULL: the default)."""

    async def get_chat_preferences(self, platform: str, chat_id: str) -> ChatPreferences:
        """The chat's stored preferences; all None for a chat that set none."""
        query = sa.select(
            chats.c.timezone, chats.c.digest, chats.c.quiet, chats.c.hourly_limit
        ).where(chats.c.platform == platform, chats.c.chat_id == chat_id)
        async with self._read() as conn:
            row = (await conn.execute(query)).mappings().first()
        return ChatPreferences(**row) if row is not None else ChatPreferences()

    async def set_chat_timezone(
        self, platform: str, chat_id: str, timezone: str | None, *, now: datetime
    ) -> None:
        """Record the chat's IANA zone (None: back to NEWSBOT_TIMEZONE)."""
        await self._set_chat_column(platform, chat_id, {"timezone": timezone}, now)

    async def set_chat_digest(
        self, platform: str, chat_id: str, digest: str | None, *, now: datetime
    ) -> None:
        """Record the chat's digest schedule as stored text (`daily 08:00`, `off`)."""
        await self._set_chat_column(platform, chat_id, {"digest": digest}, now)

    async def set_chat_quiet(
        self, platform: str, chat_id: str, quiet: str | None, *, now: datetime
    ) -> None:
        """Record the chat's quiet hours as `HH:MM-HH:MM` (None: none)."""
        await self._set_chat_column(platform, chat_id, {"quiet": quiet}, now)

    async def set_chat_limit(
        self, platform: str, chat_id: str, hourly_limit: int | None, *, now: datetime
    ) -> None:
        """Record the chat's cap of alerts per hour (None: no cap)."""
        await self._set_chat_column(platform, chat_id, {"hourly_limit": hourly_limit}, now)

    async def set_subscription_digest(self, subscription_id: int, digest: str | None) -> bool:
        """Record one subscription's digest schedule; False if there is no such subscription."""
        async with self._write() as conn:
            result = await conn.execute(
                subscriptions.update()
                .where(subscriptions.c.id == subscription_id)
                .values(digest=digest)
            )
        return bool(result.rowcount)

    async def count_sent_since(self, platform: str, chat_id: str, since: datetime) -> int:
        """Alerts sent to a chat (any of its subscriptions) since `since`: what /limit caps."""
        query = (
            sa.select(sa.func.count())
            .select_from(outbox.join(subscriptions, subscriptions.c.id == outbox.c.subscription_id))
            .where(
                subscriptions.c.platform == platform,
                subscriptions.c.chat_id == chat_id,
                outbox.c.status == "sent",
                outbox.c.sent_at >= since,
            )
        )
        async with self._read() as conn:
            return int(await conn.scalar(query) or 0)

    async def _set_chat_column(
        self, platform: str, chat_id: str, values: dict[str, object], now: datetime
    ) -> None:
        async with self._write() as conn:
            await update_chat(conn, platform, chat_id, values, now)

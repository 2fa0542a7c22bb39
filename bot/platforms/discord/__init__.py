"""Discord: slash commands, channel subscriptions and alert embeds (discord.py v2)."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    # discord.py imports `audioop` for voice, which newsbot never uses; Python 3.11-3.12 warn
    # that it is deprecated, and the test suite turns warnings into errors. Importing discord
    # here first, with that one warning silenced, covers every module of this package.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401

from bot.platforms.base import PlatformServices
from bot.platforms.discord.embeds import alert_embed, defuse_mentions, fit, shorten
from bot.platforms.discord.platform import (
    DiscordPlatform,
    DiscordStartError,
    button_id,
    chat_address,
)
from bot.platforms.discord.slash import SyncRecord, sync_record_path
from bot.settings import Settings

__all__ = [
    "DiscordPlatform",
    "DiscordStartError",
    "SyncRecord",
    "alert_embed",
    "button_id",
    "chat_address",
    "create_platform",
    "defuse_mentions",
    "fit",
    "shorten",
    "sync_record_path",
]


def create_platform(settings: Settings, services: PlatformServices) -> DiscordPlatform:
    """The Discord adapter for the app's registry (called when NEWSBOT_DISCORD_TOKEN is set)."""
    if settings.discord_token is None:
        raise DiscordStartError("NEWSBOT_DISCORD_TOKEN is not set")
    return DiscordPlatform(
        token=settings.discord_token.get_secret_value(),
        api_url=settings.discord_api_url,
        services=services,
        sync_record=SyncRecord(sync_record_path(settings.database_url)),
    )

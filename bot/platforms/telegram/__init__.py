"""Telegram: commands, channels, groups, forum topics and alert delivery (python-telegram-bot)."""

from __future__ import annotations

import os

from bot.platforms.base import PlatformServices
from bot.platforms.telegram._limits import ChatRateLimiter, RateCore, RateLimits
from bot.platforms.telegram._platform import (
    TelegramOptions,
    TelegramPlatform,
    TelegramStartError,
)
from bot.settings import Settings

__all__ = [
    "ChatRateLimiter",
    "RateCore",
    "RateLimits",
    "TelegramOptions",
    "TelegramPlatform",
    "TelegramStartError",
    "create_platform",
]


def create_platform(
    settings: Settings, services: PlatformServices, *, options: TelegramOptions | None = None
) -> TelegramPlatform:
    """Build the adapter (the registry calls this when NEWSBOT_TELEGRAM_TOKEN is set)."""
    # PTB 22 warns on every RetryAfter unless time periods are timedeltas; opt in, as v23 will.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    return TelegramPlatform(settings, services, options=options)

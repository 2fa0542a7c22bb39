"""Which chat platforms run: console always, Telegram and Discord when their token is set.

Adapters are imported only when enabled, so a console-only run never loads their libraries.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from bot.platforms.base import ChatPlatform, PlatformServices
from bot.settings import Settings

Factory = Callable[[Settings, PlatformServices], ChatPlatform]

# platform name -> "module:function" building its adapter
FACTORIES = {
    "telegram": "bot.platforms.telegram:create_platform",
    "discord": "bot.platforms.discord:create_platform",
}


def enabled_platforms(settings: Settings) -> list[str]:
    """The chat platforms whose token is set, in a fixed order."""
    tokens = {"telegram": settings.telegram_token, "discord": settings.discord_token}
    return [name for name in FACTORIES if tokens[name] is not None]


def platform_states(settings: Settings) -> str:
    """One line for the start log: which platforms are on, and why the others are off."""
    enabled = enabled_platforms(settings)
    states = ["console on (always)"]
    for name in FACTORIES:
        variable = f"NEWSBOT_{name.upper()}_TOKEN"
        states.append(f"{name} on" if name in enabled else f"{name} off ({variable} is not set)")
    return ", ".join(states)


def build_platform(name: str, settings: Settings, services: PlatformServices) -> ChatPlatform:
    """Import and build the adapter of platform `name`."""
    module_name, _, function = FACTORIES[name].partition(":")
    factory = cast(Factory, getattr(importlib.import_module(module_name), function))
    return factory(settings, services)

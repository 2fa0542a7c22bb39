"""What Telegram shows before the first message: the command menu and the bot's description."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.commands import COMMANDS
from bot.i18n import translate
from bot.model import SUPPORTED_LANGUAGES

log = logging.getLogger(__name__)


def bot_commands(language: str) -> list[BotCommand]:
    """The contract's commands (not their aliases) with descriptions in `language`."""
    return [BotCommand(spec.name, translate(language, spec.description_key)) for spec in COMMANDS]


async def register_bot_profile(bot: Bot, *, default_language: str) -> None:
    """setMyCommands and descriptions for German, English and everyone else; best effort."""
    scopes: list[tuple[str | None, str]] = [(lang, lang) for lang in SUPPORTED_LANGUAGES]
    scopes.append((None, default_language))
    try:
        for code, language in scopes:
            await bot.set_my_commands(bot_commands(language), language_code=code)
            await bot.set_my_description(translate(language, "tg.description"), language_code=code)
            await bot.set_my_short_description(
                translate(language, "tg.short_description"), language_code=code
            )
    except TelegramError as exc:
        # The menu is a convenience: the bot works without it, so a failure must not stop it.
        log.warning("could not register the command menu: %s", exc)

"""Updates in, commands and chat events out: the Telegram side of `bot.commands`."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Bot, CallbackQuery, ChatMember, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.commands import CommandRequest, Reply, canonical_command, parse_command_text
from bot.i18n import translate
from bot.platforms.base import PlatformServices
from bot.platforms.telegram._chats import (
    ADMIN_STATUSES,
    MANAGEABLE,
    MemberState,
    can_post,
    chat_kind,
    membership_action,
    split_target,
    thread_id,
)
from bot.platforms.telegram._render import parse_callback_data, toast

log = logging.getLogger(__name__)

PLATFORM = "telegram"
SendText = Callable[[int | str, str, str | None], Awaitable[None]]


def member_state(member: ChatMember) -> MemberState:
    """The parts of a PTB ChatMember the decisions use."""
    return MemberState(
        status=str(member.status),
        can_post_messages=getattr(member, "can_post_messages", None),
        can_send_messages=getattr(member, "can_send_messages", None),
    )


@dataclass
class AdminCache:
    """Who administers which chat, asked of Telegram (getChatMember) and kept briefly."""

    ttl: float = 60.0
    clock: Callable[[], float] = time.monotonic
    max_entries: int = 10_000

    def __post_init__(self) -> None:
        self._entries: dict[tuple[int, int], tuple[bool, float]] = {}

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        """Whether `user_id` is an administrator (or the creator) of `chat_id`."""
        now = self.clock()
        cached = self._entries.get((chat_id, user_id))
        if cached is not None and cached[1] > now:
            return cached[0]
        member = await bot.get_chat_member(chat_id, user_id)
        admin = member.status in ADMIN_STATUSES
        if len(self._entries) >= self.max_entries:
            self._entries = {k: v for k, v in self._entries.items() if v[1] > now}
        self._entries[(chat_id, user_id)] = (admin, now + self.ttl)
        return admin

    def forget(self, chat_id: int) -> None:
        """Drop what is known about a chat (its membership changed)."""
        self._entries = {k: v for k, v in self._entries.items() if k[0] != chat_id}


class UpdateHandlers:
    """One small handler per kind of update; registration is the platform's job."""

    def __init__(
        self,
        services: PlatformServices,
        *,
        send_text: SendText,
        admins: AdminCache,
        default_language: str,
    ) -> None:
        self._services = services
        self._send_text = send_text
        self._admins = admins
        self._default_language = default_language

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A /command in a private chat, group, topic or channel: answer it in place."""
        message = update.effective_message
        if message is None or not message.text:
            return
        parsed = parse_command_text(message.text, bot_username=context.bot.username)
        if parsed is None:
            return
        name, args = parsed
        chat = message.chat
        addressed = f"@{(context.bot.username or '').lower()}" in message.text.split()[0].lower()
        if chat.type != "private" and canonical_command(name) is None and not addressed:
            return  # a bare unknown command in a group is probably for another bot
        user = message.from_user
        sender = str(user.id) if user and message.sender_chat is None else None
        thread = thread_id(message.message_thread_id, message.is_topic_message)
        if not await self._admitted(chat.id, sender, user, thread):
            return
        if chat.type == "private" and user is not None and canonical_command(name) in MANAGEABLE:
            target = split_target(args)
            if target is not None:
                await self._manage_other_chat(context.bot, message, user, name, *target)
                return
        request = CommandRequest(
            platform=PLATFORM,
            chat_id=str(chat.id),
            thread_id=thread,
            user_id=sender,
            chat_kind=chat_kind(chat.type),
            user_is_chat_admin=await self._sender_is_admin(context.bot, message),
            locale=user.language_code if user else None,
            command=name,
            args=args,
        )
        reply = await self._services.commands.handle(request)
        await self._send_text(chat.id, reply.text, request.thread_id)

    async def _admitted(
        self, chat_id: int, sender: str | None, user: User | None, thread: str | None
    ) -> bool:
        """Within the command limits; the first refused command of a run gets "slow down"."""
        admission = await self._services.commands.admit(
            platform=PLATFORM,
            chat_id=str(chat_id),
            user_id=sender,
            locale=user.language_code if user else None,
        )
        if admission.reply is not None:
            await self._send_text(chat_id, admission.reply.text, thread)
        return admission.allowed

    async def _sender_is_admin(self, bot: Bot, message: Message) -> bool:
        """Private chats and channel posts: yes; anonymous admins: yes; others: ask Telegram."""
        chat = message.chat
        if chat.type in ("private", "channel"):
            return True
        if message.sender_chat is not None:
            # Anonymous administrators post as the group itself; a linked channel is no admin.
            return message.sender_chat.id == chat.id
        if message.from_user is None:
            return False
        return await self._checked_admin(bot, chat.id, message.from_user.id)

    async def _checked_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        try:
            return await self._admins.is_admin(bot, chat_id, user_id)
        except TelegramError as exc:
            # Unknown counts as "no": refusing a change is safe, allowing one is not.
            log.warning("admin check failed: %s", exc, extra={"chat": f"telegram:{chat_id}"})
            return False

    async def _manage_other_chat(
        self, bot: Bot, message: Message, user: User, name: str, target: str, args: str
    ) -> None:
        """`/subscribe @channel xiaomi` in a private chat: act for a chat the user administers."""
        here = message.chat.id
        language = await self._services.commands.chat_language(
            PLATFORM, str(here), user.language_code
        )
        try:
            chat = await bot.get_chat(int(target) if target.lstrip("-").isdigit() else target)
        except TelegramError:
            await self._send_text(
                here, translate(language, "tg.manage.not_found", chat=target), None
            )
            return
        shown = f"@{chat.username}" if chat.username else (chat.title or str(chat.id))
        problem = await self._management_problem(bot, chat.id, chat.type, user.id)
        if problem is not None:
            await self._send_text(here, translate(language, problem, chat=shown), None)
            return
        request = CommandRequest(
            platform=PLATFORM,
            chat_id=str(chat.id),
            thread_id=None,
            user_id=str(user.id),
            chat_kind=chat_kind(chat.type),
            user_is_chat_admin=True,
            locale=user.language_code,
            command=name,
            args=args,
        )
        reply = await self._services.commands.handle(request)
        header = translate(reply.language, "tg.manage.for", chat=shown)
        await self._send_text(here, f"{header}\n{reply.text}", None)

    async def _management_problem(
        self, bot: Bot, chat_id: int, chat_type: str, user_id: int
    ) -> str | None:
        """The catalogue key saying why the user may not manage the chat, or None."""
        if chat_type == "private":
            return "tg.manage.not_found"
        try:
            if not await self._admins.is_admin(bot, chat_id, user_id):
                return "tg.manage.not_admin"
            own = await bot.get_chat_member(chat_id, bot.id)
        except TelegramError as exc:
            log.info("cannot check chat for management: %s", exc, extra={"chat": chat_id})
            return "tg.manage.not_admin"
        return None if can_post(chat_type, member_state(own)) else "tg.manage.cannot_post"

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Pause or Unsubscribe under an alert: act through the commands, answer with a toast."""
        query = update.callback_query
        if query is None:
            return
        parsed = parse_callback_data(query.data)
        message = query.message
        if parsed is None or message is None or not isinstance(message, Message):
            await self._answer(query, translate(self._default_language, "tg.button.expired"))
            return
        action, subscription_id = parsed
        chat = message.chat
        user = query.from_user
        admission = await self._services.commands.admit(
            platform=PLATFORM, chat_id=str(chat.id), user_id=str(user.id), locale=user.language_code
        )
        if not admission.allowed:
            if admission.reply is not None:
                await self._answer(query, admission.reply.text)
            return
        admin = chat.type == "private" or await self._checked_admin(context.bot, chat.id, user.id)
        request = CommandRequest(
            platform=PLATFORM,
            chat_id=str(chat.id),
            thread_id=thread_id(message.message_thread_id, message.is_topic_message),
            user_id=str(user.id),
            chat_kind=chat_kind(chat.type),
            user_is_chat_admin=admin,
            locale=user.language_code,
            command=action,
            args=str(subscription_id),
        )
        reply = await self._services.commands.handle(request)
        await self._answer(query, reply.text)

    async def _answer(self, query: CallbackQuery, text: str) -> None:
        try:
            await query.answer(toast(text))
        except TelegramError as exc:
            # A toast that arrives too late (the query expired) is no reason to fail.
            log.info("callback answer failed: %s", exc)

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot's own membership changed: deactivate, or greet a group that added it."""
        change = update.my_chat_member
        if change is None:
            return
        chat = change.chat
        self._admins.forget(chat.id)
        action, reason = membership_action(
            chat.type,
            member_state(change.old_chat_member),
            member_state(change.new_chat_member),
        )
        if action == "gone":
            await self._services.events.chat_gone(PLATFORM, str(chat.id), reason=reason)
        elif action == "greet":
            greeting: Reply = await self._services.events.greeting(
                PLATFORM, str(chat.id), locale=change.from_user.language_code
            )
            await self._send_text(chat.id, greeting.text, None)

    async def on_migration(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: its subscriptions move to the new id."""
        message = update.effective_message
        if message is None or message.migrate_to_chat_id is None:
            return
        self._admins.forget(message.chat.id)
        await self._services.events.chat_migrated(
            PLATFORM, str(message.chat.id), str(message.migrate_to_chat_id)
        )

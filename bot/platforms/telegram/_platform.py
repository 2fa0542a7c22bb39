"""The Telegram platform: a PTB Application inside newsbot's own event loop."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.commands import Reply
from bot.delivery.platform import (
    DeliveryError,
    EditRefusedError,
    Outgoing,
    TransientDeliveryError,
)
from bot.delivery.render import alert_text
from bot.errors import NewsbotError
from bot.i18n import translate
from bot.model import Target
from bot.platforms.base import PlatformServices
from bot.platforms.telegram._errors import (
    bad_request_kind,
    delivery_error,
    edit_refusal,
    redact,
    retry_after_seconds,
)
from bot.platforms.telegram._handlers import AdminCache, UpdateHandlers
from bot.platforms.telegram._limits import ChatParkedError, ChatRateLimiter, RateLimits
from bot.platforms.telegram._redact import install_token_filter
from bot.platforms.telegram._render import MESSAGE_LIMIT, alert_message, callback_data
from bot.platforms.telegram._setup import register_bot_profile
from bot.platforms.telegram._updates import ChatOrderedProcessor, ReplyQueue
from bot.platforms.telegram._webhook import WebhookServer
from bot.settings import Settings

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "channel_post", "callback_query", "my_chat_member")
UNHEALTHY_AFTER = 3  # consecutive network failures before healthy() says no
# A reply may wait this long for its chat's slot (alerts are parked instead); it waits in
# the background (ReplyQueue), holding up neither its chat's next update nor other chats.
REPLY_MAX_WAIT = 10.0
REPLY_GRACE = 1.5  # at stop, queued replies get this long; well inside Docker's 10 s


@dataclass(frozen=True, slots=True)
class TelegramOptions:
    """Tuning that tests and benchmarks change; production uses the defaults."""

    limits: RateLimits | None = field(default_factory=RateLimits)  # None: no own limiter
    ptb_rate_limiter: BaseRateLimiter[Any] | None = None  # e.g. PTB's AIORateLimiter, to compare
    poll_timeout: float = 10.0  # getUpdates long-poll seconds
    polling_grace: float = 60.0  # healthy again this long after the last polling error
    admin_ttl: float = 60.0
    connect_backoff_initial: float = 2.0  # first wait when Telegram is unreachable at start
    connect_backoff_max: float = 300.0  # waits double up to this


class TelegramStartError(NewsbotError):
    """Telegram refused to start the bot for a reason retrying cannot fix (the token)."""


def file_url(api_url: str) -> str:
    """The file download base for an API base: `…/bot` -> `…/file/bot` (Bot API layout)."""
    base = api_url.rstrip("/")
    if base.endswith("/bot"):
        return f"{base[: -len('/bot')]}/file/bot"
    return f"{base}/file"


def _chat_id(chat: str) -> int | str:
    """Numeric ids go as numbers, `@channel` names as text."""
    return int(chat) if chat.lstrip("-").isdigit() else chat


class TelegramPlatform:
    """Commands, membership events and alert delivery on Telegram."""

    name = "telegram"

    def __init__(
        self,
        settings: Settings,
        services: PlatformServices,
        *,
        options: TelegramOptions | None = None,
    ) -> None:
        if settings.telegram_token is None:
            raise ValueError("the Telegram platform needs NEWSBOT_TELEGRAM_TOKEN")
        self._settings = settings
        self._services = services
        self._options = options or TelegramOptions()
        self._token = settings.telegram_token.get_secret_value()
        self._limiter = ChatRateLimiter(self._options.limits) if self._options.limits else None
        self._application: Application | None = None  # type: ignore[type-arg]
        self._webhook: WebhookServer | None = None
        self._uninstall_filter: Callable[[], None] | None = None
        self._network_failures = 0
        self._polling_failed_at: float | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._replies = ReplyQueue(self._send_text)

    @property
    def bot(self) -> Bot:
        """The PTB bot, once started."""
        if self._application is None:
            raise RuntimeError("the Telegram platform is not started")
        bot: Bot = self._application.bot
        return bot

    async def start(self) -> None:
        """Connect; if Telegram cannot be reached, say so once and keep trying in the background.

        The rest of newsbot (polling, the console, Discord) runs meanwhile: alerts for
        Telegram wait in the outbox, and `healthy()` is false until the bot is connected.
        A token Telegram refuses is fatal (`TelegramStartError`): no retry can fix it.
        """
        self._uninstall_filter = install_token_filter(self._token)
        try:
            await self._connect()
        except NetworkError as exc:
            log.error(
                "telegram unreachable at start (%s); retrying in the background, the rest runs",
                redact(str(exc), self._token),
            )
            self._connecting = asyncio.create_task(self._keep_connecting(), name="telegram-start")

    async def _keep_connecting(self) -> None:
        """Try to connect with doubling, jittered waits until it works or the token is refused."""
        options = self._options
        wait = options.connect_backoff_initial
        while True:
            await asyncio.sleep(wait * random.uniform(0.8, 1.2))
            try:
                await self._connect()
            except NetworkError as exc:
                wait = min(wait * 2, options.connect_backoff_max)
                log.info(
                    "telegram still unreachable (%s); next try in about %.0f s",
                    redact(str(exc), self._token),
                    wait,
                )
            except TelegramStartError as exc:
                log.error("%s; Telegram stays off until newsbot is restarted", exc)
                return
            else:
                return

    async def _connect(self) -> None:
        """Build the application and bring it up; on any failure release what was opened."""
        application = self._build()
        try:
            await self._open(application)
        except InvalidToken as exc:
            await self._close(application)
            raise TelegramStartError(
                "Telegram refused NEWSBOT_TELEGRAM_TOKEN (check it with BotFather)"
            ) from exc
        except BaseException:
            await self._close(application)
            raise
        self._application = application

    async def _open(self, application: Application) -> None:  # type: ignore[type-arg]
        """initialize, register commands, start, then start polling (or the webhook)."""
        await application.initialize()
        await register_bot_profile(application.bot, default_language=self._settings.language)
        await application.start()
        settings = self._settings
        if settings.telegram_webhook_url:
            secret = settings.telegram_webhook_secret
            self._webhook = WebhookServer(
                application,
                url=settings.telegram_webhook_url,
                listen=settings.telegram_webhook_listen,
                port=settings.telegram_webhook_port,
                secret=secret.get_secret_value() if secret else None,
            )
            await self._webhook.start(ALLOWED_UPDATES)
        else:
            assert application.updater is not None
            await application.updater.start_polling(
                allowed_updates=list(ALLOWED_UPDATES),
                timeout=int(self._options.poll_timeout),
                error_callback=self._polling_error,
            )
        log.info("telegram bot @%s is receiving updates", application.bot.username)

    def _build(self) -> Application:  # type: ignore[type-arg]
        builder = (
            ApplicationBuilder()
            .token(self._token)
            .base_url(self._settings.telegram_api_url)
            .base_file_url(file_url(self._settings.telegram_api_url))
            .connection_pool_size(64)
            .pool_timeout(10.0)
            .concurrent_updates(ChatOrderedProcessor())
        )
        if self._settings.telegram_webhook_url:
            builder = builder.updater(None)
        if self._options.ptb_rate_limiter is not None:
            builder = builder.rate_limiter(self._options.ptb_rate_limiter)
        application = builder.build()
        handlers = UpdateHandlers(
            self._services,
            send_text=self._queue_reply,
            admins=AdminCache(ttl=self._options.admin_ttl),
            default_language=self._settings.language,
        )
        updates = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
        application.add_handler(MessageHandler(updates & filters.COMMAND, handlers.on_command))
        application.add_handler(
            MessageHandler(updates & filters.StatusUpdate.MIGRATE, handlers.on_migration)
        )
        application.add_handler(CallbackQueryHandler(handlers.on_button))
        application.add_handler(
            ChatMemberHandler(handlers.on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        application.add_error_handler(self._on_error)
        return application

    async def stop(self) -> None:
        """Stop receiving, let handlers finish, close the HTTP client; safe to call twice."""
        connecting, self._connecting = self._connecting, None
        if connecting is not None:
            connecting.cancel()
            await asyncio.gather(connecting, return_exceptions=True)
        application, self._application = self._application, None
        try:
            if application is not None:
                await self._close(application)
        finally:
            if self._uninstall_filter is not None:
                self._uninstall_filter()
                self._uninstall_filter = None

    async def _close(self, application: Application) -> None:  # type: ignore[type-arg]
        """Take down whatever part of `application` is up (all of it, or a failed start)."""
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        webhook, self._webhook = self._webhook, None
        if webhook is not None:
            await webhook.stop()
        if application.running:
            await application.stop()
        await self._replies.close(REPLY_GRACE)
        await application.shutdown()
        # A failed initialize leaves the HTTP clients open and the application "not
        # initialized", so its shutdown skips them; the bot's own shutdown closes them.
        await application.bot.shutdown()

    def healthy(self) -> bool:
        """Running and receiving, and the last sends did not all fail on the network."""
        application = self._application
        if application is None or not application.running:
            return False
        receiving = self._webhook is not None or (
            application.updater is not None and application.updater.running
        )
        # PTB retries polling at most every 30 s while it fails: a quiet grace means it recovered.
        failed_at = self._polling_failed_at
        polling_ok = failed_at is None or time.monotonic() - failed_at > self._options.polling_grace
        return receiving and polling_ok and self._network_failures < UNHEALTHY_AFTER

    # Alerts.

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        """Send one alert as HTML with its buttons; raise a delivery error on failure."""
        if self._application is None:
            # Still connecting: the alert waits in the outbox like any transient failure.
            raise TransientDeliveryError("telegram is not connected yet", retry_after=30.0)
        target = outgoing.target
        message = alert_message(alert_text(outgoing.alert, outgoing.language, outgoing.zone))
        keyboard = _keyboard(outgoing)
        preview = LinkPreviewOptions(url=message.link) if message.link else None
        thread = int(target.thread) if target.thread else None
        try:
            try:
                sent = await self._send(
                    target.chat,
                    message.html,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=preview,
                    reply_markup=keyboard,
                    message_thread_id=thread,
                )
            except BadRequest as exc:
                if bad_request_kind(exc.message) == "chat":
                    raise
                # The message, not the chat, was refused: plain text once, then give up.
                log.warning(
                    "alert refused as HTML, sending plain text: %s",
                    exc.message,
                    extra={"chat": str(target), "subscription": outgoing.subscription_id},
                )
                sent = await self._send(
                    target.chat,
                    message.plain,
                    link_preview_options=preview,
                    reply_markup=keyboard,
                    message_thread_id=thread,
                )
        except ChatParkedError as exc:
            raise TransientDeliveryError(str(exc), retry_after=exc.wait) from exc
        except TelegramError as exc:
            raise self._failure(target.chat, exc) from exc
        return str(sent.message_id)

    async def edit_alert(self, outgoing: Outgoing) -> None:
        """editMessageText of the sent alert with its story's other reports (buttons kept);
        a message that is gone or too old raises EditRefusedError, never a new message."""
        target = outgoing.target
        message = alert_message(alert_text(outgoing.alert, outgoing.language, outgoing.zone))
        assert outgoing.message_id is not None
        if self._limiter is not None:
            await self._limiter.acquire(target.chat)
        try:
            await self.bot.edit_message_text(
                message.html,
                chat_id=_chat_id(target.chat),
                message_id=int(outgoing.message_id),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(url=message.link) if message.link else None,
                reply_markup=_keyboard(outgoing),
            )
        except BadRequest as exc:
            kind = edit_refusal(exc.message)
            if kind == "unchanged":
                return  # already shows this (an edit repeated after a crash)
            if kind == "refused":
                raise EditRefusedError(exc.message) from exc
            raise self._failure(target.chat, exc) from exc
        except ChatParkedError as exc:
            raise TransientDeliveryError(str(exc), retry_after=exc.wait) from exc
        except TelegramError as exc:
            raise self._failure(target.chat, exc) from exc
        self._network_failures = 0

    async def _send(
        self, chat: str, text: str, *, max_wait: float | None = None, **options: object
    ) -> Message:
        """One sendMessage through the chat's rate-limit slot."""
        if self._limiter is not None:
            await self._limiter.acquire(chat, max_wait=max_wait)
        message = await self.bot.send_message(_chat_id(chat), text, **options)  # type: ignore[arg-type]
        self._network_failures = 0
        return message

    def _failure(self, chat: str, exc: TelegramError) -> DeliveryError:
        """Note what the error says about the chat (parked) or the network, and map it."""
        if isinstance(exc, RetryAfter) and self._limiter is not None:
            self._limiter.park(chat, retry_after_seconds(exc))
        error = delivery_error(exc, token=self._token)
        if isinstance(error, TransientDeliveryError) and not isinstance(exc, RetryAfter):
            self._network_failures += 1
        log.info("telegram send failed: %s", error, extra={"chat": f"telegram:{chat}"})
        return error

    # Replies and notices: plain text, split at Telegram's limit, best effort.

    async def send_notice(self, target: Target, text: str) -> None:
        """Tell a chat something outside alerts; failures are logged, never raised."""
        if self._application is None:
            log.warning("notice not sent: telegram is not connected", extra={"chat": str(target)})
            return
        await self._send_text(_chat_id(target.chat), text, target.thread)

    async def _queue_reply(self, chat: int | str, text: str, thread: str | None) -> None:
        """A command's reply goes out in the background, after the chat's earlier replies."""
        self._replies.submit(str(chat), text, thread)

    async def _send_text(self, chat: int | str, text: str, thread: str | None) -> None:
        for part in Reply(text, "").parts(MESSAGE_LIMIT):
            try:
                await self._send(
                    str(chat),
                    part,
                    max_wait=REPLY_MAX_WAIT,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    message_thread_id=int(thread) if thread else None,
                )
            except ChatParkedError as exc:
                log.warning("reply dropped: %s", exc, extra={"chat": f"telegram:{chat}"})
                return
            except TelegramError as exc:
                if isinstance(exc, RetryAfter) and self._limiter is not None:
                    self._limiter.park(str(chat), retry_after_seconds(exc))
                log.warning(
                    "reply not sent: %s",
                    redact(str(exc), self._token),
                    extra={"chat": f"telegram:{chat}"},
                )
                return

    # Errors inside PTB.

    def _polling_error(self, exc: TelegramError) -> None:
        """getUpdates failed (PTB retries by itself); log it without the token."""
        self._polling_failed_at = time.monotonic()
        log.warning("telegram polling failed: %s", redact(str(exc), self._token))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A handler raised: log it (the filter removes the token) and carry on."""
        log.error(
            "error while handling a telegram update: %s",
            redact(str(context.error), self._token),
            exc_info=context.error,
        )


def _keyboard(outgoing: Outgoing) -> InlineKeyboardMarkup:
    """The alert's buttons (pause, unsubscribe), in the subscription's language."""
    language = outgoing.language
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    translate(language, "tg.button.pause"),
                    callback_data=callback_data("pause", outgoing.subscription_id),
                ),
                InlineKeyboardButton(
                    translate(language, "tg.button.unsubscribe"),
                    callback_data=callback_data("unsubscribe", outgoing.subscription_id),
                ),
            ]
        ]
    )

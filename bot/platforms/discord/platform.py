"""The Discord adapter: a discord.py client run by newsbot's app, never by `Client.run()`.

Two settings of discord.py are process-wide class attributes, not client options: the REST
base (`discord.http.Route.BASE`) and the gateway a fresh session connects to
(`DiscordWebSocket.DEFAULT_GATEWAY`; a plain Client never asks the API for it, and falls back
to it after an invalidated session). Both are set at every start from NEWSBOT_DISCORD_API_URL
and its `GET /gateway`, so a rate-limit proxy or a test server works by setting the URL alone.
One Discord client per process is what newsbot runs, so the globals are not shared.

Chats: a server channel is the chat; a thread is its own `thread_id` under the parent channel
(like a Telegram forum topic), so alerts post into the thread and /list in the channel shows
the thread's subscriptions too; a DM is a private chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from dataclasses import dataclass
from typing import Any, cast

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.commands import CommandRequest, Reply
from bot.commands.request import ChatKind
from bot.delivery.platform import (
    EditRefusedError,
    Outgoing,
    PermanentDeliveryError,
    TransientDeliveryError,
)
from bot.errors import NewsbotError
from bot.i18n import translate
from bot.model import Target
from bot.platforms.base import PlatformServices
from bot.platforms.discord.embeds import EmbedParts, alert_embed, defuse_mentions, reply_parts
from bot.platforms.discord.slash import (
    CatalogTranslator,
    SyncRecord,
    build_commands,
    commands_payload,
    definition_hash,
)

log = logging.getLogger(__name__)

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
# Discord drops an interaction not answered within 3 s; past this, defer and answer later.
DEFER_AFTER = 1.5
# Replies of these commands only the caller needs; a deferral must choose before the reply exists.
PRIVATE_COMMANDS = frozenset({"help", "list", "preview", "sources", "status"})
BUTTON_ACTIONS = {"pause": "pause", "unsub": "unsubscribe"}


class DiscordStartError(NewsbotError):
    """The Discord client could not log in or reach READY."""


@dataclass(frozen=True, slots=True)
class InteractionPlace:
    """Where a Discord interaction happened, in newsbot's terms: the chat and its kind."""

    target: Target
    kind: ChatKind


def chat_address(
    channel_id: int, *, parent_id: int | None, is_thread: bool, in_guild: bool
) -> InteractionPlace:
    """A server channel is a group chat, a thread is a thread of its parent, a DM is private."""
    if not in_guild:
        return InteractionPlace(Target("discord", str(channel_id)), "private")
    if is_thread and parent_id is not None:
        return InteractionPlace(Target("discord", str(parent_id), str(channel_id)), "group")
    return InteractionPlace(Target("discord", str(channel_id)), "group")


def button_id(action: str, subscription_id: int) -> str:
    """The stable custom id of an alert button: `newsbot:pause:12`, `newsbot:unsub:12`."""
    return f"newsbot:{action}:{subscription_id}"


UNKNOWN_MESSAGE = 10008  # Discord's JSON error code: the message was deleted


def delivery_error(exc: discord.HTTPException) -> Exception:
    """What delivery should do about a failed send: give up on the chat, or retry."""
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        # 403 Missing Permissions/Access, 404 Unknown Channel: the chat cannot take alerts.
        return PermanentDeliveryError(f"discord: {exc.status} {exc.text or exc.code}".strip())
    if exc.status == 429:
        retry = getattr(exc, "retry_after", None)
        return TransientDeliveryError("discord: rate limited", retry_after=retry)
    # 5xx, and a 400 that would be our own bug: retried with backoff and logged each time.
    return TransientDeliveryError(f"discord: HTTP {exc.status} {exc.text or ''}".strip())


class _AlertButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"newsbot:(?P<action>pause|unsub):(?P<id>[0-9]+)",
):
    """Pause/Unsubscribe under an alert; rebuilt from its custom id, so it survives restarts."""

    def __init__(self, action: str, subscription_id: int, *, label: str = "") -> None:
        style = discord.ButtonStyle.danger if action == "unsub" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or action, style=style, custom_id=button_id(action, subscription_id)
            )
        )
        self.action = action
        self.subscription_id = subscription_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[discord.Client],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> _AlertButton:
        """Rebuild the button a user pressed from its custom id."""
        return cls(match["action"], int(match["id"]))

    async def callback(self, interaction: discord.Interaction[discord.Client]) -> None:
        """Act through the command service, as if the user had typed the command."""
        client = cast(_NewsClient, interaction.client)
        command = BUTTON_ACTIONS[self.action]
        await client.platform.answer(interaction, command, str(self.subscription_id))


def alert_view(subscription_id: int, language: str) -> discord.ui.View:
    """The buttons under an alert; fully dynamic, so discord.py keeps no state per message."""
    view = discord.ui.View(timeout=None)
    view.add_item(
        _AlertButton("pause", subscription_id, label=translate(language, "dc.button.pause"))
    )
    view.add_item(
        _AlertButton("unsub", subscription_id, label=translate(language, "dc.button.unsubscribe"))
    )
    return view


def to_embed(parts: EmbedParts) -> discord.Embed:
    """The discord.py embed of prepared, limit-checked parts."""
    embed = discord.Embed(
        title=parts.title,
        url=parts.url,
        description=parts.description or None,
        timestamp=parts.timestamp,
    )
    if parts.also_value:
        embed.add_field(name=parts.also_name, value=parts.also_value, inline=False)
    if parts.matched_value:
        embed.add_field(name=parts.matched_name, value=parts.matched_value, inline=False)
    embed.set_footer(text=parts.footer)
    return embed


class _NewsClient(discord.Client):
    """A discord.py client that reports chat events and connection state to the platform."""

    def __init__(self, platform: DiscordPlatform, *, guild_ready_timeout: float) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channel and guild lifecycle; nothing privileged
        super().__init__(
            intents=intents,
            allowed_mentions=NO_MENTIONS,
            guild_ready_timeout=guild_ready_timeout,
            max_messages=None,  # we never read messages: no message cache
            chunk_guilds_at_startup=False,
        )
        self.platform = platform

    async def on_connect(self) -> None:
        """A new gateway session is up."""
        self.platform.connected = True

    async def on_resumed(self) -> None:
        """A dropped gateway session resumed; missed events were replayed."""
        self.platform.connected = True
        log.info("discord gateway resumed")

    async def on_disconnect(self) -> None:
        """The gateway dropped; discord.py reconnects, REST sends keep working meanwhile."""
        self.platform.connected = False

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """A deleted channel takes its subscriptions (and its threads') with it."""
        await self.platform.chat_gone(channel.id, "discord: channel deleted")

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server: every channel's subscriptions there end."""
        for channel in guild.channels:
            await self.platform.chat_gone(channel.id, "discord: removed from the server")


class DiscordPlatform:
    """newsbot on Discord: slash commands in, alert embeds out."""

    name = PLATFORM

    def __init__(
        self,
        *,
        token: str,
        api_url: str,
        services: PlatformServices,
        sync_record: SyncRecord,
        ready_timeout: float = 60.0,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        self._token = token
        self._api_url = api_url.rstrip("/")
        self._services = services
        self._sync_record = sync_record
        self._ready_timeout = ready_timeout
        self._guild_ready_timeout = guild_ready_timeout
        self._client: _NewsClient | None = None
        self._runner: asyncio.Task[None] | None = None
        self.connected = False
        self.synced = False

    # Lifecycle

    async def start(self) -> None:
        """Log in, connect the gateway as a kept task, wait for READY, sync commands if changed."""
        Route.BASE = self._api_url
        client = _NewsClient(self, guild_ready_timeout=self._guild_ready_timeout)
        self._client = client
        tree: app_commands.CommandTree[_NewsClient] = app_commands.CommandTree(client)
        await tree.set_translator(CatalogTranslator())
        for command in build_commands(self.answer):
            tree.add_command(command)
        client.add_dynamic_items(_AlertButton)
        try:
            await client.login(self._token)
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(await self._gateway_url(client))
        except (discord.HTTPException, discord.LoginFailure, aiohttp.ClientError, OSError) as exc:
            await client.close()
            raise DiscordStartError(f"discord login failed: {exc}") from exc
        self._runner = asyncio.create_task(client.connect(reconnect=True), name="discord-gateway")
        await self._wait_ready(client, self._runner)
        await self._sync_commands(tree)

    async def _gateway_url(self, client: discord.Client) -> str:
        """The gateway the API names; a proxy or test server names its own."""
        data = await client.http.request(Route("GET", "/gateway"))
        return str(data["url"])

    async def _wait_ready(self, client: discord.Client, runner: asyncio.Task[None]) -> None:
        ready = asyncio.create_task(client.wait_until_ready(), name="discord-ready")
        done, _ = await asyncio.wait(
            {ready, runner}, timeout=self._ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done:
            return
        ready.cancel()
        await asyncio.gather(ready, return_exceptions=True)
        problem = runner.exception() if runner in done else None
        await self.stop()
        if problem is not None:
            raise DiscordStartError(f"discord gateway failed: {problem}") from problem
        raise DiscordStartError(f"discord was not ready within {self._ready_timeout:.0f} s")

    async def _sync_commands(self, tree: app_commands.CommandTree[_NewsClient]) -> None:
        """Sync slash commands only when their definition changed: syncs are rate-limited."""
        application_id = tree.client.application_id
        assert application_id is not None  # set by login
        digest = definition_hash(await commands_payload(tree))
        if self._sync_record.matches(application_id, digest):
            log.info("discord slash commands unchanged; not syncing")
            return
        try:
            await tree.sync()
        except discord.HTTPException as exc:
            # The bot still works with the previously synced commands; next start tries again.
            log.warning("discord slash-command sync failed: %s", exc)
            return
        self._sync_record.remember(application_id, digest)
        self.synced = True
        log.info("discord slash commands synced")

    async def stop(self) -> None:
        """Close the gateway and the HTTP session, then await the gateway task."""
        client, runner = self._client, self._runner
        self.connected = False
        if client is not None:
            await client.close()
        if runner is not None:
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await asyncio.wait_for(runner, 10)
                except Exception:
                    log.exception("discord gateway task ended with an error")
        self._runner = None

    def healthy(self) -> bool:
        """Logged in, gateway connected (REST sends also work while it reconnects)."""
        client = self._client
        return client is not None and not client.is_closed() and self.connected

    # Sending

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        """Post the alert embed with its buttons; map Discord's answers to delivery errors."""
        client = self._client
        if client is None or client.is_closed():
            raise TransientDeliveryError("discord is not running")
        target = outgoing.target
        channel = client.get_partial_messageable(int(target.thread or target.chat))
        embed = to_embed(alert_embed(outgoing.alert, outgoing.language))
        view = alert_view(outgoing.subscription_id, outgoing.language)
        try:
            message = await channel.send(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            raise delivery_error(exc) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise TransientDeliveryError(f"discord: {type(exc).__name__}: {exc}") from exc
        return str(message.id)

    async def edit_alert(self, outgoing: Outgoing) -> None:
        """Edit the alert's embed to list its story's other reports (buttons kept); a
        message that is gone raises EditRefusedError, never a new message."""
        client = self._client
        if client is None or client.is_closed():
            raise TransientDeliveryError("discord is not running")
        assert outgoing.message_id is not None
        target = outgoing.target
        channel = client.get_partial_messageable(int(target.thread or target.chat))
        message = channel.get_partial_message(int(outgoing.message_id))
        embed = to_embed(alert_embed(outgoing.alert, outgoing.language))
        view = alert_view(outgoing.subscription_id, outgoing.language)
        try:
            await message.edit(embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MESSAGE:
                raise EditRefusedError(f"discord: {exc.status} {exc.text or exc.code}") from exc
            raise delivery_error(exc) from exc
        except discord.HTTPException as exc:
            raise delivery_error(exc) from exc
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise TransientDeliveryError(f"discord: {type(exc).__name__}: {exc}") from exc

    async def send_notice(self, target: Target, text: str) -> None:
        """A channel we know gets the text; otherwise `target.chat` is a user and gets a DM."""
        client = self._client
        if client is None or client.is_closed():
            log.warning("discord notice not sent (not running): %s", text)
            return
        try:
            chat_id = int(target.thread or target.chat)
            channel: discord.abc.Messageable | None = client.get_channel(chat_id)  # type: ignore[assignment]
            if channel is None:
                channel = await client.create_dm(discord.Object(chat_id))
            for part in reply_parts(text):
                await channel.send(part, allowed_mentions=NO_MENTIONS)
        except (discord.HTTPException, aiohttp.ClientError, OSError, ValueError) as exc:
            log.warning("discord notice not sent: %s", exc, extra={"chat": str(target)})

    # Commands and events

    async def answer(self, interaction: discord.Interaction[Any], command: str, args: str) -> None:
        """Run a command for an interaction; answer within Discord's 3 s, deferring if needed."""
        request = self.request_for(interaction, command, args)
        if not await self._admitted(interaction, request):
            return
        handling = asyncio.create_task(self._services.commands.handle(request))
        try:
            done, _ = await asyncio.wait({handling}, timeout=DEFER_AFTER)
            deferred = not done
            if deferred:
                await interaction.response.defer(
                    ephemeral=command in PRIVATE_COMMANDS, thinking=True
                )
            reply = await handling
            await self._send_reply(interaction, reply, deferred=deferred)
        except discord.HTTPException as exc:
            # Typically the interaction expired (10062); nothing else can reach the user.
            log.warning(
                "discord interaction not answered: %s", exc, extra={"chat": request.chat_id}
            )
        finally:
            await asyncio.gather(handling, return_exceptions=True)

    async def _admitted(
        self, interaction: discord.Interaction[Any], request: CommandRequest
    ) -> bool:
        """Within the command limits; the first refused one gets "slow down", the rest nothing."""
        admission = await self._services.commands.admit(
            platform=PLATFORM,
            chat_id=request.chat_id,
            user_id=request.user_id,
            locale=request.locale,
        )
        if admission.reply is not None:
            try:
                await self._send_reply(interaction, admission.reply, deferred=False)
            except discord.HTTPException as exc:
                log.warning("discord slow-down not sent: %s", exc, extra={"chat": request.chat_id})
        return admission.allowed

    def request_for(
        self, interaction: discord.Interaction[Any], command: str, args: str
    ) -> CommandRequest:
        """The platform-neutral request of an interaction (slash command or button)."""
        channel = interaction.channel
        channel_id = interaction.channel_id or (channel.id if channel else 0)
        address = chat_address(
            channel_id,
            parent_id=getattr(channel, "parent_id", None),
            is_thread=isinstance(channel, discord.Thread),
            in_guild=interaction.guild_id is not None,
        )
        return CommandRequest(
            platform=PLATFORM,
            chat_id=address.target.chat,
            thread_id=address.target.thread,
            user_id=str(interaction.user.id),
            chat_kind=address.kind,
            user_is_chat_admin=(
                address.kind == "private" or interaction.permissions.manage_channels
            ),
            locale=str(interaction.locale.value),
            command=command,
            args=args,
        )

    async def _send_reply(
        self, interaction: discord.Interaction[Any], reply: Reply, *, deferred: bool
    ) -> None:
        parts = reply_parts(reply.text)
        first, rest = parts[0], parts[1:]
        if deferred:
            await interaction.followup.send(
                first, ephemeral=reply.ephemeral, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.response.send_message(
                first, ephemeral=reply.ephemeral, allowed_mentions=NO_MENTIONS
            )
        for part in rest:
            await interaction.followup.send(
                part, ephemeral=reply.ephemeral, allowed_mentions=NO_MENTIONS
            )

    async def chat_gone(self, chat_id: int, reason: str) -> None:
        """End a chat's subscriptions after a gateway event said it is gone."""
        try:
            await self._services.events.chat_gone(PLATFORM, str(chat_id), reason=reason)
        except Exception:
            # An event handler must not break the gateway; the next send's 404 catches up.
            log.exception("handling a gone discord chat failed", extra={"chat": str(chat_id)})


__all__ = [
    "DiscordPlatform",
    "DiscordStartError",
    "alert_view",
    "button_id",
    "chat_address",
    "defuse_mentions",
    "delivery_error",
    "to_embed",
]

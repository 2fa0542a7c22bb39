"""A loopback Discord: REST under `/api/v10` and a gateway websocket, enough for discord.py.

Unmodified discord.py logs in (`/users/@me`, `/oauth2/applications/@me`), reads the gateway
address from `GET /gateway`, identifies or resumes on the websocket, receives READY,
GUILD_CREATE and whatever the test dispatches (INTERACTION_CREATE, CHANNEL_DELETE, …), answers
interactions and posts messages. The server checks Discord's message limits (400 Invalid Form
Body) and answers 429, 403, 404 or 5xx when a test queues one.

Two details discord.py depends on: JSON answers carry `Content-Type: application/json` exactly
(with `; charset=utf-8` the library reads the body as text), and a 429 carries a `Via` header
(without it the library assumes a Cloudflare ban and raises instead of waiting).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer

APPLICATION_ID = 900_000_000_000_000_001
BOT_ID = APPLICATION_ID
GUILD_ID = 910_000_000_000_000_001
CHANNEL_ID = 920_000_000_000_000_001  # a text channel of the guild
OTHER_CHANNEL_ID = 920_000_000_000_000_002
THREAD_ID = 930_000_000_000_000_001  # a public thread in CHANNEL_ID
DM_CHANNEL_ID = 940_000_000_000_000_001
ADMIN_ID = 950_000_000_000_000_001  # a member with Manage Channels
MEMBER_ID = 950_000_000_000_000_002  # a member without it

MANAGE_CHANNELS = 1 << 4
SEND_MESSAGES = 1 << 11
VIEW_CHANNEL = 1 << 10
HEARTBEAT_MS = 41_250

_TEXT_LIMITS = {"title": 256, "description": 4096}
_EMBED_TOTAL = 6000


class InvalidFormBodyError(ValueError):
    """A payload breaks one of Discord's limits; the message names the field."""


def _json(data: object, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    # discord.py compares the content type exactly: no charset suffix.
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _error(status: int, code: int, message: str) -> web.Response:
    headers = {"Via": "1.1 google"} if status == 429 else {}
    body: dict[str, object] = {"code": code, "message": message}
    if status == 429:
        body.update(retry_after=0.05, **{"global": False})
    return _json(body, status, headers)


@dataclass(frozen=True)
class Failure:
    """A queued answer for the next message posted to a channel."""

    status: int
    code: int = 0
    message: str = "error"


MISSING_PERMISSIONS = Failure(403, 50013, "Missing Permissions")
UNKNOWN_CHANNEL = Failure(404, 10003, "Unknown Channel")
RATE_LIMITED = Failure(429, 0, "You are being rate limited.")
UNAVAILABLE = Failure(503, 0, "Service Unavailable")


@dataclass
class Posted:
    """One message posted to a channel, as the bot sent it."""

    channel_id: int
    payload: dict[str, Any]
    id: int
    edits: int = 0

    @property
    def embed(self) -> dict[str, Any]:
        """The message's only embed."""
        (embed,) = self.payload["embeds"]
        return dict(embed)

    def custom_ids(self) -> list[str]:
        """The custom ids of the message's buttons, in order."""
        return [
            component["custom_id"]
            for row in self.payload.get("components", [])
            for component in row["components"]
        ]


@dataclass
class Answer:
    """Everything the bot said in answer to one interaction."""

    callbacks: list[dict[str, Any]] = field(default_factory=list)  # POST …/callback bodies
    followups: list[dict[str, Any]] = field(default_factory=list)  # webhook posts and edits
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def texts(self) -> list[str]:
        """Every text the user was shown, callback first."""
        bodies = [c.get("data") or {} for c in self.callbacks] + self.followups
        return [body["content"] for body in bodies if body.get("content")]

    @property
    def text(self) -> str:
        """All shown texts joined."""
        return "\n".join(self.texts)

    @property
    def ephemeral(self) -> bool:
        """Whether the first visible answer was only for the caller (flag 64)."""
        first = (self.callbacks[0].get("data") or {}) if self.callbacks else {}
        return bool(int(first.get("flags", 0)) & 64)

    def payloads(self) -> list[dict[str, Any]]:
        """Every message body the bot sent for this interaction."""
        return [c["data"] for c in self.callbacks if c.get("data")] + self.followups


@dataclass
class Session:
    """One gateway session: its sequence and every event, so a RESUME can replay."""

    id: str
    events: list[dict[str, Any]] = field(default_factory=list)


class FakeDiscord:
    """Discord's REST API and gateway on loopback, recording what the bot does."""

    def __init__(self) -> None:
        self.server: TestServer | None = None
        self.posted: list[Posted] = []
        self.answers: dict[int, Answer] = {}
        self.syncs: list[list[dict[str, Any]]] = []
        self.failures: dict[int, list[Failure]] = {}
        self.identifies = 0
        self.resumes = 0
        self.intents: int | None = None
        self.requests: list[str] = []
        self.sessions: dict[str, Session] = {}
        self.deleted_channels: set[int] = set()
        self.deleted_messages: set[int] = set()  # a user deleted them: edits get 10008
        self._socket: web.WebSocketResponse | None = None
        self._session: Session | None = None
        self._connected = asyncio.Event()
        self._ids = itertools.count(980_000_000_000_000_001)
        self._tokens: dict[str, int] = {}
        self._commands: list[dict[str, Any]] = []

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        api = "/api/v10"
        routes = [
            ("GET", "/users/@me", self._me),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/gateway", self._gateway_url),
            ("GET", "/gateway/bot", self._gateway_url),
            ("PUT", "/applications/{app}/commands", self._sync),
            ("GET", "/applications/{app}/commands", self._commands_list),
            ("POST", "/channels/{channel}/messages", self._post_message),
            ("PATCH", "/channels/{channel}/messages/{message}", self._edit_message),
            ("POST", "/users/@me/channels", self._open_dm),
            ("POST", "/interactions/{id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{app}/{token}", self._followup),
            ("PATCH", "/webhooks/{app}/{token}/messages/@original", self._followup),
        ]
        for method, path, handler in routes:
            app.router.add_route(method, api + path, handler)
        self.server = TestServer(app)
        await self.server.start_server()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self.server is not None:
            await self.server.close()

    @property
    def api_url(self) -> str:
        """The value for NEWSBOT_DISCORD_API_URL."""
        assert self.server is not None
        return str(self.server.make_url("/api/v10"))

    @property
    def gateway_url(self) -> str:
        """The websocket address `GET /gateway` names."""
        assert self.server is not None
        return str(self.server.make_url("/gateway")).replace("http://", "ws://")

    def fail_next(self, channel_id: int, *failures: Failure) -> None:
        """Answer the next posts to `channel_id` with these failures, in order."""
        self.failures.setdefault(channel_id, []).extend(failures)

    def posted_to(self, channel_id: int) -> list[Posted]:
        """The messages posted to one channel."""
        return [post for post in self.posted if post.channel_id == channel_id]

    async def wait_connected(self) -> None:
        """Until a bot has identified or resumed on the gateway (10 s at most)."""
        async with asyncio.timeout(10):
            await self._connected.wait()

    # Gateway

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one DISPATCH event on the current session (kept for a RESUME's replay)."""
        assert self._session is not None, "no gateway session yet"
        session = self._session
        frame = {"op": 0, "t": event, "s": len(session.events) + 1, "d": data}
        session.events.append(frame)
        if self._socket is not None and not self._socket.closed:
            await self._socket.send_str(json.dumps(frame))

    async def drop_gateway(self) -> None:
        """Close the websocket as a network fault would; the session stays resumable."""
        socket, self._socket = self._socket, None
        self._connected.clear()
        if socket is not None:
            await socket.close(code=4000, message=b"dropped")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: Discord asks the bot to reconnect and resume."""
        assert self._socket is not None
        self._connected.clear()
        await self._socket.send_str(json.dumps({"op": 7, "d": None}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}}))
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                break
            frame = json.loads(message.data)
            await self._gateway_frame(socket, frame)
        return socket

    async def _gateway_frame(self, socket: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op, data = frame["op"], frame.get("d") or {}
        if op == 1:
            await socket.send_str(json.dumps({"op": 11}))
        elif op == 2:
            self.identifies += 1
            self.intents = data["intents"]
            self._session = Session(f"session-{self.identifies}")
            self.sessions[self._session.id] = self._session
            await self.dispatch("READY", self._ready())
            await self.dispatch("GUILD_CREATE", self._guild())
            self._connected.set()
        elif op == 6:
            session = self.sessions.get(data["session_id"])
            if session is None:
                await socket.send_str(json.dumps({"op": 9, "d": False}))
                return
            self.resumes += 1
            self._session = session
            for event in session.events[int(data["seq"] or 0) :]:
                await socket.send_str(json.dumps(event))
            await self.dispatch("RESUMED", {})
            self._connected.set()

    def _ready(self) -> dict[str, Any]:
        assert self._session is not None
        return {
            "v": 10,
            "user": _bot_user(),
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": self._session.id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APPLICATION_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def _guild(self) -> dict[str, Any]:
        channels = [
            _text_channel(CHANNEL_ID, "news"),
            _text_channel(OTHER_CHANNEL_ID, "phones"),
        ]
        return {
            "id": str(GUILD_ID),
            "name": "Phone fans",
            "owner_id": str(ADMIN_ID),
            "unavailable": False,
            "member_count": 3,
            "large": False,
            "joined_at": "2026-01-01T00:00:00+00:00",
            "preferred_locale": "de",
            "roles": [_role(GUILD_ID, "@everyone", VIEW_CHANNEL | SEND_MESSAGES)],
            "channels": [c for c in channels if int(c["id"]) not in self.deleted_channels],
            "threads": [_thread()],
            "members": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
        }

    # Interactions a test sends

    async def command(
        self,
        name: str,
        value: str | None = None,
        *,
        option: str = "value",
        user: int = ADMIN_ID,
        manage_channels: bool = True,
        channel: int = CHANNEL_ID,
        locale: str = "en-US",
        wait: bool = True,
    ) -> Answer:
        """Send a slash command as a member of the guild (or in the DM) and await the answer."""
        data: dict[str, Any] = {"id": str(next(self._ids)), "name": name, "type": 1}
        if value is not None:
            data["options"] = [{"name": option, "type": 3, "value": value}]
        return await self._interact(
            2,
            data,
            user=user,
            manage_channels=manage_channels,
            channel=channel,
            locale=locale,
            wait=wait,
        )

    async def press(
        self,
        post: Posted,
        custom_id: str,
        *,
        user: int = ADMIN_ID,
        manage_channels: bool = True,
        locale: str = "en-US",
    ) -> Answer:
        """Press a button of a posted message."""
        data = {"custom_id": custom_id, "component_type": 2}
        message = self._message(post.channel_id, post.payload, post.id)
        return await self._interact(
            3,
            data,
            user=user,
            manage_channels=manage_channels,
            channel=post.channel_id,
            locale=locale,
            message=message,
        )

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: int,
        manage_channels: bool,
        channel: int,
        locale: str,
        message: dict[str, Any] | None = None,
        wait: bool = True,
    ) -> Answer:
        interaction_id = next(self._ids)
        token = f"token-{interaction_id}"
        self._tokens[token] = interaction_id
        answer = self.answers[interaction_id] = Answer()
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "data": data,
            "locale": locale,
            "attachment_size_limit": 10_000_000,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "app_permissions": str(VIEW_CHANNEL | SEND_MESSAGES),
        }
        person = _user(user)
        if channel == DM_CHANNEL_ID:
            payload.update(
                user=person, channel={"id": str(channel), "type": 1}, channel_id=str(channel)
            )
            payload["context"] = 1
        else:
            permissions = VIEW_CHANNEL | SEND_MESSAGES | (MANAGE_CHANNELS if manage_channels else 0)
            raw_channel = _thread() if channel == THREAD_ID else _text_channel(channel, "news")
            payload.update(
                guild_id=str(GUILD_ID),
                guild_locale="de",
                channel=raw_channel,
                channel_id=str(channel),
                context=0,
                member={
                    "user": person,
                    "roles": [],
                    "permissions": str(permissions),
                    "joined_at": "2026-01-01T00:00:00+00:00",
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                },
            )
        if message is not None:
            payload["message"] = message
        await self.dispatch("INTERACTION_CREATE", payload)
        if wait:
            async with asyncio.timeout(10):
                await answer.done.wait()
        return answer

    # REST

    async def _me(self, request: web.Request) -> web.Response:
        self.requests.append("GET /users/@me")
        if request.headers.get("Authorization") != "Bot test-token":
            return _error(401, 0, "401: Unauthorized")
        return _json(_bot_user())

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(APPLICATION_ID),
                "name": "newsbot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": _user(ADMIN_ID),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _gateway_url(self, request: web.Request) -> web.Response:
        self.requests.append(f"GET {request.path}")
        return _json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _sync(self, request: web.Request) -> web.Response:
        commands = await request.json()
        self.syncs.append(commands)
        self._commands = [
            {
                **command,
                "id": str(next(self._ids)),
                "application_id": str(APPLICATION_ID),
                "version": "1",
            }
            for command in commands
        ]
        return _json(self._commands)

    async def _commands_list(self, request: web.Request) -> web.Response:
        return _json(self._commands)

    async def _post_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel"])
        payload = await request.json()
        queued = self.failures.get(channel_id)
        if queued:
            failure = queued.pop(0)
            return _error(failure.status, failure.code, failure.message)
        if channel_id in self.deleted_channels:
            return _error(404, 10003, "Unknown Channel")
        try:
            check_message(payload)
        except InvalidFormBodyError as exc:
            return _json({"code": 50035, "message": "Invalid Form Body", "errors": str(exc)}, 400)
        message_id = next(self._ids)
        self.posted.append(Posted(channel_id, payload, message_id))
        return _json(self._message(channel_id, payload, message_id))

    async def _edit_message(self, request: web.Request) -> web.Response:
        """Like Discord: only a message that was posted and not deleted; limits checked."""
        channel_id = int(request.match_info["channel"])
        message_id = int(request.match_info["message"])
        payload = await request.json()
        queued = self.failures.get(channel_id)
        if queued:
            failure = queued.pop(0)
            return _error(failure.status, failure.code, failure.message)
        found = [p for p in self.posted if p.channel_id == channel_id and p.id == message_id]
        if not found or message_id in self.deleted_messages:
            return _error(404, 10008, "Unknown Message")
        try:
            check_message(payload)
        except InvalidFormBodyError as exc:
            return _json({"code": 50035, "message": "Invalid Form Body", "errors": str(exc)}, 400)
        (posted,) = found
        posted.payload = {**posted.payload, **payload}
        posted.edits += 1
        return _json(self._message(channel_id, posted.payload, message_id))

    async def _open_dm(self, request: web.Request) -> web.Response:
        body = await request.json()
        return _json(
            {"id": str(DM_CHANNEL_ID), "type": 1, "recipients": [_user(int(body["recipient_id"]))]}
        )

    async def _callback(self, request: web.Request) -> web.Response:
        interaction_id = int(request.match_info["id"])
        body = await _body(request)
        if body.get("data"):
            try:
                check_message(body["data"])
            except InvalidFormBodyError as exc:
                return _json(
                    {"code": 50035, "message": "Invalid Form Body", "errors": str(exc)}, 400
                )
        answer = self.answers[interaction_id]
        answer.callbacks.append(body)
        if body["type"] != 5:  # a deferral is not an answer yet
            answer.done.set()
        flags = int((body.get("data") or {}).get("flags", 0))
        return _json(
            {
                "interaction": {
                    "id": str(interaction_id),
                    "type": 2,
                    "response_message_id": str(next(self._ids)),
                    "response_message_loading": body["type"] == 5,
                    "response_message_ephemeral": bool(flags & 64),
                }
            }
        )

    async def _followup(self, request: web.Request) -> web.Response:
        body = await _body(request)
        check_message(body)
        answer = self.answers[self._tokens[request.match_info["token"]]]
        answer.followups.append(body)
        answer.done.set()
        return _json(self._message(0, body, next(self._ids)))

    def _message(self, channel_id: int, payload: dict[str, Any], message_id: int) -> dict[str, Any]:
        return {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "guild_id": str(GUILD_ID),
            "type": 0,
            "content": payload.get("content") or "",
            "embeds": payload.get("embeds") or [],
            "components": payload.get("components") or [],
            "author": _bot_user(),
            "timestamp": "2026-11-25T12:00:00+00:00",
            "edited_timestamp": None,
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "flags": int(payload.get("flags", 0)),
        }


async def _body(request: web.Request) -> dict[str, Any]:
    """A JSON body, or the `payload_json` part of a multipart body."""
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    return dict(json.loads(str(form["payload_json"])))


def check_message(payload: dict[str, Any]) -> None:
    """Raise InvalidFormBodyError where a message breaks Discord's documented limits."""
    content = payload.get("content") or ""
    if len(content) > 2000:
        raise InvalidFormBodyError(f"content: {len(content)} > 2000")
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        raise InvalidFormBodyError("embeds: more than 10")
    for embed in embeds:
        _check_embed(embed)
    for row in payload.get("components") or []:
        for component in row.get("components", []):
            if len(component.get("custom_id", "")) > 100 or len(component.get("label", "")) > 80:
                raise InvalidFormBodyError("components: custom_id or label too long")


def _check_embed(embed: dict[str, Any]) -> None:
    total = 0
    for name, limit in _TEXT_LIMITS.items():
        value = embed.get(name) or ""
        if len(value) > limit:
            raise InvalidFormBodyError(f"embeds.{name}: {len(value)} > {limit}")
        total += len(value)
    footer = (embed.get("footer") or {}).get("text") or ""
    if len(footer) > 2048:
        raise InvalidFormBodyError(f"embeds.footer.text: {len(footer)} > 2048")
    total += len(footer)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        raise InvalidFormBodyError("embeds.fields: more than 25")
    for item in fields:
        if len(item["name"]) > 256 or len(item["value"]) > 1024:
            raise InvalidFormBodyError("embeds.fields: name > 256 or value > 1024")
        total += len(item["name"]) + len(item["value"])
    total += len((embed.get("author") or {}).get("name") or "")
    if total > _EMBED_TOTAL:
        raise InvalidFormBodyError(f"embeds: {total} characters > {_EMBED_TOTAL}")


def _bot_user() -> dict[str, Any]:
    return {**_user(BOT_ID), "username": "newsbot", "bot": True, "verified": True}


def _user(user_id: int) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": f"user{user_id % 1000}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
    }


def _role(role_id: int, name: str, permissions: int) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def _text_channel(channel_id: int, name: str) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(GUILD_ID),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
    }


def _thread() -> dict[str, Any]:
    return {
        "id": str(THREAD_ID),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(CHANNEL_ID),
        "owner_id": str(ADMIN_ID),
        "name": "Xiaomi rumours",
        "last_message_id": None,
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-01-01T00:00:00+00:00",
            "locked": False,
        },
    }


def channel_deleted(channel_id: int = CHANNEL_ID) -> dict[str, Any]:
    """The CHANNEL_DELETE payload of a guild text channel."""
    return _text_channel(channel_id, "news")

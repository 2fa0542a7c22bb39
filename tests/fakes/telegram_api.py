"""A fake Telegram Bot API server on loopback, speaking the real HTTP contract.

Unmodified python-telegram-bot talks to it through `base_url`. It keeps chats, members and an
update queue the test feeds; it records and validates what the bot sends like Telegram does
(HTML entities strictly: a bare `&` is refused too, so escaping bugs fail), and it can answer
with injected failures and enforce Telegram's flood limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "4242:AAF-fake-secret-token_0123456789abcdef"
MESSAGE_LIMIT = 4096
JSON_FIELDS = frozenset(
    {"reply_markup", "link_preview_options", "allowed_updates", "commands", "scope", "entities"}
)
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span"}
    | {"tg-spoiler", "tg-emoji", "blockquote"}
)
DEFAULT_UPDATES = ("message", "edited_message", "channel_post", "callback_query", "my_chat_member")
ChatType = Literal["private", "group", "supergroup", "channel"]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]

_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));")
_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)?\s*>")
_ATTRIBUTE = re.compile(r"\s*([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
_RESTRICTED_RIGHTS = (
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_manage_topics",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_edit_tag",
    "can_react_to_messages",
)


class EntityError(ValueError):
    """The text is not valid Telegram HTML; the message is Telegram's description."""


def _offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _entity_at(text: str, index: int) -> tuple[str, int]:
    found = _ENTITY.match(text, index)
    if found is None:
        # Telegram lets a lone `&` through; we refuse it so that an unescaped field fails tests.
        raise EntityError(
            f"Can't find end of the entity starting at byte offset {_offset(text, index)}"
        )
    name, decimal, hexadecimal = found.groups()
    char = _NAMED[name] if name else chr(int(decimal or hexadecimal, 10 if decimal else 16))
    return char, found.end()


def _decode_attribute(text: str, value: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(value):
        if value[index] == "&":
            char, index = _entity_at(value, index)
            out.append(char)
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def _start_tag(text: str, index: int, stack: list[str]) -> tuple[int, dict[str, str]]:
    found = _START_TAG.match(text, index)
    name = found.group(1).lower() if found else ""
    if found is None or name not in ALLOWED_TAGS:
        raise EntityError(f'Unsupported start tag "{name}" at byte offset {_offset(text, index)}')
    position = found.end()
    attributes: dict[str, str] = {}
    while True:
        if position >= len(text):
            raise EntityError(f"Unclosed start tag at byte offset {_offset(text, index)}")
        if text[position] == ">":
            break
        if text[position].isspace() and text[position:].lstrip().startswith(">"):
            position = len(text) - len(text[position:].lstrip())
            continue
        attribute = _ATTRIBUTE.match(text, position)
        if attribute is None or attribute.end() == position:
            raise EntityError(
                f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                f"at byte offset {_offset(text, position)}"
            )
        raw = next((v for v in attribute.groups()[1:] if v is not None), "")
        attributes[attribute.group(1).lower()] = _decode_attribute(text, raw)
        position = attribute.end()
    stack.append(name)
    return position + 1, attributes


def parse_html(text: str) -> tuple[str, list[dict[str, str]]]:
    """The visible text of a Telegram HTML message and its links; EntityError if malformed."""
    out: list[str] = []
    links: list[dict[str, str]] = []
    stack: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "&":
            decoded, index = _entity_at(text, index)
            out.append(decoded)
        elif char == "<" and text.startswith("</", index):
            found = _END_TAG.match(text, index)
            if found is None:
                raise EntityError(f"Can't find end tag at byte offset {_offset(text, index)}")
            name = (found.group(1) or "").lower()
            if not stack:
                raise EntityError(f"Unexpected end tag at byte offset {_offset(text, index)}")
            if name and name != stack[-1]:
                raise EntityError(
                    f"Unmatched end tag at byte offset {_offset(text, index)}, "
                    f'expected "</{stack[-1]}>", found "</{name}>"'
                )
            stack.pop()
            index = found.end()
        elif char == "<":
            index, attributes = _start_tag(text, index, stack)
            if stack[-1] == "a":
                links.append(attributes)
        else:
            out.append(char)
            index += 1
    if stack:
        raise EntityError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out), links


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram's limits count."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class User:
    """A Telegram user (or the bot itself)."""

    id: int
    first_name: str
    language_code: str | None = None
    username: str | None = None
    is_bot: bool = False

    def json(self) -> dict[str, Any]:
        """The Bot API `User` object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class Chat:
    """A chat the fake knows: private, group, supergroup (maybe a forum) or channel."""

    id: int
    type: ChatType
    title: str | None = None
    username: str | None = None
    is_forum: bool = False

    def json(self) -> dict[str, Any]:
        """The Bot API `Chat` object."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.username:
            data["username"] = self.username
        if self.type == "private":
            data["first_name"] = self.title or "user"
        if self.is_forum:
            data["is_forum"] = True
        return data


@dataclass
class Member:
    """One user's (or the bot's) membership in a chat."""

    status: MemberStatus
    can_post: bool = True  # channels: can_post_messages; restricted: can_send_messages
    is_anonymous: bool = False

    def json(self, user: User) -> dict[str, Any]:
        """The Bot API `ChatMember` object of this membership."""
        data: dict[str, Any] = {"status": self.status, "user": user.json()}
        if self.status == "creator":
            data["is_anonymous"] = self.is_anonymous
        elif self.status == "administrator":
            data |= dict.fromkeys(_ADMIN_RIGHTS, True)
            data |= {"can_be_edited": False, "is_anonymous": self.is_anonymous}
            data |= {"can_post_messages": self.can_post, "can_edit_messages": self.can_post}
        elif self.status == "restricted":
            data |= dict.fromkeys(_RESTRICTED_RIGHTS, False)
            data |= {"is_member": True, "until_date": 0, "can_send_messages": self.can_post}
        elif self.status == "kicked":
            data["until_date"] = 0
        return data


@dataclass(frozen=True)
class Failure:
    """An error answer: HTTP status, Telegram's description and response parameters."""

    status: int
    description: str
    parameters: Mapping[str, Any] | None = None

    def response(self) -> web.Response:
        """The HTTP response Telegram gives for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return web.json_response(body, status=self.status)


def retry_after(seconds: int) -> Failure:
    """429 flood control."""
    return Failure(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


def blocked() -> Failure:
    """403: the user blocked the bot."""
    return Failure(403, "Forbidden: bot was blocked by the user")


def chat_not_found() -> Failure:
    """400: no such chat."""
    return Failure(400, "Bad Request: chat not found")


def migrated(new_chat_id: int) -> Failure:
    """400: the group became a supergroup."""
    return Failure(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


def server_error(status: int = 502) -> Failure:
    """A 5xx from Telegram's front end."""
    return Failure(status, "Bad Gateway" if status == 502 else "Internal Server Error")


@dataclass
class _Injected:
    method: str
    chat_id: str | None
    failure: Failure
    times: int


@dataclass(frozen=True)
class FloodRules:
    """Telegram's flood limits as the fake enforces them (when `enabled`)."""

    per_second: float = 30.0
    burst: int = 30
    private_interval: float = 0.95  # 1/s with a little slack for loopback jitter
    group_messages: int = 20
    group_window: float = 60.0


@dataclass
class SentMessage:
    """One message the bot sent, as the fake recorded it."""

    message_id: int
    chat_id: int
    text: str  # what the bot sent (HTML source when parse_mode is HTML)
    visible: str  # what a user sees after entity parsing
    parse_mode: str | None
    links: list[dict[str, str]]
    reply_markup: dict[str, Any] | None
    link_preview: dict[str, Any] | None
    thread_id: int | None
    at: float
    edits: int = 0  # editMessageText calls that changed it
    deleted: bool = False

    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback data) of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


class _Flood:
    """The fake's flood control: a global token bucket and per-chat windows."""

    def __init__(self, rules: FloodRules) -> None:
        self.rules = rules
        self._tokens = float(rules.burst)
        self._refilled = time.monotonic()
        self._private_last: dict[int, float] = {}
        self._group_sent: dict[int, deque[float]] = {}

    def check(self, chat: Chat, now: float) -> float:
        """0 if a message may go now (and count it), else the seconds to wait."""
        rules = self.rules
        self._tokens = min(rules.burst, self._tokens + (now - self._refilled) * rules.per_second)
        self._refilled = now
        wait = 0.0
        if self._tokens < 1:
            wait = (1 - self._tokens) / rules.per_second
        if chat.type == "private":
            last = self._private_last.get(chat.id)
            if last is not None and now - last < rules.private_interval:
                wait = max(wait, rules.private_interval - (now - last))
        else:
            sent = self._group_sent.setdefault(chat.id, deque())
            while sent and now - sent[0] >= rules.group_window:
                sent.popleft()
            if len(sent) >= rules.group_messages:
                wait = max(wait, rules.group_window - (now - sent[0]))
        if wait > 0:
            return wait
        self._tokens -= 1
        if chat.type == "private":
            self._private_last[chat.id] = now
        else:
            self._group_sent[chat.id].append(now)
        return 0.0


class FakeTelegram:
    """The server: `async with FakeTelegram() as tg`, then `tg.api_url` for the bot."""

    def __init__(self, *, token: str = TOKEN, long_poll_cap: float = 0.5) -> None:
        self.token = token
        self.bot = User(
            int(token.split(":")[0]), "newsbot", username="newsbot_test_bot", is_bot=True
        )
        self.long_poll_cap = long_poll_cap
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.members: dict[tuple[int, int], Member] = {}
        self.migrations: dict[int, int] = {}
        self.sent: list[SentMessage] = []
        self.edited: list[int] = []  # message ids, one per successful editMessageText
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: dict[str, list[dict[str, str]]] = {}  # language ("" default) -> commands
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.webhook: dict[str, Any] | None = None
        self.allowed_updates: list[str] | None = None
        self.outage: Failure | None = None  # every sendMessage fails with this while set
        # Seconds a sendMessage is held after it was recorded, before the answer: widens the
        # window in which the bot has sent but not yet heard back (kill tests).
        self.answer_delay = 0.0
        self.flood: _Flood | None = None
        self.rejected: list[tuple[str, str]] = []  # (method, description) of error answers
        self._injected: list[_Injected] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._changed = asyncio.Condition()
        self._arrived = asyncio.Event()
        self._server: TestServer | None = None

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        self._server = TestServer(app)
        await self._server.start_server()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self._server is not None:
            await self._server.close()

    @property
    def api_url(self) -> str:
        """What NEWSBOT_TELEGRAM_API_URL is set to: the bot appends its token."""
        assert self._server is not None
        return str(self._server.make_url("/bot"))

    # Setting the scene.

    def add_chat(self, chat: Chat, *, bot: Member | None = None) -> Chat:
        """Register a chat; the bot is a member (admin in channels) unless told otherwise."""
        self.chats[chat.id] = chat
        default = Member("administrator") if chat.type == "channel" else Member("member")
        self.members[(chat.id, self.bot.id)] = bot or default
        return chat

    def add_user(
        self, user: User, *, chat: Chat | None = None, status: MemberStatus = "member"
    ) -> User:
        """Register a user, optionally as a member of `chat` with `status`."""
        self.users[user.id] = user
        if chat is not None:
            self.members[(chat.id, user.id)] = Member(status)
        return user

    def private_chat(self, user: User) -> Chat:
        """The private chat with `user` (its id is the user's id)."""
        self.users[user.id] = user
        return self.chats.get(user.id) or self.add_chat(Chat(user.id, "private", user.first_name))

    def set_member(self, chat: Chat, user: User, member: Member) -> None:
        """Change a membership (for the bot too: kicked, restricted, …)."""
        self.members[(chat.id, user.id)] = member

    def migrate(self, old: Chat, new_id: int) -> Chat:
        """Turn group `old` into a supergroup `new_id`; the old id now answers with migrate."""
        new = self.add_chat(Chat(new_id, "supergroup", old.title), bot=Member("member"))
        for (chat_id, user_id), member in list(self.members.items()):
            if chat_id == old.id:
                self.members[(new_id, user_id)] = member
        self.migrations[old.id] = new_id
        return new

    def fail(
        self,
        failure: Failure,
        *,
        method: str = "sendMessage",
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with `failure`."""
        chat = None if chat_id is None else str(chat_id)
        self._injected.append(_Injected(method, chat, failure, times))

    def enforce_flood_limits(self, rules: FloodRules | None = None) -> None:
        """Answer 429 with retry_after whenever the bot exceeds Telegram's limits."""
        self.flood = _Flood(rules or FloodRules())

    # Updates the bot receives.

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue one update of `kind` (message, channel_post, callback_query, …)."""
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, kind: payload})
        self._arrived.set()
        return update_id

    def take_updates(self) -> list[dict[str, Any]]:
        """Remove and return the queued updates (to deliver them by webhook instead)."""
        updates, self._updates = self._updates, []
        return updates

    def send_command(
        self,
        chat: Chat,
        user: User | None,
        text: str,
        *,
        thread_id: int | None = None,
        sender_chat: Chat | None = None,
    ) -> int:
        """A user (or, with `sender_chat`, an anonymous admin or channel) sends a command."""
        command = text.split()[0]
        message = self._message(chat, text, user=user, sender_chat=sender_chat)
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        if thread_id is not None:
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
        return self.push("channel_post" if chat.type == "channel" else "message", message)

    def press(self, user: User, sent: SentMessage, data: str) -> str:
        """`user` presses the inline button with `data` under message `sent`; returns its id."""
        chat = self.chats[sent.chat_id]
        message = self._message(chat, sent.visible, user=self.bot, message_id=sent.message_id)
        query_id = f"cb{next(self._update_ids)}"
        self.push(
            "callback_query",
            {
                "id": query_id,
                "from": user.json(),
                "chat_instance": f"ci{chat.id}",
                "message": message,
                "data": data,
            },
        )
        return query_id

    def bot_membership_changed(self, chat: Chat, by: User, old: Member, new: Member) -> int:
        """A `my_chat_member` update: the bot's status in `chat` changed (and the fake follows)."""
        self.members[(chat.id, self.bot.id)] = new
        return self.push(
            "my_chat_member",
            {
                "chat": chat.json(),
                "from": by.json(),
                "date": int(time.time()),
                "old_chat_member": old.json(self.bot),
                "new_chat_member": new.json(self.bot),
            },
        )

    def announce_migration(self, old: Chat, new_id: int, by: User) -> int:
        """The service message in the old group saying it migrated to `new_id`."""
        self.migrate(old, new_id)
        message = self._message(old, "", user=by)
        del message["text"]
        message["migrate_to_chat_id"] = new_id
        return self.push("message", message)

    def _message(
        self,
        chat: Chat,
        text: str,
        *,
        user: User | None,
        sender_chat: Chat | None = None,
        message_id: int | None = None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat.json(),
            "text": text,
        }
        if user is not None and chat.type != "channel":
            message["from"] = user.json()
        if sender_chat is not None or chat.type == "channel":
            message["sender_chat"] = (sender_chat or chat).json()
        return message

    # Waiting for the bot.

    async def wait_sent(
        self, count: int = 1, *, chat_id: int | None = None, limit: float = 10.0
    ) -> list[SentMessage]:
        """Wait until `count` messages (to `chat_id`) were sent; return those."""
        async with asyncio.timeout(limit), self._changed:
            await self._changed.wait_for(lambda: len(self.sent_to(chat_id)) >= count)
        return self.sent_to(chat_id)

    async def wait_for(self, condition: Callable[[], bool], *, limit: float = 10.0) -> None:
        """Wait until `condition()` holds (checked whenever the bot calls the API)."""
        async with asyncio.timeout(limit), self._changed:
            await self._changed.wait_for(condition)

    def sent_to(self, chat_id: int | None) -> list[SentMessage]:
        """Messages to one chat, or all of them."""
        return [m for m in self.sent if chat_id is None or m.chat_id == chat_id]

    def called(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of `method`."""
        return [params for name, params in self.calls if name == method]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # The HTTP side.

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return Failure(401, "Unauthorized").response()
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append((method, params))
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return Failure(404, "Not Found: method not found").response()
        failure = self._take_injected(method, params)
        if failure is None:
            try:
                result = await handler(params)
            except _ApiError as exc:
                failure = exc.failure
        await self._notify()
        if failure is not None:
            self.rejected.append((method, failure.description))
            return failure.response()
        return web.json_response({"ok": True, "result": result})

    def _take_injected(self, method: str, params: Mapping[str, Any]) -> Failure | None:
        for injected in self._injected:
            chat_ok = injected.chat_id is None or injected.chat_id == str(params.get("chat_id"))
            if injected.method == method and chat_ok and injected.times > 0:
                injected.times -= 1
                return injected.failure
        if method == "sendMessage" and self.outage is not None:
            return self.outage
        return None

    def _chat(self, chat_id: object) -> Chat:
        text = str(chat_id)
        if text.startswith("@"):
            for chat in self.chats.values():
                if chat.username and chat.username.lower() == text[1:].lower():
                    return chat
            raise _ApiError(chat_not_found())
        try:
            number = int(text)
        except ValueError:
            raise _ApiError(Failure(400, "Bad Request: invalid chat_id")) from None
        if number in self.migrations:
            raise _ApiError(migrated(self.migrations[number]))
        if number not in self.chats:
            raise _ApiError(chat_not_found())
        return self.chats[number]

    def _member(self, chat: Chat, user_id: int) -> Member:
        return self.members.get((chat.id, user_id), Member("left"))

    async def _api_getme(self, params: Mapping[str, Any]) -> Any:
        return self.bot.json() | {"can_join_groups": True, "can_read_all_group_messages": False}

    async def _api_deletewebhook(self, params: Mapping[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _api_setwebhook(self, params: Mapping[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    async def _api_getupdates(self, params: Mapping[str, Any]) -> Any:
        offset = int(params.get("offset", 0) or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if "allowed_updates" in params:
            self.allowed_updates = list(params["allowed_updates"])
        wanted = set(self.allowed_updates or DEFAULT_UPDATES)
        timeout = min(float(params.get("timeout", 0) or 0), self.long_poll_cap)

        def ready() -> list[dict[str, Any]]:
            return [u for u in self._updates if wanted & set(u) - {"update_id"}]

        self._arrived.clear()
        if not ready() and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        limit = int(params.get("limit", 100) or 100)
        return ready()[:limit]

    async def _api_sendmessage(self, params: Mapping[str, Any]) -> Any:
        chat = self._chat(params["chat_id"])
        self._check_can_post(chat)
        self._check_flood(chat)
        text = str(params.get("text", ""))
        parse_mode = params.get("parse_mode")
        visible: str = text
        links: list[dict[str, str]] = []
        if parse_mode == "HTML":
            try:
                visible, links = parse_html(text)
            except EntityError as exc:
                raise _ApiError(Failure(400, f"Bad Request: can't parse entities: {exc}")) from exc
        elif parse_mode is not None:
            raise _ApiError(Failure(400, f"Bad Request: unsupported parse_mode {parse_mode}"))
        if not visible.strip():
            raise _ApiError(Failure(400, "Bad Request: message text is empty"))
        if utf16_len(visible.strip()) > MESSAGE_LIMIT:
            raise _ApiError(Failure(400, "Bad Request: message is too long"))
        thread = params.get("message_thread_id")
        sent = SentMessage(
            message_id=next(self._message_ids),
            chat_id=chat.id,
            text=text,
            visible=visible,
            parse_mode=parse_mode,
            links=links,
            reply_markup=params.get("reply_markup"),
            link_preview=params.get("link_preview_options"),
            thread_id=int(thread) if thread is not None else None,
            at=time.monotonic(),
        )
        self.sent.append(sent)
        if self.answer_delay:
            await self._notify()
            await asyncio.sleep(self.answer_delay)
        result = self._message(chat, visible, user=self.bot, message_id=sent.message_id)
        if sent.thread_id is not None:
            result |= {"message_thread_id": sent.thread_id, "is_topic_message": True}
        if sent.reply_markup:
            result["reply_markup"] = sent.reply_markup
        return result

    async def _api_editmessagetext(self, params: Mapping[str, Any]) -> Any:
        """Like Telegram: only a message the bot sent to that chat, rate-limited like sends;
        the same text and markup again is refused as `message is not modified`."""
        chat = self._chat(params["chat_id"])
        self._check_can_post(chat)
        self._check_flood(chat)
        message_id = int(params.get("message_id", 0) or 0)
        found = [
            m
            for m in self.sent
            if m.chat_id == chat.id and m.message_id == message_id and not m.deleted
        ]
        if not found:
            raise _ApiError(Failure(400, "Bad Request: message to edit not found"))
        (message,) = found
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        if text == message.text and markup == message.reply_markup:
            raise _ApiError(
                Failure(
                    400,
                    "Bad Request: message is not modified: specified new message content and "
                    "reply markup are exactly the same as a current content and reply markup "
                    "of the message",
                )
            )
        visible, links = text, list[dict[str, str]]()
        if params.get("parse_mode") == "HTML":
            try:
                visible, links = parse_html(text)
            except EntityError as exc:
                raise _ApiError(Failure(400, f"Bad Request: can't parse entities: {exc}")) from exc
        if utf16_len(visible.strip()) > MESSAGE_LIMIT:
            raise _ApiError(Failure(400, "Bad Request: MESSAGE_TOO_LONG"))
        message.text, message.visible, message.links = text, visible, links
        message.reply_markup = markup
        message.edits += 1
        self.edited.append(message_id)
        result = self._message(chat, visible, user=self.bot, message_id=message_id)
        if markup:
            result["reply_markup"] = markup
        return result

    def delete(self, message: SentMessage) -> None:
        """A user (or admin) deletes a message: editing it is refused from now on."""
        message.deleted = True

    def _check_flood(self, chat: Chat) -> None:
        if self.flood is not None:
            wait = self.flood.check(chat, time.monotonic())
            if wait > 0:
                raise _ApiError(retry_after(max(1, math.ceil(wait))))

    def _check_can_post(self, chat: Chat) -> None:
        member = self._member(chat, self.bot.id)
        if chat.type == "private" and member.status == "kicked":
            raise _ApiError(blocked())
        if member.status in ("left", "kicked"):
            where = "channel" if chat.type == "channel" else "group"
            raise _ApiError(Failure(403, f"Forbidden: bot was kicked from the {where} chat"))
        if chat.type == "channel" and not (member.status == "administrator" and member.can_post):
            raise _ApiError(
                Failure(400, "Bad Request: need administrator rights in the channel chat")
            )
        if member.status == "restricted" and not member.can_post:
            raise _ApiError(
                Failure(400, "Bad Request: not enough rights to send text messages to the chat")
            )

    async def _api_answercallbackquery(self, params: Mapping[str, Any]) -> Any:
        self.callback_answers.append(dict(params))
        return True

    async def _api_getchat(self, params: Mapping[str, Any]) -> Any:
        chat = self._chat(params["chat_id"])
        gifts = dict.fromkeys(
            ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription"), False
        )
        return chat.json() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts | {"gifts_from_channels": False},
        }

    async def _api_getchatmember(self, params: Mapping[str, Any]) -> Any:
        chat = self._chat(params["chat_id"])
        user_id = int(params["user_id"])
        user = self.users.get(user_id) or User(user_id, "someone")
        return self._member(chat, user_id).json(user)

    async def _api_getchatadministrators(self, params: Mapping[str, Any]) -> Any:
        chat = self._chat(params["chat_id"])
        return [
            member.json(self.users[user_id])
            for (chat_id, user_id), member in self.members.items()
            if chat_id == chat.id and member.status in ("creator", "administrator")
        ]

    async def _api_setmycommands(self, params: Mapping[str, Any]) -> Any:
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise _ApiError(Failure(400, "Bad Request: BOT_COMMAND_INVALID"))
            if not 1 <= len(command["description"]) <= 256:
                raise _ApiError(Failure(400, "Bad Request: command description is invalid"))
        self.commands[str(params.get("language_code", ""))] = list(commands)
        return True

    async def _api_setmydescription(self, params: Mapping[str, Any]) -> Any:
        description = str(params.get("description", ""))
        if len(description) > 512:
            raise _ApiError(Failure(400, "Bad Request: description is too long"))
        self.descriptions[str(params.get("language_code", ""))] = description
        return True

    async def _api_setmyshortdescription(self, params: Mapping[str, Any]) -> Any:
        description = str(params.get("short_description", ""))
        if len(description) > 120:
            raise _ApiError(Failure(400, "Bad Request: short description is too long"))
        self.short_descriptions[str(params.get("language_code", ""))] = description
        return True


class _ApiError(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.description)
        self.failure = failure


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters: JSON body, query string or form fields (values JSON-encoded)."""
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST":
        raw |= dict((await request.post()).items())
    params: dict[str, Any] = {}
    for key, value in raw.items():
        params[key] = json.loads(value) if key in JSON_FIELDS and isinstance(value, str) else value
    return params

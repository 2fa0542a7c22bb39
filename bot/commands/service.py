"""The command service: one small handler per contract command, request in, localised reply out."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from bot.commands.errors import (
    CommandError,
    Localised,
    NotFoundError,
    PermissionDeniedError,
    RefusedError,
    SourceUrlError,
    UsageError,
)
from bot.commands.preferences import PreferenceCommands, PreferenceStore, scope_subscriptions
from bot.commands.request import CommandRequest, Reply, canonical_command
from bot.commands.throttle import CommandThrottle, Verdict
from bot.commands.validate import (
    UnsubscribeTarget,
    check_query_length,
    check_source_url,
    normalise_query,
    parse_id,
    parse_language,
    parse_switch,
    parse_unsubscribe_target,
    query_reason,
)
from bot.commands.views import (
    ChatCounts,
    item_moment,
    preview_text,
    source_list,
    status_text,
    subscription_list,
)
from bot.i18n import language_for_locale, translate
from bot.matching import MatchInput, Query, QueryIndex, QuerySyntaxError, parse_query
from bot.settings import Settings
from bot.sources.errors import BlockedAddressError, SourceError
from bot.store.errors import DuplicateSourceError, DuplicateSubscriptionError
from bot.store.records import ItemRecord, SourceRecord, SourceSpec, SubscriptionRecord

logger = logging.getLogger(__name__)

PREVIEW_SHOWN = 5
PREVIEW_SCAN_LIMIT = 2000  # newest items /preview looks at; enough for days of a few dozen feeds


class CommandStore(PreferenceStore, Protocol):
    """The part of `bot.store.Store` the commands use (the real store satisfies it)."""

    async def add_subscription(
        self,
        *,
        platform: str,
        chat_id: str,
        thread_id: str | None,
        query: str,
        language: str | None,
        created_by: str | None,
        operator: bool = False,
        now: datetime,
    ) -> SubscriptionRecord: ...

    # list_subscriptions comes with PreferenceStore.

    async def count_subscriptions(self, platform: str, chat_id: str) -> int: ...

    async def deactivate_subscription(
        self, subscription_id: int, *, reason: str, now: datetime
    ) -> object: ...

    async def set_paused(self, ids: Sequence[int], paused: bool) -> object: ...

    async def get_chat_language(self, platform: str, chat_id: str) -> str | None: ...

    async def get_chat_grouping(self, platform: str, chat_id: str) -> bool: ...

    async def set_chat_grouping(
        self, platform: str, chat_id: str, grouping: bool, *, now: datetime
    ) -> None: ...

    async def set_chat_language(
        self, platform: str, chat_id: str, language: str, *, now: datetime
    ) -> object: ...

    async def add_source(
        self, spec: SourceSpec, *, added_by: str, now: datetime
    ) -> SourceRecord: ...

    async def remove_source(self, source_id: int) -> SourceRecord | None: ...

    async def resume_source(self, source_id: int, *, now: datetime) -> None: ...

    async def get_source(self, source_id: int) -> SourceRecord | None: ...

    async def list_sources(self, *, active_only: bool = True) -> list[SourceRecord]: ...

    async def recent_items(self, *, since: datetime, limit: int) -> list[ItemRecord]: ...

    async def outbox_depth(self) -> int: ...


@dataclass(frozen=True, slots=True)
class _Call:
    """One request with the language its reply is written in."""

    request: CommandRequest
    language: str

    def reply(self, key: str, /, *, ephemeral: bool = False, **params: object) -> Reply:
        """A reply with the catalogue text `key` in this call's language."""
        return Reply(self.translate(key, params), self.language, ephemeral)

    def translate(self, key: str, params: Mapping[str, object]) -> str:
        """The text of `key` in this call's language; `Localised` parameters are translated too."""
        values = {
            name: self.translate(value.key, value.params) if isinstance(value, Localised) else value
            for name, value in params.items()
        }
        return translate(self.language, key, **values)

    def text(self, text: str, *, ephemeral: bool = False) -> Reply:
        """A reply with text composed elsewhere (lists) in this call's language."""
        return Reply(text, self.language, ephemeral)


Handler = Callable[[_Call], Awaitable[Reply]]
Notify = Callable[[], Awaitable[None]]
# Fetches a URL as an untrusted source would be fetched (guarded connector, every hop).
Probe = Callable[[str], Awaitable[object]]


@dataclass(frozen=True, slots=True)
class Admission:
    """Whether a command may be handled; a refused one may carry the one "slow down" reply."""

    allowed: bool
    reply: Reply | None = None


class CommandService:
    """Answers every contract command; platform adapters only build requests and send replies."""

    def __init__(
        self,
        store: CommandStore,
        *,
        settings: Settings,
        clock: Callable[[], datetime],
        on_subscriptions_changed: Notify | None = None,
        on_sources_changed: Notify | None = None,
        source_probe: Probe | None = None,
        preview_days: int = 3,
        throttle: CommandThrottle | None = None,
    ) -> None:
        self._store = store
        self._throttle = throttle or CommandThrottle()
        self._settings = settings
        self._clock = clock
        self._on_subscriptions_changed = on_subscriptions_changed
        self._on_sources_changed = on_sources_changed
        self._source_probe = source_probe
        self._preview_days = preview_days
        self._preferences = preferences = PreferenceCommands(
            store, default_timezone=settings.timezone, clock=clock
        )
        self._handlers: dict[str, Handler] = {
            "start": self.start,
            "help": self.help,
            "subscribe": self.subscribe,
            "unsubscribe": self.unsubscribe,
            "list": self.list_subscriptions,
            "language": self.language,
            "group": self.group,
            "pause": self.pause,
            "resume": self.resume,
            "preview": self.preview,
            "sources": self.sources,
            "addsource": self.add_source,
            "removesource": self.remove_source,
            "status": self.status,
            "timezone": lambda call: preferences.timezone(call.request, call.language),
            "digest": lambda call: preferences.digest(call.request, call.language),
            "quiet": lambda call: preferences.quiet(call.request, call.language),
            "limit": lambda call: preferences.limit(call.request, call.language),
        }

    async def handle(self, request: CommandRequest) -> Reply:
        """Answer one command; user errors and unexpected failures become localised replies."""
        call = _Call(
            request, await self._reply_language(request.platform, request.chat_id, request.locale)
        )
        name = canonical_command(request.command)
        handler = self._handlers.get(name) if name else None
        if handler is None:
            return call.reply("cmd.error.unknown_command", command=request.command, ephemeral=True)
        try:
            return await handler(call)
        except CommandError as exc:
            logger.debug("command refused: %s", exc.key, extra=_log_fields(request, exc.key))
            return call.reply(exc.key, ephemeral=True, **exc.params)
        except Exception:
            # The one place that catches everything: a failing command must never stop the bot.
            logger.exception("command failed", extra=_log_fields(request, "cmd.error.unexpected"))
            return call.reply("cmd.error.unexpected", ephemeral=True)

    async def admit(
        self, *, platform: str, chat_id: str, user_id: str | None, locale: str | None
    ) -> Admission:
        """Judge a command against the per-user and per-chat limits before any work is done.

        Platforms call this first, so that a refused command costs neither a store query
        (beyond the one warning's language) nor a call to the platform.
        """
        decision = self._throttle.check(platform=platform, chat_id=chat_id, user_id=user_id)
        if decision.allowed:
            return Admission(True)
        logger.info(
            "command refused: %s", decision.verdict.value, extra={"chat": f"{platform}:{chat_id}"}
        )
        if decision.verdict is not Verdict.WARN:
            return Admission(False)
        language = await self._reply_language(platform, chat_id, locale)
        seconds = max(1, math.ceil(decision.retry_after))
        text = translate(language, "cmd.throttled", seconds=seconds)
        return Admission(False, Reply(text, language, ephemeral=True))

    async def chat_language(self, platform: str, chat_id: str, locale: str | None) -> str:
        """The chat's stored language, else the user's locale (`de*`), else the default."""
        stored = await self._store.get_chat_language(platform, chat_id)
        return stored or language_for_locale(locale, self._settings.language)

    async def _reply_language(self, platform: str, chat_id: str, locale: str | None) -> str:
        try:
            return await self.chat_language(platform, chat_id, locale)
        except Exception:
            # The store is down: still answer, in the best language known without it.
            logger.exception("chat language lookup failed", extra={"chat": f"{platform}:{chat_id}"})
            return language_for_locale(locale, self._settings.language)

    # Handlers, one per command.

    async def start(self, call: _Call) -> Reply:
        """/start: a greeting and the help text."""
        greeting = translate(call.language, "cmd.start.greeting")
        return call.text(f"{greeting}\n\n{translate(call.language, 'cmd.help')}")

    async def help(self, call: _Call) -> Reply:
        """/help: what newsbot does, the commands and query examples."""
        return call.reply("cmd.help", ephemeral=True)

    async def subscribe(self, call: _Call) -> Reply:
        """/subscribe <query>: validate, refuse duplicates and over-quota, store, notify."""
        self._require_chat_admin(call.request)
        query, parsed = self._checked_query(call.request.args, usage="cmd.subscribe.usage")
        request = call.request
        await self._refuse_equal_query(request, parsed)
        count = await self._store.count_subscriptions(request.platform, request.chat_id)
        if count >= self._settings.max_subscriptions_per_chat:
            raise RefusedError(
                "cmd.subscribe.quota", limit=self._settings.max_subscriptions_per_chat
            )
        await self._pin_chat_language(call)
        try:
            sub = await self._store.add_subscription(
                platform=request.platform,
                chat_id=request.chat_id,
                thread_id=request.thread_id,
                query=query,
                language=None,  # follows the chat's language, so /language also switches alerts
                created_by=request.user_id,
                now=self._clock(),
            )
        except DuplicateSubscriptionError as exc:
            raise _duplicate(exc.existing) from exc
        await self._notify(self._on_subscriptions_changed)
        return call.reply("cmd.subscribe.done", id=sub.id, query=sub.query)

    async def _refuse_equal_query(self, request: CommandRequest, parsed: Query) -> None:
        """Refuse a query equal to one the chat (thread) has, however it is spelled."""
        # The store compares query texts; `Xiaomi` and `xiaomi` are the same query all the same.
        existing = await self._store.list_subscriptions(
            platform=request.platform, chat_id=request.chat_id, thread_id=request.thread_id
        )
        for sub in existing:
            if _parses_to(sub.query) == parsed:
                raise _duplicate(sub)

    async def unsubscribe(self, call: _Call) -> Reply:
        """/unsubscribe <id|query|all>: end the chat's own subscriptions, not operator ones."""
        self._require_chat_admin(call.request)
        target = parse_unsubscribe_target(call.request.args)
        subs = await self._scope_subscriptions(call.request)
        if target.kind == "all":
            return await self._unsubscribe_all(call, subs)
        sub = _find_subscription(subs, target)
        if sub.operator:
            raise RefusedError("cmd.unsubscribe.operator", id=sub.id)
        await self._store.deactivate_subscription(
            sub.id, reason=_who(call.request, "unsubscribed"), now=self._clock()
        )
        await self._notify(self._on_subscriptions_changed)
        return call.reply("cmd.unsubscribe.done", id=sub.id, query=sub.query)

    async def _unsubscribe_all(self, call: _Call, subs: Sequence[SubscriptionRecord]) -> Reply:
        """/unsubscribe all: every subscription the chat made; operator ones stay, and we say so."""
        own = [sub for sub in subs if not sub.operator]
        now = self._clock()
        for sub in own:
            reason = _who(call.request, "unsubscribed all")
            await self._store.deactivate_subscription(sub.id, reason=reason, now=now)
        if own:
            await self._notify(self._on_subscriptions_changed)
        lines = [
            translate(call.language, "cmd.unsubscribe.all_done", count=len(own))
            if own
            else translate(call.language, "cmd.unsubscribe.all_none")
        ]
        if kept := len(subs) - len(own):
            lines.append(translate(call.language, "cmd.unsubscribe.operator_kept", count=kept))
        return call.text("\n".join(lines))

    async def list_subscriptions(self, call: _Call) -> Reply:
        """/list: the chat's (or thread's) subscriptions with ids, language and markers."""
        subs = await self._scope_subscriptions(call.request)
        text = subscription_list(
            call.language,
            subs,
            chat_language=call.language,
            limit=self._settings.max_subscriptions_per_chat,
            show_thread=call.request.thread_id is None,
        )
        return call.text(text, ephemeral=True)

    async def language(self, call: _Call) -> Reply:
        """/language de|en: store the chat's language and answer in it."""
        try:
            language = parse_language(call.request.args)
        except UsageError:
            return call.reply("cmd.language.usage", current=call.language, ephemeral=True)
        self._require_chat_admin(call.request)
        request = call.request
        await self._store.set_chat_language(
            request.platform, request.chat_id, language, now=self._clock()
        )
        # Pending alerts render in the new language too: delivery resolves it per alert.
        return _Call(request, language).reply("cmd.language.done")

    async def group(self, call: _Call) -> Reply:
        """/group on|off: later reports of a story edit the chat's message (on, the default)
        or come one by one (off); /group alone tells which."""
        request = call.request
        try:
            grouping = parse_switch(request.args)
        except UsageError:
            grouping = None
            if request.args.strip():
                return call.reply("cmd.group.usage", ephemeral=True)
        if grouping is None:
            current = await self._store.get_chat_grouping(request.platform, request.chat_id)
            return call.reply("cmd.group.current_on" if current else "cmd.group.current_off")
        self._require_chat_admin(request)
        await self._store.set_chat_grouping(
            request.platform, request.chat_id, grouping, now=self._clock()
        )
        return call.reply("cmd.group.on" if grouping else "cmd.group.off")

    async def pause(self, call: _Call) -> Reply:
        """/pause [id]: pause one or every subscription of the chat."""
        return await self._set_paused(call, paused=True)

    async def resume(self, call: _Call) -> Reply:
        """/resume [id]: resume one or every subscription; only new articles follow."""
        return await self._set_paused(call, paused=False)

    async def _set_paused(self, call: _Call, *, paused: bool) -> Reply:
        """Shared body of /pause and /resume."""
        self._require_chat_admin(call.request)
        verb = "pause" if paused else "resume"
        subs = await self._scope_subscriptions(call.request)
        if call.request.args.strip():
            wanted = parse_id(call.request.args)
            if wanted is None:
                raise UsageError(f"cmd.{verb}.usage")
            subs = [_find_subscription(subs, UnsubscribeTarget("id", id=wanted))]
        ids = [sub.id for sub in subs if sub.paused != paused]
        if not ids:
            return call.reply(f"cmd.{verb}.none")
        # The store drops what was queued for a paused subscription, so resuming never floods.
        await self._store.set_paused(ids, paused)
        await self._notify(self._on_subscriptions_changed)
        return call.reply(f"cmd.{verb}.done", count=len(ids))

    async def preview(self, call: _Call) -> Reply:
        """/preview <query>: the newest recent items the query would match; nothing is stored."""
        _, parsed = self._checked_query(call.request.args, usage="cmd.preview.usage")
        since = self._clock() - timedelta(days=self._preview_days)
        items = await self._store.recent_items(since=since, limit=PREVIEW_SCAN_LIMIT)
        # Matching a few thousand items is CPU work: keep it off the event loop.
        found = await asyncio.to_thread(_matching_items, parsed, items)
        newest = sorted(found, key=item_moment, reverse=True)[:PREVIEW_SHOWN]
        text = preview_text(
            call.language,
            newest,
            total=len(found),
            days=self._preview_days,
            zone=await self._preferences.chat_zone(call.request),
        )
        return call.text(text, ephemeral=True)

    async def sources(self, call: _Call) -> Reply:
        """/sources: the active feeds with interval, origin and health."""
        sources = await self._store.list_sources(active_only=True)
        text = source_list(call.language, sources, default_interval=self._settings.poll_interval)
        return call.text(text, ephemeral=True)

    async def add_source(self, call: _Call) -> Reply:
        """/addsource <url>: bot admins add an untrusted (chat) source after a URL check."""
        user = self._require_bot_admin(call.request)
        if not call.request.args.strip():
            raise UsageError("cmd.addsource.usage")
        url = check_source_url(call.request.args)
        await self._refuse_non_public(url, call.request)
        spec = SourceSpec(name=_source_name(url), url=url)
        try:
            source = await self._store.add_source(spec, added_by=user, now=self._clock())
        except DuplicateSourceError as exc:
            existing = exc.existing
            if not existing.paused:
                raise RefusedError(
                    "cmd.addsource.duplicate", id=existing.id, url=existing.url
                ) from exc
            # Adding a source that was paused after its failures is how it is tried again.
            await self._store.resume_source(existing.id, now=self._clock())
            await self._notify(self._on_sources_changed)
            return call.reply("cmd.addsource.resumed", id=existing.id, name=existing.name)
        await self._notify(self._on_sources_changed)
        return call.reply("cmd.addsource.done", id=source.id, name=source.name, url=source.url)

    async def _refuse_non_public(self, url: str, request: CommandRequest) -> None:
        """Fetch `url` once as the poller will; refuse it when a hop reaches a private address.

        The text check cannot see where a name resolves or a redirect leads; this shows the
        admin at once what the poller would otherwise only log.
        """
        if self._source_probe is None:
            return
        try:
            await self._source_probe(url)
        except BlockedAddressError as exc:
            logger.warning("source refused: %s", exc, extra=_log_fields(request, "blocked"))
            raise SourceUrlError(
                "cmd.addsource.blocked", host=exc.host, address=exc.address
            ) from exc
        except SourceError as exc:
            # Down or unreadable right now is no reason to refuse: the poller retries it.
            logger.info("new source not readable yet: %s", exc, extra=_log_fields(request, ""))

    async def remove_source(self, call: _Call) -> Reply:
        """/removesource <id>: bot admins remove a chat-added source; config sources stay."""
        self._require_bot_admin(call.request)
        source_id = parse_id(call.request.args)
        if source_id is None:
            raise UsageError("cmd.removesource.usage")
        source = await self._store.get_source(source_id)
        if source is None or not source.active:
            raise NotFoundError("cmd.removesource.not_found", id=source_id)
        if source.origin == "config":
            raise RefusedError("cmd.removesource.config", id=source.id, name=source.name)
        if await self._store.remove_source(source_id) is None:
            raise NotFoundError("cmd.removesource.not_found", id=source_id)
        await self._notify(self._on_sources_changed)
        return call.reply("cmd.removesource.done", id=source.id, name=source.name)

    async def status(self, call: _Call) -> Reply:
        """/status: feeds (worst failing ones named), last poll, queue depth, this chat."""
        sources = await self._store.list_sources(active_only=True)
        depth = await self._store.outbox_depth()
        subs = await self._scope_subscriptions(call.request)
        counts = ChatCounts(active=len(subs), paused=sum(sub.paused for sub in subs))
        zone = await self._preferences.chat_zone(call.request)
        text = status_text(call.language, sources, queue_depth=depth, chat=counts, zone=zone)
        return call.text(text, ephemeral=True)

    # Helpers shared by the handlers.

    def _require_chat_admin(self, request: CommandRequest) -> None:
        """In groups and channels only the chat's administrators change its subscriptions."""
        request.require_chat_admin()

    def _require_bot_admin(self, request: CommandRequest) -> str:
        """Only NEWSBOT_ADMINS manage sources; returns the admin's user id."""
        user = request.user_id
        if user is None or not self._settings.is_admin(request.platform, user):
            raise PermissionDeniedError("cmd.error.not_bot_admin")
        return user

    def _checked_query(self, args: str, *, usage: str) -> tuple[str, Query]:
        """The normalised query of `args` and its parse, checked for length and syntax."""
        query = normalise_query(args)
        if not query:
            raise UsageError(usage)
        check_query_length(query, self._settings.max_query_length)
        try:
            return query, parse_query(query)
        except QuerySyntaxError as exc:
            raise _query_error(exc) from exc

    async def _scope_subscriptions(self, request: CommandRequest) -> list[SubscriptionRecord]:
        """The chat's subscriptions; inside a thread, only that thread's."""
        return await scope_subscriptions(self._store, request)

    async def _pin_chat_language(self, call: _Call) -> None:
        """Store the language the chat reads now, so its alerts use it (the locale may vary)."""
        request = call.request
        if await self._store.get_chat_language(request.platform, request.chat_id) is None:
            await self._store.set_chat_language(
                request.platform, request.chat_id, call.language, now=self._clock()
            )

    async def _notify(self, callback: Notify | None) -> None:
        """Tell the app that subscriptions or sources changed (the matcher rebuilds its index)."""
        if callback is not None:
            await callback()


def _find_subscription(
    subs: Sequence[SubscriptionRecord], target: UnsubscribeTarget
) -> SubscriptionRecord:
    """The subscription an id or exact query names, among the chat's own."""
    if target.kind == "id":
        for sub in subs:
            if sub.id == target.id:
                return sub
        raise NotFoundError("cmd.subscription.not_found", id=target.id)
    exact = [sub for sub in subs if normalise_query(sub.query) == target.query]
    loose = [sub for sub in subs if sub.query.casefold() == target.query.casefold()]
    if exact or loose:
        return (exact or loose)[0]
    raise NotFoundError("cmd.unsubscribe.no_query", query=target.query)


def _duplicate(existing: SubscriptionRecord) -> RefusedError:
    """The refusal naming the subscription a new one would duplicate."""
    return RefusedError("cmd.subscribe.duplicate", id=existing.id, query=existing.query)


def _parses_to(query: str) -> Query | None:
    """A stored query's parse; None if it no longer parses (the syntax may have grown stricter)."""
    try:
        return parse_query(query)
    except QuerySyntaxError:
        return None


def _matching_items(query: Query, items: Sequence[ItemRecord]) -> list[ItemRecord]:
    """The items one query matches, through a throwaway index."""
    index: QueryIndex[int] = QueryIndex()
    index.add(0, query)
    return [
        item
        for item in items
        if index.match(MatchInput(item.title, item.body, item.link, item.language))
    ]


def _query_error(exc: QuerySyntaxError) -> UsageError:
    """A parser error as a usage error naming the position and the localised reason key."""
    key, params = query_reason(exc)
    return UsageError("cmd.query.invalid", position=exc.position, reason=Localised(key, params))


def _source_name(url: str) -> str:
    """A chat-added source is named after its host until the feed tells us better."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _who(request: CommandRequest, action: str) -> str:
    """The deactivation reason stored with a subscription: who did it, from where."""
    return f"{action} by {request.platform}:{request.user_id or 'anonymous'}"


def _log_fields(request: CommandRequest, outcome: str) -> dict[str, object]:
    """Key-value fields for log lines about one command."""
    return {
        "platform": request.platform,
        "chat": request.chat_id,
        "user": request.user_id,
        "command": request.command,
        "outcome": outcome,
    }

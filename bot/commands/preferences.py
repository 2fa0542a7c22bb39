"""/timezone, /digest, /quiet and /limit: a chat's delivery preferences (issue 12)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import EllipsisType
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.commands.errors import NotFoundError, UsageError
from bot.commands.request import CommandRequest, Reply
from bot.commands.validate import parse_id
from bot.commands.views import MAX_QUERY_SHOWN, shorten
from bot.delivery.schedule import (
    DigestSchedule,
    QuietHours,
    ScheduleSyntaxError,
    parse_digest,
    parse_limit,
    parse_quiet,
)
from bot.i18n import (
    UnknownZoneError,
    format_clock,
    parse_zone,
    translate,
    weekday_name,
    zone_of,
)
from bot.store.records import ChatPreferences, SubscriptionRecord


class PreferenceStore(Protocol):
    """The store methods these commands use (the real Store satisfies it)."""

    async def get_chat_preferences(self, platform: str, chat_id: str) -> ChatPreferences: ...

    async def set_chat_timezone(
        self, platform: str, chat_id: str, timezone: str | None, *, now: datetime
    ) -> None: ...

    async def set_chat_digest(
        self, platform: str, chat_id: str, digest: str | None, *, now: datetime
    ) -> None: ...

    async def set_chat_quiet(
        self, platform: str, chat_id: str, quiet: str | None, *, now: datetime
    ) -> None: ...

    async def set_chat_limit(
        self, platform: str, chat_id: str, hourly_limit: int | None, *, now: datetime
    ) -> None: ...

    async def set_subscription_digest(self, subscription_id: int, digest: str | None) -> bool: ...

    async def list_subscriptions(
        self,
        *,
        platform: str | None = None,
        chat_id: str | None = None,
        thread_id: str | EllipsisType | None = ...,
        active_only: bool = True,
    ) -> list[SubscriptionRecord]: ...


def describe_digest(schedule: DigestSchedule, language: str) -> str:
    """`täglich um 08:00 gesammelt`, `collected every Monday at 8:00 AM`, `each at once`."""
    if schedule.kind == "daily" and schedule.at is not None:
        return translate(language, "cmd.digest.daily", time=format_clock(schedule.at, language))
    if schedule.kind == "weekly" and schedule.at is not None and schedule.weekday is not None:
        return translate(
            language,
            "cmd.digest.weekly",
            weekday=weekday_name(schedule.weekday, language),
            time=format_clock(schedule.at, language),
        )
    return translate(language, f"cmd.digest.{schedule.kind}")


def _usage(exc: ScheduleSyntaxError) -> UsageError:
    return UsageError(exc.key)


class PreferenceCommands:
    """Handlers of the four preference commands; each takes the request and reply language."""

    def __init__(
        self, store: PreferenceStore, *, default_timezone: str, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._default_timezone = default_timezone
        self._clock = clock

    async def chat_zone(self, request: CommandRequest) -> ZoneInfo:
        """The zone the chat's replies show times in (its /timezone, else the default)."""
        prefs = await self._store.get_chat_preferences(request.platform, request.chat_id)
        return zone_of(prefs.timezone, self._default_timezone)

    async def timezone(self, request: CommandRequest, language: str) -> Reply:
        """/timezone [Area/City]: show the chat's zone, or validate and store a new one."""
        if not request.args.strip():
            prefs = await self._store.get_chat_preferences(request.platform, request.chat_id)
            return self._zone_reply("cmd.timezone.current", prefs.timezone, language)
        request.require_chat_admin()
        try:
            zone = parse_zone(request.args)
        except UnknownZoneError as exc:
            if exc.suggestion:
                raise UsageError(
                    "cmd.timezone.suggest", name=exc.name, suggestion=exc.suggestion
                ) from exc
            raise UsageError("cmd.timezone.unknown", name=exc.name) from exc
        await self._store.set_chat_timezone(
            request.platform, request.chat_id, zone.key, now=self._clock()
        )
        return self._zone_reply("cmd.timezone.done", zone.key, language)

    def _zone_reply(self, key: str, stored: str | None, language: str) -> Reply:
        zone = zone_of(stored, self._default_timezone)
        now = format_clock(self._clock().astimezone(zone).time(), language)
        return Reply(translate(language, key, zone=zone.key, now=now), language)

    async def digest(self, request: CommandRequest, language: str) -> Reply:
        """/digest [id] <schedule>: show, or set the chat's or one subscription's digest."""
        args = request.args.split()
        if not args:
            return await self._show_digest(request, language)
        request.require_chat_admin()
        wanted = parse_id(args[0]) if len(args) > 1 else None
        try:
            schedule = parse_digest(" ".join(args[1:] if wanted is not None else args))
        except ScheduleSyntaxError as exc:
            raise _usage(exc) from exc
        text = describe_digest(schedule, language)
        if wanted is None:
            await self._store.set_chat_digest(
                request.platform, request.chat_id, schedule.stored(), now=self._clock()
            )
            return Reply(translate(language, "cmd.digest.done", schedule=text), language)
        sub = _subscription(await self._scope(request), wanted)
        await self._store.set_subscription_digest(sub.id, schedule.stored())
        query = shorten(sub.query, MAX_QUERY_SHOWN)
        reply = translate(
            language, "cmd.digest.done_subscription", id=sub.id, query=query, schedule=text
        )
        return Reply(reply, language)

    async def _show_digest(self, request: CommandRequest, language: str) -> Reply:
        prefs = await self._store.get_chat_preferences(request.platform, request.chat_id)
        chat = DigestSchedule.from_stored(prefs.digest)
        lines = [
            translate(language, "cmd.digest.current", schedule=describe_digest(chat, language))
        ]
        for sub in sorted(await self._scope(request), key=lambda sub: sub.id):
            if sub.digest is None:
                continue
            own = describe_digest(DigestSchedule.from_stored(sub.digest), language)
            query = shorten(sub.query, MAX_QUERY_SHOWN)
            lines.append(
                translate(
                    language,
                    "cmd.digest.current_subscription",
                    id=sub.id,
                    query=query,
                    schedule=own,
                )
            )
        return Reply("\n".join(lines), language, ephemeral=True)

    async def quiet(self, request: CommandRequest, language: str) -> Reply:
        """/quiet [HH:MM-HH:MM|off]: show or set the chat's quiet hours (in its zone)."""
        prefs = await self._store.get_chat_preferences(request.platform, request.chat_id)
        zone = zone_of(prefs.timezone, self._default_timezone).key
        if not request.args.strip():
            current = QuietHours.from_stored(prefs.quiet)
            if current is None:
                return Reply(translate(language, "cmd.quiet.none"), language, ephemeral=True)
            return Reply(_quiet_text("cmd.quiet.current", current, zone, language), language)
        request.require_chat_admin()
        try:
            quiet = parse_quiet(request.args)
        except ScheduleSyntaxError as exc:
            raise _usage(exc) from exc
        stored = quiet.stored() if quiet is not None else None
        await self._store.set_chat_quiet(
            request.platform, request.chat_id, stored, now=self._clock()
        )
        if quiet is None:
            return Reply(translate(language, "cmd.quiet.off"), language)
        return Reply(_quiet_text("cmd.quiet.done", quiet, zone, language), language)

    async def limit(self, request: CommandRequest, language: str) -> Reply:
        """/limit [N|off]: show or set the chat's cap of alerts per hour."""
        if not request.args.strip():
            prefs = await self._store.get_chat_preferences(request.platform, request.chat_id)
            if prefs.hourly_limit is None:
                return Reply(translate(language, "cmd.limit.none"), language, ephemeral=True)
            text = translate(language, "cmd.limit.current", count=prefs.hourly_limit)
            return Reply(text, language)
        request.require_chat_admin()
        try:
            count = parse_limit(request.args)
        except ScheduleSyntaxError as exc:
            raise _usage(exc) from exc
        await self._store.set_chat_limit(
            request.platform, request.chat_id, count, now=self._clock()
        )
        if count is None:
            return Reply(translate(language, "cmd.limit.off"), language)
        return Reply(translate(language, "cmd.limit.done", count=count), language)

    async def _scope(self, request: CommandRequest) -> list[SubscriptionRecord]:
        return await scope_subscriptions(self._store, request)


async def scope_subscriptions(
    store: PreferenceStore, request: CommandRequest
) -> list[SubscriptionRecord]:
    """The chat's subscriptions; inside a thread, only that thread's."""
    thread: str | EllipsisType | None = request.thread_id if request.thread_id else ...
    return await store.list_subscriptions(
        platform=request.platform, chat_id=request.chat_id, thread_id=thread
    )


def _quiet_text(key: str, quiet: QuietHours, zone: str, language: str) -> str:
    start, end = format_clock(quiet.start, language), format_clock(quiet.end, language)
    return translate(language, key, start=start, end=end, zone=zone)


def _subscription(subs: Sequence[SubscriptionRecord], wanted: int) -> SubscriptionRecord:
    for sub in subs:
        if sub.id == wanted:
            return sub
    raise NotFoundError("cmd.subscription.not_found", id=wanted)

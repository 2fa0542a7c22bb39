"""Pure text for list-like replies (/list, /sources, /status, /preview); no I/O here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import format_datetime, translate
from bot.store.records import ItemRecord, SourceRecord, SubscriptionRecord

# Long queries and error texts would push a list past Telegram's and Discord's message limits.
MAX_QUERY_SHOWN = 120
MAX_ERROR_SHOWN = 160
FAILING_SHOWN = 3


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def subscription_line(
    language: str, sub: SubscriptionRecord, *, chat_language: str, show_thread: bool
) -> str:
    """`#12 xiaomi OR "lei jun" · de · paused · set by the operator` for /list."""
    parts = [f"#{sub.id} {shorten(sub.query, MAX_QUERY_SHOWN)}", sub.language or chat_language]
    if sub.paused:
        parts.append(translate(language, "cmd.list.paused"))
    if sub.operator:
        parts.append(translate(language, "cmd.list.operator"))
    if show_thread and sub.thread_id is not None:
        parts.append(translate(language, "cmd.list.thread", thread=sub.thread_id))
    return " · ".join(parts)


def subscription_list(
    language: str,
    subs: Sequence[SubscriptionRecord],
    *,
    chat_language: str,
    limit: int,
    show_thread: bool,
) -> str:
    """The /list reply: a header and one line per subscription, or the empty-list hint."""
    if not subs:
        return translate(language, "cmd.list.empty")
    header = translate(language, "cmd.list.header", count=len(subs), limit=limit)
    lines = [
        subscription_line(language, sub, chat_language=chat_language, show_thread=show_thread)
        for sub in sorted(subs, key=lambda sub: sub.id)
    ]
    return "\n".join([header, *lines])


def source_line(language: str, source: SourceRecord, *, default_interval: int) -> str:
    """`#3 heise online · https://… · every 5 min · failing (2 in a row)` for /sources."""
    minutes = max(1, round((source.interval or default_interval) / 60))
    parts = [
        f"#{source.id} {source.name}",
        source.url,
        translate(language, "cmd.sources.every", minutes=minutes),
    ]
    if source.origin == "chat":
        parts.append(translate(language, "cmd.sources.from_chat"))
    if source.paused_at is not None:
        parts.append(translate(language, "cmd.sources.paused"))
    elif source.consecutive_failures > 0:
        parts.append(translate(language, "cmd.sources.failing", count=source.consecutive_failures))
    return " · ".join(parts)


def source_list(language: str, sources: Sequence[SourceRecord], *, default_interval: int) -> str:
    """The /sources reply."""
    if not sources:
        return translate(language, "cmd.sources.empty")
    header = translate(language, "cmd.sources.header", count=len(sources))
    lines = [
        source_line(language, source, default_interval=default_interval)
        for source in sorted(sources, key=lambda source: source.id)
    ]
    return "\n".join([header, *lines])


def item_moment(item: ItemRecord) -> datetime:
    """When an item appeared: its publication time, else when newsbot first saw it."""
    return item.published or item.first_seen_at


def preview_text(
    language: str,
    items: Sequence[ItemRecord],
    *,
    total: int,
    days: int,
    zone: ZoneInfo | None = None,
) -> str:
    """The /preview reply: the newest matches (title, source and date, link) or 'nothing'."""
    if not items:
        return translate(language, "cmd.preview.none", days=days)
    blocks = [translate(language, "cmd.preview.header", count=total, days=days)]
    for item in items:
        when = format_datetime(item_moment(item), language, zone)
        blocks.append(f"{shorten(item.title, 200)}\n{item.source_name}, {when}\n{item.link}")
    return "\n\n".join(blocks)


@dataclass(frozen=True, slots=True)
class ChatCounts:
    """A chat's subscriptions for /status."""

    active: int
    paused: int


def status_text(
    language: str,
    sources: Sequence[SourceRecord],
    *,
    queue_depth: int,
    chat: ChatCounts,
    zone: ZoneInfo | None = None,
) -> str:
    """The /status reply: feeds (with the worst failing ones), last poll, queue, this chat."""
    paused = [source for source in sources if source.paused_at is not None]
    failing = [s for s in sources if s.paused_at is None and s.consecutive_failures > 0]
    lines = [
        translate(language, "cmd.status.header"),
        translate(
            language,
            "cmd.status.sources",
            active=len(sources) - len(paused),
            paused=len(paused),
            failing=len(failing),
        ),
    ]
    worst = sorted(
        [*failing, *(s for s in paused if s.last_error)],
        key=lambda s: (-s.consecutive_failures, s.id),
    )
    lines.extend(
        "  "
        + translate(
            language,
            "cmd.status.failing",
            name=source.name,
            count=source.consecutive_failures,
            error=shorten(source.last_error or "?", MAX_ERROR_SHOWN),
        )
        for source in worst[:FAILING_SHOWN]
    )
    polled = [s.last_polled_at for s in sources if s.last_polled_at is not None]
    if polled:
        lines.append(
            translate(
                language, "cmd.status.last_poll", time=format_datetime(max(polled), language, zone)
            )
        )
    else:
        lines.append(translate(language, "cmd.status.never_polled"))
    lines.append(translate(language, "cmd.status.queue", depth=queue_depth))
    lines.append(translate(language, "cmd.status.chat", active=chat.active, paused=chat.paused))
    return "\n".join(lines)

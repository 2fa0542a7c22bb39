"""Plain frozen records going in and out of the store; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.model import Article

Origin = Literal["config", "chat"]
OutboxStatus = Literal["pending", "sending", "sent", "failed", "dropped"]
OUTBOX_STATUSES: tuple[OutboxStatus, ...] = ("pending", "sending", "sent", "failed", "dropped")


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source as the config file or a chat names it (field names match `SourceConfig`)."""

    name: str
    url: str
    interval: int | None = None
    language: str | None = None
    full_text: bool = False
    backfill: int = 0


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One stored source with its polling bookkeeping.

    `url` is the address to fetch (it follows permanent redirects); `listed_url` is the
    address the config file or the chat named, which identifies the source when syncing.
    """

    id: int
    name: str
    url: str
    listed_url: str
    origin: Origin
    added_by: str | None
    interval: int | None
    language: str | None
    full_text: bool
    backfill: int
    etag: str | None
    last_modified: str | None
    next_poll_at: datetime
    last_polled_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    last_error: str | None
    paused_at: datetime | None
    paused_reason: str | None
    baselined: bool
    active: bool
    created_at: datetime

    @property
    def paused(self) -> bool:
        """Whether polling is paused until an admin resumes it."""
        return self.paused_at is not None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync changed: source URLs, or `target query` keys of operator subscriptions."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestEntry:
    """One polled article with what the caller computed for it before the transaction.

    `fingerprint` is a signed 64-bit SimHash; `matches` holds (subscription id, matched words)
    from the caller's in-memory index.
    """

    article: Article
    fingerprint: int
    matches: tuple[tuple[int, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one `ingest` call wrote."""

    new_items: int
    known_items: int
    new_stories: int
    queued: int
    baselined_now: bool
    outbox_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class OperatorSubscriptionSpec:
    """A `[[subscriptions]]` entry of the config file (console has chat_id '')."""

    platform: str
    chat_id: str
    query: str
    language: str | None = None
    thread_id: str | None = None


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    """One stored subscription; `language` None means the chat's language."""

    id: int
    platform: str
    chat_id: str
    thread_id: str | None
    query: str
    language: str | None
    paused: bool
    operator: bool
    created_by: str | None
    created_at: datetime
    active: bool
    deactivated_reason: str | None
    deactivated_at: datetime | None


@dataclass(frozen=True, slots=True)
class OutboxJob:
    """Everything delivery needs to render and send one claimed alert.

    `language` is resolved: the subscription's, else the chat's, else None (the default).
    """

    outbox_id: int
    attempts: int
    subscription_id: int
    story_id: int
    item_id: int
    platform: str
    chat_id: str
    thread_id: str | None
    language: str | None
    query: str
    matched: tuple[str, ...]
    title: str
    link: str
    summary: str
    item_language: str | None
    published: datetime | None
    source_name: str
    first_seen_at: datetime  # when newsbot first saw the article: alert delay is measured from it


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One stored article, as /preview shows it."""

    id: int
    source_id: int
    source_name: str
    guid: str
    link: str
    title: str
    summary: str
    language: str | None
    published: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    story_id: int


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """Counts for /status, /healthz and the metrics."""

    sources_active: int
    sources_paused: int
    sources_failing: int
    sources_due: int
    items: int
    stories: int
    subscriptions_active: int
    outbox_pending: int
    outbox_sending: int
    outbox_sent: int
    outbox_failed: int
    outbox_dropped: int
    outbox_due: int


@dataclass(frozen=True, slots=True)
class ExpiryReport:
    """How many rows `expire` deleted."""

    items: int
    stories: int
    outbox: int


@dataclass(frozen=True, slots=True)
class ChatAddress:
    """A chat (or thread) to tell something, and the language it reads (None: the default)."""

    platform: str
    chat_id: str
    thread_id: str | None
    language: str | None

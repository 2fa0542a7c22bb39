"""Plain frozen records going in and out of the store; no I/O here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from bot.model import Article, OtherReport, Target

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
class NewItem:
    """A new item as the ingest stage prepared it: its story decided, its language detected.

    `story` is a stored story's id, or a negative id for a story this write founds (the
    first new item naming it founds it); `story_key` is None for items that never alert
    (a baseline's), which keeps them out of the story index.
    """

    article: Article
    fingerprint: int
    story: int
    story_key: str | None = None


@dataclass(frozen=True, slots=True)
class AlertContext:
    """What the store knows of the matched subscriptions and stories before the write.

    `eligible`: active, unpaused subscriptions made before the entries were seen;
    `ungrouped`: those whose chat asked for every article (`/group off`);
    `alerted`: (subscription id, story id) -> the grouped outbox row already queued or sent.
    """

    eligible: frozenset[int]
    ungrouped: frozenset[int] = frozenset()
    alerted: Mapping[tuple[int, int], int] | None = None


@dataclass(frozen=True, slots=True)
class PlannedAlert:
    """A new outbox row: a message about the story led by the entry at `position`."""

    position: int
    subscription_id: int
    story: int
    matched: tuple[str, ...]
    grouped: bool


@dataclass(frozen=True, slots=True)
class PlannedAlso:
    """The entry at `position` joins the chat's existing message about `story`.

    `outbox_id` is the stored row to edit, or None for the row this batch plans for
    (subscription, story).
    """

    position: int
    subscription_id: int
    story: int
    outbox_id: int | None


@dataclass(frozen=True, slots=True)
class AlertPlan:
    """New messages and edits of one ingest, in the entries' order."""

    alerts: tuple[PlannedAlert, ...] = ()
    also: tuple[PlannedAlso, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestWrite:
    """Everything one poll's ingest writes, in one transaction.

    `seen` and `guid_changes` touch stored items; positions in `plan` index `new_items`.
    """

    source_id: int
    now: datetime
    new_items: tuple[NewItem, ...] = ()
    seen: tuple[int, ...] = ()
    guid_changes: tuple[tuple[int, str], ...] = ()
    plan: AlertPlan = field(default_factory=lambda: AlertPlan())
    baselined_now: bool = False


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one `write_ingest` call wrote; `item_ids` in the order of `new_items`."""

    new_items: int
    known_items: int
    new_stories: int
    queued: int
    baselined_now: bool
    outbox_ids: tuple[int, ...] = ()
    edits: int = 0
    item_ids: tuple[int, ...] = ()
    story_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class StoryMember:
    """A stored item of the story window, as the story index is rebuilt from."""

    item_id: int
    story_id: int
    story_key: str
    first_seen_at: datetime


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
    digest: str | None = None  # /digest of this subscription as stored text; None: the chat's


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
    body: str
    item_language: str | None
    published: datetime | None
    source_name: str
    first_seen_at: datetime  # when newsbot first saw the article: alert delay is measured from it
    message_id: str | None = None  # set: the alert was sent; this job edits that message
    revision: int = 0  # other reports the story has now (`also`)
    shown_revision: int = 0  # of which the sent message shows this many
    also: tuple[OtherReport, ...] = ()
    timezone: str | None = None  # the chat's /timezone (None: NEWSBOT_TIMEZONE)


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One stored article, as /preview shows it."""

    id: int
    source_id: int
    source_name: str
    guid: str
    link: str
    title: str
    body: str
    language: str | None
    published: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    story_id: int
    story_key: str | None


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
class Recipient:
    """A chat (or thread) to tell something, and the language it reads (None: the default)."""

    target: Target
    language: str | None


@dataclass(frozen=True, slots=True)
class ChatPreferences:
    """A chat's delivery preferences as stored; None means the default (issue 12)."""

    timezone: str | None = None
    digest: str | None = None
    quiet: str | None = None
    hourly_limit: int | None = None


@dataclass(frozen=True, slots=True)
class TranslationRecord:
    """A story's title and summary machine-translated from `source_language`."""

    source_language: str
    title: str
    summary: str

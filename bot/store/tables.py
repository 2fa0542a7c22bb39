"""The schema as SQLAlchemy Core tables: what the queries are written against.

The migrations in `migrations/versions` create the same schema; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from bot.store.errors import NaiveDatetimeError


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes on the Python side, whatever the database keeps.

    SQLite has no time zones, so it stores naive UTC (its fixed-width text sorts in time
    order); PostgreSQL gets an aware value for `timestamptz`.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Reject naive datetimes and convert aware ones to UTC."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"naive datetime {value.isoformat()} given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Explicit names so that future SQLite batch migrations can find constraints to alter.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("listed_url", sa.Text, nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),
    sa.Column("added_by", sa.Text),
    sa.Column("interval", sa.Integer),
    sa.Column("language", sa.String(16)),
    sa.Column("full_text", sa.Boolean, nullable=False),
    sa.Column("backfill", sa.Integer, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("next_poll_at", UTCDateTime, nullable=False),
    sa.Column("last_polled_at", UTCDateTime),
    sa.Column("last_success_at", UTCDateTime),
    sa.Column("consecutive_failures", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("paused_at", UTCDateTime),
    sa.Column("paused_reason", sa.Text),
    sa.Column("baselined", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("listed_url"),
    sa.CheckConstraint("origin IN ('config', 'chat')", name="origin"),
    sa.Index(None, "next_poll_at"),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("fingerprint", sa.BigInteger, nullable=False),
    sa.Index(None, "first_seen_at"),
)

items = sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
    sa.Column("guid", sa.Text, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    # The text alerts are condensed from: the full text where fetched, else the teaser.
    sa.Column("body", sa.Text, nullable=False),
    # Detected once at ingest (the feed's declaration is the hint), ISO 639-1.
    sa.Column("language", sa.String(16)),
    sa.Column("published", UTCDateTime),
    sa.Column("first_seen_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
    # `StoryKey.dumps()`: rebuilds the story index at start without recomputing.
    sa.Column("story_key", sa.Text),
    sa.UniqueConstraint("source_id", "guid"),
    # (link) alone serves both lookups: same source and any source (story by link).
    sa.Index(None, "link"),
    sa.Index(None, "source_id", "title"),
    sa.Index(None, "first_seen_at"),
    sa.Index(None, "last_seen_at"),
    sa.Index(None, "story_id"),
)

chats = sa.Table(
    "chats",
    metadata,
    sa.Column("platform", sa.String(16), primary_key=True),
    sa.Column("chat_id", sa.Text, primary_key=True),
    sa.Column("language", sa.String(16)),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # Later reports of a story edit the chat's message (True) or get their own (`/group off`).
    sa.Column("grouping", sa.Boolean, nullable=False, server_default=sa.true()),
    # Delivery preferences (issue 12); NULL means the default.
    sa.Column("timezone", sa.String(64)),  # IANA name from /timezone
    sa.Column("digest", sa.String(32)),  # /digest as stored text: `daily 08:00`, `off`, ...
    sa.Column("quiet", sa.String(16)),  # /quiet as `22:00-07:00`
    sa.Column("hourly_limit", sa.Integer),  # /limit N
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("platform", sa.String(16), nullable=False),
    sa.Column("chat_id", sa.Text, nullable=False),
    # '' means no thread: NULLs never collide in a unique index.
    sa.Column("thread_id", sa.Text, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("language", sa.String(16)),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("operator", sa.Boolean, nullable=False),
    sa.Column("created_by", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("deactivated_reason", sa.Text),
    sa.Column("deactivated_at", UTCDateTime),
    sa.Column("digest", sa.String(32)),  # per-subscription /digest; NULL: the chat's
    sa.Index(None, "platform", "chat_id"),
    sa.Index(
        "ux_subscriptions_active_query",
        "platform",
        "chat_id",
        "thread_id",
        "query",
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    ),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id"), nullable=False),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id"), nullable=False),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id"), nullable=False),
    sa.Column("matched", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("claimed_at", UTCDateTime),
    sa.Column("sent_at", UTCDateTime),
    sa.Column("message_id", sa.Text),
    sa.Column("last_error", sa.Text),
    # `platform:chat_id`: each chat's rows go out in `queued_at` order, one chat at a time.
    sa.Column("chat_key", sa.Text, nullable=False, server_default=""),
    sa.Column("queued_at", UTCDateTime, nullable=False),
    sa.Column("grouped", sa.Boolean, nullable=False, server_default=sa.true()),
    # How many other reports (`outbox_also`) the story has, and how many the sent message
    # shows: an edit is due while they differ.
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("shown_revision", sa.Integer, nullable=False, server_default="0"),
    # False once the platform refused an edit (message gone or too old): no more edits.
    sa.Column("editable", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.CheckConstraint(
        "status IN ('pending', 'sending', 'sent', 'failed', 'dropped')", name="status"
    ),
    sa.Index(None, "status", "next_attempt_at"),
    sa.Index(None, "item_id"),
    sa.Index(None, "story_id"),
    # One grouped alert per subscription per story, and never one item twice to one
    # subscription, for as long as the row lives.
    sa.Index(
        "ux_outbox_grouped_story",
        "subscription_id",
        "story_id",
        unique=True,
        sqlite_where=sa.text("grouped"),
        postgresql_where=sa.text("grouped"),
    ),
    sa.Index("ux_outbox_subscription_item", "subscription_id", "item_id", unique=True),
    sa.Index(None, "chat_key", "queued_at"),
)

outbox_also = sa.Table(
    "outbox_also",
    metadata,
    sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), primary_key=True),
    sa.Column("item_id", sa.Integer, sa.ForeignKey("items.id"), primary_key=True),
    # Arrival order: the "Also reported by" line lists the outlets as they came in.
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "item_id"),
)

translations = sa.Table(
    "translations",
    metadata,
    # One machine translation per story and language, shared by every chat that reads it.
    sa.Column(
        "story_id",
        sa.Integer,
        sa.ForeignKey("stories.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("language", sa.String(16), primary_key=True),
    sa.Column("source_language", sa.String(16), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

"""Initial schema: sources, stories, items, chats, subscriptions, outbox.

Revision ID: r0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Migrations freeze the schema of their time: plain types, never the live module's.
UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create every table of the first version."""
    _create_sources()
    _create_stories_and_items()
    _create_chats_and_subscriptions()
    _create_outbox()


def downgrade() -> None:
    """Drop every table, dependants first."""
    for table in ("outbox", "subscriptions", "chats", "items", "stories", "sources"):
        op.drop_table(table)


def _create_sources() -> None:
    op.create_table(
        "sources",
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
        sa.Column("next_poll_at", UTC_TIME, nullable=False),
        sa.Column("last_polled_at", UTC_TIME),
        sa.Column("last_success_at", UTC_TIME),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("paused_at", UTC_TIME),
        sa.Column("paused_reason", sa.Text),
        sa.Column("baselined", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sources"),
        sa.UniqueConstraint("listed_url", name="uq_sources_listed_url"),
        sa.CheckConstraint("origin IN ('config', 'chat')", name="ck_sources_origin"),
    )
    op.create_index("ix_sources_next_poll_at", "sources", ["next_poll_at"])


def _create_stories_and_items() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("first_seen_at", UTC_TIME, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
    )
    op.create_index("ix_stories_first_seen_at", "stories", ["first_seen_at"])
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("guid", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("published", UTC_TIME),
        sa.Column("first_seen_at", UTC_TIME, nullable=False),
        sa.Column("last_seen_at", UTC_TIME, nullable=False),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_items"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name="fk_items_source_id_sources"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_items_story_id_stories"),
        sa.UniqueConstraint("source_id", "guid", name="uq_items_source_id_guid"),
    )
    op.create_index("ix_items_link", "items", ["link"])
    op.create_index("ix_items_source_id_title", "items", ["source_id", "title"])
    op.create_index("ix_items_first_seen_at", "items", ["first_seen_at"])
    op.create_index("ix_items_last_seen_at", "items", ["last_seen_at"])
    op.create_index("ix_items_story_id", "items", ["story_id"])


def _create_chats_and_subscriptions() -> None:
    op.create_table(
        "chats",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.Text, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("platform", "chat_id", name="pk_chats"),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.Text, nullable=False),
        sa.Column("thread_id", sa.Text, nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("operator", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.Text),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("deactivated_reason", sa.Text),
        sa.Column("deactivated_at", UTC_TIME),
        sa.PrimaryKeyConstraint("id", name="pk_subscriptions"),
    )
    op.create_index("ix_subscriptions_platform_chat_id", "subscriptions", ["platform", "chat_id"])
    # One active subscription per chat, thread and query; partial indexes work on SQLite and
    # PostgreSQL alike.
    op.create_index(
        "ux_subscriptions_active_query",
        "subscriptions",
        ["platform", "chat_id", "thread_id", "query"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )


def _create_outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscription_id", sa.Integer, nullable=False),
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("matched", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", UTC_TIME, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("claimed_at", UTC_TIME),
        sa.Column("sent_at", UTC_TIME),
        sa.Column("message_id", sa.Text),
        sa.Column("last_error", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name="fk_outbox_subscription_id_subscriptions",
        ),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name="fk_outbox_story_id_stories"),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_outbox_item_id_items"),
        sa.UniqueConstraint(
            "subscription_id", "story_id", name="uq_outbox_subscription_id_story_id"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'dropped')",
            name="ck_outbox_status",
        ),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_item_id", "outbox", ["item_id"])
    op.create_index("ix_outbox_story_id", "outbox", ["story_id"])

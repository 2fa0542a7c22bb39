"""Stories across outlets: story keys on items, story edits and per-chat order in the outbox.

- `items.summary` becomes `items.body` (the stored text alerts are condensed from; the
  feed's own summary is the article's teaser, the condensed text is the alert's summary).
- `items.story_key`: what story assignment compares, kept so that the story index can be
  rebuilt at start.
- `chats.grouping`: whether later reports of a story edit the chat's message (default) or
  are alerted one by one (`/group off`).
- `outbox`: `chat_key`, `queued_at` give each chat its own queue in order; `revision` counts
  the other reports of the story (`outbox_also`) and `shown_revision` what the sent message
  shows, so an edit is due when they differ; `grouped` rows are one per subscription and
  story, ungrouped ones one per item.

Revision ID: r0002
Revises: r0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision: str | None = "r0001"
branch_labels: str | None = None
depends_on: str | None = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the story columns and tables; existing alerts become grouped ones, in order."""
    op.execute("ALTER TABLE items RENAME COLUMN summary TO body")
    op.add_column("items", sa.Column("story_key", sa.Text))
    op.add_column(
        "chats", sa.Column("grouping", sa.Boolean, nullable=False, server_default=sa.true())
    )
    _upgrade_outbox()
    op.create_table(
        "outbox_also",
        sa.Column("outbox_id", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("outbox_id", "item_id", name="pk_outbox_also"),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["outbox.id"], name="fk_outbox_also_outbox_id_outbox"
        ),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"], name="fk_outbox_also_item_id_items"),
    )
    op.create_index("ix_outbox_also_item_id", "outbox_also", ["item_id"])


def _upgrade_outbox() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("chat_key", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("queued_at", UTC_TIME))
        batch.add_column(sa.Column("grouped", sa.Boolean, nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("shown_revision", sa.Integer, nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("editable", sa.Boolean, nullable=False, server_default=sa.true())
        )
        batch.drop_constraint("uq_outbox_subscription_id_story_id", type_="unique")
    op.execute(
        "UPDATE outbox SET queued_at = created_at, chat_key = (SELECT s.platform || ':' ||"
        " s.chat_id FROM subscriptions s WHERE s.id = outbox.subscription_id)"
    )
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("queued_at", existing_type=UTC_TIME, nullable=False)
    op.create_index(
        "ux_outbox_grouped_story",
        "outbox",
        ["subscription_id", "story_id"],
        unique=True,
        sqlite_where=sa.text("grouped"),
        postgresql_where=sa.text("grouped"),
    )
    op.create_index(
        "ux_outbox_subscription_item", "outbox", ["subscription_id", "item_id"], unique=True
    )
    op.create_index("ix_outbox_chat_key_queued_at", "outbox", ["chat_key", "queued_at"])


def downgrade() -> None:
    """Back to one alert per subscription and story, without edits."""
    op.drop_table("outbox_also")
    op.drop_index("ix_outbox_chat_key_queued_at", "outbox")
    op.drop_index("ux_outbox_subscription_item", "outbox")
    op.drop_index("ux_outbox_grouped_story", "outbox")
    op.execute("DELETE FROM outbox WHERE NOT grouped")
    with op.batch_alter_table("outbox") as batch:
        for column in (
            "editable",
            "shown_revision",
            "revision",
            "grouped",
            "queued_at",
            "chat_key",
        ):
            batch.drop_column(column)
        batch.create_unique_constraint(
            "uq_outbox_subscription_id_story_id", ["subscription_id", "story_id"]
        )
    op.drop_column("chats", "grouping")
    op.drop_column("items", "story_key")
    op.execute("ALTER TABLE items RENAME COLUMN body TO summary")

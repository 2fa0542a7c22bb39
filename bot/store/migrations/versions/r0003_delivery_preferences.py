"""Delivery preferences (time zone, digest, quiet hours, hourly limit) and cached translations.

Revision ID: r0003
Revises: r0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision: str | None = "r0002"
branch_labels: str | None = None
depends_on: str | None = None

# Migrations freeze the schema of their time: plain types, never the live module's.
UTC_TIME = sa.DateTime(timezone=True)
CHAT_COLUMNS = (
    ("timezone", sa.String(64)),
    ("digest", sa.String(32)),
    ("quiet", sa.String(16)),
    ("hourly_limit", sa.Integer()),
)


def upgrade() -> None:
    """Add the nullable preference columns (NULL: the default) and the translations table."""
    for name, type_ in CHAT_COLUMNS:
        op.add_column("chats", sa.Column(name, type_))
    op.add_column("subscriptions", sa.Column("digest", sa.String(32)))
    op.create_table(
        "translations",
        sa.Column("story_id", sa.Integer, nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("source_language", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("story_id", "language", name="pk_translations"),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name="fk_translations_story_id_stories",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    """Drop the translations and the preference columns."""
    op.drop_table("translations")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("digest")
    with op.batch_alter_table("chats") as batch:
        for name, _ in reversed(CHAT_COLUMNS):
            batch.drop_column(name)

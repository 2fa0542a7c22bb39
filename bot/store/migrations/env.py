"""Alembic environment: runs migrations on the connection that `Store.open` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection


def run_migrations_online() -> None:
    """Migrate on the caller's connection, inside the caller's transaction."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("bot.store migrations run only through Store.open (no connection)")
    # render_as_batch: SQLite can only ALTER through table copies; future revisions use it.
    context.configure(connection=connection, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("bot.store migrations do not support offline (SQL script) mode")
run_migrations_online()

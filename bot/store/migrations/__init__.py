"""Alembic migrations of the store, applied by `Store.open` (no alembic.ini needed)."""

"""Alembic revision files, one per schema version, in order of `down_revision`."""

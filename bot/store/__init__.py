"""The persistent store: SQLAlchemy Core over SQLite (default) or PostgreSQL, migrated at start."""

from bot.store.errors import (
    DuplicateSourceError,
    DuplicateSubscriptionError,
    NaiveDatetimeError,
    StoreError,
    UnknownSourceError,
)
from bot.store.records import (
    ChatAddress,
    ExpiryReport,
    IngestEntry,
    IngestReport,
    ItemRecord,
    OperatorSubscriptionSpec,
    OutboxJob,
    SourceRecord,
    SourceSpec,
    StoreStatus,
    SubscriptionRecord,
    SyncReport,
)
from bot.store.store import Store

__all__ = [
    "ChatAddress",
    "DuplicateSourceError",
    "DuplicateSubscriptionError",
    "ExpiryReport",
    "IngestEntry",
    "IngestReport",
    "ItemRecord",
    "NaiveDatetimeError",
    "OperatorSubscriptionSpec",
    "OutboxJob",
    "SourceRecord",
    "SourceSpec",
    "Store",
    "StoreError",
    "StoreStatus",
    "SubscriptionRecord",
    "SyncReport",
    "UnknownSourceError",
]

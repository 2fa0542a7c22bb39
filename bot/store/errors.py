"""Typed errors of the store; callers catch `StoreError` for anything the database refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.errors import NewsbotError

if TYPE_CHECKING:
    from bot.store.records import SourceRecord, SubscriptionRecord


class StoreError(NewsbotError):
    """Base of every error raised by `bot.store`."""


class NaiveDatetimeError(StoreError, ValueError):
    """A datetime without a timezone reached the store; every time on the API is aware UTC."""


class UnknownSourceError(StoreError, LookupError):
    """No source has the given id."""


class DuplicateSourceError(StoreError):
    """An active source with this URL exists already; `existing` is that source."""

    def __init__(self, existing: SourceRecord) -> None:
        super().__init__(f"source {existing.url!r} exists already (id {existing.id})")
        self.existing = existing


class DuplicateSubscriptionError(StoreError):
    """The chat (thread) has an active subscription with this query; `existing` is that one."""

    def __init__(self, existing: SubscriptionRecord) -> None:
        super().__init__(
            f"{existing.platform}:{existing.chat_id} is subscribed to {existing.query!r} "
            f"already (id {existing.id})"
        )
        self.existing = existing

"""Shared fixtures of the command tests: a real store on a temporary SQLite file, a fixed clock."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.commands import ChatKind, CommandRequest, CommandService
from bot.settings import Settings
from bot.store import Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ADMIN = "1"  # listed in NEWSBOT_ADMINS of the test settings
FIXTURES = Path(__file__).parent / "fixtures"


def request(
    command: str,
    args: str = "",
    *,
    locale: str | None = "en-US",
    chat: str = "100",
    kind: ChatKind = "private",
    admin: bool = True,
    user: str | None = ADMIN,
    thread: str | None = None,
    platform: str = "telegram",
) -> CommandRequest:
    """A command request with the defaults of a private Telegram chat with a bot admin."""
    return CommandRequest(
        platform=platform,
        chat_id=chat,
        thread_id=thread,
        user_id=user,
        chat_kind=kind,
        user_is_chat_admin=admin,
        locale=locale,
        command=command,
        args=args,
    )


@dataclass
class Changes:
    """Counts the service's change notifications."""

    subscriptions: int = 0
    sources: int = 0

    async def subscriptions_changed(self) -> None:
        """The callback for subscription changes."""
        self.subscriptions += 1

    async def sources_changed(self) -> None:
        """The callback for source changes."""
        self.sources += 1


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings with small limits, independent of the environment the tests run in."""
    for name in list(os.environ):
        if name.upper().startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    return Settings(
        language="en",
        max_subscriptions_per_chat=2,
        max_query_length=40,
        admins=frozenset({f"telegram:{ADMIN}", "discord:9"}),
    )


@pytest.fixture
def changes() -> Changes:
    """A fresh notification counter."""
    return Changes()


@pytest.fixture
def service(store: Store, settings: Settings, changes: Changes) -> CommandService:
    """The command service over the real store, with a fixed clock."""
    return CommandService(
        store,
        settings=settings,
        clock=lambda: NOW,
        on_subscriptions_changed=changes.subscriptions_changed,
        on_sources_changed=changes.sources_changed,
    )

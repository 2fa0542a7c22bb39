"""Pure chat decisions: kinds, topics, targets, posting rights and membership changes."""

from __future__ import annotations

import pytest

from bot.platforms.telegram._chats import (
    MemberState,
    can_post,
    chat_kind,
    membership_action,
    split_target,
    thread_id,
)


@pytest.mark.parametrize(
    ("chat_type", "kind"),
    [("private", "private"), ("group", "group"), ("supergroup", "group"), ("channel", "channel")],
    ids=["private", "group", "supergroup", "channel"],
)
def test_chat_kind(chat_type: str, kind: str) -> None:
    """Supergroups are groups to the commands."""
    assert chat_kind(chat_type) == kind


@pytest.mark.parametrize(
    ("thread", "topic", "expected"),
    [(7, True, "7"), (7, False, None), (None, None, None), (7, None, None)],
    ids=["topic", "reply-thread", "none", "unknown"],
)
def test_thread_id(thread: int | None, topic: bool | None, expected: str | None) -> None:
    """Only forum topics count as threads, not reply threads of ordinary groups."""
    assert thread_id(thread, topic) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("@heise_news xiaomi OR huawei", ("@heise_news", "xiaomi OR huawei")),
        ("@heise_news", ("@heise_news", "")),
        ("-1001234567890 all", ("-1001234567890", "all")),
        ("xiaomi", None),
        ("@abc xiaomi", None),
        ("-rumor xiaomi", None),
        ("12", None),
        ("", None),
    ],
    ids=[
        "name-and-query",
        "name-only",
        "numeric-id",
        "query",
        "too-short",
        "exclusion",
        "id",
        "empty",
    ],
)
def test_split_target(args: str, expected: tuple[str, str] | None) -> None:
    """A leading @name or group id names another chat; anything else is the argument."""
    assert split_target(args) == expected


@pytest.mark.parametrize(
    ("chat_type", "member", "expected"),
    [
        ("channel", MemberState("administrator", can_post_messages=True), True),
        ("channel", MemberState("administrator", can_post_messages=False), False),
        ("channel", MemberState("member"), False),
        ("channel", MemberState("creator"), True),
        ("supergroup", MemberState("member"), True),
        ("supergroup", MemberState("restricted", can_send_messages=False), False),
        ("supergroup", MemberState("restricted", can_send_messages=True), True),
        ("group", MemberState("left"), False),
        ("private", MemberState("kicked"), False),
        ("private", MemberState("member"), True),
    ],
    ids=[
        "channel-admin-posting",
        "channel-admin-not-posting",
        "channel-member",
        "channel-creator",
        "group-member",
        "group-muted",
        "group-restricted-may-send",
        "group-left",
        "private-blocked",
        "private",
    ],
)
def test_can_post(chat_type: str, member: MemberState, expected: bool) -> None:
    """Channels need an administrator with can_post_messages; groups any unmuted member."""
    assert can_post(chat_type, member) is expected


@pytest.mark.parametrize(
    ("chat_type", "old", "new", "action"),
    [
        ("private", "member", "kicked", "gone"),
        ("group", "member", "left", "gone"),
        ("supergroup", "administrator", "kicked", "gone"),
        ("supergroup", "member", "restricted", "gone"),
        ("channel", "administrator", "left", "gone"),
        ("group", "left", "member", "greet"),
        ("supergroup", "kicked", "administrator", "greet"),
        ("channel", "left", "administrator", "none"),
        ("private", "kicked", "member", "none"),
        ("supergroup", "member", "administrator", "none"),
    ],
    ids=[
        "blocked",
        "removed",
        "banned",
        "muted",
        "channel-removed",
        "added-to-group",
        "added-as-admin",
        "added-to-channel",
        "unblocked",
        "promoted",
    ],
)
def test_membership_action(chat_type: str, old: str, new: str, action: str) -> None:
    """Losing the right to post ends the chat's alerts; joining a group greets it."""
    before = MemberState(old, can_post_messages=True)
    after = MemberState(new, can_post_messages=True)
    assert membership_action(chat_type, before, after)[0] == action

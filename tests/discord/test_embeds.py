"""Pure Discord decisions: defused mentions, shortening, embed limits, chat addresses, ids."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.model import Alert
from bot.platforms.discord import (
    SyncRecord,
    alert_embed,
    button_id,
    chat_address,
    defuse_mentions,
    fit,
    sync_record_path,
)
from bot.platforms.discord import shorten as cut
from bot.platforms.discord.embeds import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    TITLE_LIMIT,
    markdown_safe,
    reply_parts,
)

ZW = "\u200b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@everyone Xiaomi kommt", f"@{ZW}everyone Xiaomi kommt"),
        ("hallo @here", f"hallo @{ZW}here"),
        ("role <@&123456789012345678> ping", f"role <{ZW}@&123456789012345678> ping"),
        ("user <@123456789012345678>", f"user <{ZW}@123456789012345678>"),
        ("nick <@!123456789012345678>", f"nick <{ZW}@!123456789012345678>"),
        ("channel <#123456789012345678>", f"channel <{ZW}#123456789012345678>"),
        ("mail presse@xiaomi.com", "mail presse@xiaomi.com"),
        ("@Xiaomi on X", "@Xiaomi on X"),
        ("a < b and c > d", "a < b and c > d"),
        ("@everyone@here", f"@{ZW}everyone@{ZW}here"),
    ],
    ids=[
        "everyone",
        "here",
        "role",
        "user",
        "nickname",
        "channel",
        "email-untouched",
        "handle-untouched",
        "comparison-untouched",
        "both-adjacent",
    ],
)
def test_defuse_mentions(text: str, expected: str) -> None:
    """Every mention form is broken by a zero-width space; other @ and < stay as they are."""
    assert defuse_mentions(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**Xiaomi** kommt", "\\*\\*Xiaomi\\*\\* kommt"),
        ("redmi* und xiaomi*", "redmi\\* und xiaomi\\*"),
        ("spoiler ||Mi 15|| heute", "spoiler \\|\\|Mi 15\\|\\| heute"),
        ("@everyone _jetzt_", f"@{ZW}everyone \\_jetzt\\_"),
    ],
    ids=["bold", "wildcards", "spoiler", "mention-and-italic"],
)
def test_markdown_safe(text: str, expected: str) -> None:
    """Feed text shows as written: markdown is escaped and mentions defused."""
    assert markdown_safe(text) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Kurz.", 10, "Kurz."),
        ("Erster Satz. Zweiter Satz ist lang.", 20, "Erster Satz."),
        ("Eins! Zwei? Drei und noch viel mehr Text", 12, "Eins! Zwei?"),
        ("Er sagte „Ja.“ Dann ging er nach Hause", 16, "Er sagte „Ja.“"),
        ("A. Ein sehr langer zweiter Satz ohne Ende", 20, "A. Ein sehr langer…"),
        ("Ohne Satzende aber mit Wörtern", 20, "Ohne Satzende aber…"),
        ("Donaudampfschifffahrtsgesellschaft", 10, "Donaudamp…"),
        ("Genau zwanzig Zeiche", 20, "Genau zwanzig Zeiche"),
    ],
    ids=[
        "fits",
        "sentence",
        "question-mark",
        "closing-quote",
        "early-sentence-end-uses-words",
        "words",
        "one-long-word",
        "exact-limit",
    ],
)
def test_shorten(text: str, limit: int, expected: str) -> None:
    """Cut after the last whole sentence in reach, else between words with an ellipsis."""
    assert cut(text, limit) == expected
    assert len(cut(text, limit)) <= limit


@pytest.mark.parametrize(
    ("text", "limit"),
    [("*" * 300, 256), ("_a_ " * 1200, 4096), ("@everyone " * 500, 2048)],
    ids=["all-escapes", "escaped-words", "mentions"],
)
def test_fit_keeps_the_limit_after_escaping(text: str, limit: int) -> None:
    """Escapes and zero-width spaces lengthen text; the result still fits the limit."""
    assert len(fit(text, limit)) <= limit


def _alert(title: str, summary: str, matched: tuple[str, ...] = ("Xiaomi",)) -> Alert:
    return Alert(
        title=title,
        link="https://example.com/a",
        summary=summary,
        source="heise online",
        published=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        matched=matched,
        language="de",
    )


@pytest.mark.parametrize(
    ("title", "summary", "matched"),
    [
        ("Xiaomi", "Kurz.", ("Xiaomi",)),
        ("T" * 400, "Satz. " * 1000, ("Xiaomi",)),
        ("T " * 200, "Satz. " * 1000, tuple(f"w{i}" for i in range(400))),
        ("**" * 200, "_" * 5000, ("*",)),
    ],
    ids=["short", "long-title-and-summary", "many-matched-words", "all-markdown"],
)
def test_alert_embed_within_discord_limits(
    title: str, summary: str, matched: tuple[str, ...]
) -> None:
    """Title ≤256, description ≤4,096, everything ≤6,000, whatever the feed sends."""
    parts = alert_embed(_alert(title, summary, matched), "de")
    assert len(parts.title) <= TITLE_LIMIT
    assert len(parts.description) <= DESCRIPTION_LIMIT
    assert parts.total() <= EMBED_TOTAL_LIMIT


@pytest.mark.parametrize(
    ("language", "footer", "matched_name"),
    [
        ("de", "Quelle: heise online", "Treffer"),
        ("en", "Source: heise online", "Matched"),
    ],
    ids=["de", "en"],
)
def test_alert_embed_labels(language: str, footer: str, matched_name: str) -> None:
    """The source is the footer (the timestamp alone carries the time, shown in each reader's
    zone) and the matched words a field, in the chat's language."""
    parts = alert_embed(_alert("Xiaomi 15", "Das Xiaomi 15 kommt."), language)
    assert (parts.title, parts.url, parts.description) == (
        "Xiaomi 15",
        "https://example.com/a",
        "Das Xiaomi 15 kommt.",
    )
    assert (parts.footer, parts.matched_name, parts.matched_value) == (
        footer,
        matched_name,
        "Xiaomi",
    )
    assert parts.timestamp == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def test_long_summary_is_cut_at_a_sentence() -> None:
    """A summary past 4,096 characters ends with a whole sentence, not mid-word."""
    summary = " ".join(f"Satz Nummer {i} über Xiaomi." for i in range(400))
    parts = alert_embed(_alert("Xiaomi", summary), "de")
    assert parts.description.endswith("über Xiaomi.")
    assert len(parts.description) <= DESCRIPTION_LIMIT


@pytest.mark.parametrize(
    ("channel", "parent", "is_thread", "in_guild", "expected"),
    [
        (5, None, False, True, ("5", None, "group")),
        (7, 5, True, True, ("5", "7", "group")),
        (9, None, False, False, ("9", None, "private")),
        (7, None, True, True, ("7", None, "group")),
    ],
    ids=["channel", "thread", "dm", "thread-without-parent"],
)
def test_chat_address(
    channel: int,
    parent: int | None,
    is_thread: bool,
    in_guild: bool,
    expected: tuple[str, str | None, str],
) -> None:
    """A thread subscribes under its parent channel; a DM is a private chat."""
    address = chat_address(channel, parent_id=parent, is_thread=is_thread, in_guild=in_guild)
    assert (address.target.chat, address.target.thread, address.kind) == expected


@pytest.mark.parametrize(
    ("action", "sub", "expected"),
    [("pause", 12, "newsbot:pause:12"), ("unsub", 3, "newsbot:unsub:3")],
    ids=["pause", "unsub"],
)
def test_button_ids_are_stable(action: str, sub: int, expected: str) -> None:
    """Custom ids name only the action and the subscription, so they work after restarts."""
    assert button_id(action, sub) == expected


def test_reply_parts_fit_a_message() -> None:
    """Long replies are cut into messages of at most 2,000 characters, escaped."""
    parts = reply_parts("\n".join(f"#{i} xiaomi*" for i in range(400)))
    assert len(parts) > 1
    assert all(len(part) <= 2000 for part in parts)
    assert parts[0].startswith("\\#0 xiaomi\\*")


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [
        ("sqlite+aiosqlite:///data/newsbot.db", "data/newsbot.discord-commands.json"),
        ("sqlite+aiosqlite:////srv/bot/x.sqlite", "/srv/bot/x.discord-commands.json"),
        ("sqlite+aiosqlite://", None),
        ("sqlite+aiosqlite:///:memory:", None),
        ("postgresql+asyncpg://u@db/newsbot", None),
    ],
    ids=["default", "absolute", "no-file", "memory", "not-sqlite"],
)
def test_sync_record_path(database_url: str, expected: str | None) -> None:
    """The command hash lives next to a SQLite file; without one every start syncs."""
    path = sync_record_path(database_url)
    assert (str(path) if path else None) == expected


def test_sync_record_remembers_per_application(tmp_path: Path) -> None:
    """A stored hash matches only the same definition of the same application."""
    record = SyncRecord(tmp_path / "sub" / "x.discord-commands.json")
    assert not record.matches(1, "abc")
    record.remember(1, "abc")
    assert record.matches(1, "abc")
    assert not record.matches(1, "abd")
    assert not record.matches(2, "abc")

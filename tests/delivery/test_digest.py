"""Digest messages: heading, order, one block per story, cuts only at the platform's limit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.delivery.digest import (
    DigestStory,
    digest_heading,
    digest_topic,
    order_stories,
    render_digest_plain,
    split_blocks,
)
from bot.platforms.discord.embeds import MESSAGE_LIMIT as DISCORD_LIMIT
from bot.platforms.discord.embeds import digest_messages
from bot.platforms.telegram._render import _visible_units, digest_html, utf16_len

T0 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
DAY = date(2026, 12, 1)


def story(n: int, *sources: str, minutes: int = 0, summary: str = "") -> DigestStory:
    """A digest story seen `minutes` after T0, reported by `sources`."""
    return DigestStory(
        title=f"Xiaomi story {n}",
        link=f"https://example.com/{n}",
        sources=sources or ("heise online",),
        summary=summary or f"Xiaomi did thing {n}. More detail follows here.",
        first_seen_at=T0 + timedelta(minutes=minutes),
        language="en",
    )


@pytest.mark.parametrize(
    ("language", "topic", "expected"),
    [
        ("de", "Xiaomi", "Ihre Xiaomi-Nachrichten vom 1. Dezember"),
        ("en", "Xiaomi", "Your Xiaomi news of December 1"),
        ("de", None, "Ihre Nachrichten vom 1. Dezember"),
        ("en", None, "Your news of December 1"),
    ],
    ids=["de-topic", "en-topic", "de-plain", "en-plain"],
)
def test_digest_heading(language: str, topic: str | None, expected: str) -> None:
    """The heading names the brand and the day in the chat's language."""
    assert digest_heading(language, topic=topic, day=DAY) == expected


@pytest.mark.parametrize(
    ("queries", "expected"),
    [
        (["xiaomi"], "Xiaomi"),
        (["iPhone"], "iPhone"),
        (["xiaomi", "Xiaomi"], "Xiaomi"),
        (['xiaomi OR "lei jun"'], None),
        (["xiaomi", "huawei"], None),
        (["redmi*"], None),
        ([], None),
    ],
    ids=["word", "keeps-case", "same-twice", "expression", "two-brands", "prefix", "none"],
)
def test_digest_topic(queries: list[str], expected: str | None) -> None:
    """Only a single plain word names the brand in the heading."""
    assert digest_topic(queries) == expected


def test_stories_most_covered_first_then_first_seen() -> None:
    """Coverage (distinct outlets) decides; ties keep the order they were first seen in."""
    one = story(1, "heise", minutes=0)
    two = story(2, "heise", "golem", "t3n", minutes=5)
    three = story(3, "golem", "golem", minutes=1)  # one outlet twice is one outlet
    four = story(4, "heise", "golem", minutes=9)
    assert [s.title for s in order_stories([one, two, three, four])] == [
        "Xiaomi story 2",
        "Xiaomi story 4",
        "Xiaomi story 1",
        "Xiaomi story 3",
    ]


def test_plain_digest_layout() -> None:
    """Heading, then per story: title, outlets, first sentence only, link."""
    (message,) = render_digest_plain(
        [story(1, "heise online", "golem.de")], "de", topic="Xiaomi", day=DAY
    )
    assert message == (
        "Ihre Xiaomi-Nachrichten vom 1. Dezember\n\n"
        "Xiaomi story 1\nheise online, golem.de\nXiaomi did thing 1.\nhttps://example.com/1"
    )


@pytest.mark.parametrize(
    ("blocks", "limit", "expected"),
    [
        (["aaa", "bbb"], 100, ["aaa\n\nbbb"]),
        (["aaa", "bbb"], 8, ["aaa\n\nbbb"]),
        (["aaa", "bbb"], 7, ["aaa", "bbb"]),
        (["aaaaa"], 2, ["aa", "aa", "a"]),
        ([], 10, []),
    ],
    ids=["fits", "exactly", "cut-between", "hard-cut-one-huge-block", "empty"],
)
def test_split_blocks(blocks: list[str], limit: int, expected: list[str]) -> None:
    """Messages are cut between blocks, and inside one only when it alone is too long."""
    assert split_blocks(blocks, limit) == expected


def test_telegram_digest_is_html_and_split_only_at_the_limit() -> None:
    """Escaped HTML with linked titles; 60 stories need a cut, each message under 4,096."""
    stories = [story(n, "heise <online>", summary="A & B. " + "x" * 200) for n in range(60)]
    messages = digest_html(stories, "en", topic="Xiaomi", day=DAY)
    assert len(messages) > 1
    assert messages[0].startswith("<b>Your Xiaomi news of December 1</b>\n\n")
    assert '<b><a href="https://example.com/0">Xiaomi story 0</a></b>' in messages[0]
    assert "<i>heise &lt;online&gt;</i>\nA &amp; B." in messages[0]
    assert all(_visible_units(m) <= 4096 for m in messages)
    # Cut only where needed: each message but the last could not take the next story.
    assert all(_visible_units(m) > 4096 - 400 for m in messages[:-1])
    assert sum(m.count("<a href") for m in messages) == 60


def test_visible_units_ignore_tags_and_count_entities_once() -> None:
    """Telegram's limit counts what is shown, not the markup."""
    assert _visible_units('<b><a href="x">Tom &amp; Jerry</a></b>') == utf16_len("Tom & Jerry")


def test_discord_digest_is_markdown_within_2000() -> None:
    """Linked bold titles without previews, escaped text, no message over 2,000 characters."""
    stories = [story(n, "golem_de", summary="**Loud** news. Then more.") for n in range(30)]
    messages = digest_messages(stories, "de", topic=None, day=DAY)
    assert len(messages) > 1
    assert messages[0].startswith("**Ihre Nachrichten vom 1. Dezember**")
    assert (
        "**[Xiaomi story 0](<https://example.com/0>)**\n*golem\\_de*\n\\*\\*Loud\\*\\* news."
        in (messages[0])
    )
    assert all(len(m) <= DISCORD_LIMIT for m in messages)

"""Alerts as Telegram HTML messages: escaping, layout, the 4,096 limit and the buttons' data.

Pure functions only; the platform sends what these return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape, unescape
from typing import Literal

from bot.delivery.digest import (
    DigestStory,
    digest_heading,
    order_stories,
    source_names,
    split_blocks,
)
from bot.delivery.render import AlertText

MESSAGE_LIMIT = 4096  # Telegram counts the text after entity parsing
TITLE_LIMIT = 512  # a title longer than this is a broken feed, not a headline
ELLIPSIS = "…"

ButtonAction = Literal["pause", "unsubscribe"]
_ACTION_CODES: dict[ButtonAction, str] = {"pause": "p", "unsubscribe": "u"}
_CODE_ACTIONS: dict[str, ButtonAction] = {code: action for action, code in _ACTION_CODES.items()}
_CALLBACK = re.compile(r"([a-z]):(\d{1,18})")
# A sentence ends at . ! ? or … (optionally closed by a quote or bracket) before a space.
_SENTENCE_END = re.compile(r"[.!?…][\"'»“”’)\]]*(?=\s)")
_TAG = re.compile(r"<[^>]+>")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def _cut_units(text: str, units: int) -> str:
    """The longest prefix of `text` that fits in `units` UTF-16 code units."""
    if utf16_len(text) <= units:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > units:
            break
        out.append(char)
        used += size
    return "".join(out)


def shorten_at_sentence(text: str, max_units: int) -> str:
    """`text` if it fits, else its longest run of whole sentences that does, else whole words.

    A cut that is not at a sentence end gets an ellipsis; the result always fits `max_units`.
    """
    if utf16_len(text) <= max_units:
        return text
    if max_units <= 0:
        return ""
    room = _cut_units(text, max_units)
    # `room` is followed by more text, so a sentence end at its very end also counts.
    ends = [found.end() for found in _SENTENCE_END.finditer(room + " ")]
    if ends and ends[-1] > 0:
        return room[: ends[-1]].rstrip()
    room = _cut_units(text, max_units - 1)
    at_word_end = len(room) < len(text) and text[len(room)].isspace()
    if not at_word_end and " " in room.strip():
        room = room.rsplit(None, 1)[0]
    return room.rstrip(" ,;:-–—") + ELLIPSIS


@dataclass(frozen=True, slots=True)
class AlertMessage:
    """One alert ready for sendMessage: HTML, its plain-text twin and the preview URL."""

    html: str
    plain: str
    link: str


def alert_message(text: AlertText, *, limit: int = MESSAGE_LIMIT) -> AlertMessage:
    """Lay out an alert (title linked, summary, source line with time, matched words).

    Every inserted field is escaped; the summary (then the title) is shortened at a sentence
    boundary so that the visible text never exceeds `limit`.
    """
    title = shorten_at_sentence(text.title, TITLE_LIMIT) or text.link
    tail = [line for line in (text.source_line, text.also_line, text.matched_line) if line]
    fixed = utf16_len(title) + sum(utf16_len(line) + 1 for line in tail)
    # Two blank-line separators around the summary: four newlines.
    summary_room = limit - fixed - 4
    summary = shorten_at_sentence(text.summary, max(summary_room, 0))
    if summary_room < 0:
        title = shorten_at_sentence(title, max(limit - (fixed - utf16_len(title)) - 4, 1))
    head_html = f'<b><a href="{escape(text.link, quote=True)}">{escape(title)}</a></b>'
    tail_html = [f"<i>{escape(tail[0])}</i>", *(escape(line) for line in tail[1:])]
    if text.also_line:
        # The outlets' names link to their own reports.
        tail_html[tail.index(text.also_line)] = text.also_linked(
            lambda r: (
                f'<a href="{escape(r.link, quote=True)}">{escape(r.source)}</a>'
                if r.link
                else escape(r.source)
            ),
            escape,
        )
    html_blocks = [head_html, escape(summary), "\n".join(tail_html)]
    plain_blocks = [f"{title}\n{text.link}" if text.link else title, summary, "\n".join(tail)]
    html = "\n\n".join(block for block in html_blocks if block)
    plain = "\n\n".join(block for block in plain_blocks if block)
    return AlertMessage(html=html, plain=_cut_units(plain, limit), link=text.link)


def callback_data(action: ButtonAction, subscription_id: int) -> str:
    """The button payload (`p:12`, `u:12`); well inside Telegram's 64 bytes."""
    return f"{_ACTION_CODES[action]}:{subscription_id}"


def parse_callback_data(data: str | None) -> tuple[ButtonAction, int] | None:
    """Read a button payload back; None for anything we did not write."""
    found = _CALLBACK.fullmatch(data or "")
    if found is None or found.group(1) not in _CODE_ACTIONS:
        return None
    return _CODE_ACTIONS[found.group(1)], int(found.group(2))


def toast(text: str, limit: int = 200) -> str:
    """A callback answer: Telegram shows at most 200 characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + ELLIPSIS


def digest_block_html(story: DigestStory) -> str:
    """One digest story: linked bold title, outlets in italics, one sentence; all escaped."""
    title = shorten_at_sentence(" ".join(story.title.split()), TITLE_LIMIT) or story.link
    names = source_names(story)
    lines = [
        f'<b><a href="{escape(story.link, quote=True)}">{escape(title)}</a></b>',
        f"<i>{escape(names)}</i>" if names else "",
        escape(story.sentence),
    ]
    return "\n".join(line for line in lines if line)


def digest_html(
    stories: Sequence[DigestStory],
    language: str,
    *,
    topic: str | None,
    day: date,
    limit: int = MESSAGE_LIMIT,
) -> list[str]:
    """A digest as few HTML messages as Telegram's limit allows, cut only between stories.

    Telegram counts the text after entity parsing, so the tags do not count towards
    `limit`; measuring the visible text keeps every cut where the platform would need it.
    """
    heading = f"<b>{escape(digest_heading(language, topic=topic, day=day))}</b>"
    blocks = [heading, *(digest_block_html(story) for story in order_stories(stories))]
    return split_blocks(blocks, limit, measure=_visible_units)


def _visible_units(html: str) -> int:
    """The UTF-16 length of what Telegram shows of `html` (tags out, entities decoded)."""
    return utf16_len(unescape(_TAG.sub("", html)))

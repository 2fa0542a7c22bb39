"""Alert embeds and safe text for Discord: pure decisions, no I/O.

Feed text is untrusted: `@everyone`, `<@&role>` or `**bold**` in a headline must show as
typed, never ping and never format. `allowed_mentions` none on every message already stops
pings; defusing the text as well keeps mentions from rendering as pills and keeps the text
harmless if it is ever sent without that guard (a proxy, a future webhook path).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from discord.utils import escape_markdown

from bot.commands.request import Reply
from bot.delivery.digest import (
    DigestStory,
    digest_heading,
    order_stories,
    source_names,
    split_blocks,
)
from bot.delivery.render import AlertText, alert_text
from bot.i18n import translate
from bot.model import Alert

# Discord's documented embed limits.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
MESSAGE_LIMIT = 2000

ZERO_WIDTH_SPACE = "\u200b"
ELLIPSIS = "…"

# @everyone, @here, and the markup of user (<@1>, <@!1>), role (<@&1>) and channel (<#1>) mentions.
_MENTION = re.compile(r"@(?=everyone|here)|<(?=[@#][!&]?\d)", re.IGNORECASE)
# A sentence ends at . ! ? or … (optionally closed by a quote or bracket) followed by a space.
# German quotes close with “ or ‘, English ones with ” or ’, French-style ones with » or «.
_SENTENCE_END = re.compile(r"[.!?…][\"'“”‘’»«)\]]?(?=\s)")
# A cut sentence must keep at least this share of the limit, else a word boundary is used.
_MIN_KEPT = 0.5


def defuse_mentions(text: str) -> str:
    """Break every mention so it shows as typed and can never ping (zero-width space)."""
    return _MENTION.sub(lambda found: found.group(0) + ZERO_WIDTH_SPACE, text)


def markdown_safe(text: str) -> str:
    """Defused mentions and escaped markdown: untrusted text shown exactly as written."""
    return escape_markdown(defuse_mentions(text))


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole sentence where one ends late enough.

    Without a sentence end in the second half, the cut falls between words and an ellipsis
    marks it; a single endless word is cut hard.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return text
    window = text[: limit - 1]
    ends = [found.end() for found in _SENTENCE_END.finditer(text[: limit + 1])]
    if ends and ends[-1] >= limit * _MIN_KEPT:
        return text[: ends[-1]]
    space = window.rfind(" ")
    if space >= limit * _MIN_KEPT:
        return window[:space].rstrip() + ELLIPSIS
    return window + ELLIPSIS


def fit(text: str, limit: int, *, markdown: bool = True) -> str:
    """`text` made safe for Discord and shortened so that the safe form fits in `limit`."""
    safe = markdown_safe if markdown else defuse_mentions
    budget = limit
    while True:
        result = safe(shorten(text, budget))
        if len(result) <= limit or budget <= 1:
            return result[:limit]
        # Escapes lengthen the text: shrink the raw budget by the overshoot and cut again.
        budget = max(1, budget - (len(result) - limit))


@dataclass(frozen=True, slots=True)
class EmbedParts:
    """The texts of one alert embed, each within its limit and all within 6,000."""

    title: str
    url: str
    description: str
    footer: str
    timestamp: datetime | None
    matched_name: str
    matched_value: str
    also_name: str = ""
    also_value: str = ""

    def total(self) -> int:
        """The characters Discord counts towards the embed total."""
        fields = len(self.matched_name) + len(self.matched_value) if self.matched_value else 0
        if self.also_value:
            fields += len(self.also_name) + len(self.also_value)
        return len(self.title) + len(self.description) + len(self.footer) + fields


def also_field(text: AlertText) -> tuple[str, str]:
    """The "Also reported by" field: name and value, each outlet linked to its report, as
    many as fit Discord's field limit (the rest counted as `+N`)."""
    if not text.also:
        return "", ""
    name = text.also_label.rstrip(" :")
    links = [
        f"[{markdown_safe(r.source)}]({r.link})" if _linkable(r.link) else markdown_safe(r.source)
        for r in text.also
    ]
    more = text.also_more
    while links:
        value = ", ".join(links) + (f" +{more}" if more else "")
        if len(value) <= FIELD_VALUE_LIMIT:
            return name, value
        links.pop()
        more += 1
    return name, f"+{more}"


def _linkable(link: str) -> bool:
    # A link with a bracket or space would break the markdown link; show the name alone.
    return link.startswith(("http://", "https://")) and not any(c in link for c in " ()<>")


def alert_embed(alert: Alert, language: str) -> EmbedParts:
    """Arrange an alert as an embed: linked title, summary, matched words, source in the footer."""
    text = alert_text(alert, language)
    title = fit(text.title, TITLE_LIMIT)
    # Discord shows the embed's timestamp in each reader's own zone; a time in the footer
    # as well would be a second, conflicting one, so the footer names the source only.
    source = translate(language, "alert.source", source=alert.source)
    footer = fit(source, FOOTER_LIMIT, markdown=False)  # footers show no markdown
    matched_name = translate(language, "dc.embed.matched") if alert.matched else ""
    matched_value = fit(", ".join(alert.matched), FIELD_VALUE_LIMIT)
    also_name, also_value = also_field(text)
    used = (
        len(title)
        + len(footer)
        + len(matched_name)
        + len(matched_value)
        + len(also_name)
        + len(also_value)
    )
    room = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - used)
    description = fit(text.summary, room) if room > 0 and text.summary else ""
    return EmbedParts(
        title=title,
        url=text.link,
        description=description,
        footer=footer,
        timestamp=alert.published,
        matched_name=matched_name,
        matched_value=matched_value,
        also_name=also_name,
        also_value=also_value,
    )


def reply_parts(text: str) -> list[str]:
    """A command reply made safe and cut into messages of at most 2,000 characters."""
    return Reply(markdown_safe(text), "").parts(MESSAGE_LIMIT)


def digest_block(story: DigestStory) -> str:
    """One digest story in markdown: linked bold title, outlets in italics, one sentence.

    The link is wrapped in <> so that Discord does not unfurl a preview for every story.
    """
    title = fit(" ".join(story.title.split()), TITLE_LIMIT)
    names = source_names(story)
    lines = [
        # A ")" or ">" in the address would end the markdown link early.
        f"**[{title}](<{story.link.replace(')', '%29').replace('>', '%3E')}>)**",
        f"*{markdown_safe(names)}*" if names else "",
        markdown_safe(story.sentence),
    ]
    return "\n".join(line for line in lines if line)


def digest_messages(
    stories: Sequence[DigestStory], language: str, *, topic: str | None, day: date
) -> list[str]:
    """A digest as few messages of at most 2,000 characters as possible, cut between stories."""
    heading = f"**{markdown_safe(digest_heading(language, topic=topic, day=day))}**"
    blocks = [heading, *(digest_block(story) for story in order_stories(stories))]
    return split_blocks(blocks, MESSAGE_LIMIT)

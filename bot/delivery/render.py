"""Turn an Alert into text for people: the pure part of delivery, the same for every platform."""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import format_datetime, translate
from bot.model import Alert


@dataclass(frozen=True, slots=True)
class AlertText:
    """The localised pieces of an alert; platforms arrange and escape them their own way."""

    title: str
    summary: str
    source_line: str
    matched_line: str
    link: str


def alert_text(alert: Alert, language: str) -> AlertText:
    """Localise an alert's labels and date for a chat that reads `language`."""
    if alert.published is not None:
        published = format_datetime(alert.published, language)
        source_line = translate(
            language, "alert.source_dated", source=alert.source, published=published
        )
    else:
        source_line = translate(language, "alert.source", source=alert.source)
    matched_line = (
        translate(language, "alert.matched", words=", ".join(alert.matched))
        if alert.matched
        else ""
    )
    return AlertText(
        title=_one_line(alert.title),
        summary=_one_line(alert.summary),
        source_line=_one_line(source_line),
        matched_line=_one_line(matched_line),
        link=alert.link,
    )


def render_plain(alert: Alert, language: str) -> str:
    """The console and `check` form: one block of lines, never a blank line inside."""
    text = alert_text(alert, language)
    lines = [text.title, text.summary, text.source_line, text.matched_line, text.link]
    return "\n".join(line for line in lines if line)


def _one_line(value: str) -> str:
    # Feed text may carry newlines; inside a block they would break the one-block contract.
    return " ".join(value.split())

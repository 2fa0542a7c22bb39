"""Turn an Alert into text for people: the pure part of delivery, the same for every platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.i18n import format_datetime, translate
from bot.model import Alert, OtherReport

# Outlets named in the "Also reported by" line; more are counted (`+3`).
MAX_ALSO_NAMES = 8


@dataclass(frozen=True, slots=True)
class AlertText:
    """The localised pieces of an alert; platforms arrange and escape them their own way."""

    title: str
    summary: str
    source_line: str
    matched_line: str
    link: str
    also_line: str = ""  # `Also reported by: Golem, The Verge` (plain; platforms link names)
    also: tuple[OtherReport, ...] = ()  # the reports named in it, in its order
    also_label: str = ""  # `Also reported by: `, for platforms that link each name
    also_more: int = 0  # outlets not named (`+N`)

    def also_linked(self, link: Callable[[OtherReport], str], escape: Callable[[str], str]) -> str:
        """The also line with each outlet's name made a link by `link` (already escaped),
        the rest escaped by `escape`; empty without other reports."""
        if not self.also:
            return ""
        names = ", ".join(link(report) for report in self.also)
        more = f" +{self.also_more}" if self.also_more else ""
        return f"{escape(self.also_label)}{names}{more}"


def also_shown(also: tuple[OtherReport, ...]) -> tuple[tuple[OtherReport, ...], int]:
    """The other reports the line names (one per outlet, first report each, at most
    MAX_ALSO_NAMES) and how many outlets are left over for the `+N`."""
    first: dict[str, OtherReport] = {}
    for report in also:
        first.setdefault(report.source, report)
    outlets = tuple(first.values())
    return outlets[:MAX_ALSO_NAMES], max(len(outlets) - MAX_ALSO_NAMES, 0)


def also_names(names: list[str], more: int) -> str:
    """`Golem, The Verge` or `Golem, …, heise +3`."""
    text = ", ".join(names)
    return f"{text} +{more}" if more else text


def alert_text(alert: Alert, language: str, zone: ZoneInfo | None = None) -> AlertText:
    """Localise an alert's labels and date for a chat that reads `language` in `zone` (UTC)."""
    if alert.published is not None:
        published = format_datetime(alert.published, language, zone)
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
    shown, more = also_shown(alert.also)
    also_line = (
        translate(
            language,
            "alert.also",
            names=also_names([_one_line(r.source) for r in shown], more),
        )
        if shown
        else ""
    )
    return AlertText(
        title=_one_line(alert.title),
        summary=_one_line(alert.summary),
        source_line=_one_line(source_line),
        matched_line=_one_line(matched_line),
        link=alert.link,
        also_line=also_line,
        also=shown,
        also_label=translate(language, "alert.also", names="") if shown else "",
        also_more=more,
    )


def render_plain(alert: Alert, language: str, zone: ZoneInfo | None = None) -> str:
    """The console and `check` form: one block of lines, never a blank line inside."""
    text = alert_text(alert, language, zone)
    lines = [
        text.title,
        text.summary,
        text.source_line,
        text.also_line,
        text.matched_line,
        text.link,
    ]
    return "\n".join(line for line in lines if line)


def render_plain_edit(alert: Alert, language: str, *, shown: int) -> str:
    """The console's form of an edit: a block `Also reported by: <outlets>` naming the
    reports added since the message, then each one's outlet and link."""
    added = alert.also[shown:]
    names = also_names(list(dict.fromkeys(_one_line(r.source) for r in added)), 0)
    lines = [translate(language, "alert.also", names=names)]
    lines += [f"{_one_line(r.source)}: {r.link}" if r.link else _one_line(r.source) for r in added]
    return "\n".join(lines)


def _one_line(value: str) -> str:
    # Feed text may carry newlines; inside a block they would break the one-block contract.
    return " ".join(value.split())

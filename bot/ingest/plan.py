"""Pure decisions of one poll's ingest: which new entries alert, and how (message or edit).

No I/O: the ingestor loads what these need from the store and hands their result back to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.model import Article
from bot.store.records import AlertContext, AlertPlan, PlannedAlert, PlannedAlso

_OLDEST = datetime.min.replace(tzinfo=UTC)

Matches = tuple[tuple[int, tuple[str, ...]], ...]  # (subscription id, matched words)


def pick_backfill(articles: Sequence[Article], positions: Sequence[int], count: int) -> list[int]:
    """The `count` newest of the given entries: by published, undated ones last, else feed order.

    Returned in the order given, so alerts go out in the feed's order.
    """
    if count <= 0:
        return []
    ranked = sorted(
        positions,
        key=lambda position: (
            -(articles[position].published or _OLDEST).timestamp(),
            position,
        ),
    )
    chosen = set(ranked[:count])
    return [position for position in positions if position in chosen]


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """A new entry that alerts: its place in the batch, its story and whom it matched.

    `story` is a stored story's id, or a negative id for a story this batch founds.
    """

    position: int
    story: int
    matches: Matches


def plan_alerts(entries: Sequence[StoryEntry], context: AlertContext) -> AlertPlan:
    """One message per subscription and story; later entries of it become edits of that
    message, unless the subscription's chat wants every article (then one message each)."""
    alerted = dict(context.alerted or {})
    planned: set[tuple[int, int]] = set()
    alerts: list[PlannedAlert] = []
    also: list[PlannedAlso] = []
    for entry in entries:
        for subscription_id, matched in entry.matches:
            if subscription_id not in context.eligible:
                continue
            key = (subscription_id, entry.story)
            if subscription_id in context.ungrouped:
                alerts.append(
                    PlannedAlert(entry.position, subscription_id, entry.story, matched, False)
                )
            elif key in alerted or key in planned:
                also.append(
                    PlannedAlso(entry.position, subscription_id, entry.story, alerted.get(key))
                )
            else:
                planned.add(key)
                alerts.append(
                    PlannedAlert(entry.position, subscription_id, entry.story, matched, True)
                )
    return AlertPlan(alerts=tuple(alerts), also=tuple(also))

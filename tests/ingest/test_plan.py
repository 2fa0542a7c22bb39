"""`plan_alerts`: who gets a new message and who an edit of the message they have."""

from __future__ import annotations

import pytest

from bot.ingest import StoryEntry, plan_alerts
from bot.store import AlertContext, PlannedAlert, PlannedAlso

XIAOMI = ("Xiaomi",)


@pytest.mark.parametrize(
    ("entries", "context", "alerts", "also"),
    [
        pytest.param(
            [StoryEntry(0, -1, ((1, XIAOMI),))],
            AlertContext(frozenset({1})),
            [PlannedAlert(0, 1, -1, XIAOMI, True)],
            [],
            id="new-story-is-a-message",
        ),
        pytest.param(
            [StoryEntry(0, 7, ((1, XIAOMI),))],
            AlertContext(frozenset({1}), alerted={(1, 7): 40}),
            [],
            [PlannedAlso(0, 1, 7, 40)],
            id="story-the-chat-has-is-an-edit",
        ),
        pytest.param(
            [StoryEntry(0, 7, ((1, XIAOMI), (2, XIAOMI)))],
            AlertContext(frozenset({1, 2}), alerted={(1, 7): 40}),
            [PlannedAlert(0, 2, 7, XIAOMI, True)],
            [PlannedAlso(0, 1, 7, 40)],
            id="known-story-first-time-for-another-subscription",
        ),
        pytest.param(
            [StoryEntry(0, -1, ((1, XIAOMI),)), StoryEntry(1, -1, ((1, XIAOMI),))],
            AlertContext(frozenset({1})),
            [PlannedAlert(0, 1, -1, XIAOMI, True)],
            [PlannedAlso(1, 1, -1, None)],
            id="two-reports-in-one-poll-message-and-edit",
        ),
        pytest.param(
            [StoryEntry(0, 7, ((1, XIAOMI),)), StoryEntry(1, 7, ((1, XIAOMI),))],
            AlertContext(frozenset({1}), ungrouped=frozenset({1}), alerted={(1, 7): 40}),
            [PlannedAlert(0, 1, 7, XIAOMI, False), PlannedAlert(1, 1, 7, XIAOMI, False)],
            [],
            id="group-off-every-article",
        ),
        pytest.param(
            [StoryEntry(0, -1, ((1, XIAOMI), (3, XIAOMI)))],
            AlertContext(frozenset({1})),
            [PlannedAlert(0, 1, -1, XIAOMI, True)],
            [],
            id="ineligible-subscription-gets-nothing",
        ),
        pytest.param(
            [StoryEntry(0, -1, ((1, XIAOMI),)), StoryEntry(1, -2, ((1, XIAOMI),))],
            AlertContext(frozenset({1})),
            [PlannedAlert(0, 1, -1, XIAOMI, True), PlannedAlert(1, 1, -2, XIAOMI, True)],
            [],
            id="two-stories-two-messages",
        ),
    ],
)
def test_plan_alerts(
    entries: list[StoryEntry],
    context: AlertContext,
    alerts: list[PlannedAlert],
    also: list[PlannedAlso],
) -> None:
    """One message per subscription and story; later reports edit it unless /group off."""
    plan = plan_alerts(entries, context)
    assert list(plan.alerts) == alerts
    assert list(plan.also) == also

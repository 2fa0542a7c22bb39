"""Prometheus metrics: one registry object per app, injected into the parts that count.

Nothing here is module-level state: `Metrics()` builds its own `CollectorRegistry`, so two
apps (or two tests) in one process never share counters, and the library's default registry
(process and GC collectors, other libraries' metrics) is never exposed by accident.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE", "FETCH_OUTCOMES", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
FETCH_OUTCOMES = ("ok", "not_modified", "error")

# Feeds answer in well under a second; slow hosts and retries reach the fetch budget (60 s).
_FETCH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
# From seconds (sent at once) to hours (a platform outage, a rate-limited chat).
_DELAY_BUCKETS = (1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0, 4 * 3600.0)
# Queue times kept for the delay histogram; beyond this the oldest are forgotten.


class Metrics:
    """Every newsbot metric, registered in a registry of its own (names prefixed `newsbot_`)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.fetches = Counter(
            "newsbot_fetches",
            "Source fetches by outcome (ok, not_modified, error).",
            ["outcome"],
            registry=registry,
        )
        self.parse_errors = Counter(
            "newsbot_parse_errors",
            "Fetched sources whose body was neither a readable feed nor an article page.",
            registry=registry,
        )
        self.items_seen = Counter(
            "newsbot_items_seen", "New items stored (first seen).", registry=registry
        )
        self.matches = Counter(
            "newsbot_matches",
            "Subscription matches on the entries of polls that brought new items.",
            registry=registry,
        )
        self.alerts_queued = Counter(
            "newsbot_alerts_queued", "Alerts written to the outbox.", registry=registry
        )
        self.alerts_sent = Counter(
            "newsbot_alerts_sent", "Alerts delivered, by platform.", ["platform"], registry=registry
        )
        self.alerts_failed = Counter(
            "newsbot_alerts_failed",
            "Alerts given up for good (the subscription was deactivated), by platform.",
            ["platform"],
            registry=registry,
        )
        self.outbox_depth = Gauge(
            "newsbot_outbox_depth",
            "Alerts not yet delivered (pending or sending), read at scrape time.",
            registry=registry,
        )
        self.platform_up = Gauge(
            "newsbot_platform_up",
            "1 when the platform reports itself able to send, read at scrape time.",
            ["platform"],
            registry=registry,
        )
        self.fetch_duration = Histogram(
            "newsbot_fetch_duration_seconds",
            "Time to fetch one source, redirects and retries included.",
            buckets=_FETCH_BUCKETS,
            registry=registry,
        )
        self.alert_delay = Histogram(
            "newsbot_alert_delay_seconds",
            "Time from an item first seen (its alert queued) to its alert sent.",
            buckets=_DELAY_BUCKETS,
            registry=registry,
        )
        for outcome in FETCH_OUTCOMES:
            self.fetches.labels(outcome=outcome)  # export zeros before the first fetch

    def queued(self, count: int) -> None:
        """Alerts were written to the outbox."""
        self.alerts_queued.inc(count)

    def sent(self, platform: str, *, first_seen: datetime, at: datetime) -> None:
        """An alert was delivered; its delay runs from its article's first sighting, which
        the store keeps, so alerts queued before a restart are measured too."""
        self.alerts_sent.labels(platform=platform).inc()
        self.alert_delay.observe(max((at - first_seen).total_seconds(), 0.0))

    def failed(self, platform: str) -> None:
        """An alert was given up for good."""
        self.alerts_failed.labels(platform=platform).inc()

    def exposition(self) -> bytes:
        """The registry in Prometheus text format."""
        return generate_latest(self.registry)

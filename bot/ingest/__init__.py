"""The poll loop and per-entry processing: from a source's entries to outbox rows."""

from bot.ingest.ingestor import Ingestor, build_ingestor
from bot.ingest.plan import StoryEntry, pick_backfill, plan_alerts
from bot.ingest.poller import Poller
from bot.ingest.process import EntryProcessor, ProcessedEntry, Processor, history
from bot.ingest.stories import STORY_WINDOW, Assignment, StoryAssigner
from bot.ingest.subscriptions import Matches, SubscriptionIndex

__all__ = [
    "STORY_WINDOW",
    "Assignment",
    "EntryProcessor",
    "Ingestor",
    "Matches",
    "Poller",
    "ProcessedEntry",
    "Processor",
    "StoryAssigner",
    "StoryEntry",
    "SubscriptionIndex",
    "build_ingestor",
    "history",
    "pick_backfill",
    "plan_alerts",
]

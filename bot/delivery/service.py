"""Delivery workers: take pending outbox rows, condense and render them, send, record."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from bot.condense import Condenser
from bot.delivery.platform import (
    AlertSender,
    ChatMigratedError,
    EditRefusedError,
    Outgoing,
    PermanentDeliveryError,
    RejectedAlertError,
    TransientDeliveryError,
)
from bot.delivery.policy import retry_delay
from bot.metrics import Metrics
from bot.model import Article, Target
from bot.store import OutboxJob, Store, StoreError
from bot.wakeup import Wakeup

log = logging.getLogger(__name__)

IDLE_WAKE = 30.0  # look at the outbox at least this often even without a wake-up
STORE_RETRY = 5.0  # seconds to wait out a store error before trying again
DISABLED_PLATFORM_DELAY = timedelta(minutes=10)


class DeliveryService:
    """Owns the loop from the outbox to the platforms; one instance per app.

    Alerts of one chat are sent one after another (order kept, and platforms rate-limit
    per chat); different chats are served concurrently up to `concurrency`.
    """

    def __init__(
        self,
        store: Store,
        senders: Mapping[str, AlertSender],
        condenser: Condenser,
        *,
        default_language: str,
        default_timezone: str = "UTC",
        clock: Callable[[], datetime],
        concurrency: int = 16,
        batch: int = 100,
        metrics: Metrics | None = None,
    ) -> None:
        self._store = store
        self._senders = senders
        self._condenser = condenser
        self._default_language = default_language
        self._default_timezone = default_timezone
        self._clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._batch = batch
        self._metrics = metrics
        self._wakeup = Wakeup(idle=IDLE_WAKE)
        self.sent = 0
        self.edited = 0
        self.failed = 0

    def wake(self) -> None:
        """New rows are in the outbox: look now instead of at the next idle wake-up."""
        self._wakeup.wake()

    def stop(self) -> None:
        """Claim nothing more; sends in flight finish, unstarted jobs go back to pending."""
        self._wakeup.stop()

    async def run(self) -> None:
        """Deliver until stopped."""
        while not self._wakeup.stopping:
            self._wakeup.begin_turn()
            try:
                jobs = await self._store.claim_outbox(now=self._clock(), limit=self._batch)
                if jobs:
                    await self.deliver(jobs)
                    continue
                due = await self._store.next_outbox_due_at()
                await self._wakeup.sleep_until(due, self._clock())
            except* StoreError as group:
                # Alerts stay in the outbox; a locked or unreachable database is waited out.
                log.error("store unavailable to delivery, retrying: %s", group.exceptions[0])
                await asyncio.sleep(STORE_RETRY)

    async def deliver(self, jobs: Sequence[OutboxJob]) -> None:
        """Send claimed jobs: chats concurrently, each chat's alerts in order."""
        by_chat: dict[tuple[str, str], list[OutboxJob]] = defaultdict(list)
        for job in jobs:
            by_chat[(job.platform, job.chat_id)].append(job)
        async with asyncio.TaskGroup() as group:
            for chat_jobs in by_chat.values():
                group.create_task(self._deliver_chat(chat_jobs))

    async def _deliver_chat(self, jobs: list[OutboxJob]) -> None:
        """One chat's claimed rows in order; after a row that must wait, the rest wait too
        (released, they stay behind it in the chat's queue)."""
        async with self._slots:
            for position, job in enumerate(jobs):
                if self._wakeup.stopping:
                    await self._release(jobs[position:])
                    return
                if not await self._deliver_one(job):
                    await self._release(jobs[position + 1 :])
                    return

    async def _release(self, jobs: Sequence[OutboxJob]) -> None:
        for job in jobs:
            await self._store.mark_retry(
                job.outbox_id, error="not sent before shutdown", next_attempt_at=self._clock()
            )

    async def _deliver_one(self, job: OutboxJob) -> bool:
        """Send or edit one row; False when it waits for a retry (and its chat with it)."""
        sender = self._senders.get(job.platform)
        if sender is None:
            await self._store.mark_retry(
                job.outbox_id,
                error=f"{job.platform} is not enabled (no token set)",
                next_attempt_at=self._clock() + DISABLED_PLATFORM_DELAY,
            )
            return False
        context = {"chat": f"{job.platform}:{job.chat_id}", "subscription": job.subscription_id}
        outgoing = self.outgoing(job)
        try:
            if outgoing.is_edit:
                await sender.edit_alert(outgoing)
                message_id = job.message_id
            else:
                message_id = await sender.send_alert(outgoing)
        except TransientDeliveryError as exc:
            await self._retry(job, str(exc), exc.retry_after)
            return False
        except EditRefusedError as exc:
            log.info("message cannot be edited, edit dropped: %s", exc.reason, extra=context)
            await self._store.mark_edit_refused(job.outbox_id, error=exc.reason, now=self._clock())
        except ChatMigratedError as exc:
            moved = await self._store.migrate_chat(job.platform, job.chat_id, exc.new_chat_id)
            log.info(
                "chat migrated to %s (%d subscriptions)", exc.new_chat_id, moved, extra=context
            )
            await self._store.mark_retry(
                job.outbox_id, error=str(exc), next_attempt_at=self._clock()
            )
            return False
        except RejectedAlertError as exc:
            log.warning("alert refused, dropping it: %s", exc.reason, extra=context)
            await self._store.mark_failed(job.outbox_id, error=exc.reason, now=self._clock())
            self.failed += 1
            if self._metrics is not None:
                self._metrics.failed(job.platform)
        except PermanentDeliveryError as exc:
            log.warning("deactivating subscription: %s", exc.reason, extra=context)
            await self._store.mark_failed(job.outbox_id, error=exc.reason, now=self._clock())
            await self._store.deactivate_subscription(
                job.subscription_id, reason=exc.reason, now=self._clock()
            )
            self.failed += 1
            if self._metrics is not None:
                self._metrics.failed(job.platform)
        except Exception as exc:
            # An unknown failure is treated as transient: retrying loses nothing, dropping would.
            log.exception("unexpected error sending an alert", extra=context)
            await self._retry(job, f"{type(exc).__name__}: {exc}", None)
            return False
        else:
            await self._store.mark_sent(
                job.outbox_id, message_id=message_id, now=self._clock(), revision=len(job.also)
            )
            if outgoing.is_edit:
                self.edited += 1
            else:
                self.sent += 1
                if self._metrics is not None:
                    self._metrics.sent(job.platform, first_seen=job.first_seen_at, at=self._clock())
        return True

    async def _retry(self, job: OutboxJob, error: str, retry_after: float | None) -> None:
        delay = retry_delay(job.attempts, retry_after=retry_after)
        log.info(
            "alert %d will be retried in %.0f s: %s",
            job.outbox_id,
            delay,
            error,
            extra={"chat": f"{job.platform}:{job.chat_id}"},
        )
        await self._store.mark_retry(
            job.outbox_id, error=error, next_attempt_at=self._clock() + timedelta(seconds=delay)
        )

    def outgoing(self, job: OutboxJob) -> Outgoing:
        """Condense the job's article for its subscription's words and wrap it for a platform."""
        article = Article(
            id=str(job.item_id),
            link=job.link,
            title=job.title,
            teaser="",
            content=job.body,
            source=job.source_name,
            published=job.published,
            language=job.item_language,
        )
        alert = self._condenser.alert(
            article,
            matched=job.matched,
            query=job.query,
            default_language=self._default_language,
            # Judged once at ingest; rows stored before that was done have none.
            judged=job.item_language is not None,
            also=job.also,
        )
        target = Target.of(job.platform, job.chat_id, job.thread_id)
        return Outgoing(
            outbox_id=job.outbox_id,
            subscription_id=job.subscription_id,
            target=target,
            language=job.language or self._default_language,
            alert=alert,
            message_id=job.message_id,
            shown=min(job.shown_revision, len(job.also)),
            timezone=job.timezone or self._default_timezone,
        )

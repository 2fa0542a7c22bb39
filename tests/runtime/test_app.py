"""`newsbot run` as a whole: real loops, a loopback feed, the console, restarts."""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest

from bot.app import App
from bot.delivery.platform import AlertSender, TransientDeliveryError
from bot.platforms.console import ConsolePlatform
from bot.settings import Settings, SourceConfig, SubscriptionConfig
from tests.fakes.feeds import FeedBehaviour, FeedItem, NewsSite
from tests.fakes.runtime import RecordingTarget
from tests.fakes.waiting import until

XIAOMI = FeedItem(
    guid="golem-137319",
    title="Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera",
    description="Das Display von Xiaomis angekündigtem Smartphone Mi Mix 3 ist nahezu randlos.",
)
LEI_JUN = FeedItem(
    guid="beispiel-2022-07-xiaomi",
    title="Xiaomi-CEO Lei Jun bestätigt weltweiten Start des 12 S Ultra-Nachfolgers",
    description="Lei Jun, CEO von Xiaomi, hat erklärt, dass der 12 S Ultra weltweit kommt.",
)
BORING = FeedItem(
    guid="heise-4211",
    title="Bundesnetzagentur versteigert Frequenzen für 5G",
    description="Die Auktion der Frequenzen für den neuen Mobilfunkstandard beginnt im März.",
)


def _settings(tmp_path: Path, site: NewsSite) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'newsbot.db'}",
        poll_interval=1,
        http_port=0,
        language="de",
        sources=(SourceConfig(name="Golem", url=site.url("golem")),),
        subscriptions=(
            SubscriptionConfig.model_validate(
                {"target": "console", "query": 'xiaomi OR "lei jun"', "language": "de"}
            ),
        ),
    )


class _Running:
    """An App running in the background until `stop()`."""

    def __init__(
        self, settings: Settings, senders: dict[str, AlertSender], shutdown_grace: float = 5.0
    ) -> None:
        self.app = App(settings, senders=senders, shutdown_grace=shutdown_grace)
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(self.app.run(self.stop_event))

    async def stop(self) -> None:
        self.stop_event.set()
        async with asyncio.timeout(10):
            await self.task


async def test_new_item_reaches_the_console_once(tmp_path: Path) -> None:
    """Baseline first; a new matching item is printed as one German block, never twice."""
    out = io.StringIO()
    async with NewsSite() as site:
        site.publish("golem", BORING)
        running = _Running(_settings(tmp_path, site), {"console": ConsolePlatform(out)})
        await until(lambda: site.requests.get("golem", 0) >= 1)
        site.publish("golem", LEI_JUN)
        await until(lambda: "Quelle:" in out.getvalue())
        polls = site.requests["golem"]
        await until(lambda: site.requests["golem"] >= polls + 2)
        await running.stop()
    text = out.getvalue()
    assert text.count(LEI_JUN.title) == 1
    assert BORING.title not in text
    block = text.strip().splitlines()
    assert block[0] == LEI_JUN.title
    assert block[-1].endswith(f"/{LEI_JUN.guid}")


async def test_restart_alerts_what_was_published_while_stopped(tmp_path: Path) -> None:
    """A known source is not re-baselined: news from the downtime is alerted after start."""
    out = io.StringIO()
    async with NewsSite() as site:
        site.publish("golem", BORING)
        first = _Running(_settings(tmp_path, site), {"console": ConsolePlatform(out)})
        # A second request means the first poll (the baseline) was recorded: polls of one
        # source never overlap. Stopping earlier could cut the baseline off, rightly.
        await until(lambda: site.requests.get("golem", 0) >= 2)
        await first.stop()
        site.publish("golem", XIAOMI)
        second = _Running(_settings(tmp_path, site), {"console": ConsolePlatform(out)})
        await until(lambda: XIAOMI.title in out.getvalue())
        polls = site.requests["golem"]
        await until(lambda: site.requests["golem"] >= polls + 1)
        await second.stop()
        third = _Running(_settings(tmp_path, site), {"console": ConsolePlatform(out)})
        polls = site.requests["golem"]
        await until(lambda: site.requests["golem"] >= polls + 2)
        await third.stop()
    assert out.getvalue().count(XIAOMI.title) == 1


async def test_alert_that_failed_before_a_stop_goes_out_after_restart(tmp_path: Path) -> None:
    """An outage at stop time leaves the alert in the outbox; the next run delivers it."""
    failing = RecordingTarget(failures=[TransientDeliveryError("HTTP 502", retry_after=1.0)])
    async with NewsSite() as site:
        first = _Running(_settings(tmp_path, site), {"console": failing})
        await until(lambda: site.requests.get("golem", 0) >= 1)
        site.publish("golem", LEI_JUN)
        await until(lambda: not failing.failures)  # the send was tried and failed
        await first.stop()
        assert failing.sent == []

        working = RecordingTarget()
        second = _Running(_settings(tmp_path, site), {"console": working})
        await until(lambda: bool(working.sent))
        await second.stop()
    assert working.titles() == [LEI_JUN.title]


class _Hanging:
    """A platform whose sends never finish, like a send in flight at a crash."""

    name = "console"

    def __init__(self) -> None:
        self.started = 0

    async def send_alert(self, outgoing: object) -> str | None:
        self.started += 1
        await asyncio.Event().wait()
        return None

    async def edit_alert(self, outgoing: object) -> None:
        self.started += 1
        await asyncio.Event().wait()


async def test_send_in_flight_at_stop_is_sent_after_restart(tmp_path: Path) -> None:
    """A send cut off by shutdown stays in the outbox and is delivered by the next run."""
    hanging = _Hanging()
    async with NewsSite() as site:
        settings = _settings(tmp_path, site)
        first = _Running(settings, {"console": hanging}, shutdown_grace=0.2)
        await until(lambda: site.requests.get("golem", 0) >= 1)
        site.publish("golem", XIAOMI)
        await until(lambda: hanging.started == 1)
        await first.stop()

        working = RecordingTarget()
        second = _Running(settings, {"console": working})
        await until(lambda: bool(working.sent))
        polls = site.requests["golem"]
        await until(lambda: site.requests["golem"] >= polls + 2)
        await second.stop()
    assert working.titles() == [XIAOMI.title]


async def test_stop_is_prompt(tmp_path: Path) -> None:
    """Stopping while idle ends well inside Docker's 10 s grace."""
    async with NewsSite() as site:
        running = _Running(_settings(tmp_path, site), {"console": RecordingTarget()})
        await until(lambda: site.requests.get("golem", 0) >= 1)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await running.stop()
        assert loop.time() - started < 6


async def test_paused_source_is_announced_to_the_chats_it_alerted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After its run of failures a source is paused and its chats are told, once."""
    caplog.set_level(logging.WARNING, logger="bot.platforms.console")
    async with NewsSite() as site:
        settings = _settings(tmp_path, site).model_copy(update={"pause_after_failures": 2})
        out = io.StringIO()
        running = _Running(settings, {"console": ConsolePlatform(out)})
        await until(lambda: site.requests.get("golem", 0) >= 1)
        site.publish("golem", LEI_JUN)
        await until(lambda: LEI_JUN.title in out.getvalue())
        site.behaviour["golem"] = FeedBehaviour(status=500)
        await until(lambda: any(r.name == "bot.platforms.console" for r in caplog.records))
        polls = site.requests["golem"]
        await asyncio.sleep(1.5)  # a paused source is not polled again
        assert site.requests["golem"] == polls
        await running.stop()
    notices = [r for r in caplog.records if r.name == "bot.platforms.console"]
    assert len(notices) == 1
    assert "Golem" in notices[0].getMessage()
    assert "2" in notices[0].getMessage()


async def test_restart_resumes_a_paused_config_source(tmp_path: Path) -> None:
    """A config source paused after failures is polled again after a restart."""
    async with NewsSite() as site:
        settings = _settings(tmp_path, site).model_copy(update={"pause_after_failures": 2})
        site.behaviour["golem"] = FeedBehaviour(status=500)
        first = _Running(settings, {"console": RecordingTarget()})
        await until(lambda: site.requests.get("golem", 0) >= 2)
        store = first.app.store
        assert store is not None

        async def paused() -> bool:
            return all(s.paused for s in await store.list_sources())

        async with asyncio.timeout(10):
            while not await paused():  # noqa: ASYNC110 (the app changes the store)
                await asyncio.sleep(0.05)
        await first.stop()
        site.behaviour["golem"] = FeedBehaviour()
        failed_polls = site.requests["golem"]
        second = _Running(settings, {"console": RecordingTarget()})
        await until(lambda: site.requests["golem"] > failed_polls)
        second_store = second.app.store
        assert second_store is not None
        await until(lambda: second.app.poller is not None and second.app.poller.polls >= 1)
        (source,) = await second_store.list_sources()
        await second.stop()
    assert not source.paused


async def test_alert_shows_the_configured_zone_with_uhr(tmp_path: Path) -> None:
    """With NEWSBOT_TIMEZONE=Europe/Berlin the console alert shows Berlin time with `Uhr`."""
    out = io.StringIO()
    async with NewsSite() as site:
        settings = _settings(tmp_path, site).model_copy(update={"timezone": "Europe/Berlin"})
        site.publish("golem", BORING)
        running = _Running(settings, {"console": ConsolePlatform(out)})
        await until(lambda: site.requests.get("golem", 0) >= 1)
        site.publish("golem", LEI_JUN)  # published 09:00 UTC: 10:00 in Berlin
        await until(lambda: "Quelle:" in out.getvalue())
        await running.stop()
    assert "Quelle: Golem, 25. Nov. 2026, 10:00 Uhr" in out.getvalue().splitlines()

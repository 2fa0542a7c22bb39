"""The running bot's core, one step at a time: polls of a changing loopback feed, the store,
the outbox and delivery to a recording target."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.delivery.platform import (
    PermanentDeliveryError,
    RejectedAlertError,
    TransientDeliveryError,
)
from tests.fakes.feeds import FeedBehaviour, FeedItem
from tests.fakes.runtime import Runtime, runtime

XIAOMI = FeedItem(
    guid="golem-137319",
    title="Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera",
    description=(
        "Das Display von Xiaomis angekündigtem Smartphone Mi Mix 3 ist nahezu randlos. "
        "Die Frontkamera versteckt das Gerät hinter der aufschiebbaren Schale."
    ),
)
LEI_JUN = FeedItem(
    guid="beispiel-2022-07-xiaomi",
    title="Xiaomi-CEO Lei Jun bestätigt eine weltweite Veröffentlichung des 12 S Ultra-Nachfolgers",
    description=(
        "Lei Jun, CEO von Xiaomi, hat erklärt, dass die nächste Version seines "
        "Flaggschiff-Smartphones 12 S Ultra auf den globalen Märkten erhältlich sein wird."
    ),
)
OTHER = FeedItem(
    guid="heise-4211",
    title="Bundesnetzagentur versteigert Frequenzen für 5G",
    description="Die Auktion der Frequenzen für den neuen Mobilfunkstandard beginnt im März.",
)


@pytest.fixture
async def rt(tmp_path: Path) -> AsyncIterator[Runtime]:
    """A fresh runtime per test."""
    async with runtime(tmp_path) as value:
        yield value


async def test_first_poll_is_a_baseline_then_new_items_alert_once(rt: Runtime) -> None:
    """Entries present at the first poll are recorded silently; a new one alerts once."""
    rt.site.publish("golem", OTHER)
    rt.site.publish("golem", XIAOMI)
    await rt.add_source("golem")
    await rt.subscribe('xiaomi OR "lei jun"')
    source = await rt.poll("golem")
    assert source.baselined
    assert await rt.deliver() == 0

    rt.site.publish("golem", LEI_JUN)
    await rt.poll("golem")
    assert await rt.deliver() == 1
    assert rt.target.titles() == [LEI_JUN.title]
    alert = rt.target.sent[0].alert
    assert "Xiaomi" in alert.summary
    assert alert.source == "golem"

    await rt.poll("golem")  # the same feed again: nothing new
    assert await rt.deliver() == 0
    assert len(rt.target.sent) == 1


async def test_backfill_alerts_the_newest_entries_of_a_new_source(rt: Runtime) -> None:
    """`backfill = 1` alerts the newest matching entry on the first poll."""
    rt.site.publish("golem", XIAOMI)
    rt.site.publish("golem", LEI_JUN)
    await rt.add_source("golem", backfill=1)
    await rt.subscribe("xiaomi")
    await rt.poll("golem")
    await rt.deliver()
    assert rt.target.titles() == [LEI_JUN.title]


async def test_only_matching_subscriptions_get_the_alert(rt: Runtime) -> None:
    """Each subscription is matched on its own: a non-matching one gets nothing."""
    await rt.add_source("golem")
    await rt.poll("golem")
    xiaomi = await rt.subscribe("xiaomi", chat="a")
    await rt.subscribe("samsung", chat="b")
    lei_jun = await rt.subscribe('"lei jun"', chat="c")
    rt.site.publish("golem", LEI_JUN)
    await rt.poll("golem")
    await rt.deliver()
    assert sorted(o.subscription_id for o in rt.target.sent) == [xiaomi.id, lei_jun.id]
    matched = {o.subscription_id: o.alert.matched for o in rt.target.sent}
    assert "Lei Jun" in matched[lei_jun.id]


async def test_same_story_from_a_second_source_is_not_alerted_twice(rt: Runtime) -> None:
    """Another source carrying the same link within 72 hours is the same story."""
    await rt.add_source("golem")
    await rt.add_source("heise")
    await rt.poll("golem")
    await rt.poll("heise")
    await rt.subscribe("xiaomi")
    rt.site.publish("golem", LEI_JUN)
    await rt.poll("golem")
    copy = FeedItem(
        guid="heise-copy-99",
        title=LEI_JUN.title,
        description=LEI_JUN.description,
        link=f"{rt.site.base()}/{LEI_JUN.guid}",
    )
    rt.site.publish("heise", copy)
    await rt.poll("heise")
    await rt.deliver()
    assert rt.target.titles() == [LEI_JUN.title]


async def test_near_duplicate_headline_from_a_second_source_is_one_story(rt: Runtime) -> None:
    """A syndicated copy (same headline and teaser, own link) does not alert again."""
    await rt.add_source("golem")
    await rt.add_source("heise")
    await rt.poll("golem")
    await rt.poll("heise")
    await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    syndicated = FeedItem(
        guid="syndicated-1",
        title="Update: " + XIAOMI.title,
        description=XIAOMI.description,
    )
    rt.site.publish("heise", syndicated)
    await rt.poll("heise")
    await rt.deliver()
    assert rt.target.titles() == [XIAOMI.title]


async def test_guid_change_with_the_same_link_is_the_same_item(rt: Runtime) -> None:
    """A feed that rewrites its guids does not re-alert its items."""
    await rt.add_source("golem")
    await rt.poll("golem")
    await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    rt.site.items["golem"] = [
        FeedItem(
            guid="new-guid-scheme-1",
            title=XIAOMI.title,
            description=XIAOMI.description,
            link=f"{rt.site.base()}/{XIAOMI.guid}",
        )
    ]
    await rt.poll("golem")
    await rt.deliver()
    assert rt.target.titles() == [XIAOMI.title]


async def test_subscription_made_after_an_item_was_seen_is_not_alerted(rt: Runtime) -> None:
    """An article alerts a subscription only if first seen after the subscription was made."""
    await rt.add_source("golem")
    await rt.poll("golem")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    rt.clock.advance(10)
    await rt.subscribe("xiaomi")
    await rt.poll("golem")
    assert await rt.deliver() == 0


async def test_not_modified_keeps_validators_and_ingests_nothing(rt: Runtime) -> None:
    """With an ETag the second poll is a conditional GET answered 304."""
    rt.site.behaviour["golem"] = FeedBehaviour(etag='"v1"')
    rt.site.publish("golem", XIAOMI)
    await rt.add_source("golem")
    first = await rt.poll("golem")
    assert first.etag == '"v1"'
    second = await rt.poll("golem")
    assert second.etag == '"v1"'
    assert second.consecutive_failures == 0
    assert rt.site.requests["golem"] == 2


async def test_cache_control_max_age_delays_the_next_poll(rt: Runtime) -> None:
    """A server's max-age longer than the interval pushes the next poll back."""
    rt.site.behaviour["golem"] = FeedBehaviour(max_age=3600)
    await rt.add_source("golem")
    source = await rt.poll("golem")
    assert (source.next_poll_at - rt.clock()).total_seconds() >= 3600


async def test_failing_source_backs_off_and_others_go_on(rt: Runtime) -> None:
    """A 500 is recorded with its reason and a growing delay; a healthy source still polls."""
    rt.site.behaviour["broken"] = FeedBehaviour(status=500)
    await rt.add_source("broken")
    await rt.add_source("golem")
    first = await rt.poll("broken")
    assert first.consecutive_failures == 1
    assert first.last_error is not None
    assert "500" in first.last_error
    delay1 = (first.next_poll_at - rt.clock()).total_seconds()
    second = await rt.poll("broken")
    delay2 = (second.next_poll_at - rt.clock()).total_seconds()
    assert second.consecutive_failures == 2
    assert delay2 > delay1 >= 60
    healthy = await rt.poll("golem")
    assert healthy.consecutive_failures == 0
    assert healthy.baselined

    rt.site.behaviour["broken"] = FeedBehaviour()
    recovered = await rt.poll("broken")
    assert recovered.consecutive_failures == 0
    assert recovered.last_success_at is not None


async def test_long_failure_pauses_the_source(rt: Runtime) -> None:
    """After the configured run of failures the source is paused and no longer due."""
    rt.site.behaviour["broken"] = FeedBehaviour(status=404)
    await rt.add_source("broken")
    rt.poller._pause_after = 3  # a short run for the test
    for _ in range(3):
        source = await rt.poll("broken")
    assert source.paused
    rt.clock.advance(7 * 86400)
    assert await rt.store.due_sources(rt.clock(), limit=10) == []


@pytest.mark.parametrize(
    ("status", "moved"),
    [pytest.param(301, True, id="301-moves"), pytest.param(308, True, id="308-moves"),
     pytest.param(302, False, id="302-stays"), pytest.param(307, False, id="307-stays")],
)  # fmt: skip
async def test_redirects_update_the_url_only_when_permanent(
    rt: Runtime, status: int, moved: bool
) -> None:
    """A 301/308 updates the stored URL; a 302/307 does not."""
    await rt.add_source("old")
    rt.site.behaviour["old"] = FeedBehaviour(status=status, redirect_to=rt.site.url("new"))
    rt.site.publish("new", XIAOMI)
    source = await rt.poll("old")
    assert source.url == (rt.site.url("new") if moved else rt.site.url("old"))
    assert source.consecutive_failures == 0


async def test_transient_delivery_failure_is_retried_later(rt: Runtime) -> None:
    """A platform outage leaves the alert in the outbox until a later try succeeds."""
    await rt.add_source("golem")
    await rt.poll("golem")
    await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    rt.target.failures.append(TransientDeliveryError("HTTP 502", retry_after=30))
    assert await rt.deliver() == 1
    assert rt.target.sent == []
    assert await rt.store.outbox_depth() == 1
    assert await rt.deliver() == 0  # not due yet
    rt.clock.advance(31)
    assert await rt.deliver() == 1
    assert rt.target.titles() == [XIAOMI.title]
    assert await rt.store.outbox_depth() == 0


async def test_permanent_delivery_failure_deactivates_the_subscription(rt: Runtime) -> None:
    """A blocked chat ends the subscription with the reason; nothing more is queued for it."""
    await rt.add_source("golem")
    await rt.poll("golem")
    sub = await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    rt.target.failures.append(PermanentDeliveryError("bot was blocked by the user"))
    await rt.deliver()
    (record,) = await rt.store.list_subscriptions(active_only=False)
    assert record.id == sub.id
    assert not record.active
    assert record.deactivated_reason == "bot was blocked by the user"
    assert await rt.store.outbox_depth() == 0


async def test_unexpected_sender_error_is_retried_not_lost(rt: Runtime) -> None:
    """A bug-like exception in a platform counts as transient: the alert stays queued."""
    await rt.add_source("golem")
    await rt.poll("golem")
    await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    rt.target.failures.append(RuntimeError("boom"))
    await rt.deliver()
    assert await rt.store.outbox_depth() == 1


async def test_paused_subscription_gets_nothing_and_resumes_with_new_articles(
    rt: Runtime,
) -> None:
    """Pausing queues nothing; after resuming only articles seen from then on alert."""
    await rt.add_source("golem")
    await rt.poll("golem")
    sub = await rt.subscribe("xiaomi")
    await rt.store.set_paused([sub.id], True)
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    await rt.store.set_paused([sub.id], False)
    assert await rt.deliver() == 0
    rt.site.publish("golem", LEI_JUN)
    await rt.poll("golem")
    await rt.deliver()
    assert rt.target.titles() == [LEI_JUN.title]


async def test_alert_language_follows_the_subscription(rt: Runtime) -> None:
    """Labels are in the subscription's language, the summary in the article's."""
    await rt.add_source("golem")
    await rt.poll("golem")
    await rt.subscribe("xiaomi", chat="de", language="de")
    await rt.subscribe("xiaomi", chat="en", language="en")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    await rt.deliver()
    languages = sorted((o.target.chat, o.language, o.alert.language) for o in rt.target.sent)
    assert languages == [("de", "de", "de"), ("en", "en", "de")]


async def test_refused_alert_is_dropped_and_the_subscription_stays(rt: Runtime) -> None:
    """A platform refusing one alert's content ends that alert, not the subscription."""
    await rt.add_source("golem")
    await rt.poll("golem")
    sub = await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    rt.target.failures.append(RejectedAlertError("can't parse entities"))
    await rt.deliver()
    assert await rt.store.outbox_depth() == 0
    (record,) = await rt.store.list_subscriptions()
    assert record.id == sub.id
    assert record.active
    rt.site.publish("golem", LEI_JUN)
    await rt.poll("golem")
    await rt.deliver()
    assert rt.target.titles() == [LEI_JUN.title]


ARTICLE_PAGE = """<!doctype html><html lang="de"><head><title>{title}</title></head><body>
<nav>Startseite | Mobil | Newsletter</nav><article><h1>{title}</h1>
<p>Lei Jun, CEO von Xiaomi, hat erklärt, dass die nächste Version seines
Flaggschiff-Smartphones auf den globalen Märkten erhältlich sein wird.</p>
<p>Samsung hat den US-Markt seit langem im Würgegriff und liefert weiterhin nur
iterative Updates für seine Smartphones.</p>
<p>Mit mehr Wettbewerb wären Unternehmen wie Samsung gezwungen, mehr Innovationen zu
liefern, heißt es in der Analyse weiter.</p></article><footer>Impressum</footer></body></html>"""


async def test_full_text_source_matches_and_condenses_from_the_page(rt: Runtime) -> None:
    """With `full_text`, a new entry's page is fetched: words only there match and show."""
    await rt.add_source("golem", full_text=True)
    await rt.poll("golem")  # baseline: no page is fetched for it
    await rt.subscribe("samsung")
    teaser = FeedItem(guid="xiaomi-global", title=LEI_JUN.title, description="Kurzmeldung.")
    rt.site.pages["xiaomi-global"] = ARTICLE_PAGE.format(title=LEI_JUN.title)
    rt.site.publish("golem", teaser)
    await rt.poll("golem")
    await rt.deliver()
    (sent,) = rt.target.sent
    assert "Samsung" in sent.alert.summary
    assert rt.site.requests["xiaomi-global"] == 1
    await rt.poll("golem")  # a known entry's page is not fetched again
    assert rt.site.requests["xiaomi-global"] == 1


async def test_unreadable_full_text_page_falls_back_to_the_feed_text(rt: Runtime) -> None:
    """A missing article page does not lose the entry: the feed's own text is used."""
    await rt.add_source("golem", full_text=True)
    await rt.poll("golem")
    await rt.subscribe("xiaomi")
    rt.site.publish("golem", XIAOMI)  # no page for it: 404
    await rt.poll("golem")
    await rt.deliver()
    assert rt.target.titles() == [XIAOMI.title]


ENGLISH = FeedItem(
    guid="gsmarena-71234",
    title="Xiaomi unveils the Mix Flip with a bigger cover screen",
    description=(
        "Xiaomi has announced its first flip phone, which comes with a larger cover display "
        "than most rivals and a battery that the company says lasts two full days."
    ),
)


async def test_lang_filter_judges_the_article_not_the_feed(rt: Runtime) -> None:
    """An English article in a feed declared German matches `lang:en`, not `lang:de`."""
    await rt.add_source("golem", language="de")
    await rt.poll("golem")
    english = await rt.subscribe("xiaomi lang:en", chat="en")
    await rt.subscribe("xiaomi lang:de", chat="de")
    rt.site.publish("golem", ENGLISH)
    rt.site.publish("golem", XIAOMI)
    await rt.poll("golem")
    await rt.deliver()
    routed = sorted((o.target.chat, o.alert.title) for o in rt.target.sent)
    assert routed == [("de", XIAOMI.title), ("en", ENGLISH.title)]
    assert english.id in {o.subscription_id for o in rt.target.sent}

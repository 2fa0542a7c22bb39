"""Stories end to end below the platforms: grouping on and off, edits across a crash."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.runtime import Runtime, runtime
from tests.fakes.stories import BORING, GOLEM, HEISE


async def _two_outlets(rt: Runtime, *, grouping: bool = True) -> None:
    await rt.add_source("golem")
    await rt.add_source("heise")
    sub = await rt.subscribe("xiaomi")
    if not grouping:
        await rt.store.set_chat_grouping(sub.platform, sub.chat_id, False, now=rt.clock())
    for name in ("golem", "heise"):
        rt.site.publish(name, BORING)
        await rt.poll(name)  # baselines


async def _golem_then_heise(rt: Runtime) -> None:
    """Golem's report is polled and sent, then heise's report of the story is polled."""
    await _two_outlets(rt)
    rt.site.publish("golem", GOLEM)
    await rt.poll("golem")
    await rt.deliver()
    rt.site.publish("heise", HEISE)
    await rt.poll("heise")


async def test_second_outlet_edits_the_first_message(tmp_path: Path) -> None:
    """Two outlets, one story: one message, then one edit naming the second outlet."""
    async with runtime(tmp_path) as rt:
        await _golem_then_heise(rt)
        await rt.deliver()
    assert rt.target.titles() == [GOLEM.title]
    (edit,) = rt.target.edits
    assert edit.message_id == "m1"
    assert [r.source for r in edit.alert.also] == ["heise"]
    assert edit.shown == 0


async def test_group_off_sends_every_article(tmp_path: Path) -> None:
    """/group off: each outlet's report is a message of its own, nothing is edited."""
    async with runtime(tmp_path) as rt:
        await _two_outlets(rt, grouping=False)
        rt.site.publish("golem", GOLEM)
        rt.site.publish("heise", HEISE)
        await rt.poll("golem")
        await rt.poll("heise")
        await rt.deliver()
        await rt.deliver()
    assert rt.target.titles() == [GOLEM.title, HEISE.title]
    assert rt.target.edits == []


async def test_edit_queued_before_a_crash_arrives_once_after_restart(tmp_path: Path) -> None:
    """The edit is persisted before it is sent: a crash with it claimed (in flight) or
    still queued loses it not, and the restart sends it exactly once."""
    async with runtime(tmp_path) as rt:
        await _golem_then_heise(rt)
        (claimed,) = await rt.store.claim_outbox(now=rt.clock(), limit=10)
        assert claimed.message_id == "m1"  # the crash comes here, before the send
    async with runtime(tmp_path) as after:
        assert await after.store.requeue_in_flight() == 1
        await after.deliver()
        await after.deliver()
        assert await after.store.outbox_depth() == 0
    (edit,) = after.target.edits
    assert (edit.message_id, [r.source for r in edit.alert.also]) == ("m1", ["heise"])
    assert after.target.sent == []

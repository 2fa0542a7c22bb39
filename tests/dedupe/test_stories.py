"""Story keys and the story index: round trips, bookkeeping, cost, and the merge decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.dedupe import DedupeError, StoryIndex, StoryKey, StoryKeyError, story_key
from bot.dedupe._tokens import tokens

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

LAUNCH_DE = (
    "Xiaomi 15 Ultra: Leica-Kamera und 6.000 mAh für 1.299 Euro",
    "Xiaomi bringt das 15 Ultra mit Leica-Kamera nach Deutschland.",
)
LAUNCH_EN = (
    "Xiaomi 15 Ultra launches with Leica camera, 6,000mAh battery at €1,299",
    "Xiaomi's 15 Ultra arrives in Europe with a Leica quad camera.",
)
OTHER_XIAOMI = (
    "Xiaomi meldet Rekordumsatz mit Elektroautos im dritten Quartal",
    "Der SU7 verkauft sich besser als erwartet, sagt Lei Jun.",
)


def _key(pair: tuple[str, str], language: str | None = None) -> StoryKey:
    """The key of a (title, teaser) pair."""
    return story_key(pair[0], pair[1], language=language)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("6.000 mAh", ["6000mah"], id="de-thousands-unit"),
        pytest.param("6,000mAh", ["6000mah"], id="en-thousands-unit"),
        pytest.param("1.299 Euro", ["1299", "eur"], id="de-price"),
        pytest.param("€1,299", ["eur", "1299"], id="en-price"),
        pytest.param("$999", ["usd", "999"], id="dollar-sign"),
        pytest.param("9,2 Milliarden Dollar", ["9.2bn", "usd"], id="de-billions"),
        pytest.param("$9.2 billion", ["usd", "9.2bn"], id="en-billions"),
        pytest.param("6,2 Zoll", ["6.2inch"], id="de-decimal-inch"),
        pytest.param("6.2 inches", ["6.2inch"], id="en-decimal-inch"),
        pytest.param("12S Ultra", ["12s", "ultra"], id="code-joined"),
        pytest.param("12 S Ultra", ["12s", "ultra"], id="code-split"),
        pytest.param("Galaxy S 24", ["galaxy", "s24"], id="letter-before"),
        pytest.param("53 Prozent", ["53pct"], id="de-percent"),
        pytest.param("53%", ["53pct"], id="percent-sign"),
        pytest.param("Xiaomis Smartphones", ["xiaomi", "smartphone"], id="plural-genitive"),
        pytest.param("Die U.S. und der Müller", ["us", "muller"], id="stop-abbreviation-umlaut"),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    """Numbers, units, prices and codes read the same in German and English spelling."""
    assert tokens(text) == expected


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(_key(LAUNCH_DE, "de"), id="de"),
        pytest.param(_key(LAUNCH_EN, None), id="no-language"),
        pytest.param(story_key("", "", language="en"), id="empty"),
    ],
)
def test_key_round_trip(key: StoryKey) -> None:
    """`loads(dumps())` gives back an equal key."""
    assert StoryKey.loads(key.dumps()) == key


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("garbage", id="word"),
        pytest.param("s2|1|de|a|b", id="other-format"),
        pytest.param("s1|x|de|a|b", id="fingerprint-not-int"),
        pytest.param(f"s1|{2**63}|de|a|b", id="fingerprint-too-big"),
        pytest.param("s1|1|DEU!|a|b", id="bad-language"),
        pytest.param("s1|1|de|a", id="too-few-fields"),
        pytest.param("s1|1|de|a|b|c", id="too-many-fields"),
    ],
)
def test_key_loads_refuses_garbage(text: str) -> None:
    """Anything `dumps` cannot have written is a StoryKeyError (a DedupeError)."""
    with pytest.raises(StoryKeyError):
        StoryKey.loads(text)
    assert issubclass(StoryKeyError, DedupeError)


def _index_with(*pairs: tuple[str, str]) -> StoryIndex:
    """An index with each pair as the founding item of its own story (ids 1, 2, ...)."""
    index = StoryIndex()
    for number, pair in enumerate(pairs, start=1):
        index.add(number, number, _key(pair), at=T0 + timedelta(minutes=number))
    return index


@pytest.mark.parametrize(
    ("stored", "new", "expected"),
    [
        pytest.param([LAUNCH_DE, OTHER_XIAOMI], LAUNCH_EN, 1, id="same-launch-german-then-english"),
        pytest.param([LAUNCH_EN, OTHER_XIAOMI], LAUNCH_DE, 1, id="same-launch-english-then-german"),
        pytest.param([LAUNCH_DE], OTHER_XIAOMI, None, id="other-xiaomi-story"),
        pytest.param([LAUNCH_DE], ("Xiaomi", ""), None, id="one-word-title"),
        pytest.param(
            [("Smartphone-Neuheiten", "")], ("Smartphone-Neuheiten", ""), None, id="one-long-word"
        ),
        pytest.param([LAUNCH_DE], ("", ""), None, id="empty-item"),
    ],
)
def test_find(stored: list[tuple[str, str]], new: tuple[str, str], expected: int | None) -> None:
    """The story a new item joins, or None for a new story."""
    assert _index_with(*stored).find(_key(new), now=T0 + timedelta(hours=1)) == expected


def test_add_is_idempotent_and_remove_forgets() -> None:
    """Adding an item twice holds it once; removing the last member drops the story."""
    index = StoryIndex()
    key = _key(LAUNCH_DE)
    index.add(1, 10, key, at=T0)
    index.add(1, 10, key, at=T0)
    index.add(2, 10, _key(LAUNCH_EN), at=T0)
    assert len(index) == 1
    index.remove(1)
    assert len(index) == 1
    assert index.find(_key(LAUNCH_EN), now=T0) == 10
    index.remove(2)
    index.remove(2)
    assert len(index) == 0
    assert index.find(_key(LAUNCH_EN), now=T0) is None


def test_add_moves_an_item_to_another_story() -> None:
    """Adding a held item under another story id moves it (provisional ids become real)."""
    index = StoryIndex()
    index.add(1, -1, _key(LAUNCH_DE), at=T0)
    index.add(1, 7, _key(LAUNCH_DE), at=T0)
    assert len(index) == 1
    assert index.find(_key(LAUNCH_EN), now=T0) == 7


def test_expire_forgets_old_members() -> None:
    """Members first seen before the cutoff are forgotten; later ones stay."""
    index = StoryIndex()
    index.add(1, 1, _key(LAUNCH_DE), at=T0)
    index.add(2, 2, _key(OTHER_XIAOMI), at=T0 + timedelta(hours=2))
    index.expire(T0 + timedelta(hours=1))
    assert len(index) == 1
    assert index.find(_key(LAUNCH_EN), now=T0 + timedelta(hours=2)) is None
    assert index.find(_key(OTHER_XIAOMI), now=T0 + timedelta(hours=2)) == 2


def test_find_forgets_what_left_the_window() -> None:
    """A story whose members are older than the window before `now` is not found."""
    index = StoryIndex(window=timedelta(hours=72))
    index.add(1, 1, _key(LAUNCH_DE), at=T0)
    assert index.find(_key(LAUNCH_EN), now=T0 + timedelta(hours=71)) == 1
    assert index.find(_key(LAUNCH_EN), now=T0 + timedelta(hours=73)) is None
    assert len(index) == 0


def test_ties_go_to_the_oldest_story() -> None:
    """Two stories with equal keys: the one founded first wins."""
    index = StoryIndex()
    index.add(1, 5, _key(LAUNCH_DE), at=T0 + timedelta(minutes=2))
    index.add(2, 3, _key(LAUNCH_DE), at=T0 + timedelta(minutes=1))
    assert index.find(_key(LAUNCH_DE), now=T0 + timedelta(hours=1)) == 3


def test_find_is_not_linear_in_the_window() -> None:
    """With 5,000 unrelated stories held, `find` scores only the few that share rare tokens."""
    index = StoryIndex()
    for number in range(5000):
        title = f"Meldung {number} über Firma{number} und Produkt{number * 7} am Standort{number}"
        index.add(number, number, story_key(title, "", language="de"), at=T0)
    index.add(9999, 9999, _key(LAUNCH_DE), at=T0)
    before = index.scored
    assert index.find(_key(LAUNCH_EN), now=T0) == 9999
    assert index.scored - before <= 64

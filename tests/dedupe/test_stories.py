"""Story keys and the story index: round trips, bookkeeping, cost, and the merge decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.dedupe import DedupeError, StoryIndex, StoryKey, StoryKeyError, story_key
from bot.dedupe._postings import COMMON, Postings
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


CROSSLANG = Path(__file__).parents[1] / "fixtures" / "dedupe" / "crosslang.tsv"
STREAM = Path(__file__).parents[2] / "bench" / "data" / "stories-stream.tsv"


def _rows(path: Path) -> list[dict[str, str]]:
    """A tab-separated file with a header line as dicts."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def _background() -> StoryIndex:
    """An index holding the real stories of the lead stream (ids 1...), as a window would;
    without the items of the labelled pairs (as bench_stories builds it)."""
    index = StoryIndex()
    pairs = {
        row[side]
        for path in (CROSSLANG, CROSSLANG.with_name("pairs.tsv"))
        for row in _rows(path)
        for side in ("title_a", "title_b")
    }
    for number, row in enumerate(_rows(STREAM), start=1):
        if row["title"] in pairs:
            continue
        language = "de" if row["source"].startswith("corpora/feeds/de/") else "en"
        key = story_key(row["title"], row["teaser"], language=language)
        index.add(number, number, key, at=T0)
    return index


def _crosslang_merged() -> dict[str, bool]:
    """Per pair of crosslang.tsv: is the English side put into the German side's story?"""
    index = _background()
    merged = {}
    for row in _rows(CROSSLANG):
        index.add(-1, -1, story_key(row["title_a"], row["teaser_a"], language="de"), at=T0)
        found = index.find(story_key(row["title_b"], row["teaser_b"], language="en"), now=T0)
        index.remove(-1)
        merged[f"{row['id']}-{row['label']}"] = found == -1
    return merged


def test_crosslang_fixture_is_labelled() -> None:
    """crosslang.tsv holds at least 150 pairs: 80 same-story, the rest same-brand different."""
    rows = _rows(CROSSLANG)
    assert len(rows) >= 150
    assert sum(row["label"] == "same" for row in rows) >= 80
    assert {row["kind"] for row in rows if row["label"] == "different"} == {"brand", "brand-real"}


def test_german_english_reports_merge_and_other_stories_stay_apart() -> None:
    """At least 80% of German/English same-story pairs merge, at most 2% of different ones."""
    merged = _crosslang_merged()
    same = [value for pair, value in merged.items() if pair.endswith("-same")]
    different = [value for pair, value in merged.items() if pair.endswith("-different")]
    assert sum(same) / len(same) >= 0.8
    assert sum(different) / len(different) <= 0.02


@pytest.mark.parametrize(
    ("german", "english", "expected"),
    [
        pytest.param(
            (
                "Sicherheitslücke: Daten von 185.000 weiteren British-Airways-Kunden betroffen",
                "Von dem Datenleck im Buchungssystem von British Airways waren deutlich mehr "
                "Kunden betroffen als bisher bekannt.",
            ),
            (
                "British Airways says 185,000 more customers hit by data breach",
                "The airline now says the attack on its booking system affected far more people.",
            ),
            True,
            id="same-numbers-and-names",
        ),
        pytest.param(
            (
                "Quartalszahlen: Intel legt 19-Milliarden-USD-Rekord vor",
                "Ungeachtet der 14-nm-Knappheit und diverser Sicherheitslücken konnte Intel im "
                "dritten Quartal 2018 mehr Umsatz erwirtschaften und mehr Gewinn erzielen als "
                "jemals zuvor. Vor allem das florierende Server-Geschäft wird bei Intel immer "
                "wichtiger. ( Intel , Prozessor )",
            ),
            (
                "Intel posts record $19 billion quarter despite 14nm shortage",
                "Intel's third-quarter 2018 revenue and profit beat expectations despite the "
                "14nm supply crunch and security flaws.",
            ),
            True,
            id="same-billions-written-two-ways",
        ),
        pytest.param(
            (
                "Solarzellen als Dach: Tesla-Solarschindeln verzögern sich bis 2019",
                "Tesla wird die Serienproduktion seiner Solardachziegel nicht mehr wie geplant "
                "in diesem Jahr starten, sagt Elon Musk.",
            ),
            (
                "Musk says a $35,000 Tesla Model 3 is not possible yet",
                "Elon Musk admits Tesla still cannot deliver the $35,000 base Model 3.",
            ),
            False,
            id="other-tesla-story",
        ),
    ],
)
def test_cross_language_decision(
    german: tuple[str, str], english: tuple[str, str], expected: bool
) -> None:
    """A German report founds a story in a real window; does the English one join it?"""
    index = _background()
    index.add(-1, -1, story_key(*german, language="de"), at=T0)
    found = index.find(story_key(*english, language="en"), now=T0)
    assert (found == -1) is expected


def test_a_wire_copy_joins_by_simhash() -> None:
    """A copy whose few tokens score low still joins: SimHash within 12 bits is the same story."""
    index = StoryIndex(threshold=0.99)
    title = "Accused Bondi killer Naveed Akram appears in court by video link"
    index.add(1, 1, story_key(title, "", language="en"), at=T0)
    copy = story_key(
        "Accused Bondi Beach killer Naveed Akram appears in court by video link", "", language="en"
    )
    assert index.find(copy, now=T0) == 1


def test_a_later_member_is_compared_with_the_whole_story() -> None:
    """An item sharing the second member's names (not the founder's) finds the story."""
    index = StoryIndex()
    index.add(1, 1, _key(LAUNCH_DE, "de"), at=T0)
    follow = ("Xiaomi 15 Ultra: Preis sinkt auf 999 Euro bei Amazon", "Leica-Kamera im Angebot.")
    index.add(2, 1, _key(follow, "de"), at=T0)
    later = ("Amazon senkt Preis des Xiaomi 15 Ultra auf 999 Euro", "")
    assert index.find(_key(later, "de"), now=T0) == 1


def test_postings_keep_ids_until_a_token_is_common() -> None:
    """A token keeps its stories up to COMMON of them, then only its count, down to zero."""
    postings = Postings()
    postings.add("leica", 7)
    assert postings.holders("leica") == (7,)
    for story in range(COMMON + 1):
        postings.add("xiaomi", story)
    assert postings.count("xiaomi") == COMMON + 1
    assert postings.holders("xiaomi") is None
    for story in range(COMMON + 1):
        postings.discard("xiaomi", story)
    assert "xiaomi" not in postings
    postings.discard("leica", 7)
    assert postings.count("leica") == 0

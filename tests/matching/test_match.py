"""What a single query matches in real German and English sentences, and which words it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.matching import MatchInput, QueryIndex, parse_query

FIXTURES = Path(__file__).parent.parent / "fixtures" / "matching"

# Real sentences from the corpora (see tests/fixtures/matching/README.md).
WALLET = "Apple’s Wallet App Is Spamming Users With Movie Ads"
LIQUID = 'Apple\'s new "Liquid Glass" design has been met with both praise and criticism'
HOMEPOD = "WLAN-Lautsprecher: Apples HomePod wird billiger"
META_AI = "Meta's AI attention"
RAYBAN = "Ray-Ban Metas play audio, take photos and videos"
PINEAPPLE = "a crispy sesame dumpling filled with pineapple and custard cream"
SAMSUNG = "Samsung's most premium smartwatch"
MIMIX = "Mi Mix 3: Xiaomi-Flaggschiff mit Kamera-Slider und 10 GByte RAM"
XIAOMIS = "Xiaomis nächstes Flaggschiff bietet eine fast randlose Display-Front"
NIKLAS = 'Chaos auf den Straßen: Orkan "Niklas" zieht seit dem Morgen mit schweren Windböen'
TITLE_12S = (
    "Xiaomi-CEO Lei Jun bestätigt eine weltweite Veröffentlichung des 12 S Ultra-Nachfolgers"
)
BODY_12S = "Der Xiaomi 12S Ultra ist ein perfektes Beispiel dafür."


def matched(
    query: str, title: str, text: str = "", *, link: str = "", language: str | None = None
) -> tuple[str, ...] | None:
    """The matched words of `query` on one article, or None when it does not match."""
    index: QueryIndex[str] = QueryIndex()
    index.add("q", parse_query(query))
    results = index.match(MatchInput(title=title, text=text, link=link, language=language))
    assert len(results) <= 1
    return results[0].matched if results else None


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        ("xiaomi", MIMIX, ("Xiaomi",)),
        ("xiaomi", "Anti-Xiaomi-Kampagne in den USA", ("Xiaomi",)),
        ("xiaomi", XIAOMIS, ("Xiaomis",)),
        ("xiaomi", "Xiaomi's new phone", ("Xiaomi's",)),
        ("ceo", TITLE_12S, ("CEO",)),
        ("apple", WALLET, ("Apple’s",)),
        ("apple", LIQUID, ("Apple's",)),
        ("apple", HOMEPOD, ("Apples",)),
        ("apple", PINEAPPLE, None),
        ("apple", "Apple-Pie and Apfelkuchen", ("Apple",)),
        ("meta", META_AI, ("Meta's",)),
        ("meta", RAYBAN, ("Metas",)),
        ("meta", "Metadaten der Nutzer werden gespeichert", None),
        ("meta", "Die Metaebene des Diskurses", None),
        ("samsung", SAMSUNG, ("Samsung's",)),
        ("samsung", "Samsungs neue Falt-Smartphones", ("Samsungs",)),
        ("samsung", "Bei Samsungern ist das anders", ("Samsungern",)),
        ("porsche", "Zwei Porschen standen vor der Tür", ("Porschen",)),
        ("bayer", "Der FC Bayern gewinnt", None),
        ("bayer", "Bayers Aktie fällt", ("Bayers",)),
        ("lexus", "Two Lexuses collided", ("Lexuses",)),
        ("tim", "It is time for Tim", ("Tim",)),
        ("pixel", "Pixels und Pixel", ("Pixel",)),
        ("xiaomi", "Xiaomiphone", None),
        ("xiaomi", "Die Xiaomi-Kampagne", ("Xiaomi",)),
        ("huawei", MIMIX, None),
    ],
    ids=[
        "hyphen-compound-first",
        "hyphen-compound-last",
        "german-genitive",
        "english-possessive",
        "compound-second-part",
        "typographic-apostrophe",
        "ascii-apostrophe",
        "german-genitive-apples",
        "never-inside-pineapple",
        "not-inside-apfelkuchen",
        "meta-possessive",
        "meta-plural",
        "meta-not-metadaten",
        "meta-not-metaebene",
        "samsung-possessive",
        "samsung-genitive",
        "long-word-german-ending",
        "long-word-plural-n",
        "short-word-no-n-ending",
        "short-word-genitive",
        "sibilant-es",
        "short-word-no-e-ending",
        "one-word-per-term-base-form-first",
        "not-a-longer-word",
        "compound-middle",
        "absent",
    ],
)
def test_terms_and_inflection(query: str, title: str, expected: tuple[str, ...] | None) -> None:
    """Terms match whole words, their safe inflections and compound parts, never word insides."""
    assert matched(query, title) == expected


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        ("müller", "Thomas Müller trifft", ("Müller",)),
        ("müller", "Thomas Mueller trifft", ("Mueller",)),
        ("müller", "Thomas Muller trifft", ("Muller",)),
        ("mueller", "Thomas Müller trifft", ("Müller",)),
        ("mueller", "Thomas Muller trifft", ("Muller",)),
        ("muller", "Thomas Mueller trifft", ("Mueller",)),
        ("muller", "Thomas MÜLLER trifft", ("MÜLLER",)),
        ("müller", "Müllers Tor", ("Müllers",)),
        ("strasse", NIKLAS, ("Straßen",)),
        ("straße", "Die Strasse ist gesperrt", ("Strasse",)),
        ("windböe", NIKLAS, ("Windböen",)),
        ("windboe", NIKLAS, ("Windböen",)),
        ("skoda", "Škoda stellt den Elroq vor", ("Škoda",)),
        ("škoda", "Skoda stellt den Elroq vor", ("Skoda",)),
        ("queen", "Queen Elizabeth", ("Queen",)),
        ("qen", "Queen Elizabeth", None),
        ("quelle", "Quelle: Lei Jun (Twitter)", ("Quelle",)),
        ("blu", "Blue Origin", None),
        ("blue", "Blu-ray Player", None),
        ("bauer", "Bauer sucht Frau", ("Bauer",)),
        ("bur", "Bauer sucht Frau", None),
        ("dos", "What does it do?", None),
    ],
    ids=[
        "umlaut-query-umlaut-text",
        "umlaut-query-ue-text",
        "umlaut-query-plain-text",
        "ue-query-umlaut-text",
        "ue-query-plain-text",
        "plain-query-ue-text",
        "plain-query-capital-umlaut",
        "umlaut-genitive",
        "ss-query-sharp-s-text",
        "sharp-s-query-ss-text",
        "umlaut-plural",
        "oe-query",
        "caron-in-text",
        "caron-in-query",
        "queen-kept",
        "queen-not-collapsed",
        "quelle-kept",
        "blue-not-blu",
        "blu-not-blue",
        "bauer-kept",
        "au-not-collapsed",
        "does-not-dos",
    ],
)
def test_case_accent_and_umlaut_insensitivity(
    query: str, title: str, expected: tuple[str, ...] | None
) -> None:
    """`Müller` = `Mueller` = `muller`, `ß` = `ss`, `Š` = `S`; `Queen` and `Blue` stay intact."""
    assert matched(query, title) == expected


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        ('"12S Ultra"', "Das 12S Ultra im Test", ("12S Ultra",)),
        ('"12S Ultra"', "Das 12 S Ultra im Test", ("12 S Ultra",)),
        ('"12S Ultra"', "Das 12S-Ultra im Test", ("12S-Ultra",)),
        ('"12 S Ultra"', "Das 12S Ultra im Test", ("12S Ultra",)),
        ('"12 S Ultra"', "Das 12S-Ultra im Test", ("12S-Ultra",)),
        ('"12S Ultra"', "Das 12SUltra im Test", None),
        ('"12S Ultra"', "Das 12S Pro und die Ultra-Variante", None),
        ('"12S Ultra"', TITLE_12S, ("12 S Ultra",)),
        ("12S", "Das 12 S Ultra", ("12 S",)),
        ('"lei jun"', TITLE_12S, ("Lei Jun",)),
        ('"lei jun"', "Lei Juns Tweet", ("Lei Juns",)),
        ('"lei jun"', "Lei sagt, Jun schweigt", None),
        ('"Xiaomi CEO"', TITLE_12S, ("Xiaomi-CEO",)),
        ("Xiaomi-CEO", "Der Xiaomi CEO sprach", ("Xiaomi CEO",)),
        ("redmi*", "Redmi Note 13 vorgestellt", ("Redmi",)),
        ("redmi*", "Das neue RedmiBook Pro", ("RedmiBook",)),
        ("redmi*", "Xiaomis Redmi-Ableger", ("Redmi",)),
        ("redmi*", "Ein Predmi ist kein Gerät", None),
        ('"redmi note*"', "Das Redmi Notebook", ("Redmi Notebook",)),
        ("mues*", "Müsli und Muesli", ("Müsli",)),
    ],
    ids=[
        "phrase-12S-Ultra",
        "phrase-12-S-Ultra",
        "phrase-12S-hyphen-Ultra",
        "spaced-phrase-12S-Ultra",
        "spaced-phrase-12S-hyphen-Ultra",
        "glued-letters-no-match",
        "not-consecutive",
        "phrase-in-compound",
        "digit-letter-term",
        "contract-lei-jun",
        "phrase-genitive",
        "phrase-words-apart",
        "phrase-across-hyphen",
        "hyphenated-term-is-phrase",
        "prefix-exact",
        "prefix-longer-word",
        "prefix-compound-part",
        "prefix-not-inside",
        "phrase-prefix",
        "prefix-umlaut-spelling",
    ],
)
def test_phrases_and_prefixes(query: str, title: str, expected: tuple[str, ...] | None) -> None:
    """Phrases need consecutive words (space, hyphen, digit-letter split alike); `*` is a prefix."""
    assert matched(query, title) == expected


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        ("xiaomi OR huawei", MIMIX, ("Xiaomi",)),
        ("huawei | xiaomi", MIMIX, ("Xiaomi",)),
        ("huawei OR oppo", MIMIX, None),
        ("xiaomi flaggschiff", MIMIX, ("Xiaomi", "Flaggschiff")),
        ("xiaomi samsung", MIMIX, None),
        ("xiaomi -samsung", MIMIX, ("Xiaomi",)),
        ("xiaomi -kamera", MIMIX, None),
        ("xiaomi NOT kamera", MIMIX, None),
        ("xiaomi -(samsung OR slider)", MIMIX, None),
        ("xiaomi -(samsung OR apple)", MIMIX, ("Xiaomi",)),
        ("(huawei OR xiaomi) (ram OR speicher)", MIMIX, ("Xiaomi", "RAM")),
        ("huawei OR xiaomi ram", MIMIX, ("Xiaomi", "RAM")),
        ("huawei OR xiaomi samsung", MIMIX, None),
        ('xiaomi OR "lei jun"', TITLE_12S, ("Xiaomi", "Lei Jun")),
        ('xiaomi -"lei jun"', TITLE_12S, None),
        ("xiaomi NOT NOT ceo", TITLE_12S, ("Xiaomi", "CEO")),
    ],
    ids=[
        "or",
        "pipe",
        "or-none",
        "implicit-and",
        "and-missing-part",
        "minus-absent",
        "minus-present",
        "not-present",
        "not-group-present",
        "not-group-absent",
        "groups",
        "and-before-or",
        "and-before-or-fails",
        "contract-example",
        "excluded-phrase",
        "double-negation-is-positive",
    ],
)
def test_boolean_operators(query: str, title: str, expected: tuple[str, ...] | None) -> None:
    """AND, OR, `|`, NOT, `-` and parentheses combine terms; exclusions add no matched words."""
    assert matched(query, title) == expected


@pytest.mark.parametrize(
    ("query", "extra", "expected"),
    [
        ("xiaomi lang:de", {"language": "de"}, ("Xiaomi",)),
        ("xiaomi lang:de", {"language": "de-DE"}, ("Xiaomi",)),
        ("xiaomi lang:de", {"language": "en"}, None),
        ("xiaomi lang:de", {}, None),
        ("xiaomi -lang:en", {}, ("Xiaomi",)),
        ("xiaomi site:heise.de", {"link": "https://www.heise.de/news/1"}, ("Xiaomi",)),
        ("xiaomi site:heise.de", {"link": "https://heise.de/news/1"}, ("Xiaomi",)),
        ("xiaomi site:heise.de", {"link": "https://HEISE.DE./news/1"}, ("Xiaomi",)),
        ("xiaomi site:heise.de", {"link": "https://notheise.de/news/1"}, None),
        ("xiaomi site:heise.de", {"link": "https://heise.de.evil.example/x"}, None),
        ("xiaomi site:heise.de", {"link": ""}, None),
        ("xiaomi site:heise.de", {"link": "http://[::1"}, None),
        ("xiaomi site:www.heise.de", {"link": "https://heise.de/x"}, None),
        ("xiaomi -site:golem.de", {"link": "https://www.golem.de/x"}, None),
        ("xiaomi site:müller.de", {"link": "https://news.müller.de/x"}, ("Xiaomi",)),
    ],
    ids=[
        "lang",
        "lang-region",
        "lang-other",
        "lang-unknown",
        "not-lang-unknown",
        "site-subdomain",
        "site-domain",
        "site-case-and-dot",
        "site-not-suffix-of-word",
        "site-not-prefix",
        "site-no-link",
        "site-bad-link",
        "site-subdomain-only",
        "site-excluded",
        "site-idna",
    ],
)
def test_lang_and_site_filters(
    query: str, extra: dict[str, str], expected: tuple[str, ...] | None
) -> None:
    """`lang:` checks the article language, `site:` the link's domain or subdomains."""
    assert matched(query, MIMIX, **extra) == expected


@pytest.mark.parametrize(
    ("query", "title", "text", "expected"),
    [
        ("intitle:xiaomi", MIMIX, "", ("Xiaomi",)),
        ("intitle:xiaomi", "Neues Flaggschiff", MIMIX, None),
        ("intitle:xiaomi ram", "Xiaomi Mi Mix 3", MIMIX, ("Xiaomi", "RAM")),
        ('intitle:"lei jun"', TITLE_12S, "", ("Lei Jun",)),
        ("intitle:redmi*", "RedmiBook im Test", "", ("RedmiBook",)),
        ("xiaomi -intitle:ceo", TITLE_12S, "", None),
        ("xiaomi", "Neues Flaggschiff", MIMIX, ("Xiaomi",)),
        ('"flaggschiff xiaomi"', "Ein Flaggschiff", "Xiaomi zeigt es", None),
    ],
    ids=[
        "intitle-in-title",
        "intitle-only-in-text",
        "intitle-words-reported-only-from-title",
        "intitle-phrase",
        "intitle-prefix",
        "not-intitle",
        "plain-term-in-text",
        "phrase-never-spans-title-and-text",
    ],
)
def test_intitle_and_fields(
    query: str, title: str, text: str, expected: tuple[str, ...] | None
) -> None:
    """`intitle:` only looks at the title; other terms look at title and text."""
    assert matched(query, title, text) == expected


def test_real_article_surface_forms_in_order() -> None:
    """Matched words come as written, title first, one per query term."""
    title, text = (FIXTURES / "xiaomi-12s-ultra-de.txt").read_text(encoding="utf-8").split("\n", 1)
    query = 'xiaomi OR "lei jun" OR "12S Ultra" OR samsung OR apple'
    assert matched(query, title, text) == (
        "Xiaomi",
        "Lei Jun",
        "12 S Ultra",
        "Samsung",
    )


def test_real_article_exclusion() -> None:
    """A real article naming Samsung is excluded by `-samsung` although Xiaomi matches."""
    title, text = (FIXTURES / "xiaomi-12s-ultra-de.txt").read_text(encoding="utf-8").split("\n", 1)
    assert matched("xiaomi -samsung", title, text) is None
    assert matched("xiaomi -huawei", title, text) == ("Xiaomi",)


def test_body_surface_forms_after_a_long_title() -> None:
    """Offsets in the text are mapped back correctly even when the title holds many words."""
    assert matched("ultra", TITLE_12S, BODY_12S) == ("Ultra",)
    assert matched("beispiel", TITLE_12S, BODY_12S) == ("Beispiel",)


@pytest.mark.parametrize(
    ("query", "title", "text", "expected"),
    [
        ("xiaomi", "Xiaomis neues Flaggschiff", "Xiaomi zeigt es. Xiaomis Chef.", ("Xiaomi",)),
        ("xiaomi", "Xiaomis neues Flaggschiff", "Xiaomis Chef lacht.", ("Xiaomis",)),
        ("xiaomi", "Xiaomi's phone", "Xiaomis Chef, Xiaomi-CEO", ("Xiaomi",)),
        ("xiaomi OR samsung", "Samsungs Antwort", "Xiaomis Chef, Samsung", ("Xiaomis", "Samsung")),
        ("xiaomi xiaomis", "Xiaomis Chef", "Xiaomi lacht.", ("Xiaomis", "Xiaomi")),
        ('"12S Ultra"', "Das 12 S Ultra", "Das 12S Ultra und das 12S-Ultra", ("12 S Ultra",)),
        ("redmi*", "RedmiBook, Redmi und RedmiPad", "", ("RedmiBook",)),
        ("intitle:apple apple", "Apples iPhone", "Apple sagt nichts.", ("Apple",)),
        ("müller", "Mueller trifft", "Müller trifft wieder.", ("Mueller",)),
    ],
    ids=[
        "base-form-wins-over-earlier-inflection",
        "only-inflected-forms",
        "possessive-plural-compound",
        "two-terms-in-text-order",
        "two-terms-base-each",
        "phrase-spellings",
        "prefix-first-word-only",
        "same-term-twice-in-query",
        "umlaut-spellings-are-one-base",
    ],
)  # fmt: skip
def test_one_word_per_query_term(
    query: str, title: str, text: str, expected: tuple[str, ...]
) -> None:
    """Each positive query term is reported once: as written in the query if the text has it."""
    assert matched(query, title, text) == expected

"""Extractive summary: keyword-first choice, limits, title and boilerplate handling."""

from __future__ import annotations

import re

import pytest

from bot.condense import InvalidLimitError, split_sentences, summarize
from bot.condense.summary import (
    half_open_quote,
    is_boilerplate,
    is_fragment,
    is_near_title,
    names_keyword,
    quote_units,
    shorten,
    shorten_quoted,
    textrank,
    word_keys,
)

KEEP = "Google kills its Keep app on Apple Watch"
_ENDS_CLEANLY = re.compile(r"[.!?…“”\"»)]$")


def _positions(summary: str, body: str, language: str) -> list[int]:
    """Map each summary sentence to its index among the article's sentences."""
    article = split_sentences(body, language)
    return [article.index(sentence) for sentence in split_sentences(summary, language)]


def test_german_article_summary_names_keyword(german_article: tuple[str, str]) -> None:
    """With `Xiaomi`, the summary is 1-3 article sentences naming Xiaomi, in order, <= 400."""
    title, body = german_article
    summary = summarize(body, title=title, keywords=["Xiaomi"], language="de")
    positions = _positions(summary, body, "de")
    assert "Xiaomi" in summary
    assert len(summary) <= 400
    assert 1 <= len(positions) <= 3
    assert positions == sorted(positions)
    assert title not in summary
    assert _ENDS_CLEANLY.search(summary)


def test_title_inside_text_is_not_repeated(german_article: tuple[str, str]) -> None:
    """When the body still starts with the headline, the headline is not summarised again."""
    title, body = german_article
    summary = summarize(f"{title}\n\n{body}", title=title, keywords=["Xiaomi"], language="de")
    assert title not in summary
    assert not summary.startswith("Xiaomi-CEO Lei Jun bestätigt")


def test_keyword_sentences_beat_the_lead(german_article: tuple[str, str]) -> None:
    """A keyword named only late in the article pulls those sentences into the summary."""
    title, body = german_article
    summary = summarize(body, title=title, keywords=["Samsung"], language="de")
    sentences = split_sentences(summary, "de")
    assert sum("Samsung" in s for s in sentences) == 2


@pytest.mark.parametrize(
    "keyword",
    ["12S Ultra", "12 s ultra", "XIAOMI", "lei jun"],
    ids=["glued", "spaced", "upper", "lower"],
)
def test_keywords_match_case_and_spacing_insensitively(
    german_article: tuple[str, str], keyword: str
) -> None:
    """Keyword spelling variants still select sentences naming the keyword."""
    title, body = german_article
    first = split_sentences(summarize(body, title=title, keywords=[keyword], language="de"))[0]
    assert names_keyword(word_keys(first), keyword)


def test_without_keywords_the_lead_wins(german_article: tuple[str, str]) -> None:
    """No keywords: the teaser (first body sentence) opens the summary."""
    title, body = german_article
    summary = summarize(body, title=title, language="de")
    assert summary.startswith("Lei Jun, CEO von Xiaomi, hat erklärt")


def test_english_feed_entry_summary(english_article: tuple[str, str]) -> None:
    """The Verge entry: teaser duplicates and the `[…]` fragment are dropped, keyword named."""
    title, text = english_article
    summary = summarize(text, title=title, keywords=["Apple Watch"], language="en")
    sentences = split_sentences(summary, "en")
    assert "Apple Watch" in summary
    assert "[…]" not in summary
    assert len(sentences) == len(set(sentences))
    assert 1 <= len(sentences) <= 3
    assert len(summary) <= 400
    assert title not in summary


def test_boilerplate_credit_is_never_chosen(german_article: tuple[str, str]) -> None:
    """The article's `Quelle: Lei Jun (Twitter)` line is not a summary sentence."""
    title, body = german_article
    summary = summarize(body, title=title, keywords=["Lei Jun"], language="de", max_sentences=3)
    assert "Quelle:" not in summary


@pytest.mark.parametrize(
    "max_chars", [1, 2, 10, 40, 150, 151, 152, 250, 400, 10_000], ids=lambda n: f"max{n}"
)
def test_max_chars_is_respected_at_word_boundaries(
    german_article: tuple[str, str], max_chars: int
) -> None:
    """Any limit holds; a shortened sentence ends on a whole word plus `…`."""
    title, body = german_article
    summary = summarize(body, title=title, keywords=["Xiaomi"], language="de", max_chars=max_chars)
    assert 0 < len(summary) <= max_chars
    if summary.endswith("…") and len(summary) > 1:
        kept = summary[:-1]
        start = body.index(kept)
        assert not body[start + len(kept)].isalnum()


def test_long_best_sentence_is_shortened_not_skipped(german_article: tuple[str, str]) -> None:
    """If the best sentence alone is too long, it is cut rather than swapped for a worse one."""
    title, body = german_article
    summary = summarize(body, title=title, keywords=["Xiaomi"], language="de", max_chars=100)
    assert summary.startswith("Lei Jun, CEO von Xiaomi")
    assert summary.endswith("…")


@pytest.mark.parametrize(
    ("max_sentences", "expected"), [(1, 1), (2, 2), (3, 3)], ids=["one", "two", "three"]
)
def test_max_sentences(german_article: tuple[str, str], max_sentences: int, expected: int) -> None:
    """The sentence limit caps the summary when characters allow more."""
    title, body = german_article
    summary = summarize(
        body, title=title, keywords=["Xiaomi"], max_chars=2000, max_sentences=max_sentences
    )
    assert len(split_sentences(summary, "de")) == expected


@pytest.mark.parametrize(
    ("text", "title"),
    [("", ""), ("   \n ", "x"), ("Xiaomi bringt das 12S Ultra", "Xiaomi bringt das 12S Ultra"),
     ("Weiterlesen … \n\nQuelle: Xiaomi", "")],
    ids=["empty", "blank", "only-title", "only-boilerplate"],
)  # fmt: skip
def test_nothing_to_say_gives_empty(text: str, title: str) -> None:
    """Empty text, a bare title or pure boilerplate yield an empty summary."""
    assert summarize(text, title=title, keywords=["Xiaomi"]) == ""


@pytest.mark.parametrize(
    ("max_chars", "max_sentences"), [(0, 3), (400, 0), (-5, -1)], ids=["chars", "sentences", "both"]
)
def test_invalid_limits_raise(max_chars: int, max_sentences: int) -> None:
    """Limits below one are a caller error with a typed exception."""
    with pytest.raises(InvalidLimitError):
        summarize("Xiaomi kommt.", max_chars=max_chars, max_sentences=max_sentences)


def test_title_prefix_glued_to_teaser_is_removed() -> None:
    """A feed teaser that starts with the title keeps only what follows the title."""
    title = "Xiaomi bestätigt globalen Marktstart"
    text = "Xiaomi bestätigt globalen Marktstart: Das 12S Ultra kommt nach Europa. Ein Preis fehlt."
    assert summarize(text, title=title, keywords=["12S Ultra"]) == (
        "Das 12S Ultra kommt nach Europa. Ein Preis fehlt."
    )


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [
        ("Xiaomi kommt nach Europa.", 100, "Xiaomi kommt nach Europa."),
        ("Xiaomi kommt nach Europa.", 25, "Xiaomi kommt nach Europa."),
        ("Xiaomi kommt nach Europa.", 24, "Xiaomi kommt nach…"),
        ("Xiaomi kommt nach Europa.", 18, "Xiaomi kommt nach…"),
        ("Xiaomi kommt nach Europa.", 17, "Xiaomi kommt…"),
        ("Xiaomi, Samsung und Apple", 17, "Xiaomi, Samsung…"),
        ("Xiaomi, Samsung und Apple", 15, "Xiaomi…"),
        ("Donaudampfschifffahrt", 8, "…"),
        ("Xiaomi kommt", 1, "…"),
    ],
    ids=[
        "fits",
        "exact",
        "one-short",
        "word-plus-ellipsis",
        "drops-partial-word",
        "drops-comma",
        "comma-word",
        "single-long-word",
        "one-char",
    ],
)
def test_shorten(text: str, max_chars: int, expected: str) -> None:
    """Shortening ends on a whole word plus `…`; if no word fits, just `…`."""
    assert shorten(text, max_chars) == expected
    assert len(shorten(text, max_chars)) <= max_chars


@pytest.mark.parametrize(
    ("text", "keyword", "expected"),
    [
        ("Xiaomis Ausrichtung auf globale Verbraucher", "Xiaomi", True),
        ("Xiaomi-CEO Lei Jun", "xiaomi", True),
        ("Anti-Xiaomi-Stimmung", "Xiaomi", True),
        ("das neue 12S-Ultra", "12S Ultra", True),
        ("des Xiaomi 12 S Ultra", "12S Ultra", True),
        ("Samsung's new foldable", "Samsung", True),
        ("Apples günstigeres iPhone", "Apple", True),
        ("Pineapple prices rise", "apple", False),
        ("Metadaten werden gespeichert", "Meta", False),
        ("Thomas Mueller sagt", "Müller", True),
        ("Škoda baut Elektroautos", "Skoda", True),
        ("das neue RedmiBook", "redmi*", True),
        ("das neue RedmiBook", "redmi", False),
        ("Lei sagte, Jun", "Lei Jun", False),
        ("Xiaomi", "", False),
    ],
    ids=[
        "genitive",
        "hyphen-compound",
        "inner-compound-part",
        "hyphenated-phrase",
        "spaced-phrase",
        "english-possessive",
        "german-plural-genitive",
        "not-inside-word",
        "not-prefix-of-compound",
        "umlaut-spelling",
        "accent",
        "prefix-query",
        "no-prefix-without-star",
        "phrase-needs-adjacency",
        "empty-keyword",
    ],
)
def test_names_keyword(text: str, keyword: str, expected: bool) -> None:
    """Keyword matching for ranking follows the query rules for case, accents and words."""
    assert names_keyword(word_keys(text), keyword) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Read more", True),
        ("Weiterlesen", True),
        ("The post Xiaomi 12S Ultra review appeared first on Example News.", True),
        ("The vote followed failed attempts to […]", True),
        ("Quelle: Lei Jun (Twitter)", True),
        ("Bild: Xiaomi", True),
        ("Photo by Andrew Harnik / Getty Images", True),
        ("(Bild: Xiaomi)", True),
        ("(Xiaomi, Smartphone)", True),
        ("© 2025 Example News. All rights reserved.", True),
        ("Xiaomi hat das 12S Ultra vorgestellt.", False),
        ("Lei Jun said more phones would follow.", False),
        ("Die Quelle des Problems war ein Bug.", False),
    ],
    ids=[
        "read-more",
        "weiterlesen",
        "appeared-first",
        "truncated-teaser",
        "quelle",
        "bild",
        "photo-credit",
        "bracket-credit",
        "golem-tag-list",
        "copyright",
        "german-news",
        "english-news",
        "quelle-as-word",
    ],
)
def test_is_boilerplate(sentence: str, expected: bool) -> None:
    """Furniture lines are recognised; news sentences that share words with them are not."""
    assert is_boilerplate(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "title", "expected"),
    [
        ("Google kills its Keep app on Apple Watch.", KEEP, True),
        ("Google kills Keep app on Apple Watch", KEEP, True),
        ("Google has killed the Apple Watch version of its Keep app, the note-taking app.", KEEP,
         False),
        ("Xiaomi kommt.", "", False),
    ],
    ids=["same", "one-word-less", "related-sentence", "no-title"],
)  # fmt: skip
def test_is_near_title(sentence: str, title: str, expected: bool) -> None:
    """Only sentences saying nothing beyond the title count as its repeat."""
    assert is_near_title(word_keys(sentence), word_keys(title)) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kamera und Akku", True),
        ("Xiaomi Smartphone", True),
        ("Wait... what?", False),
        ("Xiaomi kommt.", False),
        ("Xiaomi bringt das 12S Ultra nach Europa", False),
    ],
    ids=["subhead", "tag-line", "short-question", "short-sentence", "long-unpunctuated"],
)
def test_is_fragment(sentence: str, expected: bool) -> None:
    """Short lines without closing punctuation are furniture; short real sentences are not."""
    assert is_fragment(sentence, word_keys(sentence)) is expected


def test_tag_line_naming_keyword_is_not_chosen() -> None:
    """golem's trailing `(Xiaomi, Smartphone)` tag list never becomes a summary sentence."""
    text = (
        "Das Display von Xiaomis Mi Mix 3 ist nahezu randlos. Die Frontkamera versteckt das Gerät"
        " hinter der Schale. Neu ist, dass Xiaomi ein OLED-Panel verbaut. (Xiaomi, Smartphone)"
    )
    summary = summarize(text, title="Xiaomi: Das Mi Mix 3 hat keine Notch", keywords=["Xiaomi"])
    assert "(Xiaomi, Smartphone)" not in summary
    assert summary.endswith("Neu ist, dass Xiaomi ein OLED-Panel verbaut.")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Listen to the full interview on Spotify.", True),
        ("Hear the full episode wherever you get your podcasts.", True),
        ("Subscribe to our newsletter for more.", True),
        ("Sign up for the daily briefing.", True),
        ("Jetzt anhören: der Podcast zur Wahl.", True),
        ("Abonnieren Sie unseren Newsletter.", True),
        ("Mehr zum Thema", True),
        ("Mehr dazu lesen Sie hier.", True),
        ("Foto: dpa", True),
        ("Photograph: Jane Doe/Getty Images", True),
        ("The minister arrives in Berlin. Getty Images", True),
        ("By Jane Doe", True),
        ("Von Max Mustermann, dpa", True),
        ("Reporting by Jane Doe; editing by John Roe", True),
        ("Von Berlin aus fuhr die Kanzlerin weiter nach Paris.", False),
        ("By Monday the shares had fallen by a third.", False),
        ("The podcast network said it would sign up more hosts.", False),
    ],
    ids=[
        "listen-call",
        "podcast-episode",
        "subscribe-newsletter",
        "sign-up",
        "jetzt-anhoeren",
        "newsletter-abonnieren",
        "mehr-zum-thema",
        "mehr-dazu",
        "foto-credit",
        "photograph-credit",
        "trailing-agency-credit",
        "byline-en",
        "byline-de-agency",
        "reuters-credits",
        "von-as-preposition",
        "by-as-preposition",
        "podcast-as-news",
    ],
)
def test_more_boilerplate(sentence: str, expected: bool) -> None:
    """Listen or subscribe calls, credits and bylines are furniture; news sharing words is not."""
    assert is_boilerplate(sentence) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Er sagte: „Wir kommen.“", False),
        ("Er sagte: „Wir kommen.", True),
        ("Wir kommen bald.“ Das sagte er.", True),
        ("He said: “We are coming.”", False),
        ("He said: “We are coming.", True),
        ('He said: "We are coming."', False),
        ('He said: "We are coming.', True),
        ("Sie nannte es »Unsinn«.", False),
        ("Il a dit «non».", False),
        ("Apple’s CEO doesn’t comment.", False),
        ("Das „Wir“ und das „Ihr“ trennen.", False),
    ],
    ids=[
        "german-closed",
        "german-open",
        "german-stray-closer",
        "english-closed",
        "english-open",
        "straight-closed",
        "straight-open",
        "guillemets-german",
        "guillemets-french",
        "apostrophes-are-not-quotes",
        "two-german-quotes",
    ],
)
def test_half_open_quote(text: str, expected: bool) -> None:
    """A quotation opened and not closed, or closed and never opened, is detected."""
    assert half_open_quote(text) is expected


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["Er sagte: „Wir kommen.", "Und zwar bald.“", "Dann ging er."],
         ["Er sagte: „Wir kommen. Und zwar bald.“", "Dann ging er."]),
        (["Dann ging er.", "Wir kommen bald.“", "Das war alles."],
         ["Dann ging er.", "Das war alles."]),
        (["Er sagte: „Eins.", "Zwei.", "Drei.", "Vier.“", "Ende."], ["Ende."]),
        (["Eins.", "Zwei."], ["Eins.", "Zwei."]),
    ],
    ids=["quote-over-two-sentences", "stray-closer-dropped", "never-closes-in-time", "no-quotes"],
)  # fmt: skip
def test_quote_units(sentences: list[str], expected: list[str]) -> None:
    """A quotation running over sentences is one unit; unbalanced ones are dropped."""
    assert quote_units(sentences) == expected


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [
        ("Er sagte: „Wir kommen bald nach Europa.“", 30, "Er sagte: „Wir kommen bald…“"),
        ('He said: "We are coming to Europe soon."', 30, 'He said: "We are coming to…"'),
        ("Xiaomi kommt nach Europa.", 24, "Xiaomi kommt nach…"),
    ],
    ids=["german-quote-closed", "straight-quote-closed", "no-quote"],
)
def test_shorten_quoted(text: str, max_chars: int, expected: str) -> None:
    """A shortened quotation gets its closing mark back, within the limit."""
    assert shorten_quoted(text, max_chars) == expected
    assert len(expected) <= max_chars


def test_summary_never_leaves_a_quotation_half_open() -> None:
    """A quote over two sentences is taken whole or not at all."""
    text = (
        "Xiaomi hat ein neues Smartphone vorgestellt. Lei Jun sagte: „Das 12S Ultra kommt"
        " nach Europa. Der Preis steht noch nicht fest.“ Der Marktstart ist für Mai geplant."
        " Xiaomi nennt keine Stückzahlen. Analysten rechnen mit hoher Nachfrage."
    )
    for max_sentences in (1, 2, 3):
        summary = summarize(text, keywords=["Xiaomi"], max_sentences=max_sentences)
        assert summary
        assert not half_open_quote(summary)


def test_podcast_call_is_not_the_lead() -> None:
    """`Listen to the full interview on ...` is never chosen, even as the first sentence."""
    text = (
        "Listen to the full interview on our podcast feed. Xiaomi's chief executive said the"
        " company would enter Europe next year. The phones will be sold online first."
    )
    summary = summarize(text, keywords=["Xiaomi"], max_sentences=3)
    assert "Listen" not in summary
    assert summary.startswith("Xiaomi's chief executive said")


@pytest.mark.parametrize(
    ("words", "best"),
    [
        ([{"xiaomi", "phone", "europe"}, {"xiaomi", "europe", "price"}, {"xiaomi", "phone"},
          {"weather", "rain"}], 0),
        ([{"alpha", "beta"}, {"gamma", "delta"}, {"alpha", "beta", "gamma", "delta"}], 2),
    ],
    ids=["most-connected-first", "bridge-sentence"],
)  # fmt: skip
def test_textrank_prefers_central_sentences(words: list[set[str]], best: int) -> None:
    """The sentence sharing most words with the others ranks highest."""
    ranks = textrank(words)
    assert max(range(len(ranks)), key=lambda i: ranks[i]) == best


def test_textrank_without_links_ranks_all_alike() -> None:
    """Sentences sharing no words get equal ranks (the earlier one then wins the tie)."""
    assert len(set(textrank([{"alpha", "beta"}, {"gamma", "delta"}]))) == 1

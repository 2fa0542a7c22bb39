"""Features of a headline and summary: folded content words and their word shingles."""

from __future__ import annotations

import itertools
import re

from bot.matching.normalize import fold

# Feeds put boilerplate ("Weiterlesen", "The post ... appeared first on ...") after the lead,
# so only the start of a summary describes the story.
SUMMARY_CHARS = 300

# The summary's features together weigh this much relative to the title's. The title leads: a
# re-published item keeps its title but may get a new teaser, and some feeds repeat one
# boilerplate teaser under every item (a live blog's digest, "View fullsize" galleries).
SUMMARY_SHARE = 0.75

# Small, deliberately: only words that carry no story (articles, pronouns, prepositions,
# auxiliaries). Words like "new", "neu", "live" stay, they are rare enough to be harmless.
# Word blocks read better than a hundred quoted strings, hence the SIM905 exemptions.
_STOP_EN = frozenset(
    """
    a about after against all also am an and any are as at be been before being but by can
    could did do does doing for from had has have having he her here hers him his how i if in
    into is it its itself me more most my no nor not of off on once only or other our ours out
    over own s same she should so some such t than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours says said say
    """.split()  # noqa: SIM905
)
# Editorial markers: an edited re-post ("Update: ...", "... [Updated]") is still the same story.
_MARKERS = frozenset(
    ["update", "updated", "aktualisiert", "breaking", "eilmeldung", "exclusive", "exklusiv"]
)
_STOP_DE = frozenset(
    """
    aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bist da
    damit dann das dass dem den denn der des dessen die dies diese diesem diesen dieser dieses
    doch dort du durch ein eine einem einen einer eines er es etwa euch fur gegen hat hatte
    hatten hier ich ihr ihre im in ist ja jetzt kann kein keine mit nach nicht noch nun nur ob
    oder ohne sein seine sich sie sind so soll sollen uber um und uns unter vom von vor wann war
    waren was weil wenn wer werden wie wieder will wir wird wo zu zum zur zwischen
    """.split()  # noqa: SIM905
)
STOP_WORDS = _STOP_EN | _STOP_DE | _MARKERS

# "U.S." and "U.N." must read like "US" and "UN": join letters separated by single dots.
_ABBREVIATION = re.compile(r"\b(?:\w\.){2,}")
_WORD = re.compile(r"\w+")


def _join_abbreviation(match: re.Match[str]) -> str:
    """Drop the dots of one dotted abbreviation."""
    return match.group(0).replace(".", "")


def words(text: str) -> list[str]:
    """Folded content words of `text` in order: no stop words, no one-letter fragments."""
    folded = _ABBREVIATION.sub(_join_abbreviation, fold(text))
    return [
        word
        for word in _WORD.findall(folded)
        if word not in STOP_WORDS and (len(word) > 1 or word.isdigit())
    ]


def shingles(tokens: list[str]) -> list[str]:
    """1- and 2-word shingles: unigrams catch reworded headlines, bigrams keep word order."""
    return tokens + [f"{first} {second}" for first, second in itertools.pairwise(tokens)]


def lead(summary: str, limit: int = SUMMARY_CHARS) -> str:
    """The first `limit` characters of a summary, cut back to a whole word."""
    if len(summary) <= limit:
        return summary
    cut = summary[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cut


def weighted_features(title: str, summary: str = "") -> dict[str, float]:
    """Each distinct shingle of the title and the summary's lead with its weight.

    A feature counts once per field, so a phrase repeated in boilerplate does not outvote the
    rest; the summary's features together weigh at most `SUMMARY_SHARE` of the title's.
    """
    title_features = set(shingles(words(title)))
    summary_features = set(shingles(words(lead(summary))))
    weights = dict.fromkeys(title_features, 1.0)
    if summary_features:
        # Never more than SUMMARY_SHARE per feature: a one-word teaser ("[allAfrica]") must
        # not outvote the title; an untitled item is judged on its summary alone.
        ratio = len(title_features) / len(summary_features) if title_features else 1.0
        each = SUMMARY_SHARE * min(1.0, ratio) if title_features else 1.0
        for feature in summary_features:
            weights[feature] = weights.get(feature, 0.0) + each
    return weights


def title_key(title: str) -> str:
    """A key equal for titles that differ only in case, accents, punctuation and stop words."""
    return " ".join(words(title))

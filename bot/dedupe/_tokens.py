"""The tokens that carry a story: folded content words, names, product codes and numbers.

Two outlets' own headlines of one event, or a German and an English report of one launch,
share few ordinary words but the same names and numbers (`Xiaomi 15 Ultra`, `Leica`,
`6000 mAh`, `1.299 Euro` = `€1,299`). So numbers are written one way before the words are
read: thousands separators go (`1.299` = `1,299` = `1299`), a decimal comma is a point
(`6,2` = `6.2`), a unit or currency joins its number (`6.000 mAh` = `6000mAh` ->
`6000mah`; `9,2 Milliarden` = `9.2 billion` -> `9.2bn`; a currency is a word of its own:
`1.299 Euro` = `€1,299` -> `1299 eur`), and a single letter joins the number it
belongs to (`12S` = `12 S` -> `12s`).
"""

from __future__ import annotations

import re

from bot.dedupe._features import STOP_WORDS, lead
from bot.matching.normalize import canonical, fold

# The lead of a teaser is the story; feeds append boilerplate after it.
TEASER_CHARS = 240

# Units written after a number. Only units: a free word after a number ("15 Ultra") stays a word.
_UNITS = (
    "mah|wh|kwh|mwh|gwh|kw|mw|gw|w|v|gb|gbyte|tb|tbyte|mb|mbyte|pb|gbit|gbps|mbit|mbps|ghz|mhz"
    "|khz|hz|mp|megapixel|fps|nm|mm|cm|km|kg|mg|ms|zoll|inch|inches|pct|prozent|percent"
    "|mrd|milliarden|milliarde|billion|billionen|bn|mio|millionen|million|millions|k"
)
_UNIT_ALIASES = {
    "prozent": "pct",
    "percent": "pct",
    "gbyte": "gb",
    "tbyte": "tb",
    "mbyte": "mb",
    "gbps": "gbit",
    "mbps": "mbit",
    "inches": "inch",
    "zoll": "inch",
    "megapixel": "mp",
    "milliarden": "bn",
    "milliarde": "bn",
    "mrd": "bn",
    "billion": "bn",
    "millionen": "mio",
    "million": "mio",
    "millions": "mio",
}
# A currency is its own (common) token, so `1.299 Euro` and `€1,299` both read `1299 eur`.
_CURRENCY_WORDS = {
    "euro": "eur",
    "euros": "eur",
    "dollar": "usd",
    "dollars": "usd",
    "us-dollar": "usd",
    "pfund": "gbp",
    "pounds": "gbp",
    "cny": "yuan",
    "jpy": "yen",
}
_CURRENCY_SIGNS = {"€": "eur", "$": "usd", "£": "gbp", "¥": "yen"}

# 1.299 / 1,299 / 1 299 (thousands) before a decimal: a group of exactly three digits.
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[.,\u00a0\u202f ]\d{3})+)(?![\d]|[.,]\d)")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
_SIGN = re.compile(r"[€$£¥]")
_CURRENCY = re.compile(r"\b(?:us-dollar|dollars?|euros?|pfund|pounds|cny|jpy)\b")
_PERCENT = re.compile(r"(\d)\s?%")
_UNIT_AFTER = re.compile(rf"\b(\d+(?:\.\d+)?)[\s-]?({_UNITS})\b")
_LETTER_AFTER = re.compile(r"\b(\d+)[\s-]?([a-z])\b")
_LETTER_BEFORE = re.compile(r"\b([a-z])[\s-]?(\d+)\b")
_ABBREVIATION = re.compile(r"\b(?:\w\.){2,}")
_TOKEN = re.compile(r"\d+(?:\.\d+)?[a-z]*|[a-z]\d+|[^\W\d_]+")

# Place names are story tokens whose German and English spellings differ; each German (and
# variant) spelling maps to the English one. Folded, as the tokens are.
_PLACES = {
    "usa": "us",
    "vereinigte": "united",
    "deutschland": "germany",
    "frankreich": "france",
    "spanien": "spain",
    "italien": "italy",
    "grossbritannien": "britain",
    "osterreich": "austria",
    "schweiz": "switzerland",
    "niederlande": "netherlands",
    "belgien": "belgium",
    "polen": "poland",
    "tschechien": "czechia",
    "ungarn": "hungary",
    "griechenland": "greece",
    "turkei": "turkey",
    "russland": "russia",
    "weissrussland": "belarus",
    "schweden": "sweden",
    "norwegen": "norway",
    "danemark": "denmark",
    "finnland": "finland",
    "irland": "ireland",
    "sudkorea": "korea",
    "nordkorea": "korea",
    "indien": "india",
    "australien": "australia",
    "kanada": "canada",
    "mexiko": "mexico",
    "brasilien": "brazil",
    "argentinien": "argentina",
    "agypten": "egypt",
    "irak": "iraq",
    "syrien": "syria",
    "libanon": "lebanon",
    "afrika": "africa",
    "sudafrika": "africa",
    "europa": "europe",
    "munchen": "munich",
    "koln": "cologne",
    "wien": "vienna",
    "genf": "geneva",
    "brussel": "brussels",
    "moskau": "moscow",
    "peking": "beijing",
    "warschau": "warsaw",
    "rom": "rome",
    "prag": "prague",
    "kiew": "kyiv",
    "kiev": "kyiv",
}

# A plural or genitive `s` on a long word is dropped (`Xiaomis` = `Xiaomi`, `phones` = `phone`).
_MIN_STEM = 5


def _join_thousands(match: re.Match[str]) -> str:
    """`1.299` -> `1299`: the groups after the first lose their separators."""
    return match.group(1) + re.sub(r"\D", "", match.group(2))


def _unit(match: re.Match[str]) -> str:
    """`6000 mah` -> `6000mah`, `1299 euro` -> `1299eur`."""
    unit = match.group(2)
    return f"{match.group(1)}{_UNIT_ALIASES.get(unit, unit)}"


def _numbers(text: str) -> str:
    """Write numbers, units and currencies one way (see the module docstring)."""
    text = _THOUSANDS.sub(_join_thousands, text)
    text = _DECIMAL.sub(".", text)
    text = _SIGN.sub(lambda m: f" {_CURRENCY_SIGNS[m.group(0)]} ", text)
    return _PERCENT.sub(r"\1pct", text)


def _stem(token: str) -> str:
    """A place's English name; else drop a plural/genitive `s` from a long word (numbers and
    codes stay as they are)."""
    place = _PLACES.get(token)
    if place is not None:
        return place
    if len(token) >= _MIN_STEM and token.endswith("s") and token.isalpha():
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    """The story tokens of `text`, in order, repeats kept."""
    folded = fold(_numbers(text))
    folded = canonical(_ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), folded))
    folded = _CURRENCY.sub(lambda m: _CURRENCY_WORDS[m.group(0)], folded)
    folded = _UNIT_AFTER.sub(_unit, folded)
    folded = _LETTER_AFTER.sub(r"\1\2", folded)
    folded = _LETTER_BEFORE.sub(r"\1\2", folded)
    return [
        _stem(token)
        for token in _TOKEN.findall(folded)
        if token not in STOP_WORDS and (len(token) > 1 or token.isdigit())
    ]


def story_tokens(title: str, teaser: str) -> tuple[frozenset[str], frozenset[str]]:
    """The distinct tokens of the title, and those of the teaser's lead not in the title."""
    in_title = frozenset(tokens(title))
    in_teaser = frozenset(tokens(lead(teaser, TEASER_CHARS))) - in_title
    return in_title, in_teaser

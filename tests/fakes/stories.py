"""Real reports of one story from several outlets, for the story tests.

The two German reports are real: Golem's and heise's own items on the Xiaomi Mi Mix 3
launch of 25 October 2018 (shared/corpora/feeds/de, golem 2018-10-28 and heise RDF 2018).
The English report is written for the tests from the same public facts, in the form of an
English tech site's headline and lead; the Redmi Note 6 Pro item likewise (a later,
different Xiaomi story).
"""

from __future__ import annotations

from tests.fakes.feeds import FeedItem

BORING = FeedItem("boring-1", "Frequenzauktion beginnt", "Die Auktion beginnt im März.")
GOLEM = FeedItem(
    "golem-mimix3",
    "Xiaomi: Das Mi Mix 3 hat keine Notch und eine versteckte Frontkamera",
    "Das Display von Xiaomis angekündigtem Smartphone Mi Mix 3 ist nahezu randlos. Die "
    "Frontkamera versteckt das Gerät hinter der aufschiebbaren Schale.",
)
HEISE = FeedItem(
    "heise-mimix3",
    "Mi Mix 3: Xiaomi-Flaggschiff mit Kamera-Slider und 10 GByte RAM",
    "Xiaomis nächstes Flaggschiff bietet eine fast randlose Display-Front. Die Selfie-Kamera "
    "ist in einem magnetischen Slider-Mechanismus untergebracht.",
)
VERGE = FeedItem(
    "verge-mimix3",
    "Xiaomi Mi Mix 3 goes official with a magnetic camera slider and 10GB of RAM",
    "Xiaomi's Mi Mix 3 has a nearly bezel-free display: the selfie camera hides behind a "
    "sliding magnetic panel.",
)
REDMI = FeedItem(
    "golem-redmi",
    "Xiaomi: Redmi Note 6 Pro kommt mit vier Kameras nach Deutschland",
    "Xiaomi bringt das Redmi Note 6 Pro mit Dual-Kamera auf der Front und 4.000-mAh-Akku für "
    "249 Euro nach Deutschland.",
)

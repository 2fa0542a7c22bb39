"""Article extraction from real news pages (trafilatura evaluation snippets) and the fixture."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.sources.pages import PageExtractError, extract_article, extract_article_async

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
# Snippets each extracted text must contain (`with`) and must not contain (`without`).
TRUTH: dict[str, dict[str, Any]] = json.loads(
    (PAGES / "evaldata-subset.json").read_text(encoding="utf-8")
)
KNOWN_MISSES = {
    "mdr.de.autohaeuser.html": "trafilatura keeps the 'Weitere Informationen' box after the text",
    "theatlantic.com.disasters.html": "trafilatura keeps the feedback call after the article",
}


def _page_params() -> list[Any]:
    """One row per page; known trafilatura misses are strict xfails, not dropped."""
    return [
        pytest.param(
            name,
            id=name.removesuffix(".html"),
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[name])]
            if name in KNOWN_MISSES
            else [],
        )
        for name in sorted(TRUTH)
    ]


@pytest.mark.parametrize("name", _page_params())
def test_page_snippets(name: str) -> None:
    """All `with` snippets are in the title or text, no `without` snippet is."""
    truth = TRUTH[name]
    article = extract_article((PAGES / name).read_bytes(), url=truth["url"])
    text = f"{article.title}\n{article.content}"
    assert [s for s in truth["with"] if s not in text] == []
    assert [s for s in truth["without"] if s in text] == []


@pytest.mark.parametrize(
    ("name", "title", "published", "language", "link"),
    [
        pytest.param(
            "heise.de.lithium.html",
            "Lithium aus dem Schredder",
            datetime(2019, 6, 20, 7, 30, tzinfo=UTC),
            "de",
            "https://www.heise.de/newsticker/meldung/Lithium-aus-dem-Schredder-4451133.html",
            id="heise",
        ),
        pytest.param(
            "www1.wdr.de-Correctiv-Recherche.html",
            "Correctiv-Recherche: Deutsche Waffen für Russland",
            datetime(2023, 11, 7, 6, 30, tzinfo=UTC),
            "de",
            "https://www1.wdr.de/nachrichten/correctiv-recherche-deutsche-waffen-fuer-russland-100.html",
            id="wdr",
        ),
        pytest.param(
            "threatpost.com.android.html",
            "Android Ransomware Spreads Via 'Sex Simulation Game' Links on Reddit, SMS",
            datetime(2019, 7, 30, 17, 16, 29, tzinfo=UTC),
            "en",
            "https://threatpost.com/android-ransomware-spreads-via-sex-simulation-game-links-on-reddit-sms/146774/",
            id="threatpost",
        ),
    ],
)
def test_page_metadata(
    name: str, title: str, published: datetime, language: str, link: str
) -> None:
    """Title, UTC publication time, declared language and canonical link come from the page."""
    article = extract_article((PAGES / name).read_bytes(), url="https://example.org/whatever")
    assert (article.title, article.published, article.language, article.link) == (
        title,
        published,
        language,
        link,
    )
    assert article.id == "url:" + link


def test_xiaomi_page() -> None:
    """The fixture page: title, text with Lei Jun and 12S Ultra, no footer or related links."""
    body = (PAGES / "xiaomi-12s-ultra-de.html").read_bytes()
    article = extract_article(body, url="https://www.example-news.de/x?utm_source=t")
    assert article.title == (
        "Xiaomi-CEO Lei Jun bestätigt eine weltweite Veröffentlichung des 12 S Ultra-Nachfolgers"
    )
    assert "Lei Jun" in article.content
    assert "12S Ultra" in article.content
    for boilerplate in ("Mehr zum Thema", "Galaxy S22 im Test", "Impressum", "Startseite"):
        assert boilerplate not in article.content
    assert not article.content.startswith("Xiaomi-CEO Lei Jun bestätigt")
    assert article.teaser.startswith("Lei Jun, CEO von Xiaomi")
    assert len(article.teaser) <= 301
    assert article.published == datetime(2022, 7, 12, 7, 15, tzinfo=UTC)
    assert article.language == "de"
    assert article.link == (
        "https://www.example-news.de/2022/07/xiaomi-ceo-lei-jun-12s-ultra-nachfolger-global"
    )


@pytest.mark.parametrize(
    ("source_name", "expected"),
    [
        pytest.param(None, "example-news.de", id="site-name"),
        pytest.param("Beispiel-News", "Beispiel-News", id="configured"),
    ],
)
def test_page_source(source_name: str | None, expected: str) -> None:
    """`source` is the configured name, else the site name (or host)."""
    body = (PAGES / "xiaomi-12s-ultra-de.html").read_bytes()
    article = extract_article(body, url="https://www.example-news.de/", source_name=source_name)
    assert article.source == expected


def test_page_charset_from_meta() -> None:
    """A cp1252 page that says so in its meta tag keeps its umlauts."""
    html = (
        '<html lang="de-AT"><head><meta charset="windows-1252"><title>Grüße</title></head>'
        "<body><article><h1>Grüße aus Wien</h1>"
        + "<p>Die Wiener Straßenbahn fährt wieder öfter, sagen die Verkehrsbetriebe heute.</p>" * 8
        + "</article></body></html>"
    )
    article = extract_article(html.encode("cp1252"), url="https://wien.example.at/a")
    assert "Straßenbahn fährt" in article.content
    assert article.language == "de"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", id="no-text"),
        pytest.param(b"\x00\xff" * 500, id="binary"),
    ],
)
def test_no_main_text_raises(body: bytes) -> None:
    """Pages without main text raise PageExtractError (a ValueError), nothing else."""
    with pytest.raises(PageExtractError):
        extract_article(body, url="https://example.org/a")


async def test_extract_async_matches_sync() -> None:
    """The async variant gives the same Article from a worker thread."""
    body = (PAGES / "xiaomi-12s-ultra-de.html").read_bytes()
    url = "https://www.example-news.de/"
    assert await extract_article_async(body, url=url) == extract_article(body, url=url)

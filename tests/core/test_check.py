"""`newsbot check`: the contract's output forms, exit statuses and sources, end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.check import CheckOptions, run_check
from bot.cli import main
from bot.settings import Settings

FIXTURES = Path(__file__).parents[1] / "fixtures"
XIAOMI_RSS = FIXTURES / "feeds" / "xiaomi-12s-ultra-de.rss"
XIAOMI_HTML = FIXTURES / "pages" / "xiaomi-12s-ultra-de.html"
LIFEHACKER = FIXTURES / "feeds" / "lifehacker-rss-2025.xml"


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run away from the repo's config and without NEWSBOT_* variables."""
    monkeypatch.chdir(tmp_path)
    for name in ("NEWSBOT_CONFIG", "NEWSBOT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


def test_german_alert_for_the_fixture_article(capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's acceptance command prints a German alert naming Xiaomi, with `Quelle:`."""
    status = main(["check", str(XIAOMI_RSS), "--query", "xiaomi", "--lang", "de"])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("Xiaomi-CEO Lei Jun")
    assert "Xiaomi" in lines[1]
    assert any(line.startswith("Quelle: ") for line in lines)
    assert lines[-1] == (
        "https://www.example-news.de/2022/07/xiaomi-ceo-lei-jun-12s-ultra-nachfolger-global"
    )
    assert "\n\n" not in out.strip()


def test_english_labels_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --lang the configured default (English) labels the alert."""
    assert main(["check", str(XIAOMI_RSS), "--query", '"12S Ultra"']) == 0
    out = capsys.readouterr().out
    assert "\nSource: " in out
    assert "Matched: 12 S Ultra" in out


def test_json_lines_carry_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints one object per alert with exactly the documented keys."""
    assert main(["check", str(XIAOMI_RSS), "--query", "lei jun", "--format", "json"]) == 0
    (line,) = capsys.readouterr().out.strip().splitlines()
    alert = json.loads(line)
    assert set(alert) == {
        "query", "title", "link", "source", "published",
        "language", "matched", "summary", "message", "story", "also",
    }  # fmt: skip
    assert alert["query"] == "lei jun"
    assert alert["source"] == "Beispiel-News Mobil"
    assert alert["published"] == "2022-07-12T07:15:00+00:00"
    assert alert["language"] == "de"
    assert alert["matched"] == ["Lei", "Jun"]  # two terms (AND), each as it appears
    assert len(alert["summary"]) <= 400
    assert alert["message"].splitlines()[0] == alert["title"]


def test_one_alert_per_matching_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--queries FILE: an article matching two queries gives two alerts; comments skipped."""
    queries = tmp_path / "queries.txt"
    queries.write_text('# brands\nxiaomi\n\n"lei jun"\nsamsung -xiaomi\n', encoding="utf-8")
    assert main(["check", str(XIAOMI_RSS), "--queries", str(queries), "--format", "json"]) == 0
    alerts = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [alert["query"] for alert in alerts] == ["xiaomi", '"lei jun"']


def test_text_alerts_are_separated_by_one_blank_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Several alerts (stories): blocks separated by exactly one blank line."""
    assert main(["check", str(LIFEHACKER), "--query", "how"]) == 0
    out = capsys.readouterr().out
    blocks = out.rstrip("\n").split("\n\n")
    assert len(blocks) == 2
    assert all(block and not block.startswith("\n") for block in blocks)


def test_one_story_from_two_sources_is_one_alert_naming_the_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The feed entry and the article page of one story are one alert, led by the earlier
    one, with an `Also reported by` line (text) and `also` (JSON) for the other."""
    assert main(["check", str(XIAOMI_RSS), str(XIAOMI_HTML), "--query", "xiaomi"]) == 0
    (block,) = capsys.readouterr().out.rstrip("\n").split("\n\n")
    assert "\nAlso reported by: " in block
    sources = [str(XIAOMI_RSS), str(XIAOMI_HTML), "--query", "xiaomi", "--format", "json"]
    assert main(["check", *sources]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    alert = json.loads(line)
    assert alert["story"] == 1
    assert [set(other) for other in alert["also"]] == [{"source", "title", "link"}]


@pytest.mark.parametrize(
    ("query", "position"),
    [
        pytest.param("(xiaomi", "position 1", id="paren"),
        pytest.param('xiaomi "lei jun', "position 8", id="quote"),
        pytest.param("-xiaomi", "position 1", id="only-exclusion"),
    ],
)
def test_invalid_query_exits_2_naming_the_position(
    query: str, position: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid query is a usage error (2) whose message names the position."""
    assert main(["check", str(XIAOMI_RSS), f"--query={query}"]) == 2
    err = capsys.readouterr().err
    assert position in err
    assert len(err.strip().splitlines()) == 1


def test_invalid_query_in_file_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad query in --queries FILE names the line it stands on."""
    queries = tmp_path / "q.txt"
    queries.write_text("xiaomi\nredmi OR\n", encoding="utf-8")
    assert main(["check", str(XIAOMI_RSS), "--queries", str(queries)]) == 2
    assert "line 2" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["check", "x.xml"], id="no-query"),
        pytest.param(["check", "--query", "x"], id="no-source"),
        pytest.param(["check", "x.xml", "--query", "x", "--queries", "f"], id="both"),
        pytest.param(["check", "x.xml", "--query", "x", "--lang", "fr"], id="lang"),
        pytest.param(["check", "x.xml", "--query", "x", "--format", "xml"], id="format"),
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    """Missing or contradictory arguments are usage errors."""
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_unreadable_source_exits_1_and_others_still_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing file and a non-feed give one stderr line each; good sources still alert."""
    junk = tmp_path / "junk.xml"
    junk.write_bytes(b"\x00\x01 definitely not a feed <<<")
    status = main(["check", "missing.xml", str(junk), str(XIAOMI_RSS), "--query", "xiaomi"])
    captured = capsys.readouterr()
    assert status == 1
    assert "Xiaomi-CEO" in captured.out
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2
    assert "missing.xml" in errors[0]
    assert "junk.xml" in errors[1]


def test_no_alert_is_success(capsys: pytest.CaptureFixture[str]) -> None:
    """No match at all still exits 0 and prints nothing."""
    assert main(["check", str(XIAOMI_RSS), "--query", "pineapple"]) == 0
    assert capsys.readouterr().out == ""


def test_html_article_page_is_a_source(capsys: pytest.CaptureFixture[str]) -> None:
    """An HTML page is extracted and matched like a one-entry feed."""
    assert main(["check", str(XIAOMI_HTML), "--query", '"12S Ultra"', "--format", "json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    alert = json.loads(line)
    assert alert["matched"] == ["12 S Ultra"]  # one word per query term, as first written
    assert alert["summary"].startswith("Lei Jun, CEO von Xiaomi")
    assert alert["language"] == "de"


def _settings() -> Settings:
    return Settings()


async def test_http_sources_and_full_text_over_loopback() -> None:
    """A feed over HTTP whose entry links to a page: --full-text condenses from the page."""
    page = XIAOMI_HTML.read_bytes()
    rss = XIAOMI_RSS.read_text(encoding="utf-8")
    teaser_only = rss.split("<content:encoded>")[0] + "</item></channel></rss>"
    teaser_only = teaser_only.replace("https://www.example-news.de/2022/07/", "{base}/")
    hits: list[str] = []

    async def feed(request: web.Request) -> web.Response:
        hits.append(request.path)
        body = teaser_only.replace("{base}", f"http://{request.host}")
        return web.Response(body=body.encode(), content_type="application/rss+xml")

    async def article(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=page, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/feed", feed)
    app.router.add_get("/{slug}", article)
    summaries = []
    async with TestServer(app) as server:
        for full_text in (False, True):
            out = io.StringIO()
            options = CheckOptions(
                sources=(str(server.make_url("/feed")),),
                queries=(("--query", "xiaomi"),),
                language="de",
                output="json",
                full_text=full_text,
            )
            assert await run_check(options, settings=_settings(), out=out) == 0
            summaries.append(json.loads(out.getvalue())["summary"])
    assert hits == ["/feed", "/feed", "/xiaomi-ceo-lei-jun-12s-ultra-nachfolger-global"]
    teaser, full = summaries
    assert teaser.startswith("Lei Jun, CEO von Xiaomi")
    assert full != teaser
    assert "Xiaomi" in full


async def test_http_error_source_is_reported() -> None:
    """A 404 source exits 1; the message names the status."""

    async def missing(_: web.Request) -> web.Response:
        return web.Response(status=404)

    app = web.Application()
    app.router.add_get("/feed", missing)
    async with TestServer(app) as server:
        options = CheckOptions(
            sources=(str(server.make_url("/feed")),), queries=(("--query", "x"),), language="en"
        )
        assert await run_check(options, settings=_settings(), out=io.StringIO()) == 1


@pytest.mark.parametrize(
    ("query", "alerts"),
    [
        pytest.param("xiaomi lang:de", 1, id="german-article"),
        pytest.param("xiaomi lang:en", 0, id="not-english"),
        pytest.param("xiaomi -lang:en", 1, id="negated"),
    ],
)
def test_lang_filter(query: str, alerts: int, capsys: pytest.CaptureFixture[str]) -> None:
    """`lang:` judges the article's language (detected, the feed's as fallback)."""
    assert main(["check", str(XIAOMI_RSS), f"--query={query}", "--format", "json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == alerts


def test_a_configured_source_shows_its_configured_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A SOURCE the config file names is shown under that name, as `run` shows it; other
    SOURCEs under their feed's title."""
    config = tmp_path / "config" / "newsbot.toml"
    config.parent.mkdir()
    config.write_text(
        f'[[sources]]\nname = "Mein Xiaomi-Feed"\nurl = "{XIAOMI_RSS}"\n', encoding="utf-8"
    )
    assert main(["check", str(XIAOMI_RSS), "--query", "lei jun", "--format", "json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["source"] == "Mein Xiaomi-Feed"

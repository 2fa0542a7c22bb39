"""Pure decisions of the fetcher: URL kinds, redirects, headers, retries, error messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from bot import __version__
from bot.sources.errors import (
    ConnectError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    ResponseTooLarge,
    TooManyRedirects,
    UnsupportedURL,
)
from bot.sources.fetch import (
    FetchLimits,
    build_user_agent,
    conditional_headers,
    freshness,
    guess_file_type,
    parse_content_type,
    parse_http_date,
    parse_retry_after,
    parse_target,
    permanent_redirect,
    redirect_target,
    retry_backoff,
    translate_error,
)

NOW = dt.datetime(2026, 3, 1, 12, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("https://www.heise.de/rss/heise-atom.xml", URL("https://www.heise.de/rss/heise-atom.xml")),
        ("HTTP://Example.com/feed", URL("http://example.com/feed")),
        ("feeds/x.xml", Path("feeds/x.xml")),
        ("/srv/feeds/x.xml", Path("/srv/feeds/x.xml")),
        ("file:///srv/feeds/x%20y.xml", Path("/srv/feeds/x y.xml")),
        ("file://localhost/srv/x.xml", Path("/srv/x.xml")),
        ("./a:b.xml", Path("a:b.xml")),
    ],
    ids=[
        "https",
        "upper-case-scheme",
        "relative-path",
        "absolute-path",
        "file-url",
        "file-localhost",
        "colon-in-path",
    ],
)
def test_parse_target_kinds(source: str, expected: URL | Path) -> None:
    """http(s) sources become URLs; file:// URLs and paths become local paths."""
    assert parse_target(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "ftp://example.com/feed.xml",
        "mailto:a@example.com",
        "gopher://x",
        "",
        "   ",
        "http://",
        "https:///path",
        "file://otherhost/x.xml",
        "localhost:8080/feed",
    ],
    ids=[
        "ftp",
        "mailto",
        "gopher",
        "empty",
        "blank",
        "no-host",
        "empty-host",
        "remote-file-host",
        "missing-scheme",
    ],
)
def test_parse_target_refuses(source: str) -> None:
    """Anything but http, https, local file URLs and paths is an UnsupportedURL."""
    with pytest.raises(UnsupportedURL) as caught:
        parse_target(source)
    assert caught.value.url == source
    assert not caught.value.transient


@pytest.mark.parametrize(
    ("status", "location", "expected"),
    [
        (301, "https://b.example/new", "https://b.example/new"),
        (302, "/root", "http://a.example/root"),
        (307, "sibling.xml", "http://a.example/dir/sibling.xml"),
        (308, "//cdn.example/x", "http://cdn.example/x"),
        (303, "  /spaced  ", "http://a.example/spaced"),
        (301, "/moved#top", "http://a.example/moved"),
        (200, "/ignored", None),
        (304, "/ignored", None),
        (302, None, None),
        (302, "", None),
    ],
    ids=[
        "absolute",
        "root-relative",
        "relative",
        "scheme-relative",
        "whitespace",
        "fragment-dropped",
        "not-a-redirect",
        "not-modified",
        "no-location",
        "empty-location",
    ],
)
def test_redirect_target(status: int, location: str | None, expected: str | None) -> None:
    """Redirect statuses with a Location lead on, resolved against the hop's URL."""
    target = redirect_target(URL("http://a.example/dir/page"), status, location)
    assert (None if target is None else str(target)) == expected


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://a.example/x", "javascript:alert(1)"],
    ids=["file", "ftp", "javascript"],
)
def test_redirect_target_refuses_leaving_http(location: str) -> None:
    """A server cannot redirect the fetcher to a local file or another scheme."""
    with pytest.raises(UnsupportedURL):
        redirect_target(URL("http://a.example/feed"), 302, location)


def _chain(*pairs: tuple[int, str]) -> list[tuple[int, URL]]:
    """A redirect chain from (status, target) pairs."""
    return [(status, URL(target)) for status, target in pairs]


@pytest.mark.parametrize(
    ("chain", "expected"),
    [
        (_chain(), None),
        (_chain((301, "https://b/")), "https://b/"),
        (_chain((308, "https://b/")), "https://b/"),
        (_chain((302, "https://b/")), None),
        (_chain((307, "https://b/")), None),
        (_chain((301, "https://b/"), (301, "https://c/")), "https://c/"),
        (_chain((301, "https://b/"), (302, "https://c/")), "https://b/"),
        (_chain((302, "https://b/"), (301, "https://c/")), None),
        (_chain((301, "https://b/"), (303, "https://c/"), (301, "https://d/")), "https://b/"),
    ],
    ids=[
        "no-redirect",
        "301",
        "308",
        "302",
        "307",
        "301-301",
        "301-then-302",
        "302-then-301",
        "301-303-301",
    ],
)
def test_permanent_redirect(chain: list[tuple[int, URL]], expected: str | None) -> None:
    """Only the leading run of 301/308 hops moves the source, to that run's last target."""
    assert permanent_redirect(chain) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("application/rss+xml", ("application/rss+xml", None)),
        ("Text/HTML; Charset=ISO-8859-1", ("text/html", "iso-8859-1")),
        ('application/xml; charset="utf-8"', ("application/xml", "utf-8")),
        ("text/xml;boundary=x; charset=windows-1252 ", ("text/xml", "windows-1252")),
        ("text/html; charset=", ("text/html", None)),
        ("garbage", (None, None)),
    ],
    ids=[
        "absent",
        "empty",
        "plain",
        "upper-case",
        "quoted",
        "second-param",
        "empty-charset",
        "no-slash",
    ],
)
def test_parse_content_type(header: str | None, expected: tuple[str | None, str | None]) -> None:
    """Content-Type splits into a lower-case mime type and charset."""
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("cache_control", "age", "expected"),
    [
        (None, None, None),
        ("public", None, None),
        ("max-age=300", None, 300),
        ("public, MAX-AGE=600, must-revalidate", None, 600),
        ('max-age="120"', None, 120),
        ("s-maxage=900", None, 900),
        ("max-age=60, s-maxage=900", None, 60),
        ("max-age=300", "100", 200),
        ("max-age=300", "1000", 0),
        ("no-cache", None, 0),
        ("max-age=300, no-store", None, 0),
        ("max-age=-5", None, None),
        ("max-age=abc, s-maxage=30", None, 30),
        ("max-age=10, max-age=99", None, 10),
    ],
    ids=[
        "absent",
        "no-lifetime",
        "max-age",
        "mixed-case",
        "quoted",
        "s-maxage",
        "max-age-wins",
        "minus-age",
        "age-exceeds",
        "no-cache",
        "no-store",
        "negative",
        "invalid-falls-back",
        "first-duplicate",
    ],
)
def test_freshness(cache_control: str | None, age: str | None, expected: int | None) -> None:
    """max_age comes from max-age (else s-maxage) minus Age; no-cache/no-store mean 0."""
    assert freshness(cache_control, age) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sun, 01 Mar 2026 12:00:30 GMT", NOW + dt.timedelta(seconds=30)),
        ("Sun, 01 Mar 2026 13:00:00 +0100", NOW),
        ("Sunday, 01-Mar-26 12:00:00 GMT", NOW),
        ("0", None),
        ("-1", None),
        ("", None),
        (None, None),
    ],
    ids=["imf-fixdate", "offset", "rfc850", "zero", "minus-one", "empty", "absent"],
)
def test_parse_http_date(value: str | None, expected: dt.datetime | None) -> None:
    """HTTP dates become aware UTC datetimes; invalid ones (as used in Expires) None."""
    assert parse_http_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", 3.0),
        (" 120 ", 120.0),
        ("Sun, 01 Mar 2026 12:01:00 GMT", 60.0),
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),
        ("-3", None),
        ("soon", None),
        (None, None),
    ],
    ids=["seconds", "padded", "date", "date-in-past", "negative", "garbage", "absent"],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    """Retry-After is delta-seconds or an HTTP date, as seconds from now."""
    assert parse_retry_after(value, now=NOW) == expected


def _status(status: int, retry_after: float | None = None) -> HTTPStatusError:
    """An HTTP status error for the retry table."""
    return HTTPStatusError(url="https://x/", status=status, reason="", retry_after=retry_after)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_status(500), True),
        (_status(502), True),
        (_status(408), True),
        (_status(429), True),
        (_status(429, retry_after=2.0), 2.0),
        (_status(503, retry_after=8.0), 8.0),
        (_status(503, retry_after=0.0), 0.0),
        (_status(429, retry_after=8.5), False),
        (_status(404), False),
        (_status(403), False),
        (_status(400), False),
        (FetchTimeout(url="https://x/", seconds=1, doing="reading"), True),
        (ConnectError(url="https://x/", host="x", reason="refused"), True),
        (ConnectError(url="https://x/", host="x", reason="bad cert", transient=False), False),
        (ResponseTooLarge(url="https://x/", limit=1), False),
        (TooManyRedirects(url="https://x/", count=6), False),
        (ValueError("not ours"), False),
    ],
    ids=[
        "500",
        "502",
        "408",
        "429-bare",
        "429-short",
        "503-at-max",
        "503-zero",
        "429-long",
        "404",
        "403",
        "400",
        "timeout",
        "connect",
        "certificate",
        "too-large",
        "redirects",
        "foreign",
    ],
)
def test_retry_backoff(error: Exception, expected: bool | float) -> None:
    """Only transient errors retry; a short Retry-After is the wait, a long one gives up."""
    result = retry_backoff(error, backoff_max=8.0)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("etag", "last_modified", "expected"),
    [
        (None, None, {}),
        ('"abc"', None, {"If-None-Match": '"abc"'}),
        (
            'W/"abc"',
            "Wed, 21 Oct 2015 07:28:00 GMT",
            {"If-None-Match": 'W/"abc"', "If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"},
        ),
        ("  ", "", {}),
        ('"a"\r\nX-Injected: 1', None, {}),
    ],
    ids=["none", "etag", "both", "blank", "header-injection"],
)
def test_conditional_headers(
    etag: str | None, last_modified: str | None, expected: dict[str, str]
) -> None:
    """Stored validators are sent back unless empty or unsafe in a header."""
    assert conditional_headers(etag, last_modified) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("feed.xml", "application/xml"),
        ("feed.RSS", "application/xml"),
        ("feed.atom", "application/xml"),
        ("feed.rdf", "application/xml"),
        ("feed.json", "application/json"),
        ("page.html", "text/html"),
        ("page.htm", "text/html"),
        ("notes.txt", None),
        ("README", None),
    ],
    ids=["xml", "rss-upper", "atom", "rdf", "json", "html", "htm", "txt", "no-suffix"],
)
def test_guess_file_type(name: str, expected: str | None) -> None:
    """Local files get a content type from their extension only."""
    assert guess_file_type(Path(name)) == expected


@pytest.mark.parametrize(
    ("error", "message", "transient"),
    [
        (
            HTTPStatusError(url="https://x/a", status=404, reason="Not Found"),
            "HTTP 404 Not Found for https://x/a",
            False,
        ),
        (
            HTTPStatusError(
                url="https://x/a", status=429, reason="Too Many Requests", retry_after=3600
            ),
            "HTTP 429 Too Many Requests for https://x/a (retry after 3600 s)",
            True,
        ),
        (
            HTTPStatusError(url="https://x/a", status=599, reason=""),
            "HTTP 599 for https://x/a",
            True,
        ),
        (
            FetchTimeout(url="https://x/a", seconds=60.0, doing="reading"),
            "timed out after 60 s reading https://x/a",
            True,
        ),
        (
            FetchTimeout(url="https://x/a", seconds=0.25, doing="connecting to"),
            "timed out after 0.25 s connecting to https://x/a",
            True,
        ),
        (
            ResponseTooLarge(url="https://x/a", limit=10 * 1024 * 1024),
            "response larger than 10 MiB from https://x/a",
            False,
        ),
        (
            ResponseTooLarge(url="https://x/a", limit=512 * 1024),
            "response larger than 512 KiB from https://x/a",
            False,
        ),
        (
            ResponseTooLarge(url="https://x/a", limit=1500),
            "response larger than 1500 bytes from https://x/a",
            False,
        ),
        (
            TooManyRedirects(url="https://x/a", count=6),
            "too many redirects (6) from https://x/a",
            False,
        ),
        (
            ConnectError(url="https://x/a", host="x", reason="Connection\nrefused"),
            "cannot connect to x: Connection refused",
            True,
        ),
        (
            UnsupportedURL(url="ftp://x", reason="only http"),
            "unsupported URL ftp://x: only http",
            False,
        ),
    ],
    ids=[
        "404",
        "429-retry-after",
        "unknown-status",
        "total-timeout",
        "connect-timeout",
        "mib",
        "kib",
        "bytes",
        "redirects",
        "connect-one-line",
        "unsupported",
    ],
)
def test_error_messages(error: FetchError, message: str, transient: bool) -> None:
    """Every fetch error reads as one clear English line and says whether it is transient."""
    assert str(error) == message
    assert error.transient is transient
    assert error.url.startswith(("https://x", "ftp://x"))


LIMITS = FetchLimits(connect_timeout=1.5, read_timeout=2.5, total_timeout=9.0)


@pytest.mark.parametrize(
    ("error", "kind", "text"),
    [
        (
            aiohttp.ConnectionTimeoutError(),
            FetchTimeout,
            "timed out after 1.5 s connecting to http://h.example/f",
        ),
        (
            aiohttp.SocketTimeoutError(),
            FetchTimeout,
            "timed out after 2.5 s waiting for data from http://h.example/f",
        ),
        (TimeoutError(), FetchTimeout, "timed out after 9 s reading http://h.example/f"),
        (
            aiohttp.ServerDisconnectedError(),
            FetchError,
            "connection broken reading http://h.example/f: Server disconnected",
        ),
        (
            aiohttp.ClientPayloadError("Response payload is not completed"),
            FetchError,
            "connection broken reading http://h.example/f: Response payload is not completed",
        ),
        (aiohttp.ClientError("odd"), FetchError, "request failed for http://h.example/f: odd"),
    ],
    ids=["connect-timeout", "read-timeout", "total-timeout", "disconnected", "payload", "other"],
)
def test_translate_error(error: Exception, kind: type[FetchError], text: str) -> None:
    """aiohttp and timeout exceptions become typed, transient fetch errors with our wording."""
    translated = translate_error(error, url=URL("http://h.example/f"), limits=LIMITS)
    assert type(translated) is kind
    assert str(translated) == text
    assert translated.transient


@pytest.mark.parametrize(
    "overrides",
    [{"max_bytes": 0}, {"per_host": 0}, {"attempts": 0}, {"max_redirects": -1}],
    ids=["no-bytes", "no-host-slots", "no-attempts", "negative-redirects"],
)
def test_fetch_limits_refuse_disabling_safeguards(overrides: dict[str, int]) -> None:
    """Limits that would switch off a safeguard are refused at construction."""
    with pytest.raises(ValueError, match="invalid fetch limits"):
        FetchLimits(**overrides)


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ("", f"newsbot/{__version__} (+https://github.com/newsbot/newsbot)"),
        ("mailto:ops@example.org", f"newsbot/{__version__} (+mailto:ops@example.org)"),
    ],
    ids=["default", "operator-contact"],
)
def test_build_user_agent(contact: str, expected: str) -> None:
    """The User-Agent names newsbot, its version and a way to reach the operator."""
    assert build_user_agent(contact) == expected

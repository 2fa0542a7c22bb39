"""canonical_url and host_of: one spelling per article link."""

from __future__ import annotations

import pytest

from bot.sources.links import canonical_url, host_of, is_tracking_param


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        pytest.param("https://example.org/a", None, "https://example.org/a", id="unchanged"),
        pytest.param(
            "HTTPS://WWW.Example.ORG/Path", None, "https://www.example.org/Path", id="case"
        ),
        pytest.param(
            "http://example.org:80/a", None, "http://example.org/a", id="default-port-http"
        ),
        pytest.param("https://example.org:443/a", None, "https://example.org/a", id="default-port"),
        pytest.param(
            "https://example.org:8443/a", None, "https://example.org:8443/a", id="other-port"
        ),
        pytest.param("https://example.org", None, "https://example.org/", id="empty-path"),
        pytest.param("https://example.org./a", None, "https://example.org/a", id="trailing-dot"),
        pytest.param(
            "https://example.org/a#comments", None, "https://example.org/a", id="fragment"
        ),
        pytest.param(
            "https://example.org/a?utm_source=rss&id=7&utm_medium=feed&page=2",
            None,
            "https://example.org/a?id=7&page=2",
            id="utm-dropped-order-kept",
        ),
        pytest.param(
            "https://example.org/a?UTM_Campaign=x&fbclid=1&gclid=2&dclid=3&msclkid=4&yclid=5",
            None,
            "https://example.org/a",
            id="click-ids",
        ),
        pytest.param(
            "https://example.org/a?mc_cid=1&mc_eid=2&mc_page=3",
            None,
            "https://example.org/a?mc_page=3",
            id="mailchimp-only-its-ids",
        ),
        pytest.param(
            "https://example.org/a?_hsenc=1&_hsmi=2&__hstc=3&igshid=4&ref_src=twsrc",
            None,
            "https://example.org/a",
            id="hubspot-instagram-twitter",
        ),
        pytest.param(
            "https://www.heise.de/news/x-4365104.html?wt_mc=rss.ho.beitrag.atom",
            None,
            "https://www.heise.de/news/x-4365104.html",
            id="heise-webtrekk",
        ),
        pytest.param(
            "https://example.org/a?ref=home&q=a%20b&x=1+2",
            None,
            "https://example.org/a?ref=home&q=a%20b&x=1+2",
            id="others-kept-byte-for-byte",
        ),
        pytest.param("https://example.org/a?", None, "https://example.org/a", id="empty-query"),
        pytest.param(
            "/news/1", "https://example.org/feed.xml", "https://example.org/news/1", id="relative"
        ),
        pytest.param(
            "2.html", "https://example.org/dir/feed", "https://example.org/dir/2.html", id="rel-dir"
        ),
        pytest.param(
            "//cdn.example.org/x",
            "https://example.org/",
            "https://cdn.example.org/x",
            id="scheme-rel",
        ),
        pytest.param("  https://example.org/a \n", None, "https://example.org/a", id="whitespace"),
        pytest.param(
            "https://www.google.com/url?rct=j&sa=t&url=https://news.example.de/a%3Futm_source%3Dga&ct=ga",
            None,
            "https://news.example.de/a",
            id="google-alerts",
        ),
        pytest.param(
            "https://www.google.de/url?q=https://news.example.de/b&sa=U",
            None,
            "https://news.example.de/b",
            id="google-q",
        ),
        pytest.param(
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fnews.example.de%2Fc%3Ffbclid%3Dx&h=AT0",
            None,
            "https://news.example.de/c",
            id="facebook",
        ),
        pytest.param(
            "https://www.google.com/url?url=javascript:alert(1)",
            None,
            "https://www.google.com/url?url=javascript:alert(1)",
            id="google-non-http-target-kept",
        ),
        pytest.param(
            "https://news.google.com/rss/articles/CBMiK2h0?oc=5",
            None,
            "https://news.google.com/rss/articles/CBMiK2h0?oc=5",
            id="google-news-opaque",
        ),
        pytest.param("https://t.co/abc123", None, "https://t.co/abc123", id="tco-left"),
        pytest.param(
            "http://feedproxy.google.com/~r/x/~3/abc/",
            None,
            "http://feedproxy.google.com/~r/x/~3/abc/",
            id="feedproxy-left",
        ),
        pytest.param("mailto:a@example.org", None, "mailto:a@example.org", id="not-http"),
        pytest.param(
            "https://example.org:99999/a", None, "https://example.org:99999/a", id="bad-port"
        ),
        pytest.param("https://[::1]:8080/a#x", None, "https://[::1]:8080/a", id="ipv6"),
        pytest.param(
            "https://user:pw@Example.org/a", None, "https://user:pw@example.org/a", id="userinfo"
        ),
        pytest.param("", None, "", id="empty"),
    ],
)
def test_canonical_url(url: str, base: str | None, expected: str) -> None:
    """Links are resolved, lower-cased, stripped of tracking and fragments, and unwrapped."""
    assert canonical_url(url, base=base) == expected


def test_canonical_url_is_idempotent() -> None:
    """Canonicalising a canonical link changes nothing."""
    once = canonical_url("HTTP://Example.org:80/a?utm_source=x&b=1#f")
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param("https://www.heise.de/news/1", "heise.de", id="www-dropped"),
        pytest.param("https://WWW.Spiegel.DE:443/x", "spiegel.de", id="case-port"),
        pytest.param("https://m.example.co.uk/", "m.example.co.uk", id="subdomain-kept"),
        pytest.param("https://www2.example.org/", "www2.example.org", id="www2-kept"),
        pytest.param("not a url", "", id="no-host"),
        pytest.param("https://[::1/", "", id="unparsable"),
    ],
)
def test_host_of(url: str, expected: str) -> None:
    """host_of gives the lower-case host without www. and port."""
    assert host_of(url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("utm_term", True, id="utm"),
        pytest.param("fbclid", True, id="fbclid"),
        pytest.param("ref", False, id="ref-kept"),
        pytest.param("id", False, id="id"),
        pytest.param("mc_page", False, id="mc-other"),
    ],
)
def test_is_tracking_param(name: str, expected: bool) -> None:
    """Only click-tracking parameter names count as tracking."""
    assert is_tracking_param(name) is expected

"""Canonical article links: one spelling per article, so the same story dedupes across feeds.

Decisions (pure, table-tested in `tests/sources/test_links.py`):
- relative links are resolved against `base`; scheme and host are lower-cased, a trailing dot
  on the host and the default port are dropped; an empty http(s) path becomes `/`;
- the fragment is dropped (news sites use it for in-page anchors, never for another article);
- tracking parameters are dropped, the rest keep their order and their exact spelling
  (we filter the raw `&`-separated pieces rather than re-encode, so `%20` stays `%20`).
  Dropped: `utm_*`, click ids (`fbclid`, `gclid`, `dclid`, `gbraid`, `wbraid`, `msclkid`,
  `yclid`, `igshid`), Mailchimp (`mc_cid`, `mc_eid`; not all of `mc_*`, which sites also use
  for real parameters), HubSpot (`_hsenc`, `_hsmi`, `__hs*`), Twitter's `ref_src`/`ref_url`,
  Webtrekk (`wt_mc`, `wt_zmc`: heise's feeds add them to every link), AT Internet (`xtor`,
  `at_medium`, `at_campaign`), the `smid`/`cmpid`/`ocid`/`icid` share and campaign ids and
  Deutsche Welle's `maca`. `ref` is kept: some sites route on it;
- redirect wrappers whose target is in the query are unwrapped: Google
  (`google.<tld>/url?url=` or `q=`) and Facebook (`l.facebook.com/l.php?u=`). Opaque ones
  (`news.google.com/rss/articles/...`, feedburner/feedproxy, `t.co`) would need a fetch,
  so they are left as they are.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_plus, urljoin, urlsplit, urlunsplit

_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "ref_src",
        "ref_url",
        "wt_mc",
        "wt_zmc",
        "xtor",
        "at_medium",
        "at_campaign",
        "smid",
        "cmpid",
        "ocid",
        "icid",
        "maca",
    }
)
_TRACKING_PREFIXES = ("utm_", "__hs")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_GOOGLE_HOST = re.compile(r"^(?:www\.)?google\.[a-z.]{2,6}$")
_FACEBOOK_HOSTS = frozenset({"l.facebook.com", "lm.facebook.com", "www.facebook.com"})
# A chain of wrappers is rare; the bound keeps hostile input from looping.
_MAX_UNWRAP = 3


def canonical_url(url: str, *, base: str | None = None) -> str:
    """The canonical spelling of `url` (resolved against `base`), see the module docstring."""
    url = url.strip()
    if base:
        try:
            url = urljoin(base.strip(), url)
        except ValueError:
            return url
    for _ in range(_MAX_UNWRAP):
        target = _unwrap_redirect(url)
        if target is None:
            break
        url = target
    return _normalise(url)


def host_of(url: str) -> str:
    """The lower-case host of `url` without `www.` and port; empty when there is none."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host.removeprefix("www.")


def is_tracking_param(name: str) -> bool:
    """True for query parameter names that only track the click, not select content."""
    lowered = name.lower()
    return lowered in _TRACKING_EXACT or lowered.startswith(_TRACKING_PREFIXES)


def _normalise(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        # An unparsable port or bracket: keep the text rather than guess.
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = parts.hostname.rstrip(".")
    netloc = _netloc(parts.username, parts.password, host, port, scheme)
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, _clean_query(parts.query), ""))


def _netloc(
    username: str | None, password: str | None, host: str, port: int | None, scheme: str
) -> str:
    """Rebuild the authority with a lower-case host and without the scheme's default port."""
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if username is None:
        return host
    userinfo = username if password is None else f"{username}:{password}"
    return f"{userinfo}@{host}"


def _clean_query(query: str) -> str:
    """Drop tracking pieces from a raw query string, keeping the others byte for byte."""
    if not query:
        return ""
    kept = [
        piece
        for piece in query.split("&")
        if piece and not is_tracking_param(unquote_plus(piece.partition("=")[0]))
    ]
    return "&".join(kept)


def _unwrap_redirect(url: str) -> str | None:
    """The target of a known redirect wrapper, or None when `url` is not one."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if _GOOGLE_HOST.match(host) and parts.path == "/url":
        keys: tuple[str, ...] = ("url", "q")
    elif host in _FACEBOOK_HOSTS and parts.path in {"/l.php", "/l/"}:
        keys = ("u",)
    else:
        return None
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    for key in keys:
        target = params.get(key, "").strip()
        if target.lower().startswith(("http://", "https://")):
            return target
    return None

"""Fetch a source's bytes over HTTP(S) or from a local file, within limits.

One `aiohttp.ClientSession` (built by `create_http_session`, owned by the app) is shared by a
`Fetcher`. The fetcher adds what the session cannot: conditional GET, redirects followed by
hand (to see each hop's status and cap the chain), a decompressed-size cap enforced while
streaming, retries with backoff for transient failures only (stamina), a per-host
concurrency limit, and typed errors (`bot.sources.errors`) instead of raw aiohttp ones.

Decisions worth knowing (each is a pure function below, table-tested):
- `permanent_redirect` is the target of the *leading run* of 301/308 hops: `A -301-> B -302-> C`
  gives `B` (A has moved to B for good; B's own temporary redirect says nothing about A);
  a chain that begins with 302/303/307 gives None.
- `max_age` is the freshness the server grants, in seconds: `max-age`, else `s-maxage`, minus
  `Age`; `no-store`/`no-cache` give 0 ("do not reuse"); None when the server says nothing.
  The poller should use it to poll *less* often, never more often than its interval.
- `Retry-After` on 429/503 is honoured when it is at most `backoff_max`; longer waits end the
  fetch at once with `HTTPStatusError.retry_after` set, for the poller to reschedule.
- `total_timeout` is one budget for an attempt's whole redirect chain, body included.
- Local sources (`file://` URLs, absolute or relative paths) are read in a thread with the same
  cap and no retries; a relative path with a colon before any slash needs `./` (`./a:b.xml`).
- Trust is chosen per fetch: `trusted=True` (config sources, `newsbot check`) uses the plain
  session; anything else goes through the guarded session, whose connector refuses every
  non-public address on every hop (`bot.sources.guard`), and may not read local files. A
  Fetcher built without a guarded session refuses untrusted fetches outright (fails closed).
  Redirects never leave http(s).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import aiohttp
import stamina
from aiohttp import hdrs
from aiohttp.abc import AbstractResolver
from aiohttp.compression_utils import HAS_BROTLI, HAS_ZSTD
from multidict import CIMultiDictProxy
from yarl import URL

from bot import __version__
from bot.sources.errors import (
    BlockedAddressError,
    ConnectError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    ResponseTooLarge,
    TooManyRedirects,
    UnsupportedURL,
)
from bot.sources.guard import (
    AddressPolicy,
    AddressRefused,
    GuardedResolver,
    guarded_socket_factory,
)

__all__ = [
    "FetchLimits",
    "FetchResult",
    "Fetcher",
    "build_user_agent",
    "create_http_session",
]

logger = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})
_RETRY_AFTER_STATUSES = frozenset({429, 503})
_CHUNK = 64 * 1024
_PROJECT_URL = "https://github.com/newsbot/newsbot"
# Feeds first, then pages; */* last because some servers send feeds as text/plain.
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, "
    "text/html;q=0.7, application/xhtml+xml;q=0.7, */*;q=0.1"
)
_FILE_TYPES: Mapping[str, str] = {
    ".xml": "application/xml",
    ".rss": "application/xml",
    ".atom": "application/xml",
    ".rdf": "application/xml",
    ".json": "application/json",
    ".html": "text/html",
    ".htm": "text/html",
}


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """How long, how much and how often one fetch may try.

    Worst case for one `fetch`: `attempts` x `total_timeout` plus the backoffs between them
    (at most `backoff_max` each), plus time queued for a host slot.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 30.0  # between two chunks (sock_read)
    total_timeout: float = 60.0  # one attempt's redirect chain, not counting host-slot waits
    max_bytes: int = 10 * 1024 * 1024  # decompressed body cap, enforced while streaming
    max_redirects: int = 5
    per_host: int = 2  # concurrent requests per host
    attempts: int = 3  # tries for transient failures
    backoff_initial: float = 0.5
    backoff_max: float = 8.0

    def __post_init__(self) -> None:
        """Refuse limits that would disable a safeguard by accident."""
        if self.max_bytes < 1 or self.per_host < 1 or self.attempts < 1 or self.max_redirects < 0:
            raise ValueError(f"invalid fetch limits: {self!r}")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """A fetched body (or "not modified") with what the poller stores about the source."""

    url: str  # final URL after redirects; a file:// URL for local files
    status: int  # 2xx, or 304 for not modified
    body: bytes  # b"" when not modified
    content_type: str | None  # mime type without parameters, lower case
    charset: str | None  # charset parameter of Content-Type, lower case
    etag: str | None
    last_modified: str | None
    not_modified: bool
    max_age: int | None  # see module docstring
    expires: dt.datetime | None  # the Expires header, UTC; None if absent or invalid
    permanent_redirect: str | None  # see module docstring
    elapsed: float  # seconds for the whole fetch: host-slot waits, redirects and retries


@dataclass(frozen=True, slots=True)
class _Hop:
    """One HTTP response, read as far as it is needed."""

    url: URL
    status: int
    reason: str
    headers: CIMultiDictProxy[str]
    body: bytes


@dataclass(slots=True)
class _HostSlot:
    """A per-host semaphore and how many fetches hold or wait for it."""

    semaphore: asyncio.Semaphore
    users: int = field(default=0)


def build_user_agent(contact: str = "") -> str:
    """The User-Agent: names newsbot, its version and where to reach its operator."""
    return f"newsbot/{__version__} (+{contact.strip() or _PROJECT_URL})"


def _accept_encoding() -> str:
    """Only the codings aiohttp can decode with the libraries installed here."""
    codings = ["gzip", "deflate"]
    if HAS_BROTLI:
        codings.append("br")
    if HAS_ZSTD:
        codings.append("zstd")
    return ", ".join(codings)


def create_http_session(
    *,
    limits: FetchLimits = FetchLimits(),
    user_agent: str,
    guard: AddressPolicy | None = None,
    resolver: AbstractResolver | None = None,
) -> aiohttp.ClientSession:
    """Build a shared HTTP session; the caller owns it and closes it.

    With `guard` (e.g. `is_public_address`) its connector connects only to addresses the
    guard allows, whatever the URL says (see `bot.sources.guard`): the session for untrusted
    sources. `resolver` replaces the system resolver (tests map names to loopback with it).
    """
    inner = resolver or aiohttp.ThreadedResolver()
    connector = aiohttp.TCPConnector(
        limit=100,
        limit_per_host=limits.per_host,
        ttl_dns_cache=300,
        resolver=inner if guard is None else GuardedResolver(inner, policy=guard),
        socket_factory=None if guard is None else guarded_socket_factory(guard),
    )
    headers = {
        hdrs.USER_AGENT: user_agent,
        hdrs.ACCEPT: _ACCEPT,
        hdrs.ACCEPT_ENCODING: _accept_encoding(),
    }
    return aiohttp.ClientSession(
        connector=connector,
        headers=headers,
        timeout=_client_timeout(limits),
        auto_decompress=True,
        # No cookies: a source (maybe added by a chat user) must not set state that other
        # fetches then carry, and feeds do not need sessions.
        cookie_jar=aiohttp.DummyCookieJar(),
    )


def _client_timeout(limits: FetchLimits) -> aiohttp.ClientTimeout:
    """Connect and between-chunk timeouts; the total is enforced per request by the Fetcher."""
    return aiohttp.ClientTimeout(
        total=None, connect=limits.connect_timeout, sock_read=limits.read_timeout
    )


# --- pure decisions ---------------------------------------------------------------------------


def parse_target(url: str) -> URL | Path:
    """Classify a source: an http(s) URL, or a local file given as file:// URL or path."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise UnsupportedURL(url=url, reason="malformed URL") from exc
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return _http_url(url)
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise UnsupportedURL(url=url, reason="a file URL must name a local path")
        return Path(url2pathname(parts.path))
    if scheme == "" and url.strip():
        return Path(url)
    raise UnsupportedURL(url=url, reason="only http, https, file URLs and local paths")


def _http_url(url: str) -> URL:
    """Parse an http(s) URL that must name a host."""
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as exc:
        raise UnsupportedURL(url=url, reason="malformed URL") from exc
    if not parsed.host:
        raise UnsupportedURL(url=url, reason="no host")
    return parsed


def redirect_target(hop_url: URL, status: int, location: str | None) -> URL | None:
    """Where a redirect leads (relative Locations resolved), or None if it is no redirect."""
    if status not in _REDIRECTS or not location:
        return None
    try:
        target = hop_url.join(URL(location.strip()))
    except (ValueError, TypeError) as exc:
        raise UnsupportedURL(url=location, reason=f"malformed redirect from {hop_url}") from exc
    # Never let a server steer us to file:// or anything else off the web.
    if target.scheme not in ("http", "https") or not target.host:
        raise UnsupportedURL(url=str(target), reason=f"redirect from {hop_url} leaves http(s)")
    return target.with_fragment(None)


def permanent_redirect(chain: list[tuple[int, URL]]) -> str | None:
    """The target of the leading run of 301/308 hops in (status, target) order, if any."""
    moved: URL | None = None
    for status, target in chain:
        if status not in _PERMANENT_REDIRECTS:
            break
        moved = target
    return None if moved is None else str(moved)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split a Content-Type header into (mime type, charset), both lower case."""
    if not value:
        return None, None
    mime, *params = value.split(";")
    mime = mime.strip().lower()
    charset = None
    for param in params:
        name, sep, raw = param.partition("=")
        if sep and name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip().lower() or None
            break
    return (mime if "/" in mime else None), charset


def _directives(cache_control: str) -> dict[str, str]:
    """Cache-Control directives by lower-case name; the first of duplicates wins."""
    found: dict[str, str] = {}
    for part in cache_control.split(","):
        name, _, value = part.partition("=")
        found.setdefault(name.strip().lower(), value.strip().strip('"'))
    return found


def _seconds(value: str | None) -> int | None:
    """A non-negative delta-seconds value, or None if it is not one."""
    if value is None or not value.isdigit():
        return None
    return int(value)


def freshness(cache_control: str | None, age: str | None = None) -> int | None:
    """Seconds the response stays fresh per Cache-Control and Age; see the module docstring."""
    if not cache_control:
        return None
    directives = _directives(cache_control)
    if "no-store" in directives or "no-cache" in directives:
        return 0
    lifetime = _seconds(directives.get("max-age"))
    if lifetime is None:
        # s-maxage is addressed to shared caches; still the publisher's own polling hint.
        lifetime = _seconds(directives.get("s-maxage"))
    if lifetime is None:
        return None
    return max(0, lifetime - (_seconds(age.strip() if age else None) or 0))


def parse_http_date(value: str | None) -> dt.datetime | None:
    """An HTTP date as an aware UTC datetime, or None if absent or invalid (e.g. `0`)."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def parse_retry_after(value: str | None, *, now: dt.datetime) -> float | None:
    """Retry-After as seconds from `now` (delta-seconds or HTTP date), None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, (when - now).total_seconds())


def retry_backoff(exc: Exception, *, backoff_max: float) -> bool | float:
    """stamina hook: False for permanent errors, a wait for a short Retry-After, else True."""
    if not isinstance(exc, FetchError) or not exc.transient:
        return False
    if isinstance(exc, HTTPStatusError) and exc.retry_after is not None:
        # A long wait is the poller's business: give up now and let it reschedule.
        return float(exc.retry_after) if exc.retry_after <= backoff_max else False
    return True


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for the validators that are safe to send."""
    headers: dict[str, str] = {}
    if (value := _safe_validator(etag)) is not None:
        headers[hdrs.IF_NONE_MATCH] = value
    if (value := _safe_validator(last_modified)) is not None:
        headers[hdrs.IF_MODIFIED_SINCE] = value
    return headers


def _safe_validator(value: str | None) -> str | None:
    """A stored validator we can send back: non-empty, no CR/LF/NUL (aiohttp refuses them)."""
    value = (value or "").strip()
    if not value or any(c in value for c in "\r\n\0"):
        return None
    return value


def guess_file_type(path: Path) -> str | None:
    """The content type of a local file from its extension, None when unknown."""
    return _FILE_TYPES.get(path.suffix.lower())


def translate_error(exc: Exception, *, url: URL, limits: FetchLimits) -> FetchError:
    """Map an aiohttp or timeout exception from one request to our typed errors."""
    where = str(url)
    host = url.host or where
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(exc.os_error, AddressRefused):
        return BlockedAddressError(url=where, host=host, address=exc.os_error.address)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return FetchTimeout(url=where, seconds=limits.connect_timeout, doing="connecting to")
    if isinstance(exc, aiohttp.SocketTimeoutError):
        return FetchTimeout(url=where, seconds=limits.read_timeout, doing="waiting for data from")
    if isinstance(exc, TimeoutError):
        return FetchTimeout(url=where, seconds=limits.total_timeout, doing="reading")
    if isinstance(exc, aiohttp.ClientSSLError):
        # A bad certificate does not heal by retrying in a second.
        return ConnectError(url=where, host=host, reason=_reason(exc), transient=False)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectError(url=where, host=host, reason=_reason(exc.os_error))
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        return FetchError(
            f"connection broken reading {where}: {_reason(exc)}", url=where, transient=True
        )
    return FetchError(f"request failed for {where}: {_reason(exc)}", url=where, transient=True)


def _reason(exc: BaseException) -> str:
    """The most useful text of an exception: its strerror, message, or class name."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text)


# --- local files ------------------------------------------------------------------------------


def _read_file(path: Path, *, url: str, max_bytes: int) -> tuple[str, bytes]:
    """Read a local file (its file:// URL and bytes), refusing it past the cap (in a thread)."""
    try:
        with path.open("rb") as fh:
            if os.fstat(fh.fileno()).st_size > max_bytes:
                raise ResponseTooLarge(url=url, limit=max_bytes)
            # Read one byte past the cap: devices and growing files report a wrong size.
            data = fh.read(max_bytes + 1)
    except FileNotFoundError as exc:
        raise FetchError(f"file not found: {url}", url=url, transient=False) from exc
    except IsADirectoryError as exc:
        raise FetchError(f"not a file: {url}", url=url, transient=False) from exc
    except OSError as exc:
        raise FetchError(f"cannot read {url}: {_reason(exc)}", url=url, transient=False) from exc
    if len(data) > max_bytes:
        raise ResponseTooLarge(url=url, limit=max_bytes)
    return path.absolute().as_uri(), data


# --- the fetcher ------------------------------------------------------------------------------


class Fetcher:
    """Fetch sources through shared sessions, politely and within `FetchLimits`.

    `session` serves trusted fetches, `guarded` (a session built with a guard) the others.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        guarded: aiohttp.ClientSession | None = None,
        limits: FetchLimits = FetchLimits(),
    ) -> None:
        self._session = session
        self._guarded = guarded
        self._limits = limits
        self._timeout = _client_timeout(limits)
        self._slots: dict[str, _HostSlot] = {}
        self._retrying = stamina.AsyncRetryingCaller(
            attempts=limits.attempts,
            timeout=None,  # bounded by attempts x per-request timeouts instead
            wait_initial=limits.backoff_initial,
            wait_max=limits.backoff_max,
            wait_jitter=limits.backoff_initial,
        )

    async def fetch(
        self,
        url: str,
        *,
        trusted: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Fetch `url` (http, https, file:// or a path); raise a `FetchError` on failure.

        Untrusted (the default) means: http(s) only, through the guarded session.
        """
        started = time.monotonic()
        target = parse_target(url)
        if isinstance(target, Path):
            if not trusted:
                raise UnsupportedURL(url=url, reason="a chat source cannot be a local file")
            return await self._fetch_file(url, target, started)
        session = self._session_for(url, trusted=trusted)
        limits = self._limits

        def on(exc: Exception) -> bool | float:
            return retry_backoff(exc, backoff_max=limits.backoff_max)

        return await self._retrying(
            on, self._follow, session, target, conditional_headers(etag, last_modified), started
        )

    @property
    def session(self) -> aiohttp.ClientSession:
        """The plain session, for trusted fetches."""
        return self._session

    @property
    def guarded(self) -> aiohttp.ClientSession | None:
        """The guarded session, for untrusted fetches (None: they are refused)."""
        return self._guarded

    def _session_for(self, url: str, *, trusted: bool) -> aiohttp.ClientSession:
        """The plain session for trusted fetches, the guarded one for the rest."""
        if trusted:
            return self._session
        if self._guarded is None:
            raise FetchError(
                f"refused to fetch {url}: no guarded session for untrusted sources",
                url=url,
                transient=False,
            )
        return self._guarded

    async def _fetch_file(self, url: str, path: Path, started: float) -> FetchResult:
        """Read a local source off the event loop, with the same size cap."""
        uri, body = await asyncio.to_thread(
            _read_file, path, url=url, max_bytes=self._limits.max_bytes
        )
        elapsed = time.monotonic() - started
        logger.debug(
            "read %s",
            url,
            extra={"url": url, "status": 200, "bytes": len(body), "elapsed": elapsed},
        )
        return FetchResult(
            url=uri,
            status=200,
            body=body,
            content_type=guess_file_type(path),
            charset=None,
            etag=None,
            last_modified=None,
            not_modified=False,
            max_age=None,
            expires=None,
            permanent_redirect=None,
            elapsed=elapsed,
        )

    async def _follow(
        self,
        session: aiohttp.ClientSession,
        url: URL,
        conditional: dict[str, str],
        started: float,
    ) -> FetchResult:
        """One attempt: follow the redirect chain by hand and turn the last hop into a result."""
        chain: list[tuple[int, URL]] = []
        current = url
        # The whole chain shares one total budget, so six slow hops cannot take 6 x total;
        # time spent queued for a host slot is not charged (see _host_slot).
        budget = self._limits.total_timeout
        for _ in range(self._limits.max_redirects + 1):
            hop, spent = await self._request(session, current, conditional, budget=budget)
            budget -= spent
            target = redirect_target(hop.url, hop.status, hop.headers.get(hdrs.LOCATION))
            if target is None:
                return self._result(hop, chain, conditional, started)
            chain.append((hop.status, target))
            current = target
        raise TooManyRedirects(url=str(url), count=len(chain))

    async def _request(
        self, session: aiohttp.ClientSession, url: URL, headers: dict[str, str], *, budget: float
    ) -> tuple[_Hop, float]:
        """One GET under the host's slot within `budget` seconds; returns it and the time spent."""
        async with self._host_slot(url.host or ""):
            started = time.monotonic()
            try:
                async with asyncio.timeout(max(budget, 0.0)):
                    hop = await self._get(session, url, headers)
            except FetchError as exc:
                self._log(url, started, error=exc)
                raise
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = translate_error(exc, url=url, limits=self._limits)
                self._log(url, started, error=error)
                raise error from exc
            self._log(url, started, hop=hop)
            return hop, time.monotonic() - started

    async def _get(self, session: aiohttp.ClientSession, url: URL, headers: dict[str, str]) -> _Hop:
        """Send the request and read the body only when it is one we will use."""
        async with session.get(
            url, headers=headers, allow_redirects=False, timeout=self._timeout
        ) as response:
            body = b""
            if 200 <= response.status <= 299:
                body = await self._read_body(response, url)
            return _Hop(
                url=response.url,
                status=response.status,
                reason=response.reason or "",
                headers=response.headers,
                body=body,
            )

    async def _read_body(self, response: aiohttp.ClientResponse, url: URL) -> bytes:
        """Stream the decompressed body, stopping as soon as it passes the cap."""
        cap = self._limits.max_bytes
        # Content-Length counts encoded bytes; decoded ones are never fewer beyond a few
        # bytes of framing, so a larger announced length is refused before any read.
        if response.content_length is not None and response.content_length > cap:
            raise ResponseTooLarge(url=str(url), limit=cap)
        body = bytearray()
        async for chunk in response.content.iter_chunked(_CHUNK):
            body += chunk
            if len(body) > cap:
                raise ResponseTooLarge(url=str(url), limit=cap)
        return bytes(body)

    def _result(
        self,
        hop: _Hop,
        chain: list[tuple[int, URL]],
        conditional: Mapping[str, str],
        started: float,
    ) -> FetchResult:
        """Turn the final hop into a result, or raise for a status without a usable body."""
        headers = hop.headers
        not_modified = hop.status == 304
        if not not_modified and not 200 <= hop.status <= 299:
            raise self._status_error(hop)
        content_type, charset = parse_content_type(headers.get(hdrs.CONTENT_TYPE))
        etag = headers.get(hdrs.ETAG)
        last_modified = headers.get(hdrs.LAST_MODIFIED)
        if not_modified:
            # A 304 may omit validators; the ones we sent are still the current ones.
            etag = etag or conditional.get(hdrs.IF_NONE_MATCH)
            last_modified = last_modified or conditional.get(hdrs.IF_MODIFIED_SINCE)
        return FetchResult(
            url=str(hop.url),
            status=hop.status,
            body=hop.body,
            content_type=content_type,
            charset=charset,
            etag=etag,
            last_modified=last_modified,
            not_modified=not_modified,
            max_age=freshness(_joined(headers, hdrs.CACHE_CONTROL), headers.get(hdrs.AGE)),
            expires=parse_http_date(headers.get(hdrs.EXPIRES)),
            permanent_redirect=permanent_redirect(chain),
            elapsed=time.monotonic() - started,
        )

    def _status_error(self, hop: _Hop) -> HTTPStatusError:
        """The error for a final status that is neither 2xx nor 304."""
        retry_after = None
        if hop.status in _RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(
                hop.headers.get(hdrs.RETRY_AFTER), now=dt.datetime.now(dt.UTC)
            )
        return HTTPStatusError(
            url=str(hop.url), status=hop.status, reason=_phrase(hop), retry_after=retry_after
        )

    @asynccontextmanager
    async def _host_slot(self, host: str) -> AsyncIterator[None]:
        """Hold one of `per_host` slots for `host`.

        The connector's `limit_per_host` alone is not enough: a request queued for a pooled
        connection already runs its timeouts, so a busy host would make waiting fetches time
        out; and the session is injected, so its connector may be configured differently.
        The semaphore queues fetches *before* their clocks start. Idle slots are dropped so
        the map does not grow with every host ever seen.
        """
        slot = self._slots.get(host)
        if slot is None:
            slot = self._slots[host] = _HostSlot(asyncio.Semaphore(self._limits.per_host))
        slot.users += 1
        try:
            async with slot.semaphore:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[host]

    def _log(
        self, url: URL, started: float, *, hop: _Hop | None = None, error: Exception | None = None
    ) -> None:
        """One DEBUG line per request with url, status, bytes and elapsed as fields."""
        elapsed = time.monotonic() - started
        status = hop.status if hop is not None else None
        size = len(hop.body) if hop is not None else 0
        logger.debug(
            "GET %s -> %s (%d bytes, %.3f s)%s",
            url,
            status if status is not None else "error",
            size,
            elapsed,
            f": {error}" if error is not None else "",
            extra={"url": str(url), "status": status, "bytes": size, "elapsed": elapsed},
        )


def _joined(headers: CIMultiDictProxy[str], name: str) -> str | None:
    """All values of a repeatable header joined by commas, or None if absent."""
    values = headers.getall(name, [])
    return ", ".join(values) if values else None


def _phrase(hop: _Hop) -> str:
    """The standard reason phrase (the server's own text may be anything)."""
    try:
        return HTTPStatus(hop.status).phrase
    except ValueError:
        return hop.reason

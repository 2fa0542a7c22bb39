"""Errors raised while reading a source; `str(error)` is one English line fit for a user.

`SourceError` is the base of every source error (fetch here, parse errors in `parse.py`).
Each `FetchError` says whether it is `transient`: worth retrying later (timeouts, dropped
connections, 5xx, 429) or permanent until someone changes the source (404, too large).
"""

from __future__ import annotations

_KIB = 1024
_MIB = 1024 * 1024


def _one_line(text: str) -> str:
    """Collapse whitespace so that a server's or the OS's text cannot break the line."""
    return " ".join(text.split())


def format_size(size: int) -> str:
    """Render a byte count as people write limits: `10 MiB`, `512 KiB`, `1500 bytes`."""
    if size >= _MIB and size % _MIB == 0:
        return f"{size // _MIB} MiB"
    if size >= _KIB and size % _KIB == 0:
        return f"{size // _KIB} KiB"
    return f"{size} bytes"


def format_seconds(seconds: float) -> str:
    """Render a duration without float noise: `60 s`, `0.25 s`."""
    return f"{seconds:g} s"


class SourceError(Exception):
    """Base of every error about reading a source; `url` is the source as given."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(_one_line(message))
        self.url = url


class FetchError(SourceError):
    """The bytes of a source could not be fetched; `transient` says whether to retry."""

    def __init__(self, message: str, *, url: str, transient: bool) -> None:
        super().__init__(message, url=url)
        self.transient = transient


class HTTPStatusError(FetchError):
    """The server answered with a status that carries no usable body."""

    def __init__(
        self, *, url: str, status: int, reason: str, retry_after: float | None = None
    ) -> None:
        message = f"HTTP {status} {reason} for {url}"  # an empty reason collapses in _one_line
        if retry_after is not None:
            message += f" (retry after {format_seconds(retry_after)})"
        # 408 and 429 are the client-side statuses that mean "later", not "never".
        transient = status in (408, 429) or 500 <= status <= 599
        super().__init__(message, url=url, transient=transient)
        self.status = status
        self.retry_after = retry_after


class FetchTimeout(FetchError):  # noqa: N818 (names fixed by the brief)
    """A connect, a read between two chunks, or a whole request took too long."""

    def __init__(self, *, url: str, seconds: float, doing: str) -> None:
        super().__init__(
            f"timed out after {format_seconds(seconds)} {doing} {url}", url=url, transient=True
        )
        self.seconds = seconds


class ResponseTooLarge(FetchError):  # noqa: N818 (names fixed by the brief)
    """The (decompressed) body exceeded the size cap; fetching stopped at the cap."""

    def __init__(self, *, url: str, limit: int) -> None:
        super().__init__(
            f"response larger than {format_size(limit)} from {url}", url=url, transient=False
        )
        self.limit = limit


class TooManyRedirects(FetchError):  # noqa: N818 (names fixed by the brief)
    """The redirect chain was longer than allowed (or looped)."""

    def __init__(self, *, url: str, count: int) -> None:
        super().__init__(f"too many redirects ({count}) from {url}", url=url, transient=False)
        self.count = count


class ConnectError(FetchError):
    """No connection could be made or kept: DNS, refused, reset, TLS."""

    def __init__(self, *, url: str, host: str, reason: str, transient: bool = True) -> None:
        super().__init__(f"cannot connect to {host}: {reason}", url=url, transient=transient)
        self.host = host


class UnsupportedURL(FetchError):  # noqa: N818 (names fixed by the brief)
    """The URL is neither http(s), file, nor a filesystem path, or it is malformed."""

    def __init__(self, *, url: str, reason: str) -> None:
        super().__init__(f"unsupported URL {url}: {reason}", url=url, transient=False)


class BlockedAddressError(FetchError):
    """An untrusted source's host resolved (or redirected) to a non-public address."""

    def __init__(self, *, url: str, host: str, address: str) -> None:
        super().__init__(
            f"refused to fetch {url}: {host} is not a public address ({address})",
            url=url,
            transient=False,
        )
        self.host = host
        self.address = address

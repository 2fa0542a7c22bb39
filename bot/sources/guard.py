"""The address guard: untrusted sources may only reach public internet addresses.

Sources added from a chat (and the pages their entries link to) are fetched through a session
whose connector checks every address it is about to connect to, so no caller can forget it:
- `GuardedResolver` wraps the connector's resolver and drops every non-public address a name
  resolves to; a name with nothing public left fails with `AddressRefused`;
- `guarded_socket_factory` checks the address of every socket the connector opens, which also
  covers IP literals (aiohttp never asks the resolver about those) and every redirect hop.
Checking at connect time, not when the URL is read, is what defeats a public-looking name that
resolves to 127.0.0.1 (or starts to, later: DNS rebinding). Config sources keep a plain session.

What is public (`is_public_address`, table-tested): `ipaddress`'s `is_global`, minus multicast
and reserved ranges; an IPv6 address that embeds an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`,
NAT64 `64:ff9b::/96`, 6to4, Teredo) is judged by the embedded address, since that is where the
packets end up.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable

from aiohappyeyeballs import AddrInfoType, SocketFactoryType
from aiohttp.abc import AbstractResolver, ResolveResult

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "GuardedResolver",
    "IPAddress",
    "guarded_socket_factory",
    "is_public_address",
]

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressPolicy = Callable[[IPAddress], bool]
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class AddressRefused(OSError):  # noqa: N818 (an OSError: the connector passes it through as one)
    """The guard refused to connect to a non-public address; `host` and `address` say which."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"refused to connect to {host} ({address}): not a public address")
        self.host = host
        self.address = address


def is_public_address(address: IPAddress) -> bool:
    """Whether packets to `address` go to the public internet; see the module docstring."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not address.is_multicast and not address.is_reserved


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def parse_address(text: str) -> IPAddress | None:
    """An address as a resolver or socket reports it (`fe80::1%eth0` too), None if unreadable."""
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _allowed(text: str, policy: AddressPolicy) -> bool:
    address = parse_address(text)
    return address is not None and policy(address)


class GuardedResolver(AbstractResolver):
    """Resolves through `inner`, keeping only the addresses `policy` allows."""

    def __init__(self, inner: AbstractResolver, *, policy: AddressPolicy = is_public_address):
        self._inner = inner
        self._policy = policy

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The allowed addresses of `host`; `AddressRefused` when none is allowed."""
        found = await self._inner.resolve(host, port, family)
        allowed = [result for result in found if _allowed(result["host"], self._policy)]
        refused = [result["host"] for result in found if result not in allowed]
        if refused:
            log.warning(
                "refused non-public addresses of %s: %s",
                host,
                ", ".join(refused),
                extra={"host": host},
            )
        if not allowed:
            raise AddressRefused(host, refused[0] if refused else "no address")
        return allowed

    async def close(self) -> None:
        """Close the wrapped resolver."""
        await self._inner.close()


def guarded_socket_factory(policy: AddressPolicy = is_public_address) -> SocketFactoryType:
    """A connector `socket_factory` refusing, before it connects, what `policy` does not allow."""

    def factory(addr_info: AddrInfoType) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        if not _allowed(str(sockaddr[0]), policy):
            log.warning("refused to connect to %s: not a public address", sockaddr[0])
            raise AddressRefused(str(sockaddr[0]), str(sockaddr[0]))
        return socket.socket(family=family, type=type_, proto=proto)

    return factory

"""A DNS that answers from a table: public-looking names mapped to loopback for tests."""

from __future__ import annotations

import socket
from collections.abc import Mapping

from aiohttp.abc import AbstractResolver, ResolveResult


class MappedResolver(AbstractResolver):
    """Resolves the names in `table` to their addresses; any other name does not exist."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = dict(table)
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The table's address for `host`, as the system resolver would report it."""
        self.asked.append(host)
        address = self.table.get(host)
        if address is None:
            raise OSError(socket.EAI_NONAME, f"{host} is not in the test DNS")
        kind = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [
            ResolveResult(hostname=host, host=address, port=port, family=kind, proto=0, flags=0)
        ]

    async def close(self) -> None:
        """Nothing to release."""

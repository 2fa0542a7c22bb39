"""The console platform: alerts for `console` targets go to stdout as plain text."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from bot.delivery.platform import Outgoing
from bot.delivery.render import render_plain, render_plain_edit
from bot.model import Target

log = logging.getLogger(__name__)


class ConsolePlatform:
    """Prints each alert as one block, with one blank line between alerts (contract)."""

    name = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._count = 0

    async def send_alert(self, outgoing: Outgoing) -> str | None:
        """Write the alert; the running count serves as its message id."""
        self._write(render_plain(outgoing.alert, outgoing.language, outgoing.zone))
        return str(self._count)

    async def edit_alert(self, outgoing: Outgoing) -> None:
        """stdout cannot change what it printed: the new reports follow as a block of their
        own, `Also reported by: …` with each outlet and link."""
        if len(outgoing.alert.also) > outgoing.shown:
            self._write(render_plain_edit(outgoing.alert, outgoing.language, shown=outgoing.shown))

    def _write(self, block: str) -> None:
        stream = self._stream or sys.stdout
        separator = "\n" if self._count else ""
        stream.write(f"{separator}{block}\n")
        stream.flush()
        self._count += 1

    async def start(self) -> None:
        """Nothing to connect: stdout is always there."""

    async def stop(self) -> None:
        """Nothing to close; stdout belongs to the process."""

    async def send_notice(self, target: Target, text: str) -> None:
        """Notices are for operators here: they go to the log, not between the alerts."""
        log.warning("%s", text, extra={"chat": str(target)})

    def healthy(self) -> bool:
        """stdout cannot disconnect."""
        return True

"""Webhook mode: Telegram POSTs updates to newsbot behind a reverse proxy (aiohttp, no tornado)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    """Receives updates on `listen:port` at the webhook URL's path and queues them for PTB."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        *,
        url: str,
        listen: str,
        port: int,
        secret: str | None,
    ) -> None:
        self._application = application
        self._url = url
        self._path = urlsplit(url).path or "/"
        self._listen = listen
        self._port = port
        self._secret = secret
        self._runner: web.AppRunner | None = None

    async def start(self, allowed_updates: Sequence[str]) -> None:
        """Listen first, then tell Telegram where to send (so no update finds a closed door)."""
        app = web.Application()
        app.router.add_post(self._path, self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()
        await self._application.bot.set_webhook(
            url=self._url, secret_token=self._secret, allowed_updates=list(allowed_updates)
        )
        log.info("receiving Telegram updates by webhook on %s:%d", self._listen, self._port)

    async def stop(self) -> None:
        """Stop listening; the webhook stays set so Telegram keeps updates until we are back."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if self._secret is not None and not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self._application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("ignoring a malformed webhook update: %s", exc)
            return web.Response(status=400)
        await self._application.update_queue.put(update)
        return web.Response()

"""Loopback fakes of LibreTranslate, DeepL and an OpenAI-compatible server, in one app.

Each endpoint answers like the real service where newsbot depends on it: the request shapes
they document, their auth failures (403; OpenAI's 401), 429 with Retry-After, 5xx, answers
that never come, non-JSON bodies, DeepL's `detected_source_language` and OpenAI's
`choices[0].message.content`. Tests change `behaviour` between requests.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

KEY = "test-key-123"  # the key every endpoint accepts


@dataclass
class Behaviour:
    """How the next answers behave."""

    status: int = 200
    retry_after: str | None = None  # sent with 429
    delay: float = 0.0  # seconds before answering (past the client's timeout: a timeout)
    malformed: bool = False  # a 200 with an HTML body instead of JSON
    wrong_count: bool = False  # one translation fewer than texts sent
    fenced: bool = False  # OpenAI only: the JSON array inside a markdown code fence


@dataclass
class Recorded:
    """One request as the fake received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class TranslateAPI:
    """The three services on one loopback port; `url` is the base URL for every client."""

    source_language: str = "en"  # what the fake "detects"
    dictionary: dict[tuple[str, str], str] = field(default_factory=dict)  # (text, target)
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list[Recorded] = field(default_factory=list)
    server: TestServer | None = None

    async def __aenter__(self) -> TranslateAPI:
        app = web.Application()
        app.router.add_post("/translate", self._libretranslate)
        app.router.add_post("/v2/translate", self._deepl)
        app.router.add_post("/v1/chat/completions", self._openai)
        self.server = TestServer(app)
        await self.server.start_server()
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.server is not None:
            await self.server.close()

    @property
    def url(self) -> str:
        """The base URL (no trailing slash)."""
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    def translated(self, text: str, target: str) -> str:
        """What the fake answers for `text`: the dictionary's entry, else a tagged copy."""
        return self.dictionary.get((text, target), f"[{target}] {text}")

    async def _prelude(self, request: web.Request) -> tuple[dict[str, Any], web.Response | None]:
        """Record the request, wait, and return the failure the behaviour asks for, if any."""
        try:
            body = await request.json()
        except ValueError:
            body = {}
        self.requests.append(Recorded(request.path, dict(request.headers), body))
        behaviour = self.behaviour
        if behaviour.delay:
            await asyncio.sleep(behaviour.delay)
        if behaviour.status == 429:
            headers = {"Retry-After": behaviour.retry_after} if behaviour.retry_after else {}
            return body, web.json_response(
                {"error": "Too many requests"}, status=429, headers=headers
            )
        if behaviour.status >= 500:
            return body, web.Response(status=behaviour.status, text="upstream failure")
        if behaviour.status != 200:
            return body, web.json_response({"error": "refused"}, status=behaviour.status)
        if behaviour.malformed:
            return body, web.Response(text="<html>Bad Gateway</html>", content_type="text/html")
        return body, None

    def _texts(self, texts: list[str], target: str) -> list[str]:
        out = [self.translated(text, target) for text in texts]
        return out[:-1] if self.behaviour.wrong_count else out

    async def _libretranslate(self, request: web.Request) -> web.Response:
        body, failure = await self._prelude(request)
        if failure is not None:
            return failure
        if body.get("api_key") != KEY:
            return web.json_response({"error": "Invalid API key"}, status=403)
        q, target = body.get("q"), str(body.get("target", ""))
        if not q or not target or body.get("format") not in ("text", "html"):
            return web.json_response({"error": "Invalid request: missing q"}, status=400)
        texts = q if isinstance(q, list) else [q]
        answer: dict[str, Any] = {"translatedText": self._texts(texts, target)}
        if not isinstance(q, list):
            answer["translatedText"] = answer["translatedText"][0]
        if body.get("source") == "auto":
            detected = {"confidence": 92.0, "language": self.source_language}
            answer["detectedLanguage"] = (
                [detected] * len(texts) if isinstance(q, list) else detected
            )
        return web.json_response(answer)

    async def _deepl(self, request: web.Request) -> web.Response:
        body, failure = await self._prelude(request)
        if failure is not None:
            return failure
        if request.headers.get("Authorization") != f"DeepL-Auth-Key {KEY}":
            return web.json_response({"message": "Authorization failed"}, status=403)
        texts, target = body.get("text"), str(body.get("target_lang", ""))
        if not isinstance(texts, list) or not target:
            return web.json_response({"message": "Value for 'text' not supported."}, status=400)
        source = str(body.get("source_lang") or self.source_language).upper()
        language = target.split("-")[0].lower()
        translations = [
            {"detected_source_language": source, "text": text}
            for text in self._texts(texts, language)
        ]
        return web.json_response({"translations": translations})

    async def _openai(self, request: web.Request) -> web.Response:
        body, failure = await self._prelude(request)
        if failure is not None:
            return failure
        if request.headers.get("Authorization") != f"Bearer {KEY}":
            return web.json_response({"error": {"message": "Incorrect API key"}}, status=401)
        messages = body.get("messages") or []
        try:
            texts = json.loads(messages[-1]["content"])
        except (KeyError, IndexError, TypeError, ValueError):
            return web.json_response({"error": {"message": "bad messages"}}, status=400)
        target = "de" if "into German" in messages[0].get("content", "") else "en"
        content = json.dumps(self._texts(texts, target), ensure_ascii=False)
        if self.behaviour.fenced:
            content = f"```json\n{content}\n```"
        return web.json_response(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
            }
        )

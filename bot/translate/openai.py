"""OpenAI-compatible chat completions (Ollama, llama.cpp, vLLM, hosted services)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import aiohttp
from babel import Locale

from bot.translate.base import Translation, post_json, strings
from bot.translate.errors import MalformedTranslationError

MAX_TOKENS = 1024  # a title and a 400-character summary need far fewer; caps a runaway answer
PROMPT = (
    "You are a translation engine. The user sends a JSON array of strings written in "
    "{source}. Translate each string into {target}. Reply with only a JSON array of the "
    "translated strings, the same length and order, without any comment. Keep names, "
    "numbers and product names unchanged."
)
# Local models like to wrap JSON in a markdown fence despite being told not to.
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


def language_name(code: str | None) -> str:
    """`de` -> `German`: models follow names better than codes."""
    if not code:
        return "the language it is written in"
    return str(Locale("en").languages.get(code, code))


class OpenAIClient:
    """Any server speaking OpenAI's chat-completions API, with a fixed prompt at temperature 0."""

    name = "openai"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        url: str,
        key: str | None,
        model: str,
        timeout: float,
    ) -> None:
        self._session = session
        self._url = url.rstrip("/")
        self._key = key
        self._model = model
        self._timeout = timeout

    async def translate(
        self, texts: Sequence[str], *, source: str | None, target: str
    ) -> Translation:
        """One completion for all texts; its content must be a JSON array of strings."""
        prompt = PROMPT.format(source=language_name(source), target=language_name(target))
        body = {
            "model": self._model,
            "temperature": 0,
            "max_tokens": MAX_TOKENS,
            "messages": [
                {"role": "system", "content": prompt},
                {"role": "user", "content": json.dumps(list(texts), ensure_ascii=False)},
            ],
        }
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        answer = await post_json(
            self._session,
            f"{self._url}/v1/chat/completions",
            service=self.name,
            body=body,
            headers=headers,
            seconds=self._timeout,
        )
        content = _content(answer)
        fenced = _FENCE.match(content.strip())
        try:
            parsed = json.loads(fenced.group(1) if fenced else content)
        except ValueError as exc:
            raise MalformedTranslationError(f"{self.name}: the reply is not a JSON array") from exc
        return Translation(strings(parsed, len(texts), service=self.name), source)


def _content(answer: object) -> str:
    """choices[0].message.content, else MalformedTranslationError."""
    try:
        content = answer["choices"][0]["message"]["content"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError) as exc:
        raise MalformedTranslationError("openai: no choices[0].message.content") from exc
    if not isinstance(content, str):
        raise MalformedTranslationError("openai: the message content is not text")
    return content

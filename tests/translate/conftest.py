"""Fixtures of the translation tests: the loopback fake services and one client session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from tests.fakes.translate_api import TranslateAPI


@pytest.fixture
async def api() -> AsyncIterator[TranslateAPI]:
    """LibreTranslate, DeepL and OpenAI fakes on one loopback port."""
    async with TranslateAPI() as fake:
        yield fake


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """The one HTTP session the clients share, as the app's would be."""
    async with aiohttp.ClientSession() as opened:
        yield opened

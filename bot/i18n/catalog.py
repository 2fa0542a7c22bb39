"""Lookup of localised messages; the texts themselves live in `de.py` and `en.py`."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import de, en
from bot.model import Language

DEFAULT_LANGUAGE: Language = "en"

_CATALOGS: Mapping[str, Mapping[str, str]] = {"de": de.MESSAGES, "en": en.MESSAGES}


class MissingMessageError(KeyError):
    """A message key is in neither the requested catalogue nor the English one."""


def translate(language: str | None, key: str, /, **params: object) -> str:
    """The message `key` in `language` (English when that language lacks it), formatted."""
    catalog = _CATALOGS.get(language or DEFAULT_LANGUAGE, _CATALOGS[DEFAULT_LANGUAGE])
    template = catalog.get(key) or _CATALOGS[DEFAULT_LANGUAGE].get(key)
    if template is None:
        raise MissingMessageError(key)
    return template.format(**params) if params else template


def message_keys(language: str) -> frozenset[str]:
    """Every key the catalogue of `language` defines (for completeness tests)."""
    return frozenset(_CATALOGS[language])


def language_for_locale(locale: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """Map a platform locale (`de`, `de-AT`, `en_US`, …) to a supported language."""
    if not locale:
        return default
    prefix = locale.replace("_", "-").split("-", 1)[0].lower()
    if prefix == "de":
        return "de"
    if prefix == "en":
        return "en"
    return default

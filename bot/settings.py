"""Settings: environment over the TOML config file over the defaults, validated once at start."""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from bot.i18n.time import UnknownZoneError, parse_zone
from bot.model import Language, Target

DEFAULT_CONFIG = Path("config/newsbot.toml")
DEEPL_FREE_URL = "https://api-free.deepl.com"
TranslateService = Literal["off", "libretranslate", "deepl", "openai"]
ENV_PREFIX = "NEWSBOT_"


class SettingsError(ValueError):
    """The settings cannot be used; the message says which value and why, one line each."""


class SourceConfig(BaseModel):
    """One `[[sources]]` table of the config file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    url: str = Field(min_length=1)
    interval: int | None = Field(default=None, ge=1)
    language: Language | None = None
    full_text: bool = False
    backfill: int = Field(default=0, ge=0)


class SubscriptionConfig(BaseModel):
    """One `[[subscriptions]]` table: an operator-managed subscription."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: Target
    query: str = Field(min_length=1)
    language: Language | None = None

    @field_validator("target", mode="before")
    @classmethod
    def _parse_target(cls, value: object) -> object:
        return Target.parse(value) if isinstance(value, str) else value

    @field_validator("query")
    @classmethod
    def _check_query(cls, value: str) -> str:
        # Imported here so that settings stay importable without the matcher's dependencies.
        from bot.matching import parse_query

        parse_query(value)
        return value


class Settings(BaseSettings):
    """Every setting of the contract's table, plus the config file's sources and subscriptions."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        frozen=True,
        case_sensitive=False,
    )

    config: Path = DEFAULT_CONFIG
    database_url: str = "sqlite+aiosqlite:///data/newsbot.db"
    language: Language = "en"
    poll_interval: int = Field(default=300, ge=1)
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    discord_token: SecretStr | None = None
    discord_api_url: str = "https://discord.com/api/v10"
    admins: Annotated[frozenset[str], NoDecode] = frozenset()
    http_port: int = Field(default=8080, ge=0, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    max_subscriptions_per_chat: int = Field(default=50, ge=1)
    max_query_length: int = Field(default=300, ge=10)
    summary_max_chars: int = Field(default=400, ge=80)
    pause_after_failures: int = Field(default=20, ge=0)  # 0: never pause a failing source
    max_entries_per_poll: int = Field(default=200, ge=1)  # newest entries read per poll
    user_agent_contact: str = ""
    sources: tuple[SourceConfig, ...] = ()
    subscriptions: tuple[SubscriptionConfig, ...] = ()
    # Telegram webhook mode (instead of long polling), for production behind a reverse proxy.
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    telegram_webhook_secret: SecretStr | None = None
    # Local time: the zone of chats that have not chosen one with /timezone.
    timezone: str = "UTC"
    # Machine translation of alerts whose article is in another language than the subscription.
    translate: TranslateService = "off"
    translate_url: str | None = None  # base URL; DeepL defaults to its free API
    translate_key: SecretStr | None = None
    translate_model: str = ""  # for `openai`: the model name the server knows
    translate_timeout: float = Field(default=5.0, gt=0, le=60)

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if isinstance(value, list | tuple | set | frozenset):
            for item in value:
                platform, sep, user = str(item).partition(":")
                if platform not in ("telegram", "discord") or not sep or not user.isdigit():
                    raise ValueError(f"{item!r} is not 'telegram:<user id>' or 'discord:<user id>'")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_token", "discord_token", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("translate", mode="before")
    @classmethod
    def _blank_is_off(cls, value: object) -> object:
        return "off" if isinstance(value, str) and not value.strip() else value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        # An empty NEWSBOT_TIMEZONE= line in an env file means the default, not an error.
        if not value.strip():
            return "UTC"
        try:
            return parse_zone(value).key
        except UnknownZoneError as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("translate_url", "translate_key", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _check_translation(self) -> Settings:
        if self.translate in ("libretranslate", "openai") and not self.translate_url:
            raise ValueError(f"translate = {self.translate!r} needs NEWSBOT_TRANSLATE_URL")
        if self.translate == "openai" and not self.translate_model:
            raise ValueError("translate = 'openai' needs NEWSBOT_TRANSLATE_MODEL")
        if self.translate == "deepl" and self.translate_key is None:
            raise ValueError("translate = 'deepl' needs NEWSBOT_TRANSLATE_KEY")
        return self

    @property
    def translate_base_url(self) -> str:
        """The translation service's base URL without a trailing slash (DeepL: its free API)."""
        url = self.translate_url or (DEEPL_FREE_URL if self.translate == "deepl" else "")
        return url.rstrip("/")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The config file arrives as init values; the environment must beat it (contract).
        return env_settings, init_settings

    def is_admin(self, platform: str, user_id: str | int) -> bool:
        """Whether `platform:user_id` is listed in NEWSBOT_ADMINS."""
        return f"{platform}:{user_id}" in self.admins


def load_settings(config: Path | None = None) -> Settings:
    """Read the config file (the `--config` path, else NEWSBOT_CONFIG, else the default).

    A missing file is an error only when it was named; the default path may be absent,
    so that `newsbot check` works anywhere.
    """
    env_path = os.environ.get(f"{ENV_PREFIX}CONFIG")
    path = config or Path(env_path or DEFAULT_CONFIG)
    values = _read_toml(path, required=config is not None or bool(env_path))
    values["config"] = path
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise SettingsError(_describe(exc, path)) from exc


def config_problems(settings: Settings, *, running: bool) -> list[str]:
    """What in the config file cannot work, one line each; [] when all is well.

    Duplicate sources (same URL) and subscriptions (same target and query) would break the
    store's unique rules half-way through the start; a `telegram:`/`discord:` subscription
    without that platform's token (checked for `run` only) would queue alerts nobody sends.
    """
    problems: list[str] = []
    where = settings.config
    seen_urls: dict[str, int] = {}
    for number, source in enumerate(settings.sources):
        first = seen_urls.setdefault(source.url.strip(), number)
        if first != number:
            problems.append(
                f"sources[{number}] ({source.name!r}) in {where} has the same url as "
                f"sources[{first}]: {source.url}"
            )
    tokens = {"telegram": settings.telegram_token, "discord": settings.discord_token}
    seen_subscriptions: dict[tuple[str, str, str, str], int] = {}
    for number, sub in enumerate(settings.subscriptions):
        target = sub.target
        key = (target.platform, target.chat, target.thread or "", " ".join(sub.query.split()))
        first = seen_subscriptions.setdefault(key, number)
        label = f"subscriptions[{number}] ({target} {sub.query!r}) in {where}"
        if first != number:
            problems.append(f"{label} repeats subscriptions[{first}]")
        if running and target.platform in tokens and tokens[target.platform] is None:
            variable = f"{ENV_PREFIX}{target.platform.upper()}_TOKEN"
            problems.append(f"{label} needs {variable}, which is not set")
    return problems


def unknown_environment(environ: Mapping[str, str]) -> list[str]:
    """A warning for each NEWSBOT_* variable that is no setting (a typo is otherwise ignored)."""
    known = [f"{ENV_PREFIX}{name.upper()}" for name in Settings.model_fields]
    warnings: list[str] = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known:
            continue
        close = difflib.get_close_matches(upper, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        warnings.append(f"unknown environment variable {name} is ignored{hint}")
    return warnings


def _read_toml(path: Path, *, required: bool) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        if required:
            raise SettingsError(f"config file not found: {path}") from exc
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {exc.strerror}") from exc


def _describe(exc: ValidationError, path: Path) -> str:
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "settings"
        env_name = f"{ENV_PREFIX}{where.upper()}" if len(error["loc"]) == 1 else None
        origin = f"{env_name} or {where} in {path}" if env_name else f"{where} in {path}"
        message = str(error["msg"]).removeprefix("Value error, ")
        secret = "token" in where or "key" in where or where == "settings"
        shown = "" if secret else f" (got {error.get('input')!r})"
        lines.append(f"invalid setting {origin}: {message}{shown}")
    return "\n".join(lines)

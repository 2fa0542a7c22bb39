"""Settings: the contract's names and defaults, precedence env > file > defaults, clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.model import Target
from bot.settings import DEFAULT_CONFIG, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Start each test without NEWSBOT_* variables and away from the repo's config file."""
    for name in list(os.environ):
        if name.startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_match_the_contract() -> None:
    """With no file and no environment, every setting has the contract's default."""
    settings = load_settings()
    assert settings.config == DEFAULT_CONFIG
    assert settings.database_url == "sqlite+aiosqlite:///data/newsbot.db"
    assert settings.language == "en"
    assert settings.poll_interval == 300
    assert settings.telegram_token is None
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.discord_token is None
    assert settings.discord_api_url == "https://discord.com/api/v10"
    assert settings.admins == frozenset()
    assert settings.http_port == 8080
    assert settings.log_level == "INFO"
    assert settings.sources == ()
    assert settings.timezone == "UTC"
    assert (settings.translate, settings.translate_url, settings.translate_key) == (
        "off",
        None,
        None,
    )


def test_file_overrides_defaults_and_env_overrides_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The config file beats the defaults; NEWSBOT_* variables beat the file."""
    path = _write(tmp_path, 'language = "de"\npoll_interval = 120\nhttp_port = 9000\n')
    monkeypatch.setenv("NEWSBOT_POLL_INTERVAL", "60")
    settings = load_settings(path)
    assert settings.language == "de"
    assert settings.poll_interval == 60
    assert settings.http_port == 9000


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """NEWSBOT_CONFIG names the file when --config is not given."""
    path = _write(tmp_path, 'language = "de"\n')
    monkeypatch.setenv("NEWSBOT_CONFIG", str(path))
    assert load_settings().language == "de"


def test_sources_and_subscriptions_are_read(tmp_path: Path) -> None:
    """The file's [[sources]] and [[subscriptions]] tables become typed settings."""
    path = _write(
        tmp_path,
        """
[[sources]]
name = "heise online"
url = "https://www.heise.de/rss/heise-atom.xml"
interval = 120
language = "de"
full_text = true

[[subscriptions]]
target = "telegram:@xiaomi_news"
query = 'xiaomi OR "lei jun"'
language = "de"

[[subscriptions]]
target = "console"
query = "redmi*"
""",
    )
    settings = load_settings(path)
    (source,) = settings.sources
    assert (source.name, source.interval, source.language, source.full_text) == (
        "heise online",
        120,
        "de",
        True,
    )
    assert [s.target for s in settings.subscriptions] == [
        Target("telegram", "@xiaomi_news"),
        Target("console"),
    ]


def test_admins_are_split_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """NEWSBOT_ADMINS is a comma-separated list of platform:user_id."""
    monkeypatch.setenv("NEWSBOT_ADMINS", "telegram:123, discord:456")
    settings = load_settings()
    assert settings.is_admin("telegram", 123)
    assert settings.is_admin("discord", "456")
    assert not settings.is_admin("discord", 123)


def test_blank_token_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty NEWSBOT_TELEGRAM_TOKEN (as compose files leave it) disables Telegram."""
    monkeypatch.setenv("NEWSBOT_TELEGRAM_TOKEN", "  ")
    assert load_settings().telegram_token is None


@pytest.mark.parametrize(
    ("env", "file", "fragment"),
    [
        pytest.param({"NEWSBOT_POLL_INTERVAL": "0"}, "", "NEWSBOT_POLL_INTERVAL", id="interval-0"),
        pytest.param({"NEWSBOT_LANGUAGE": "fr"}, "", "NEWSBOT_LANGUAGE", id="language-fr"),
        pytest.param({"NEWSBOT_HTTP_PORT": "70000"}, "", "NEWSBOT_HTTP_PORT", id="port"),
        pytest.param({"NEWSBOT_ADMINS": "telegram:abc"}, "", "telegram:abc", id="admin"),
        pytest.param(
            {"NEWSBOT_TIMEZONE": "Europe/Berln"}, "", "did you mean Europe/Berlin", id="zone"
        ),
        pytest.param({"NEWSBOT_TRANSLATE": "google"}, "", "NEWSBOT_TRANSLATE", id="translate"),
        pytest.param(
            {"NEWSBOT_TRANSLATE": "libretranslate"}, "", "needs NEWSBOT_TRANSLATE_URL", id="no-url"
        ),
        pytest.param(
            {"NEWSBOT_TRANSLATE": "openai", "NEWSBOT_TRANSLATE_URL": "http://ollama:11434"},
            "",
            "needs NEWSBOT_TRANSLATE_MODEL",
            id="no-model",
        ),
        pytest.param(
            {"NEWSBOT_TRANSLATE": "deepl"}, "", "needs NEWSBOT_TRANSLATE_KEY", id="no-key"
        ),
        pytest.param({}, "unknown = 1\n", "unknown", id="unknown-key"),
        pytest.param({}, "poll_interval = [\n", "not valid TOML", id="bad-toml"),
        pytest.param(
            {}, '[[subscriptions]]\ntarget = "slack:1"\nquery = "x"\n', "slack", id="bad-target"
        ),
        pytest.param(
            {},
            '[[subscriptions]]\ntarget = "console"\nquery = "(xiaomi"\n',
            "position",
            id="bad-query",
        ),
        pytest.param(
            {}, '[[sources]]\nname = "x"\nurl = "https://x"\ninterval = 0\n', "interval", id="src"
        ),
    ],
)
def test_bad_values_give_one_clear_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    file: str,
    fragment: str,
) -> None:
    """Each bad value is refused at start with a message naming the setting."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    path = _write(tmp_path, file)
    with pytest.raises(SettingsError, match=fragment):
        load_settings(path)


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    """A config path given explicitly but missing is an error, not silently ignored."""
    with pytest.raises(SettingsError, match="config file not found"):
        load_settings(tmp_path / "missing.toml")


def test_tokens_never_appear_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A validation error elsewhere does not echo a token's value."""
    monkeypatch.setenv("NEWSBOT_TELEGRAM_TOKEN", "123:SECRET")
    monkeypatch.setenv("NEWSBOT_POLL_INTERVAL", "-5")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "SECRET" not in str(info.value)


def test_translate_key_never_appears_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused translation setup does not echo the translation key."""
    monkeypatch.setenv("NEWSBOT_TRANSLATE", "openai")
    monkeypatch.setenv("NEWSBOT_TRANSLATE_URL", "http://ollama:11434")
    monkeypatch.setenv("NEWSBOT_TRANSLATE_KEY", "sk-SECRET")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "SECRET" not in str(info.value)
    monkeypatch.setenv("NEWSBOT_TRANSLATE_MODEL", "llama3.1")
    assert "SECRET" not in repr(load_settings())  # as a log line would show the settings


@pytest.mark.parametrize(
    ("env", "zone", "url"),
    [
        ({"NEWSBOT_TIMEZONE": "europe/berlin"}, "Europe/Berlin", ""),
        (
            {"NEWSBOT_TRANSLATE": "deepl", "NEWSBOT_TRANSLATE_KEY": "k"},
            "UTC",
            "https://api-free.deepl.com",
        ),
        (
            {"NEWSBOT_TIMEZONE": "", "NEWSBOT_TRANSLATE": " ", "NEWSBOT_TRANSLATE_KEY": ""},
            "UTC",
            "",
        ),
        (
            {"NEWSBOT_TRANSLATE": "libretranslate", "NEWSBOT_TRANSLATE_URL": "http://lt:5000/"},
            "UTC",
            "http://lt:5000",
        ),
    ],
    ids=["zone-spelling", "deepl-free-default", "blank-lines-are-defaults", "trailing-slash"],
)
def test_zone_and_translation_url(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], zone: str, url: str
) -> None:
    """The zone is stored as the tz database spells it; DeepL defaults to its free API."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    assert (settings.timezone, settings.translate_base_url) == (zone, url)


def test_shipped_config_is_valid() -> None:
    """config/newsbot.toml as shipped loads, with German and English sources."""
    settings = load_settings(Path(__file__).parents[2] / "config" / "newsbot.toml")
    languages = {source.language for source in settings.sources}
    assert {"de", "en"} <= languages
    assert len(settings.sources) >= 8
    assert settings.subscriptions[0].query == 'xiaomi OR "lei jun"'

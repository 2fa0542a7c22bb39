"""`newsbot run` start-up failures: one clear line and exit status 1, no traceback."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No NEWSBOT_* from the shell, no config file, a database in tmp_path."""
    for name in list(os.environ):
        if name.startswith("NEWSBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_taken_http_port_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    """A port already in use names the port and the setting that moves it."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        os.environ["NEWSBOT_HTTP_PORT"] = str(port)
        try:
            status = main(["run"])
        finally:
            del os.environ["NEWSBOT_HTTP_PORT"]
    err = capsys.readouterr().err
    assert status == 1
    assert f"port {port}" in err
    assert "NEWSBOT_HTTP_PORT" in err
    assert "Traceback" not in err


def test_unusable_database_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database path below a plain file cannot be created: exit 1 with the reason."""
    (tmp_path / "blocker").write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("NEWSBOT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/blocker/x.db")
    monkeypatch.setenv("NEWSBOT_HTTP_PORT", "0")
    status = main(["run"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("newsbot run: ")
    assert "Traceback" not in err

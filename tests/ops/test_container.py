"""What the container does, without Docker: build the wheel, install it, run, probe, stop.

The image installs the wheel into a clean environment and runs `newsbot run` with the
health check on `/healthz`; `docker stop` sends SIGTERM and kills after 10 s. Here:

- the wheel is built offline from a copy of the sources (pip wheel, no build isolation:
  the dev environment's setuptools, pinned >= 77 by the `dev` extra, is the backend);
- it is installed with pip into a fresh virtual environment. The machine has no network, so
  the dependencies cannot be downloaded: a `.pth` file makes a directory of links to the
  dev environment's *dependencies* importable (newsbot's own editable install left out),
  and pip resolves the wheel's requirements against them with `--no-index`. newsbot itself,
  its data files (migrations) and its console script come from the wheel alone, which the
  test checks; a missing package-data entry or entry point fails here as in the image.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import sysconfig
from pathlib import Path

from tests.fakes.feeds import FeedItem, NewsSite
from tests.ops.botproc import BotProcess, bot_env, free_port, write_config

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("pyproject.toml", "README.md")


async def _run(*command: str | Path, cwd: Path | None = None) -> str:
    proc = await asyncio.create_subprocess_exec(
        *map(str, command),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await proc.communicate()
    text = output.decode(errors="replace")
    assert proc.returncode == 0, f"{command} failed:\n{text}"
    return text


async def _build_wheel(tmp_path: Path) -> Path:
    """Build newsbot's wheel from a clean copy of the sources (no build/ left in the tree)."""
    source = tmp_path / "src"
    shutil.copytree(ROOT / "bot", source / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    await _run(
        sys.executable,
        *("-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index"),
        *("-w", wheels, source),
    )
    (wheel,) = wheels.glob("newsbot-*.whl")
    return wheel


def _dependencies_dir(tmp_path: Path) -> Path:
    """Links to every installed distribution of this environment except newsbot itself."""
    deps = tmp_path / "deps"
    deps.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("newsbot", "__editable__", "_newsbot")) or name.endswith(".pth"):
            continue
        (deps / entry.name).symlink_to(entry)
    return deps


async def _install(tmp_path: Path, wheel: Path) -> Path:
    """A fresh virtual environment with the wheel installed by pip; returns its bin/."""
    venv = tmp_path / "venv"
    await _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = await _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    pth = Path(purelib.strip(), "newsbot-deps.pth")
    await asyncio.to_thread(pth.write_text, f"{_dependencies_dir(tmp_path)}\n")
    await _run(python, "-m", "pip", "install", "--quiet", "--no-index", wheel)
    # cwd: not the source tree, whose bot/ would shadow the installed one (as -c adds cwd).
    where = await _run(python, "-c", "import bot; print(bot.__file__)", cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(purelib.strip()), where
    return venv / "bin"


async def test_built_wheel_runs_reports_health_and_stops_on_sigterm(tmp_path: Path) -> None:
    """Installed from its wheel, newsbot serves /healthz and /metrics and exits 0 on SIGTERM."""
    wheel = await _build_wheel(tmp_path)
    bin_dir = await _install(tmp_path, wheel)
    async with NewsSite() as site:
        site.publish("golem", FeedItem(guid="1", title="Xiaomi zeigt Smartphone", description="x"))
        config = write_config(tmp_path / "newsbot.toml", site)
        env = bot_env(tmp_path, config, free_port())
        bot = await BotProcess.start([str(bin_dir / "newsbot"), "run"], env=env, cwd=tmp_path)
        try:
            health = json.loads(await bot.wait_healthy())
            await bot.wait_for(lambda: site.requests.get("golem", 0) >= 1)
            status, metrics = await bot.get("/metrics")
            code, took = await bot.terminate()
        finally:
            await bot.kill()
    assert health["status"] == "ok"
    assert set(health["components"]) >= {"store", "poller", "outbox", "console"}
    assert status == 200
    assert "newsbot_fetches_total" in metrics
    assert "newsbot_outbox_depth" in metrics
    assert code == 0, bot.log()
    assert took < 10, f"SIGTERM to exit took {took:.1f} s"
    assert "stopped cleanly" in bot.log()
    assert (tmp_path / "data" / "newsbot.db").exists()

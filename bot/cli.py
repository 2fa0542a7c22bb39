"""Command line: parse arguments, load settings, hand over to the app or to `check`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.errors import EXIT_OK, EXIT_SOURCE_FAILED, EXIT_USAGE, NewsbotError, UsageError
from bot.logs import configure_logging
from bot.settings import SettingsError, config_problems, load_settings, unknown_environment

log = logging.getLogger("bot.cli")


def build_parser() -> argparse.ArgumentParser:
    """The `newsbot` argument parser with its `run`, `check`, `backup`, `restore` subcommands."""
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Watch news sources for brand keywords and post condensed alerts.",
    )
    parser.add_argument("--version", action="version", version=f"newsbot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the poller and every configured platform")
    run.add_argument("--config", type=Path, help="TOML config file (default: NEWSBOT_CONFIG)")

    check = commands.add_parser(
        "check", help="dry run: print the alerts SOURCE... would give for a query"
    )
    check.add_argument("sources", nargs="+", metavar="SOURCE", help="feed or page URL, or file")
    queries = check.add_mutually_exclusive_group(required=True)
    queries.add_argument("--query", help="one query, e.g. 'xiaomi OR \"lei jun\"'")
    queries.add_argument("--queries", type=Path, metavar="FILE", help="one query per line")
    check.add_argument("--lang", choices=("de", "en"), help="language of the alerts")
    check.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    check.add_argument(
        "--full-text", action="store_true", help="fetch each matching article's page to condense"
    )
    check.add_argument("--config", type=Path, help=argparse.SUPPRESS)

    backup = commands.add_parser(
        "backup", help="copy the live SQLite database to FILE (refuses an empty one)"
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    backup.add_argument("--config", type=Path, help="TOML config file (default: NEWSBOT_CONFIG)")
    restore = commands.add_parser(
        "restore", help="replace the (stopped) database by the backup FILE, after checking it"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--config", type=Path, help="TOML config file (default: NEWSBOT_CONFIG)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsbot` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    problems = config_problems(settings, running=args.command == "run")
    if problems:
        for problem in problems:
            print(f"newsbot: {problem}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(settings.log_level, fmt=settings.log_format)
    for warning in unknown_environment(os.environ):
        log.warning("%s", warning)
    try:
        if args.command == "check":
            from bot.check import CheckOptions, run_check

            options = CheckOptions(
                sources=tuple(args.sources),
                queries=_read_queries(args.query, args.queries),
                language=args.lang or settings.language,
                output=args.output,
                full_text=args.full_text,
            )
            return asyncio.run(run_check(options, settings=settings))
        if args.command in ("backup", "restore"):
            return _backup_or_restore(args.command, args.file, settings.database_url)
        from bot.app import run_app

        return asyncio.run(run_app(settings))
    except UsageError as exc:
        print(f"newsbot {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except NewsbotError as exc:
        # Start-up failures (database, port, platform login) are the operator's to fix.
        print(f"newsbot {args.command}: {exc}", file=sys.stderr)
        return EXIT_SOURCE_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `newsbot check ... | head`: the reader is gone, which is not an error. Point stdout
        # at /dev/null so that the interpreter's final flush does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _backup_or_restore(command: str, file: Path, database_url: str) -> int:
    """`newsbot backup FILE` / `newsbot restore FILE`: say what was saved or restored."""
    from bot.store.backup import backup_database, database_file, restore_database

    database = database_file(database_url)
    if command == "backup":
        report = backup_database(database, file)
        print(f"saved {report.summary()} from {database} to {file}")
    else:
        report = restore_database(file, database)
        print(f"restored {report.summary()} from {file} into {database}")
    return EXIT_OK


def _read_queries(query: str | None, path: Path | None) -> tuple[tuple[str, str], ...]:
    """(where, query text) pairs; `where` names the query's origin in error messages."""
    if query is not None:
        return (("--query", query),)
    assert path is not None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UsageError(f"cannot read queries file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise UsageError(f"queries file {path} is not UTF-8 text") from exc
    found = tuple(
        (f"line {number} of {path}", line.strip())
        for number, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    )
    if not found:
        raise UsageError(f"queries file {path} holds no query")
    return found

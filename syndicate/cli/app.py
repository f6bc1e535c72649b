"""The command group, its error handling, and the helpers the commands share.

Heavy modules (requests, babel, markdown-it, langdetect) are imported inside the
commands, so that ``syndicate --help`` starts fast. Every ``SyndicateError`` becomes one
line on stderr and its exit code here, in ``SyndicateGroup.invoke``, and nowhere else.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndicate import __version__
from syndicate.errors import (
    EXIT_FAILURE,
    SyndicateError,
    UsageError,
)
from syndicate.redact import RedactingFilter, redact

if TYPE_CHECKING:
    from syndicate.config import Settings
    from syndicate.localize.renderer import LocalizeOptions
    from syndicate.resources.glossary import Glossary
    from syndicate.resources.memory import TranslationMemory

RESULT_VERSION = "1"
MONEY_HELP = "Currency conversion: append the converted amount, replace it, or keep it as is."
MONEY_CHOICES = ("append", "replace", "keep")
logger = logging.getLogger("syndicate")


# Flags of the group that users also write after the command (`syndicate batch ... -q`).
_ANYWHERE = re.compile(r"-v+|-q+|--verbose|--quiet|--debug")


class SyndicateGroup(click.Group):
    """Turns library errors into one-line messages and exit codes, in one place."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The group's flags, wherever they are before ``--``, go first."""
        end = args.index("--") if "--" in args else len(args)
        flags = [a for a in args[:end] if _ANYWHERE.fullmatch(a)]
        rest = [a for a in args[:end] if not _ANYWHERE.fullmatch(a)]
        return super().parse_args(ctx, flags + rest + args[end:])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SyndicateError as exc:
            if _debug(ctx):
                exc.message = redact(exc.message)  # the traceback prints it too
                exc.args = (exc.message,)
                raise
            _error(str(exc))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            _error("interrupted")
            ctx.exit(130)
        except BrokenPipeError:
            # The reader of our output went away (`| head`): nothing left to say to it.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_FAILURE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            _error(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)")
            ctx.exit(EXIT_FAILURE)


def _debug(ctx: click.Context) -> bool:
    obj = ctx.find_root().obj
    return bool(obj and obj.get("debug"))


def _error(message: str) -> None:
    click.echo(f"syndicate: error: {redact(' '.join(message.split()))}", err=True)


def _warn(message: str) -> None:
    click.echo(f"syndicate: warning: {redact(message)}", err=True)


def _warn_findings(prefix: str, findings: Sequence[Any], shown: int = 3) -> None:
    """Warnings on stderr, at most a few of each kind (all of them are in --json)."""
    seen: dict[str, int] = {}
    for f in findings:
        if f.severity != "warning":
            continue
        seen[f.code] = seen.get(f.code, 0) + 1
        if seen[f.code] <= shown:
            _warn(f"{prefix}: {f.where or 'article'}: {f.message}")
    for code, count in seen.items():
        if count > shown:
            _warn(f"{prefix}: {count - shown} more {code} warnings (see --json)")


def _note(ctx: click.Context, message: str) -> None:
    if not ctx.find_root().obj.get("quiet"):
        click.echo(message, err=True)


@click.group(cls=SyndicateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: $SYNDICATE_CONFIG, else ./config/syndicate.yaml).",
)
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv: tracebacks).")
@click.option("-q", "--quiet", count=True, help="Fewer messages on stderr.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(__version__, "--version", prog_name="syndicate")
@click.pass_context
def cli(
    ctx: click.Context, config_path: Path | None, verbose: int, quiet: int, debug: bool
) -> None:
    """Translate, localize and syndicate Indonesian news articles.

    Exit codes: 0 success, 1 failure, 2 usage or configuration error, 3 a batch that
    finished with some items failed. -v, -q and --debug may also follow the command.
    """
    level = logging.WARNING - 10 * (verbose - quiet)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("syndicate: %(levelname)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger("syndicate")
    root.handlers[:] = [handler]
    root.setLevel(max(logging.DEBUG, min(logging.CRITICAL, level)))
    root.propagate = False
    ctx.obj = {"config": config_path, "debug": debug or verbose >= 2, "quiet": quiet > 0}


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    from syndicate.config import load_settings
    from syndicate.engines.base import check_engine_settings

    settings = load_settings(ctx.find_root().obj["config"], overrides=overrides)
    check_engine_settings(settings.values.get("engines") or {})
    logger.info("%s", settings.describe_file())
    return settings


def _localize_options(settings: Settings, money: str | None) -> LocalizeOptions:
    from syndicate.localize.rates import load_rates
    from syndicate.localize.renderer import LocalizeOptions

    return LocalizeOptions(
        rates=load_rates(settings.resolve_path("rates")),
        profiles_dir=settings.resolve_path("locales"),
        money_policy=money or settings.values.get("money_policy"),
        missing_rate=settings.values.get("missing_rate"),
        rate_max_age=int(settings.values.get("rate_max_age", 7)),
    )


@contextmanager
def _memory(settings: Settings, *, disabled: bool = False) -> Iterator[TranslationMemory | None]:
    from syndicate.resources.memory import TranslationMemory

    path = None if disabled else settings.tm_path()
    if path is None:
        yield None
        return
    memory = TranslationMemory(path, wait=settings.tm_wait)
    try:
        yield memory
    finally:
        memory.close()


def _glossary(settings: Settings) -> Glossary:
    from syndicate.resources.glossary import load_glossary

    return load_glossary(settings.resolve_path("glossary"))


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now {value!r} is not an ISO 8601 timestamp") from None
    if stamp.tzinfo is None:
        raise UsageError(f"--now {value!r} has no timezone", hint="add Z or +07:00")
    return stamp


def _locales(values: Iterable[str] | None) -> list[str]:
    """Canonical locales from ``--to`` values, repeated or comma-separated, each kept once."""
    from syndicate.langtags import canonical

    tags = (tag.strip() for value in values or () for tag in value.split(","))
    return list(dict.fromkeys(canonical(tag) for tag in tags if tag))


def _source_lang(value: str | None) -> str | None:
    """``--from``, checked before any work: a typo is one usage error, not a failed job each."""
    from syndicate.langtags import canonical

    return canonical(value) if value else None


def _parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def _print_json(data: Any) -> None:
    click.echo(redact(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)))


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="syndicate")

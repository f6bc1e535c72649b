"""What the commands share: messages on stderr, JSON on stdout, the settings, and options.

Messages go to stderr (``note`` and ``warn`` unless ``-q``, ``error``), one JSON document to
stdout (``print_json``), redacted. Options that several commands take are declared once
here as decorators, so that their names and help texts cannot drift apart.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import click

from syndicate.errors import UsageError
from syndicate.redact import redact
from syndicate.vocabulary import MONEY_POLICIES

if TYPE_CHECKING:
    from syndicate.config import Settings

F = TypeVar("F", bound=Callable[..., Any])


def show_error(message: str) -> None:
    """``syndicate: error: ...`` on stderr, on one line."""
    click.echo(f"syndicate: error: {redact(' '.join(message.split()))}", err=True)


def warn(message: str) -> None:
    """``syndicate: warning: ...`` on stderr, unless ``-q``: quiet means errors only, for
    these warnings as for the ones logged (the log level is ERROR then); every warning is
    still in ``--json`` and in a batch's report."""
    if not _quiet():
        click.echo(f"syndicate: warning: {redact(message)}", err=True)


def _quiet() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and (ctx.find_root().obj or {}).get("quiet"))


def warn_findings(prefix: str, findings: Sequence[Any], shown: int = 3) -> None:
    """Warnings on stderr, at most a few of each kind (all of them are in --json)."""
    seen: dict[str, int] = {}
    for f in findings:
        if f.severity != "warning":
            continue
        seen[f.code] = seen.get(f.code, 0) + 1
        if seen[f.code] <= shown:
            warn(f"{prefix}: {f.where or 'article'}: {f.message}")
    for code, count in seen.items():
        if count > shown:
            warn(f"{prefix}: {count - shown} more {code} warnings (see --json)")


def note(ctx: click.Context, message: str) -> None:
    """A message for the user on stderr (what was written, a summary), unless ``-q``."""
    if not ctx.find_root().obj.get("quiet"):
        click.echo(message, err=True)


def print_json(data: Any) -> None:
    """One JSON document on stdout, redacted."""
    click.echo(redact(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)))


def settings_of(ctx: click.Context, **overrides: Any) -> Settings:
    """The settings: the group's ``--config``, the environment, and these overrides."""
    from syndicate.config import load_settings
    from syndicate.engines.base import check_engine_settings

    settings = load_settings(ctx.find_root().obj["config"], overrides=overrides)
    check_engine_settings(settings.values.get("engines") or {}, where=settings.where)
    logging.getLogger("syndicate").info("%s", settings.describe_file())
    return settings


def parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def json_option(f: F) -> F:
    """``--json``: one JSON document on stdout, nothing else."""
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document on stdout."
    )(f)


def money_option(f: F) -> F:
    """``--money``: the run's currency conversion policy."""
    return click.option(
        "--money",
        type=click.Choice(MONEY_POLICIES),
        help="Currency conversion: append the converted amount, replace it, or keep it as is.",
    )(f)


def to_option(help: str) -> Callable[[F], F]:
    """``--to``: target locales, repeatable or comma-separated."""

    def decorate(f: F) -> F:
        return click.option("--to", "targets", multiple=True, metavar="LOC[,LOC...]", help=help)(f)

    return decorate


def run_options(f: F) -> F:
    """What a translation run takes, in ``translate`` and ``batch`` alike."""
    for option in reversed(
        [
            click.option(
                "--from", "source", metavar="LANG", help="Source language (default: detected)."
            ),
            click.option("--engine", metavar="NAME", help="Translation engine (see `engines`)."),
            click.option(
                "--now", metavar="ISO", help="The run's time, ISO 8601 (default: the clock)."
            ),
            money_option,
            click.option(
                "--strict", is_flag=True, help="Treat QA warnings as critical: not written."
            ),
            click.option(
                "--no-tm", is_flag=True, help="Neither use nor fill the translation memory."
            ),
            click.option(
                "--dry-run", is_flag=True, help="Plan and count what would be sent; send nothing."
            ),
            json_option,
        ]
    ):
        f = option(f)
    return f

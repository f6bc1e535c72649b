"""The command group: its options, logging, and the one place errors become messages.

Heavy modules (requests, babel, markdown-it, langdetect) are imported inside the
commands, so that ``syndicate --help`` starts fast. Every ``SyndicateError`` becomes one
line on stderr and its exit code here, in ``SyndicateGroup.invoke``, and nowhere else.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from syndicate import __version__
from syndicate.cli.common import show_error
from syndicate.errors import (
    EXIT_FAILURE,
    SyndicateError,
)
from syndicate.redact import RedactingFilter, redact

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

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:  # the group's own options
            _usage(exc)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SyndicateError as exc:
            if _debug(ctx):
                # The traceback, then the message and exit code without --debug: a script
                # that tells a usage error (2) from a failure (1) must see the same code.
                exc.message = redact(exc.message)  # the traceback prints it too
                exc.args = (exc.message,)
                traceback.print_exc()
            for each in (exc, *exc.others):
                show_error(str(each))
            ctx.exit(max(each.exit_code for each in (exc, *exc.others)))
        except KeyboardInterrupt:
            show_error("interrupted")
            ctx.exit(130)
        except BrokenPipeError:
            # The reader of our output went away (`| head`): nothing left to say to it.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_FAILURE)
        except click.UsageError as exc:  # a command's option or argument: one line too
            _usage(exc)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            if _debug(ctx):
                raise
            show_error(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)"
            )
            ctx.exit(EXIT_FAILURE)


# click 8.2 and later: a group run without a command shows its help through this error.
_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _usage(exc: click.UsageError) -> NoReturn:
    """click's usage error in the form of every other error: one line, what to do, exit 2."""
    if isinstance(exc, _NO_ARGS):
        raise exc  # the help, as click shows it
    where = f"see '{exc.ctx.command_path} --help'" if exc.ctx else "see 'syndicate --help'"
    show_error(f"{exc.format_message().rstrip('.')}; {where}")
    raise click.exceptions.Exit(exc.exit_code)


class _Lowercase(logging.Formatter):
    """``syndicate: warning: ...``, as the messages the commands print themselves."""

    def format(self, record: logging.LogRecord) -> str:
        name = record.levelname
        record.levelname = name.lower()
        try:
            return super().format(record)
        finally:
            record.levelname = name


def _debug(ctx: click.Context) -> bool:
    obj = ctx.find_root().obj
    return bool(obj and obj.get("debug"))


@click.group(cls=SyndicateGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Settings file (default: $SYNDICATE_CONFIG, else ./config/syndicate.yaml).",
)
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv: tracebacks).")
@click.option(
    "-q", "--quiet", count=True, help="Only errors on stderr: no progress, notes or warnings."
)
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
    handler.setFormatter(_Lowercase("syndicate: %(levelname)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger("syndicate")
    root.handlers[:] = [handler]
    root.setLevel(max(logging.DEBUG, min(logging.CRITICAL, level)))
    root.propagate = False
    # psycopg warns as it drops a pipeline whose server has gone away; the error the run
    # ends with says so already, in one line.
    logging.getLogger("psycopg").setLevel(logging.WARNING if debug else logging.ERROR)
    ctx.obj = {"config": config_path, "debug": debug or verbose >= 2, "quiet": quiet > 0}


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="syndicate")

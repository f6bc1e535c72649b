"""The command line: click wiring only. Each command calls the library and renders the result.

Heavy modules (requests, babel, markdown-it, langdetect) are imported inside the
commands, so that ``syndicate --help`` starts fast. Every ``SyndicateError`` becomes one
line on stderr and its exit code here, in ``SyndicateGroup.invoke``, and nowhere else.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndicate import __version__
from syndicate.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    SyndicateError,
    UsageError,
)

if TYPE_CHECKING:
    from syndicate.config import Settings

RESULT_VERSION = "1"
logger = logging.getLogger("syndicate")


class SyndicateGroup(click.Group):
    """Turns library errors into one-line messages and exit codes, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SyndicateError as exc:
            if _debug(ctx):
                raise
            _error(str(exc))
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            _error("interrupted")
            ctx.exit(130)
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
    click.echo(f"syndicate: error: {' '.join(message.split())}", err=True)


def _warn(message: str) -> None:
    click.echo(f"syndicate: warning: {message}", err=True)


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
    finished with some items failed.
    """
    level = logging.WARNING - 10 * (verbose - quiet)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("syndicate: %(levelname)s: %(message)s"))
    root = logging.getLogger("syndicate")
    root.handlers[:] = [handler]
    root.setLevel(max(logging.DEBUG, min(logging.CRITICAL, level)))
    root.propagate = False
    ctx.obj = {"config": config_path, "debug": debug or verbose >= 2, "quiet": quiet > 0}


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    from syndicate.config import load_settings

    return load_settings(ctx.find_root().obj["config"], overrides=overrides)


# --- detect ---------------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--from", "source", metavar="LANG", help="Declare the language instead of detecting.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
def detect(path: str, source: str | None, as_json: bool) -> None:
    """Tell the language of an article (PATH, or - for stdin)."""
    from syndicate.detect import detect_language
    from syndicate.reader import read_article

    article = read_article(path)
    found = detect_language(article, override=source)
    if as_json:
        _print_json(
            {
                "path": path,
                "lang": found.lang,
                "confidence": found.confidence,
                "method": found.method,
                "candidates": dict(found.candidates),
            }
        )
    else:
        click.echo(
            f"{found.lang}\t{found.confidence:.2f}\t{_language_name(found.lang)} ({found.method})"
        )


def _language_name(tag: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(tag, sep="-").get_display_name("en"))
    except (ValueError, LookupError):
        return tag


# --- translate ------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--to", "targets", required=True, metavar="LOC[,LOC...]", help="Target locales.")
@click.option("--from", "source", metavar="LANG", help="Source language (default: detected).")
@click.option("--engine", metavar="NAME", help="Translation engine (see `syndicate engines`).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write outputs here instead of beside each source.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent and written; send nothing.")
@click.option("--now", metavar="ISO", help="Timestamp for translated_at (default: the clock).")
@click.pass_context
def translate(
    ctx: click.Context,
    paths: Sequence[str],
    targets: str,
    source: str | None,
    engine: str | None,
    out: Path | None,
    as_json: bool,
    dry_run: bool,
    now: str | None,
) -> None:
    """Translate articles into one or more locales.

    Writes <stem>.<locale>.md beside each source (or into --out), atomically. With PATH
    '-', reads stdin and, without --out, writes the translation to stdout.
    """
    from syndicate.engines.base import create_engine
    from syndicate.jobs import JobResult, translate_files
    from syndicate.langtags import canonical

    locales = [canonical(t) for t in targets.split(",") if t.strip()]
    if not locales:
        raise UsageError("--to needs at least one locale")
    stamp = _parse_now(now)
    settings = _settings(ctx, engine=engine)
    backend = create_engine(settings.engine, settings.engine_options(settings.engine))
    to_stdout = "-" in paths and out is None
    if to_stdout and (len(locales) > 1 or len(paths) > 1):
        raise UsageError("reading stdin without --out allows one input and one locale")

    def report(result: JobResult) -> None:
        for f in result.findings:
            _warn(f"{result.source}: {f.where}: {f.message}")
        if result.error and not as_json:
            _error(str(result.error))
        elif result.status == "planned":
            _note(
                ctx,
                f"would write {result.output or '<stdout>'}: {result.sent} segments, "
                f"{result.characters} characters to {backend.name}",
            )
        elif result.status == "written":
            _note(
                ctx,
                f"wrote {result.output} ({result.sent} segments, "
                f"{result.characters} characters, {backend.name})",
            )
        elif result.text is not None:
            sys.stdout.write(result.text)
            sys.stdout.flush()

    results = translate_files(
        paths,
        targets=locales,
        engine=backend,
        source=source,
        out_dir=out,
        dry_run=dry_run,
        write=not to_stdout,
        now=stamp,
        on_result=report,
    )
    failed = [r for r in results if r.error]
    if as_json:
        status = "success" if not failed else "error" if failed == results else "partial"
        items = [r.as_dict() for r in results]
        _print_json({"syndicate_result_version": RESULT_VERSION, "status": status, "items": items})
    ctx.exit(max((r.error.exit_code for r in failed if r.error), default=EXIT_OK))


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


# --- import -----------------------------------------------------------------------------------


@cli.command(name="import")
@click.argument("page")
@click.option("--out", metavar="FILE", help="Output file (default: PAGE with .md; - for stdout).")
@click.pass_context
def import_(ctx: click.Context, page: str, out: str | None) -> None:
    """Turn a scraped plain-text news page into a Markdown article."""
    from syndicate.errors import InputError
    from syndicate.importer import import_page
    from syndicate.output import write_atomic
    from syndicate.reader import read_text

    text = read_text(page)
    result = import_page(text)
    if not result.markdown.strip() or "title" not in result.meta:
        raise InputError(page, "no article could be recovered from the page")
    for problem in result.problems:
        _warn(f"{page}: {problem}")
    if out == "-" or (out is None and page == "-"):
        sys.stdout.write(result.markdown)
        return
    target = Path(out) if out else Path(page).with_suffix(".md")
    if target.resolve() == Path(page).resolve():
        raise UsageError(f"{page}: the output would overwrite the page", hint="give --out FILE")
    write_atomic(target, result.markdown)
    _note(ctx, f"wrote {target}")


# --- engines, config ------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def engines(ctx: click.Context, as_json: bool) -> None:
    """List the translation engines that are installed."""
    from syndicate.engines.base import available_engines

    settings = _settings(ctx)
    rows = []
    for name, info in sorted(available_engines().items()):
        rows.append(
            {
                "name": name,
                "from": info.distribution or "built-in",
                "target": info.target,
                "default": name == settings.engine,
                "configured": bool(settings.engine_options(name)),
            }
        )
    if as_json:
        _print_json({"engines": rows})
        return
    for row in rows:
        mark = "*" if row["default"] else " "
        click.echo(f"{mark} {row['name']:<10} {row['from']:<16} {row['target']}")


@cli.group()
def config() -> None:
    """Inspect the settings."""


@config.command("show")
@click.option("--sources", is_flag=True, help="Say where each value comes from.")
@click.pass_context
def config_show(ctx: click.Context, sources: bool) -> None:
    """Print the effective settings (secrets hidden)."""
    import yaml

    settings = _settings(ctx)
    click.echo(yaml.safe_dump(settings.redacted(), sort_keys=True, allow_unicode=True), nl=False)
    if sources:
        click.echo("# sources")
        for key, where in sorted(settings.sources.items()):
            click.echo(f"# {key}: {where}")


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2))


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="syndicate")

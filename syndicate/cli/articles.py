"""Commands on articles: detect, translate, import, localize."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from syndicate.cli.app import cli
from syndicate.cli.common import (
    json_option,
    money_option,
    note,
    print_json,
    run_options,
    settings_of,
    show_error,
    to_option,
    warn,
    warn_findings,
)
from syndicate.errors import EXIT_OK, UsageError
from syndicate.langtags import canonical, locale_list
from syndicate.vocabulary import MoneyPolicy

if TYPE_CHECKING:
    from syndicate.runs.results import Outcome

# --- detect ---------------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--from", "source", metavar="LANG", help="Declare the language instead of detecting.")
@json_option
def detect(path: str, source: str | None, as_json: bool) -> None:
    """Tell the language of an article (PATH, or - for stdin)."""
    from syndicate.markdown.article import read_article
    from syndicate.translation.detect import detect_language

    article = read_article(path)
    found = detect_language(article, override=source)
    if as_json:
        print_json(
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
@to_option("Target locales (repeatable, or comma-separated).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write outputs here instead of beside each source.",
)
@run_options
@click.pass_context
def translate(
    ctx: click.Context,
    paths: Sequence[str],
    targets: Sequence[str],
    out: Path | None,
    source: str | None,
    engine: str | None,
    now: str | None,
    money: MoneyPolicy | None,
    strict: bool,
    no_tm: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Translate articles into one or more locales.

    Writes <stem>.<locale>.md beside each source (or into --out), atomically:
    berita.id.md and berita.md both become berita.en-GB.md. Among several articles, files
    that are translations (earlier outputs) are skipped. With PATH '-', reads stdin and,
    without --out, writes the translation to stdout.
    """
    from syndicate.runs.plans import parse_now
    from syndicate.runs.project import translate_files
    from syndicate.runs.results import RESULT_VERSION, run_status

    locales = locale_list(targets)
    if not locales:
        raise UsageError("--to needs at least one locale", hint="give --to LOC[,LOC...]")
    to_stdout = "-" in paths and out is None
    if to_stdout and (len(locales) > 1 or len(paths) > 1):
        raise UsageError("reading stdin without --out allows one input and one locale")
    stamp = parse_now(now)
    settings = settings_of(ctx).with_engine(engine)
    source = canonical(source) if source else None  # a typo is one usage error, not one per job

    def report(result: Outcome) -> None:
        prefix = (
            result.source if result.status == "skipped" else f"{result.source}: {result.target}"
        )
        warn_findings(prefix, result.findings)
        output = result.outputs[0] if result.outputs else "<stdout>"
        segments = f"{result.sent} segment{'s' if result.sent != 1 else ''}"
        cost = f"{segments} sent, {result.characters} characters, {settings.engine}"
        if result.status == "planned":  # a dry run sends nothing: it says what it would
            cost = f"would send {result.sent} segments, {result.characters} characters, "
            cost += settings.engine
        if result.error and not as_json:
            show_error(result.error)
        elif result.status == "planned" and not as_json:
            # What a dry run is for, on stdout as batch prints it: the jobs and their cost.
            click.echo(f"{result.source}: {result.target}: would write {output} ({cost})")
        elif result.status in ("written", "kept", "unchanged"):
            note(ctx, f"{_what_happened(result)} ({cost})")
        elif result.text is not None:
            sys.stdout.write(result.text)
            sys.stdout.flush()

    # The call a Python caller makes (syndicate.translate_files): one code path for both.
    results = translate_files(
        paths,
        locales,
        settings=settings,
        source=source,
        money=money,
        strict=strict,
        now=stamp,
        no_tm=no_tm,
        out_dir=out,
        dry_run=dry_run,
        write=not to_stdout,
        on_result=report,
    )
    planned = [r for r in results if r.status == "planned"]
    if planned:
        sent, chars = sum(r.sent for r in planned), sum(r.characters for r in planned)
        note(ctx, f"dry run: would send {sent} segments ({chars} characters); nothing written")
    if as_json:
        items = [r.as_dict() for r in results]
        print_json(
            {
                "syndicate_result_version": RESULT_VERSION,
                "status": run_status(results),
                "items": items,
            }
        )
    ctx.exit(max((r.exit_code for r in results if r.failed), default=EXIT_OK))


def _what_happened(result: Outcome) -> str:
    """What a job did to its output, as it happened: a line must never say it wrote a file
    it left alone, nor hide where the new translation went instead."""
    output = result.outputs[0]
    if result.beside:  # people's edits kept in the output, the run's translation beside it
        kept = (
            f"wrote {output}, keeping its hand edits"
            if result.status == "written"
            else f"kept {output} as edited by hand"
        )
        return f"{kept}; wrote the new translation beside it: {result.beside}"
    return {
        "written": f"wrote {output}",
        "kept": f"kept {output} as edited by hand; nothing written",
        "unchanged": f"{output} already holds this translation; nothing written",
    }[result.status]


# --- import -----------------------------------------------------------------------------------


@cli.command(name="import")
@click.argument("page")
@click.option("--out", metavar="FILE", help="Output file (default: PAGE with .md; - for stdout).")
@click.pass_context
def import_(ctx: click.Context, page: str, out: str | None) -> None:
    """Turn a scraped plain-text news page into a Markdown article."""
    from syndicate.errors import InputError
    from syndicate.files import read_text, write_atomic
    from syndicate.markdown.importer import import_page

    text = read_text(page)
    result = import_page(text)
    if not result.markdown.strip() or "title" not in result.meta:
        raise InputError(page, "no article could be recovered from the page")
    for problem in result.problems:
        warn(f"{page}: {problem}")
    for what in result.removed:
        note(ctx, f"{page}: removed {what}")
    if out == "-" or (out is None and page == "-"):
        sys.stdout.write(result.markdown)
        return
    target = Path(out) if out else Path(page).with_suffix(".md")
    if target.resolve() == Path(page).resolve():
        raise UsageError(f"{page}: the output would overwrite the page", hint="give --out FILE")
    write_atomic(target, result.markdown)
    note(ctx, f"wrote {target}")


# --- localize, rates ------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--to", "target", required=True, metavar="LOCALE", help="Target locale.")
@money_option
@json_option
@click.pass_context
def localize(
    ctx: click.Context, path: str, target: str, money: MoneyPolicy | None, as_json: bool
) -> None:
    """List the money, percents, dates and times of an article and how each reads in LOCALE.

    No machine translation: only recognition and rendering. PATH may be - for stdin.
    """
    from syndicate.markdown.article import read_article
    from syndicate.runs.project import localize_options
    from syndicate.translation.preview import preview

    found = preview(read_article(path), target, localize_options(settings_of(ctx), money))
    if as_json:
        print_json({"path": path, **found.as_dict()})
        return
    for spot in found.spots:
        click.echo(f"{spot.kind:<9}{spot.span!s:<40} -> {spot.rendered}")
    for rate in found.rates:
        click.echo(f"rate: {rate}")
    for f in found.findings:
        warn(f"{path}: {f.where}: {f.message}")

"""Commands on articles: detect, translate, import, localize."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from syndicate.cli.app import (
    MONEY_CHOICES,
    MONEY_HELP,
    RESULT_VERSION,
    _error,
    _glossary,
    _locales,
    _localize_options,
    _memory,
    _note,
    _parse_now,
    _print_json,
    _settings,
    _source_lang,
    _warn,
    _warn_findings,
    cli,
)
from syndicate.errors import EXIT_OK, UsageError

# --- detect ---------------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--from", "source", metavar="LANG", help="Declare the language instead of detecting.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
def detect(path: str, source: str | None, as_json: bool) -> None:
    """Tell the language of an article (PATH, or - for stdin)."""
    from syndicate.markdown.article import read_article
    from syndicate.translation.detect import detect_language

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
@click.option(
    "--to",
    "targets",
    required=True,
    multiple=True,
    metavar="LOC[,LOC...]",
    help="Target locales (repeatable, or comma-separated).",
)
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
@click.option("--money", type=click.Choice(MONEY_CHOICES), help=MONEY_HELP)
@click.option(
    "--strict", is_flag=True, help="Treat QA warnings as critical: such outputs are not written."
)
@click.option("--no-tm", is_flag=True, help="Neither use nor fill the translation memory.")
@click.pass_context
def translate(
    ctx: click.Context,
    paths: Sequence[str],
    targets: Sequence[str],
    source: str | None,
    engine: str | None,
    out: Path | None,
    as_json: bool,
    dry_run: bool,
    now: str | None,
    money: str | None,
    strict: bool,
    no_tm: bool,
) -> None:
    """Translate articles into one or more locales.

    Writes <stem>.<locale>.md beside each source (or into --out), atomically. With PATH
    '-', reads stdin and, without --out, writes the translation to stdout.
    """
    from syndicate.cli.review import review_store
    from syndicate.engines.base import create_engine
    from syndicate.runs.sequential import JobResult, translate_files

    locales = _locales(targets)
    if not locales:
        raise UsageError("--to needs at least one locale")
    stamp = _parse_now(now)
    settings = _settings(ctx, engine=engine)
    backend = create_engine(settings.engine, settings.engine_options(settings.engine))
    to_stdout = "-" in paths and out is None
    if to_stdout and (len(locales) > 1 or len(paths) > 1):
        raise UsageError("reading stdin without --out allows one input and one locale")

    def report(result: JobResult) -> None:
        _warn_findings(f"{result.source}: {result.target}", result.findings)
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

    with _memory(settings, disabled=no_tm) as memory, review_store(settings) as review:
        results = translate_files(
            paths,
            targets=locales,
            engine=backend,
            source=_source_lang(source),
            out_dir=out,
            dry_run=dry_run,
            write=not to_stdout,
            now=stamp,
            localize=_localize_options(settings, money),
            glossary=_glossary(settings),
            memory=memory,
            strict=strict,
            on_result=report,
            review=None if dry_run or to_stdout else review,
        )
    failed = [r for r in results if r.error]
    if as_json:
        status = "success" if not failed else "error" if failed == results else "partial"
        items = [r.as_dict() for r in results]
        _print_json({"syndicate_result_version": RESULT_VERSION, "status": status, "items": items})
    ctx.exit(max((r.error.exit_code for r in failed if r.error), default=EXIT_OK))


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
        _warn(f"{page}: {problem}")
    if out == "-" or (out is None and page == "-"):
        sys.stdout.write(result.markdown)
        return
    target = Path(out) if out else Path(page).with_suffix(".md")
    if target.resolve() == Path(page).resolve():
        raise UsageError(f"{page}: the output would overwrite the page", hint="give --out FILE")
    write_atomic(target, result.markdown)
    _note(ctx, f"wrote {target}")


# --- localize, rates ------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--to", "target", required=True, metavar="LOCALE", help="Target locale.")
@click.option("--money", type=click.Choice(MONEY_CHOICES), help=MONEY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def localize(ctx: click.Context, path: str, target: str, money: str | None, as_json: bool) -> None:
    """List the money, percents, dates and times of an article and how each reads in LOCALE.

    No machine translation: only recognition and rendering. PATH may be - for stdin.
    """
    from syndicate.markdown.article import read_article
    from syndicate.translation.protect import locate_entities
    from syndicate.translation.translate import article_date

    article = read_article(path)
    options = _localize_options(_settings(ctx), money)
    on = article_date(article)
    renderer = options.renderer(target, on)
    rows = []
    for found in locate_entities(article):
        e = found.entity
        rows.append(
            {
                "kind": e.kind,
                "span": article.text[found.start : found.end]
                if found.start is not None
                else e.text,
                "start": found.start,
                "end": found.end,
                "value": e.value.to_json(),
                "rendered": renderer.render(e),
                "where": found.where,
            }
        )
    rates = [r.cite(options.rates.sources) for r in renderer.used.values()]
    findings = [{"code": f.code, "message": f.message, "where": f.where} for f in renderer.findings]
    if as_json:
        _print_json(
            {
                "path": path,
                "target": renderer.profile.tag,
                "date": on.isoformat() if on else None,
                "entities": rows,
                "rates": rates,
                "findings": findings,
            }
        )
        return
    for row in rows:
        click.echo(f"{row['kind']:<9}{row['span']!s:<40} -> {row['rendered']}")
    for rate in rates:
        click.echo(f"rate: {rate}")
    for f in renderer.findings:
        _warn(f"{path}: {f.where}: {f.message}")

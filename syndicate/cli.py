"""The command line: click wiring only. Each command calls the library and renders the result.

Heavy modules (requests, babel, markdown-it, langdetect) are imported inside the
commands, so that ``syndicate --help`` starts fast. Every ``SyndicateError`` becomes one
line on stderr and its exit code here, in ``SyndicateGroup.invoke``, and nowhere else.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
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
    from syndicate.glossary import Glossary
    from syndicate.localize import LocalizeOptions
    from syndicate.memory import TranslationMemory

RESULT_VERSION = "1"
MONEY_HELP = "Currency conversion: append the converted amount, replace it, or keep it as is."
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
@click.option("--money", type=click.Choice(["append", "replace", "keep"]), help=MONEY_HELP)
@click.option(
    "--strict", is_flag=True, help="Treat QA warnings as critical: such outputs are not written."
)
@click.option("--no-tm", is_flag=True, help="Neither use nor fill the translation memory.")
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
    money: str | None,
    strict: bool,
    no_tm: bool,
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

    with _memory(settings, disabled=no_tm) as memory:
        results = translate_files(
            paths,
            targets=locales,
            engine=backend,
            source=source,
            out_dir=out,
            dry_run=dry_run,
            write=not to_stdout,
            now=stamp,
            localize=_localize_options(settings, money),
            glossary=_glossary(settings),
            memory=memory,
            strict=strict,
            on_result=report,
        )
    failed = [r for r in results if r.error]
    if as_json:
        status = "success" if not failed else "error" if failed == results else "partial"
        items = [r.as_dict() for r in results]
        _print_json({"syndicate_result_version": RESULT_VERSION, "status": status, "items": items})
    ctx.exit(max((r.error.exit_code for r in failed if r.error), default=EXIT_OK))


def _localize_options(settings: Settings, money: str | None) -> LocalizeOptions:
    from syndicate.localize import LocalizeOptions
    from syndicate.rates import load_rates

    return LocalizeOptions(
        rates=load_rates(settings.resolve_path("rates")),
        profiles_dir=settings.resolve_path("locales"),
        money_policy=money or settings.values.get("money_policy"),
        missing_rate=settings.values.get("missing_rate"),
    )


@contextmanager
def _memory(settings: Settings, *, disabled: bool = False) -> Iterator[TranslationMemory | None]:
    from syndicate.memory import TranslationMemory

    path = None if disabled else settings.tm_path()
    if path is None:
        yield None
        return
    memory = TranslationMemory(path)
    try:
        yield memory
    finally:
        memory.close()


def _glossary(settings: Settings) -> Glossary:
    from syndicate.glossary import load_glossary

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


# --- localize, rates ------------------------------------------------------------------------


@cli.command()
@click.argument("path")
@click.option("--to", "target", required=True, metavar="LOCALE", help="Target locale.")
@click.option("--money", type=click.Choice(["append", "replace", "keep"]), help=MONEY_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def localize(ctx: click.Context, path: str, target: str, money: str | None, as_json: bool) -> None:
    """List the money, percents, dates and times of an article and how each reads in LOCALE.

    No machine translation: only recognition and rendering. PATH may be - for stdin.
    """
    from syndicate.protect import locate_entities
    from syndicate.reader import read_article
    from syndicate.translate import article_date

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


@cli.group()
def rates() -> None:
    """Dated exchange rates used to convert amounts."""


@rates.command("import")
@click.argument("file")
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Rates file to update (default: the 'rates' setting).",
)
@click.option("--since", metavar="DATE", help="Keep only days on or after DATE.")
@click.option("--until", metavar="DATE", help="Keep only days on or before DATE.")
@click.option("--currencies", metavar="CODE[,CODE...]", help="Keep only these currencies.")
@click.pass_context
def rates_import(
    ctx: click.Context,
    file: str,
    into: Path | None,
    since: str | None,
    until: str | None,
    currencies: str | None,
) -> None:
    """Import ECB euro reference rates (daily or historical XML, CSV, or zip)."""
    from syndicate.rates import (
        ECB,
        ECB_NAME,
        load_rates,
        parse_ecb,
        save_rates,
        select,
        with_source,
    )
    from syndicate.reader import read_bytes

    target = into or _settings(ctx).resolve_path("rates")
    records = parse_ecb(read_bytes(file), file)
    wanted = {c.strip().upper() for c in currencies.split(",")} if currencies else None
    chosen = select(
        records,
        start=_parse_day(since, "--since"),
        end=_parse_day(until, "--until"),
        currencies=wanted,
    )
    table = with_source(load_rates(target).merged(chosen), ECB, ECB_NAME)
    save_rates(table, target)
    days = sorted({r.date for r in chosen})
    span = f"{days[0]} to {days[-1]}" if days else "no days"
    _note(ctx, f"imported {len(chosen)} days ({span}) into {target}")


@rates.command("show")
@click.option("--on", "on", metavar="DATE", help="Show the rate used for an article of this date.")
@click.option("--pair", metavar="BASE/QUOTE", default="IDR/USD", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def rates_show(ctx: click.Context, on: str | None, pair: str, as_json: bool) -> None:
    """Summarize the rates file, or show the rate chosen for a date."""
    from syndicate.rates import load_rates

    path = _settings(ctx).resolve_path("rates")
    table = load_rates(path)
    base, _, quote = pair.upper().partition("/")
    if on:
        day = _parse_day(on, "--on")
        assert day is not None
        rate = table.lookup(base, quote, day)
        if rate is None:
            raise UsageError(
                f"no {base}/{quote} rate on or before {day} in {path}",
                hint="import rates with `syndicate rates import FILE`",
            )
        if as_json:
            _print_json(
                {
                    "base": base,
                    "quote": quote,
                    "rate": str(rate.value),
                    "date": rate.date.isoformat(),
                    "source": rate.source,
                    "via": rate.via,
                    "cite": rate.cite(table.sources),
                }
            )
        else:
            click.echo(rate.cite(table.sources))
        return
    summary: dict[str, Any] = {}
    for rec in table.records:
        entry = summary.setdefault(
            rec.source,
            {
                "name": table.sources.get(rec.source, rec.source),
                "first": rec.date,
                "last": rec.date,
                "days": 0,
                "currencies": set(),
            },
        )
        entry["first"], entry["last"] = min(entry["first"], rec.date), max(entry["last"], rec.date)
        entry["days"] += 1
        entry["currencies"] |= {rec.base, *rec.quotes}
    if as_json:
        _print_json(
            {
                "path": str(path),
                "sources": {
                    k: {
                        **v,
                        "first": v["first"].isoformat(),
                        "last": v["last"].isoformat(),
                        "currencies": sorted(v["currencies"]),
                    }
                    for k, v in summary.items()
                },
            }
        )
        return
    if not summary:
        click.echo(f"{path}: no rates (import some with `syndicate rates import FILE`)")
    for key, v in summary.items():
        click.echo(
            f"{key}: {v['name']}: {v['days']} days, {v['first']} to {v['last']}, "
            f"{', '.join(sorted(v['currencies']))}"
        )


def _parse_day(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


# --- translation memory, glossary -------------------------------------------------------------


@cli.group()
def tm() -> None:
    """The translation memory: segments translated once are never paid for twice."""


@tm.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def tm_stats(ctx: click.Context, as_json: bool) -> None:
    """How many units the memory holds, per engine and language pair, and how often reused."""
    with _memory(_settings(ctx)) as memory:
        if memory is None:
            raise UsageError("the translation memory is switched off (tm: off)")
        stats = memory.stats()
    if as_json:
        _print_json(stats)
        return
    click.echo(f"{stats['path']}: {stats['units']} units")
    for row in stats["pairs"]:  # type: ignore[attr-defined]
        click.echo(
            f"  {row['engine']:<10} {row['source']} -> {row['target']:<8} "
            f"{row['units']:>7} units, reused {row['reused']} times"
        )


@tm.command("match")
@click.argument("path")
@click.option("--to", "target", required=True, metavar="LOCALE", help="Target locale.")
@click.option(
    "--engine",
    metavar="NAME",
    help="Engine whose units count as exact (default: the configured one).",
)
@click.option("--min", "min_score", type=click.FloatRange(50, 99), default=75, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def tm_match(
    ctx: click.Context, path: str, target: str, engine: str | None, min_score: float, as_json: bool
) -> None:
    """For editors: each segment of an article that the memory knows only approximately.

    Lists fuzzy matches with their similarity score; translate never applies them.
    """
    from syndicate.reader import read_article
    from syndicate.translate import plan_translation

    settings = _settings(ctx, engine=engine)
    article = read_article(path)
    with _memory(settings) as memory:
        if memory is None:
            raise UsageError("the translation memory is switched off (tm: off)")
        plan = plan_translation(
            article,
            target=target,
            glossary=_glossary(settings),
            memory=memory,
            engine_name=settings.engine,
        )
        rows: list[dict[str, Any]] = []
        for template in plan.unique:
            matches = memory.fuzzy(
                template,
                source_lang=plan.detection.lang,
                target_lang=plan.target,
                min_score=min_score,
            )
            rows.append(
                {
                    "segment": template,
                    "matches": [
                        {"score": m.score, "source": m.source, "target": m.target} for m in matches
                    ],
                }
            )
    if as_json:
        _print_json(
            {
                "path": path,
                "target": plan.target,
                "exact": len(plan.cached),
                "to_translate": len(plan.unique),
                "segments": rows,
            }
        )
        return
    click.echo(
        f"{path}: {len(plan.cached)} segments known exactly, {len(plan.unique)} to translate"
    )
    for row in rows:
        if row["matches"]:
            click.echo(f"- {row['segment'][:80]}")
            for m in row["matches"]:
                click.echo(f"    {m['score']:5.1f}%  {m['target'][:80]}")


@tm.command("import")
@click.argument("file")
@click.pass_context
def tm_import(ctx: click.Context, file: str) -> None:
    """Add the translation units of a TMX 1.4b file (human translations)."""
    from syndicate.reader import read_bytes
    from syndicate.tmx import import_tmx

    data = read_bytes(file)
    with _memory(_settings(ctx)) as memory:
        if memory is None:
            raise UsageError("the translation memory is switched off (tm: off)")
        count = import_tmx(memory, Path(file), data)
    _note(ctx, f"imported {count} translation units from {file}")


@tm.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def tm_export(ctx: click.Context, file: Path) -> None:
    """Write the whole memory as a TMX 1.4b file."""
    from syndicate.tmx import export_tmx

    with _memory(_settings(ctx)) as memory:
        if memory is None:
            raise UsageError("the translation memory is switched off (tm: off)")
        count = export_tmx(memory, file)
    _note(ctx, f"exported {count} translation units to {file}")


@tm.command("prune")
@click.option("--engine", metavar="NAME", help="Forget this engine's units.")
@click.option("--unused-since", metavar="DATE", help="Forget units not used since DATE.")
@click.option("--all", "everything", is_flag=True, help="Forget everything.")
@click.pass_context
def tm_prune(
    ctx: click.Context, engine: str | None, unused_since: str | None, everything: bool
) -> None:
    """Forget translation units."""
    if not (engine or unused_since or everything):
        raise UsageError("say what to forget: --engine NAME, --unused-since DATE or --all")
    since = _parse_day(unused_since, "--unused-since")
    with _memory(_settings(ctx)) as memory:
        if memory is None:
            raise UsageError("the translation memory is switched off (tm: off)")
        count = memory.prune(unused_since=since.isoformat() if since else None, engine=engine)
    _note(ctx, f"forgot {count} translation units")


@cli.group()
def glossary() -> None:
    """Terms never translated, and translations forced per language."""


@glossary.command("show")
@click.pass_context
def glossary_show(ctx: click.Context) -> None:
    """Print the glossary in use."""
    from syndicate.glossary import dump_glossary

    click.echo(dump_glossary(_glossary(_settings(ctx))), nl=False)


@glossary.command("import")
@click.argument("file")
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Glossary file to update (default: the 'glossary' setting).",
)
@click.pass_context
def glossary_import(ctx: click.Context, file: str, into: Path | None) -> None:
    """Merge a CSV (term,lang,translation; no translation = keep) into the YAML glossary."""
    from syndicate.glossary import Glossary, dump_glossary, load_glossary, parse_csv
    from syndicate.output import write_atomic
    from syndicate.reader import read_text

    target = into or _settings(ctx).resolve_path("glossary")
    new = parse_csv(read_text(file), file)
    old = load_glossary(target)
    keep = tuple(dict.fromkeys([*old.keep, *new.keep]))
    translate = {
        lang: {**old.translate.get(lang, {}), **new.translate.get(lang, {})}
        for lang in sorted({*old.translate, *new.translate})
    }
    write_atomic(target, dump_glossary(Glossary(keep, translate)))
    _note(
        ctx, f"{target}: {len(keep)} kept terms, {sum(map(len, translate.values()))} translations"
    )


# --- batch ----------------------------------------------------------------------------------------


@cli.command()
@click.argument("spec", required=False, metavar="[DIR | PLAN.yaml]")
@click.option(
    "--partner",
    "partner_ids",
    multiple=True,
    metavar="ID",
    help="A partner to syndicate to (repeatable).",
)
@click.option("--to", "targets", metavar="LOC[,LOC...]", help="Target locales, without partners.")
@click.option("--from", "source", metavar="LANG", help="Source language (default: detected).")
@click.option("--engine", metavar="NAME", help="Translation engine.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: out)."
)
@click.option(
    "--jobs", "workers", type=click.IntRange(1, 64), help="Engine requests at once (default 4)."
)
@click.option(
    "--now", metavar="ISO", help="The run's time (default: the clock); fixes the outputs."
)
@click.option("--money", type=click.Choice(["append", "replace", "keep"]), help=MONEY_HELP)
@click.option("--strict", is_flag=True, help="Treat QA warnings as critical.")
@click.option("--no-tm", is_flag=True, help="Neither use nor fill the translation memory.")
@click.option("--fail-fast", is_flag=True, help="Stop at the first job that fails.")
@click.option(
    "--dry-run", is_flag=True, help="List the jobs to run and those unchanged; send nothing."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def batch(
    ctx: click.Context,
    spec: str | None,
    partner_ids: Sequence[str],
    targets: str | None,
    source: str | None,
    engine: str | None,
    out: Path | None,
    workers: int | None,
    now: str | None,
    money: str | None,
    strict: bool,
    no_tm: bool,
    fail_fast: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Translate and syndicate many articles: every (article, partner, locale) job.

    Finds the articles in DIR (its *.md files) or in a plan file; skips the jobs whose
    source, settings and rates are unchanged since their last success; resumes where a
    killed run stopped. Exit 0, or 3 when some jobs failed.
    """
    from syndicate.batch import Job, run_batch, with_partner_policy
    from syndicate.batch import Settings as BatchSettings
    from syndicate.engines.base import create_engine
    from syndicate.journal import Journal
    from syndicate.langtags import canonical
    from syndicate.partners import find_partner, load_partners

    plan = _batch_plan(spec)
    settings = _settings(ctx, engine=engine or plan.get("engine"))
    out = out or Path(plan.get("out") or "out")
    locales = [
        canonical(t) for t in (targets.split(",") if targets else plan.get("to") or []) if t.strip()
    ]
    wanted = list(partner_ids) or list(plan.get("partners") or [])
    if bool(wanted) == bool(locales):
        raise UsageError(
            "give partners (--partner ID, or 'partners:' in the plan) or --to LOC, not both"
        )
    known = load_partners(settings.resolve_path("partners")) if wanted else {}
    partners = [find_partner(known, pid) for pid in wanted]
    sources = _batch_sources(plan, out, locales)
    if not sources:
        raise UsageError(
            f"no articles found in {plan['_where']}", hint="give a folder of .md files or a plan"
        )
    jobs = [Job(src, loc, p) for src in sources for p in partners for loc in p.locales]
    jobs += [Job(src, loc, None) for src in sources for loc in locales]
    stamp = _parse_now(now or plan.get("now"))
    backend = create_engine(settings.engine, settings.engine_options(settings.engine))
    base = _localize_options(settings, money)
    tm_path = None if no_tm else settings.tm_path()
    journal = Journal((tm_path.parent if tm_path else _default_state()) / "journal.sqlite3")
    progress = _Progress(ctx, len(jobs))
    extra = json.dumps(
        {
            "engine": settings.redacted()["engines"].get(settings.engine),
            "money": money,
            "rates": _digest(settings.resolve_path("rates")),
            "locales": _digest(settings.resolve_path("locales")),
        },
        sort_keys=True,
        default=str,
    )
    try:
        with _memory(settings, disabled=no_tm) as memory:
            result = run_batch(
                jobs,
                BatchSettings(
                    engine=backend,
                    out=out,
                    journal=journal,
                    now=stamp,
                    localize=lambda p: with_partner_policy(base, p),
                    glossary=_glossary(settings),
                    memory=memory,
                    workers=workers or int(getattr(backend, "concurrency", 4)),
                    fail_fast=fail_fast or bool(plan.get("fail_fast")),
                    strict=strict,
                    source_lang=source,
                    fingerprint_extra=extra,
                ),
                dry_run=dry_run,
                on_event=progress,
            )
    finally:
        journal.close()
    progress.done()
    report = result.report()
    if as_json:
        _print_json({**report, "run": result.stats.as_dict()})
    else:
        _batch_summary(ctx, result, out)
    if result.status != "success":
        ctx.exit(3)


def _batch_plan(spec: str | None) -> dict[str, Any]:
    import yaml

    if spec is None or Path(spec).is_dir():
        return {"_dir": Path(spec or "."), "_where": spec or "."}
    path = Path(spec)
    if not path.is_file():
        raise UsageError(f"{spec}: no such folder or plan file")
    try:
        plan = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"{spec}: not a readable plan ({str(exc).splitlines()[0]})") from None
    allowed = {"sources", "partners", "to", "engine", "out", "now", "fail_fast"}
    if not isinstance(plan, dict) or set(plan) - allowed:
        unknown = sorted(set(plan) - allowed) if isinstance(plan, dict) else ["(not a mapping)"]
        raise UsageError(
            f"{spec}: unknown plan key {unknown[0]!r}", hint=f"known: {', '.join(sorted(allowed))}"
        )
    if isinstance(plan.get("out"), str):
        plan["out"] = str(path.parent / plan["out"])
    return {**plan, "_plan": path, "_where": spec}


def _batch_sources(plan: dict[str, Any], out: Path, locales: list[str]) -> list[Path]:
    if "_dir" in plan:
        found = sorted(plan["_dir"].glob("*.md"))
    else:
        base = plan["_plan"].parent
        patterns = plan.get("sources") or []
        if isinstance(patterns, str):
            patterns = [patterns]
        found = sorted({p for pattern in patterns for p in base.glob(str(pattern)) if p.is_file()})
    outside = out.resolve()
    suffixes = tuple(f".{loc}.md" for loc in locales)
    return [
        p for p in found if outside not in p.resolve().parents and not p.name.endswith(suffixes)
    ]


def _digest(path: Path) -> str:
    import hashlib

    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    if path.is_dir():
        return hashlib.sha256(
            b"".join(p.read_bytes() for p in sorted(path.glob("*.yaml")))
        ).hexdigest()
    return ""


def _default_state() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("syndicate"))


class _Progress:
    """A progress line on a terminal; a log line every few seconds otherwise."""

    def __init__(self, ctx: click.Context, jobs: int) -> None:
        self.quiet = bool(ctx.find_root().obj.get("quiet"))
        self.tty = sys.stderr.isatty()
        self.jobs = jobs
        self.last = 0.0

    def __call__(self, stats: Any) -> None:
        import time

        if self.quiet:
            return
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        done = stats.finished + stats.unchanged
        elapsed = now - stats.started
        rate = done / elapsed if elapsed and done else 0
        eta = f", ETA {int((self.jobs - done) / rate)} s" if rate else ""
        line = (
            f"[{done}/{self.jobs} jobs] {stats.segments} segments, {stats.requests} requests, "
            f"{stats.failed} failed{eta}"
        )
        if self.tty:
            click.echo(f"\r{line}\033[K", err=True, nl=False)
        else:
            click.echo(f"syndicate: {line}", err=True)

    def done(self) -> None:
        if self.tty and not self.quiet:
            click.echo("", err=True)


def _batch_summary(ctx: click.Context, result: Any, out: Path) -> None:
    from collections import Counter

    rows: Counter[tuple[str, str, str]] = Counter()
    for o in result.outcomes:
        rows[(o.job.partner.id if o.job.partner else "-", o.job.target, o.status)] += 1
    _note(ctx, f"{'partner':<24}{'locale':<10}{'status':<11}{'jobs':>5}")
    for (partner, locale, status), count in sorted(rows.items()):
        _note(ctx, f"{partner:<24}{locale:<10}{status:<11}{count:>5}")
    for o in result.outcomes:
        if o.status == "failed":
            _error(f"{o.job.source}: {o.job.target}: {o.error}")
    if result.stopped:
        _error(result.stopped)
    stats = result.stats
    _note(
        ctx,
        f"{result.status}: {stats.requests} engine requests, {stats.characters} characters; "
        f"report in {out / 'report.json'}",
    )


# --- export, partners ---------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--partner",
    "partner_id",
    metavar="ID",
    help="Export a partner's package (see `partners list`).",
)
@click.option(
    "--format",
    "formats",
    metavar="FMT[,FMT]",
    help="Export these formats without a partner: "
    + ", ".join(("markdown", "html", "ninjs", "newsml-g2", "atom", "rss", "jsonfeed"))
    + ".",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
)
@click.option(
    "--zip", "as_zip", is_flag=True, help="One zip archive per partner instead of a folder."
)
@click.option(
    "--now", metavar="ISO", help="The time of the export (default: the clock); fixes the bytes."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def export(
    ctx: click.Context,
    paths: Sequence[str],
    partner_id: str | None,
    formats: str | None,
    out: Path,
    as_zip: bool,
    now: str | None,
    as_json: bool,
) -> None:
    """Export translated articles as a partner's package, or in the formats given.

    PATHs are articles written by `syndicate translate`; translations of the same original
    are linked to each other and to it.
    """
    from syndicate.package import build_package, deliver
    from syndicate.partners import FORMATS, find_partner, load_partners
    from syndicate.reader import read_article

    if bool(partner_id) == bool(formats):
        raise UsageError("give either --partner ID or --format FMT[,FMT]")
    stamp = _parse_now(now)
    partner = None
    if partner_id:
        settings = _settings(ctx)
        partner = find_partner(load_partners(settings.resolve_path("partners")), partner_id)
        chosen = list(partner.formats)
        as_zip = as_zip or partner.delivery == "zip"
    else:
        chosen = [f.strip() for f in str(formats).split(",") if f.strip()]
        unknown = [f for f in chosen if f not in FORMATS]
        if unknown or not chosen:
            raise UsageError(
                f"unknown format {unknown[0] if unknown else formats!r}",
                hint=f"choose from {', '.join(FORMATS)}",
            )
    articles = [read_article(p) for p in paths]
    package = build_package(articles, partner=partner, formats=chosen, now=stamp)
    written = deliver(package, out, as_zip=as_zip, now=stamp)
    outside = [s for s, why in package.skipped if why == "not in the partner's locales"]
    for source, why in package.skipped:
        if source not in outside:
            _warn(f"{source}: left out: {why}")
    if outside:
        logger.info("%d articles are not in %s's locales", len(outside), partner_id)
    if as_json:
        _print_json(
            {
                "syndicate_result_version": RESULT_VERSION,
                "status": "success",
                "partner": partner.id if partner else None,
                "written": [str(p) for p in written],
                "items": len(package.items),
                "skipped": [{"source": s, "reason": w} for s, w in package.skipped],
            }
        )
        return
    _note(
        ctx,
        f"wrote {len(written)} file{'s' if len(written) != 1 else ''} under {out} "
        f"({len(package.items)} articles{', ' + partner.id if partner else ''})",
    )


@cli.group()
def partners() -> None:
    """Partner outlets and what each receives."""


@partners.command("list")
@click.pass_context
def partners_list(ctx: click.Context) -> None:
    """One line per partner: id, name, locales, formats."""
    from syndicate.partners import load_partners

    path = _settings(ctx).resolve_path("partners")
    found = load_partners(path)
    if not found:
        click.echo(f"{path}: no partners")
    for p in found.values():
        click.echo(f"{p.id:<24} {p.name:<28} {','.join(p.locales):<16} {','.join(p.formats)}")


@partners.command("show")
@click.argument("partner_id", metavar="ID")
@click.pass_context
def partners_show(ctx: click.Context, partner_id: str) -> None:
    """Everything about one partner, as JSON."""
    import dataclasses

    from syndicate.partners import find_partner, load_partners

    partner = find_partner(load_partners(_settings(ctx).resolve_path("partners")), partner_id)
    _print_json(dataclasses.asdict(partner))


# --- engines, config ------------------------------------------------------------------------


@cli.command()
@click.option("--check", is_flag=True, help="Also try to reach each configured engine.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def engines(ctx: click.Context, check: bool, as_json: bool) -> None:
    """List the translation engines: where each comes from, configured, reachable."""
    from syndicate.engines.base import available_engines, engine_status

    settings = _settings(ctx)
    rows = []
    for name, info in sorted(available_engines().items()):
        status = engine_status(name, settings.engine_options(name), reach=check)
        rows.append(
            {
                "name": name,
                "from": info.distribution or "built-in",
                "target": info.target,
                "default": name == settings.engine,
                **status,
            }
        )
    if as_json:
        _print_json({"engines": rows})
        return
    for row in rows:
        mark = "*" if row["default"] else " "
        reach = f", {row['reachable']}" if check else ""
        click.echo(f"{mark} {row['name']:<8} {row['from']:<18} {row['configured']}{reach}")


@cli.group()
def models() -> None:
    """Offline translation models (Argos Translate packages) for the ct2 engine."""


def _models_dir(ctx: click.Context) -> Path:
    from syndicate.engines.ct2 import default_models_dir

    configured = _settings(ctx).engine_options("ct2").get("models")
    return Path(configured) if configured else default_models_dir()


@models.command("install")
@click.argument("source", metavar="FILE_OR_URL")
@click.pass_context
def models_install(ctx: click.Context, source: str) -> None:
    """Install a package (.argosmodel file, unpacked folder, or http(s) URL)."""
    from syndicate.models import install_model

    package = install_model(source, _models_dir(ctx))
    _note(
        ctx,
        f"installed {package.source} -> {package.target} "
        f"({package.version or 'no version'}) in {package.path}",
    )


@models.command("list")
@click.pass_context
def models_list(ctx: click.Context) -> None:
    """The installed packages."""
    from syndicate.models import list_models

    folder = _models_dir(ctx)
    found = list_models(folder)
    if not found:
        click.echo(f"{folder}: no models installed")
    for p in found:
        click.echo(f"{p.name:<16} {p.source} -> {p.target:<6} {p.version}")


@models.command("remove")
@click.argument("name")
@click.pass_context
def models_remove(ctx: click.Context, name: str) -> None:
    """Remove an installed package (its name as `models list` shows it)."""
    from syndicate.models import remove_model

    remove_model(name, _models_dir(ctx))
    _note(ctx, f"removed {name}")


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

"""Commands on what runs use: rates, translation memory, glossary, models, engines, config."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from syndicate.cli.app import cli
from syndicate.cli.common import json_option, note, parse_day, print_json, settings_of
from syndicate.errors import UsageError


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
    from syndicate.files import read_bytes
    from syndicate.localize.rates import (
        ECB,
        ECB_NAME,
        load_rates,
        parse_ecb,
        save_rates,
        select,
        with_source,
    )

    target = into or settings_of(ctx).resolve_path("rates")
    records = parse_ecb(read_bytes(file), file)
    wanted = {c.strip().upper() for c in currencies.split(",")} if currencies else None
    chosen = select(
        records,
        start=parse_day(since, "--since"),
        end=parse_day(until, "--until"),
        currencies=wanted,
    )
    table = with_source(load_rates(target).merged(chosen), ECB, ECB_NAME)
    save_rates(table, target)
    days = sorted({r.date for r in chosen})
    span = f"{days[0]} to {days[-1]}" if days else "no days"
    note(ctx, f"imported {len(chosen)} days ({span}) into {target}")


@rates.command("show")
@click.option("--on", "on", metavar="DATE", help="Show the rate used for an article of this date.")
@click.option("--pair", metavar="BASE/QUOTE", default="IDR/USD", show_default=True)
@json_option
@click.pass_context
def rates_show(ctx: click.Context, on: str | None, pair: str, as_json: bool) -> None:
    """Summarize the rates file, or show the rate chosen for a date."""
    from syndicate.localize.rates import load_rates, unknown_currencies

    base, _, quote = pair.upper().partition("/")
    unknown = unknown_currencies([base, quote])
    if unknown:
        raise UsageError(
            f"--pair {pair!r}: {unknown[0]!r} is not an ISO 4217 currency code",
            hint="write BASE/QUOTE, e.g. USD/IDR",
        )
    path = settings_of(ctx).resolve_path("rates")
    table = load_rates(path)
    if on:
        day = parse_day(on, "--on")
        assert day is not None
        rate = table.lookup(base, quote, day)
        if rate is None:
            raise UsageError(
                f"no {base}/{quote} rate on or before {day} in {path}",
                hint="import rates with `syndicate rates import FILE`",
            )
        if as_json:
            print_json(
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
        print_json(
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


# --- translation memory, glossary -------------------------------------------------------------


@cli.group()
def tm() -> None:
    """The translation memory: segments translated once are never paid for twice."""


@tm.command("stats")
@json_option
@click.pass_context
def tm_stats(ctx: click.Context, as_json: bool) -> None:
    """How many units the memory holds, per engine and language pair, and how often reused."""
    from syndicate.runs.project import the_memory

    with the_memory(settings_of(ctx)) as memory:
        stats = memory.stats()
    if as_json:
        print_json(stats)
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
@json_option
@click.pass_context
def tm_match(
    ctx: click.Context, path: str, target: str, engine: str | None, min_score: float, as_json: bool
) -> None:
    """For editors: each segment of an article that the memory knows only approximately.

    Lists fuzzy matches with their similarity score (translate never applies them), and the
    sentences of a paragraph the memory knows (translate assembles a paragraph from them
    when it knows them all).
    """
    from syndicate.markdown.article import read_article
    from syndicate.runs.project import glossary_of, the_memory
    from syndicate.translation import sentences
    from syndicate.translation.translate import plan_translation

    settings = settings_of(ctx, engine=engine)
    article = read_article(path)
    with the_memory(settings) as memory:
        plan = plan_translation(
            article,
            target=target,
            glossary=glossary_of(settings),
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
            parts = sentences.known(
                template,
                memory,
                engine=settings.engine,
                source=plan.detection.lang,
                target=plan.target,
            )
            rows.append(
                {
                    "segment": template,
                    "matches": [
                        {"score": m.score, "source": m.source, "target": m.target} for m in matches
                    ],
                    "sentences": [{"source": s, "target": t} for s, t in parts],
                }
            )
    if as_json:
        print_json(
            {
                "path": path,
                "target": plan.target,
                "exact": len(plan.cached),
                "assembled_from_sentences": len(plan.assembled),
                "to_translate": len(plan.unique),
                "segments": rows,
            }
        )
        return
    click.echo(
        f"{path}: {len(plan.cached)} segments known exactly ({len(plan.assembled)} assembled "
        f"from sentences), {len(plan.unique)} to translate"
    )
    for row in rows:
        hits = [s for s in row["sentences"] if s["target"] is not None]
        if row["matches"] or hits:
            click.echo(f"- {row['segment'][:80]}")
            for m in row["matches"]:
                click.echo(f"    {m['score']:5.1f}%  {m['target'][:80]}")
            if hits:
                click.echo(f"    sentences known: {len(hits)} of {len(row['sentences'])}")
                for s in hits:
                    click.echo(f"      = {s['source'][:60]} -> {s['target'][:60]}")


@tm.command("import")
@click.argument("file")
@click.pass_context
def tm_import(ctx: click.Context, file: str) -> None:
    """Add the translation units of a TMX 1.1-1.4b file (human translations).

    A unit that cannot be read is skipped and counted; the others are imported.
    """
    from syndicate.files import read_bytes
    from syndicate.resources.tmx import TMX_FILE_LIMIT, parse_tmx, store_units
    from syndicate.runs.project import the_memory

    tmx = parse_tmx(Path(file), read_bytes(file, limit=TMX_FILE_LIMIT))  # before the memory
    with the_memory(settings_of(ctx)) as memory:
        count = store_units(memory, tmx)
    note(ctx, f"imported {count} translation units from {file}")
    if tmx.skipped:
        note(ctx, f"skipped {len(tmx.skipped)} of {tmx.read} <tu>: {'; '.join(tmx.skipped[:5])}")


@tm.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def tm_export(ctx: click.Context, file: Path) -> None:
    """Write the whole memory as a TMX 1.4b file."""
    from syndicate.resources.tmx import export_tmx
    from syndicate.runs.project import the_memory

    with the_memory(settings_of(ctx)) as memory:
        count = export_tmx(memory, file)
    note(ctx, f"exported {count} translation units to {file}")


@tm.command("prune")
@click.option("--engine", metavar="NAME", help="Forget this engine's units.")
@click.option("--unused-since", metavar="DATE", help="Forget units not used since DATE.")
@click.option("--all", "everything", is_flag=True, help="Forget everything.")
@click.pass_context
def tm_prune(
    ctx: click.Context, engine: str | None, unused_since: str | None, everything: bool
) -> None:
    """Forget translation units."""
    from syndicate.runs.project import the_memory

    if not (engine or unused_since or everything):
        raise UsageError("say what to forget: --engine NAME, --unused-since DATE or --all")
    since = parse_day(unused_since, "--unused-since")
    with the_memory(settings_of(ctx)) as memory:
        count = memory.prune(unused_since=since.isoformat() if since else None, engine=engine)
    note(ctx, f"forgot {count} translation units")


@cli.group()
def store() -> None:
    """The shared PostgreSQL store ('store' in the settings)."""


@store.command("copy")
@click.option(
    "--out",
    "outs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Also copy this output folder's delivery journal (repeatable).",
)
@json_option
@click.pass_context
def store_copy(ctx: click.Context, outs: tuple[Path, ...], as_json: bool) -> None:
    """Copy the SQLite files used before 'store' was set into the shared store.

    The translation memory, the batch journal and the review states (and, with --out,
    each output folder's delivery journal). Rows the store has already are kept as they
    are there, and the files are left as they are: run it again to finish a copy cut
    short, or to bring in what was added since.
    """
    from syndicate.runs.stores import copy_into_store

    done = copy_into_store(settings_of(ctx), outs)
    if as_json:
        print_json(
            [
                {
                    "what": c.what,
                    "path": str(c.path),
                    "tables": {
                        name: {"copied": n.copied, "present": n.present}
                        for name, n in c.tables.items()
                    },
                }
                for c in done
            ]
        )
        return
    for c in done:
        if not c.found:
            note(ctx, f"{c.what}: no {c.path}, nothing to copy")
            continue
        counts = "; ".join(
            f"{name}: {n.copied:,} rows copied, {n.present:,} already there"
            for name, n in c.tables.items()
        )
        note(ctx, f"{c.what} ({c.path}): {counts}")


@cli.group()
def glossary() -> None:
    """Terms never translated, and translations forced per language."""


@glossary.command("show")
@click.pass_context
def glossary_show(ctx: click.Context) -> None:
    """Print the glossary in use."""
    from syndicate.resources.glossary import dump_glossary
    from syndicate.runs.project import glossary_of

    click.echo(dump_glossary(glossary_of(settings_of(ctx))), nl=False)


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
    from syndicate.files import read_text, write_atomic
    from syndicate.resources.glossary import Glossary, dump_glossary, load_glossary, parse_csv

    target = into or settings_of(ctx).resolve_path("glossary")
    new = parse_csv(read_text(file), file)
    old = load_glossary(target)
    keep = tuple(dict.fromkeys([*old.keep, *new.keep]))
    translate = {
        lang: {**old.translate.get(lang, {}), **new.translate.get(lang, {})}
        for lang in sorted({*old.translate, *new.translate})
    }
    write_atomic(target, dump_glossary(Glossary(keep, translate)))
    note(ctx, f"{target}: {len(keep)} kept terms, {sum(map(len, translate.values()))} translations")


# --- engines, config ------------------------------------------------------------------------


@cli.command()
@click.option("--check", is_flag=True, help="Also try to reach each configured engine.")
@json_option
@click.pass_context
def engines(ctx: click.Context, check: bool, as_json: bool) -> None:
    """List the translation engines: where each comes from, configured, reachable."""
    from syndicate.engines.base import available_engines, engine_status

    settings = settings_of(ctx)
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
        print_json({"engines": rows})
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

    configured = settings_of(ctx).engine_options("ct2").get("models")
    return Path(configured) if configured else default_models_dir()


@models.command("install")
@click.argument("source", metavar="FILE_OR_URL")
@click.pass_context
def models_install(ctx: click.Context, source: str) -> None:
    """Install a package (.argosmodel file, unpacked folder, or http(s) URL)."""
    from syndicate.engines.argos import install_model

    package = install_model(source, _models_dir(ctx))
    note(
        ctx,
        f"installed {package.source} -> {package.target} "
        f"({package.version or 'no version'}) in {package.path}",
    )


@models.command("list")
@click.pass_context
def models_list(ctx: click.Context) -> None:
    """The installed packages."""
    from syndicate.engines.argos import list_models

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
    from syndicate.engines.argos import remove_model

    remove_model(name, _models_dir(ctx))
    note(ctx, f"removed {name}")


@cli.group()
def config() -> None:
    """Inspect the settings."""


@config.command("show")
@click.option("--sources", is_flag=True, help="Say where each value comes from.")
@click.pass_context
def config_show(ctx: click.Context, sources: bool) -> None:
    """Print the effective settings (secrets hidden)."""
    import yaml

    settings = settings_of(ctx)
    click.echo(f"# {settings.describe_file()}")
    click.echo(yaml.safe_dump(settings.redacted(), sort_keys=True, allow_unicode=True), nl=False)
    if sources:
        click.echo("# sources")
        for key, where in sorted(settings.sources.items()):
            click.echo(f"# {key}: {where}")

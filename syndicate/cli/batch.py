"""The batch command: where its articles come from (folders, files, patterns or a plan),
its progress on stderr, and the summary an editor reads in the morning."""

from __future__ import annotations

import difflib
import glob
import json
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndicate.cli.app import (
    MONEY_CHOICES,
    MONEY_HELP,
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
    cli,
)
from syndicate.errors import UsageError

if TYPE_CHECKING:
    from syndicate.runs.batch import Stats

PLAN_SUFFIXES = (".yaml", ".yml")


@cli.command()
@click.argument("specs", nargs=-1, metavar="[DIR | FILE.md | 'GLOB'... | PLAN.yaml]")
@click.option(
    "--partner",
    "partner_ids",
    multiple=True,
    metavar="ID",
    help="A partner to syndicate to (repeatable).",
)
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="LOC[,LOC...]",
    help="Target locales, without partners (repeatable, or comma-separated).",
)
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
@click.option("--money", type=click.Choice(MONEY_CHOICES), help=MONEY_HELP)
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
    specs: Sequence[str],
    partner_ids: Sequence[str],
    targets: Sequence[str],
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

    Finds the articles in folders (their *.md files), files and quoted glob patterns
    ('articles/**/*.md'), or in a plan file (default: the current folder); skips the jobs
    whose source, settings and rates are unchanged since their last success; resumes
    where a killed run stopped. Exit 0, or 3 when some jobs failed.
    """
    from syndicate.cli.review import review_store
    from syndicate.engines.base import create_engine
    from syndicate.runs.batch import Job, run_batch, with_partner_policy
    from syndicate.runs.batch import Settings as BatchSettings
    from syndicate.runs.journal import Journal
    from syndicate.syndication.partners import find_partner, load_partners

    plan = _batch_plan(specs)
    source = _source_lang(source) or plan.get("from")
    workers = workers or plan.get("jobs")
    money = money or plan.get("money")
    strict = strict or bool(plan.get("strict"))
    no_tm = no_tm or bool(plan.get("no_tm"))
    settings = _settings(ctx, engine=engine or plan.get("engine"))
    out = out or Path(plan.get("out") or "out")
    locales = _locales(targets or plan.get("to") or [])
    wanted = list(partner_ids) or list(plan.get("partners") or [])
    if bool(wanted) == bool(locales):
        raise UsageError(
            "give partners (--partner ID, or 'partners:' in the plan) or --to LOC"
            + (", not both" if wanted else ""),
            hint=None if wanted else "see `syndicate partners list`",
        )
    known = load_partners(settings.resolve_path("partners")) if wanted else {}
    partners = [find_partner(known, pid) for pid in wanted]
    sources = _batch_sources(plan, out, locales)
    if not sources:
        raise UsageError(
            f"no articles found in {plan['_where']}",
            hint="give folders of .md files, files, patterns or a plan",
        )
    jobs = [Job(src, loc, p) for src in sources for p in partners for loc in p.locales]
    jobs += [Job(src, loc, None) for src in sources for loc in locales]
    fixed = now or plan.get("now")
    stamp = _parse_now(fixed) if fixed else None  # None: the clock, left out of fingerprints
    backend = create_engine(settings.engine, settings.engine_options(settings.engine))
    base = _localize_options(settings, money)
    tm_path = None if no_tm else settings.tm_path()
    journal = Journal(
        (tm_path.parent if tm_path else _default_state()) / "journal.sqlite3",
        wait=settings.tm_wait,
    )
    progress = _Progress(ctx)
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
        with _memory(settings, disabled=no_tm) as memory, review_store(settings) as review:
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
                    review=review,
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
        _batch_summary(ctx, result, out, dry_run=dry_run)
    if result.status != "success":
        ctx.exit(3)


def _batch_plan(specs: Sequence[str]) -> dict[str, Any]:
    """A plan file's settings, or the articles that folders, files and patterns name."""
    from syndicate.safeyaml import read_yaml_file

    plans = [s for s in specs if Path(s).suffix.lower() in PLAN_SUFFIXES and Path(s).is_file()]
    if not plans:
        return {"_paths": _articles(specs or ["."]), "_where": " ".join(specs) or "."}
    if len(specs) > 1:
        raise UsageError(
            f"{plans[0]}: a plan file comes alone", hint="name the articles in its 'sources:'"
        )
    spec, path = specs[0], Path(specs[0])
    plan = read_yaml_file(path, "plan") or {}
    allowed = {"sources", "partners", "to", "from", "engine", "out", "now", "jobs", "money"}
    allowed |= {"strict", "no_tm", "fail_fast"}
    if not isinstance(plan, dict):
        raise UsageError(
            f"{spec}: a plan is a mapping of keys to values",
            hint=f"known keys: {', '.join(sorted(allowed))}",
        )
    if set(plan) - allowed:
        unknown = sorted(set(plan) - allowed)[0]
        close = difflib.get_close_matches(str(unknown), sorted(allowed), n=1)
        raise UsageError(
            f"{spec}: unknown plan key {unknown!r}",
            hint=f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(allowed))}",
        )
    _check_plan_values(plan, spec)
    if isinstance(plan.get("out"), str):
        plan["out"] = str(path.parent / plan["out"])
    return {**plan, "_plan": path, "_where": spec}


def _check_plan_values(plan: dict[str, Any], spec: str) -> None:
    for key in ("to", "partners", "sources"):
        value = plan.get(key)
        if isinstance(value, str):
            plan[key] = value = [v.strip() for v in value.split(",")] if key == "to" else [value]
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise UsageError(f"{spec}: '{key}' must be a list of texts")
    for key in ("engine", "out", "now", "from"):
        if plan.get(key) is not None and not isinstance(plan[key], str):
            raise UsageError(f"{spec}: '{key}' must be a text")
    for key in ("strict", "no_tm", "fail_fast"):
        if not isinstance(plan.get(key, False), bool):
            raise UsageError(f"{spec}: '{key}' must be true or false")
    jobs = plan.get("jobs", 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 64:
        raise UsageError(f"{spec}: 'jobs' must be a whole number from 1 to 64")
    if plan.get("money") not in (None, *MONEY_CHOICES):
        raise UsageError(f"{spec}: 'money' must be one of {', '.join(MONEY_CHOICES)}")
    for key, check in (("to", _locales), ("from", _source_lang)):
        try:
            plan[key] = check(plan.get(key))
        except UsageError as exc:
            raise UsageError(f"{spec}: '{key}': {exc.message}", hint=exc.hint) from None


def _articles(specs: Sequence[str]) -> list[Path]:
    """The files that folders (their *.md files), file names and glob patterns name."""
    found: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found += sorted(path.glob("*.md"))
        elif path.is_file():
            found.append(path)
        elif glob.has_magic(spec):  # quoted, so that the shell left it to us
            matches = sorted(Path(p) for p in glob.glob(spec, recursive=True))
            if not matches:
                raise UsageError(f"{spec}: the pattern matches no file")
            found += [p for p in matches if p.is_file()]
        else:
            raise UsageError(f"{spec}: no such folder, file or plan file")
    return found


def _glob(base: Path, where: str, pattern: object) -> list[Path]:
    text = str(pattern)
    if not text or Path(text).is_absolute() or "\0" in text:
        raise UsageError(
            f"{where}: source pattern {text!r} must be relative to the plan file",
            hint="write patterns such as 'articles/*.md'",
        )
    try:
        return [p for p in base.glob(text) if p.is_file()]
    except (ValueError, NotImplementedError) as exc:
        raise UsageError(f"{where}: source pattern {text!r} is not valid ({exc})") from None


def _batch_sources(plan: dict[str, Any], out: Path, locales: list[str]) -> list[Path]:
    if "_paths" in plan:
        found = plan["_paths"]
    else:
        base = plan["_plan"].parent
        patterns = plan.get("sources") or []
        if isinstance(patterns, str):
            patterns = [patterns]
        found = sorted({p for pattern in patterns for p in _glob(base, plan["_where"], pattern)})
    outside = out.resolve()
    suffixes = tuple(f".{loc}.md" for loc in locales)
    unique: dict[Path, Path] = {}  # an article named twice (a folder and a pattern) runs once
    for p in found:
        real = p.resolve()
        if outside not in real.parents and not p.name.endswith(suffixes):
            unique.setdefault(real, p)
    return list(unique.values())


def _failures(failed: Iterable[Any], shown: int = 3) -> None:
    """One line per distinct error: a dead engine fails every job with the same message,
    and a thousand copies of it would bury the other errors (report.json lists each job)."""
    by_error: dict[str, list[str]] = {}
    for o in failed:
        by_error.setdefault(str(o.error), []).append(f"{o.job.source}: {o.job.target}")
    for error, jobs in by_error.items():
        if len(jobs) == 1:
            _error(f"{jobs[0]}: {error}")
            continue
        more = f" and {len(jobs) - shown} more" if len(jobs) > shown else ""
        _error(f"{len(jobs)} jobs ({', '.join(jobs[:shown])}{more}): {error}")


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


def progress_line(stats: Stats, now: float) -> str:
    """Where a run is: jobs and articles ended, segments, requests, failures, time left."""
    done, elapsed = stats.ended, now - stats.started
    worked = done - stats.unchanged  # unchanged jobs end at once: they tell nothing of the pace
    rate = worked / elapsed if elapsed > 0 and worked > 0 else 0
    eta = f", ETA {_duration((stats.jobs - done) / rate)}" if rate and done < stats.jobs else ""
    return (
        f"[{done}/{stats.jobs} jobs, {stats.articles_ended}/{stats.articles} articles] "
        f"{stats.segments} segments, {stats.requests} requests, {stats.failed} failed{eta}"
    )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


class _Progress:
    """A progress line on a terminal; a log line every few seconds otherwise."""

    def __init__(self, ctx: click.Context) -> None:
        self.quiet = bool(ctx.find_root().obj.get("quiet"))
        self.tty = sys.stderr.isatty()
        self.last = 0.0
        self.stats: Stats | None = None
        self.lock = threading.Lock()  # called from the engine's threads as well

    def __call__(self, stats: Stats) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        with self.lock:
            self.stats = stats
            if now - self.last < (0.2 if self.tty else 5.0):
                return
            self.last = now
            self._show(progress_line(stats, now))

    def _show(self, line: str) -> None:
        if self.tty:
            click.echo(f"\r{line}\033[K", err=True, nl=False)
        else:
            click.echo(f"syndicate: {line}", err=True)

    def done(self) -> None:
        """On a terminal, the line as the run left it, then a new line for what follows."""
        with self.lock:
            if self.tty and self.stats is not None:
                self._show(progress_line(self.stats, time.monotonic()))
                click.echo("", err=True)


def _batch_summary(ctx: click.Context, result: Any, out: Path, *, dry_run: bool) -> None:
    from collections import Counter

    for o in result.outcomes:
        if o.status == "planned":  # what a dry run is for: the jobs it would run, on stdout
            partner = f" ({o.job.partner.id})" if o.job.partner else ""
            click.echo(f"{o.job.source}: {o.job.target}{partner}: would write {out / o.outputs[0]}")
    rows: Counter[tuple[str, str, str]] = Counter()
    for o in result.outcomes:
        rows[(o.job.partner.id if o.job.partner else "-", o.job.target, o.status)] += 1
    _note(ctx, f"{'partner':<24}{'locale':<10}{'status':<11}{'jobs':>5}")
    for (partner, locale, status), count in sorted(rows.items()):
        _note(ctx, f"{partner:<24}{locale:<10}{status:<11}{count:>5}")
    _failures(o for o in result.outcomes if o.status == "failed")
    if result.stopped:
        _error(result.stopped)
    for partner, error in result.packages:
        if error:
            _error(f"the package for {partner} was not delivered: {error}")
    for awaiting in result.awaiting:
        review = awaiting.as_dict(out)["review"]
        _note(
            ctx,
            f"awaiting review for {awaiting.partner}: {awaiting.source}: {awaiting.target}: "
            f"{review}",
        )
    stats = result.stats
    if dry_run:
        _note(
            ctx,
            f"dry run: would send {stats.unique} segments ({stats.characters} characters) "
            f"in about {stats.requests} requests; nothing sent or written",
        )
        return
    _note(
        ctx,
        f"{result.status}: {stats.requests} engine requests"
        + (f" answered, {stats.failed_requests} failed;" if stats.failed_requests else ",")
        + f" {stats.characters} characters; report in {out / 'report.json'}",
    )

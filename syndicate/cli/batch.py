"""The batch command: its options, its progress on stderr, and the summary an editor reads
in the morning. What it runs (plans, sources, settings) is library code: ``syndicate.runs``."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from syndicate.cli.app import cli
from syndicate.cli.common import (
    note,
    print_json,
    run_options,
    settings_of,
    show_error,
    to_option,
    warn,
)
from syndicate.errors import EXIT_PARTIAL, UsageError
from syndicate.vocabulary import MAX_WORKERS

if TYPE_CHECKING:
    from syndicate.runs.batch import BatchResult, Stats
    from syndicate.runs.results import Outcome


@cli.command()
@click.argument("specs", nargs=-1, metavar="[DIR | FILE.md | 'GLOB'... | PLAN.yaml]")
@click.option(
    "--partner",
    "partner_ids",
    multiple=True,
    metavar="ID",
    help="A partner to syndicate to (repeatable).",
)
@to_option("Target locales, without partners (repeatable, or comma-separated).")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: out)."
)
@click.option(
    "--jobs",
    "workers",
    type=click.IntRange(1, MAX_WORKERS),
    help="Engine requests at once (default: what the engine takes).",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 256),
    help="Worker processes for the CPU work (default: the machine's cores).",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Run only shard K of N (every Nth article): one part of a run split over machines.",
)
@click.option(
    "--queue",
    metavar="URL",
    help="Hand the run's shards to `syndicate worker`s on this Redis broker (redis://...).",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 100_000),
    help="With --queue: how many (default: 20 articles each).",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first job that fails.")
@click.option(
    "--deliver",
    "then_deliver",
    is_flag=True,
    help="At the end, send the partners' packages (as `syndicate deliver` does).",
)
@run_options
@click.pass_context
def batch(
    ctx: click.Context,
    specs: Sequence[str],
    partner_ids: Sequence[str],
    targets: Sequence[str],
    out: Path | None,
    workers: int | None,
    processes: int | None,
    shard: str | None,
    queue: str | None,
    shards: int | None,
    fail_fast: bool,
    then_deliver: bool,
    source: str | None,
    engine: str | None,
    now: str | None,
    money: str | None,
    strict: bool,
    no_tm: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Translate and syndicate many articles: every (article, partner, locale) job.

    Finds the articles in folders (their *.md files), files and quoted glob patterns
    ('articles/**/*.md'), or in a plan file (default: the current folder); skips the jobs
    whose source, settings and rates are unchanged since their last success; resumes
    where a killed run stopped. With --dry-run, lists the jobs to run and those unchanged.
    With --deliver, the partners' packages are then sent (see `syndicate deliver`).
    Exit 0, or 3 when some jobs failed, a partner's package has nothing in one of its
    locales, or (with --deliver) some partners were not served.
    """
    from syndicate.runs.batch import report_name
    from syndicate.runs.plans import load_plan, parse_shard
    from syndicate.runs.project import run_batch

    plan = load_plan(specs).overridden(
        partners=partner_ids,
        to=targets,
        source=source,
        engine=engine,
        out=out,
        jobs=workers,
        processes=processes,
        shard=parse_shard(shard) if shard else None,
        now=now,
        money=money,
        strict=strict,
        no_tm=no_tm,
        fail_fast=fail_fast,
    )
    if shards is not None and not queue:
        raise UsageError("--shards goes with --queue", hint="give --queue redis://... too")
    progress = _Progress(ctx)
    try:
        if queue and not dry_run:
            from syndicate.runs.queue import run_queued

            result = run_queued(
                specs, plan, settings_of(ctx), broker=queue, shards=shards, on_event=progress
            )
        else:
            result = run_batch(plan, settings_of(ctx), dry_run=dry_run, on_event=progress)
    finally:
        progress.done()
    out = plan.out or Path("out")
    delivered = None
    if then_deliver and plan.partners:
        from syndicate.cli.delivery import deliver_packages

        delivered = deliver_packages(ctx, out, plan.partners, dry_run=dry_run)
    if as_json:
        doc = {**result.report(), "run": result.stats.as_dict()}
        if delivered is not None:
            from syndicate.cli.delivery import report_json

            doc["delivery"] = report_json(delivered)
        print_json(doc)
    else:
        _batch_summary(ctx, result, out, dry_run=dry_run, report=report_name(plan.shard))
        if delivered is not None:
            from syndicate.cli.delivery import print_report

            print_report(ctx, delivered)
    if result.status != "success" or (delivered is not None and delivered.exit_code):
        ctx.exit(EXIT_PARTIAL)


def _failures(failed: Iterable[Outcome], shown: int = 3) -> None:
    """One line per distinct error: a dead engine fails every job with the same message,
    and a thousand copies of it would bury the other errors (report.json lists each job).
    Each names its file once (``Outcome.message``)."""
    by_error: dict[str, list[Outcome]] = {}
    for o in failed:
        by_error.setdefault(str(o.error), []).append(o)
    for group in by_error.values():
        first = group[0]
        if len(group) == 1:
            show_error(first.message)
        elif len({o.source for o in group}) == 1 and len(group) <= shown:  # one article
            targets = ", ".join(o.target for o in group)
            show_error(replace(first, target=targets).message)
        else:
            jobs = [f"{o.source}: {o.target}" for o in group[:shown]]
            more = f" and {len(group) - shown} more" if len(group) > shown else ""
            show_error(f"{len(group)} jobs ({', '.join(jobs)}{more}): {first.error}")


def _warnings(outcomes: Iterable[Outcome]) -> None:
    """The QA warnings of the jobs that went through, by kind, one line each: a thousand
    jobs' warnings one by one would bury the rest (report.json has each)."""
    from collections import Counter

    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for o in outcomes:
        for f in o.findings:
            if f.severity == "warning":
                kinds[f.code] += 1
                examples.setdefault(f.code, []).append(f"{o.source}: {o.target}: {f.message}")
    for code, count in sorted(kinds.items()):
        first = examples[code][0]
        more = f" ({count} in all; each is in report.json)" if count > 1 else ""
        warn(f"{code}: {first}{more}")


def progress_line(stats: Stats, now: float) -> str:
    """Where a run is: jobs and articles ended, segments, requests, failures, time left."""
    done, elapsed = stats.ended, now - stats.started
    worked = done - stats.unchanged  # unchanged jobs end at once: they tell nothing of the pace
    # Not from the first few jobs: they carry the start (processes forked, models loaded),
    # and a pace read from them promised hours for a run of seconds.
    enough = worked >= min(20, max(1, stats.jobs // 20))
    rate = worked / elapsed if elapsed > 0 and enough else 0
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
        self.shown: str | None = None  # the last line shown
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
        self.shown = line
        if self.tty:
            click.echo(f"\r{line}\033[K", err=True, nl=False)
        else:
            click.echo(f"syndicate: {line}", err=True)

    def done(self) -> None:
        """The line as the run left it (on a terminal, then a new line for what follows):
        a line shown mid-run must not be the last word, or its counts would disagree with
        the summary's."""
        with self.lock:
            if self.stats is None or self.quiet:
                return
            final = progress_line(self.stats, time.monotonic())
            if self.tty:
                self._show(final)
                click.echo("", err=True)
            elif self.shown is not None and _counts(final) != _counts(self.shown):
                self._show(final)


def _counts(line: str) -> str:
    """A progress line without its time left, which changes while nothing else does."""
    return line.split(", ETA ")[0]


def _batch_summary(
    ctx: click.Context, result: BatchResult, out: Path, *, dry_run: bool, report: str
) -> None:
    from collections import Counter

    for o in result.outcomes:
        if o.status == "planned":  # what a dry run is for: the jobs it would run, on stdout
            partner = f" ({o.partner})" if o.partner else ""
            click.echo(f"{o.source}: {o.target}{partner}: would write {o.outputs[0]}")
    rows: Counter[tuple[str, str, str]] = Counter()
    for o in result.outcomes:
        rows[(o.partner or "-", o.target, o.status)] += 1
    note(ctx, f"{'partner':<24}{'locale':<10}{'status':<11}{'jobs':>5}")
    for (partner, locale, status), count in sorted(rows.items()):
        note(ctx, f"{partner:<24}{locale:<10}{status:<11}{count:>5}")
    _failures(o for o in result.outcomes if o.status == "failed")
    _warnings(o for o in result.outcomes if o.status != "failed")
    if result.stopped:
        show_error(result.stopped)
    for partner, error in result.packages:
        if error:
            show_error(f"the package for {partner} could not be built: {error}")
    for partner, locale, why in result.empty:
        warn(f"the package for {partner} has nothing in {locale}: {why}")
    for awaiting in result.awaiting:
        review = awaiting.as_dict(out)["review"]
        note(
            ctx,
            f"awaiting review for {awaiting.partner}: {awaiting.source}: {awaiting.target}: "
            f"{review}",
        )
    stats = result.stats
    if dry_run:
        note(
            ctx,
            f"dry run: would send {stats.unique} segments ({stats.characters} characters) "
            f"in about {stats.requests} requests; nothing sent or written",
        )
        return
    note(
        ctx,
        f"{result.status}: {stats.requests} engine requests"
        + (f" answered, {stats.failed_requests} failed;" if stats.failed_requests else ",")
        + f" {stats.characters} characters; report in {out / report}",
    )


@cli.command()
@click.option("--queue", metavar="URL", required=True, help="The Redis broker (redis://...).")
@click.pass_context
def worker(ctx: click.Context, queue: str) -> None:
    """Run a worker that takes shards of `batch --queue` runs, one at a time.

    Run it in the project's folder (the same articles, settings and shared output folder as
    the machine that starts the run); stop it with Ctrl-C, or kill it: its shard goes back
    to the queue after queue_visibility seconds.
    """
    from syndicate.runs.queue import check_broker, make_app, need_store

    settings = settings_of(ctx)
    need_store(settings, "a worker")
    app = make_app(queue, visibility=int(settings.values.get("queue_visibility", 3600)))
    check_broker(queue)
    app.worker_main(
        [
            "worker",
            "--pool=solo",  # the shard runs in this process, its workers die with it
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ]
    )

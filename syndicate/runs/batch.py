"""Editorial batch runs: every (article, partner, locale) job, concurrent, resumable, reported.

A run (1) takes the output folder's lock, (2) skips the jobs whose fingerprint and
outputs are unchanged since their last success, (3) plans the others one by one, each
article analysed once for all its jobs, handing their segments to the dispatcher, which
sends them through the engine many segments a request and several requests at once while
planning goes on, (4) finishes each job (placeholders checked, entities rendered, QA) as
soon as its segments are back and writes it atomically, recording it in the journal, and
(5) rebuilds each partner's package and the report. A run killed at any point leaves only
whole files, and the next run redoes exactly the jobs not recorded as done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from syndicate import __version__
from syndicate.config import Outlet
from syndicate.engines.base import batches, request_limits
from syndicate.errors import EngineError, SyndicateError
from syndicate.files import (
    BatchedWrites,
    Claims,
    contained,
    remove_stale_temporaries,
    write_atomic,
)
from syndicate.markdown.article import parse_article, read_article
from syndicate.redact import redact
from syndicate.review.edits import is_approved
from syndicate.runs.dispatch import Dispatcher
from syndicate.runs.journal import Journal, sha256_file
from syndicate.runs.paths import output_name
from syndicate.runs.results import RESULT_VERSION, Outcome, Status, run_status
from syndicate.runs.step import TranslateOptions, plan_job, translate_job, write_job
from syndicate.syndication.formats import rfc3339
from syndicate.syndication.package import build_package, previous_manifest, write_package
from syndicate.syndication.partners import Partner
from syndicate.translation.translate import Analysis, Plan, analyse
from syndicate.types import Finding

MAX_WAITING = 1000  # planned jobs waiting to be finished, at most
FLUSH_JOBS = 64  # finished jobs made durable together, at most...
FLUSH_SECONDS = 1.0  # ...and at least this often


@dataclass(frozen=True, slots=True)
class Job:
    """One article into one locale, for a partner (its package) or for none (``--to``)."""

    source: Path
    target: str
    partner: Partner | None = None
    key: str = field(init=False, repr=False, compare=False)  # the job's name in the journal
    real: Path = field(init=False, repr=False, compare=False)  # where the source really is

    def __post_init__(self) -> None:
        # Once: resolving a path asks the file system, and a run looks keys up often.
        partner = self.partner.id if self.partner else "-"
        object.__setattr__(self, "real", self.source.resolve())
        object.__setattr__(self, "key", f"{partner}|{self.real}|{self.target}")


@dataclass
class Stats:
    """What a run did, for progress and the summary (not written into the report file)."""

    jobs: int = 0
    articles: int = 0
    ended: int = 0  # jobs finished, failed or unchanged
    articles_ended: int = 0  # articles whose every job has ended
    finished: int = 0
    failed: int = 0
    unchanged: int = 0
    segments: int = 0  # segments to translate, job by job
    unique: int = 0  # distinct segments sent (identical ones across jobs go once)
    requests: int = 0
    characters: int = 0
    failed_requests: int = 0
    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)
    left: Counter[Path] = field(default_factory=Counter)  # jobs not ended, by article

    @classmethod
    def of(cls, jobs: Sequence[Job]) -> Stats:
        left = Counter(job.source for job in jobs)
        return cls(jobs=len(jobs), articles=len(left), left=left)

    def ended_job(self, job: Job) -> None:
        """Count a job that has ended; the caller holds the lock."""
        self.ended += 1
        self.left[job.source] -= 1
        self.articles_ended += not self.left[job.source]

    def as_dict(self) -> dict[str, Any]:
        hidden = ("lock", "started", "left")
        return {k: v for k, v in self.__dict__.items() if k not in hidden} | {
            "seconds": round(time.monotonic() - self.started, 3)
        }


@dataclass(frozen=True, slots=True)
class Awaiting:
    """A translation a partner requires approved, held out of its package until it is."""

    partner: str
    source: str
    target: str
    translation: str  # the file to review (a path inside the output folder)

    def as_dict(self, out: Path) -> dict[str, str]:
        return {
            "partner": self.partner,
            "source": self.source,
            "target": self.target,
            "translation": _relative(Path(self.translation), out),
            "review": f"syndicate review {self.translation} --to {self.target}",
        }


@dataclass(frozen=True, slots=True)
class BatchResult:
    """A run's end: each job's outcome (in the jobs' order), its figures, its packages."""

    jobs: tuple[Job, ...]
    outcomes: tuple[Outcome, ...]  # their outputs: paths inside ``out``, as given
    stats: Stats
    out: Path = Path("out")
    stopped: str | None = None  # why the run stopped early, if it did
    packages: tuple[tuple[str, str | None], ...] = ()  # (partner, why it was not built, or None)
    empty: tuple[tuple[str, str, str], ...] = ()  # (partner, locale, why nothing went there)
    awaiting: tuple[Awaiting, ...] = ()  # held out of packages until approved

    @property
    def status(self) -> str:
        return run_status(
            self.outcomes, other_errors=any(e for _, e in self.packages) or bool(self.empty)
        )

    def report(self) -> dict[str, Any]:
        """The report: the final state of every job, the same whatever runs led to it."""
        ordered = sorted(zip(self.jobs, self.outcomes, strict=True), key=lambda jo: jo[0].key)
        return {
            "syndicate_result_version": RESULT_VERSION,
            "status": self.status,
            "jobs": [o.as_dict(stable=True, relative_to=self.out) for _, o in ordered],
            "stopped": self.stopped,
            "packages": [
                {
                    "partner": partner,
                    "built": error is None,
                    "error": error,
                    "empty_locales": [
                        {"locale": locale, "reason": why}
                        for p, locale, why in self.empty
                        if p == partner
                    ],
                }
                for partner, error in self.packages
            ],
            "awaiting_review": [a.as_dict(self.out) for a in self.awaiting],
        }


@dataclass(frozen=True)
class BatchOptions:
    """What a batch run needs besides its jobs: the jobs' options, and the run's own."""

    translate: TranslateOptions  # its ``now``: the run's time, fixed (``--now``) or None
    out: Path
    journal: Journal
    # With ``translate.now`` fixed, the time is part of every fingerprint, so that the
    # outputs are reproducible. None: the clock when the run starts, and an unchanged job is
    # skipped whatever the time (otherwise a nightly run would redo every job every night).
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    workers: int = 4  # engine requests at once
    processes: int = 1  # worker processes for the CPU work (runs.processes)
    # (K, N): this run does shard K of N only (``--shard``); its report is its own, and
    # the packages are left to a run of the whole batch once every shard is done.
    shard: tuple[int, int] | None = None
    fail_fast: bool = False
    # Wait for another run holding the folder (or this shard) instead of refusing: a
    # worker does, as the broker may hand a slow shard out twice and it must run once.
    wait_for_lock: bool = False
    fingerprint_extra: str = ""  # engine settings, profiles, rates: what else outputs depend on
    outlet: Outlet = field(default_factory=Outlet)  # who publishes the originals

    @property
    def now(self) -> dt.datetime | None:
        return self.translate.now


def run_jobs(
    jobs: Sequence[Job],
    s: BatchOptions,
    *,
    dry_run: bool = False,
    on_event: Callable[[Stats], None] | None = None,
) -> BatchResult:
    """Run the jobs; never raises for a job's failure, only for the run's own (lock, journal).

    ``jobs`` are the shard's own when ``s.shard`` is set (``shard_of`` picks them).

    A dry run plans the jobs that are not unchanged (the memory consulted, identical
    segments counted once) and counts what they would send; it writes nothing, neither
    outputs nor journal entries, and takes no lock.
    """
    stats = Stats.of(jobs)
    if dry_run:
        outcomes, todo = _triage(jobs, s, stats)
        _dry_run(todo, s, outcomes, stats)
        return BatchResult(tuple(jobs), tuple(outcomes[j.key] for j in jobs), stats, s.out)
    part = f"shard {s.shard[0]}/{s.shard[1]}" if s.shard else ""
    with s.journal.lock(s.out, part, wait=s.wait_for_lock):
        # A killed run's half-written files (never outputs); a shard's own only, as other
        # shards may be writing theirs in the same folder.
        remove_stale_temporaries(s.out, shard_tag(s.shard))
        outcomes, todo = _triage(jobs, s, stats)
        now = s.now or s.clock().replace(microsecond=0)
        s = replace(s, translate=replace(s.translate, now=now))  # one time for every output
        early = next((o for o in outcomes.values() if o.failed), None) if s.fail_fast else None
        if s.fail_fast and early is None:
            early = _unreadable(todo, s, outcomes, stats)
        if early is not None:  # a job that failed before any work: nothing else runs
            stopped: str | None = _fail_fast(early)
        elif s.processes > 1 and not s.fail_fast and len({job.source for job, _ in todo}) > 1:
            # --fail-fast runs in one process: the first failure must stop every other job,
            # and other processes would have jobs of their own underway when it comes.
            from syndicate.runs.processes import run_in_processes

            stopped = run_in_processes(todo, s, outcomes, stats, on_event, s.processes)
        else:
            stopped = _run(todo, s, outcomes, stats, on_event)
        for job in jobs:  # jobs a stopped run never started, or never finished
            outcomes.setdefault(job.key, _outcome(job, "not-run", error=stopped or "not run"))
        result = BatchResult(
            tuple(jobs), tuple(outcomes[j.key] for j in jobs), stats, out=s.out, stopped=stopped
        )
        if s.shard is None:
            packages, empty, awaiting = _packages(jobs, result, s, now)
            result = replace(result, packages=packages, empty=empty, awaiting=awaiting)
        write_atomic(
            s.out / report_name(s.shard),
            json.dumps(result.report(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        )
        if s.shard is None:  # the whole run's report supersedes its shards' (they are in it)
            for stale in s.out.glob("report.shard-*-of-*.json"):
                stale.unlink(missing_ok=True)
        return result


def report_name(shard: tuple[int, int] | None) -> str:
    """The report's file name in the output folder: a shard's is its own."""
    return f"report.{shard_tag(shard)}.json" if shard else "report.json"


def shard_tag(shard: tuple[int, int] | None) -> str:
    """A shard's name in its files (its report, its temporary files); "" for a whole run."""
    return f"shard-{shard[0]}-of-{shard[1]}" if shard else ""


def shard_of(jobs: Sequence[Job], shard: tuple[int, int]) -> list[Job]:
    """The jobs of shard K of N: every Nth article in path order, starting with the Kth,
    the same split on every machine that lists the same articles."""
    k, n = shard
    articles = sorted({str(job.source) for job in jobs})
    mine = {a for i, a in enumerate(articles) if i % n == k - 1}
    return [job for job in jobs if str(job.source) in mine]


def _triage(
    jobs: Sequence[Job], s: BatchOptions, stats: Stats
) -> tuple[dict[str, Outcome], list[tuple[Job, str]]]:
    """The outcomes known before any work: jobs whose output another article's job claims
    (failed), jobs unchanged since their last success; and the others to do, each with its
    fingerprint."""
    outcomes: dict[str, Outcome] = {}
    claims = Claims()
    fingerprint = _Fingerprints(s)
    fingerprints: dict[str, str] = {}
    for job in jobs:
        try:
            claims.claim(_output_path(job, s), job.source, job.real)
        except SyndicateError as exc:
            _fail(job, exc, outcomes, stats)
            continue
        fingerprints[job.key] = fingerprint(job)
    done = s.journal.unchanged(s.out, fingerprints)
    todo: list[tuple[Job, str]] = []
    for job in jobs:
        if job.key not in fingerprints:
            continue
        entry = done.get(job.key)
        if entry is not None:
            kept = tuple(sorted(str(s.out / _relative(Path(p), s.out)) for p in entry.outputs))
            findings = tuple(Finding(**f) for f in json.loads(entry.detail or "[]"))
            outcomes[job.key] = _outcome(job, "unchanged", outputs=kept, findings=findings)
            stats.unchanged += 1
            stats.ended_job(job)
        else:
            todo.append((job, fingerprints[job.key]))
    return outcomes, todo


def _dry_run(
    todo: Sequence[tuple[Job, str]], s: BatchOptions, outcomes: dict[str, Outcome], stats: Stats
) -> None:
    """Plan each job and count what the run would send: distinct segments per language
    pair (per worker process, as each sends its own), and the requests the engine's
    batching makes of them."""
    analyses = _Analyses(todo, s.translate.source)
    share = {job.key: 0 for job, _ in todo}
    if s.processes > 1 and len({job.source for job, _ in todo}) > 1:
        from syndicate.runs.processes import shares

        share = {job.key: i for i, part in enumerate(shares(todo, s.processes)) for job, _ in part}
    wanted: dict[tuple[int, str, str], dict[str, None]] = {}
    for job, _ in todo:
        try:
            plan = _planned(job, s, analyses)
            output = str(_output_path(job, s))
        except SyndicateError as exc:
            _fail(job, exc, outcomes, stats)
            continue
        outcomes[job.key] = _outcome(job, "planned", outputs=(output,))
        stats.ended_job(job)
        stats.segments += len(plan.unique)
        pair = (share[job.key], plan.detection.lang, plan.engine_target or plan.target)
        wanted.setdefault(pair, {}).update(dict.fromkeys(plan.unique))
    size, chars = request_limits(s.translate.engine)
    for texts in wanted.values():
        stats.unique += len(texts)
        stats.characters += sum(map(len, texts))
        stats.requests += sum(1 for _ in batches(list(texts), size=size, chars=chars))


def _run(
    todo: Sequence[tuple[Job, str]],
    s: BatchOptions,
    outcomes: dict[str, Outcome],
    stats: Stats,
    on_event: Callable[[Stats], None] | None,
) -> str | None:
    """Plan every job, send their segments as they come, finish each job once they are back.

    Planning comes first, since it feeds the engine; a job is finished in between only
    while every worker has a request on its way, when that costs the engine nothing.
    """
    dispatcher = Dispatcher(
        s.translate.engine,
        workers=s.workers,
        counters=stats,
        on_request=(lambda: on_event(stats)) if on_event else None,
    )
    waiting: dict[str, tuple[Job, str, Plan]] = {}
    stopped: str | None = None
    durable = _Durable(s)
    jobs = {job.key: job for job, _ in todo}

    def failed(outcome: Outcome) -> None:
        nonlocal stopped
        if s.fail_fast and outcome.status == "failed" and not stopped:
            stopped = _fail_fast(outcome)

    def flush() -> None:
        for key, error in durable.flush().items():  # outputs that could not be put in place
            outcomes[key] = _outcome(jobs[key], "failed", error=redact(str(error)))
            with stats.lock:
                stats.failed += 1
            failed(outcomes[key])

    def finish(key: str) -> None:
        job, fp, plan = waiting.pop(key)
        outcome = _finish(job, fp, plan, dispatcher, s, durable)
        outcomes[job.key] = outcome
        with stats.lock:
            stats.finished += 1
            stats.failed += outcome.status == "failed"
            stats.ended_job(job)
        if on_event:
            on_event(stats)
        failed(outcome)
        if durable.due():
            flush()

    first = {source: i for i, source in enumerate(dict.fromkeys(job.source for job, _ in todo))}
    todo = sorted(todo, key=lambda item: first[item[0].source])  # an article's jobs together
    analyses = _Analyses(todo, s.translate.source)
    try:
        for job, fp in todo:
            if stopped or dispatcher.stopped:  # the breaker: planning more would be wasted
                break
            plan = _plan(job, fp, s, analyses, outcomes, stats, durable)
            if plan is None:  # it failed: unreadable, undetectable...
                if on_event:
                    on_event(stats)
                failed(outcomes[job.key])
                continue
            waiting[job.key] = (job, fp, plan)
            dispatcher.want(
                job.key, (plan.detection.lang, plan.engine_target or plan.target), plan.unique
            )
            while dispatcher.saturated and not stopped and (key := dispatcher.ready(wait=False)):
                finish(key)
            if len(waiting) >= MAX_WAITING:  # memory: a plan holds its article and segments
                dispatcher.flush()
                while len(waiting) > MAX_WAITING // 2 and not stopped:
                    if (key := dispatcher.ready(wait=True)) is None:
                        break
                    finish(key)
        dispatcher.flush()
        while waiting and not stopped and (key := dispatcher.ready(wait=True)):
            finish(key)
    finally:
        dispatcher.close(cancel=True)
        flush()
    return stopped or dispatcher.stopped


class _Durable:
    """Finished jobs' outputs and journal entries, made durable a batch at a time: the
    outputs as temporary files, then one sync, the renames and their folders' syncs
    (``BatchedWrites``), then the review states of the jobs whose files are in place,
    then the journal entries in one transaction. A job is recorded done only after its
    output is in place; a kill in between leaves it to be redone."""

    def __init__(self, s: BatchOptions) -> None:
        self.s = s
        self.writes = BatchedWrites(shard_tag(s.shard))
        self.entries: list[tuple[str, str, str, dict[str, str] | None, str]] = []
        self.owners: dict[Path, str] = {}  # every file pending -> the job key that wrote it
        self.recordings: list[tuple[str, Callable[[], object]]] = []  # run once in place
        self.since = time.monotonic()

    def writer(self, key: str) -> Callable[[Path, str], None]:
        """How job ``key`` writes its files (its output, a .machine.md beside it)."""

        def write(path: Path, text: str) -> None:
            self.writes.write(path, text)
            self.owners[path] = key

        return write

    def later(self, key: str) -> Callable[[Callable[[], object]], None]:
        """How job ``key`` records its review states: after its files are in place."""
        return lambda recording: self.recordings.append((key, recording))

    def record(self, key: str, fp: str, state: str, detail: str = "") -> None:
        self.entries.append((key, fp, state, None, detail))

    def done(self, key: str, fp: str, path: Path, text: str, detail: str) -> None:
        """A finished job's 'done' entry: ``text`` is what its output holds once the
        pending writes (``writes``, where ``write_job`` put it, if it changed) are in place."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.entries.append((key, fp, "done", {str(path): digest}, detail))

    def due(self) -> bool:
        return len(self.writes) >= FLUSH_JOBS or time.monotonic() - self.since >= FLUSH_SECONDS

    def flush(self) -> dict[str, SyndicateError]:
        """Make what is pending durable: the files, then the review states of the jobs
        whose files are in place, then the journal. Returns the jobs that failed on the
        way (a file not put in place, a review store that refused)."""
        failed: dict[str, SyndicateError] = {}
        for path, error in self.writes.commit().items():
            failed.setdefault(self.owners[path], error)
        self._record_states(failed)
        entries = [
            (key, fp, "failed", None, redact(str(failed[key]))) if key in failed else entry
            for entry in self.entries
            for key, fp in [entry[:2]]
        ]
        if entries:
            self.s.journal.record_many(self.s.out, entries)
        self.entries, self.owners, self.recordings = [], {}, []
        self.since = time.monotonic()
        return failed

    def _record_states(self, failed: dict[str, SyndicateError]) -> None:
        """The review states of the jobs whose files are in place, in one transaction
        (one commit, not one a job: a round trip and a sync each on PostgreSQL); a job
        whose recording fails fails alone, and every job fails if the commit does."""
        review = self.s.translate.review
        if not self.recordings:
            return
        try:
            with review.together() if review is not None else contextlib.nullcontext():
                for key, recording in self.recordings:
                    if key in failed:
                        continue
                    try:
                        recording()
                    except SyndicateError as exc:
                        failed[key] = exc
        except SyndicateError as exc:
            for key, _ in self.recordings:
                failed.setdefault(key, exc)


class _Analyses:
    """Each article analysed once for all its jobs, and forgotten after its last one."""

    def __init__(self, todo: Sequence[tuple[Job, str]], source_lang: str | None) -> None:
        self.left = Counter(job.source for job, _ in todo)
        self.source_lang = source_lang
        self.done: dict[Path, Analysis] = {}

    def get(self, job: Job) -> Analysis:
        self.left[job.source] -= 1
        found = self.done.pop(job.source, None)
        if found is None:
            found = analyse(read_article(job.source), source=self.source_lang)
        if self.left[job.source]:
            self.done[job.source] = found
        return found


def _plan(
    job: Job,
    fp: str,
    s: BatchOptions,
    analyses: _Analyses,
    outcomes: dict[str, Outcome],
    stats: Stats,
    durable: _Durable,
) -> Plan | None:
    durable.record(job.key, fp, "running")
    try:
        plan = _planned(job, s, analyses)
    except SyndicateError as exc:
        durable.record(job.key, fp, "failed", detail=_fail(job, exc, outcomes, stats))
        return None
    with stats.lock:
        stats.segments += len(plan.unique)
    return plan


def _unreadable(
    todo: Sequence[tuple[Job, str]], s: BatchOptions, outcomes: dict[str, Outcome], stats: Stats
) -> Outcome | None:
    """--fail-fast: the first article that cannot be read or analysed (its front matter,
    its Markdown, its language), found before anything is sent to the engine, which would
    otherwise be paid for jobs the stop leaves unfinished. Its jobs fail; None if all read."""
    for source in dict.fromkeys(job.source for job, _ in todo):
        try:
            analyse(read_article(source), source=s.translate.source)
        except SyndicateError as exc:
            mine = [(job, fp) for job, fp in todo if job.source == source]
            errors = [_fail(job, exc, outcomes, stats) for job, _ in mine]
            s.journal.record_many(
                s.out,
                [
                    (job.key, fp, "failed", None, e)
                    for (job, fp), e in zip(mine, errors, strict=True)
                ],
            )
            return outcomes[mine[0][0].key]
    return None


def _fail_fast(outcome: Outcome) -> str:
    """Why a --fail-fast run stopped: the job that failed (its error is reported with it)."""
    return f"stopped at the first failure (--fail-fast): {outcome.source}: {outcome.target}"


def _fail(job: Job, exc: SyndicateError, outcomes: dict[str, Outcome], stats: Stats) -> str:
    """Record a job that failed before any translation; returns its (redacted) error."""
    error = redact(str(exc))
    outcomes[job.key] = _outcome(job, "failed", error=error)
    with stats.lock:
        stats.failed += 1
        stats.ended_job(job)
    return error


def _planned(job: Job, s: BatchOptions, analyses: _Analyses) -> Plan:
    return plan_job(analyses.get(job), job.target, s.translate)


def _finish(
    job: Job, fp: str, plan: Plan, dispatcher: Dispatcher, s: BatchOptions, durable: _Durable
) -> Outcome:
    pair = (plan.detection.lang, plan.engine_target or plan.target)
    answers, failures = dispatcher.answers, dispatcher.failures
    lost = [failures[(*pair, t)] for t in plan.unique if (*pair, t) not in answers]
    engine = s.translate.engine.name
    try:
        if lost:
            raise EngineError(engine, lost[0].split(": ", 1)[-1] if lost[0] else "failed")
        options = s.translate.for_partner(job.partner)
        translation = translate_job(
            plan,
            options,
            name=str(job.source),
            prefetched={t: answers[(*pair, t)] for t in plan.unique},
        )
        path = _output_path(job, s)
        written = write_job(
            path,
            translation,
            plan,
            options,
            write=durable.writer(job.key),
            then=durable.later(job.key),
        )
        findings = translation.findings + written.findings
        detail = json.dumps([f.as_dict() for f in findings], sort_keys=True)
        durable.done(job.key, fp, path, written.text, detail)
        return replace(
            _outcome(job, written.status, outputs=(str(path),), findings=findings),
            beside=str(written.beside) if written.beside else None,
        )
    except SyndicateError as exc:
        durable.record(job.key, fp, "failed", detail=redact(str(exc)))
        findings = tuple(getattr(exc, "findings", ()))
        return _outcome(job, "failed", findings=findings, error=redact(str(exc)))


def _outcome(
    job: Job,
    status: Status,
    *,
    outputs: tuple[str, ...] = (),
    findings: tuple[Finding, ...] = (),
    error: str | None = None,
) -> Outcome:
    partner = job.partner.id if job.partner else None
    return Outcome(
        str(job.source),
        job.target,
        status,
        partner,
        outputs,
        findings=findings,
        error=error,
        exit_code=3 if error else 0,
    )


def _relative(path: Path, out: Path) -> str:
    """An output's path as the report gives it: inside the output folder."""
    return path.resolve().relative_to(out.resolve()).as_posix()


def _output_path(job: Job, s: BatchOptions) -> Path:
    name = output_name(job.source, job.target)
    if job.partner is None:
        return contained(s.out, name)
    return contained(s.out, f".work/{job.partner.id}/{name}")


def _packages(
    jobs: Sequence[Job], result: BatchResult, s: BatchOptions, now: dt.datetime
) -> tuple[
    tuple[tuple[str, str | None], ...], tuple[tuple[str, str, str], ...], tuple[Awaiting, ...]
]:
    """Each partner's package, rebuilt from the outputs on every run (an embargoed article
    is released by the first run after its time, though none of its jobs changed; one
    awaiting review by the first run after its approval). A package that cannot be built
    is reported, and the other partners still get theirs; so is each partner locale that
    nothing went to, and why, and each translation held until it is approved."""
    partners = {j.partner.id: j.partner for j in jobs if j.partner}
    done = {
        j.key: (j, o)
        for j, o in zip(result.jobs, result.outcomes, strict=True)
        if o.status in ("written", "kept", "unchanged")
    }
    delivered: list[tuple[str, str | None]] = []
    empty: list[tuple[str, str, str]] = []
    awaiting: list[Awaiting] = []
    for pid, partner in sorted(partners.items()):
        mine = [
            (j, o)
            for _, (j, o) in sorted(done.items())
            if j.partner and j.partner.id == pid and o.outputs
        ]
        held: list[tuple[Job, Outcome]] = []
        if partner.review == "required":
            options = s.translate.for_partner(partner)
            held = [
                (j, o)
                for j, o in mine
                if not is_approved(
                    options.review,
                    Path(o.outputs[0]),
                    localize=options.localize,
                    glossary=options.glossary,
                )
            ]
            awaiting += [Awaiting(pid, str(j.source), j.target, o.outputs[0]) for j, o in held]
            mine = [jo for jo in mine if jo not in held]
        try:
            articles, unapproved = (
                [
                    parse_article(
                        Path(o.outputs[0]).read_text(encoding="utf-8"),
                        path=Path(_relative(Path(o.outputs[0]), s.out)),
                    )
                    for _, o in some
                ]
                for some in (mine, held)
            )
            previous = previous_manifest(s.out, partner)  # the feeds' cursor goes on from it
            package = build_package(
                articles,
                partner=partner,
                formats=partner.formats,
                now=now,
                outlet=s.outlet,
                unapproved=unapproved,
                previous=previous,
            )
            write_package(package, s.out, as_zip=partner.delivery == "zip", now=now)
        except SyndicateError as exc:
            delivered.append((pid, redact(str(exc))))
        else:
            delivered.append((pid, None))
            empty += [(pid, locale, why) for locale, why in package.empty]
    return tuple(delivered), tuple(empty), tuple(awaiting)


class _Fingerprints:
    """What a job's output depends on, as one digest: the job, the run's options and its
    source's content. The options (a glossary's repr may be long) are read once a run,
    and each source file once for all its jobs."""

    def __init__(self, s: BatchOptions) -> None:
        self.run = [
            s.translate.engine.name,
            rfc3339(s.now) if s.now else "the clock",
            s.fingerprint_extra,
            repr(s.translate.glossary),
            str(s.translate.strict),
            str(s.translate.source),
        ]
        self.contents: dict[Path, str] = {}  # source as given -> the digest of its bytes

    def __call__(self, job: Job) -> str:
        digest = hashlib.sha256()
        for part in (__version__, str(job.real), job.target, repr(job.partner), *self.run):
            digest.update(part.encode("utf-8") + b"\0")
        content = self.contents.get(job.source)
        if content is None:
            content = self.contents[job.source] = sha256_file(job.source) or "missing"
        digest.update(content.encode())
        return digest.hexdigest()

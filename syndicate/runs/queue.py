"""A batch run over several machines: Celery workers on a Redis broker take its shards.

``batch --queue redis://...`` splits the run into shards of whole articles (``--shard
K/N``, not single jobs, so that each worker batches its engine requests and loads an
offline model once), puts one task a shard on the broker, waits for them, then runs the
whole batch locally: every job is unchanged by then, so that last run only builds the
packages and writes the report a local run writes. ``syndicate worker`` runs a worker.

Everything the machines share lives outside them: the memory and the journal in the
PostgreSQL store, the outputs in a shared folder. A task is acknowledged late (after it
ran), a worker takes one at a time (prefetch 1), and a task whose worker died (even by
SIGKILL) goes back to the queue once the broker's visibility timeout has passed: set it
(``queue_visibility``) longer than the longest shard, or a slow shard runs twice. A
shard run again redoes only the jobs the journal does not have as done.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from syndicate.config import Settings, load_settings
from syndicate.errors import SyndicateError, UsageError, install_hint
from syndicate.redact import redact, without_password
from syndicate.runs.batch import Stats
from syndicate.runs.plans import BatchPlan, load_plan
from syndicate.storage import first_line

if TYPE_CHECKING:
    from celery import Celery

    from syndicate.runs.batch import BatchResult, Job

logger = logging.getLogger(__name__)
TASK = "syndicate.shard"
FOLLOW = 2.0  # seconds between two looks at the journal while the workers run
ALIVE = 60  # seconds a run's shards are taken without a word from it (it says so each FOLLOW)
NO_WORKER = 30  # seconds without a shard taken before a run says that no worker is there
CHECK_TIMEOUT = 5  # seconds the broker has to answer before a run or worker starts
_SCHEMES = ("redis", "rediss", "redis+socket")  # the brokers Celery's Redis transport takes
ARTICLES_A_SHARD = 20  # default shard size: enough to batch requests, small enough to spread
# What a shard's run did, sent back to the run that handed it out: its summary counts
# the engine's work wherever it was done.
WORK = ("finished", "failed", "segments", "unique", "requests", "characters", "failed_requests")
_OPTIONS = ("partners", "to", "source", "engine", "out", "now", "jobs", "money", "strict", "no_tm")


def make_app(broker: str, *, visibility: int) -> Celery:
    """The Celery app on ``broker``: late acknowledgement, prefetch 1, a task whose worker
    died redelivered after ``visibility`` seconds."""
    scheme = broker.partition("://")[0] if "://" in broker else ""
    if scheme not in _SCHEMES:
        raise UsageError(
            f"--queue takes a Redis broker's URL, not {without_password(broker)!r}",
            hint="give redis://host:port/db (rediss:// with TLS, redis+socket:///path)",
        )
    try:
        from celery import Celery
    except ImportError:
        raise UsageError("workers need Celery", hint=install_hint("workers")) from None
    app = Celery("syndicate", broker=broker, backend=broker)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": visibility,
            # Look for abandoned tasks often enough to notice one soon after it is due.
            "unacked_restore_interval": max(1, min(10, visibility // 4)),
            "unacked_restore_throttle": 1,
        },
        result_backend_transport_options={"visibility_timeout": visibility},
        task_track_started=True,  # so that a run can tell that no worker has taken a shard
    )
    app.task(name=TASK)(run_shard)
    return app


def check_broker(broker: str) -> None:
    """Refuse to go on without the broker: one line, not a worker retrying for minutes or
    a run waiting on shards that cannot be handed out. Asked with a deadline of its own:
    kombu's and Celery's connections have none, and a host that takes the connection but
    never answers held them for good."""
    from urllib.parse import urlsplit

    import redis

    try:
        if broker.startswith("redis+socket://"):  # kombu's name; redis-py's is unix://
            client = redis.Redis(
                unix_socket_path=urlsplit(broker).path,
                socket_timeout=CHECK_TIMEOUT,
                socket_connect_timeout=CHECK_TIMEOUT,
            )
        else:
            try:
                client = redis.Redis.from_url(
                    broker, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT
                )
            except ValueError:  # its text quotes the part of a password it took for a port
                raise UsageError(
                    f"--queue {without_password(broker)} cannot be read as Redis reads a URL",
                    hint="percent-encode a # or ? in its password (%23, %3F)",
                ) from None
        with client:
            client.ping()
    except UsageError:
        raise
    except Exception as exc:  # redis's and the socket's errors alike
        raise UsageError(
            f"cannot reach the queue's broker at {without_password(broker)}: "
            f"{redact(first_line(exc))}",
            hint="start Redis there, or give --queue the URL it listens on",
        ) from None


def _alive_key(run: str) -> str:
    return f"syndicate:run:{run}"


class _Alive:
    """A run's key on the broker, kept alive by a thread of its own while the run waits:
    a progress line stuck on a full pipe, or a slow look at the journal, must not let it
    lapse and the workers skip a live run's shards."""

    def __init__(self, client: Any, run: str) -> None:
        self.client, self.key = client, _alive_key(run)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="syndicate-alive", daemon=True)

    def __enter__(self) -> _Alive:
        self.client.set(self.key, "1", ex=ALIVE)
        self.thread.start()
        return self

    def _beat(self) -> None:
        while not self.stop.wait(FOLLOW):
            with contextlib.suppress(Exception):  # the waiting run notices a broker gone
                self.client.set(self.key, "1", ex=ALIVE)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=FOLLOW)  # a beat stuck on a broker gone is left to die
        with contextlib.suppress(Exception):  # a broker gone forgets it by itself
            self.client.delete(self.key)


def _skipped(result: Any) -> bool:
    """A shard a worker skipped, taking the run for ended (it was stopped for longer than
    ALIVE, a machine suspended): handed out again."""
    return bool(
        result.ready()
        and result.successful()
        and isinstance(result.result, dict)
        and result.result.get("skipped")
    )


def run_shard(
    specs: list[str],
    options: dict[str, Any],
    config: str | None,
    k: int,
    n: int,
    run: str | None = None,
) -> dict[str, int]:
    """A worker's task: shard K of N of the batch, with this machine's settings; nothing
    when the run that handed it out has ended (stopped, killed) since."""
    from celery import current_app

    from syndicate.runs.project import run_batch

    if run is not None and not current_app.backend.client.exists(_alive_key(run)):
        logger.warning("shard %d/%d: the run that handed it out has ended; skipped", k, n)
        return {**dict.fromkeys(WORK, 0), "skipped": 1}
    plan = load_plan(specs).overridden(**options)
    settings = load_settings(config)
    need_store(settings, "a worker")
    logger.info("shard %d/%d: starting", k, n)
    # A slow shard may be handed out again while it runs (the visibility timeout passed):
    # the second delivery waits for the first, then finds its jobs done.
    result = run_batch(replace(plan, shard=(k, n)), settings, wait_for_lock=True)
    figures = {name: getattr(result.stats, name) for name in WORK}
    logger.info(
        "shard %d/%d: %d jobs, %d written, %d failed, %d unchanged; %d requests",
        *(k, n, result.stats.jobs, figures["finished"], figures["failed"]),
        *(result.stats.unchanged, figures["requests"]),
    )
    return figures


def run_queued(
    specs: Sequence[str],
    plan: BatchPlan,
    settings: Settings,
    *,
    broker: str,
    shards: int | None = None,
    on_event: Callable[[Stats], None] | None = None,
    poll: float = 0.2,
) -> BatchResult:
    """Run ``plan`` through the workers on ``broker``, then build its packages and report
    here. Needs the PostgreSQL store: the workers' journal must be this run's. While the
    workers run, ``on_event`` gets the run's progress as the journal shows it."""
    from syndicate.runs.project import DEFAULT_OUT, open_journal, plan_jobs, run_batch

    need_store(settings, "a run through workers")
    if plan.shard is not None:
        raise UsageError(
            "--shard and --queue do not go together: --queue splits the run itself",
            hint="give --shards N for how many shards it hands out",
        )
    if plan.fail_fast:
        # Its shards run at once on other machines: nothing would stop the others at the
        # first failure, and the final pass here would redo the rest.
        raise UsageError(
            "--fail-fast and --queue do not go together: the workers run shards side by side",
            hint="leave out --fail-fast (failed jobs are reported and redone by the next run), "
            "or run without --queue",
        )
    settings = settings.with_engine(plan.engine)
    jobs = plan_jobs(plan, settings)
    out = plan.out or DEFAULT_OUT
    n = shards or max(1, -(-len({job.source for job in jobs}) // ARTICLES_A_SHARD))
    visibility = int(settings.values.get("queue_visibility", 3600))
    app = make_app(broker, visibility=visibility)
    check_broker(broker)
    options = {k: getattr(plan, k) for k in _OPTIONS if getattr(plan, k) not in (None, (), False)}
    options = {k: str(v) if k == "out" else v for k, v in options.items()}
    config = str(settings.path) if settings.path else None
    # While this run waits its key lives, and a worker skips a shard of a run that has
    # ended (Ctrl-C, a kill): its tasks stay on the broker, and would otherwise write
    # into a folder nobody is running any more.
    run = uuid.uuid4().hex
    args = [list(specs), options, config]
    with open_journal(settings, no_tm=plan.no_tm) as journal:
        before = journal.marks(out)
        results: list[Any] = []
        try:
            # Held while the workers run: a second queued run on this folder is refused
            # (shards share the folder; the final pass below takes it whole).
            with journal.lock(out, "queued run"), _Alive(app.backend.client, run):
                results = [app.send_task(TASK, args=[*args, k, n, run]) for k in range(1, n + 1)]
                started = looked = time.monotonic()
                hinted = False
                while True:  # the workers write the journal meanwhile
                    for i, result in enumerate(results):
                        if _skipped(result):
                            logger.warning("shard %d/%d was skipped; handed out again", i + 1, n)
                            result.forget()
                            results[i] = app.send_task(TASK, args=[*args, i + 1, n, run])
                    if all(r.ready() for r in results):
                        break
                    now = time.monotonic()
                    if (
                        not hinted
                        and now - started >= NO_WORKER
                        and all(r.state == "PENDING" for r in results)
                    ):
                        logger.warning(
                            "no worker has taken a shard in %d s: start `syndicate worker "
                            "--queue %s` in the project's folder on each machine (or the "
                            "workers are busy with another run)",
                            *(NO_WORKER, without_password(broker)),
                        )
                        hinted = True
                    if on_event and now - looked >= FOLLOW:
                        progress = progress_of(jobs, before, journal.marks(out), started=started)
                        _add(
                            progress,
                            _work(results),
                            ("segments", "unique", "requests", "characters"),
                        )
                        on_event(progress)
                        looked = now
                    time.sleep(poll)
        except Exception as exc:
            if not _broker_error(exc):
                raise
            for result in results:  # their __del__ would reach for the broker and fail loudly
                result.backend = None
            raise SyndicateError(
                f"lost the queue's broker at {without_password(broker)}: {redact(first_line(exc))}",
                hint="the jobs done so far are kept; run the same command again once it is back",
            ) from None
        after = journal.marks(out)
    work = _work(results)
    for k, result in enumerate(results, 1):
        if result.failed():  # its jobs are redone below, and reported if they fail again
            logger.warning(
                "shard %d/%d failed on its worker (%s: %s); its jobs run here",
                *(k, n, type(result.result).__name__, result.result),
            )
        result.forget()
    final = run_batch(plan, settings, on_event=on_event)
    # The final pass finds the jobs the workers did unchanged; they were written in this
    # run, and the engine's work was theirs: the summary says so, as a local run's would
    # (report.json is the same either way).
    here = {key for key, mark in after.items() if mark != before.get(key) and mark[0] == "done"}
    outcomes = tuple(
        replace(o, status="written") if job.key in here and o.status == "unchanged" else o
        for job, o in zip(final.jobs, final.outcomes, strict=True)
    )
    moved = sum(o.status == "unchanged" for o in final.outcomes) - sum(
        o.status == "unchanged" for o in outcomes
    )
    final = replace(final, outcomes=outcomes)
    final.stats.unchanged -= moved
    final.stats.finished += moved
    _add(final.stats, work, ("segments", "unique", "requests", "characters", "failed_requests"))
    final.stats.started = started  # the whole run's time, the workers' part included
    if on_event:  # the last word: the final pass found everything done, and says nothing
        on_event(final.stats)
    return final


def _broker_error(exc: Exception) -> bool:
    """Whether ``exc`` says the broker is gone: the socket's, redis's and kombu's errors,
    and the RuntimeError Celery's result consumer gives up with."""
    from kombu.exceptions import KombuError
    from redis.exceptions import RedisError

    if isinstance(exc, OSError | KombuError | RedisError):
        return True
    return isinstance(exc, RuntimeError) and "result store" in str(exc)


def need_store(settings: Settings, who: str) -> None:
    """The workers' journal must be the run's: without the shared store, a worker would
    do its shards into its own files, and the run would do them all again."""
    if settings.store_url() is None:
        raise UsageError(
            f"{who} needs the shared store",
            hint="set store: postgresql://... in the settings of every machine",
        )


def _work(results: Sequence[Any]) -> dict[str, int]:
    """The figures of the shards that have ended well so far, added up."""
    total = dict.fromkeys(WORK, 0)
    for result in results:
        if result.ready() and result.successful() and isinstance(result.result, dict):
            for name in WORK:
                total[name] += int(result.result.get(name, 0))
    return total


def _add(stats: Stats, work: dict[str, int], names: Sequence[str]) -> None:
    with stats.lock:
        for name in names:
            setattr(stats, name, getattr(stats, name) + work[name])


def progress_of(
    jobs: Sequence[Job],
    before: dict[str, tuple[str, str]],
    now: dict[str, tuple[str, str]],
    *,
    started: float,
) -> Stats:
    """A run's progress from two looks at its journal: a job has ended in this run when
    its entry changed since the run began and is done or failed. Jobs the workers find
    unchanged are not recorded again; the final local run counts them. ``started``
    (time.monotonic()) is when the run began, for the pace and the time left."""
    stats = Stats.of(jobs)
    stats.started = started
    for job in jobs:
        mark = now.get(job.key)
        if mark is None or mark == before.get(job.key) or mark[0] not in ("done", "failed"):
            continue
        stats.ended_job(job)
        if mark[0] == "done":
            stats.finished += 1
        else:
            stats.failed += 1
    return stats

"""A batch run's CPU work on every core: its articles split among worker processes.

Each worker takes a share of the articles (an article's jobs stay together, so it is read,
detected and segmented once) and runs the usual pipeline on them: planning, the engine
requests (still many at once: the run's concurrency is shared among the workers),
finishing, and its own batched writes and journal entries. The parent holds the output
folder's lock, adds up the workers' figures for the progress line, and builds the
packages and the report from their outcomes, as a one-process run does.

Workers are forked (they start in milliseconds, with everything imported and the
language profiles loaded) before the run starts any thread. A worker dies with its
parent: Linux's ``PR_SET_PDEATHSIG`` kills it when the parent goes, even by SIGKILL, and a
worker whose parent is already gone stops at once; elsewhere, a worker checks its parent
between jobs. What a killed run left is then what a killed one-process run leaves:
temporary files and jobs not recorded done, which the next run removes and redoes.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any, cast

from syndicate.errors import SyndicateError
from syndicate.resources.memory import TranslationMemory
from syndicate.review.store import ReviewStore
from syndicate.runs.journal import Journal

if TYPE_CHECKING:
    from syndicate.runs.batch import BatchOptions, Job, Stats
    from syndicate.runs.results import Outcome

COUNTERS = (
    "ended",
    "articles_ended",
    "finished",
    "failed",
    "segments",
    "unique",
    "requests",
    "characters",
    "failed_requests",
)
PR_SET_PDEATHSIG = 1
EVERY = 0.2  # seconds between a worker's progress messages, at most one per


def shares(todo: Sequence[tuple[Job, str]], n: int) -> list[list[tuple[Job, str]]]:
    """``todo`` split into at most ``n`` shares of whole articles, about equal in jobs
    (each article, largest first, to the share with the fewest jobs so far)."""
    by_article: dict[Any, list[tuple[Job, str]]] = {}
    for item in todo:
        by_article.setdefault(item[0].source, []).append(item)
    out: list[list[tuple[Job, str]]] = [[] for _ in range(min(n, len(by_article)))]
    for items in sorted(by_article.values(), key=len, reverse=True):
        min(out, key=len).extend(items)
    return [share for share in out if share]


def run_in_processes(
    todo: Sequence[tuple[Job, str]],
    s: BatchOptions,
    outcomes: dict[str, Outcome],
    stats: Stats,
    on_event: Callable[[Stats], None] | None,
    processes: int,
) -> str | None:
    """Run ``todo`` in worker processes; fills ``outcomes`` and ``stats`` as ``_run`` does
    and returns why the run stopped early, if it did."""
    parts = shares(todo, processes)
    context = multiprocessing.get_context("fork")
    workers: dict[Connection, tuple[Any, list[tuple[Job, str]]]] = {}
    base = {name: getattr(stats, name) for name in COUNTERS}
    latest: dict[Connection, dict[str, int]] = {}
    stopped: str | None = None
    share_of_requests = max(1, s.workers // len(parts))
    parent = os.getpid()
    try:
        for part in parts:
            ours, theirs = context.Pipe()
            process = context.Process(
                target=_worker,
                args=(part, replace(s, workers=share_of_requests), theirs, parent),
                daemon=True,
            )
            process.start()
            theirs.close()
            workers[ours] = (process, part)
        while workers:
            for ready in wait(list(workers)):
                conn = cast(Connection, ready)
                process, part = workers[conn]
                try:
                    kind, payload = cast(tuple[str, Any], conn.recv())
                except (EOFError, OSError):  # died without a word: its jobs are not done
                    process.join()
                    for job, _ in part:
                        outcomes.setdefault(job.key, _died(job, process.exitcode))
                    del workers[conn]
                    continue
                if kind == "log":  # a worker's warning, shown where the parent's are
                    name, level, message = payload
                    logging.getLogger(name).log(level, "%s", message)
                    continue
                if kind == "error":  # the run's own failure (its store gone), as in one process
                    # Not joined here: its cleanup may wait on that store; the finally
                    # below kills it with the others.
                    raise cast(SyndicateError, payload)
                if kind == "progress":
                    latest[conn] = payload
                elif kind == "done":
                    done, why, latest[conn] = payload
                    outcomes.update(done)
                    stopped = stopped or why
                    process.join()
                    del workers[conn]
                _add_up(stats, base, latest.values())
                if on_event:
                    on_event(stats)
    finally:
        for process, _ in workers.values():  # an error or an interrupt here: none outlives us
            process.kill()
            process.join()
    return stopped


def _add_up(stats: Stats, base: dict[str, int], parts: Any) -> None:
    with stats.lock:
        for name in COUNTERS:
            setattr(stats, name, base[name] + sum(p.get(name, 0) for p in parts))


def _died(job: Job, code: int | None) -> Outcome:
    from syndicate.runs.batch import _outcome

    how = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
    return _outcome(job, "failed", error=f"its worker process ended ({how}); run again")


def _worker(part: list[tuple[Job, str]], s: BatchOptions, conn: Connection, parent: int) -> None:
    """One worker: the pipeline on its share, its own store connections, reports home."""
    _die_with(parent)
    from syndicate.runs.batch import Stats, _run

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    stats = Stats.of([job for job, _ in part])
    last = 0.0
    sending = threading.Lock()  # progress comes from the engine threads too

    def progress(current: Stats) -> None:
        nonlocal last
        if os.getppid() != parent:  # where there is no PDEATHSIG
            os._exit(1)
        with sending:
            now = time.monotonic()
            if now - last >= EVERY:
                last = now
                conn.send(("progress", _counters(current)))

    _forward_logs(conn, sending)
    outcomes: dict[str, Outcome] = {}
    journal = Journal(s.journal.path, locks=s.journal.locks)
    memory = s.translate.memory
    own_memory = TranslationMemory(memory.path) if memory is not None else None
    # A connection opened before the fork is the parent's: each worker opens its own.
    review = s.translate.review
    own_review = ReviewStore(review.path) if review is not None else None
    try:
        mine = replace(
            s,
            journal=journal,
            translate=replace(s.translate, memory=own_memory, review=own_review),
        )
        # --fail-fast runs in one process (runs.batch): a worker never needs stopping.
        why = _run(part, mine, outcomes, stats, progress)
        with sending:
            conn.send(("done", (outcomes, why, _counters(stats))))
    except SyndicateError as exc:  # the run's, not a job's: the parent ends the run with it
        try:
            with sending:
                conn.send(("error", exc))
        except Exception:  # it cannot be sent: its jobs fail in the parent, as for a bug
            traceback.print_exc(file=sys.stderr)
            os._exit(70)
    except BaseException:  # a bug: its jobs fail in the parent, the message in the log
        traceback.print_exc(file=sys.stderr)
        os._exit(70)
    finally:
        journal.close()
        if own_memory is not None:
            own_memory.close()
        if own_review is not None:
            own_review.close()
    conn.close()
    os._exit(0)  # no atexit handlers of the parent's in a forked child


def _forward_logs(conn: Connection, sending: threading.Lock) -> None:
    """Send this worker's log records to the parent, whose handlers (the terminal, the
    redaction) show them; the parent's handlers, copied by the fork, would write where
    nobody reads."""

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if getattr(record, "forwarded", False):  # met a second handling logger
                return
            record.forwarded = True
            with sending, contextlib.suppress(OSError):
                conn.send(("log", (record.name, record.levelno, record.getMessage())))

    forward = Forward()
    loggers = [logging.getLogger(), *logging.root.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger) and logger.handlers:
            logger.handlers[:] = [forward]


def _counters(stats: Stats) -> dict[str, int]:
    with stats.lock:
        return {name: getattr(stats, name) for name in COUNTERS}


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), and stop now if
    the parent died before that was set."""
    if sys.platform.startswith("linux"):
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)

"""A batch through Celery workers on Redis, with the PostgreSQL store: as a local run."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psycopg

from syndicate.runs.batch import Job
from syndicate.runs.journal import Journal
from syndicate.runs.queue import progress_of
from syndicate.testing import LibreTranslateServer
from tests.helpers import syndicate_command
from tests.runs.test_batch import NOW, newsroom, tree
from tests.servers import PostgreSQL, Redis

VISIBILITY = 6  # seconds: longer than a shard here
ARGS = ("batch", "articles", "--partner", "asia-tech-daily", "--now", NOW, "--processes", "1")


def start_worker(root: Path, env: dict[str, str], broker: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        syndicate_command("worker", "--queue", broker),
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_two_workers_one_killed_mid_shard_end_as_a_local_run(
    tmp_path: Path,
    libre: LibreTranslateServer,
    postgresql_server: PostgreSQL,
    redis_server: Redis,
) -> None:
    """Two shards through two workers; one worker is killed with SIGKILL while its shard
    runs (a request at a time: each shard takes seconds), then started again; its shard
    comes back after the visibility timeout: the tree (report.json included) is
    byte-identical to a local run's, and the store holds each memory unit once, as many as
    the local run stored."""
    libre.latency = 0.1
    root = newsroom(tmp_path, libre, copies=4, batch_size=10, timeout=10)
    local_state = tmp_path / "local-state"
    base = {**os.environ, "SYNDICATE_TM": str(local_state / "tm.sqlite3")}
    subprocess.run(
        [*syndicate_command(*ARGS), "--out", "local", "--jobs", "1"], cwd=root, env=base,
        check=True,
        capture_output=True,
    )  # fmt: skip
    with postgresql_server.schema() as url:
        env = {**base, "SYNDICATE_STORE": url, "SYNDICATE_QUEUE_VISIBILITY": str(VISIBILITY)}
        env["SYNDICATE_TM"] = str(tmp_path / "shared-state" / "tm.sqlite3")
        libre.latency = 1.5  # copies of the examples share segments: few, slow requests
        workers = [start_worker(root, env, redis_server.url) for _ in range(2)]
        run: subprocess.Popen[bytes] | None = None
        try:
            started = time.monotonic()
            run = subprocess.Popen(
                [*syndicate_command(*ARGS), "--out", "shared", "--queue", redis_server.url,
                 "--shards", "2", "--jobs", "1"],
                cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not _journal_rows(url):
                time.sleep(0.05)
            assert _journal_rows(url) and _journal_rows(url, "done") < 24, "no shard mid-run"
            workers[0].send_signal(signal.SIGKILL)  # mid-shard: its journal has begun
            workers[0].wait()
            workers[0] = start_worker(root, env, redis_server.url)
            _, err = run.communicate(timeout=90)
            assert run.returncode == 0, err.decode()
            # The workers did every job, even the killed worker's shard: none failed on
            # its worker, and the summary counts their work as a local run's would (every
            # job written in this run, the engine's requests).
            assert "failed on its worker" not in err.decode(), err.decode()
            sent = re.search(r"^success: (\d+) engine requests", err.decode(), re.M)
            assert sent and int(sent.group(1)) > 0, err.decode()
            rows = re.findall(r"^asia-tech-daily +\S+ +(\S+) +(\d+)$", err.decode(), re.M)
            assert rows == [("written", "12"), ("written", "12")], err.decode()
            # While the workers ran, the run showed their progress from the journal (a
            # line is shown every 5 s; the killed worker's shard is not back before 6 s).
            midway = r"^syndicate: \[([1-9]|1\d|2[0-3])/24 jobs, "
            assert re.search(midway, err.decode(), re.M), err.decode()
            # Its shard waited for the visibility timeout: it was taken and not finished.
            assert time.monotonic() - started >= VISIBILITY
            with psycopg.connect(url) as db:
                [(units, distinct)] = db.execute(
                    "SELECT count(*), count(DISTINCT (engine, src_lang, tgt_lang, key)) FROM tu"
                )
        finally:
            for process in [*workers, *([run] if run else [])]:
                process.kill()
                process.wait()
    assert tree(root / "shared") == tree(root / "local")
    local_units = sqlite3.connect(local_state / "tm.sqlite3").execute("SELECT count(*) FROM tu")
    assert units == distinct == local_units.fetchone()[0]


def _journal_rows(url: str, state: str = "%") -> int:
    try:
        with psycopg.connect(url) as db:
            found = db.execute("SELECT count(*) FROM job WHERE state LIKE %s", (state,))
            return int(found.fetchone()[0])  # type: ignore[index]
    except psycopg.Error:  # the table is made by the first worker
        return 0


def test_progress_is_what_the_journal_shows_changed_since_the_run_began(
    store: str, tmp_path: Path
) -> None:
    """Jobs the workers ended in this run count (done or failed); a job done by an earlier
    run, or still running, does not; an article counts once all its jobs have ended."""
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    jobs = [Job(a, "en"), Job(a, "ja"), Job(b, "en"), Job(b, "ja")]
    out = tmp_path / "out"
    with Journal(store, locks=tmp_path / "locks") as journal:
        journal.record(out, jobs[0].key, "fp", "done")  # an earlier run's
        journal.record(tmp_path / "elsewhere", jobs[1].key, "fp", "done")  # another folder's
        before = journal.marks(out)
        journal.record_many(
            out,
            [
                (jobs[1].key, "fp", "done", None, ""),
                (jobs[2].key, "fp", "failed", None, "engine down"),
                (jobs[3].key, "fp", "running", None, ""),
            ],
        )
        stats = progress_of(jobs, before, journal.marks(out), started=5.0)
        assert (stats.jobs, stats.articles, stats.ended, stats.finished, stats.failed) == (
            4,
            2,
            2,
            1,
            1,
        )
        assert (stats.articles_ended, stats.started) == (0, 5.0)
        journal.record(out, jobs[3].key, "fp", "done")
        stats = progress_of(jobs, before, journal.marks(out), started=5.0)
        assert (stats.ended, stats.finished, stats.articles_ended) == (3, 2, 1)

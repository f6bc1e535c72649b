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
import pytest

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
            # Its last line is the final count, as the summary's (a user saw 2960/3000).
            shown = re.findall(r"^syndicate: \[(\d+)/24 jobs, ", err.decode(), re.M)
            assert shown[-1] == "24", err.decode()
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


class _Stop(Exception):
    """Ends a run from its progress callback, as Ctrl-C ends the command."""


def test_a_run_with_no_worker_says_so_and_its_shards_are_skipped_once_it_has_ended(
    tmp_path: Path,
    libre: LibreTranslateServer,
    postgresql_server: PostgreSQL,
    redis_server: Redis,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With no worker listening, the run says so (a user watched it wait in silence); once
    the run has ended, a worker started later skips the shards it left on the broker
    instead of writing into a folder nobody is running any more."""
    import redis

    from syndicate.config import load_settings
    from syndicate.runs import queue
    from syndicate.runs.plans import load_plan

    root = newsroom(tmp_path, libre)
    monkeypatch.chdir(root)
    monkeypatch.setattr(queue, "NO_WORKER", 0.5)
    monkeypatch.setattr(queue, "FOLLOW", 0.1)
    broker = redis.Redis.from_url(redis_server.url)
    with postgresql_server.schema() as url:
        env = {**os.environ, "SYNDICATE_STORE": url}
        plan = load_plan(["articles"]).overridden(
            partners=("asia-tech-daily",), now=NOW, out=root / "shared"
        )
        settings = load_settings(None, environ=env)
        began = time.monotonic()

        def stop_later(_: object) -> None:
            if time.monotonic() - began > 1.5:
                raise _Stop

        with pytest.raises(_Stop):
            queue.run_queued(
                ["articles"], plan, settings, broker=redis_server.url, shards=2,
                on_event=stop_later,
            )  # fmt: skip
        assert "no worker has taken a shard" in caplog.text
        assert broker.llen("celery") == 2 and not broker.keys("syndicate:run:*")
        worker = start_worker(root, env, redis_server.url)
        try:
            deadline = time.monotonic() + 30
            while broker.llen("celery") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not broker.llen("celery"), "the worker never took the shards"
            time.sleep(2)  # what it would write, it would have begun by now
        finally:
            worker.kill()
            worker.wait()
        assert not list((root / "shared").rglob("*.md")) and _journal_rows(url) == 0


@pytest.mark.parametrize(
    ("args", "env", "said"),
    [
        (("worker", "--queue", "redis://127.0.0.1:9/0"), {}, "a worker needs the shared store"),
        (("batch", "articles", "--to", "en", "--shards", "3"), {}, "--shards goes with --queue"),
        (
            ("batch", "articles", "--to", "en", "--queue", "redis://127.0.0.1:9/0", "--shard",
             "1/2"),
            {"SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"},
            "--shard and --queue do not go together",
        ),
        (
            ("batch", "articles", "--to", "en", "--queue", "redis://127.0.0.1:9/0",
             "--fail-fast"),
            {"SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"},
            "--fail-fast and --queue do not go together",
        ),
        (
            ("batch", "articles", "--to", "en", "--queue", "amqp://guest:s3cret@127.0.0.1/"),
            {"SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"},
            "--queue takes a Redis broker's URL, not 'amqp://guest:***@127.0.0.1/'",
        ),
        (
            ("worker", "--queue", "redis://editor:s3cret#2@127.0.0.1:9/0"),
            {"SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"},
            "--queue redis://editor:***@127.0.0.1:9/0 cannot be read as Redis reads a URL",
        ),
        (
            ("worker", "--queue", "redis://:s3cret@127.0.0.1:9/0"),
            {"SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"},
            "cannot reach the queue's broker at redis://:***@127.0.0.1:9/0",
        ),
        (
            ("batch", "articles", "--to", "en", "--queue", "redis://127.0.0.1:9/0"),
            {"SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"},
            "cannot reach the queue's broker at redis://127.0.0.1:9/0",
        ),
        (("config", "show"), {"SYNDICATE_QUEUE_VISIBILITY": "0"}, "SYNDICATE_QUEUE_VISIBILITY: 'queue_visibility' must be"),
    ],
)  # fmt: skip
def test_queue_mistakes_are_one_line_before_anything_runs(
    args: tuple[str, ...],
    env: dict[str, str],
    said: str,
    tmp_path: Path,
    libre: LibreTranslateServer,
) -> None:
    """Found by a user: a worker without the store did its shards into its own files, the
    --shard of a queued run was ignored, and a broker that is not Redis or not there was
    an internal error (or a worker retrying for minutes). Each is one line, exit 2, with
    the URL's password masked; no port 9 server is touched."""
    root = newsroom(tmp_path, libre)
    done = subprocess.run(
        syndicate_command(*args), cwd=root, env={**os.environ, **env}, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"syndicate: error: {said}"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "s3cret" not in done.stderr


def test_a_broker_lost_while_the_run_waits_ends_it_in_one_line(
    tmp_path: Path,
    libre: LibreTranslateServer,
    postgresql_server: PostgreSQL,
    redis_server: Redis,
) -> None:
    """Redis killed while a queued run waits for its shards: one line naming the broker,
    exit 1 (a user saw Celery's RuntimeError as an internal error)."""
    root = newsroom(tmp_path, libre)
    with postgresql_server.schema() as url:
        run = subprocess.Popen(
            [*syndicate_command(*ARGS), "--out", "shared", "--queue", redis_server.url],
            cwd=root, env={**os.environ, "SYNDICATE_STORE": url}, text=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            time.sleep(3)  # its shards are on the broker; no worker takes them
            assert run.poll() is None, run.communicate()[1]
            redis_server.stop()
            _, err = run.communicate(timeout=120)
        finally:
            run.kill()
    assert run.returncode == 1, err
    lines = [line for line in err.splitlines() if "error" in line]
    assert lines and lines[-1].startswith("syndicate: error: lost the queue's broker at "), err
    assert len(lines) == 1 and "Traceback" not in err and "internal error" not in err
    assert "Exception ignored" not in err


def test_a_live_run_whose_key_lapsed_hands_its_skipped_shards_out_again(
    tmp_path: Path,
    libre: LibreTranslateServer,
    postgresql_server: PostgreSQL,
    redis_server: Redis,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A run stopped for longer than its key lives (Ctrl-Z, a machine suspended: here its
    beat held back for 4 s, the key living 1 s) has shards skipped by the worker; once it
    goes on, it hands them out again and the worker does every job (a reviewer saw them
    left to the final local pass, the backfill quietly one machine's)."""
    from syndicate.config import load_settings
    from syndicate.runs import queue
    from syndicate.runs.plans import load_plan

    root = newsroom(tmp_path, libre, copies=3)
    monkeypatch.chdir(root)
    monkeypatch.setattr(queue, "ALIVE", 1)
    monkeypatch.setattr(queue, "FOLLOW", 0.2)
    beat = queue._Alive._beat

    def late(self: queue._Alive) -> None:
        if not self.stop.wait(4):
            beat(self)

    monkeypatch.setattr(queue._Alive, "_beat", late)
    with postgresql_server.schema() as url:
        env = {**os.environ, "SYNDICATE_STORE": url}
        plan = load_plan(["articles"]).overridden(
            partners=("asia-tech-daily",), now=NOW, out=root / "shared"
        )
        worker = start_worker(root, env, redis_server.url)
        try:
            result = queue.run_queued(
                ["articles"], plan, load_settings(None, environ=env), broker=redis_server.url,
                shards=6,
            )  # fmt: skip
        finally:
            worker.kill()
            worker.wait()
    assert "was skipped; handed out again" in caplog.text
    assert result.stats.finished == 18 and result.stats.unchanged == 0
    assert result.stats.requests > 0  # the workers' requests: they did the jobs


def test_the_run_key_lives_while_the_run_is_stuck(
    redis_server: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is kept alive by a thread of its own: a run stuck on a progress line (a
    full pipe) for longer than the key lives still has it; it is gone once the run ends."""
    import redis

    from syndicate.runs import queue

    monkeypatch.setattr(queue, "ALIVE", 1)
    monkeypatch.setattr(queue, "FOLLOW", 0.2)
    client = redis.Redis.from_url(redis_server.url)
    with queue._Alive(client, "stuck"):
        time.sleep(2.5)  # the main thread does nothing
        assert client.exists("syndicate:run:stuck")
    assert not client.exists("syndicate:run:stuck")


def test_a_broker_that_never_answers_is_given_up_in_seconds(tmp_path: Path) -> None:
    """A host that takes the connection and never answers held a worker for good (kombu's
    connection has no deadline); a redis+socket:// broker, which Celery takes, is not
    refused as a scheme but found missing."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # the kernel takes the connection; nobody ever answers
        port = silent.getsockname()[1]
        env = {**os.environ, "SYNDICATE_STORE": "postgresql://x@127.0.0.1:9/db"}
        began = time.monotonic()
        done = subprocess.run(
            syndicate_command("worker", "--queue", f"redis://127.0.0.1:{port}/0"),
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert time.monotonic() - began < 30
    assert done.returncode == 2 and "cannot reach the queue's broker" in done.stderr
    socket_path = tmp_path / "no-redis.sock"
    done = subprocess.run(
        syndicate_command("worker", "--queue", f"redis+socket://{socket_path}"),
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"cannot reach the queue's broker at redis+socket://{socket_path}" in done.stderr


def test_a_second_queued_run_on_the_folder_is_refused(
    tmp_path: Path,
    libre: LibreTranslateServer,
    postgresql_server: PostgreSQL,
    redis_server: Redis,
) -> None:
    """While a queued run waits for its shards, a second one on the same --out is refused
    (exit 2), as a second local run is (a user saw both run and do the work twice)."""
    root = newsroom(tmp_path, libre)
    with postgresql_server.schema() as url:
        env = {**os.environ, "SYNDICATE_STORE": url}
        command = [*syndicate_command(*ARGS), "--out", "shared", "--queue", redis_server.url]
        first = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            time.sleep(3)  # it waits: no worker takes its shards
            assert first.poll() is None
            second = subprocess.run(
                command, cwd=root, env=env, capture_output=True, text=True, timeout=60
            )
        finally:
            first.kill()
            first.wait()
    assert second.returncode == 2, second.stderr
    assert "another batch run is writing to" in second.stderr

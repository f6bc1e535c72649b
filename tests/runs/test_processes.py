"""Batch runs on several cores: worker processes, the same results, none outliving the run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from syndicate.runs.processes import shares
from syndicate.testing import LibreTranslateServer
from tests.helpers import run, syndicate_command
from tests.runs.test_batch import NOW, newsroom, tree
from tests.servers import PostgreSQL


def children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid`` (zombies are dead)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


def test_shares_keep_articles_whole_and_balance_jobs() -> None:
    """Each article's jobs land in one share; shares differ by at most an article's jobs."""
    from syndicate.runs.batch import Job

    todo = [(Job(Path(f"/a/{i}.md"), t), "fp") for i in range(7) for t in ("en", "ja", "ms")]
    parts = shares(todo, 3)
    assert len(parts) == 3
    for part in parts:
        for job, _ in part:
            assert all(
                j.source != job.source for other in parts if other is not part for j, _ in other
            )
    sizes = sorted(len(p) for p in parts)
    assert sizes[-1] - sizes[0] <= 3 and sum(sizes) == 21
    assert len(shares(todo[:3], 4)) == 1  # one article: one share


def test_processes_write_the_same_tree_and_report_as_one(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """--processes 3 and --processes 1 write byte-identical trees (report.json included),
    and the next run finds every job the workers recorded unchanged."""
    root = newsroom(tmp_path, libre, copies=3)
    os.chdir(root)
    common = ("batch", "articles", "--partner", "asia-tech-daily", "--now", NOW)
    one = run(*common, "--processes", "1", "--out", "one")
    three = run(*common, "--processes", "3", "--out", "three")
    assert one.exit_code == three.exit_code == 0, one.stderr + three.stderr
    assert tree(root / "one") == tree(root / "three")
    again = json.loads(run(*common, "--processes", "3", "--out", "three", "--json").stdout)
    assert again["run"]["unchanged"] == again["run"]["jobs"] == 18  # the workers' journal


def test_a_parent_killed_by_sigkill_leaves_no_worker(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """SIGKILL the parent of a run with two workers while they wait on slow requests: both
    die with it at once (not when they next report), and the next run resumes to the tree
    an unbroken run writes."""
    libre.latency, libre.capacity = 0.05, 2
    root = newsroom(tmp_path, libre, copies=4, batch_size=3, timeout=30)
    command = syndicate_command(
        "-q", "batch", "articles", "--partner", "asia-tech-daily", "--now", NOW,
        "--processes", "2", "--no-tm",
    )  # fmt: skip
    subprocess.run([*command, "--out", "clean"], cwd=root, check=True, capture_output=True)
    libre.latency = 4.0  # the workers sit in requests: only the kernel can tell them
    proc = subprocess.Popen(
        [*command, "--out", "killed"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = children(proc.pid)
        time.sleep(0.02)
    assert len(workers) == 2, "the run never had its two workers"
    time.sleep(0.5)  # mid-run: requests on their way
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 1
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not any(alive(pid) for pid in workers), "a worker outlived its parent"
    libre.latency = 0.05
    final = subprocess.run([*command, "--out", "killed"], cwd=root, capture_output=True, text=True)
    assert final.returncode == 0, final.stderr
    assert tree(root / "killed") == tree(root / "clean")


def test_a_store_lost_under_two_workers_ends_the_run_as_in_one_process(
    tmp_path: Path, libre: LibreTranslateServer, postgresql_server: PostgreSQL
) -> None:
    """The PostgreSQL store's connections are cut while two workers run: the run ends with
    the store's error in one line and exit 1, as one process does (a user saw each worker's
    traceback, exit 3 and a report calling every job failed, those written included), and
    the next run resumes to the tree an unbroken run writes."""
    libre.latency, libre.capacity = 0.05, 2
    root = newsroom(tmp_path, libre, copies=4, batch_size=3, timeout=30)
    command = syndicate_command(
        "batch", "articles", "--partner", "asia-tech-daily", "--now", NOW, "--processes", "2", "--no-tm",
    )  # fmt: skip
    with postgresql_server.schema() as url:
        env = {**os.environ, "NEWSROOM_STORE": f"{url}&application_name=cut"}
        config = root / "config" / "syndicate.yaml"
        config.write_text(config.read_text() + "store: {$env: NEWSROOM_STORE}\n")
        clean = subprocess.run([*command, "--out", "clean"], cwd=root, env=env, text=True,
                               capture_output=True)  # fmt: skip
        assert clean.returncode == 0, clean.stderr
        libre.latency = 0.4
        proc = subprocess.Popen(
            [*command, "--out", "cut"], cwd=root, env=env, text=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.5)  # the workers are recording jobs
        postgresql_server.end_connections("cut")
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 1, stderr
        assert "Traceback" not in stderr and "worker process ended" not in stderr
        errors = [line for line in stderr.splitlines() if line.startswith("syndicate: error:")]
        assert len(errors) == 1 and "cannot be reached" in errors[0], stderr
        assert "pipeline" not in stderr.lower(), stderr
        libre.latency = 0.05
        final = subprocess.run([*command, "--out", "cut"], cwd=root, env=env, text=True,
                               capture_output=True)  # fmt: skip
        assert final.returncode == 0, final.stderr
    assert tree(root / "cut") == tree(root / "clean")


def test_shards_then_a_whole_run_equal_a_local_run(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """--shard 1/2 and 2/2 (as two machines would, on one journal) do every job once
    between them, each reporting its own; the whole run after them redoes nothing and
    ends with the tree and report.json a single local run writes (the shards' reports,
    which its report supersedes, removed)."""
    root = newsroom(tmp_path, libre, copies=2)
    os.chdir(root)
    common = ("batch", "articles", "--partner", "asia-tech-daily", "--now", NOW, "--json")
    local = run(*common, "--out", "local")
    first = json.loads(run(*common, "--out", "shared", "--shard", "1/2").stdout)
    second = json.loads(run(*common, "--out", "shared", "--shard", "2/2").stdout)
    sources = [{j["source"] for j in part["jobs"]} for part in (first, second)]
    assert sources[0] and sources[1] and not sources[0] & sources[1]
    assert len(first["jobs"]) + len(second["jobs"]) == 12
    assert (root / "shared" / "report.shard-1-of-2.json").is_file()
    whole = run(*common, "--out", "shared")
    assert local.exit_code == whole.exit_code == 0, whole.stderr
    assert json.loads(whole.stdout)["run"]["unchanged"] == 12
    assert tree(root / "shared") == tree(root / "local")


def test_a_bad_shard_is_a_usage_error(tmp_path: Path) -> None:
    """--shard 3/2 or a word: exit 2, saying what K/N must be."""
    for value in ("3/2", "a/b", "0/2"):
        result = run("batch", str(tmp_path), "--to", "en", "--shard", value)
        assert result.exit_code == 2 and "is not K/N" in result.stderr

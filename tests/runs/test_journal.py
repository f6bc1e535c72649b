"""The batch journal, the same on SQLite and on PostgreSQL: states, skips, resumes, locks."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from syndicate.engines.pseudo import PseudoEngine
from syndicate.errors import UsageError
from syndicate.localize.renderer import LocalizeOptions
from syndicate.resources.memory import TranslationMemory
from syndicate.runs.batch import BatchOptions, Job, run_jobs
from syndicate.runs.journal import Journal, sha256_file
from syndicate.runs.step import TranslateOptions
from tests.helpers import EXAMPLES, run
from tests.servers import PostgreSQL

NOW = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC)


def journal(store: str, tmp_path: Path) -> Journal:
    return Journal(store, locks=tmp_path / "locks")


def test_a_job_is_recorded_and_read_back(store: str, tmp_path: Path) -> None:
    """A job's state, outputs and detail come back as recorded; a later record replaces it."""
    out = tmp_path / "out"
    with journal(store, tmp_path) as j:
        assert j.get(out, "a") is None
        j.record(out, "a", "fp1", "running")
        j.record(out, "a", "fp1", "done", {"/x.md": "abc"}, "[]")
        entry = j.get(out, "a")
        assert entry is not None
        assert (entry.fingerprint, entry.state, dict(entry.outputs), entry.detail) == (
            "fp1",
            "done",
            {"/x.md": "abc"},
            "[]",
        )
        assert j.get(tmp_path / "other", "a") is None  # keyed by output folder too


def test_unchanged_needs_done_same_fingerprint_and_intact_outputs(
    store: str, tmp_path: Path
) -> None:
    """A job is unchanged only when done, with the same fingerprint, its outputs as written."""
    out = tmp_path / "out"
    output = tmp_path / "x.md"
    output.write_text("hasil\n", encoding="utf-8")
    with journal(store, tmp_path) as j:
        j.record(out, "a", "fp", "failed")
        assert "a" not in j.unchanged(out, {"a": "fp"})
        j.record(out, "a", "fp", "done", {str(output): sha256_file(output) or ""})
        assert "a" in j.unchanged(out, {"a": "fp"})
        assert "a" not in j.unchanged(out, {"a": "other"})
        # One read for many jobs: each judged on its own; jobs not asked about, and other
        # output folders' entries, are not in the answer.
        j.record(out, "b", "fp", "done", {str(output): sha256_file(output) or ""})
        j.record(tmp_path / "elsewhere", "c", "fp", "done", {})
        assert set(j.unchanged(out, {"a": "fp", "b": "old", "c": "fp"})) == {"a"}
        output.write_text("diubah\n", encoding="utf-8")
        assert "a" not in j.unchanged(out, {"a": "fp"})


def test_a_second_run_finds_every_job_unchanged(store: str, tmp_path: Path) -> None:
    """A batch run recorded in the journal (and its memory in the same store): the next
    run redoes nothing, and a run after an article changes redoes only its jobs."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for example in EXAMPLES:
        shutil.copy(example, articles / example.name)
    jobs = [Job(p, t) for p in sorted(articles.glob("*.md")) for t in ("en-GB", "ja")]
    memory = TranslationMemory(store)
    outcomes = []
    for step in range(3):
        if step == 2:
            edited = jobs[0].source
            edited.write_text(edited.read_text(encoding="utf-8") + "\nTambahan.\n", "utf-8")
        j = journal(store, tmp_path)
        options = BatchOptions(
            translate=TranslateOptions(
                PseudoEngine(), localize=LocalizeOptions(), memory=memory, now=NOW
            ),
            out=tmp_path / "out",
            journal=j,
        )
        result = run_jobs(jobs, options)
        j.close()
        outcomes.append([o.status for o in result.outcomes])
    memory.close()
    assert outcomes[0] == ["written"] * len(jobs)
    assert outcomes[1] == ["unchanged"] * len(jobs)
    assert outcomes[2] == ["written", "written"] + ["unchanged"] * (len(jobs) - 2)


def test_two_runs_on_one_folder_are_refused(store: str, tmp_path: Path) -> None:
    """The output folder's lock: a second holder is refused with a usage error."""
    with (
        journal(store, tmp_path) as first,
        journal(store, tmp_path) as second,
        first.lock(tmp_path / "out"),
        pytest.raises(UsageError, match="another batch run"),
        second.lock(tmp_path / "out"),
    ):
        pass


def test_shards_share_a_folder_with_each_other_not_with_a_whole_run(
    store: str, tmp_path: Path
) -> None:
    """Two shards write one folder at once; the same shard twice is refused, and a whole
    run and a shard exclude each other (a whole run removes every stale temporary file).
    With PostgreSQL the locks are the server's: they hold across machines."""
    out = tmp_path / "out"
    with journal(store, tmp_path) as a, journal(store, tmp_path) as b:
        with a.lock(out, "shard 1/2"), b.lock(out, "shard 2/2"):
            with pytest.raises(UsageError, match="another batch run"), b.lock(out, "shard 1/2"):
                pass
            with pytest.raises(UsageError, match="another batch run"), b.lock(out):
                pass
        with (
            a.lock(out),
            pytest.raises(UsageError, match="another batch run"),
            b.lock(out, "shard 2/2"),
        ):
            pass


def test_a_run_told_to_wait_for_the_lock_starts_when_the_other_ends(
    store: str, tmp_path: Path
) -> None:
    """A shard delivered twice: the second waits for the first instead of failing, for as
    long as it takes (longer than the store's wait for a locked row, ``tm_wait``)."""
    import threading

    out = tmp_path / "out"
    order: list[str] = []
    with (
        journal(store, tmp_path) as a,
        Journal(store, locks=tmp_path / "locks", wait=0.2) as b,
    ):

        def second() -> None:
            with b.lock(out, "shard 1/2", wait=True):
                order.append("second")

        with a.lock(out, "shard 1/2"):
            waiting = threading.Thread(target=second)
            waiting.start()
            waiting.join(0.6)  # it cannot get in while the first holds the shard
            order.append("first ends")
        waiting.join()
    assert order == ["first ends", "second"]


def test_a_file_beside_an_output_that_cannot_be_put_in_place_fails_its_job(
    tmp_path: Path,
) -> None:
    """A job's .machine.md (its new translation beside a hand-edited output) goes through
    the same batch of writes: when it cannot be put in place, that job fails and the rest
    of the batch is recorded, instead of the run ending in a KeyError."""
    from syndicate.runs.batch import _Durable

    out = tmp_path / "out"
    (out / "a.en.machine.md").mkdir(parents=True)  # a folder in the way: the rename fails
    with journal(str(tmp_path / "journal.sqlite3"), tmp_path) as j:
        durable = _Durable(
            BatchOptions(translate=TranslateOptions(PseudoEngine()), out=out, journal=j)
        )
        durable.writer("job-a")(out / "a.en.machine.md", "the run's translation\n")
        durable.writer("job-a")(out / "a.en.md", "kept as edited\n")
        durable.done("job-a", "fp", out / "a.en.md", "kept as edited\n", "[]")
        durable.writer("job-b")(out / "b.en.md", "isi\n")
        durable.done("job-b", "fp", out / "b.en.md", "isi\n", "[]")
        failed = durable.flush()
        assert list(failed) == ["job-a"] and "cannot write" in str(failed["job-a"])
        entry_a, entry_b = j.get(out, "job-a"), j.get(out, "job-b")
    assert entry_a is not None and entry_a.state == "failed"
    assert entry_b is not None and entry_b.state == "done"


def test_batch_with_a_postgresql_store_keeps_every_table_there(
    tmp_path: Path, postgresql_server: PostgreSQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`store: {$env: NAME}` in the config: `syndicate batch --deliver` keeps its memory
    units, its journal, the review states and the delivery journal in PostgreSQL (no SQLite
    file beside the memory or in the output folder), and a second run finds every job
    unchanged and nothing to send."""
    import psycopg

    (tmp_path / "articles").mkdir()
    for example in EXAMPLES:
        shutil.copy(example, tmp_path / "articles" / example.name)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "syndicate.yaml").write_text(
        "engine: pseudo\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
    )
    (tmp_path / "config" / "partners.yaml").write_text(
        "partners:\n  - id: wire\n    name: Wire\n    locales: [en-GB]\n    formats: [ninjs]\n"
        f"    delivery: {{type: directory, path: {tmp_path / 'drop'}}}\n",
        encoding="utf-8",
    )
    with postgresql_server.schema() as url:
        monkeypatch.setenv("NEWSROOM_STORE", url)
        monkeypatch.chdir(tmp_path)
        args = (
            "batch", "articles", "--partner", "wire", "--now", "2025-07-03T12:00:00Z",
            "--deliver", "--json",
        )  # fmt: skip
        first, second = run(*args), run(*args)
        with psycopg.connect(url) as db:
            [(units,)] = db.execute("SELECT count(*) FROM tu")
            [(jobs,)] = db.execute("SELECT count(*) FROM job WHERE state = 'done'")
            [(reviewed,)] = db.execute("SELECT count(*) FROM translation")
            [(sent,)] = db.execute("SELECT count(*) FROM delivery WHERE state = 'success'")
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
    assert [j["status"] for j in json.loads(second.stdout)["jobs"]] == ["written"] * 3
    assert "unchanged" in second.stderr or '"unchanged": 3' in second.stdout
    assert json.loads(second.stdout)["delivery"]["partners"][0]["status"] == "unchanged"
    assert units > 0 and jobs == reviewed == len(EXAMPLES)
    assert sent == len(list((tmp_path / "drop").rglob("*.*")))
    state = Path(os.environ["SYNDICATE_TM"]).parent
    assert not [p for p in (*state.rglob("*"), *tmp_path.rglob("*")) if ".sqlite" in p.name]


def test_a_literal_password_in_the_store_setting_is_refused(tmp_path: Path) -> None:
    """A password written in the config file is refused, naming the file and the fix."""
    config = tmp_path / "syndicate.yaml"
    config.write_text("store: postgresql://editor:s3cret@db.example/news\n", encoding="utf-8")
    result = run("--config", str(config), "config", "show")
    assert result.exit_code == 2
    assert "literal password" in result.stderr and "PGPASSWORD" in result.stderr
    assert "s3cret" not in result.stderr


def test_a_store_that_is_not_a_postgresql_url_is_refused(tmp_path: Path) -> None:
    """`store` takes a postgresql:// URL only (SQLite is what leaving it out gives)."""
    config = tmp_path / "syndicate.yaml"
    config.write_text("store: /var/lib/news/store.sqlite3\n", encoding="utf-8")
    result = run("--config", str(config), "config", "show")
    assert result.exit_code == 2
    assert "'store' must be a postgresql:// URL" in result.stderr


def test_a_store_whose_variable_is_not_set_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`store: {$env: NAME}` with NAME unset names the variable (a user was told the
    setting was not a URL and to leave it out, which would have put that machine of a
    shared backfill on its own SQLite files)."""
    monkeypatch.delenv("NEWSROOM_STORE_URL", raising=False)
    config = tmp_path / "syndicate.yaml"
    config.write_text("store: {$env: NEWSROOM_STORE_URL}\n", encoding="utf-8")
    result = run("--config", str(config), "batch", str(tmp_path), "--to", "en", "--dry-run")
    assert result.exit_code == 2
    assert "NEWSROOM_STORE_URL, which is not set" in result.stderr
    assert "leave it out" not in result.stderr


def test_outputs_and_journal_are_made_durable_a_batch_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six jobs: their outputs are committed together and their journal entries (running,
    done) go in one transaction, not two commits a job."""
    from syndicate.files import BatchedWrites

    commits: list[int] = []
    transactions: list[int] = []
    real_commit, real_record = BatchedWrites.commit, Journal.record_many

    def commit(self: BatchedWrites) -> dict[Path, object]:
        commits.append(len(self))
        return real_commit(self)  # type: ignore[return-value]

    def record_many(self: Journal, out: Path, entries: list[object]) -> None:
        transactions.append(len(entries))
        real_record(self, out, entries)  # type: ignore[arg-type]

    monkeypatch.setattr(BatchedWrites, "commit", commit)
    monkeypatch.setattr(Journal, "record_many", record_many)
    jobs = [Job(p, t) for p in EXAMPLES for t in ("en-GB", "ja")]
    with journal(str(tmp_path / "j.sqlite3"), tmp_path) as j:
        options = BatchOptions(
            translate=TranslateOptions(PseudoEngine(), localize=LocalizeOptions(), now=NOW),
            out=tmp_path / "out",
            journal=j,
        )
        result = run_jobs(jobs, options)
        assert [o.status for o in result.outcomes] == ["written"] * 6
        assert all(j.get(options.out, job.key).state == "done" for job in jobs)  # type: ignore[union-attr]
    assert sum(commits) == 6 and len([c for c in commits if c]) <= 2
    assert sum(transactions) == 12 and len(transactions) <= 2


def test_an_output_that_cannot_be_put_in_place_fails_only_its_job(tmp_path: Path) -> None:
    """A folder where one output should go: that job fails (journal: failed, redone by
    the next run), the others are written and done."""
    out = tmp_path / "out"
    blocked = out / "bank-sentral-tahan-suku-bunga.ja.md"
    (blocked / "inside").mkdir(parents=True)
    jobs = [Job(p, t) for p in EXAMPLES for t in ("en-GB", "ja")]
    with journal(str(tmp_path / "j.sqlite3"), tmp_path) as j:
        options = BatchOptions(
            translate=TranslateOptions(PseudoEngine(), localize=LocalizeOptions(), now=NOW),
            out=out,
            journal=j,
        )
        first = {(o.source, o.target): o for o in run_jobs(jobs, options).outcomes}
        failed = [k for k, o in first.items() if o.status == "failed"]
        assert [Path(s).name + " " + t for s, t in failed] == [
            "bank-sentral-tahan-suku-bunga.md ja"
        ]
        assert "cannot write" in (first[failed[0]].error or "")
        shutil.rmtree(blocked)
        second = run_jobs(jobs, options).outcomes
    assert sorted(o.status for o in second) == ["unchanged"] * 5 + ["written"]


def test_review_states_are_recorded_a_batch_at_a_time_each_failure_its_own_job(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review states of a batch of jobs go in one transaction: a job whose states
    cannot be recorded fails alone (the others' states and journal entries stand), and
    when the transaction cannot commit, every job of the batch fails, none recorded as
    done: the next run redoes them."""
    from syndicate.errors import StorageError
    from syndicate.review import edits
    from syndicate.review.store import ReviewStore

    real_take = edits.take_written
    broken = EXAMPLES[0].stem + ".ja.md"

    def take_written(review: ReviewStore, path: Path, *args: object) -> object:
        if path.name == broken:
            raise StorageError("review.sqlite3", "the review store refused this one")
        return real_take(review, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("syndicate.runs.step.take_written", take_written)
    jobs = [Job(p, t) for p in EXAMPLES for t in ("en-GB", "ja")]
    with (
        journal(store, tmp_path) as j,
        ReviewStore(store if "://" in store else tmp_path / "review.sqlite3") as review,
    ):
        options = BatchOptions(
            translate=TranslateOptions(
                PseudoEngine(), localize=LocalizeOptions(), now=NOW, review=review
            ),
            out=tmp_path / "out",
            journal=j,
        )
        outcomes = {
            Path(o.source).stem + "." + o.target: o for o in run_jobs(jobs, options).outcomes
        }
        assert [k for k, o in outcomes.items() if o.status == "failed"] == [broken[:-3]]
        assert "refused this one" in (outcomes[broken[:-3]].error or "")
        written = [options.out / f"{k}.md" for k, o in outcomes.items() if o.status == "written"]
        assert len(written) == 5 and all(review.get(p) is not None for p in written)
        assert review.get(options.out / broken) is None

        # The commit itself fails: the whole batch is failed and none of it is done.
        monkeypatch.setattr("syndicate.runs.step.take_written", real_take)
        (tmp_path / "out2").mkdir()

        class Refusing:
            def __enter__(self) -> None:
                return None

            def __exit__(self, *exc: object) -> None:
                raise StorageError("review.sqlite3", "disk full at commit")

        monkeypatch.setattr(ReviewStore, "together", lambda self: Refusing())
        again = run_jobs(jobs, BatchOptions(**{**options.__dict__, "out": tmp_path / "out2"}))
        assert {o.status for o in again.outcomes} == {"failed"}
        assert all("disk full at commit" in (o.error or "") for o in again.outcomes)
        assert all(j.get(tmp_path / "out2", job.key).state == "failed" for job in jobs)  # type: ignore[union-attr]

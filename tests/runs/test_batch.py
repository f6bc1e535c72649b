"""Batch runs: planning, skipping what is unchanged, failures, kills, locks and reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pty
import random
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from syndicate.cli.batch import progress_line
from syndicate.engines.base import RetryPolicy
from syndicate.engines.libre import LibreEngine
from syndicate.localize.renderer import LocalizeOptions
from syndicate.resources.memory import TranslationMemory
from syndicate.runs.batch import MAX_WAITING, BatchOptions, Job, Stats, _finish, run_jobs
from syndicate.runs.journal import Journal
from syndicate.runs.results import Outcome
from syndicate.runs.step import TranslateOptions
from syndicate.syndication.partners import load_partners
from syndicate.testing import LibreTranslateServer
from syndicate.translation.translate import Analysis, Plan, analyse, plan_translation
from syndicate.types import Article
from tests.helpers import EXAMPLES, ROOT, run, syndicate_command

NOW = "2025-07-03T12:00:00Z"


def newsroom(
    tmp_path: Path, libre: LibreTranslateServer, copies: int = 1, **engine: object
) -> Path:
    """A working folder: articles, partners, and a config pointing at the local server."""
    root = tmp_path / "newsroom"
    (root / "articles").mkdir(parents=True)
    (root / "config").mkdir()
    shutil.copy(ROOT / "config" / "partners.yaml", root / "config" / "partners.yaml")
    shutil.copy(ROOT / "config" / "rates.yaml", root / "config" / "rates.yaml")
    for n in range(copies):
        for example in EXAMPLES:
            text = example.read_text(encoding="utf-8")
            if copies > 1:
                text = text.replace(
                    "url: https://nuntianews.example/", f"url: https://nuntianews.example/{n}/", 1
                )
            (root / "articles" / f"{example.stem}-{n}.md").write_text(text, encoding="utf-8")
    options = {"url": libre.url, "retries": 3, "backoff": 0.01, "timeout": 1.0, **engine}
    lines = "".join(f"    {k}: {v}\n" for k, v in options.items())
    (root / "config" / "syndicate.yaml").write_text(f"engine: libre\nengines:\n  libre:\n{lines}")
    return root


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: a dead engine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def batch(root: Path, *extra: str) -> Result:
    os.chdir(root)
    return run(
        "batch",
        "articles",
        "--partner",
        "asia-tech-daily",
        "--partner",
        "tokyo-shimbun-digital",
        "--now",
        NOW,
        *extra,
    )


def test_partners_run_then_nothing_to_do(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """The first run writes every package and the report; the second skips every job."""
    root = newsroom(tmp_path, libre)
    first = batch(root, "--json")
    assert first.exit_code == 0, first.stderr
    doc = json.loads(first.stdout)
    assert doc["status"] == "success" and len(doc["jobs"]) == 3 * len(EXAMPLES)
    assert (root / "out" / "asia-tech-daily" / "manifest.json").is_file()
    assert (root / "out" / "tokyo-shimbun-digital.zip").is_file()
    report = json.loads((root / "out" / "report.json").read_text())
    assert report["status"] == "success" and "run" not in report
    # The words translate --json uses (vocabulary.JobStatus), under the version that says so.
    assert report["syndicate_result_version"] == "4"
    assert {job["status"] for job in report["jobs"]} == {"written"}
    sent = libre.characters
    requests = len(libre.requests)
    assert requests < 3 * len(EXAMPLES)  # segments of many articles share requests
    before = tree(root / "out")
    second = batch(root, "--json")
    assert json.loads(second.stdout)["run"]["unchanged"] == 3 * len(EXAMPLES)
    assert libre.characters == sent and tree(root / "out") == before
    assert {job["status"] for job in json.loads(second.stdout)["jobs"]} == {"written"}


def test_an_edited_article_reruns_only_its_jobs(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """Changing one source reruns its three jobs and nothing else."""
    root = newsroom(tmp_path, libre)
    assert batch(root).exit_code == 0
    source = root / "articles" / f"{EXAMPLES[0].stem}-0.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Keputusan ini", "Keputusan tersebut"),
        encoding="utf-8",
    )
    doc = json.loads(batch(root, "--json").stdout)
    assert doc["run"]["finished"] == 3 and doc["run"]["unchanged"] == 3 * len(EXAMPLES) - 3


def test_flaky_engine_every_job_ends_written_or_reported(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """With a fifth of requests failing, nothing partial is left and a re-run finishes the rest."""
    libre.chaos, libre.chaos_hang = 0.2, 1.5
    root = newsroom(tmp_path, libre, copies=4, retries=1, batch_size=4)
    first = batch(root, "--json")
    assert first.exit_code in (0, 3)
    doc = json.loads(first.stdout)
    assert {j["status"] for j in doc["jobs"]} <= {"written", "failed", "not-run"}
    assert all(j["error"] for j in doc["jobs"] if j["status"] == "failed")
    assert not list((root / "out").rglob("*tmp*"))
    for path in (root / "out").rglob("*.json"):
        json.loads(path.read_text())
    failed = [j for j in doc["jobs"] if j["status"] == "failed"]
    libre.chaos = 0.0
    second = json.loads(batch(root, "--json").stdout)
    assert second["status"] == "success"
    assert second["run"]["finished"] == len(failed)


def test_a_failing_engine_stops_the_run_early(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """An engine that answers only errors is left alone after a few requests; exit 3, all reported."""
    libre.fail(500, times=10_000)
    # Enough articles that planning them outlasts the breaker (5 failed requests, fast):
    # with 5 copies, a fast machine planned every job first and none was left not-run.
    root = newsroom(tmp_path, libre, copies=20, retries=0, batch_size=2)
    result = batch(root, "--json", "--no-tm")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["status"] == "error" and "stopped sending" in doc["stopped"]
    assert doc["run"]["failed_requests"] < 40
    assert all(j["status"] in ("failed", "not-run") and j["error"] for j in doc["jobs"])
    assert any(j["status"] == "not-run" for j in doc["jobs"])  # never planned: not failed


def test_two_runs_on_one_folder_are_refused(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """While a run holds the output folder, another is refused with exit 2; a dry run
    can still look."""
    root = newsroom(tmp_path, libre)
    journal = Journal(Path(os.environ["SYNDICATE_TM"]).parent / "journal.sqlite3")
    with journal.lock(root / "out"):
        result = batch(root)
        looked = batch(root, "--dry-run")  # reads only: no lock needed
    journal.close()
    assert result.exit_code == 2 and "another batch run is writing to out" in result.stderr
    assert looked.exit_code == 0 and "would write" in looked.stdout


def test_dry_run_and_locales_without_partners(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """--dry-run lists the jobs and counts what they would send, exactly what the run then
    sends, writing nothing; --to writes <stem>.<locale>.md into --out."""
    root = newsroom(tmp_path, libre)
    os.chdir(root)
    args = ["batch", "articles", "--to", "en-GB,ja", "--out", "translated", "--now", NOW]
    listed = run(*args, "--dry-run")
    assert listed.exit_code == 0 and libre.requests == []
    assert sorted(listed.stdout.splitlines()) == sorted(
        f"articles/{e.stem}-0.md: {loc}: would write translated/{e.stem}-0.{loc}.md"
        for e in EXAMPLES
        for loc in ("en-GB", "ja")
    )
    assert "nothing sent or written" in listed.stderr
    planned = json.loads(run(*args, "--dry-run", "--json").stdout)
    assert {j["status"] for j in planned["jobs"]} == {"planned"}
    assert not (root / "translated").exists()
    state = Path(os.environ["SYNDICATE_TM"]).parent  # no memory, journal or review file made
    assert not (state.exists() and list(state.glob("*.sqlite3")))
    done = json.loads(run(*args, "--json").stdout)
    assert sorted(p.name for p in (root / "translated").glob("*.md")) == sorted(
        f"{e.stem}-0.{loc}.md" for e in EXAMPLES for loc in ("en-GB", "ja")
    )
    figures = ("unique", "characters", "requests")
    assert [planned["run"][f] for f in figures] == [done["run"][f] for f in figures]
    assert libre.characters == done["run"]["characters"]
    assert len(libre.requests) == done["run"]["requests"]
    again = json.loads(run(*args, "--dry-run", "--json").stdout)["run"]
    assert again["unchanged"] == 2 * len(EXAMPLES) and again["requests"] == 0


def test_to_repeated_and_comma_separated(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """--to may be given several times, each with commas; a locale named twice is one job."""
    root = newsroom(tmp_path, libre)
    os.chdir(root)
    args = ["batch", "articles", "--to", "en-GB,ja", "--to", "en-gb", "--dry-run", "--json"]
    planned = json.loads(run(*args, "--now", NOW).stdout)["jobs"]
    assert sorted(j["target"] for j in planned) == sorted(["en-GB", "ja"] * len(EXAMPLES))


def test_unchanged_jobs_skipped_without_now(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """A nightly run keeps the clock: the clock is no reason to redo a job. A fixed --now
    is part of the outputs, so changing it redoes them."""
    root = newsroom(tmp_path, libre)
    os.chdir(root)

    def run_figures(*extra: str) -> dict[str, int]:
        result = run("batch", "articles", "--to", "en-GB", "--json", *extra)
        assert result.exit_code == 0, result.stderr
        figures: dict[str, int] = json.loads(result.stdout)["run"]
        return figures

    assert run_figures()["finished"] == len(EXAMPLES)
    before = tree(root / "out")
    assert run_figures()["unchanged"] == len(EXAMPLES)
    assert tree(root / "out") == before
    assert run_figures("--now", NOW)["finished"] == len(EXAMPLES)
    assert run_figures("--now", NOW)["unchanged"] == len(EXAMPLES)
    assert run_figures("--now", "2025-07-04T12:00:00Z")["finished"] == len(EXAMPLES)


def test_articles_named_by_files_patterns_and_folders(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """Files (as a shell expands a glob), quoted patterns and folders; each article once."""
    root = newsroom(tmp_path, libre)
    os.chdir(root)

    def planned(*specs: str) -> list[str]:
        result = run("batch", *specs, "--to", "en-GB", "--dry-run", "--json", "--now", NOW)
        assert result.exit_code == 0, result.stderr
        return sorted(Path(j["source"]).name for j in json.loads(result.stdout)["jobs"])

    names = sorted(f"{e.stem}-0.md" for e in EXAMPLES)
    assert planned(*(f"articles/{n}" for n in names[:2])) == names[:2]
    assert planned(f"articles/{names[0][:6]}*.md") == names[:1]
    (root / "out").mkdir()
    (root / "out" / names[0]).write_text("an output of an earlier run")
    (root / "articles" / f"{names[0][:-3]}.en-GB.md").write_text("an earlier --to output")
    assert planned("**/*.md") == names  # recursive; out/ and outputs are never sources
    assert planned("articles", "articles/*.md", f"articles/{names[0]}") == names
    (root / "nightly.yaml").write_text("sources: ['articles/*.md']\n")
    for specs, error in [
        (["missing"], "missing: no such folder, file or plan file"),
        (["articles/*.txt"], "articles/*.txt: the pattern matches no file"),
        (["nightly.yaml", "articles"], "nightly.yaml: a plan file comes alone"),
    ]:
        result = run("batch", *specs, "--to", "en-GB", "--dry-run")
        assert result.exit_code == 2 and error in result.stderr, result.stderr


def test_plan_options(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """A plan carries the options of the command line; an option given there wins."""
    root = newsroom(tmp_path, libre)
    os.chdir(root)
    plan = root / "plan.yaml"
    common = f"sources: [articles/*.md]\nfrom: id\njobs: 2\nnow: '{NOW}'\n"
    plan.write_text(common + "to: [en-GB]\nmoney: keep\nno_tm: true\n")
    assert run("batch", "plan.yaml").exit_code == 0
    kept = (root / "out" / "bank-sentral-tahan-suku-bunga-0.en-GB.md").read_text()
    assert "IDR 10 trillion" in kept and "IDR 10 trillion (about" not in kept  # money: keep
    assert not Path(os.environ["SYNDICATE_TM"]).exists()  # no_tm
    assert run("batch", "plan.yaml", "--money", "append", "--out", "cli").exit_code == 0
    appended = (root / "cli" / "bank-sentral-tahan-suku-bunga-0.en-GB.md").read_text()
    assert "IDR 10 trillion (about US$611 million)" in appended
    plan.write_text(common + "to: [ja]\n")
    assert run("batch", "plan.yaml", "--out", "lenient").exit_code == 0  # QA warnings only
    plan.write_text(common + "to: [ja]\nstrict: true\n")
    strict = run("batch", "plan.yaml", "--json", "--out", "strict")
    assert strict.exit_code == 3  # the same warnings, now critical
    failed = [j for j in json.loads(strict.stdout)["jobs"] if j["status"] == "failed"]
    assert failed and all(f["severity"] == "critical" for j in failed for f in j["findings"])


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("jobs: 0", "'jobs' must be a whole number from 1 to 64"),
        ("jobs: true", "'jobs' must be a whole number from 1 to 64"),
        ("money: convert", "'money' must be one of append, replace, keep"),
        ("strict: 'yes'", "'strict' must be true or false"),
        ("from: klingon-xx", "'from': unknown language or locale 'klingon-xx'"),
        ("now: yesterday", "'now' 'yesterday' is not an ISO 8601 timestamp"),
        ("now: 2025-07-03", "'now' '2025-07-03' has no timezone"),
        ("now: '0001-01-01T00:00:00+07:00'", "'now' '0001-01-01T00:00:00+07:00' is out of range"),
    ],
)
def test_plan_option_errors(tmp_path: Path, line: str, error: str) -> None:
    (tmp_path / "plan.yaml").write_text(f"sources: [a/*.md]\nto: en\n{line}\n")
    result = run("batch", "plan.yaml")
    assert result.exit_code == 2 and f"plan.yaml: {error}" in result.stderr, result.stderr


def test_plan_file(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """A plan names sources, partners and the output; paths are relative to it."""
    root = newsroom(tmp_path, libre)
    (root / "nightly.yaml").write_text(
        f"sources: ['articles/*.md']\npartners: [asia-tech-daily]\nout: build\nnow: '{NOW}'\n"
    )
    os.chdir(root)
    result = run("batch", "nightly.yaml")
    assert result.exit_code == 0, result.stderr
    assert (root / "build" / "asia-tech-daily" / "manifest.json").is_file()
    bad = root / "bad.yaml"
    bad.write_text("sourcez: [a]\n")
    assert run("batch", str(bad)).exit_code == 2
    # A folder means its articles, as on the command line, and `now` may be written as
    # YAML writes a timestamp, unquoted (a user got "no articles found", then "'now' must
    # be a text").
    (root / "folder.yaml").write_text(f"sources: [articles]\nto: [en-GB]\nnow: {NOW}\n")
    # A source that names nothing is an error, as on the command line (a user's plan left
    # two folders out without a word).
    (root / "typo.yaml").write_text("sources: [articles, artikel]\nto: [en-GB]\n")
    typo = run("batch", "typo.yaml", "--dry-run")
    assert typo.exit_code == 2 and "typo.yaml: source 'artikel' names no folder" in typo.stderr
    listed = json.loads(run("batch", "folder.yaml", "--dry-run", "--json").stdout)
    assert len(listed["jobs"]) == len(list((root / "articles").glob("*.md")))
    assert {j["status"] for j in listed["jobs"]} == {"planned"}


def test_killed_runs_resume_to_the_same_tree(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """SIGKILL at random points, three times, then resume: the same bytes as an unbroken run."""
    libre.latency, libre.capacity = 0.03, 2
    root = newsroom(tmp_path, libre, copies=4, batch_size=3)
    env = {**os.environ}
    command = syndicate_command(
        "-q",
        "batch",
        "articles",
        "--partner",
        "asia-tech-daily",
        "--partner",
        "tokyo-shimbun-digital",
        "--now",
        NOW,
        "--jobs",
        "2",
    )
    began = time.monotonic()
    subprocess.run([*command, "--out", "clean"], cwd=root, env=env, check=True, capture_output=True)
    took = time.monotonic() - began  # kill within that: early, midway, late (never after)
    rng = random.Random(1)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(
            [*command, "--out", "killed"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 0.8) * took)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    final = subprocess.run(
        [*command, "--out", "killed"], cwd=root, env=env, capture_output=True, text=True
    )
    assert final.returncode == 0, final.stderr
    assert kills >= 1
    assert tree(root / "killed") == tree(root / "clean")
    assert not list((root / "killed").rglob("*tmp*"))  # what killed runs left half-written is gone


def test_half_written_files_of_a_killed_run_are_removed(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """A temporary file left by a run killed mid-write is deleted by the next run."""
    root = newsroom(tmp_path, libre)
    stale = root / "out" / "asia-tech-daily" / "en-SG" / ".feed.atom.xml.k3j2h1.syndicate-tmp"
    stale.parent.mkdir(parents=True)
    stale.write_text("<feed><entry>half")
    keep = root / "out" / "notes.tmp"
    keep.write_text("an editor's file, not ours")
    assert batch(root).exit_code == 0
    assert not stale.exists() and keep.exists()


def library_options(
    libre: LibreTranslateServer,
    folder: Path,
    name: str,
    batch_size: int = 50,
    now: dt.datetime | None = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC),
    memory: TranslationMemory | None = None,
    **options: Any,
) -> BatchOptions:
    """Options for ``run_jobs`` against the local server; output and journal in ``folder``."""
    engine = LibreEngine.with_settings(
        url=libre.url, retry=RetryPolicy(retries=0), batch_size=batch_size
    )
    return BatchOptions(
        translate=TranslateOptions(engine, localize=LocalizeOptions(), memory=memory, now=now),
        out=folder / f"out-{name}",
        journal=Journal(folder / f"journal-{name}.sqlite3"),
        **options,
    )


def test_an_embargo_lifts_with_the_first_run_after_it(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """Runs on the clock (no --now): the run after an embargo delivers the article held
    until then, though none of its jobs is redone; only the package is rebuilt."""
    root = newsroom(tmp_path, libre)
    sources = sorted((root / "articles").glob("*.md"))
    embargo = "embargo: 2025-07-05T00:00:00+07:00\ntitle:"
    sources[0].write_text(sources[0].read_text().replace("title:", embargo, 1))
    partner = load_partners(root / "config" / "partners.yaml")["asia-tech-daily"]
    jobs = [Job(p, locale, partner) for p in sources for locale in partner.locales]

    def run_on(day: int) -> tuple[list[str], dict[str, Any]]:
        clock = dt.datetime(2025, 7, day, 12, tzinfo=dt.UTC)
        settings = library_options(libre, tmp_path, "embargo", now=None, clock=lambda: clock)
        result = run_jobs(jobs, settings)
        settings.journal.close()
        manifest = tmp_path / "out-embargo" / "asia-tech-daily" / "manifest.json"
        return [o.status for o in result.outcomes], json.loads(manifest.read_text())

    statuses, before = run_on(3)
    assert set(statuses) == {"written"}
    assert [s["reason"] for s in before["skipped"]] == ["embargoed until 2025-07-04T17:00:00Z"] * 2
    statuses, after = run_on(6)
    assert set(statuses) == {"unchanged"}
    assert after["skipped"] == [] and len(after["articles"]) == len(before["articles"]) + 2


def test_each_article_is_analysed_once_and_a_broken_one_fails_only_its_jobs(
    tmp_path: Path, libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = newsroom(tmp_path, libre, copies=2)
    (root / "articles" / "rusak.md").write_bytes(b"---\ntitle: [\n---\n\nIsi berita.\n")
    sources = sorted((root / "articles").glob("*.md"))
    analysed: list[str] = []
    planned: list[str] = []

    def counting(article: Article, *, source: str | None = None) -> Analysis:
        analysed.append(Path(article.name).name)
        return analyse(article, source=source)

    def recording(analysis: Analysis, **options: Any) -> Plan:
        planned.append(Path(analysis.article.name).name)
        return plan_translation(analysis, **options)

    monkeypatch.setattr("syndicate.runs.batch.analyse", counting)
    monkeypatch.setattr("syndicate.runs.step.plan_translation", recording)
    settings = library_options(libre, root, "all")
    # Jobs listed locale by locale: each article's jobs are still planned together, so
    # that one analysis at a time is kept.
    result = run_jobs([Job(p, t) for t in ("en-GB", "ja", "ms") for p in sources], settings)
    settings.journal.close()
    assert sorted(analysed) == sorted(p.name for p in sources if p.name != "rusak.md")
    assert planned == [name for name in analysed for _ in range(3)]
    failed = [o for o in result.outcomes if o.status == "failed"]
    assert result.status == "partial" and len(failed) == 3
    assert {Path(o.source).name for o in failed} == {"rusak.md"}
    assert all("rusak.md:3: front matter is not valid YAML" in (o.error or "") for o in failed)


def test_an_engine_that_keeps_failing_stops_the_planning_too(
    tmp_path: Path, libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the breaker trips, the articles not yet analysed are left alone: their jobs are
    reported with the reason, without the work of planning what cannot be sent."""
    root = newsroom(tmp_path, libre, copies=4)
    sources = sorted((root / "articles").glob("*.md"))
    port = closed_port()
    analysed: list[str] = []

    def counting(article: Article, *, source: str | None = None) -> Analysis:
        analysed.append(article.name)
        # Planning paced to the engine: on a loaded machine the planning thread could
        # otherwise analyse articles faster than the sending thread gets refused five times.
        time.sleep(0.05)
        return analyse(article, source=source)

    monkeypatch.setattr("syndicate.runs.batch.analyse", counting)
    dead = LibreEngine.with_settings(
        url=f"http://127.0.0.1:{port}", retry=RetryPolicy(retries=0), batch_size=1
    )
    settings = library_options(libre, root, "dead", workers=1)
    settings = replace(settings, translate=replace(settings.translate, engine=dead))
    result = run_jobs([Job(p, t) for p in sources for t in ("en-GB", "ja")], settings)
    settings.journal.close()
    assert result.stopped and "5 requests in a row failed" in result.stopped
    assert len(analysed) <= len(sources) // 2  # 12 articles; the breaker trips in the first
    assert result.status == "error"
    assert all(o.error for o in result.outcomes)


def test_fail_fast_stops_at_the_first_failed_job(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """--fail-fast: the first failed job stops the run; the rest are reported, not lost."""
    libre.fail(500, times=1)
    root = newsroom(tmp_path, libre, copies=3, retries=0, batch_size=2)
    result = batch(root, "--json", "--no-tm", "--fail-fast")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["stopped"].startswith("stopped at the first failure (--fail-fast): ")
    failed = [j for j in doc["jobs"] if j["status"] == "failed"]
    assert len(failed) == 1 and failed[0]["error"].startswith("libre:")
    not_run = [j for j in doc["jobs"] if j["status"] == "not-run"]
    assert not_run and all(j["error"] == doc["stopped"] for j in not_run)
    assert doc["run"]["finished"] < len(doc["jobs"])  # the rest were not waited for
    second = json.loads(batch(root, "--json", "--no-tm").stdout)
    assert second["status"] == "success"
    assert second["run"]["finished"] == len(failed) + len(not_run)


def bad_and_good(tmp_path: Path) -> Path:
    """Three articles that cannot be read (empty, UTF-16, broken front matter), then a good one."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a-empty.md").write_bytes(b"")
    (folder / "b-utf16.md").write_bytes("\ufeffBerita".encode("utf-16-le"))
    (folder / "c-broken-yaml.md").write_text('---\ntitle: "unclosed\nlang: id\n---\nIsi.\n')
    shutil.copy(EXAMPLES[0], folder / "d-good.md")
    os.chdir(tmp_path)
    return folder


@pytest.mark.parametrize("processes", ["1", "2"])
def test_fail_fast_stops_at_an_article_that_cannot_be_read(tmp_path: Path, processes: str) -> None:
    """A job that fails before the engine (an unreadable article) stops a --fail-fast run
    too, on one process or several: one failure, every other job not run, nothing written."""
    bad_and_good(tmp_path)
    args = ("batch", "mixed", "--to", "en", "--engine", "pseudo", "--now", NOW)
    result = run(*args, "--fail-fast", "--processes", processes, "--json")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert [j["status"] for j in doc["jobs"]].count("failed") == 1
    assert [j["status"] for j in doc["jobs"]].count("not-run") == 3
    assert doc["stopped"] == "stopped at the first failure (--fail-fast): mixed/a-empty.md: en"
    assert doc["run"]["failed"] == 1 and doc["status"] == "error"
    assert not list((tmp_path / "out").glob("*.md"))


def test_fail_fast_reads_every_article_before_sending_anything(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """The article that cannot be read sorts last: a --fail-fast run still stops before
    the engine gets a single request (found by a user: it paid for every good article
    first, then stopped without writing them)."""
    root = newsroom(tmp_path, libre, copies=2)
    (root / "articles" / "zz-broken.md").write_text('---\ntitle: "unclosed\n---\nIsi.\n')
    result = batch(root, "--json", "--no-tm", "--fail-fast")
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["stopped"].endswith("articles/zz-broken.md: en-SG") and not libre.requests
    assert {j["status"] for j in doc["jobs"]} == {"failed", "not-run"}
    assert not list((root / "out").rglob("*.md"))


def test_progress_and_summary_counts_agree(tmp_path: Path) -> None:
    """The last progress line (a log line, stderr not being a terminal) counts the failures
    the summary lists, even when the line before it was shown mid-run."""
    bad_and_good(tmp_path)
    result = run("batch", "mixed", "--to", "en,ja", "--engine", "pseudo", "--now", NOW)
    assert result.exit_code == 3
    progress = [line for line in result.stderr.splitlines() if line.startswith("syndicate: [")]
    assert progress and progress[-1].startswith("syndicate: [8/8 jobs, 4/4 articles]")
    assert progress[-1].endswith(" 6 failed")
    rows = re.findall(r"^-\s+(\S+)\s+failed\s+(\d+)$", result.stderr, re.MULTILINE)
    assert sum(int(n) for _, n in rows) == 6


def test_batch_errors_name_the_file_once(tmp_path: Path) -> None:
    """One line per article: its path (and line), the locales, the problem, the fix."""
    bad_and_good(tmp_path)
    result = run("batch", "mixed", "--to", "en,ja", "--engine", "pseudo", "--now", NOW)
    errors = [line for line in result.stderr.splitlines() if line.startswith("syndicate: error")]
    assert errors == [
        "syndicate: error: mixed/a-empty.md: en, ja: is empty; give an article with some text",
        "syndicate: error: mixed/b-utf16.md: en, ja: is UTF-16 text; re-save it as UTF-8",
        errors[2],
    ]
    assert errors[2].startswith("syndicate: error: mixed/c-broken-yaml.md:2: en, ja: ")
    assert all(line.count("mixed/") == 1 for line in errors)


def test_planned_jobs_waiting_to_be_finished_are_bounded(
    tmp_path: Path, libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long run does not hold every plan at once; its outputs are the same as without a cap."""
    root = newsroom(tmp_path, libre, copies=3)
    sources = sorted((root / "articles").glob("*.md"))
    events: list[int] = []

    def recording(analysis: Analysis, **options: Any) -> Plan:
        events.append(+1)
        return plan_translation(analysis, **options)

    def finishing(*args: Any) -> Outcome:
        events.append(-1)
        return _finish(*args)

    trees = []
    for cap in (4, MAX_WAITING):
        monkeypatch.setattr("syndicate.runs.batch.MAX_WAITING", cap)
        monkeypatch.setattr("syndicate.runs.step.plan_translation", recording)
        monkeypatch.setattr("syndicate.runs.batch._finish", finishing)
        settings = library_options(libre, root, str(cap), batch_size=100)
        events.clear()
        result = run_jobs([Job(p, t) for p in sources for t in ("en-GB", "ja")], settings)
        settings.journal.close()
        assert result.status == "success"
        waiting = [sum(events[: i + 1]) for i in range(len(events))]
        assert max(waiting) <= cap
        trees.append(tree(root / f"out-{cap}"))
    assert max(waiting) == 2 * len(sources)  # without the cap, a fast engine: all at once
    assert trees[0] == trees[1]


def test_a_later_run_reports_a_shared_segment_translated_piecewise_again(
    tmp_path: Path,
) -> None:
    """An engine that loses markup: the article syndicated tomorrow with the same paragraph
    gets the same warning as today's, rather than today's stopgap from the memory."""

    def dropping(text: str, source: str, target: str) -> str:
        return re.sub(r"⟦\d+⟧", "", text).swapcase()

    first, second = tmp_path / "today.md", tmp_path / "tomorrow.md"
    text = EXAMPLES[0].read_text(encoding="utf-8")
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("url: https://", "url: https://tomorrow.", 1), encoding="utf-8")
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    with LibreTranslateServer(dropping) as server:
        settings = library_options(server, tmp_path, "run", memory=memory)
        today = run_jobs([Job(first, "en")], settings)
        later = run_jobs([Job(first, "en"), Job(second, "en")], settings)
    settings.journal.close()
    memory.close()
    lost = [f for f in today.outcomes[0].findings if f.code == "placeholders-lost"]
    assert lost and later.outcomes[0].status == "unchanged"
    assert later.outcomes[1].findings == today.outcomes[0].findings


def test_progress_line_counts_jobs_and_articles() -> None:
    """Jobs and articles ended, and the time left at the pace of the jobs that ran."""
    jobs = [Job(Path(f"/news/{name}.md"), target) for name in "ab" for target in ("en", "ja")]
    stats = Stats.of(jobs)
    stats.started = 100.0
    assert progress_line(stats, 100.0) == (
        "[0/4 jobs, 0/2 articles] 0 segments, 0 requests, 0 failed"
    )
    stats.unchanged += 1  # ends at once: says nothing of the pace
    stats.ended_job(jobs[0])
    stats.ended_job(jobs[1])
    stats.segments, stats.requests = 12, 2
    assert progress_line(stats, 110.0) == (
        "[2/4 jobs, 1/2 articles] 12 segments, 2 requests, 0 failed, ETA 20 s"
    )
    assert progress_line(stats, 162.5).endswith("ETA 2 min 05 s")
    stats.failed += 1
    stats.ended_job(jobs[2])
    stats.ended_job(jobs[3])
    assert progress_line(stats, 170.0) == (
        "[4/4 jobs, 2/2 articles] 12 segments, 2 requests, 1 failed"
    )
    # 3,000 jobs: no time left is promised from the first jobs, which carry the start (a
    # user was told 185 minutes for a run of 15 s), only once 20 of them have run.
    big = Stats.of([Job(Path(f"/news/{i}.md"), "en") for i in range(3000)])
    big.started = 0.0
    for i in range(19):
        big.ended_job(Job(Path(f"/news/{i}.md"), "en"))
    assert "ETA" not in progress_line(big, 3.7)
    big.ended_job(Job(Path("/news/19.md"), "en"))
    assert progress_line(big, 4.0).endswith("ETA 9 min 56 s")


def test_progress_in_a_log_and_on_a_terminal(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """Log lines when stderr is not a terminal; one line redrawn in place when it is."""
    root = newsroom(tmp_path, libre)
    logged = batch(root, "--out", "logged")
    assert logged.exit_code == 0, logged.stderr
    assert re.search(
        r"^syndicate: \[\d+/9 jobs, \d+/3 articles\] \d+ segments, \d+ requests, 0 failed",
        logged.stderr,
        re.M,
    )
    command = syndicate_command("batch", "articles", "--to", "en-GB,ja", "--now", NOW)
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*command, "--out", "drawn"], cwd=root, stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait() == 0, seen
    drawn = seen.decode()
    assert re.search(r"\r\[\d+/6 jobs, \d+/3 articles\][^\r\n]*\x1b\[K", drawn)
    assert "\r[6/6 jobs, 3/3 articles]" in drawn  # the last job redraws the line...
    assert "syndicate: [" not in drawn  # ...and no log line is written on a terminal


def test_failures_summed_up_once_per_error(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """A dead engine fails every job with one message: one line for them all, with a count;
    an error of its own (an empty article) keeps its own line."""
    port = closed_port()
    root = newsroom(tmp_path, libre, url=f"http://127.0.0.1:{port}", retries=0)
    (root / "articles" / "kosong.md").write_text("")
    result = batch(root)
    assert result.exit_code == 3
    errors = sorted(
        line for line in result.stderr.splitlines() if line.startswith("syndicate: error")
    )
    assert len(errors) == 2, errors
    dead, empty = errors  # "9 jobs…" sorts before "articles/…"
    assert re.fullmatch(
        r"syndicate: error: 9 jobs \(articles/\S+: \S+, articles/\S+: \S+, articles/\S+: \S+ "
        r"and 6 more\): libre: cannot connect to http://127\.0\.0\.1:\d+/translate; .*",
        dead,
    ), dead
    # One article's jobs: the file named once, then its locales.
    assert empty == (
        "syndicate: error: articles/kosong.md: en-SG, en-US, ja-JP: is empty; "
        "give an article with some text"
    )
    summary = r"^error: 0 engine requests answered, \d+ failed; 0 characters"
    assert re.search(summary, result.stderr, re.M)


def test_a_servers_limits_are_learned_during_a_run(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """A server started with --batch-limit 4 and --char-limit 600, unknown to the settings:
    the run still succeeds, and every request it accepted is within both limits."""
    root = newsroom(tmp_path, libre)
    libre.batch_limit, libre.char_limit = 4, 600
    result = batch(root)
    assert result.exit_code == 0, result.stderr
    assert "the server takes at most" in result.stderr
    assert libre.requests
    assert all(len(r["q"]) <= 4 and sum(map(len, r["q"])) <= 600 for r in libre.requests)


def test_two_articles_never_write_one_output(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """Articles with one name in two folders: the second's jobs fail, saying why, and the
    first's translation stays whole."""
    root = newsroom(tmp_path, libre)
    os.chdir(root)
    (root / "late").mkdir()
    first = sorted((root / "articles").glob("*.md"))[0]
    (root / "late" / first.name).write_text(EXAMPLES[1].read_text(encoding="utf-8"))
    result = run("batch", "articles", "late", "--to", "en-GB", "--json", "--now", NOW)
    assert result.exit_code == 3
    jobs = {Path(j["source"]).parent.name: j for j in json.loads(result.stdout)["jobs"]}
    assert jobs["late"]["status"] == "failed"
    assert f"is the translation of articles/{first.name}" in jobs["late"]["error"]
    output = root / "out" / f"{first.stem}.en-GB.md"
    assert "Bank Indonesia" in output.read_text()  # the first article's, not overwritten


def test_a_package_that_cannot_be_built_is_reported(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """Two articles with one slug: each partner's package is refused with both named, the
    run still ends with its report (partial, exit 3) instead of an error with none."""
    root = newsroom(tmp_path, libre)
    for path in sorted((root / "articles").glob("*.md"))[:2]:
        path.write_text(path.read_text().replace("title:", "slug: sama\ntitle:", 1))
    result = batch(root, "--json")
    assert result.exit_code == 3
    packages = json.loads(result.stdout)["packages"]
    assert [p["partner"] for p in packages] == ["asia-tech-daily", "tokyo-shimbun-digital"]
    assert not any(p["built"] for p in packages)
    assert "have the same slug" in packages[0]["error"]
    assert json.loads((root / "out" / "report.json").read_text())["status"] == "partial"


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ((), "or --to LOC; see `syndicate partners list`"),
        (("--to", "en", "--partner", "asia-tech-daily"), "or --to LOC, not both"),
    ],
)
def test_partners_or_locales(tmp_path: Path, extra: tuple[str, ...], error: str) -> None:
    (tmp_path / "a.md").write_text("# Judul\n\nIsi berita.\n")
    result = run("batch", str(tmp_path), *extra)
    assert result.exit_code == 2 and error in result.stderr, result.stderr


def test_both_runners_name_outputs_alike(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """berita.id.md -> berita.en.md from ``translate`` and from ``batch`` alike."""
    root = newsroom(tmp_path, libre)
    article = root / "articles" / "berita.id.md"
    article.write_bytes(EXAMPLES[0].read_bytes())
    cfg = str(root / "config" / "syndicate.yaml")
    one = run("--config", cfg, "translate", str(article), "--to", "en", "--out", str(root / "t"))
    assert one.exit_code == 0, one.stderr
    many = run("--config", cfg, "batch", str(article), "--to", "en", "--out", str(root / "b"))
    assert many.exit_code == 0, many.stderr
    assert (root / "t" / "berita.en.md").is_file() and (root / "b" / "berita.en.md").is_file()
    assert not list(root.rglob("berita.id.en.md"))


def test_a_plan_runs_from_python(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """``run_batch(load_plan("plan.yaml"))``: what the command does, as a library call."""
    from syndicate import load_plan, load_settings, run_batch

    root = newsroom(tmp_path, libre)
    plan_file = root / "plan.yaml"
    plan_file.write_text(f"sources: [articles/*.md]\nto: [en-GB]\nout: out\nnow: '{NOW}'\n")
    settings = load_settings(root / "config" / "syndicate.yaml")
    result = run_batch(load_plan(plan_file), settings)
    assert result.status == "success"
    assert {o.status for o in result.outcomes} == {"written"}
    report = json.loads((root / "out" / "report.json").read_text())
    assert report == result.report()
    again = run_batch(load_plan(plan_file), settings)
    assert {o.status for o in again.outcomes} == {"unchanged"}
    assert again.report() == report  # a report says the same, whichever run did the work


def test_translate_outputs_beside_their_sources_are_not_batch_sources(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """After `translate` wrote x.en-GB.md beside x.md, a partner batch over the folder
    translates the originals only (it used to take the outputs as articles and fail every
    original for "would overwrite")."""
    root = newsroom(tmp_path, libre)
    cfg = str(root / "config" / "syndicate.yaml")
    articles = sorted(str(p) for p in (root / "articles").glob("*.md"))
    assert run("--config", cfg, "translate", *articles, "--to", "en-GB").exit_code == 0
    out = root / "out"
    result = run(
        "--config", cfg, "batch", str(root / "articles"), "--to", "ja", "--out", str(out), "--json"
    )
    assert result.exit_code == 0, result.stderr
    sources = {Path(j["source"]).name for j in json.loads(result.stdout)["jobs"]}
    assert sources == {Path(a).name for a in articles}


def test_one_output_folder_however_it_is_named(
    tmp_path: Path, libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--out out and --out <absolute>/out are one folder: the second run redoes nothing."""
    root = newsroom(tmp_path, libre)
    monkeypatch.chdir(root)
    cfg = "config/syndicate.yaml"
    first = run("--config", cfg, "batch", "articles", "--to", "en-GB", "--out", "out", "--now", NOW)
    assert first.exit_code == 0, first.stderr
    again = run(
        "--config",
        cfg,
        "batch",
        "articles",
        "--to",
        "en-GB",
        "--out",
        str(root / "out"),
        "--now",
        NOW,
        "--json",
    )
    assert {o["status"] for o in json.loads(again.stdout)["jobs"]} == {"written"}
    assert json.loads(again.stdout)["run"]["unchanged"] == len(EXAMPLES)


def test_the_summary_gives_each_kind_of_qa_warning_once(tmp_path: Path) -> None:
    """QA warnings of jobs that went through are on stderr, one line a kind with one
    example and how many (a user found them only in report.json); -q leaves them out."""
    for example in EXAMPLES:
        shutil.copy(example, tmp_path / example.name)
    args = ("batch", str(tmp_path), "--to", "en-GB,ja", "--engine", "pseudo", "--now", NOW)
    result = run(*args, "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    lines = [x for x in result.stderr.splitlines() if x.startswith("syndicate: warning: rate-")]
    assert len(lines) == 1 and "in all; each is in report.json" in lines[0], result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    count = sum(f["code"] == "rate-missing" for j in report["jobs"] for f in j["findings"])
    assert f"({count} in all;" in lines[0]
    quiet = run("-q", *args, "--out", str(tmp_path / "quiet"))
    assert quiet.exit_code == 0 and quiet.stderr == ""

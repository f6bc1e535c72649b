"""Faults: engines that answer badly, memories that are locked or corrupt, disks that fill up,
a shared store whose server goes away.

Each gives a clear error or recovers, and no existing output or memory entry is damaged.
The disk tests mount small tmpfs file systems and skip (saying why) where that is not
allowed; the file-size limit test needs no privilege and always runs.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from syndicate.errors import StorageError
from syndicate.markdown.article import parse_article
from syndicate.review.bitext import Pair
from syndicate.review.edits import is_approved
from syndicate.review.store import ReviewStore, State
from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run, syndicate_command
from tests.servers import PostgreSQL

ARTICLE = EXAMPLES[0]


def tree(directory: Path) -> dict[str, str]:
    """Every file under a folder with its checksum."""
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def memory_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return sorted(
            db.execute("SELECT engine, src_lang, tgt_lang, source, target FROM tu").fetchall()
        )


@pytest.fixture
def engine_env(libre: LibreTranslateServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__URL", libre.url)
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__TIMEOUT", "1")
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__RETRIES", "2")
    monkeypatch.setenv("SYNDICATE_ENGINES__LIBRE__BACKOFF", "0.01")


def translate(out: Path) -> Result:
    return run("translate", str(ARTICLE), "--to", "en", "--engine", "libre", "--out", str(out))


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            {
                "status": 200,
                "body": "<html><body>Please log in</body></html>",
                "content_type": "text/html",
            },
            "answered with an HTML page, not JSON; check that the URL is the API's",
        ),
        (
            {
                "status": 502,
                "body": "<html><h1>502 Bad Gateway</h1></html>",
                "content_type": "text/html",
            },
            "server error (HTTP 502)",
        ),
        ({"status": 200, "body": ""}, "answered with an empty body"),
        (
            {"status": 200, "body": '{"translatedText": ["Rice pr', "truncate": True},
            "cut its answer off",
        ),
        (
            {"status": 200, "body": '{"translatedText": "x"}' * 20, "drip": 0.05},
            "no complete answer",
        ),
    ],
    ids=["html-200", "html-502", "empty", "truncated", "slow-drip"],
)
@pytest.mark.usefixtures("engine_env")
def test_an_engine_that_keeps_answering_badly_is_a_clear_error(
    libre: LibreTranslateServer, tmp_path: Path, failure: dict[str, object], message: str
) -> None:
    """The run fails with one line naming the engine; the last good output is untouched."""
    out = tmp_path / "out"
    assert translate(out).exit_code == 0
    before = tree(out)
    ARTICLE_COPY = tmp_path / ARTICLE.name
    ARTICLE_COPY.write_text(
        ARTICLE.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8"
    )
    libre.fail(times=100, **failure)  # type: ignore[arg-type]
    started = time.monotonic()
    result = run(
        "translate", str(ARTICLE_COPY), "--to", "en", "--engine", "libre", "--out", str(out)
    )
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("syndicate: error: libre: ") and message in line, line
    assert tree(out) == before
    assert elapsed < 15  # a drip never holds a run past its deadlines


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 200, "body": ""},
        {"status": 200, "body": '{"translatedText": ["Rice pr', "truncate": True},
        {"status": 503, "body": "<html>busy</html>", "content_type": "text/html"},
    ],
    ids=["empty", "truncated", "html-503"],
)
@pytest.mark.usefixtures("engine_env")
def test_a_passing_fault_is_retried_and_the_run_recovers(
    libre: LibreTranslateServer, tmp_path: Path, failure: dict[str, object]
) -> None:
    libre.fail(times=1, **failure)  # type: ignore[arg-type]
    result = translate(tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "bank-sentral-tahan-suku-bunga.en.md").is_file()


# --- the translation memory --------------------------------------------------------------


def test_a_corrupt_memory_is_a_clear_error_and_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tm = tmp_path / "tm.sqlite3"
    tm.write_bytes(b"this is not a database, but it may be someone's only copy\n" * 100)
    before = tm.read_bytes()
    monkeypatch.setenv("SYNDICATE_TM", str(tm))
    result = run("translate", str(ARTICLE), "--to", "en", "--engine", "pseudo", "--out", "out")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"syndicate: error: {tm}: cannot open the translation memory")
    assert "move the file away to start a new memory" in line
    assert tm.read_bytes() == before
    assert not (tmp_path / "out").exists()


def test_a_memory_locked_by_another_process_is_waited_for_then_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tm = tmp_path / "tm.sqlite3"
    monkeypatch.setenv("SYNDICATE_TM", str(tm))
    assert (
        run("translate", str(ARTICLE), "--to", "en", "--engine", "pseudo", "--out", "a").exit_code
        == 0
    )
    rows = memory_rows(tm)
    monkeypatch.setenv("SYNDICATE_TM_WAIT", "0.5")
    holder = subprocess.Popen(
        [sys.executable, "-c", _LOCK_HOLDER, str(tm)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        edited = tmp_path / ARTICLE.name
        edited.write_text(
            ARTICLE.read_text(encoding="utf-8") + "\nParagraf baru.\n", encoding="utf-8"
        )
        result = run("translate", str(edited), "--to", "en", "--engine", "pseudo", "--out", "b")
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.wait(timeout=10)
        if holder.stdout is not None:
            holder.stdout.close()
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "translation memory" in line and "locked" in line, line
    assert not (tmp_path / "b").exists()
    assert memory_rows(tm) == rows


_LOCK_HOLDER = """
import signal, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
time.sleep(60)
"""


# --- disks that fill up or turn read-only ------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs of our own, unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command to make a small file system")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.decode().strip()}): needs root")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill the file system up to ``leave`` bytes free."""
    free = shutil.disk_usage(disk).free
    with (disk / "filler").open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))


def _edited_sources(tmp_path: Path) -> list[Path]:
    sources = []
    for example in EXAMPLES:
        copy = tmp_path / "src" / example.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_text(
            example.read_text(encoding="utf-8") + "\nParagraf tambahan.\n", encoding="utf-8"
        )
        sources.append(copy)
    return sources


@pytest.mark.parametrize("memory_on_the_full_disk", [True, False], ids=["memory-too", "outputs"])
def test_a_full_disk_mid_write_damages_nothing(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_on_the_full_disk: bool
) -> None:
    out = small_disk / "out"
    tm = (small_disk if memory_on_the_full_disk else tmp_path) / "tm.sqlite3"
    monkeypatch.setenv("SYNDICATE_TM", str(tm))
    args = ["--to", "en-GB,ja", "--engine", "pseudo", "--out", str(out)]
    assert run("translate", *map(str, EXAMPLES), *args).exit_code == 0
    before = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    rows = memory_rows(tm)
    _fill(small_disk, leave=6000)
    result = run("translate", *map(str, _edited_sources(tmp_path)), *args)
    assert result.exit_code == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("syndicate: error")]
    assert errors and all("No space left on device" in e or "disk is full" in e for e in errors)
    after = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert set(after) == set(before)  # no temporary left, nothing lost
    for name, text in after.items():  # each output is the old one or a complete new one
        if text != before[name]:
            assert text.count("\n\n") == before[name].count("\n\n") + 1
            assert parse_article(text).front_matter is not None
    (small_disk / "filler").unlink()
    assert set(memory_rows(tm)) >= set(rows)


def test_a_read_only_output_folder_is_a_clear_error(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = small_disk / "out"
    monkeypatch.setenv("SYNDICATE_TM", str(tmp_path / "tm.sqlite3"))
    args = ["--to", "en", "--engine", "pseudo", "--out", str(out)]
    assert run("translate", str(ARTICLE), *args).exit_code == 0
    before = tree(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("translate", str(_edited_sources(tmp_path)[0]), *args)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"syndicate: error: {out}") and "Read-only file system" in line, line
    assert tree(out) == before


def test_a_file_size_limit_mid_write_leaves_no_partial_file(tmp_path: Path) -> None:
    """No privilege needed: RLIMIT_FSIZE makes the write fail halfway, as a full disk does."""
    out = tmp_path / "out"
    article = tmp_path / "long.md"
    article.write_text(
        "".join(f"Paragraf {i} tentang harga beras di pasar tradisional.\n\n" for i in range(3000)),
        encoding="utf-8",
    )

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    proc = subprocess.run(
        syndicate_command(
            "translate",
            str(article),
            "--to",
            "en",
            "--engine",
            "pseudo",
            "--from",
            "id",
            "--out",
            str(out),
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        env={"PATH": "/usr/bin:/bin", "SYNDICATE_TM": "off", "HOME": str(tmp_path)},
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line == f"syndicate: error: {out / 'long.en.md'}: cannot write: File too large", line
    assert list(out.iterdir()) == []


# --- a shared store whose server goes away ------------------------------------------------

VICTIM = "syndicate-victim"  # the application name of the connections the tests end


def _pair(position: int, source: str) -> Pair:
    return Pair(position, "body", source, source.upper(), source, source.upper(), (), {})


def test_a_review_change_cut_off_by_the_server_is_a_storage_error_and_rolled_back(
    tmp_path: Path, postgresql_server: PostgreSQL
) -> None:
    """The server goes away between one segment's approval and the next, inside one change:
    a StorageError that says the store cannot be reached, and no part of the change stays."""
    output = tmp_path / "a.en-GB.md"
    with postgresql_server.schema() as url:
        store = ReviewStore(f"{url}&application_name={VICTIM}")
        store.record(
            output,
            source=tmp_path / "a.md",
            locale="en-GB",
            source_lang="id",
            engine="pseudo",
            sha256="0" * 64,
            pairs=[_pair(0, "Satu."), _pair(1, "Dua.")],
            how="written",
        )

        def changes() -> Iterator[tuple[int, State, str | None]]:
            yield 0, "approved", None
            postgresql_server.end_connections(VICTIM)
            yield 1, "approved", None

        with pytest.raises(StorageError) as raised:
            store.set_states(output, changes(), who="ayu")
        store.close()
        assert raised.value.reason == "unavailable" and "cannot be reached" in str(raised.value)
        with ReviewStore(url) as again:
            state = again.get(output)
    assert state is not None and [s.state for s in state.segments] == ["machine", "machine"]


def test_an_approval_check_whose_server_is_gone_is_a_storage_error_not_a_no(
    tmp_path: Path, postgresql_server: PostgreSQL
) -> None:
    """Whether a partner may have a translation (``review: required``) cannot be answered
    by a store that is gone: the StorageError stops the run instead of holding the
    translation back as if it were unapproved."""
    source, output = tmp_path / "a.md", tmp_path / "a.en-GB.md"
    source.write_text("Satu.\n", encoding="utf-8")
    output.write_text("SATU.\n", encoding="utf-8")
    with postgresql_server.schema() as url:
        store = ReviewStore(f"{url}&application_name={VICTIM}")
        try:
            postgresql_server.end_connections(VICTIM)
            with pytest.raises(StorageError, match="review store cannot be reached"):
                is_approved(store, output)
        finally:
            store.close()

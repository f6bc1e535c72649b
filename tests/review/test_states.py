"""Review states: machine, edited, approved, stale, kept across runs and kills; the same on
SQLite (review.sqlite3 beside the memory) and on PostgreSQL (the settings' store)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.review.store import ReviewStore, store_path
from syndicate.storage import is_url
from tests.helpers import EXAMPLES, ROOT, run

NOW = "2025-06-25T07:00:00Z"
APPROVED_AT = datetime(2025, 6, 26, 8, 30, tzinfo=UTC)


def translated(tmp_path: Path, name: str = "startup-ai-jakarta-pendanaan.md") -> Path:
    """An example copied into tmp_path and translated to en-GB with the pseudo engine."""
    source = tmp_path / name
    source.write_text((ROOT / "examples" / name).read_text(encoding="utf-8"), encoding="utf-8")
    result = run("translate", str(source), "--to", "en-GB", "--engine", "pseudo", "--now", NOW)
    assert result.exit_code == 0, result.output
    return source


def status(*paths: Path) -> list[dict[str, object]]:
    result = run("status", *map(str, paths), "--json")
    assert result.exit_code == 0, result.output
    items: list[dict[str, object]] = json.loads(result.stdout)["translations"]
    return items


def states(item: dict[str, object]) -> list[str]:
    return [s["state"] for s in item["states"]]  # type: ignore[attr-defined,index]


@pytest.fixture(autouse=True)
def where(store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Where this test's review states live: review.sqlite3 beside the memory, or, with
    the settings' store a PostgreSQL URL, there (and the memory with them)."""
    if is_url(store):
        monkeypatch.setenv("SYNDICATE_STORE", store)
        return store
    return str(store_path(Path(os.environ["SYNDICATE_TM"]), Path("unused")))


def the_store(where: str) -> ReviewStore:
    return ReviewStore(where, clock=lambda: APPROVED_AT)


def test_a_written_translation_is_machine_text_segment_by_segment(tmp_path: Path) -> None:
    """translate records every translatable segment of its output as machine text."""
    source = translated(tmp_path)
    [item] = status(source)
    assert item["translation"] == str(tmp_path / "startup-ai-jakarta-pendanaan.en-GB.md")
    assert item["locale"] == "en-GB" and item["engine"] == "pseudo"
    assert set(states(item)) == {"machine"} and len(states(item)) == 17
    assert item["approved"] is False


def test_a_hand_edit_makes_exactly_that_segment_edited(tmp_path: Path) -> None:
    """An edit in the file is seen by status: that segment is edited, the others machine."""
    source = translated(tmp_path)
    output = source.with_name("startup-ai-jakarta-pendanaan.en-GB.md")
    text = output.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith("## "))
    lines[i] = "## How the money will be spent\n"
    output.write_text("".join(lines), encoding="utf-8")
    [item] = status(source)
    edited = [s for s in item["states"] if s["state"] == "edited"]  # type: ignore[attr-defined]
    assert [s["where"] for s in edited] == ["body"] and states(item).count("machine") == 16


def test_an_article_is_approved_when_all_its_segments_are_with_who_and_when(
    tmp_path: Path, where: str
) -> None:
    """Approving the last segment approves the translation, with its approver and time."""
    source = translated(tmp_path)
    output = source.with_name("startup-ai-jakarta-pendanaan.en-GB.md")
    with the_store(where) as store:
        current = store.get(output)
        assert current is not None
        first, *rest = current.segments
        partly = store.set_states(output, [(first.position, "approved", None)], who="ayu")
        assert not partly.approved and partly.approved_by is None
        done = store.set_states(output, [(s.position, "approved", None) for s in rest], who="dimas")
    assert done.approved and done.approved_by == "dimas"
    assert done.approved_at == "2025-06-26T08:30:00+00:00"
    [item] = status(output)
    assert item["approved"] is True and set(states(item)) == {"approved"}


def test_a_source_change_after_approval_makes_exactly_that_segment_stale(
    tmp_path: Path, where: str
) -> None:
    """Editing one paragraph of an approved article's source: that segment alone is stale."""
    source = translated(tmp_path)
    output = source.with_name("startup-ai-jakarta-pendanaan.en-GB.md")
    with the_store(where) as store:
        store.approve(output, who="ayu")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("lebih dari 1.200 perusahaan", "lebih dari 1.300 perusahaan"))
    [item] = status(source)
    assert states(item).count("stale") == 1 and states(item).count("approved") == 16
    assert item["approved"] is False and item["approved_by"] is None
    # A new paragraph elsewhere is a new segment; the others keep their states.
    source.write_text(source.read_text().replace("## Rencana", "Paragraf baru.\n\n## Rencana"))
    run("translate", str(source), "--to", "en-GB", "--engine", "pseudo", "--now", NOW)
    [item] = status(source)
    assert states(item).count("approved") == 16 and states(item).count("stale") == 1
    assert states(item).count("machine") == 1


def test_states_survive_a_process_killed_with_sigkill(tmp_path: Path, where: str) -> None:
    """A process that approved and was then killed with SIGKILL leaves the approval stored."""
    source = translated(tmp_path)
    output = source.with_name("startup-ai-jakarta-pendanaan.en-GB.md")
    code = (
        "import os, signal, sys\nfrom pathlib import Path\n"
        "from syndicate.review.store import ReviewStore\n"
        "store = ReviewStore(sys.argv[1])\nstore.approve(Path(sys.argv[2]), who='ayu')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    child = subprocess.run([sys.executable, "-c", code, str(where), str(output)], check=False)
    assert child.returncode == -signal.SIGKILL
    [item] = status(source)
    assert item["approved"] is True and item["approved_by"] == "ayu"


def test_status_of_everything_lists_every_translation(tmp_path: Path) -> None:
    """Without paths, status lists every recorded translation, one line each."""
    for example in EXAMPLES[:2]:
        translated(tmp_path, example.name)
    result = run("status")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all("\ten-GB\tnot approved\t" in line for line in lines)


def test_status_of_an_article_never_translated_is_an_error(tmp_path: Path) -> None:
    """status names an article no translation of which is recorded (exit 1)."""
    (tmp_path / "a.md").write_text("# Judul\n\nTeks.\n")
    result = run("status", str(tmp_path / "a.md"))
    assert result.exit_code == 1 and "no translation of it is recorded" in result.stderr


def test_a_translation_of_stdin_is_not_recorded_for_review(tmp_path: Path) -> None:
    """Read from stdin, an article has no file to pair its translation with: no state."""
    text = (ROOT / "examples" / "startup-ai-jakarta-pendanaan.md").read_text(encoding="utf-8")
    result = run(
        "translate", "-", "--to", "en-GB", "--engine", "pseudo", "--out", str(tmp_path),
        "--now", NOW, input=text,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "stdin.en-GB.md").is_file()
    assert json.loads(run("status", "--json").stdout)["translations"] == []


def test_the_states_live_in_the_settings_store_and_nowhere_else(tmp_path: Path, where: str) -> None:
    """With the settings' store a PostgreSQL URL, translate records the states there and
    makes no review.sqlite3; without one, the file beside the memory holds them."""
    source = translated(tmp_path)
    beside_memory = store_path(Path(os.environ["SYNDICATE_TM"]), Path("unused"))
    assert beside_memory.exists() is not is_url(where)
    with the_store(where) as store:
        assert store.find(source=source) == [str(source.with_name(f"{source.stem}.en-GB.md"))]

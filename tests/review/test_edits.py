"""Edits made in the translation file are kept: translate and batch never overwrite them."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from syndicate.review.store import ReviewStore, store_path
from tests.helpers import ROOT, run

NOW = "2025-06-25T07:00:00Z"
EXAMPLE = "startup-ai-jakarta-pendanaan"
HEADING = "## Rencana penggunaan dana"
PARAGRAPH = "KataKita mengembangkan model bahasa"


def project(tmp_path: Path) -> Path:
    """An example in tmp_path/articles, the pseudo engine, run from tmp_path."""
    (tmp_path / "articles").mkdir()
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "syndicate.yaml").write_text("engine: pseudo\n")
    shutil.copy(ROOT / "examples" / f"{EXAMPLE}.md", tmp_path / "articles" / f"{EXAMPLE}.md")
    os.chdir(tmp_path)
    return tmp_path / "articles" / f"{EXAMPLE}.md"


def translate(source: Path) -> dict[str, object]:
    result = run("translate", str(source), "--to", "en-GB", "--now", NOW, "--json")
    assert result.exit_code == 0, result.stderr
    item: dict[str, object] = json.loads(result.stdout)["items"][0]
    item["stderr"] = result.stderr
    return item


def edit_line(path: Path, starts: str, new: str) -> None:
    """Replace the line of ``path`` that starts with ``starts`` (a hand edit)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith(starts))
    lines[i] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def states(source: Path) -> dict[str, int]:
    result = run("status", str(source), "--json")
    counts: dict[str, int] = json.loads(result.stdout)["translations"][0]["segments"]
    return counts


def test_a_hand_edited_output_survives_translate_reruns_unchanged(tmp_path: Path) -> None:
    """translate again: the edited file is left byte for byte; the edit is recorded."""
    source = project(tmp_path)
    translate(source)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    edit_line(output, "## ", "## How the money will be spent")
    edited = output.read_bytes()
    item = translate(source)
    assert output.read_bytes() == edited
    assert states(source)["edited"] == 1
    # Said as it happened, on stderr and in --json: the file was left alone.
    assert item["status"] == "kept" and item["beside"] is None
    assert f"kept {output} as edited by hand; nothing written" in str(item["stderr"])
    assert "wrote" not in str(item["stderr"])


def test_translate_says_what_it_did_to_an_output_nobody_edited(tmp_path: Path) -> None:
    """Written the first time; the same translation again (same --now) is not rewritten,
    and the line says so instead of claiming a write."""
    source = project(tmp_path)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    first = translate(source)
    assert first["status"] == "written" and f"wrote {output} (" in str(first["stderr"])
    again = translate(source)
    assert again["status"] == "unchanged" and "wrote" not in str(again["stderr"])
    assert f"{output} already holds this translation; nothing written" in str(again["stderr"])


def test_a_hand_edited_output_survives_batch_reruns_unchanged(tmp_path: Path) -> None:
    """batch again: the edited output is left byte for byte, and the run after that skips it."""
    project(tmp_path)
    args = ("batch", "articles", "--to", "en-GB", "--now", NOW, "--json")
    assert run(*args).exit_code == 0
    output = tmp_path / "out" / f"{EXAMPLE}.en-GB.md"
    edit_line(output, "## ", "## How the money will be spent")
    edited = output.read_bytes()
    again = run(*args)
    assert again.exit_code == 0 and output.read_bytes() == edited
    third = json.loads(run(*args).stdout)
    assert third["run"]["unchanged"] == 1
    assert output.read_bytes() == edited


def test_a_batch_killed_before_its_outputs_are_in_place_leaves_no_edit_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source changes, and the run translating it dies before its batch of outputs
    is put in place: the review states must still describe the file that is there, or
    the next run takes the old output for a hand edit and keeps it for good. The next
    run writes the new translation and no segment is 'edited'."""
    from syndicate.files import BatchedWrites

    source = project(tmp_path)
    args = ("batch", "articles", "--to", "en-GB", "--now", NOW, "--json")
    assert run(*args).exit_code == 0
    output = tmp_path / "out" / f"{EXAMPLE}.en-GB.md"
    before = output.read_bytes()
    edit_line(source, "## ", "## Rencana penggunaan dana baru")

    def killed(self: BatchedWrites) -> None:
        raise SystemExit(137)  # the process ends here: nothing after this runs

    with monkeypatch.context() as patch:
        patch.setattr(BatchedWrites, "commit", killed)
        assert run(*args).exit_code == 137
    assert output.read_bytes() == before  # the kill left the old output in place
    again = json.loads(run(*args).stdout)
    assert [j["status"] for j in again["jobs"]] == ["written"]
    assert output.read_bytes() != before and states(source).get("edited", 0) == 0
    assert not list(output.parent.glob("*.machine.md"))


def test_after_a_source_change_edits_stay_and_only_the_changed_segment_is_sent(
    tmp_path: Path,
) -> None:
    """Another paragraph of the source changed: the hand edit stays, one segment is sent."""
    source = project(tmp_path)
    translate(source)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    edit_line(output, "## ", "## How the money will be spent")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("toko daring", "toko kelontong"), encoding="utf-8")
    item = translate(source)
    assert item["sent"] == 1
    after = output.read_text(encoding="utf-8")
    assert "## How the money will be spent\n" in after
    assert not source.with_name(f"{EXAMPLE}.en-GB.machine.md").exists()
    counts = states(source)
    assert counts["edited"] == 1 and counts["machine"] == 16


def test_a_conflict_keeps_both_versions_and_is_reported(tmp_path: Path) -> None:
    """The source changed where the translation was edited by hand: the edit stays in the
    file, the run's translation goes beside it, and a warning says so."""
    source = project(tmp_path)
    translate(source)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    edit_line(output, "## ", "## How the money will be spent")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(HEADING, "## Rencana penggunaan modal"), encoding="utf-8")
    item = translate(source)
    assert "the source changed where" in str(item["stderr"])
    assert any(f["code"] == "edit-conflict" for f in item["findings"])  # type: ignore[attr-defined,index]
    assert "## How the money will be spent\n" in output.read_text(encoding="utf-8")
    beside = source.with_name(f"{EXAMPLE}.en-GB.machine.md")
    machine = beside.read_text(encoding="utf-8")
    assert "How the money" not in machine and "## " in machine
    # The line and --json say where the new translation went, and that the file, whose
    # only changed segment is the edited one, was left as it was.
    assert item["status"] == "kept" and item["beside"] == str(beside)
    assert f"kept {output} as edited by hand; wrote the new translation beside it: {beside}" in str(
        item["stderr"]
    )


def test_a_conflict_beside_other_changes_writes_both_and_says_so(tmp_path: Path) -> None:
    """The source changed at the edit and elsewhere: the file is written (the edit kept,
    the other change translated), the run's translation goes beside it, the line says both."""
    source = project(tmp_path)
    translate(source)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    edit_line(output, "## ", "## How the money will be spent")
    text = source.read_text(encoding="utf-8").replace(HEADING, "## Rencana penggunaan modal")
    source.write_text(text.replace("toko daring", "toko kelontong"), encoding="utf-8")
    item = translate(source)
    beside = source.with_name(f"{EXAMPLE}.en-GB.machine.md")
    assert "## How the money will be spent\n" in output.read_text(encoding="utf-8")
    assert item["status"] == "written" and item["beside"] == str(beside)
    assert (
        f"wrote {output}, keeping its hand edits; wrote the new translation beside it: {beside}"
        in str(item["stderr"])
    )


def test_an_output_edited_beyond_its_segments_is_kept_and_said_so(tmp_path: Path) -> None:
    """A paragraph added by hand: the file is left as it is, the run's translation goes
    beside it, and the line says kept, not wrote."""
    source = project(tmp_path)
    translate(source)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    output.write_text(output.read_text(encoding="utf-8") + "\nAn added paragraph.\n")
    edited = output.read_bytes()
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("toko daring", "toko kelontong"), encoding="utf-8")
    item = translate(source)
    beside = source.with_name(f"{EXAMPLE}.en-GB.machine.md")
    assert output.read_bytes() == edited and beside.is_file()
    assert item["status"] == "kept" and item["beside"] == str(beside)
    assert f"kept {output} as edited by hand; wrote the new translation beside it: {beside}" in str(
        item["stderr"]
    )


def test_a_source_change_after_approval_makes_exactly_that_segment_stale(tmp_path: Path) -> None:
    """All approved; one paragraph of the source changes; translate again: it alone is stale."""
    source = project(tmp_path)
    translate(source)
    output = source.with_name(f"{EXAMPLE}.en-GB.md")
    with ReviewStore(store_path(Path(os.environ["SYNDICATE_TM"]), Path("-"))) as store:
        store.approve(output, who="ayu")
    text = source.read_text(encoding="utf-8")
    assert PARAGRAPH in text
    source.write_text(text.replace("toko daring", "toko kelontong"), encoding="utf-8")
    translate(source)
    counts = states(source)
    assert counts["stale"] == 1 and counts["approved"] == 16

"""Moving to the shared store: `syndicate store copy` against a real PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from syndicate.resources.memory import TranslationMemory
from syndicate.storage import Copied
from tests.helpers import EXAMPLES, run
from tests.servers import PostgreSQL

ARGS = (
    "batch", "articles", "--partner", "wire", "--now", "2025-07-03T12:00:00Z",
    "--deliver", "--json",
)  # fmt: skip


def newsroom(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    for example in EXAMPLES:
        shutil.copy(example, tmp_path / "articles" / example.name)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "syndicate.yaml").write_text("engine: pseudo\n", encoding="utf-8")
    (tmp_path / "config" / "partners.yaml").write_text(
        "partners:\n  - id: wire\n    name: Wire\n    locales: [en-GB]\n    formats: [ninjs]\n"
        f"    delivery: {{type: directory, path: {tmp_path / 'drop'}}}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_newsroom_moves_to_the_shared_store_and_loses_nothing(
    tmp_path: Path, postgresql_server: PostgreSQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newsroom that ran on the SQLite files (a hand edit made, packages delivered) sets
    `store:`: runs warn that the files are not read until `store copy` copies them in;
    after it, the next run finds every job unchanged, keeps the hand edit, sends nothing
    again, and the memory, journal, review states and delivery journal are all in
    PostgreSQL. A second copy has nothing left to copy."""
    import psycopg

    monkeypatch.chdir(newsroom(tmp_path))
    assert run(*ARGS[:-2]).exit_code == 0  # translated, not delivered yet
    output = next((tmp_path / "out" / ".work" / "wire").glob("*.en-GB.md"))
    text = output.read_text(encoding="utf-8")
    edited = text.rstrip("\n") + " (edited by hand)\n"  # the last paragraph, by an editor
    output.write_text(edited, encoding="utf-8")
    first = run(*ARGS)  # the edit kept, the packages delivered
    assert first.exit_code == 0, first.stderr
    assert output.read_text(encoding="utf-8") == edited
    state = Path(os.environ["SYNDICATE_TM"]).parent
    with TranslationMemory(os.environ["SYNDICATE_TM"]) as memory:
        units = memory.stats()["units"]
    with postgresql_server.schema() as url:
        monkeypatch.setenv("NEWSROOM_STORE", url)
        (tmp_path / "config" / "syndicate.yaml").write_text(
            "engine: pseudo\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
        )
        looked = run("batch", "articles", "--partner", "wire", "--dry-run")
        for left in (Path(os.environ["SYNDICATE_TM"]), state / "journal.sqlite3"):
            assert f"{left}:" in looked.stderr and "syndicate store copy" in looked.stderr
        # Going on without the review states would write over hand edits: refused.
        refused = run(*ARGS)
        assert refused.exit_code == 2 and "syndicate store copy" in refused.stderr
        assert f"{state / 'review.sqlite3'}:" in refused.stderr and "hand-edited" in refused.stderr
        assert output.read_text(encoding="utf-8") == edited

        copied = run("store", "copy", "--out", "out", "--json")
        assert copied.exit_code == 0, copied.stderr
        report = {c["what"]: c for c in json.loads(copied.stdout)}
        assert set(report) == {
            "translation memory", "batch journal", "review states", "delivery journal",
        }  # fmt: skip
        assert all(c["moved_to"] and Path(c["moved_to"]).is_file() for c in report.values())
        assert not (state / "review.sqlite3").exists()
        assert report["review states"]["tables"]["translation"] == {"copied": 3, "present": 0}
        assert report["batch journal"]["tables"]["job"]["copied"] == len(EXAMPLES), report

        second = run(*ARGS)
        assert second.exit_code == 0, second.stderr
        assert "store copy" not in second.stderr  # nothing left unread
        doc = json.loads(second.stdout)
        assert doc["run"]["unchanged"] == len(EXAMPLES)
        assert doc["delivery"]["partners"][0]["status"] == "unchanged"
        assert output.read_text(encoding="utf-8") == edited
        with psycopg.connect(url) as db:
            [(stored,)] = db.execute("SELECT count(*) FROM tu")
            [(edits,)] = db.execute("SELECT count(*) FROM segment WHERE state = 'edited'")
            [(sent,)] = db.execute(
                "SELECT count(*) FROM delivery WHERE out = %s", (str((tmp_path / "out").resolve()),)
            )
        assert stored == units and edits >= 1 and sent > 0

        again = run("store", "copy", "--out", "out")
        assert again.exit_code == 0 and again.stderr.count("nothing to copy") == 4


def test_a_copy_keeps_what_the_shared_store_has_and_can_be_run_again(
    tmp_path: Path, postgresql_server: PostgreSQL
) -> None:
    """Rows the shared store has already (another machine's) stay as they are there; the
    rest are added; copying the same file again adds nothing."""
    with postgresql_server.schema() as url:
        with TranslationMemory(url) as shared, TranslationMemory(tmp_path / "m.sqlite3") as mine:
            shared.store({"Satu.": "One (theirs)."}, engine="e", source_lang="id", target_lang="en")
            mine.store(
                {"Satu.": "One (mine).", "Dua.": "Two."},
                engine="e",
                source_lang="id",
                target_lang="en",
            )
            assert mine.copy_into(shared) == {"tu": Copied(1, 1)}
            assert mine.copy_into(shared) == {"tu": Copied(0, 2)}
            found = shared.lookup(["Satu.", "Dua."], engine="e", source_lang="id", target_lang="en")
        assert found == {"Satu.": "One (theirs).", "Dua.": "Two."}


def test_without_a_shared_store_there_is_nothing_to_copy_into(tmp_path: Path) -> None:
    result = run("store", "copy")
    assert result.exit_code == 2
    assert "no shared store" in result.stderr and "store: postgresql://" in result.stderr

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
    (tmp_path / "articles").mkdir(parents=True)
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
    `store:`. Its next run refuses to start (it would write over the hand edit: it has no
    state for it) until `store copy` copies the files in; then the run finds every job
    unchanged, keeps the hand edit and sends nothing again, with the memory, journal,
    review states and delivery journal all in PostgreSQL. A second copy adds nothing."""
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
        units = memory.count()
    with postgresql_server.schema() as url:
        monkeypatch.setenv("NEWSROOM_STORE", url)
        (tmp_path / "config" / "syndicate.yaml").write_text(
            "engine: pseudo\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
        )
        refused = run(*ARGS)
        assert refused.exit_code == 2 and "syndicate store copy" in refused.stderr
        assert f"{state / 'review.sqlite3'}:" in refused.stderr and "hand-edited" in refused.stderr
        assert output.read_text(encoding="utf-8") == edited

        copied = run("store", "copy", "--out", "out", "--json")
        assert copied.exit_code == 0, copied.stderr
        report = {(c["what"], c["path"]): c["tables"] for c in json.loads(copied.stdout)}
        tables = {what: t for (what, _), t in report.items() if t}
        assert set(tables) == {
            "translation memory", "batch journal", "review states", "delivery journal",
        }  # fmt: skip
        assert tables["review states"]["translation"] == {"copied": 3, "present": 0}
        assert tables["batch journal"]["job"] == {"copied": len(EXAMPLES), "present": 0}
        assert (state / "review.sqlite3").is_file()  # left as it is

        second = run(*ARGS)
        assert second.exit_code == 0, second.stderr
        assert "store copy" not in second.stderr  # nothing left behind
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

        again = json.loads(run("store", "copy", "--out", "out", "--json").stdout)
        assert all(n["copied"] == 0 for c in again for n in c["tables"].values())
        review = next(c["tables"] for c in again if c["what"] == "review states")
        assert review["translation"]["present"] == 3 and review["segment"]["copied"] == 0


def test_states_of_another_projects_folders_stop_nobody(
    tmp_path: Path, postgresql_server: PostgreSQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state folder is the user's, shared by the account's projects: project B moving
    to the shared store is not refused for project A's review states (they are of A's
    output folder), is warned about A's human translation units (CAT tool work that the
    shared memory lacks) until it copies them, and A goes on with its files as they were."""
    from tests.translation.test_sentences import TMX

    a, b = newsroom(tmp_path / "a"), newsroom(tmp_path / "b")
    monkeypatch.chdir(a)
    (a / "cat.tmx").write_bytes(TMX)
    assert run("tm", "import", "cat.tmx").exit_code == 0
    assert run(*ARGS).exit_code == 0
    with postgresql_server.schema() as url:
        monkeypatch.setenv("NEWSROOM_STORE", url)
        monkeypatch.chdir(b)
        (b / "config" / "syndicate.yaml").write_text(
            "engine: pseudo\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
        )
        moved = run(*ARGS)
        assert moved.exit_code == 0, moved.stderr
        assert "2 human translation units" in moved.stderr and "store copy" in moved.stderr
        assert run("store", "copy").exit_code == 0
        assert "store copy" not in run(*ARGS).stderr
    monkeypatch.chdir(a)
    doc = json.loads(run(*ARGS).stdout)
    assert doc["run"]["unchanged"] == len(EXAMPLES)


def test_a_copy_into_one_schema_leaves_the_guard_on_for_another(
    tmp_path: Path, postgresql_server: PostgreSQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stores in one database differ only by the URL's query (``options=-csearch_path``,
    as these tests' schemas do): after `store copy` into one, a run with the other is still
    warned about the human units its memory lacks (a reviewer found the copy recorded under
    the URL without its query, which silenced the guard for both)."""
    from tests.translation.test_sentences import TMX

    home = newsroom(tmp_path)
    monkeypatch.chdir(home)
    (home / "cat.tmx").write_bytes(TMX)
    assert run("tm", "import", "cat.tmx").exit_code == 0
    (home / "config" / "syndicate.yaml").write_text(
        "engine: pseudo\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
    )
    with postgresql_server.schema() as staging, postgresql_server.schema() as production:
        assert staging.split("?")[0] == production.split("?")[0]
        monkeypatch.setenv("NEWSROOM_STORE", staging)
        assert run("store", "copy").exit_code == 0
        assert "human translation units" not in run(*ARGS).stderr
        monkeypatch.setenv("NEWSROOM_STORE", production)
        assert "2 human translation units" in run(*ARGS).stderr


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


def test_the_guard_with_a_relative_tm_reads_translate_targets_and_broken_files(
    tmp_path: Path, postgresql_server: PostgreSQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tm: memory.sqlite3` in ./config/syndicate.yaml (a relative state folder) works
    with the store; `translate` is refused only for its own outputs' states (not for
    another project's below its folder), the human-unit warning names units not copied
    even when the store holds as many others, and a delivery journal file that is not a
    database gets a warning, not a failed delivery."""
    from tests.translation.test_sentences import TMX

    monkeypatch.delenv("SYNDICATE_TM")
    root = newsroom(tmp_path)
    monkeypatch.chdir(root)
    config = root / "config" / "syndicate.yaml"
    config.write_text("engine: pseudo\ntm: memory.sqlite3\n", encoding="utf-8")
    (root / "cat.tmx").write_bytes(TMX)
    assert run("tm", "import", "cat.tmx").exit_code == 0
    assert run(*ARGS).exit_code == 0
    (root / "sub").mkdir()
    shutil.copy(EXAMPLES[0], root / "sub" / "note.md")
    assert run("translate", "sub/note.md", "--to", "en-GB").exit_code == 0
    with postgresql_server.schema() as url:
        monkeypatch.setenv("NEWSROOM_STORE", url)
        config.write_text(
            "engine: pseudo\ntm: memory.sqlite3\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
        )
        # Other human units in the store, as many as the file's: still not these.
        with TranslationMemory(url) as shared:
            for n in range(3):
                shared.store(
                    {f"Lain {n}.": f"Other {n}."}, engine="tmx", source_lang="id", target_lang="en"
                )
        other = root / "elsewhere.md"
        shutil.copy(EXAMPLES[1], other)
        translated = run("translate", "elsewhere.md", "--to", "en-GB")
        assert translated.exit_code == 0, translated.stderr  # out/ and sub/ states: not its own
        assert "2 human translation units" in translated.stderr
        refused = run("translate", "sub/note.md", "--to", "en-GB")
        assert refused.exit_code == 2 and "review states of 1 translations" in refused.stderr
        (root / "out" / ".syndicate" / "deliveries.sqlite").write_text("not a database")
        assert run("store", "copy").exit_code == 0
        delivered = run(*ARGS)
        assert delivered.exit_code == 0, delivered.stderr
        assert "deliveries.sqlite: cannot be read" in delivered.stderr
        assert "human translation units" not in delivered.stderr


def test_bulk_upserts_of_other_columns_into_one_table_share_a_connection(
    tmp_path: Path, postgresql_server: PostgreSQL
) -> None:
    """The memory's store (its plain columns) and a TMX import (with uses and details)
    both write 500 units or more through COPY on one connection."""
    from syndicate.resources.memory import Unit

    with postgresql_server.schema() as url, TranslationMemory(url) as memory:
        memory.store(
            {f"Kalimat {n}.": f"Sentence {n}." for n in range(600)},
            engine="e",
            source_lang="id",
            target_lang="en",
        )
        memory.add_units(
            [
                Unit("tmx", "id", "en", f"Baris {n}.", f"Line {n}.", "2025-01-01T00:00:00+00:00")
                for n in range(600)
            ]
        )
        assert memory.count() == 1200


def test_a_review_file_that_cannot_be_read_stops_the_run_until_moved(
    tmp_path: Path, postgresql_server: PostgreSQL, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether the shared store has its states cannot be told: refused (it could hold
    hand edits' states), with the file named and the fix; moved away, the run goes on."""
    monkeypatch.chdir(newsroom(tmp_path))
    review = Path(os.environ["SYNDICATE_TM"]).parent / "review.sqlite3"
    review.parent.mkdir(parents=True, exist_ok=True)
    review.write_text("not a database")
    with postgresql_server.schema() as url:
        monkeypatch.setenv("NEWSROOM_STORE", url)
        (tmp_path / "config" / "syndicate.yaml").write_text(
            "engine: pseudo\nstore: {$env: NEWSROOM_STORE}\n", encoding="utf-8"
        )
        refused = run(*ARGS)
        assert refused.exit_code == 2 and f"{review}:" in refused.stderr
        assert "move the file away" in refused.stderr
        review.rename(review.with_suffix(".broken"))
        assert run(*ARGS).exit_code == 0

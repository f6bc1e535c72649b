"""Batched durable writes: temporary files, one sync, renames, one sync per folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from syndicate import files
from syndicate.files import TEMP_SUFFIX, BatchedWrites, remove_stale_temporaries


def test_nothing_is_in_place_before_commit_and_everything_after(tmp_path: Path) -> None:
    """Before commit only temporary files exist (a kill leaves nothing half-written, and
    they are removed like any stale temporary); after it, every file is in place."""
    writes = BatchedWrites()
    for i in range(5):
        writes.write(tmp_path / "a" / f"{i}.md", f"isi {i}\n")
    assert not list(tmp_path.rglob("*.md"))
    assert len(list(tmp_path.rglob(f"*{TEMP_SUFFIX}"))) == 5
    assert writes.commit() == {}
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == [f"{i}.md" for i in range(5)]
    assert (tmp_path / "a" / "3.md").read_text(encoding="utf-8") == "isi 3\n"
    writes.write(tmp_path / "a" / "9.md", "lagi\n")
    assert remove_stale_temporaries(tmp_path) == 1 and not (tmp_path / "a" / "9.md").exists()


def test_one_sync_for_a_batch_and_one_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """64 files in two folders: one file-system sync for their data, one fsync per folder."""
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(files, "_syncfs", lambda: lambda fd: synced.append(fd) or 0)
    folder_syncs: list[int] = []
    monkeypatch.setattr(os, "fsync", lambda fd: folder_syncs.append(fd) or real_fsync(fd))
    writes = BatchedWrites()
    for i in range(64):
        writes.write(tmp_path / ("x" if i % 2 else "y") / f"{i}.md", "isi\n")
    assert writes.commit() == {}
    assert len(synced) == 1 and len(folder_syncs) == 2


def test_without_syncfs_each_file_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the C library has no syncfs, each file's data is synced before its rename."""
    monkeypatch.setattr(files, "_syncfs", lambda: None)
    calls: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real_fsync(fd))
    writes = BatchedWrites()
    for i in range(3):
        writes.write(tmp_path / f"{i}.md", "isi\n")
    assert writes.commit() == {}
    assert len(calls) == 3 + 1  # three files, one folder


def test_a_file_that_cannot_be_put_in_place_is_named(tmp_path: Path) -> None:
    """A rename that fails (a folder in the way) is returned for that file; the others
    are in place and no temporary file is left."""
    (tmp_path / "taken.md").mkdir()
    (tmp_path / "taken.md" / "x").write_text("", encoding="utf-8")
    writes = BatchedWrites()
    writes.write(tmp_path / "ok.md", "isi\n")
    writes.write(tmp_path / "taken.md", "isi\n")
    failed = writes.commit()
    assert list(failed) == [tmp_path / "taken.md"] and "cannot write" in str(
        failed[tmp_path / "taken.md"]
    )
    assert (tmp_path / "ok.md").read_text(encoding="utf-8") == "isi\n"
    assert not list(tmp_path.rglob(f"*{TEMP_SUFFIX}"))


def test_the_later_of_two_writes_to_one_file_wins(tmp_path: Path) -> None:
    """Writing one path twice in a batch keeps the later content and one temporary file."""
    writes = BatchedWrites()
    writes.write(tmp_path / "a.md", "pertama\n")
    writes.write(tmp_path / "a.md", "kedua\n")
    assert len(list(tmp_path.glob(f"*{TEMP_SUFFIX}"))) == 1
    writes.commit()
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == "kedua\n"


def test_a_shard_removes_only_its_own_stale_temporaries(tmp_path: Path) -> None:
    """Shards write into one folder at once: a shard starting again (after a kill) removes
    the temporary files it left, not those another shard is writing; a whole run removes all."""
    mine, theirs = BatchedWrites("shard-1-of-2"), BatchedWrites("shard-2-of-2")
    mine.write(tmp_path / "a" / "1.md", "isi\n")
    theirs.write(tmp_path / "a" / "2.md", "isi\n")
    theirs.write(tmp_path / "b" / "3.md", "isi\n")
    assert remove_stale_temporaries(tmp_path, "shard-1-of-2") == 1
    assert remove_stale_temporaries(tmp_path, "shard-1-of-20") == 0
    assert theirs.commit() == {}
    assert sorted(p.name for p in tmp_path.rglob("*.md")) == ["2.md", "3.md"]
    BatchedWrites("shard-2-of-2").write(tmp_path / "c.md", "isi\n")
    BatchedWrites().write(tmp_path / "d.md", "isi\n")
    assert remove_stale_temporaries(tmp_path) == 2


def test_real_path_is_what_resolve_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """real_path, given the folders a run has resolved, answers as ``Path.resolve`` does:
    through links to files and folders, for names not there, relative names, a link on the
    way to a file or in a loop, ``..`` after a link; a new run (new ``folders``) sees a
    folder's link pointed elsewhere."""
    for name in ("a", "b"):
        (tmp_path / "releases" / name / "sub").mkdir(parents=True)
        (tmp_path / "releases" / name / "f.md").write_text(name, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    current = tmp_path / "current"
    current.symlink_to(tmp_path / "releases" / "a")
    a = tmp_path / "releases" / "a"
    (a / "to-b.md").symlink_to(tmp_path / "releases" / "b" / "f.md")
    (a / "up").symlink_to(tmp_path)
    (a / "dangling.md").symlink_to(tmp_path / "nowhere" / "x.md")
    (a / "to-file").symlink_to(a / "f.md")
    (a / "e").symlink_to(tmp_path / "elsewhere")
    (a / "loop").symlink_to(a / "loop")
    names = [
        "current/f.md", "current/to-b.md", "current/up", "current/up/current/sub/x.md",
        "current/dangling.md", "current/missing.md", "current/missing/x.md", "current/sub",
        "current/sub/..", "current/sub/.", "current", "releases/b/f.md", ".",
        "current/to-file/x", "current/to-file/../e", "current/up/current/e/x.md",
        "current/f.md/x",
    ]  # fmt: skip
    monkeypatch.chdir(tmp_path)
    for round_ in ("a", "b"):
        folders: dict[Path, Path] = {}
        for _ in range(2):  # the second time from what the first remembered
            for name in names:
                for path in (tmp_path / name, Path(name)):
                    assert files.real_path(path, folders) == path.resolve(), (round_, path)
        for loop in (a / "loop" / "x.md", a / "loop"):
            with pytest.raises(RuntimeError):
                loop.resolve()
            with pytest.raises(RuntimeError):
                files.real_path(loop, folders)
        current.unlink()
        current.symlink_to(tmp_path / "releases" / "b")

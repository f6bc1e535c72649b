"""Slugs, ids and names that try to leave the output folder stay inside it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from syndicate.cli import cli
from syndicate.errors import OutputError
from syndicate.files import contained
from syndicate.syndication.items import safe_slug

HOSTILE_SLUGS = [
    "../../../../tmp/escaped",
    "/etc/passwd",
    "..",
    ".",
    "a\\0b",
    "CON",
    "nul",
    "com1",
    "..\\\\..\\\\windows\\\\system32",
    "~/.ssh/authorized_keys",
    "",
]

ARTICLE = """---
title: Harga Beras Naik
slug: "{slug}"
id: "{slug}"
date: 2025-06-25
lang: en-GB
source_lang: id
translation_of: "https://nuntianews.example/source-{slug}"
engine: pseudo
---

Rice prices rose sharply in Jakarta markets this week.
"""


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_exports_stay_inside_the_output_folder(tmp_path: Path, slug: str, zipped: bool) -> None:
    src = tmp_path / "src" / "hostile.en-GB.md"
    src.parent.mkdir()
    src.write_text(ARTICLE.format(slug=slug), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    formats = "markdown,html,ninjs,newsml-g2,atom,rss,jsonfeed"
    args = [
        "export",
        str(src),
        "--format",
        formats,
        "--out",
        str(out),
        "--now",
        "2025-06-25T08:00:00Z",
    ]
    result = CliRunner().invoke(cli, [*args, "--zip"] if zipped else args)
    if "\\0" in slug:  # a YAML escape for NUL: refused, nothing written
        assert result.exit_code == 1
        assert "front matter holds a control character (U+0000)" in result.stderr
        assert not out.exists()
        return
    assert result.exit_code == 0, result.stderr
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents and p != src]
    assert outside == []
    names = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    if zipped:
        (archive,) = names
        with zipfile.ZipFile(out / archive) as zf:
            names = zf.namelist()
    for name in names:
        assert not name.startswith("/") and ".." not in name.split("/"), name
        for part in name.split("/"):
            assert part.split(".")[0].upper() not in {"CON", "NUL", "COM1", "PRN", "AUX"}, name
            assert "\\" not in part and "\0" not in part, name


@pytest.mark.parametrize("slug", HOSTILE_SLUGS)
def test_safe_slug_is_a_plain_name(slug: str) -> None:
    result = safe_slug(slug.replace("\\0", "\0"))
    assert result and "/" not in result and "\\" not in result and "\0" not in result
    assert result not in (".", "..") and result.upper() not in {"CON", "NUL", "COM1"}


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a/../../x", "", ".", "..", "a\0b"])
def test_contained_refuses_names_that_leave_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError):
        contained(tmp_path, name)


def test_a_symlink_inside_the_folder_cannot_lead_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(tmp_path)
    with pytest.raises(OutputError, match="outside"):
        contained(out, "link/escaped.md")


def test_a_relative_output_folder_is_the_one_of_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where an output folder is, is found once; ``out`` named from two working folders is
    two folders, not the first one found."""
    for name in ("a", "b"):
        (tmp_path / name / "out").mkdir(parents=True)
        monkeypatch.chdir(tmp_path / name)
        assert contained(Path("out"), "x.md") == Path("out/x.md")
    (tmp_path / "b" / "out" / "link").symlink_to(tmp_path / "a" / "out")
    with pytest.raises(OutputError, match="outside"):
        contained(Path("out"), "link/x.md")


def test_outputs_get_the_mode_a_plain_write_would_give(tmp_path: Path) -> None:
    """Atomic writes go through a private temporary file; the output itself is readable as
    any file the user writes (umask applied), and a replaced file keeps its mode. The
    umask is read once a process (cleared here: this test sets its own)."""
    import os
    import stat

    from syndicate import files
    from syndicate.files import write_atomic

    old = os.umask(0o027)
    files._umask.cache_clear()
    try:
        write_atomic(tmp_path / "new.md", "x")
        assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640
        (tmp_path / "new.md").chmod(0o604)
        write_atomic(tmp_path / "new.md", "y")
        assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o604
    finally:
        os.umask(old)
        files._umask.cache_clear()


def test_an_output_folder_link_pointed_elsewhere_is_the_new_folder(tmp_path: Path) -> None:
    """A long-lived process (a worker) checks names in ``out``, a link; the link is then
    pointed at another release: names are checked against the new folder, and a link in
    it that leaves it is refused (a remembered old folder would have let it out)."""
    for name in ("a", "b"):
        (tmp_path / "releases" / name).mkdir(parents=True)
    out = tmp_path / "out"
    out.symlink_to(tmp_path / "releases" / "a")
    assert contained(out, "x.md") == out / "x.md"
    out.unlink()
    out.symlink_to(tmp_path / "releases" / "b")
    (tmp_path / "releases" / "b" / "y.md").symlink_to(tmp_path / "releases" / "a" / "victim.md")
    assert contained(out, "x.md") == out / "x.md"
    with pytest.raises(OutputError, match="outside"):
        contained(out, "y.md")


def test_an_output_folder_renamed_and_linked_again_is_found_again(tmp_path: Path) -> None:
    """A deploy renames the release folder (same directory, same inode) and points the
    link at its new name: names inside are still taken, and a name that climbs back into
    the old name's place (no longer the folder) is refused, as a process that never saw
    the old folder would (a reviewer's case: a remembered old place got both wrong)."""
    (tmp_path / "releases" / "v1" / "out").mkdir(parents=True)
    current = tmp_path / "current"
    current.symlink_to(tmp_path / "releases" / "v1")
    out = current / "out"
    assert contained(out, "a.md") == out / "a.md"
    (tmp_path / "releases" / "v1").rename(tmp_path / "releases" / "v2")
    current.unlink()
    current.symlink_to(tmp_path / "releases" / "v2")
    assert contained(out, "a.md") == out / "a.md"
    with pytest.raises(OutputError, match="outside"):
        contained(out, "../../v1/out/escape.md")


def test_a_folder_that_cannot_be_gone_through_is_checked_in_full(tmp_path: Path) -> None:
    """The quick path for a plain name takes only names it can look at: through a link to
    a file and back (``l/..``) the name is checked as the whole path resolves, outside;
    links in a loop are refused in one line, not an internal error."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "f.md").write_text("x", encoding="utf-8")
    (out / "l").symlink_to(out / "f.md")
    (tmp_path / "outside").mkdir()
    (out / "e").symlink_to(tmp_path / "outside")
    with pytest.raises(OutputError, match="outside"):
        contained(out / "l" / "..", "e")
    (out / "loop").symlink_to(out / "loop")
    with pytest.raises(OutputError, match="loop"):
        contained(out / "loop", "x.md")

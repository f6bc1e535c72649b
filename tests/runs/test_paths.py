"""One naming rule for both runners: ``<stem>.<locale>.md``, a source language tag replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.errors import OutputError
from syndicate.runs.paths import names_a_language, output_name, output_path


@pytest.mark.parametrize(
    ("name", "out", "expected"),
    [
        ("a/berita.md", None, "a/berita.en.md"),
        ("a/berita.id.md", None, "a/berita.en.md"),
        ("a/berita.id-ID.md", None, "a/berita.en.md"),
        ("a/berita.md", "o", "o/berita.en.md"),
        ("a/berita.id.md", "o", "o/berita.en.md"),
        ("a/rapat.2025.md", None, "a/rapat.2025.en.md"),  # not a language: kept
        ("a/laporan.final.md", None, "a/laporan.final.en.md"),
        ("a/id.md", None, "a/id.en.md"),  # a stem that is only a tag is a name
    ],
)
def test_output_path(name: str, out: str | None, expected: str) -> None:
    """Outputs are named <stem>.<locale>.md beside the source or in --out."""
    assert output_path(Path(name), "en", Path(out) if out else None) == Path(expected)


def test_a_language_in_the_name_is_found() -> None:
    """The tag a file name carries before its suffix, or None."""
    assert names_a_language("x/berita.en-GB.md") == "en-GB"
    assert names_a_language("x/berita.md") is None
    assert output_name("berita.en-GB.md", "ja") == "berita.ja.md"


def test_an_output_never_leaves_the_output_folder(tmp_path: Path) -> None:
    """A locale that would climb out of --out is refused (``files.contained``)."""
    with pytest.raises(OutputError):
        output_path(Path("berita.md"), "x/../../../x", tmp_path)

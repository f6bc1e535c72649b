"""Many articles and locales: bad articles are recorded, a failing engine stops the run."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from syndicate.engines.pseudo import PseudoEngine
from syndicate.errors import DetectionError, EngineUnavailable, InputError
from syndicate.runs.sequential import translate_files
from syndicate.runs.step import TranslateOptions
from tests.helpers import EXAMPLES, NOW


class DownEngine:
    name = "down"
    max_chars = 1000

    def __init__(self) -> None:
        self.calls = 0

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.calls += 1
        raise EngineUnavailable("down", "cannot connect")


def test_a_bad_article_among_others_refuses_the_run_before_any_output(tmp_path: Path) -> None:
    """Every article is read before any is translated: an empty file and one too short to
    tell its language stop the run, both named, and nothing is written for the good one."""
    bad = tmp_path / "kosong.md"
    bad.write_text("")
    short = tmp_path / "pendek.md"
    short.write_text("Halo.\n")
    paths = [str(bad), str(EXAMPLES[0]), str(short)]
    options = TranslateOptions(PseudoEngine(), now=NOW)
    out = tmp_path / "out"
    with pytest.raises(InputError) as refused:
        translate_files(paths, ["en", "ja"], options, out_dir=out)
    assert "kosong.md: is empty" in str(refused.value)
    [other] = refused.value.others
    assert isinstance(other, DetectionError) and "too little text" in str(other)
    assert not out.exists()


def test_an_engine_failure_stops_the_run(tmp_path: Path) -> None:
    """The engine is called once, not once per article, and nothing is written."""
    engine = DownEngine()
    results = translate_files(
        [str(p) for p in EXAMPLES], ["en"], TranslateOptions(engine), out_dir=tmp_path
    )
    assert len(results) == 1 and results[0].status == "failed"
    assert engine.calls == 1
    assert list(tmp_path.iterdir()) == []


def test_returned_instead_of_written(tmp_path: Path) -> None:
    """write=False gives the text back and touches no file."""
    options = TranslateOptions(PseudoEngine(), now=NOW)
    results = translate_files([str(EXAMPLES[0])], ["en"], options, write=False)
    assert results[0].status == "returned" and results[0].text and not results[0].outputs


def test_two_articles_with_one_name_never_share_an_output(tmp_path: Path) -> None:
    """berita.md from two folders into one --out: the second fails, naming the first, whose
    translation is left as it was; the same file named twice is simply translated again."""
    for folder, example in (("a", EXAMPLES[0]), ("b", EXAMPLES[1])):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "berita.md").write_bytes(example.read_bytes())
    first, second = str(tmp_path / "a" / "berita.md"), str(tmp_path / "b" / "berita.md")
    out = tmp_path / "out"
    options = TranslateOptions(PseudoEngine(), now=NOW)
    results = translate_files([first, second, first], ["en"], options, out_dir=out)
    assert [r.status for r in results] == ["written", "failed", "written"]
    assert f"is the translation of {first}; {second} would overwrite it" in str(results[1].error)
    assert "Bank Indonesia" in (out / "berita.en.md").read_text()  # a's, not b's


def test_earlier_outputs_are_not_sources(tmp_path: Path) -> None:
    """Re-running over a folder that holds earlier outputs translates only the originals;
    named alone, a translation is translated as asked."""
    for example in EXAMPLES:
        (tmp_path / example.name).write_bytes(example.read_bytes())
    options = TranslateOptions(PseudoEngine(), now=NOW)
    first = translate_files(sorted(map(str, tmp_path.glob("*.md"))), ["en"], options)
    assert {r.status for r in first} == {"written"}
    everything = sorted(map(str, tmp_path.glob("*.md")))  # the shell's examples/*.md
    again = translate_files(everything, ["en", "ja"], options)
    translated = {Path(r.source).name for r in again if r.status == "written"}
    assert translated == {e.name for e in EXAMPLES}
    skipped = [r for r in again if r.status == "skipped"]
    assert len(skipped) == len(EXAMPLES)  # one outcome (one warning) per file
    assert "is a translation of" in skipped[0].findings[0].message
    assert not list(tmp_path.glob("*.en.ja.md")) and not list(tmp_path.glob("*.en.en.md"))
    alone = translate_files([skipped[0].source], ["ja"], options, out_dir=tmp_path / "x")
    assert alone[0].status == "written"

"""The bad-input corpus: every file in tests/data/bad with the exact outcome expected.

``cases.yaml`` names, for each file, the command run on it, the exit code and the one
line written on stderr. Each failing case must also leave no output behind (not even a
temporary file) and print no traceback. The huge cases are generated here, not stored.
"""

from __future__ import annotations

import re
import resource
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from syndicate.cli import cli
from tests.helpers import syndicate_command

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"
ROOT = BAD.parent.parent.parent
CASES: list[dict[str, Any]] = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_complete() -> None:
    """Every file has its case and every case its file; the corpus is at least 40 files."""
    files = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*") if p.is_file()} - {"cases.yaml"}
    named = {case["file"] for case in CASES}
    assert files == named
    assert len(files) >= 40


def _run(case: dict[str, Any], tmp_path: Path) -> tuple[int, str, str, Path]:
    out = tmp_path / "out"
    out.mkdir()
    path = BAD / case["file"]
    fill = {
        "file": str(path),
        "out": str(out),
        "dir": str(path.parent),
        "examples": str(ROOT / "examples"),
    }
    args = [_fill(a, fill) for a in shlex.split(case["run"])]
    if "config" in case:
        config = tmp_path / "syndicate.yaml"
        settings = {k: _fill(str(v), fill) for k, v in case["config"].items()}
        config.write_text(yaml.safe_dump(settings), encoding="utf-8")
        args = ["--config", str(config), *args]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    expected = _fill(case.get("error", ""), fill)
    return result.exit_code, result.stderr, expected, out


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"{{{key}}}", value)
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file(case: dict[str, Any], tmp_path: Path) -> None:
    code, stderr, expected, out = _run(case, tmp_path)
    assert "Traceback" not in stderr
    assert code == case["exit"], stderr
    if case["exit"] == 0:
        _check_line_endings(BAD / case["file"], out)
        return
    assert stderr.splitlines() == [f"syndicate: error: {expected}"]
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert left == [], "a failed command left output behind"


def _check_line_endings(source: Path, out: Path) -> None:
    """CRLF and mixed line endings come out as they went in, line for line."""
    (written,) = out.iterdir()
    endings = re.compile(r"\r\n|\r|\n")

    def body(data: str) -> list[str]:
        return endings.findall(data.split("---", 2)[2])

    assert body(written.read_bytes().decode()) == body(source.read_bytes().decode())


def _run_process(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run the CLI in its own process; returns exit code, stderr, and the peak memory in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        syndicate_command(*args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc.returncode, proc.stderr, max(peak, before) // 1024


def test_a_50_mb_article_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with path.open("w", encoding="utf-8") as handle:
        line = "Harga beras di pasar tradisional naik tajam pekan ini. " * 20 + "\n\n"
        while handle.tell() < 50 * 2**20:
            handle.write(line)
    code, stderr, peak = _run_process(
        ["translate", str(path), "--to", "en", "--engine", "pseudo", "--out", "out"], tmp_path
    )
    assert code == 1
    assert stderr.splitlines() == [
        f"syndicate: error: {path}: is too large (50.0 MiB, over the 10 MiB limit); "
        "split it into several files"
    ]
    assert peak < 1024, f"{peak} MiB"
    assert not (tmp_path / "out").exists()


def test_a_50_mb_article_on_stdin_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    data = b"Harga beras naik. " * (50 * 2**20 // 18)
    proc = subprocess.run(
        syndicate_command("detect", "-"),
        cwd=tmp_path,
        input=data,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.decode().splitlines() == [
        "syndicate: error: <stdin>: is too large (over the 10 MiB limit); "
        "split it into several files"
    ]


def _translate_paragraphs(tmp_path: Path, count: int) -> tuple[Path, Result]:
    """An article of ``count`` short paragraphs, translated with the pseudo engine."""
    path = tmp_path / "paragraphs.md"
    path.write_text(
        "".join(f"Paragraf {i} tentang harga beras di pasar.\n\n" for i in range(count)),
        encoding="utf-8",
    )
    args = ["translate", str(path), "--to", "en", "--engine", "pseudo", "--from", "id"]
    return path, CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "out")])


def test_100_000_paragraphs_are_refused_with_the_limit(tmp_path: Path) -> None:
    path, result = _translate_paragraphs(tmp_path, 100_000)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"syndicate: error: {path}: has 200,000 lines; an article may have at most 50,000; "
        "split it into several articles"
    ]
    assert not (tmp_path / "out").exists()


def test_an_article_just_under_the_limits_is_translated(tmp_path: Path) -> None:
    """The limits refuse dumps, not long articles: 20,000 paragraphs still go through."""
    _, result = _translate_paragraphs(tmp_path, 20_000)
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "out" / "paragraphs.en.md").read_text(encoding="utf-8")
    assert written.count("\n\n") >= 20_000

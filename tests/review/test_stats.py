"""Edit statistics: per engine and language pair, how much editors change the output."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from syndicate.errors import install_hint
from syndicate.review.store import ReviewStore, store_path
from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run

NOW = "2025-06-25T07:00:00Z"


def the_store() -> ReviewStore:
    return ReviewStore(store_path(Path(os.environ["SYNDICATE_TM"]), Path("-")))


def test_stats_count_unchanged_and_edited_approvals_and_the_edit_distance(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """One engine approved as written (HTER 0, chrF 100); another with an edited heading."""
    cfg = tmp_path / "syndicate.yaml"
    cfg.write_text(f"engine: pseudo\nengines:\n  libre:\n    url: {libre.url}\n")
    first, second = (tmp_path / e.name for e in EXAMPLES[:2])
    shutil.copy(EXAMPLES[0], first)
    shutil.copy(EXAMPLES[1], second)
    for source, engine in ((first, "pseudo"), (second, "libre")):
        result = run(
            "--config", str(cfg), "translate", str(source), "--to", "en-GB",
            "--engine", engine, "--now", NOW,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    edited = second.with_name(f"{second.stem}.en-GB.md")
    lines = edited.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if line.startswith("## "))
    lines[i] = "## A heading an editor rewrote entirely\n"
    edited.write_text("".join(lines), encoding="utf-8")
    assert run("--config", str(cfg), "status").exit_code == 0  # takes the edit in
    with the_store() as store:
        for source in (first, second):
            store.approve(source.with_name(f"{source.stem}.en-GB.md"), who="ayu")
    result = run("--config", str(cfg), "review", "stats", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["engine"]: r for r in json.loads(result.stdout)["engines"]}
    pseudo, libre_row = rows["pseudo"], rows["libre"]
    assert pseudo["source"] == "id" and pseudo["target"] == "en-GB"
    assert pseudo["approved_edited"] == 0 and pseudo["approved"] == pseudo["approved_unchanged"]
    assert pseudo["hter"] == 0 and pseudo["chrf"] == 100
    assert libre_row["approved_edited"] == 1 and libre_row["pending"] == 0
    assert 0 < libre_row["hter"] < 100 and 0 < libre_row["chrf"] < 100
    table = run("--config", str(cfg), "review", "stats").stdout.splitlines()
    assert table[0].split() == [
        "engine", "pair", "approved", "unchanged", "edited", "pending", "HTER", "chrF",
    ]  # fmt: skip
    assert any(line.startswith("libre") and "id>en-GB" in line for line in table)


def test_without_sacrebleu_stats_say_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No sacrebleu: a usage error naming the extra."""
    monkeypatch.setitem(sys.modules, "sacrebleu", None)
    monkeypatch.setitem(sys.modules, "sacrebleu.metrics", None)
    monkeypatch.setitem(sys.modules, "sacrebleu.metrics.chrf", None)
    result = run("review", "stats")
    assert result.exit_code == 2 and install_hint("review") in result.stderr

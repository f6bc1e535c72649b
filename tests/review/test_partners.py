"""Partners with `review: required` get approved translations only; the rest is listed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from syndicate.review.edits import translations_of
from syndicate.review.store import ReviewStore, store_path
from syndicate.syndication.partners import load_partners
from tests.helpers import EXAMPLES, run

NOW = "2025-07-03T12:00:00Z"
PARTNERS = """partners:
  - id: strict
    name: Strict Daily
    locales: [en-GB]
    formats: [markdown, jsonfeed]
    review: required
  - id: relaxed
    name: Relaxed Daily
    locales: [en-GB]
    formats: [markdown, jsonfeed]
"""


def newsroom(tmp_path: Path) -> Path:
    (tmp_path / "articles").mkdir()
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "partners.yaml").write_text(PARTNERS)
    (tmp_path / "config" / "syndicate.yaml").write_text("engine: pseudo\n")
    for example in EXAMPLES[:2]:
        shutil.copy(example, tmp_path / "articles" / example.name)
    os.chdir(tmp_path)
    return tmp_path


def batch() -> dict[str, object]:
    result = run("batch", "articles", "--partner", "strict", "--partner", "relaxed", "--now", NOW)
    assert result.exit_code == 0, result.stderr
    report: dict[str, object] = json.loads(Path("out/report.json").read_text())
    return report


def delivered(partner: str) -> list[str]:
    manifest = json.loads(Path(f"out/{partner}/manifest.json").read_text())
    return sorted(a["source"] for a in manifest["articles"])


def test_a_partner_requiring_review_gets_only_approved_translations(tmp_path: Path) -> None:
    """Nothing approved: the strict partner's package is empty and the report lists both
    translations with the command to review each; once one is approved, the next run
    delivers it, and the other partner had both all along."""
    newsroom(tmp_path)
    report = batch()
    awaiting = report["awaiting_review"]
    assert isinstance(awaiting, list) and len(awaiting) == 2
    assert {a["partner"] for a in awaiting} == {"strict"}
    first = awaiting[0]
    assert first["review"] == f"syndicate review out/{first['translation']} --to en-GB"
    assert delivered("strict") == [] and len(delivered("relaxed")) == 2
    manifest = json.loads(Path("out/strict/manifest.json").read_text())
    assert {s["reason"] for s in manifest["skipped"]} == {"awaiting review"}

    with ReviewStore(store_path(Path(os.environ["SYNDICATE_TM"]), Path("-"))) as store:
        # what `syndicate review out/.work/...` opens: the batch output itself
        [bitext] = translations_of(store, Path("out") / first["translation"], "en-GB")
        assert bitext.source.path == Path(first["source"]).resolve()
        store.approve(Path("out") / first["translation"], who="ayu")
    report = batch()
    assert [a["translation"] for a in report["awaiting_review"]] == [awaiting[1]["translation"]]  # type: ignore[index,union-attr]
    assert delivered("strict") == [Path(first["translation"]).name]  # the manifest: no folders


def test_the_summary_names_what_awaits_review(tmp_path: Path) -> None:
    """The batch summary says which translations wait and the command to review them."""
    newsroom(tmp_path)
    result = run("batch", "articles", "--partner", "strict", "--now", NOW)
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "awaiting review" in line]
    assert len(lines) == 2 and all("syndicate review out/.work/strict/" in x for x in lines)


def test_review_is_optional_unless_a_partner_says_required(tmp_path: Path) -> None:
    """The setting defaults to optional; another value is a configuration error."""
    newsroom(tmp_path)
    partners = load_partners(Path("config/partners.yaml"))
    assert partners["relaxed"].review == "optional" and partners["strict"].review == "required"
    Path("config/partners.yaml").write_text(PARTNERS.replace("review: required", "review: yes"))
    result = run("partners", "list")
    assert result.exit_code == 2 and "'review' must be one of required, optional" in result.stderr


def test_export_to_a_partner_requiring_review_holds_unapproved_translations(
    tmp_path: Path,
) -> None:
    """`export --partner` leaves out what is not approved, as batch does."""
    newsroom(tmp_path)
    sources = sorted(Path("articles").glob("*.md"))
    assert run("translate", *map(str, sources), "--to", "en-GB,ja", "--now", NOW).exit_code == 0
    outputs = sorted(Path("articles").glob("*.en-GB.md"))
    japanese = sorted(Path("articles").glob("*.ja.md"))
    result = run("export", *map(str, outputs + japanese), "--partner", "strict", "--now", NOW)
    # Only what the partner would get waits for review; the Japanese ones are not its
    # locales' (a user saw every translation of every locale listed as awaiting review).
    assert result.exit_code == 0 and result.stderr.count("left out: awaiting review") == 2
    manifest = json.loads(Path("out/strict/manifest.json").read_text())
    reasons = {s["source"]: s["reason"] for s in manifest["skipped"]}
    assert {reasons[p.name] for p in japanese} == {"not in the partner's locales"}
    with ReviewStore(store_path(Path(os.environ["SYNDICATE_TM"]), Path("-"))) as store:
        store.approve(outputs[0], who="ayu")
    assert run("export", *map(str, outputs), "--partner", "strict", "--now", NOW).exit_code == 0
    assert delivered("strict") == [outputs[0].name]

"""A batch whose partner package ends up empty in a locale says so: exit 3, and why."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import EXAMPLES, run

PARTNERS = """partners:
  - id: asia
    name: Asia Daily
    locales: [en-SG]
    formats: [ninjs, atom]
    embargo: hold
"""


def test_an_empty_partner_locale_fails_the_batch_with_its_reason(tmp_path: Path) -> None:
    """Every article under embargo: the package is written, but the run exits 3 and the
    report names the partner, the locale and why nothing went there."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "partners.yaml").write_text(PARTNERS)
    (tmp_path / "config" / "syndicate.yaml").write_text(
        "outlet: {name: NuntiaNews, url: 'https://nuntianews.example/'}\n"
    )
    (tmp_path / "articles").mkdir()
    text = EXAMPLES[0].read_text(encoding="utf-8")
    embargoed = text.replace("\n---\n", "\nembargo: 2025-08-01T00:00:00+07:00\n---\n", 1)
    (tmp_path / "articles" / EXAMPLES[0].name).write_text(embargoed, encoding="utf-8")
    args = ["batch", "articles", "--partner", "asia", "--engine", "pseudo"]
    result = run(*args, "--now", "2025-07-03T12:00:00Z", "--json")
    assert result.exit_code == 3, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["status"] == "partial"
    assert report["jobs"][0]["status"] == "written"
    [package] = report["packages"]
    assert package["partner"] == "asia" and package["built"]
    assert package["empty_locales"] == [
        {"locale": "en-SG", "reason": "every article is under embargo (1)"}
    ]
    atom = (tmp_path / "out" / "asia" / "en-SG" / "feed.atom.xml").read_text()
    assert "<name>NuntiaNews</name>" in atom  # the outlet of the settings, in batch too
    summary = run(*args, "--now", "2025-07-03T12:00:00Z")
    assert summary.exit_code == 3
    assert "syndicate: warning: the package for asia has nothing in en-SG: every article" in (
        summary.stderr
    )

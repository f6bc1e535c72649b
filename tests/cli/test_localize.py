"""syndicate localize, rates import and rates show, and localization inside translate."""

from __future__ import annotations

import json
from pathlib import Path

from syndicate.engines.pseudo import pseudo_localize
from syndicate.markdown.article import parse_article
from tests.helpers import EXAMPLES, run
from tests.localize.test_rates import ECB_XML

NOW = "2025-06-25T14:00:00+07:00"


def rates_config(tmp_path: Path) -> Path:
    (tmp_path / "ecb.xml").write_bytes(ECB_XML)
    cfg = tmp_path / "syndicate.yaml"
    cfg.write_text("rates: rates.yaml\n")
    assert run("--config", str(cfg), "rates", "import", str(tmp_path / "ecb.xml")).exit_code == 0
    return cfg


def test_localize_json_offsets_point_into_the_input(tmp_path: Path) -> None:
    """Each entity's start and end cut its span out of the file as given, front matter included."""
    cfg = rates_config(tmp_path)
    article = tmp_path / "a.md"
    text = (
        "---\ntitle: Dana Rp 800 Miliar Cair\ndate: 2025-06-25\n---\n\n"
        "**Jakarta, Rabu (25/6/2025) —** Dana\nRp 154 triliun (sekitar USD 9,6 miliar) cair pukul 14.00 WIB.\n"
    )
    article.write_text(text, encoding="utf-8")
    result = run("--config", str(cfg), "localize", str(article), "--to", "en-US", "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    spans = [(e["kind"], e["span"], e["rendered"]) for e in doc["entities"]]
    assert spans == [
        ("money", "Rp 800 Miliar", "IDR 800 billion (about US$49.1 million)"),
        ("date", "Rabu (25/6/2025)", "Wednesday, June 25, 2025"),
        ("money", "Rp 154 triliun", "IDR 154 trillion"),
        ("money", "USD 9,6 miliar", "US$9.6 billion"),
        ("time", "14.00 WIB", "2:00 p.m. WIB (UTC+7)"),
    ]
    for e in doc["entities"]:
        assert text[e["start"] : e["end"]] == e["span"]
    assert doc["entities"][0]["value"] == {"amount": "800000000000", "currency": "IDR"}
    assert doc["rates"] == [
        "1 USD = 16,308.10 IDR on 2025-06-25 (European Central Bank euro foreign exchange reference rates, cross rate via EUR)"
    ]


def test_localize_reads_stdin() -> None:
    """'-' reads the article from stdin; the human listing shows span and rendering."""
    result = run("localize", "-", "--to", "en-GB", input="Inflasi 2,5 persen pada 25 Juni 2025.\n")
    assert result.exit_code == 0
    assert (
        "2,5 persen" in result.stdout
        and "-> 2.5%" in result.stdout
        and "25 June 2025" in result.stdout
    )


def test_rates_show(tmp_path: Path) -> None:
    """show summarizes the file; --on picks the rate used for that date."""
    cfg = rates_config(tmp_path)
    summary = run("--config", str(cfg), "rates", "show")
    assert "ecb:" in summary.stdout and "2 days, 2025-06-24 to 2025-06-25" in summary.stdout
    one = run(
        "--config", str(cfg), "rates", "show", "--on", "2025-06-29", "--pair", "USD/IDR", "--json"
    )
    assert json.loads(one.stdout)["date"] == "2025-06-25"
    none = run("--config", str(cfg), "rates", "show", "--on", "2020-01-01")
    assert none.exit_code == 2 and "no IDR/USD rate on or before 2020-01-01" in none.stderr


def test_rates_import_refuses_what_is_not_rates(tmp_path: Path) -> None:
    """A file that is not ECB data: one line, exit 1, rates file untouched."""
    bad = tmp_path / "bad.csv"
    bad.write_text("hello\n")
    result = run("rates", "import", str(bad), "--into", str(tmp_path / "r.yaml"))
    assert result.exit_code == 1 and "no 'Date' column" in result.stderr
    assert not (tmp_path / "r.yaml").exists()


def test_translate_localizes_and_cites_rates(tmp_path: Path) -> None:
    """The translated article reads amounts, dates and times the target's way and cites its rate."""
    cfg = rates_config(tmp_path)
    example = next(p for p in EXAMPLES if p.name.startswith("startup"))
    result = run(
        "--config",
        str(cfg),
        "translate",
        str(example),
        "--to",
        "en-US,en-GB",
        "--engine",
        "pseudo",
        "--out",
        str(tmp_path),
        "--now",
        NOW,
    )
    assert result.exit_code == 0, result.stderr
    us = parse_article((tmp_path / f"{example.stem}.en-US.md").read_text(encoding="utf-8"))
    gb = parse_article((tmp_path / f"{example.stem}.en-GB.md").read_text(encoding="utf-8"))
    assert "Wednesday, June 25, 2025" in us.body and "Wednesday, 25 June 2025" in gb.body
    assert "IDR 800 billion" in us.body and "US$49 million" in us.body
    assert "IDR 120 billion (about US$7.36 million)" in us.body
    assert "10:30 a.m. WIB (UTC+7)" in us.body and "10:30 WIB (UTC+7)" in gb.body
    assert us.meta["rates"].startswith("1 USD = 16,308.10 IDR on 2025-06-25")
    assert "IDR 800 billion (about US$49.1 million)" in us.meta["title"]


def test_translate_keep_policy_converts_nothing(tmp_path: Path) -> None:
    """--money keep leaves amounts in their currency and cites no rate."""
    cfg = rates_config(tmp_path)
    example = next(p for p in EXAMPLES if p.name.startswith("startup"))
    result = run(
        "--config",
        str(cfg),
        "translate",
        str(example),
        "--to",
        "en-US",
        "--engine",
        "pseudo",
        "--out",
        str(tmp_path),
        "--money",
        "keep",
        "--now",
        NOW,
    )
    assert result.exit_code == 0
    out = parse_article((tmp_path / f"{example.stem}.en-US.md").read_text(encoding="utf-8"))
    assert "about US$" not in out.text and "rates" not in out.meta


def test_seed_article_imported_and_localized(tmp_path: Path, seed_page: Path) -> None:
    """The seed page, imported then translated: its date and amounts read the English way."""
    article = tmp_path / "seed.md"
    assert run("import", str(seed_page), "--out", str(article)).exit_code == 0
    for tag, date in (("en-US", "June 25, 2025"), ("en-GB", "25 June 2025")):
        result = run("translate", str(article), "--to", tag, "--engine", "pseudo", "--now", NOW)
        assert result.exit_code == 0, result.stderr
        out = parse_article((tmp_path / f"seed.{tag}.md").read_text(encoding="utf-8"))
        assert f", {date} —" in out.body
        assert "IDR 154 trillion" in out.body and "US$9.6 billion" in out.body
        # Not entities: a model name, a bare year, a product number pass through as text.
        assert pseudo_localize("GPT-3") in out.body and " 2020," in out.body and " 365 " in out.body

"""Against a LibreTranslate server that counts: the memory makes every second run cheap."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import Result

from syndicate.engines.pseudo import pseudo_localize
from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import segment_article
from syndicate.placeholders import strip_tokens
from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run

NOW = "2025-06-25T14:00:00+07:00"


def setup(tmp_path: Path, libre: LibreTranslateServer) -> tuple[Path, list[Path]]:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"engine: libre\nengines:\n  libre:\n    url: {libre.url}\n    retries: 0\n")
    articles = []
    for example in EXAMPLES:
        copy = tmp_path / example.name
        copy.write_text(example.read_text(encoding="utf-8"), encoding="utf-8")
        articles.append(copy)
    return cfg, articles


def translate(cfg: Path, paths: list[Path], tmp_path: Path, *extra: str) -> Result:
    return run(
        "--config",
        str(cfg),
        "translate",
        *map(str, paths),
        "--to",
        "en",
        "--out",
        str(tmp_path / "out"),
        "--now",
        NOW,
        *extra,
    )


def test_second_run_sends_nothing_and_an_edit_sends_only_itself(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """Run 1 pays for the text; run 2 pays nothing; after one edit, only that paragraph."""
    cfg, articles = setup(tmp_path, libre)
    assert translate(cfg, articles, tmp_path).exit_code == 0
    first = libre.characters
    text_only = sum(
        len(strip_tokens(s.template))
        for p in articles
        for s in segment_article(parse_article(p.read_text())).segments
    )
    assert 0 < first <= text_only  # no markup, URLs, code, amounts or dates were sent

    outputs = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    assert translate(cfg, articles, tmp_path).exit_code == 0
    assert libre.characters == first  # the second run sent 0 characters
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == outputs

    target = next(p for p in articles if p.name.startswith("pelabuhan"))
    old = "Target tahun ini adalah 500.000 unit."
    new = "Target tahun ini adalah 500.000 unit, naik dari tahun lalu."
    target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    before = len(libre.requests)
    assert translate(cfg, articles, tmp_path).exit_code == 0
    sent = [q for r in libre.requests[before:] for q in r["q"]]
    assert len(sent) == 1 and "naik dari tahun lalu" in sent[0]
    assert libre.characters - first == len(sent[0])
    assert sent[0].startswith("Kementerian Perindustrian mencatat")


def test_english_quotation_is_kept_and_not_sent(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """A quotation already in English is left as it is when translating into English."""
    cfg, articles = setup(tmp_path, libre)
    startup = [p for p in articles if p.name.startswith("startup")]
    assert translate(cfg, startup, tmp_path, "--no-tm").exit_code == 0
    assert not any("We believe" in q for r in libre.requests for q in r["q"])
    out = (tmp_path / "out" / "startup-ai-jakarta-pendanaan.en.md").read_text(encoding="utf-8")
    assert '> "We believe language is the last mile of AI adoption' in out


def test_critical_finding_stops_that_output(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """An engine that adds a list item: exit 1, the output is not written, the finding is reported."""
    libre.translator = lambda text, s, t: (
        text.swapcase() + ("\n\n- tambahan" if "Kementerian" in text else "")
    )
    cfg, articles = setup(tmp_path, libre)
    patimban = [p for p in articles if p.name.startswith("pelabuhan")]
    result = translate(cfg, patimban, tmp_path, "--json", "--no-tm")
    assert result.exit_code == 1
    item = json.loads(result.stdout)["items"][0]
    assert item["status"] == "failed" and "structure-changed" in item["error"]
    assert any(
        f["code"] == "structure-changed" and f["severity"] == "critical" for f in item["findings"]
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_warnings_are_reported_and_strict_makes_them_stop(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """An untranslated paragraph: a warning and a qa line; with --strict, no output."""
    libre.translator = lambda text, s, t: (
        text if text.startswith("Kementerian") else pseudo_localize(text)
    )
    cfg, articles = setup(tmp_path, libre)
    patimban = [p for p in articles if p.name.startswith("pelabuhan")]
    result = translate(cfg, patimban, tmp_path, "--no-tm", "--money", "keep")
    assert result.exit_code == 0
    assert "syndicate: warning:" in result.stderr and "came back unchanged" in result.stderr
    out = parse_article(
        (tmp_path / "out" / "pelabuhan-patimban-ekspor.en.md").read_text(encoding="utf-8")
    )
    assert out.meta["qa"] == "passed with 1 warning: untranslated"
    (tmp_path / "out" / "pelabuhan-patimban-ekspor.en.md").unlink()
    strict = translate(cfg, patimban, tmp_path, "--no-tm", "--strict", "--money", "keep")
    assert strict.exit_code == 1 and "not written: untranslated" in strict.stderr
    assert not (tmp_path / "out" / "pelabuhan-patimban-ekspor.en.md").exists()


def test_tm_commands(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """stats counts units; export and import move them; prune forgets them."""
    cfg, articles = setup(tmp_path, libre)
    assert translate(cfg, articles[:1], tmp_path).exit_code == 0
    stats = json.loads(run("--config", str(cfg), "tm", "stats", "--json").stdout)
    units = stats["units"]
    assert units > 5 and stats["pairs"][0]["engine"] == "libre"
    assert run("--config", str(cfg), "tm", "export", str(tmp_path / "tm.tmx")).exit_code == 0
    assert run("--config", str(cfg), "tm", "prune").exit_code == 2
    assert "forgot" in run("--config", str(cfg), "tm", "prune", "--all").stderr
    assert json.loads(run("--config", str(cfg), "tm", "stats", "--json").stdout)["units"] == 0
    assert run("--config", str(cfg), "tm", "import", str(tmp_path / "tm.tmx")).exit_code == 0
    assert json.loads(run("--config", str(cfg), "tm", "stats", "--json").stdout)["units"] == units


def test_tm_match_reports_fuzzy_matches(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """After an edit, the edited paragraph is listed with its near match and score."""
    cfg, articles = setup(tmp_path, libre)
    target = next(p for p in articles if p.name.startswith("pelabuhan"))
    assert translate(cfg, [target], tmp_path).exit_code == 0
    target.write_text(
        target.read_text(encoding="utf-8").replace("Target tahun ini", "Target tahun depan"),
        encoding="utf-8",
    )
    result = run("--config", str(cfg), "tm", "match", str(target), "--to", "en", "--json")
    doc = json.loads(result.stdout)
    assert doc["to_translate"] == 1 and doc["exact"] > 5
    [row] = doc["segments"]
    assert "tahun depan" in row["segment"] and 90 < row["matches"][0]["score"] < 100

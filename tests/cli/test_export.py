"""syndicate export and partners, as scripts use them."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from syndicate.errors import ConfigError
from syndicate.syndication.partners import load_partners
from tests.helpers import EXAMPLES, ROOT, run

NOW = "2025-07-03T12:00:00Z"


@pytest.fixture
def translated(tmp_path: Path) -> list[Path]:
    (tmp_path / "config").mkdir()
    shutil.copy(ROOT / "config" / "partners.yaml", tmp_path / "config" / "partners.yaml")
    return _translate(tmp_path, "en-SG,en-US,ja-JP", tmp_path / "tr")


def test_partner_package_directory(tmp_path: Path, translated: list[Path]) -> None:
    """A partner's package: its locales and formats, and a manifest whose checksums match."""
    result = run(
        "export",
        *map(str, translated),
        "--partner",
        "asia-tech-daily",
        "--out",
        str(tmp_path / "out"),
        "--now",
        NOW,
    )
    assert result.exit_code == 0, result.stderr
    root = tmp_path / "out" / "asia-tech-daily"
    assert sorted(p.name for p in root.iterdir()) == ["en-SG", "en-US", "manifest.json"]
    assert len(list((root / "en-SG").glob("*.ninjs.json"))) == len(EXAMPLES)
    assert (root / "en-US" / "feed.atom.xml").is_file() and not (
        root / "en-US" / "feed.json"
    ).exists()
    manifest = json.loads((root / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (root / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
    assert len(manifest["articles"]) == 2 * len(EXAMPLES)


def test_zip_is_reproducible(tmp_path: Path, translated: list[Path]) -> None:
    """--zip (or delivery: zip): one archive, sorted members, fixed times, identical bytes twice."""
    for n in (1, 2):
        result = run(
            "export",
            *map(str, translated),
            "--partner",
            "tokyo-shimbun-digital",
            "--out",
            str(tmp_path / f"out{n}"),
            "--now",
            NOW,
        )
        assert result.exit_code == 0
    one = (tmp_path / "out1" / "tokyo-shimbun-digital.zip").read_bytes()
    assert one == (tmp_path / "out2" / "tokyo-shimbun-digital.zip").read_bytes()
    names = zipfile.ZipFile(tmp_path / "out1" / "tokyo-shimbun-digital.zip").namelist()
    assert names == sorted(names) and "tokyo-shimbun-digital/manifest.json" in names
    assert all(n.startswith("tokyo-shimbun-digital/") for n in names)


def test_formats_without_partner(tmp_path: Path, translated: list[Path]) -> None:
    """--format writes every language of the inputs in those formats."""
    result = run(
        "export",
        *map(str, translated),
        "--format",
        "jsonfeed,html",
        "--out",
        str(tmp_path / "o"),
        "--now",
        NOW,
        "--json",
    )
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "en-SG",
        "en-US",
        "ja-JP",
        "manifest.json",
    ]
    assert json.loads(result.stdout)["items"] == 3 * len(EXAMPLES)
    one = run("export", str(translated[0]), "--format", "ninjs", "--out", str(tmp_path / "1"))
    assert one.stderr.endswith(f"under {tmp_path / '1'} (1 article)\n"), one.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--partner", "asia-tech-dialy"],
            "unknown partner 'asia-tech-dialy'; did you mean 'asia-tech-daily'?",
        ),
        (["--format", "rss,pdf"], "unknown format 'pdf'"),
        ([], "give either --partner ID or --format"),
    ],
)
def test_usage_errors(
    tmp_path: Path, translated: list[Path], args: list[str], message: str
) -> None:
    """Wrong partner, format or options: exit 2, one line, nothing written."""
    result = run("export", str(translated[0]), *args, "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_untranslated_source_is_refused(tmp_path: Path, translated: list[Path]) -> None:
    """An original (not a translation) is refused in one line that says to translate it
    first, with the command for the partner's locales, and what a translation made
    elsewhere needs; nothing is written."""
    result = run("export", str(EXAMPLES[0]), "--format", "ninjs", "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert (
        f"{EXAMPLES[0]}: is not a translation: its front matter has no 'lang' or "
        f"'translation_of'; translate it first (syndicate translate {EXAMPLES[0]} --to LOCALE)"
        f" and export the {EXAMPLES[0].stem}.<locale>.md it writes; a translation made "
        "elsewhere needs 'lang:' and 'translation_of:'"
    ) in result.stderr
    assert not (tmp_path / "o").exists()
    result = run(
        "export", str(EXAMPLES[0]), "--partner", "asia-tech-daily", "--out", str(tmp_path / "o")
    )
    assert "--to en-SG,en-US)" in result.stderr and not (tmp_path / "o").exists()
    half = tmp_path / "half.en-US.md"
    half.write_text(translated[0].read_text("utf-8").replace("\nlang: ", "\nlanguage: "), "utf-8")
    result = run("export", str(half), "--format", "ninjs", "--out", str(tmp_path / "o"))
    assert f"{half}: front matter has no 'lang'; add 'lang:', the language it is" in result.stderr


def test_partners_list_and_show(tmp_path: Path, translated: list[Path]) -> None:
    """list gives a line per partner; show gives one partner as JSON."""
    listing = run("partners", "list")
    assert "asia-tech-daily" in listing.stdout and "tokyo-shimbun-digital" in listing.stdout
    shown = json.loads(run("partners", "show", "tokyo-shimbun-digital").stdout)
    assert shown["locales"] == ["ja-JP"] and shown["ninjs_version"] == "2.2"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("formats: [ninjs, newsml-g2, atom, markdown]", "formats: [ninjs, newsmlg2]"),
        ("    embargo: hold", "    embargoo: hold"),
        ("locales: [en-SG, en-US]", "locales: [en-SG, xx-QQ]"),
    ],
)
def test_partner_config_typos_name_the_key(tmp_path: Path, edit: str, message: str) -> None:
    """A typo in partners.yaml names the line, the partner and the key, with the likely fix."""
    path = tmp_path / "partners.yaml"
    path.write_text((ROOT / "config" / "partners.yaml").read_text().replace(edit, message))
    line = 1 + next(i for i, t in enumerate(path.read_text().splitlines()) if message.strip() in t)
    with pytest.raises(ConfigError) as info:
        load_partners(path)
    text = str(info.value)
    assert text.startswith(f"{path}:{line}: partner 'asia-tech-daily'")
    assert any(
        w in text
        for w in (
            "did you mean 'newsml-g2'",
            "did you mean 'embargo'",
            "unknown language or locale 'xx-QQ'",
        )
    )


def _translate(tmp_path: Path, to: str, out: Path | None = None) -> list[Path]:
    """The examples translated --to these locales with the pseudo engine."""
    out = out or tmp_path / f"tr-{to}"
    result = run(
        "translate",
        *map(str, EXAMPLES),
        "--to",
        to,
        "--engine",
        "pseudo",
        "--out",
        str(out),
        "--no-tm",
        "--now",
        "2025-07-01T00:00:00Z",
    )
    assert result.exit_code == 0, result.stderr
    return sorted(out.glob("*.md"))


def _export(tmp_path: Path, files: list[Path], partner: str, *extra: str):  # type: ignore[no-untyped-def]
    """export FILES --partner PARTNER into tmp_path/out at the fixed time."""
    out = ["--out", str(tmp_path / "out"), "--now", NOW]
    return run("export", *map(str, files), "--partner", partner, *out, *extra)


def test_a_partner_locale_takes_a_less_specific_translation(
    tmp_path: Path, translated: list[Path]
) -> None:
    """Translations made --to ja go to a partner's ja-JP (BCP 47 lookup), silently."""
    result = _export(tmp_path, _translate(tmp_path, "ja"), "tokyo-shimbun-digital", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["items"] == len(EXAMPLES) and result.stderr == ""
    names = zipfile.ZipFile(tmp_path / "out" / "tokyo-shimbun-digital.zip").namelist()
    assert len([n for n in names if n.startswith("tokyo-shimbun-digital/ja-JP/")]) > 3


def test_a_partner_locale_left_empty_is_a_warning(tmp_path: Path, translated: list[Path]) -> None:
    """No translation fits en-SG or en-US: each is named with what was found and wanted."""
    result = _export(tmp_path, _translate(tmp_path, "ja"), "asia-tech-daily", "--json")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"syndicate: warning: asia-tech-daily: {loc}: nothing delivered: no translation "
        f"matches {loc}: found ja; wanted {loc} (a translation into {loc} or en would do)"
        for loc in ("en-SG", "en-US")
    ]
    assert [e["locale"] for e in json.loads(result.stdout)["empty_locales"]] == ["en-SG", "en-US"]
    manifest = json.loads((tmp_path / "out" / "asia-tech-daily" / "manifest.json").read_text())
    assert len(manifest["empty_locales"]) == 2 and manifest["articles"] == []


def test_a_locale_keeps_the_name_its_user_wrote(tmp_path: Path, translated: list[Path]) -> None:
    """--to zh-CN writes *.zh-CN.md with lang: zh-CN, and a zh-CN partner's folder is zh-CN."""
    (tmp_path / "config" / "partners.yaml").write_text(
        "partners:\n  - id: beijing\n    name: Beijing Daily\n    locales: [zh-cn]\n"
        "    formats: [ninjs]\n"
    )
    files = _translate(tmp_path, "zh-CN")
    assert [f.name.split(".")[1] for f in files] == ["zh-CN"] * len(EXAMPLES)
    assert "\nlang: zh-CN\n" in files[0].read_text()
    result = run("export", *map(str, files), "--partner", "beijing", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "o" / "beijing").iterdir()) == [
        "manifest.json",
        "zh-CN",
    ]


def test_export_honours_the_partners_money_policy(tmp_path: Path, translated: list[Path]) -> None:
    """Translations made with --money keep are not what an 'append' partner takes: each is
    left out with the command that makes the right one, as batch would have made it."""
    out = tmp_path / "keep"
    args = ["--engine", "pseudo", "--out", str(out), "--no-tm", "--money", "keep"]
    assert run("translate", *map(str, EXAMPLES), "--to", "en-SG", *args).exit_code == 0
    kept = sorted(out.glob("*.md"))
    assert "\nmoney: keep\n" in kept[0].read_text()
    result = run(
        "export", *map(str, kept), "--partner", "asia-tech-daily", "--out", str(tmp_path / "o")
    )
    assert result.exit_code == 0
    assert (
        f"syndicate: warning: {kept[0]}: left out: its money policy is 'keep' and "
        "asia-tech-daily takes 'append': translate it again with --money append"
    ) in result.stderr.splitlines()
    assert "en-SG: nothing delivered" in result.stderr
    appended = [p for p in translated if ".en-SG." in p.name]
    assert "\nmoney: append\n" in appended[0].read_text()


TABLE_ARTICLE = """---
title: "Harga beras naik"
date: 2025-06-20T09:00:00+07:00
url: https://nuntianews.example/ekonomi/harga-beras-naik
---

Harga beras naik lagi[^1], menurut <https://bps.go.id>.

| Kota | Harga |
|---|---:|
| Jakarta | Rp 15.000 |

[^1]: Badan Pusat Statistik.
"""


def test_a_plain_table_keeps_its_alignment_without_a_warning(tmp_path: Path) -> None:
    """A right-aligned column stays right-aligned in the export, and nothing is reported
    as removed for partners (the article's autolink makes the policy look at all of it)."""
    source = tmp_path / "harga-beras-naik.md"
    source.write_text(TABLE_ARTICLE, encoding="utf-8")
    result = run(
        "translate", str(source), "--to", "en-US", "--engine", "pseudo", "--no-tm",
        "--out", str(tmp_path / "tr"), "--now", "2025-07-01T00:00:00Z",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    translation = str(tmp_path / "tr" / "harga-beras-naik.en-US.md")
    result = run("export", translation, "--format", "html,atom", "--out", str(tmp_path / "o"))
    assert result.exit_code == 0 and "removed" not in result.stderr, result.stderr
    page = (tmp_path / "o" / "en-US" / "harga-beras-naik.html").read_text(encoding="utf-8")
    assert page.count('style="text-align:right"') == 2
    assert '<section class="footnotes">' in page
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_bytes())
    assert manifest["sanitized"] == []

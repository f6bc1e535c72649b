"""The command line as users and scripts use it: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import markdown_structure
from syndicate.testing import LibreTranslateServer
from tests.helpers import EXAMPLES, run, syndicate_command

NOW = "2025-06-25T14:00:00+07:00"


def config_for(tmp_path: Path, server: LibreTranslateServer) -> Path:
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text(f"engines:\n  libre:\n    url: {server.url}\n    retries: 0\n")
    return cfg


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_translate_with_libre_keeps_markdown_structure(
    tmp_path: Path, libre: LibreTranslateServer, example: Path
) -> None:
    """The issue's check: translate an example through a LibreTranslate server, structure intact."""
    cfg = config_for(tmp_path, libre)
    result = run(
        "--config",
        str(cfg),
        "translate",
        str(example),
        "--to",
        "en",
        "--engine",
        "libre",
        "--out",
        str(tmp_path / "out"),
        "--now",
        NOW,
    )
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out" / f"{example.stem}.en.md"
    assert f"wrote {out}" in result.stderr
    translated = parse_article(out.read_text(encoding="utf-8"))
    source = parse_article(example.read_text(encoding="utf-8"))
    assert markdown_structure(translated.body) == markdown_structure(source.body)
    assert translated.meta["lang"] == "en"
    assert translated.meta["title"].split()[:2] == source.meta["title"].swapcase().split()[:2]
    assert translated.meta["image"]["caption"] == source.meta["image"]["caption"].swapcase()
    assert translated.meta["image"]["url"] == source.meta["image"]["url"]
    assert len(libre.requests) == 1  # the whole article in one batched request


def test_translate_many_articles_and_locales_json(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """Several articles and locales in one call; --json prints one document on stdout."""
    cfg = config_for(tmp_path, libre)
    args = [
        "--config",
        str(cfg),
        "translate",
        *map(str, EXAMPLES),
        "--to",
        "en-GB,ja",
        "--engine",
        "libre",
        "--out",
        str(tmp_path),
        "--json",
        "--now",
        NOW,
    ]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["status"] == "success" and doc["syndicate_result_version"] == "4"
    assert len(doc["items"]) == 2 * len(EXAMPLES)
    for item in doc["items"]:
        assert Path(item["outputs"][0]).is_file()
        assert item["source_lang"] == "id"
    assert {r["target"] for r in libre.requests} == {"en", "ja"}


def test_translate_to_repeated(tmp_path: Path) -> None:
    """Repeated --to options add up (click keeps only the last one unless told otherwise)."""
    out = tmp_path / "o"
    result = run(
        "translate", str(EXAMPLES[0]), "--to", "en", "--to", "ja", "--engine", "pseudo",
        "--out", str(out), "--now", NOW,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        f"{EXAMPLES[0].stem}.en.md",
        f"{EXAMPLES[0].stem}.ja.md",
    ]


def test_dry_run_sends_and_writes_nothing(tmp_path: Path, libre: LibreTranslateServer) -> None:
    """--dry-run plans the outputs without an engine call or a file."""
    cfg = config_for(tmp_path, libre)
    result = run(
        "--config",
        str(cfg),
        "translate",
        str(EXAMPLES[0]),
        "--to",
        "en",
        "--engine",
        "libre",
        "--out",
        str(tmp_path / "o"),
        "--dry-run",
        "--json",
    )
    assert result.exit_code == 0
    item = json.loads(result.stdout)["items"][0]
    assert item["status"] == "planned" and item["characters"] > 0
    assert libre.requests == []
    assert not (tmp_path / "o").exists()
    # Said as what it would do: nothing is sent in a dry run.
    lines = run("--config", str(cfg), "translate", str(EXAMPLES[0]), "--to", "en", "--dry-run")
    assert f"(would send {item['sent']} segments, {item['characters']} characters, " in (
        lines.stdout
    )
    assert "segments sent" not in lines.stdout + lines.stderr


def test_stdin_to_stdout() -> None:
    """'-' reads stdin and writes the translation on stdout."""
    text = "Pemerintah mengumumkan program baru untuk petani di seluruh Indonesia hari ini.\n"
    result = run("translate", "-", "--to", "en", "--engine", "pseudo", "--now", NOW, input=text)
    assert result.exit_code == 0, result.stderr
    assert parse_article(result.stdout).meta["lang"] == "en"


def test_no_network_default_engine_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default engine unreachable: one line saying what to do, exit 1, no output file."""
    with LibreTranslateServer() as closed:
        url = closed.url  # a port where nothing listens any more
    monkeypatch.setenv("SYNDICATE_ENGINES__GOOGLE__URL", url + "m")
    monkeypatch.setenv("SYNDICATE_ENGINES__GOOGLE__RETRIES", "0")
    article = tmp_path / "a.md"
    article.write_text(EXAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    result = run("translate", str(article), "--to", "en")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("syndicate: error: google: cannot reach")
    assert "--engine pseudo" in lines[0]
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", 1, "bad.md: is empty"),
        (b"\x00\x01\x02binary\xff", 1, "bad.md:1: is a binary file"),
        (b"Judul\n\xc3\x28 rusak\n", 1, "bad.md:2: is not UTF-8"),
        (b"---\ntitle: [rusak\n---\nIsi.\n", 1, "bad.md:2: front matter is not valid YAML"),
        (None, 2, "bad.md: no such file"),
    ],
)
@pytest.mark.parametrize("command", ["translate", "detect"])
def test_bad_input_is_one_line_without_traceback(
    tmp_path: Path, content: bytes | None, code: int, message: str, command: str
) -> None:
    """Empty, binary, invalid UTF-8, broken front matter, missing: one line, 1 or 2, no output."""
    path = tmp_path / "bad.md"
    if content is not None:
        path.write_bytes(content)
    args = [command, str(path)] + (
        ["--to", "en", "--engine", "pseudo"] if command == "translate" else []
    )
    result = run(*args)
    assert result.exit_code == code
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == (["bad.md"] if content is not None else [])


def test_one_bad_article_among_several_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """translate bad.md good.md: exit 1, each bad file one line, no output left behind."""
    (tmp_path / "kosong.md").write_bytes(b"")
    (tmp_path / "rusak.md").write_text('---\ntitle: "rusak\n---\nIsi.\n')
    out = tmp_path / "out"
    paths = [str(tmp_path / "kosong.md"), str(EXAMPLES[0]), str(tmp_path / "rusak.md")]
    result = run("translate", *paths, "--to", "en,ja", "--engine", "pseudo", "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"syndicate: error: {tmp_path / 'kosong.md'}: is empty; give an article with some text",
        f"syndicate: error: {tmp_path / 'rusak.md'}:2: front matter is not valid YAML (a quoted "
        "value starts on this line and is never closed); end it with the quote it starts "
        """with (inside '...' write a ' as '', inside "..." write a " as \\")""",
    ]
    assert result.stdout == "" and not out.exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    """Unknown locale or engine, bad --now: exit 2 with a one-line message."""
    article = EXAMPLES[0]
    for args, message in [
        (["--to", "xx-YY"], "unknown language or locale 'xx-YY'"),
        (["--to", "en", "--engine", "gogle"], "unknown engine 'gogle'"),
        (["--to", "en", "--engine", "pseudo", "--now", "yesterday"], "not an ISO 8601"),
    ]:
        result = run("translate", str(article), *args)
        assert result.exit_code == 2, result.stderr
        assert message in result.stderr
        assert result.stderr.count("\n") == 1


def test_detect_seed_is_indonesian_and_repeatable(tmp_path: Path, seed_page: Path) -> None:
    """The seed article is id with confidence >= 0.9, identical across separate processes."""
    runs = []
    for _ in range(3):
        proc = subprocess.run(
            syndicate_command("detect", "--json", str(seed_page)),
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(proc.stdout))
    assert runs[0]["lang"] == "id" and runs[0]["confidence"] >= 0.9
    assert runs[0] == runs[1] == runs[2]


def test_detect_front_matter_and_option_win() -> None:
    """A declared lang is used as is; --from overrides everything."""
    text = "---\nlang: ms\n---\nPemerintah mengumumkan kebijakan baru untuk petani di seluruh negeri.\n"
    assert run("detect", "-", input=text).stdout.startswith("ms\t1.00")
    assert run("detect", "-", "--from", "en", input=text).stdout.startswith("en\t1.00")


def test_detect_too_short_says_how_to_declare() -> None:
    """Text too short to tell: exit 1, the fix in the message."""
    result = run("detect", "-", input="Halo dunia.\n")
    assert result.exit_code == 1
    assert "too little text" in result.stderr and "--from LANG" in result.stderr


def test_import_seed(tmp_path: Path, seed_page: Path) -> None:
    """The seed page becomes an article with title, summary, date, categories and site."""
    out = tmp_path / "seed.md"
    result = run("import", str(seed_page), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    article = parse_article(out.read_text(encoding="utf-8"))
    meta = article.meta
    assert meta["title"].startswith("OpenAI dan Microsoft Perkuat Kemitraan")
    assert meta["summary"].startswith("OpenAI dan Microsoft resmi mengumumkan")
    assert str(meta["date"]) == "2025-06-25"
    assert meta["categories"] == ["AI", "Bisnis", "Kerja Sama"]
    assert meta["site"] == "NuntiaNews" and meta["reading_time"] == 2
    assert "warning" not in result.stderr
    body = article.body
    assert "## Infrastruktur AI Kelas Dunia" in body
    assert "- Penelitian AI tingkat lanjut, termasuk keamanan model" in body
    assert "Berita Lainnya" not in body and "| NuntiaNews" not in body
    assert body.lstrip().startswith("Redmond, 25 Juni 2025")


def test_import_reports_what_it_could_not_recover(tmp_path: Path) -> None:
    """A page without date, categories or site says so on stderr and still imports."""
    page = tmp_path / "p.txt"
    page.write_text(
        "Judul Berita\n\nParagraf pertama yang panjang tentang sesuatu yang terjadi di kota ini.\n"
    )
    result = run("import", str(page))
    assert result.exit_code == 0
    assert "no date line" in result.stderr and "no site name" in result.stderr
    assert (tmp_path / "p.md").is_file()


def test_config_show_redacts_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """API keys from the environment never appear in config show."""
    monkeypatch.setenv("LIBRE_KEY", "s3cr3t-value")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("engines:\n  libre:\n    url: http://x\n    api_key: {$env: LIBRE_KEY}\n")
    result = run("--config", str(cfg), "config", "show", "--sources")
    assert result.exit_code == 0
    assert "s3cr3t-value" not in result.stdout
    assert "api_key: '***'" in result.stdout
    assert f"# engines.libre.url: file:{cfg}" in result.stdout


def test_engines_lists_builtins() -> None:
    """syndicate engines shows the registered engines and the default."""
    result = run("engines")
    assert result.exit_code == 0
    assert "* google" in result.stdout and "libre" in result.stdout and "pseudo" in result.stdout


def test_python_dash_m_and_version() -> None:
    """python -m syndicate works and --version prints the version."""
    proc = subprocess.run(syndicate_command("--version"), capture_output=True, text=True)
    assert proc.returncode == 0 and "syndicate, version" in proc.stdout


def test_engine_losing_placeholders_is_reported_and_structure_kept(
    tmp_path: Path, libre: LibreTranslateServer
) -> None:
    """A server that drops markup tokens: the output keeps its structure and a warning says why."""
    import re

    libre.translator = lambda text, s, t: re.sub(r"⟦\d+⟧", "", text).upper()
    cfg = config_for(tmp_path, libre)
    example = EXAMPLES[0]
    result = run(
        "--config",
        str(cfg),
        "translate",
        str(example),
        "--to",
        "en",
        "--engine",
        "libre",
        "--out",
        str(tmp_path),
        "--now",
        NOW,
    )
    assert result.exit_code == 0
    assert "syndicate: warning:" in result.stderr and "piece by piece" in result.stderr
    out = parse_article((tmp_path / f"{example.stem}.en.md").read_text(encoding="utf-8"))
    assert markdown_structure(out.body) == markdown_structure(
        parse_article(example.read_text()).body
    )


def test_group_flags_after_the_command(tmp_path: Path) -> None:
    """-q, -v and --debug work after the command too; after `--` they are arguments."""
    args = ["translate", str(EXAMPLES[0]), "--to", "en", "--engine", "pseudo", "--out"]
    loud = run(*args, str(tmp_path / "a"), "--now", NOW)
    assert loud.exit_code == 0 and "wrote" in loud.stderr
    assert "syndicate: warning:" in loud.stderr  # no rates file: an amount not converted
    quiet = run(*args, str(tmp_path / "b"), "--now", NOW, "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""  # -q: errors only, no warnings
    debug = run("batch", str(tmp_path / "none"), "--to", "en", "--debug")
    # --debug adds the traceback; the message and the exit code are those without it.
    plain = run("batch", str(tmp_path / "none"), "--to", "en")
    assert debug.exit_code == plain.exit_code == 2
    assert "Traceback" in debug.stderr and "Traceback" not in plain.stderr
    assert debug.stderr.endswith(plain.stderr)
    literal = run("translate", "--to", "en", "--engine", "pseudo", "--", "-q")
    assert literal.exit_code == 2 and "-q: no such file" in literal.stderr


@pytest.mark.parametrize("command", ["translate", "batch"])
def test_a_wrong_from_is_one_usage_error(tmp_path: Path, command: str) -> None:
    """A typo in --from stops before any work (exit 2), instead of failing every job."""
    out = tmp_path / "out"
    result = run(
        command, str(EXAMPLES[0]), "--to", "en", "--engine", "pseudo", "--from", "klingon-xx",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 2, result.stderr
    assert "unknown language or locale 'klingon-xx'" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("batch", "x", "--to", "en", "--processes", "0"), "Invalid value for '--processes'"),
        (("translate",), "Missing argument 'PATHS...'; see 'syndicate translate --help'"),
        (("tm", "stats", "--nope"), "No such option '--nope'; see 'syndicate tm stats --help'"),
        (("--bogus", "detect"), "No such option '--bogus'"),
        (("nosuch",), "No such command 'nosuch'; see 'syndicate --help'"),
    ],
)
def test_option_mistakes_are_one_line_like_every_error(args: tuple[str, ...], said: str) -> None:
    """click's own usage errors (a value out of range, a missing argument, an unknown
    option) read like the tool's: one line, what to do, exit 2 (a user saw click's
    three-line form with `--processes 0`); a group run alone still shows its help."""
    result = subprocess.run(syndicate_command(*args), capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith(f"syndicate: error: {said}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    alone = subprocess.run(syndicate_command("tm"), capture_output=True, text=True)
    assert (alone.stdout + alone.stderr).startswith("Usage: syndicate tm [OPTIONS] COMMAND")

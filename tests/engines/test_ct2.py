"""The offline engine: Argos-shaped packages installed, routed, and run end to end."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("ctranslate2", reason="the offline extra (ctranslate2) is not installed")
pytest.importorskip("sentencepiece", reason="the offline extra (sentencepiece) is not installed")

from syndicate.cli import cli
from syndicate.engines.argos import install_model, list_models, remove_model
from syndicate.engines.ct2 import CT2Engine
from syndicate.errors import EngineError, InputError, UsageError
from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import markdown_structure
from tests.engines.tiny_model import build_argosmodel, build_package
from tests.helpers import EXAMPLES


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_argosmodel(tmp_path_factory.mktemp("tiny"))


def test_install_list_remove(tmp_path: Path, archive: Path) -> None:
    """A package installs from a file or a folder, is listed, and is removed."""
    models = tmp_path / "models"
    package = install_model(str(archive), models)
    assert (package.source, package.target, package.version) == ("id", "en", "0.0.1")
    folder = build_package(tmp_path / "src", "en", "ja")
    install_model(str(folder), models)
    assert [(p.source, p.target) for p in list_models(models)] == [("en", "ja"), ("id", "en")]
    remove_model("en_ja", models)
    assert [p.name for p in list_models(models)] == ["id_en"]
    with pytest.raises(UsageError):
        remove_model("../etc", models)


def test_unsafe_or_wrong_packages_are_refused(tmp_path: Path) -> None:
    """Zip members escaping the folder, or a zip that is not a package, are refused."""
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("pkg/../../escape.txt", "x")
    with pytest.raises(InputError, match="unsafe member name"):
        install_model(str(evil), tmp_path / "models")
    empty = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("pkg/readme.txt", "x")
    with pytest.raises(InputError, match="not an Argos Translate package"):
        install_model(str(empty), tmp_path / "models")
    assert not (tmp_path / "escape.txt").exists()


def test_engine_routes_batches_and_keeps_empty_segments(tmp_path: Path, archive: Path) -> None:
    """Direct and pivot routes, deterministic output, empty and whitespace segments kept."""
    models = tmp_path / "models"
    install_model(str(archive), models)
    engine = CT2Engine.with_settings(models=str(models))
    texts = [
        "Pemerintah mengumumkan program baru. Harga beras naik.",
        "",
        "   ",
        "Bank Indonesia menahan suku bunga.",
    ]
    first = engine.translate(texts, source="id", target="en-GB")
    assert first[1:3] == ["", "   "] and first[0] and first[3]
    assert engine.translate(texts, source="id", target="en-GB") == first
    with pytest.raises(EngineError, match="no offline model for id -> ja"):
        engine.translate(["x"], source="id", target="ja")
    install_model(str(build_package(tmp_path / "more", "en", "ja")), models)
    assert engine.translate(["Harga beras naik."], source="id", target="ja")[0]  # id -> en -> ja


def test_translate_with_the_installed_tiny_model(tmp_path: Path, archive: Path) -> None:
    """`models install` then `translate --engine ct2` on each example: completes, structure intact."""
    os.environ["SYNDICATE_ENGINES__CT2__MODELS"] = str(tmp_path / "models")
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["models", "install", str(archive)]).exit_code == 0
        assert "id_en" in runner.invoke(cli, ["models", "list"]).stdout
        article = tmp_path / "tanpa-angka.md"
        article.write_text(
            "---\ntitle: Harga Beras Naik di Jakarta\ndate: 2025-06-25\n---\n\n"
            "**Jakarta, Rabu (25/6/2025) —** Harga beras naik di pasar tradisional, kata pedagang.\n\n"
            "- Pemerintah mengumumkan program baru\n- Bank Indonesia menahan suku bunga\n\n"
            "Laporan lengkap ada di [laman kementerian](https://example.go.id/beras).\n",
            encoding="utf-8",
        )
        result = runner.invoke(
            cli,
            [
                "translate",
                str(article),
                "--to",
                "en",
                "--engine",
                "ct2",
                "--no-tm",
                "--money",
                "keep",
            ],
        )
        assert result.exit_code == 0, result.stderr
        out = parse_article((tmp_path / "tanpa-angka.en.md").read_text(encoding="utf-8"))
        assert markdown_structure(out.body) == markdown_structure(
            parse_article(article.read_text()).body
        )
        assert "https://example.go.id/beras" in out.body and "June 25, 2025" in out.body
        for source in EXAMPLES:  # the check: every example, through the tiny model
            done = runner.invoke(
                cli,
                [
                    "translate",
                    str(source),
                    "--to",
                    "en",
                    "--engine",
                    "ct2",
                    "--no-tm",
                    "--out",
                    str(tmp_path / "ex"),
                ],
            )
            assert done.exit_code == 0, done.stderr
            written = parse_article(
                (tmp_path / "ex" / f"{source.stem}.en.md").read_text(encoding="utf-8")
            )
            assert markdown_structure(written.body) == markdown_structure(
                parse_article(source.read_text()).body
            )
    finally:
        del os.environ["SYNDICATE_ENGINES__CT2__MODELS"]

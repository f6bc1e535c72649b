"""The public API: pinned, importable, and usable as the README shows."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import syndicate
from tests.helpers import EXAMPLES, NOW, ROOT


def test_all_is_pinned_and_resolves() -> None:
    """__all__ lists every export once and every name in it resolves."""
    assert len(syndicate.__all__) == len(set(syndicate.__all__))
    assert set(syndicate.__all__) == {*syndicate._EXPORTS, "__version__"}
    for name in syndicate.__all__:
        assert getattr(syndicate, name) is not None


def test_readme_snippet() -> None:
    """The library use shown in the README works end to end."""
    article = syndicate.read_article(EXAMPLES[0])
    engine = syndicate.create_engine("pseudo")
    result = syndicate.translate_article(article, target="en-GB", engine=engine, now=NOW)
    assert syndicate.parse_article(result.text).meta["lang"] == "en-GB"
    assert syndicate.markdown_structure(
        syndicate.parse_article(result.text).body
    ) == syndicate.markdown_structure(article.body)


def test_every_public_name_says_what_it_is() -> None:
    """Every exported class and function has a docstring of its own (``help(syndicate.X)``
    is useful); a dataclass's generated signature does not count."""
    missing = []
    for name in syndicate._EXPORTS:
        doc = getattr(syndicate, name).__doc__ or ""
        if not doc.strip() or doc.startswith(f"{name}("):
            missing.append(name)
    assert missing == []


def test_every_error_is_public() -> None:
    """Each class of the exception tree is reachable as ``syndicate.<Name>``."""
    import syndicate.errors as errors

    tree = [
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.SyndicateError)
    ]
    assert set(tree) <= set(syndicate.__all__)


def test_readme_batch_and_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's batch and export from Python, run in a copy of the project."""
    for folder in ("examples", "config"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "config" / "syndicate.yaml").write_text("engine: pseudo\ntm: off\n")
    (tmp_path / "nightly.yaml").write_text("sources: [examples/*.md]\nto: [en-GB]\n")
    monkeypatch.chdir(tmp_path)
    result = syndicate.run_batch(syndicate.load_plan("nightly.yaml"))
    assert result.status == "success" and len(result.outcomes) == len(EXAMPLES)

    options = syndicate.TranslateOptions(syndicate.create_engine("pseudo"))
    sources = ["examples/bank-sentral-tahan-suku-bunga.md"]
    outcomes = syndicate.translate_files(sources, ["en-SG"], options, out_dir=Path("out/t"))
    partner = syndicate.load_partners(Path("config/partners.yaml"))["asia-tech-daily"]
    articles = [syndicate.read_article(o.outputs[0]) for o in outcomes]
    package = syndicate.build_package(articles, partner=partner, formats=partner.formats, now=NOW)
    written = syndicate.deliver(package, Path("out"), as_zip=False, now=NOW)
    assert Path("out/asia-tech-daily/manifest.json") in written
    assert Path("out/asia-tech-daily/en-SG/bank-sentral-tahan-suku-bunga.md") in written

"""The public API: pinned, importable, and usable as the README shows."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import syndicate
from syndicate.errors import install_hint
from tests.helpers import NOW, ROOT, run


def test_all_is_pinned_and_resolves() -> None:
    """__all__ lists every export once and every name in it resolves."""
    assert len(syndicate.__all__) == len(set(syndicate.__all__))
    assert set(syndicate.__all__) == {*syndicate._EXPORTS, "__version__"}
    for name in syndicate.__all__:
        assert getattr(syndicate, name) is not None


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


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the checkout's examples and settings, as the current folder."""
    for folder in ("examples", "config"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)


def _python_blocks(markdown: str, section: str) -> list[str]:
    """The ```python blocks of a README section (up to the next ``## `` heading)."""
    body = markdown.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```python\n(.*?)^```$", body, flags=re.S | re.M)


def test_readme_python_snippets_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every Python snippet of the README's "Python API" section runs, unchanged and in
    order, from the top of a checkout, and gives what the commands give: glossary terms
    kept, amounts converted at the settings' rates, the settings' outlet in the feeds."""
    _project(tmp_path, monkeypatch)
    # The plan the batch snippet names (README, `syndicate batch`), on the offline engine.
    Path("nightly.yaml").write_text("sources: [examples/*.md]\nto: [en-GB]\nengine: pseudo\n")
    blocks = _python_blocks((ROOT / "README.md").read_text(encoding="utf-8"), "Python API")
    assert len(blocks) >= 4
    namespace: dict[str, object] = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    capsys.readouterr()  # what the snippets print is for the reader

    one = namespace["result"]
    assert isinstance(one, syndicate.BatchResult) and one.status == "success"
    translated = Path("out/t/bank-sentral-tahan-suku-bunga.en-SG.md").read_text()
    assert 'title: "Bank Indonesia ' in translated and "(about S$" in translated
    assert not [f for o in namespace["outcomes"] for f in o.findings]  # type: ignore[attr-defined]
    feed = Path("out/asia-tech-daily/en-SG/feed.atom.xml").read_text()
    assert "<title>NuntiaNews for Asia Tech Daily (en-SG)</title>" in feed


def test_the_api_gives_what_the_command_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same article and settings, through ``syndicate translate`` and through the two
    Python calls: the same bytes, with the glossary term kept and the amount converted."""
    _project(tmp_path, monkeypatch)
    source = "examples/bank-sentral-tahan-suku-bunga.md"
    stamp = NOW.isoformat().replace("+00:00", "Z")
    result = run(
        "translate", source, "--to", "en-US", "--engine", "pseudo", "--now", stamp, "--out", "cli"
    )
    assert result.exit_code == 0, result.output
    by_cli = Path("cli/bank-sentral-tahan-suku-bunga.en-US.md").read_bytes()

    [outcome] = syndicate.translate_files(
        [source], ["en-US"], engine="pseudo", now=NOW, out_dir=Path("api")
    )
    by_files = Path(outcome.outputs[0]).read_bytes()
    article = syndicate.read_article(source)
    by_article = syndicate.translate_article(article, target="en-US", engine="pseudo", now=NOW)

    assert by_files == by_cli
    assert by_article.text.encode() == by_cli
    text = by_cli.decode()
    assert 'title: "Bank Indonesia ' in text  # a glossary term (config/glossary.yaml), kept
    assert "IDR 10 trillion (about US$611 million)" in text  # at config/rates.yaml's rate


def test_options_built_by_hand_are_used_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Options a caller builds replace the settings entirely; an amount then says that no
    rates were loaded, not that a rates table has a gap."""
    _project(tmp_path, monkeypatch)
    options = syndicate.TranslateOptions(syndicate.create_engine("pseudo"), now=NOW)
    sources = ["examples/bank-sentral-tahan-suku-bunga.md"]
    [outcome] = syndicate.translate_files(sources, ["en-US"], options, write=False)
    assert outcome.text is not None
    assert 'title: "Bank Indonesia' not in outcome.text  # no glossary: the name translated
    missing = {f.message for f in outcome.findings if f.code == "rate-missing"}
    assert missing and all("no rates loaded: set 'rates'" in m for m in missing)
    assert not any("on or before" in m for m in missing)
    with pytest.raises(syndicate.UsageError, match="not both"):
        syndicate.translate_files(sources, ["en-US"], options, engine="pseudo")


def test_keywords_replace_what_the_settings_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A glossary, rates or an outlet given to a call win over the settings'."""
    _project(tmp_path, monkeypatch)
    article = syndicate.read_article("examples/bank-sentral-tahan-suku-bunga.md")
    plain = syndicate.translate_article(
        article,
        target="en-US",
        engine="pseudo",
        now=NOW,
        no_tm=True,
        glossary=syndicate.Glossary(),
        localize=syndicate.LocalizeOptions(),
    )
    assert 'title: "Bank Indonesia' not in plain.text and "(about US$" not in plain.text
    outlet = syndicate.Outlet(name="Other", url="https://other.example/")
    partner = syndicate.load_partners(Path("config/partners.yaml"))["asia-tech-daily"]
    translated = syndicate.parse_article(plain.text)
    package = syndicate.build_package([translated], partner=partner, now=NOW, outlet=outlet)
    feed = dict(package.files)["en-US/feed.atom.xml"].decode()
    assert "<title>Other for Asia Tech Daily (en-US)</title>" in feed


def test_install_hints_name_a_form_that_works() -> None:
    """The package is not on PyPI: no hint or README line tells a user to install an extra
    by the distribution's name, and the README's form is the hints' own."""
    texts = [ROOT / "README.md", *sorted((ROOT / "syndicate").rglob("*.py"))]
    wrong = [p.name for p in texts if "pip install 'syndicate-news[" in p.read_text()]
    assert wrong == []
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for extra in ("review", "delivery", "postgresql", "workers", "offline"):
        command = install_hint(extra).split(" (")[0]  # the hint's command, without the note
        assert command in readme, extra

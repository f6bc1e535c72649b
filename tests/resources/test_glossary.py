"""The glossary: loading, CSV import, and terms protected through translation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from syndicate.errors import ConfigError, InputError
from syndicate.markdown.article import parse_article
from syndicate.resources.glossary import Glossary, load_glossary, parse_csv
from syndicate.translation.translate import translate_article
from tests.helpers import NOW

GLOSSARY = Glossary(
    keep=("Copilot", "Microsoft", "Bank Indonesia"), translate={"en": {"Kerja Sama": "Partnership"}}
)


class TranslatingEverything:
    """An engine that 'translates' brand names too, as careless engines do."""

    name = "eager"
    max_chars = 10_000

    def __init__(self) -> None:
        self.sent: list[str] = []

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.sent.extend(texts)
        return [
            t.replace("Copilot", "Kopilot")
            .replace("Kerja Sama", "Cooperation")
            .replace("dan", "and")
            for t in texts
        ]


def test_terms_per_target() -> None:
    """Kept terms for every target; forced translations for their language and its regions."""
    assert GLOSSARY.terms("en-GB")["Kerja Sama"] == "Partnership"
    assert GLOSSARY.terms("ja") == {
        "Copilot": "Copilot",
        "Microsoft": "Microsoft",
        "Bank Indonesia": "Bank Indonesia",
    }


def test_terms_never_reach_the_engine_and_come_out_right() -> None:
    """Case-sensitive whole words are placeholders; the output has them kept or translated."""
    text = (
        "---\ntitle: Kerja Sama Microsoft dan Bank Indonesia\ndate: 2025-06-25\n---\n"
        "Microsoft dan Copilot, bukan copilot atau CopilotX, dalam Kerja Sama baru.\n"
    )
    engine = TranslatingEverything()
    result = translate_article(
        parse_article(text, path=Path("a.md")),
        target="en",
        engine=engine,
        source="id",
        glossary=GLOSSARY,
        now=NOW,
    )
    whole = re.compile(r"(?<![\w-])(Copilot|Microsoft|Kerja Sama)(?![\w-])")
    assert not any(whole.search(s) for s in engine.sent)
    assert any("CopilotX" in s for s in engine.sent)  # not a whole-word match: translated
    out = parse_article(result.text)
    assert out.meta["title"] == "Partnership Microsoft and Bank Indonesia"
    assert "Microsoft and Copilot, bukan copilot atau KopilotX, dalam Partnership baru." in out.body
    assert out.meta["qa"] == "passed"


def test_yaml_and_csv(tmp_path: Path) -> None:
    """The YAML file and a CSV of term,lang,translation give the same glossary."""
    yaml_path = tmp_path / "g.yaml"
    yaml_path.write_text("keep: [OpenAI]\ntranslate:\n  en: {Kerja Sama: Partnership}\n")
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("term,lang,translation\nOpenAI,,\nKerja Sama,en,Partnership\n")
    assert (
        load_glossary(yaml_path)
        == load_glossary(csv_path)
        == Glossary(("OpenAI",), {"en": {"Kerja Sama": "Partnership"}})
    )
    assert load_glossary(tmp_path / "missing.yaml") == Glossary()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("keep: OpenAI\n", "'keep' must be a list"),
        ("kep: [a]\n", "a glossary has the keys"),
        ("translate: {en: [a]}\n", "'translate' maps a language"),
        ("keep: [a\n", "not valid YAML"),
    ],
)
def test_bad_glossaries(tmp_path: Path, text: str, message: str) -> None:
    """A broken glossary names the file and what is wrong."""
    path = tmp_path / "g.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_glossary(path)


def test_csv_translation_without_language() -> None:
    """A forced translation needs its language; the row is named."""
    with pytest.raises(
        InputError, match=r"g.csv:2: the translation of 'Kerja Sama' needs a language"
    ):
        parse_csv("OpenAI\nKerja Sama,,Partnership\n", "g.csv")

"""Translating the right thing, and the English a reader sees around rendered entities."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from syndicate.markdown.article import parse_article
from syndicate.resources.glossary import Glossary
from syndicate.translation.translate import translate_article
from tests.helpers import NOW

INDONESIAN = (
    "Pemerintah menyiapkan anggaran untuk perbaikan jalan di daerah yang terdampak banjir "
    "karena hujan deras yang turun sejak pekan lalu, kata pejabat dinas pekerjaan umum."
)


class EchoEngine:
    """Sends every text back as it came, and records what it was sent."""

    name = "echo"
    max_chars = 10_000

    def __init__(self) -> None:
        self.sent: list[str] = []

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.sent.extend(texts)
        return list(texts)


def _article(body: str, front: str = "") -> object:
    return parse_article(f"---\ntitle: Berita\n{front}---\n\n{body}\n", path=Path("berita.md"))


def test_declared_language_contradicted_by_the_text_is_a_finding() -> None:
    """lang: en on an Indonesian article: a lang-mismatch warning, critical with --strict."""
    article = _article(INDONESIAN, "lang: en\n")
    result = translate_article(article, target="en-GB", engine=EchoEngine(), now=NOW)  # type: ignore[arg-type]
    [finding] = [f for f in result.findings if f.code == "lang-mismatch"]
    assert finding.severity == "warning" and "reads as id" in finding.message
    assert "passed with 1 warning: lang-mismatch" in result.text
    strict = translate_article(article, target="en-GB", engine=EchoEngine(), now=NOW, strict=True)  # type: ignore[arg-type]
    assert any(f.code == "lang-mismatch" and f.severity == "critical" for f in strict.findings)


def test_declared_language_that_matches_costs_no_finding() -> None:
    """lang: id on an Indonesian article: nothing to report."""
    result = translate_article(
        _article(INDONESIAN, "lang: id\n"),  # type: ignore[arg-type]
        target="en-GB",
        engine=EchoEngine(),
        now=NOW,
    )
    assert not [f for f in result.findings if f.code == "lang-mismatch"]


def test_english_quote_with_indonesian_attribution_is_translated() -> None:
    """A segment is kept as already English only if all of it is."""
    quote = (
        '> "This is a milestone for the region, and we expect the market to grow quickly," '
        "kata analis IDC, Mevira Munindra."
    )
    engine = EchoEngine()
    translate_article(
        _article(f"{INDONESIAN}\n\n{quote}"), target="en-US", engine=engine, source="id", now=NOW
    )  # type: ignore[arg-type]
    assert any("kata analis IDC" in text for text in engine.sent)
    english = '> "This is a milestone for the region, and we expect the market to grow quickly," said an IDC analyst.'
    engine = EchoEngine()
    translate_article(
        _article(f"{INDONESIAN}\n\n{english}"), target="en-US", engine=engine, source="id", now=NOW
    )  # type: ignore[arg-type]
    assert not any("milestone" in text for text in engine.sent)


def test_pukul_reaches_the_engine_and_the_period_is_not_doubled() -> None:
    """The engine sees "pukul" (so it can write "at"); "p.m." absorbs the sentence's period."""
    engine = EchoEngine()
    result = translate_article(
        _article("Rapat kabinet dimulai pukul 14.00."),  # type: ignore[arg-type]
        target="en-US",
        engine=engine,
        source="id",
        now=NOW,
    )
    assert any("pukul ⟦" in text for text in engine.sent)
    body = parse_article(result.text).body
    assert "pukul 2:00 p.m." in body and "p.m.." not in body


def test_glossary_abbreviations_absorb_the_period_too() -> None:
    """A forced translation ending in a period (Jr.) ends the sentence without a second one."""
    glossary = Glossary(translate={"en": {"Bapak Junior": "Jr."}})
    result = translate_article(
        _article("Surat itu ditandatangani oleh Bapak Junior."),  # type: ignore[arg-type]
        target="en-US",
        engine=EchoEngine(),
        source="id",
        now=NOW,
        glossary=glossary,
    )
    body = parse_article(result.text).body
    assert body.rstrip().endswith("oleh Jr.")


@pytest.mark.parametrize(
    "tag",
    ["en-US", "en-GB", "en-SG", "en-AU", "ms-MY", "ja-JP", "zh-CN", "de-DE", "nl-NL", "ar-SA"],
)
def test_pukul_is_left_to_the_engine_in_every_shipped_locale(tag: str) -> None:
    """The engine gets "pukul ⟦n⟧" to translate as its language says it ("at", "um", "に");
    the time itself is rendered without it, and without a doubled period."""
    engine = EchoEngine()
    result = translate_article(
        _article("Rapat kabinet dimulai pukul 14.00 WIB. Rapat selesai pukul 16.30."),  # type: ignore[arg-type]
        target=tag,
        engine=engine,
        source="id",
        now=NOW,
    )
    assert sum(text.count("pukul ⟦") for text in engine.sent) == 2
    body = parse_article(result.text).body
    assert ".." not in body and "14.00" not in body

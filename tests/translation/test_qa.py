"""QA: each kind of damage is caught with its severity, and a clean translation passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import segment_article
from syndicate.translation import qa

SOURCE = """---
title: OpenAI dan Microsoft Perkuat Kemitraan
---

Microsoft menambah **150** insinyur dan membuka 3 kantor baru di Jakarta tahun depan, kata juru bicara.

- Penelitian AI tingkat lanjut
- Pusat data di Batam

Copilot kini tersedia untuk 1.200 perusahaan di seluruh Indonesia sejak awal tahun ini.
"""
TERMS = {"Microsoft": "Microsoft", "Copilot": "Copilot", "OpenAI": "OpenAI"}
CLEAN = [
    "OpenAI and Microsoft Strengthen Partnership",
    "Microsoft adds ⟦1⟧150⟦2⟧ engineers and opens 3 new offices in Jakarta next year, a spokesperson said.",
    "Advanced AI research",
    "Data centre in Batam",
    "Copilot is now available to 1,200 companies across Indonesia since early this year.",
]


def run_qa(translations: list[str], *, body_edit=None) -> list[str]:  # type: ignore[no-untyped-def]
    article = parse_article(SOURCE, path=Path("a.md"))
    doc = segment_article(article)
    templates = dict(enumerate(translations))
    output = doc.reassemble(templates)
    if body_edit:
        output = body_edit(output)
    findings = qa.check(
        source=article,
        document=doc,
        translated=templates,
        output=output,
        target="en-US",
        source_lang="id",
        terms=TERMS,
    )
    return [f"{f.severity}:{f.code}" for f in findings]


def test_segments_line_up() -> None:
    """The fixture's segments are the ones the clean translation assumes."""
    doc = segment_article(parse_article(SOURCE))
    assert [s.template.split()[0] for s in doc.segments] == [
        t.split()[0] for t in ["OpenAI", "Microsoft", "Penelitian", "Pusat", "Copilot"]
    ]


def test_clean_translation_passes() -> None:
    """Nothing to report on a faithful translation."""
    assert run_qa(CLEAN) == []
    assert qa.summary([]) == "passed"


def test_dropped_placeholder_is_critical() -> None:
    """A lost markup token is critical."""
    broken = [*CLEAN]
    broken[1] = broken[1].replace("⟦2⟧", "")
    assert "critical:placeholder-lost" in run_qa(broken)


def test_changed_number_is_critical() -> None:
    """A number that changed (150 -> 160) is critical."""
    broken = [*CLEAN]
    broken[1] = broken[1].replace("3 new", "4 new")
    assert run_qa(broken) == ["critical:number-changed"]


def test_translated_brand_is_critical() -> None:
    """A do-not-translate name that the output no longer has is critical."""
    broken = [*CLEAN]
    broken[4] = broken[4].replace("Copilot", "Kopilot")
    assert run_qa(broken) == ["critical:glossary"]


def test_untranslated_paragraph_is_a_warning() -> None:
    """A paragraph sent back unchanged is a warning, not a stop."""
    broken = [*CLEAN]
    broken[4] = (
        "Copilot kini tersedia untuk 1.200 perusahaan di seluruh Indonesia sejak awal tahun ini."
    )
    findings = run_qa(broken)
    assert findings == ["warning:untranslated"]
    assert qa.summary([]) == "passed"


def test_broken_list_is_critical() -> None:
    """A list item that became a new paragraph changes the structure: critical."""
    broken = [*CLEAN]
    broken[2] = "Advanced AI"
    findings = run_qa(broken, body_edit=lambda text: text.replace("- Data centre", "\nData centre"))
    assert "critical:structure-changed" in findings


def test_odd_length_is_a_warning() -> None:
    """A translation a fifth of the source's length is suspicious."""
    broken = [*CLEAN]
    broken[4] = "Copilot: 1,200 firms."
    assert run_qa(broken) == ["warning:length-ratio"]


GFM_SOURCE = """Sudah diputuskan, tanya humas_bi@bi.go.id atau lihat www.bi.go.id/berita/_draft_/a.html menurut data[^sumber].

- [x] Sudah disetujui DPR
- [ ] Belum dibahas ~~kemarin~~

[^sumber]: Bank Indonesia.
"""


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("- [x] Sudah", "- [ẋ] Sudah"),
        ("humas_bi@bi.go.id", "ĥúɱáš_bi@bi.go.id"),
        ("/_draft_/a.html", "/_đŕáƒť_/a.html"),
        ("[^sumber].", "[^šúɱƀéŕ]."),
        ("[^sumber]:", "[^source]:"),
        ("~~kemarin~~", "~~kemarin"),
    ],
)
def test_gfm_changes_of_issue_16_are_critical(before: str, after: str) -> None:
    """A task mark, an e-mail address, a URL with `_`, a footnote label or a strikethrough
    changed in the output is a structure change, never silent."""
    article = parse_article(GFM_SOURCE, path=Path("a.md"))
    doc = segment_article(article)
    output = article.text.replace(before, after)
    assert output != article.text
    findings = qa.check(
        source=article, document=doc, translated={}, output=output, target="en", source_lang="id"
    )
    assert "structure-changed" in {f.code for f in findings if f.severity == "critical"}


def test_a_findings_json_data_is_dataclasses_asdict() -> None:
    """Reports and journal entries write ``Finding.as_dict()``: it must stay what
    ``dataclasses.asdict`` gives, a field added to Finding included."""
    import dataclasses

    from syndicate.types import Finding

    finding = Finding("critical", "number-changed", "source numbers missing: 5", "body")
    assert finding.as_dict() == dataclasses.asdict(finding)
    assert list(finding.as_dict()) == [f.name for f in dataclasses.fields(Finding)]

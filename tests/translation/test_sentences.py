"""Sentence units (a CAT tool's TMX) serve whole paragraphs; engines still get paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

from syndicate.markdown.article import parse_article
from syndicate.resources.memory import TranslationMemory
from syndicate.resources.tmx import import_tmx
from syndicate.translation.sentences import assemble, split
from syndicate.translation.translate import plan_translation, translate_article
from tests.helpers import NOW, run
from tests.translation.test_translate import RecordingEngine

TMX = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence"
 o-tmf="OmegaT TMX" adminlang="EN-US" srclang="id-ID" datatype="plaintext"/><body>
<tu><tuv xml:lang="id-ID"><seg>Harga <bpt i="1" x="1">&lt;b&gt;</bpt>beras<ept i="1">&lt;/b&gt;</ept> naik tajam.</seg></tuv>
<tuv xml:lang="en-US"><seg>The price of <bpt i="1" x="1">&lt;b&gt;</bpt>rice<ept i="1">&lt;/b&gt;</ept> rose sharply.</seg></tuv></tu>
<tu><tuv xml:lang="id-ID"><seg>Menurut Dr. Sri, inflasi <bpt i="1">&lt;i&gt;</bpt>stabil<ept i="1">&lt;/i&gt;</ept>.</seg></tuv>
<tuv xml:lang="en-US"><seg>According to Dr. Sri, inflation is <bpt i="1">&lt;i&gt;</bpt>stable<ept i="1">&lt;/i&gt;</ept>.</seg></tuv></tu>
</body></tmx>"""
PARAGRAPH = "Harga **beras** naik tajam. Menurut Dr. Sri, inflasi *stabil*.\n"


def memory(tmp_path: Path) -> TranslationMemory:
    tm = TranslationMemory(tmp_path / "tm.sqlite3")
    import_tmx(tm, tmp_path / "cat.tmx", TMX)
    return tm


def test_split_renumbers_each_sentences_placeholders_from_one() -> None:
    """A sentence is looked up as the CAT tool stored it: its codes numbered from 1."""
    parts = split("Harga ⟦1⟧beras⟦2⟧ naik. Menurut Dr. Sri, inflasi ⟦3⟧stabil⟦4⟧.", "id")
    assert [(p.template, p.numbers) for p in parts] == [
        ("Harga ⟦1⟧beras⟦2⟧ naik.", (1, 2)),
        ("Menurut Dr. Sri, inflasi ⟦1⟧stabil⟦2⟧.", (3, 4)),
    ]
    assert split("Satu kalimat saja.", "id") == ()
    hits = {"Harga ⟦1⟧beras⟦2⟧ naik.": "Rice ⟦1⟧up⟦2⟧."}
    assert assemble(parts, hits) is None  # one sentence unknown
    hits["Menurut Dr. Sri, inflasi ⟦1⟧stabil⟦2⟧."] = "Stable ⟦1⟧x⟦2⟧."
    assert assemble(parts, hits) == "Rice ⟦1⟧up⟦2⟧. Stable ⟦3⟧x⟦4⟧."
    assert assemble(parts, {**hits, "Harga ⟦1⟧beras⟦2⟧ naik.": "Rice ⟦7⟧."}) is None


def test_a_paragraph_of_known_sentences_is_assembled_not_sent(tmp_path: Path) -> None:
    """Both sentences of the paragraph are CAT-tool units: nothing goes to the engine, and
    the bold and italic words come out where the translator put them."""
    engine = RecordingEngine()
    with memory(tmp_path) as tm:
        article = parse_article(PARAGRAPH)
        plan = plan_translation(article, target="en", source="id", memory=tm, engine_name="pseudo")
        assert dict(plan.assembled) == {plan.document.segments[0].template: 2}
        result = translate_article(
            article, target="en", source="id", engine=engine, memory=tm, now=NOW
        )
    assert engine.calls == []
    assert (
        "The price of **rice** rose sharply. According to Dr. Sri, inflation is *stable*."
        in result.text
    )


def test_a_paragraph_with_an_unknown_sentence_goes_whole_to_the_engine(tmp_path: Path) -> None:
    """Engines get whole paragraphs: one unknown sentence sends the paragraph, not a piece."""
    engine = RecordingEngine()
    text = "Harga **beras** naik tajam. Ekspor turun tajam.\n"
    with memory(tmp_path) as tm:
        translate_article(
            parse_article(text), target="en", source="id", engine=engine, memory=tm, now=NOW
        )
    assert engine.calls == [["Harga ⟦1⟧beras⟦2⟧ naik tajam. Ekspor turun tajam."]]


def test_tm_match_shows_sentence_hits(tmp_path: Path) -> None:
    """`tm match` says which sentences of a paragraph the memory knows, and what it assembles."""
    cfg = tmp_path / "syndicate.yaml"
    cfg.write_text(f"engine: pseudo\ntm: {tmp_path / 'tm.sqlite3'}\n", encoding="utf-8")
    (tmp_path / "cat.tmx").write_bytes(TMX)
    assert run("--config", str(cfg), "tm", "import", str(tmp_path / "cat.tmx")).exit_code == 0
    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: Harga\nlang: id\n---\n"
        + PARAGRAPH
        + "\nHarga **beras** naik tajam. Ekspor turun tajam.\n",
        encoding="utf-8",
    )
    result = run("--config", str(cfg), "tm", "match", str(article), "--to", "en", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["assembled_from_sentences"] == 1
    (row,) = [r for r in report["segments"] if r["segment"].startswith("Harga ⟦1⟧")]
    assert row["sentences"] == [
        {
            "source": "Harga ⟦1⟧beras⟦2⟧ naik tajam.",
            "target": "The price of ⟦1⟧rice⟦2⟧ rose sharply.",
        },
        {"source": "Ekspor turun tajam.", "target": None},
    ]
    text = run("--config", str(cfg), "tm", "match", str(article), "--to", "en").stdout
    assert "(1 assembled from sentences)" in text and "sentences known: 1 of 2" in text


def test_cat_units_with_numbers_match_the_paragraph_as_written(tmp_path: Path) -> None:
    """A CAT tool's units keep numbers as text (`naik 5,2 persen`) where syndicate protects
    them: the paragraph is looked up as the article writes it, whole or by sentence, and QA
    still checks its numbers."""
    units = (
        "<tu><tuv xml:lang='id-ID'><seg>Harga <bpt i='1'>&lt;b&gt;</bpt>beras<ept i='1'>&lt;/b&gt;</ept> naik 5,2 persen.</seg></tuv>"
        "<tuv xml:lang='en-US'><seg>The price of <bpt i='1'>&lt;b&gt;</bpt>rice<ept i='1'>&lt;/b&gt;</ept> rose 5.2 percent.</seg></tuv></tu>"
        "<tu><tuv xml:lang='id-ID'><seg>Ekspor turun 3 persen.</seg></tuv>"
        "<tuv xml:lang='en-US'><seg>Exports fell 3 percent.</seg></tuv></tu>"
    )
    tmx = TMX.replace(TMX[TMX.index(b"<tu>") : TMX.rindex(b"</tu>") + 5], units.encode())
    engine = RecordingEngine()
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        import_tmx(tm, tmp_path / "cat.tmx", tmx)
        text = "Harga **beras** naik 5,2 persen.\n\nHarga **beras** naik 5,2 persen. Ekspor turun 3 persen.\n"
        result = translate_article(
            parse_article(text), target="en", source="id", engine=engine, memory=tm, now=NOW
        )
    assert engine.calls == []
    assert "The price of **rice** rose 5.2 percent.\n\n" in result.text
    assert "The price of **rice** rose 5.2 percent. Exports fell 3 percent." in result.text
    assert not [f for f in result.findings if f.severity == "critical"]


def test_a_unit_that_breaks_the_glossary_is_not_used(tmp_path: Path) -> None:
    """Found on a fresh checkout: a unit stored for the segment as the article writes it
    (by a CAT tool, or by a run without the glossary) was used though it translated a term
    the glossary keeps, and QA refused the output on every run; it is sent instead."""
    from syndicate.resources.glossary import Glossary

    text = "Gedung Bank Indonesia di Jalan MH Thamrin, Jakarta Pusat.\n"
    engine = RecordingEngine()
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        tm.store(
            {"Gedung Bank Indonesia di Jalan MH Thamrin, Jakarta Pusat.": "The Indonesian bank "
             "building on Jalan MH Thamrin, Central Jakarta."},
            engine="recording", source_lang="id", target_lang="en",
        )  # fmt: skip
        result = translate_article(
            parse_article(text), target="en", source="id", engine=engine, memory=tm, now=NOW,
            glossary=Glossary(keep=("Bank Indonesia",)),
        )  # fmt: skip
    assert engine.calls == [["Gedung ⟦1⟧ di Jalan MH Thamrin, Jakarta Pusat."]]
    assert "Bank Indonesia" in result.text
    assert not [f for f in result.findings if f.severity == "critical"]

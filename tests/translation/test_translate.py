"""The translation pipeline for one article and one locale, with engines written as fakes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from syndicate.engines.pseudo import PseudoEngine, pseudo_localize
from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import markdown_structure
from syndicate.resources.memory import TranslationMemory
from syndicate.translation.translate import plan_translation, translate_article
from tests.helpers import NOW

ARTICLE = """---
title: Harga Beras Naik
slug: harga-beras
---

Harga **beras** naik di [pasar](https://pasar.example) hari ini, kata pedagang di Jakarta.

```
kode tidak diterjemahkan
```

Harga **beras** naik di [pasar](https://pasar.example) hari ini, kata pedagang di Jakarta.
"""


class RecordingEngine:
    """Uppercases text and records what it was sent."""

    name = "recording"
    max_chars = 10_000

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.calls.append(list(texts))
        return [t.upper() for t in texts]


class DroppingEngine(RecordingEngine):
    """Loses every placeholder, as a careless engine does."""

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.calls.append(list(texts))
        import re

        return [re.sub(r"⟦\d+⟧", "", t).upper() for t in texts]


def article(text: str = ARTICLE, name: str = "harga.md"):  # type: ignore[no-untyped-def]
    return parse_article(text, path=Path(name))


def test_translation_keeps_structure_and_adds_provenance() -> None:
    """The body is translated around its markup; code stays; provenance is in front matter."""
    engine = RecordingEngine()
    result = translate_article(article(), target="en-GB", engine=engine, source="id", now=NOW)
    out = parse_article(result.text)
    assert out.meta["title"] == "HARGA BERAS NAIK"
    assert out.meta["slug"] == "harga-beras"
    assert out.meta["lang"] == "en-GB"
    assert out.meta["source_lang"] == "id"
    assert out.meta["translation_of"] == "harga.md"
    assert out.meta["engine"] == "recording"
    assert out.meta["translated_at"] == "2025-06-25T07:00:00Z"
    assert "HARGA **BERAS** NAIK DI [PASAR](https://pasar.example)" in out.body
    assert "kode tidak diterjemahkan" in out.body
    assert markdown_structure(out.body) == markdown_structure(article().body)


def test_identical_segments_are_sent_once() -> None:
    """A paragraph repeated in the article costs one translation."""
    engine = RecordingEngine()
    result = translate_article(article(), target="en", engine=engine, source="id", now=NOW)
    assert len(engine.calls) == 1
    assert len(engine.calls[0]) == 2  # the title and the paragraph, once
    assert result.segments == 3 and result.sent == 2


def test_lost_placeholders_fall_back_to_piecewise_translation() -> None:
    """An engine that drops markup is retried, then the text between markup is sent alone."""
    engine = DroppingEngine()
    result = translate_article(article(), target="en", engine=engine, source="id", now=NOW)
    out = parse_article(result.text)
    assert markdown_structure(out.body) == markdown_structure(article().body)
    assert "HARGA **BERAS** NAIK DI [PASAR](https://pasar.example) HARI INI" in out.body
    assert [f.code for f in result.findings] == ["placeholders-lost"]
    assert len(engine.calls) == 3  # the batch, the retry, the pieces


def test_a_piecewise_translation_is_not_kept_in_the_memory(tmp_path: Path) -> None:
    """The stopgap is not reused silently: the next run asks again and warns again."""
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    for _ in range(2):
        engine = DroppingEngine()
        result = translate_article(
            article(), target="en", engine=engine, source="id", now=NOW, memory=memory
        )
        assert [f.code for f in result.findings] == ["placeholders-lost"]
        sent = [t for call in engine.calls for t in call]
        assert any("⟦" in t for t in sent)  # the segment with markup went to the engine again
    assert memory.stats()["units"] >= 1  # segments without markup were kept
    memory.close()


def test_same_language_sends_nothing() -> None:
    """An English article translated to en-GB is written with provenance and no engine call."""
    text = (
        "The central bank held its rate steady on Wednesday, citing global risks to the currency.\n"
    )
    engine = RecordingEngine()
    result = translate_article(article(text, "a.md"), target="en-GB", engine=engine, now=NOW)
    assert engine.calls == []
    assert result.text.endswith(text)
    assert parse_article(result.text).meta["source_lang"] == "en"


def test_article_with_nothing_to_translate_keeps_its_body() -> None:
    """Only code and numbers: nothing is sent and the body is unchanged."""
    text = "```\nx = 1\n```\n\n2025\n"
    engine = RecordingEngine()
    result = translate_article(
        article(text, "a.md"), target="en", engine=engine, source="id", now=NOW
    )
    assert engine.calls == []
    assert parse_article(result.text).body == text


def test_front_matter_lang_is_replaced_not_duplicated() -> None:
    """An existing lang key is updated in place."""
    text = "---\nlang: id\ntitle: Judul berita yang cukup panjang\n---\nIsi berita.\n"
    result = translate_article(article(text), target="ja", engine=PseudoEngine(), now=NOW)
    assert result.text.count("lang:") == 2  # lang and source_lang
    meta = parse_article(result.text).meta
    assert meta["lang"] == "ja" and meta["title"] == pseudo_localize(
        "Judul berita yang cukup panjang"
    )


def test_plan_counts_what_would_be_sent() -> None:
    """A dry run knows segments and characters without an engine."""
    plan = plan_translation(article(), target="en", source="id")
    assert len(plan.unique) == 2
    assert plan.characters == sum(len(t) for t in plan.unique)


class InventingEngine(RecordingEngine):
    """Drops the tokens it was given and invents others, as a broken model does."""

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        self.calls.append(list(texts))
        import re

        return [re.sub(r"⟦\d+⟧", "", t).upper() + " ⟦23⟧" for t in texts]


def test_invented_tokens_never_reach_the_output() -> None:
    """Tokens an engine makes up are not taken for markup: the output stays well-formed."""
    result = translate_article(
        article(), target="en", engine=InventingEngine(), source="id", now=NOW
    )
    out = parse_article(result.text)
    assert "⟦" not in result.text
    assert markdown_structure(out.body) == markdown_structure(article().body)


def test_indonesian_numbers_are_protected_and_written_the_targets_way() -> None:
    """The engine never sees 1.200 or 6,4; English readers get 1,200 and 6.4; codes stay."""
    text = "Sebanyak 1.200 perusahaan tumbuh 6,4 kali sejak 2020 berkat GPT-4 dan FR0026.\n"
    engine = RecordingEngine()
    result = translate_article(
        article(text, "a.md"), target="en", engine=engine, source="id", now=NOW
    )
    assert not any(d in s for s in engine.calls[0] for d in ("1.200", "6,4", "2020"))
    body = parse_article(result.text).body
    assert (
        "1,200" in body
        and "6.4" in body
        and "2020" in body
        and "GPT-4" in body
        and "FR0026" in body
    )


def test_locales_that_write_the_numbers_alike_share_one_numbered_document() -> None:
    """An article planned for several locales protects its numbers once per way of writing
    them: en-GB and ja write 1.200 and 6,4 alike and share the result; de writes them as
    the article does and gets its own; each is what protecting for that locale alone
    gives, glossary terms included."""
    from syndicate.resources.glossary import Glossary
    from syndicate.translation.protect import with_numbers
    from syndicate.translation.translate import analyse

    article = parse_article(
        "Produksi naik 1.200 ton atau rata-rata 6,4 kali lipat pada 2024, kata Kementerian "
        "Pertanian di Jakarta, Rabu.\n\nHarga beras 12.500 per kilogram di pasar induk.\n",
        path=Path("angka.md"),
    )
    analysis = analyse(article, source="id")
    plans = {t: plan_translation(analysis, target=t) for t in ("en-GB", "ja", "de")}
    assert plans["en-GB"].document is plans["ja"].document
    assert plans["de"].document is not plans["en-GB"].document
    for target, plan in plans.items():
        assert plan.document == with_numbers(analysis.document, target)
    for target, expected in (("de", ("1.200", "6,4")), ("ja", ("1,200", "6.4"))):
        segments = plans[target].document.segments
        written = {p.source: p.replacement for s in segments for p in s.placeholders}
        assert (written["1.200"], written["6,4"]) == expected
    glossary = Glossary(translate={"en": {"beras": "rice"}})
    termed = plan_translation(analysis, target="en-GB", glossary=glossary)
    assert termed.document is not plans["en-GB"].document
    assert any(p.replacement == "rice" for s in termed.document.segments for p in s.placeholders)
    assert plan_translation(analysis, target="ja").document is plans["ja"].document


def test_an_analysis_copied_with_another_document_does_not_take_the_first_ones_numbers() -> None:
    """dataclasses.replace copies what an analysis was given, not what it remembered."""
    import dataclasses

    from syndicate.translation.protect import with_numbers
    from syndicate.translation.translate import analyse

    first = analyse(
        parse_article("Harga beras naik di pasar induk Jakarta, kata pedagang.\n"), source="id"
    )
    other = analyse(
        parse_article("Harga cabai turun di pasar Bandung pagi ini, kata petani.\n"), source="id"
    )
    plan_translation(first, target="en")  # remembers its (numberless) document
    copy = dataclasses.replace(
        first, article=other.article, plain=other.plain, document=other.document
    )
    assert plan_translation(copy, target="en").document == with_numbers(other.document, "en")


def test_each_segments_text_is_as_written_without_a_front_matter_values_quotes() -> None:
    """``Translation.texts``: each translated segment with its markup back, as the output
    has it; a front matter value without the YAML quotes around it."""
    result = translate_article(
        article(), target="en", engine=RecordingEngine(), source="id", now=NOW
    )
    title = result.texts[0]
    assert title == "HARGA BERAS NAIK" and f'title: "{title}"' in result.text
    body = [t for t in result.texts.values() if "**" in t]
    assert body and all(t in result.text for t in body)
    assert "[PASAR](https://pasar.example)" in body[0]

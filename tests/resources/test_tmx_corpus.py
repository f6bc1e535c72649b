"""TMX written by other tools (OmegaT's and Okapi's tests, the LISA TMX Compliance Kit,
Translate Toolkit's API): every file imports, exports valid TMX 1.4b, and re-imports
identically."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.engines.pseudo import PseudoEngine
from syndicate.markdown.article import parse_article
from syndicate.resources.memory import TranslationMemory, Unit
from syndicate.resources.tmx import export_tmx, import_tmx, parse_tmx
from syndicate.translation.translate import translate_article
from tests.helpers import NOW

DATA = Path(__file__).resolve().parents[1] / "data" / "tmx"
THIRD_PARTY = [
    p for tool in ("omegat", "lisa", "okapi") for p in sorted((DATA / tool).glob("*.tmx"))
]


def translate_toolkit_files(folder: Path) -> list[Path]:
    """TMX as Translate Toolkit writes it (its `translate.storage.tmx` API, as po2tmx uses it):
    a DOCTYPE line, notes, several targets, inline codes, and the same file in UTF-16."""
    from lxml import etree
    from translate.storage import tmx

    store = tmx.tmxfile(sourcelanguage="id-ID", targetlanguage="en-US")
    store.addtranslation(
        "Harga beras naik.", "id-ID", "The price of rice rose.", "en-US", comment="Desk note"
    )
    store.addtranslation("Harga beras naik.", "id-ID", "米の価格が上がった。", "ja-JP")
    store.addtranslation("Selamat pagi.", "id-ID", "Good morning.", "en-US")
    unit = store.addsourceunit("Harga")
    unit.set_source_dom(
        etree.fromstring(
            '<tuv xml:lang="id-ID"><seg>Harga <bpt i="1">&lt;b&gt;</bpt>cabai'
            '<ept i="1">&lt;/b&gt;</ept> turun di <ph>&lt;img src="pasar.png"&gt;</ph>.</seg></tuv>'
        )
    )
    unit.xmlelement.append(
        etree.fromstring(
            '<tuv xml:lang="en-US"><seg>The price of <bpt i="1">&lt;b&gt;</bpt>chili'
            '<ept i="1">&lt;/b&gt;</ept> fell at <ph>&lt;img src="pasar.png"&gt;</ph>.</seg></tuv>'
        )
    )
    utf8 = folder / "translate-toolkit.tmx"
    utf8.write_bytes(bytes(store))
    utf16 = folder / "translate-toolkit-utf16.tmx"
    text = utf8.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    utf16.write_bytes(text.encode("utf-16"))
    return [utf8, utf16]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return THIRD_PARTY + translate_toolkit_files(tmp_path_factory.mktemp("ttk"))


def units(tm: TranslationMemory) -> list[Unit]:
    return sorted(tm.units(), key=lambda u: (u.source_lang, u.target_lang, u.source))


def test_every_file_imports(corpus: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    """All files of the corpus import; units that cannot be read are counted, not fatal."""
    read = stored = skipped = codes = 0
    for path in corpus:
        tmx = parse_tmx(path, path.read_bytes())
        read += tmx.read
        stored += len(tmx.units)
        skipped += len(tmx.skipped)
        codes += sum("⟦" in u.source for u in tmx.units)
    with capsys.disabled():
        print(
            f"\nTMX corpus: {len(corpus)} files ({len(THIRD_PARTY)} from OmegaT, Okapi and the LISA kit, "
            f"2 written by Translate Toolkit): {read} <tu>, {stored} units stored "
            f"({codes} with inline codes), {skipped} <tu> skipped"
        )
    assert len(THIRD_PARTY) == 74
    assert stored > 600 and codes > 40
    assert skipped == 1  # Okapi's potest.po.normal.tmx: a target with a code its source lacks


def test_export_is_valid_tmx14_and_reimports_identically(
    corpus: list[Path], tmp_path: Path
) -> None:
    """Each file, imported, exported and imported again, gives the same memory, and the
    export validates against the TMX 1.4b DTD."""
    from lxml import etree

    dtd = etree.DTD(str(DATA / "dtd" / "tmx14.dtd"))
    for n, path in enumerate(corpus):
        with TranslationMemory(tmp_path / f"a{n}.sqlite3") as a:
            import_tmx(a, path, path.read_bytes())
            out = tmp_path / f"out{n}.tmx"
            export_tmx(a, out)
            doc = etree.parse(str(out))
            assert dtd.validate(doc), (path.name, dtd.error_log.filter_from_errors())
            with TranslationMemory(tmp_path / f"b{n}.sqlite3") as b:
                import_tmx(b, out, out.read_bytes())
                assert units(b) == units(a), path.name


def test_native_code_stays_out_of_the_text_and_comes_back_on_export(
    corpus: list[Path], tmp_path: Path
) -> None:
    """`<ph>&lt;img …&gt;</ph>` and `<bpt>&lt;b&gt;</bpt>` become placeholders; the export
    writes the native code back."""
    path = next(p for p in corpus if p.name == "translate-toolkit.tmx")
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        import_tmx(tm, path, path.read_bytes())
        found = {u.source: u.target for u in tm.units()}
        assert found["Harga ⟦1⟧cabai⟦2⟧ turun di ⟦3⟧."] == "The price of ⟦1⟧chili⟦2⟧ fell at ⟦3⟧."
        assert not any("img" in text for pair in found.items() for text in pair)
        export_tmx(tm, tmp_path / "out.tmx")
        written = (tmp_path / "out.tmx").read_text(encoding="utf-8")
        assert '<ph>&lt;img src="pasar.png"&gt;</ph>' in written
        assert '<bpt i="1">&lt;b&gt;</bpt>chili<ept i="1">&lt;/b&gt;</ept>' in written


def test_a_bold_word_in_a_cat_tool_unit_is_used_by_translate(
    corpus: list[Path], tmp_path: Path
) -> None:
    """A human translation with paired codes matches the segment of `Harga **cabai** turun
    di <img src="pasar.png">.` and is used instead of the engine."""
    path = next(p for p in corpus if p.name == "translate-toolkit-utf16.tmx")
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        import_tmx(tm, path, path.read_bytes())
        article = parse_article('Harga **cabai** turun di <img src="pasar.png">.\n')
        result = translate_article(
            article, target="en", source="id", engine=PseudoEngine(), memory=tm, now=NOW
        )
    assert result.sent == 0
    assert 'The price of **chili** fell at <img src="pasar.png">.' in result.text

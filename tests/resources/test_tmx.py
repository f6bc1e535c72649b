"""TMX 1.4b: our export imports back to the same memory; another tool's file imports too."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.errors import InputError
from syndicate.resources.memory import HUMAN, TranslationMemory
from syndicate.resources.tmx import export_tmx, import_tmx, parse_tmx
from tests.helpers import run

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "newsroom.tmx"


def content(tm: TranslationMemory) -> list[tuple[str, str, str, str, str, str]]:
    return sorted(
        (u.engine, u.source_lang, u.target_lang, u.source, u.target, u.created) for u in tm.units()
    )


def test_export_then_import_gives_the_same_memory(tmp_path: Path) -> None:
    """Units, languages, engines, dates and placeholders survive the round trip."""
    with TranslationMemory(tmp_path / "a.sqlite3") as a:
        a.store(
            {"Harga ⟦1⟧beras⟦2⟧ naik & turun <3>.": "Price of ⟦1⟧rice⟦2⟧ up & down <3>."},
            engine="libre",
            source_lang="id",
            target_lang="en-GB",
            created="2025-06-25T07:00:00+00:00",
        )
        a.store(
            {"Selamat pagi": "おはよう"},
            engine=HUMAN,
            source_lang="id",
            target_lang="ja",
            created="2025-06-24T07:00:00+00:00",
        )
        assert export_tmx(a, tmp_path / "out.tmx") == 2
        text = (tmp_path / "out.tmx").read_text(encoding="utf-8")
        assert '<ph x="1"/>' in text and 'version="1.4"' in text and "&amp; down &lt;3&gt;" in text
        with TranslationMemory(tmp_path / "b.sqlite3") as b:
            assert import_tmx(b, tmp_path / "out.tmx", (tmp_path / "out.tmx").read_bytes()) == 2
            assert content(b) == content(a)


def test_another_tools_tmx_imports(tmp_path: Path) -> None:
    """A hand-written TMX with several targets, paired codes and highlighting imports."""
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        assert import_tmx(tm, FIXTURE, FIXTURE.read_bytes()) == 4
        units = {(u.target_lang, u.source): u.target for u in tm.units()}
        assert units[("en-US", "Berita ini diterjemahkan dari bahasa Indonesia.")].startswith(
            "This story"
        )
        assert ("ja-JP", "Berita ini diterjemahkan dari bahasa Indonesia.") in units
        assert (
            units[("en-US", "Harga ⟦1⟧beras⟦2⟧ naik di ⟦3⟧.")]
            == "The price of ⟦1⟧rice⟦2⟧ rose at ⟦3⟧."
        )
        assert units[("en-US", "Menurut Menteri Keuangan, defisit aman.")].startswith(
            "According to the Finance"
        )
        assert {u.engine for u in tm.units()} == {HUMAN}
        assert {u.source_lang for u in tm.units()} == {"id-ID"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tmx version="1.4"><body/></tmx>',
            "declares a DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><tmx/>',
            "declares a DTD",
        ),
        (b"<notes><x/></notes>", "is not TMX"),
        (b"<tmx><body><tu>", "is not valid XML"),
    ],
)
def test_hostile_or_broken_files_are_refused(tmp_path: Path, data: bytes, message: str) -> None:
    """External entities, entity expansion and broken XML are refused; nothing is stored."""
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        with pytest.raises(InputError, match=message):
            import_tmx(tm, tmp_path / "x.tmx", data)
        assert tm.stats()["units"] == 0


def test_a_large_tmx_imports_in_bulk(tmp_path: Path, store: str) -> None:
    """1,200 units import into either store (COPY on PostgreSQL) equal to the exported
    memory, and PostgreSQL's planner statistics are refreshed after the load."""
    with TranslationMemory(tmp_path / "a.sqlite3") as a:
        a.store(
            {f"Kalimat ⟦1⟧nomor⟦2⟧ {i}.": f"Sentence ⟦1⟧number⟦2⟧ {i}." for i in range(1200)},
            engine=HUMAN,
            source_lang="id",
            target_lang="en",
            created="2025-06-25T07:00:00+00:00",
        )
        export_tmx(a, tmp_path / "big.tmx")
        with TranslationMemory(store) as b:
            data = (tmp_path / "big.tmx").read_bytes()
            assert import_tmx(b, tmp_path / "big.tmx", data) == 1200
            assert content(b) == content(a)
    if store.startswith("postgresql:"):
        import psycopg

        with psycopg.connect(store) as db:
            [(rows,)] = db.execute("SELECT reltuples FROM pg_class WHERE oid = 'tu'::regclass")
        assert rows == 1200  # ANALYZE ran: before it, PostgreSQL counts -1


def _tmx(body: str, *, doctype: str = "", srclang: str = "id-ID", version: str = "1.4") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<tmx version="{version}">'
        f'<header creationtool="CAT" creationtoolversion="1" segtype="sentence" o-tmf="cat" '
        f'adminlang="en" srclang="{srclang}" datatype="plaintext"/><body>{body}</body></tmx>'
    ).encode()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n',
        '<!DOCTYPE tmx SYSTEM "tmx11.dtd">\n',
        '<!DOCTYPE tmx PUBLIC "-//LISA OSCAR:1998//DTD for Translation Memory eXchange//EN" "tmx14.dtd">\n',
        '<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/never.dtd">\n',
    ],
)
def test_an_external_doctype_is_accepted_and_never_loaded(tmp_path: Path, doctype: str) -> None:
    """What Translate Toolkit and OmegaT write on every file imports (the DTD is not read)."""
    unit = '<tu><tuv xml:lang="id-ID"><seg>Halo</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>'
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        assert import_tmx(tm, tmp_path / "x.tmx", _tmx(unit, doctype=doctype)) == 1


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ATTLIST tu tuid CDATA "injected">]>\n',
        "<!DOCTYPE tmx [<!ELEMENT tmx ANY>]>\n",
    ],
)
def test_an_internal_subset_is_refused(tmp_path: Path, doctype: str) -> None:
    """Attribute defaults or declarations in the file itself are refused like entities."""
    with (
        TranslationMemory(tmp_path / "tm.sqlite3") as tm,
        pytest.raises(InputError, match="DTD subset"),
    ):
        import_tmx(tm, tmp_path / "x.tmx", _tmx("", doctype=doctype))


def test_utf16_tmx11_with_lang_attributes_imports(tmp_path: Path) -> None:
    """TMX 1.1 (`lang`, not `xml:lang`) in UTF-16 with a BOM imports."""
    unit = (
        '<tu><tuv lang="ID-ID"><seg>Halo</seg></tuv><tuv lang="EN-us"><seg>Hello</seg></tuv></tu>'
    )
    data = _tmx(unit, version="1.1").decode().replace('"UTF-8"', '"UTF-16"').encode("utf-16")
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        assert import_tmx(tm, tmp_path / "x.tmx", data) == 1
        (u,) = tm.units()
        assert (u.source_lang, u.target_lang, u.source, u.target) == (
            "id-ID",
            "en-US",
            "Halo",
            "Hello",
        )


def test_codes_pair_by_i_and_match_by_x_then_position(tmp_path: Path) -> None:
    """Source codes are numbered in order (a pair takes two numbers); the target's follow
    `x`, then position, an <ept> its <bpt> by `i`."""
    unit = (
        '<tu><tuv xml:lang="id-ID"><seg><bpt i="1" x="1">&lt;b&gt;</bpt>Harga<ept i="1">&lt;/b&gt;</ept> '
        '<bpt i="2" x="2">&lt;i&gt;</bpt>beras<ept i="2">&lt;/i&gt;</ept> <ph>&lt;br/&gt;</ph></seg></tuv>'
        '<tuv xml:lang="en"><seg><bpt i="7" x="2">&lt;i&gt;</bpt>Rice<ept i="7">&lt;/i&gt;</ept> '
        '<bpt i="8" x="1">&lt;b&gt;</bpt>price<ept i="8">&lt;/b&gt;</ept> <ph>&lt;br/&gt;</ph></seg></tuv></tu>'
    )
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        import_tmx(tm, tmp_path / "x.tmx", _tmx(unit))
        (u,) = tm.units()
        assert u.source == "⟦1⟧Harga⟦2⟧ ⟦3⟧beras⟦4⟧ ⟦5⟧"
        assert u.target == "⟦3⟧Rice⟦4⟧ ⟦1⟧price⟦2⟧ ⟦5⟧"


def test_ut_and_codes_without_ids_keep_native_code_out_of_the_text(tmp_path: Path) -> None:
    """`<ut>`, `<it>` and `<ph>` without a number are placeholders, never words."""
    unit = (
        '<tu><tuv xml:lang="id-ID"><seg>Klik <ut>&lt;img src="next.gif"&gt;</ut> lalu <it pos="begin">&lt;a&gt;</it>lanjut</seg></tuv>'
        '<tuv xml:lang="en"><seg>Click <ut>&lt;img src="next.gif"&gt;</ut> then <it pos="begin">&lt;a&gt;</it>next</seg></tuv></tu>'
    )
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        import_tmx(tm, tmp_path / "x.tmx", _tmx(unit))
        (u,) = tm.units()
        assert (u.source, u.target) == ("Klik ⟦1⟧ lalu ⟦2⟧lanjut", "Click ⟦1⟧ then ⟦2⟧next")


def test_alternatives_ids_props_notes_dates_and_tags_survive_a_round_trip(tmp_path: Path) -> None:
    """Two targets of one source in one language, tuid, props of another tool, notes,
    creationid, changedate, <tuv> dates and the tags as written (zh-CN) come back on export."""
    body = (
        '<tu tuid="a-17" creationid="ana" changedate="20240102T030405Z">'
        '<prop type="x-omegat-context">ctx</prop><note>Judul</note>'
        '<tuv xml:lang="id-ID"><seg>Harga naik</seg></tuv>'
        '<tuv xml:lang="en-US" changedate="20240103T000000Z" changeid="bo"><note>first</note><seg>Prices rise</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>Prices go up</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>价格上涨</seg></tuv></tu>'
        '<tu tuid="a-18"><tuv xml:lang="id-ID"><seg>Harga naik</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>Price increase</seg></tuv></tu>'
    )
    with TranslationMemory(tmp_path / "a.sqlite3") as a:
        assert import_tmx(a, tmp_path / "x.tmx", _tmx(body)) == 2
        en = next(u for u in a.units() if u.target_lang == "en-US")
        assert en.target == "Prices rise" and en.created == "2024-01-03T00:00:00+00:00"
        export_tmx(a, tmp_path / "out.tmx")
        out = (tmp_path / "out.tmx").read_text(encoding="utf-8")
        for kept in (
            'tuid="a-17"',
            'creationid="ana"',
            'changedate="20240102T030405Z"',
            '<prop type="x-omegat-context">ctx</prop>',
            "<note>Judul</note>",
            "<note>first</note>",
            'changeid="bo"',
            'xml:lang="zh-CN"',
            "Prices go up",
            'tuid="a-18"',
            "Price increase",
        ):
            assert kept in out, kept
        assert "zh-Hans" not in out
        with TranslationMemory(tmp_path / "b.sqlite3") as b:
            import_tmx(b, tmp_path / "out.tmx", (tmp_path / "out.tmx").read_bytes())
            assert list(b.units()) == list(a.units())


def test_id_ID_units_serve_id_articles(tmp_path: Path) -> None:
    """BCP 47 lookup: a unit tagged id-ID -> en-US is found for an id article into en."""
    unit = '<tu><tuv xml:lang="id-ID"><seg>Halo</seg></tuv><tuv xml:lang="en-US"><seg>Hello</seg></tuv></tu>'
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        import_tmx(tm, tmp_path / "x.tmx", _tmx(unit))
        assert tm.lookup(["Halo"], engine="x", source_lang="id", target_lang="en") == {
            "Halo": "Hello"
        }
        assert tm.lookup(["Halo"], engine="x", source_lang="id", target_lang="en-GB") == {}
        assert tm.lookup(["Halo"], engine="x", source_lang="ms", target_lang="en") == {}


def test_one_bad_unit_is_skipped_and_counted(tmp_path: Path) -> None:
    """An unknown language or a code without a source counterpart skips that <tu> only."""
    body = (
        '<tu><tuv xml:lang="id-ID"><seg>Satu</seg></tuv><tuv xml:lang="xx"><seg>One</seg></tuv></tu>'
        '<tu><tuv xml:lang="id-ID"><seg>Dua</seg></tuv><tuv xml:lang="en"><seg>Two <ph x="9"/></seg></tuv></tu>'
        '<tu><tuv xml:lang="id-ID"><seg>Tiga</seg></tuv><tuv xml:lang="en"><seg>Three</seg></tuv></tu>'
    )
    tmx = parse_tmx(tmp_path / "x.tmx", _tmx(body))
    assert [u.source for u in tmx.units] == ["Tiga"]
    assert tmx.read == 3 and len(tmx.skipped) == 2
    assert "unknown language 'xx'" in tmx.skipped[0] and "<ph>" in tmx.skipped[1]


def test_tm_import_reports_skipped_units_and_refuses_a_non_tmx_file(tmp_path: Path) -> None:
    """The CLI says how many <tu> were skipped and why; a file that is not TMX stores nothing."""
    cfg = tmp_path / "syndicate.yaml"
    cfg.write_text(f"engine: pseudo\ntm: {tmp_path / 'tm.sqlite3'}\n", encoding="utf-8")
    body = (
        '<tu><tuv xml:lang="id-ID"><seg>Satu</seg></tuv><tuv xml:lang="xx"><seg>One</seg></tuv></tu>'
        '<tu><tuv xml:lang="id-ID"><seg>Dua</seg></tuv><tuv xml:lang="en"><seg>Two</seg></tuv></tu>'
    )
    (tmp_path / "cat.tmx").write_bytes(_tmx(body, doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'))
    result = run("--config", str(cfg), "tm", "import", str(tmp_path / "cat.tmx"))
    assert result.exit_code == 0, result.stderr
    assert "imported 1 translation units" in result.stderr
    assert "skipped 1 of 2 <tu>: line 3: unknown language 'xx'" in result.stderr
    (tmp_path / "notes.xml").write_bytes(b"<notes><tu/></notes>")
    refused = run("--config", str(cfg), "tm", "import", str(tmp_path / "notes.xml"))
    assert refused.exit_code == 1 and "is not TMX" in refused.stderr

"""TMX 1.4b: our export imports back to the same memory; another tool's file imports too."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndicate.errors import InputError
from syndicate.resources.memory import HUMAN, TranslationMemory
from syndicate.resources.tmx import export_tmx, import_tmx

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

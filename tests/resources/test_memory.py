"""The translation memory: exact reuse, human units first, fuzzy reports, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from syndicate.errors import ConfigError
from syndicate.resources.memory import HUMAN, TranslationMemory, normalize

PAIR = {"source_lang": "id", "target_lang": "en"}


def test_exact_hits_by_engine_and_pair(tmp_path: Path) -> None:
    """A stored template comes back for the same engine and pair, whitespace aside."""
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        tm.store({"Harga ⟦1⟧beras⟦2⟧ naik.": "Price of ⟦1⟧rice⟦2⟧ rises."}, engine="libre", **PAIR)
        assert tm.lookup(["Harga  ⟦1⟧beras⟦2⟧ naik. "], engine="libre", **PAIR) == {
            "Harga  ⟦1⟧beras⟦2⟧ naik. ": "Price of ⟦1⟧rice⟦2⟧ rises."
        }
        assert tm.lookup(["Harga ⟦1⟧beras⟦2⟧ naik."], engine="google", **PAIR) == {}
        assert (
            tm.lookup(
                ["Harga ⟦1⟧beras⟦2⟧ naik."], engine="libre", source_lang="id", target_lang="ja"
            )
            == {}
        )


def test_human_translation_wins(tmp_path: Path) -> None:
    """A unit imported from TMX is used before any engine's."""
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        tm.store({"Selamat pagi": "Good morning (MT)"}, engine="libre", **PAIR)
        tm.store({"Selamat pagi": "Good morning"}, engine=HUMAN, **PAIR)
        assert tm.lookup(["Selamat pagi"], engine="libre", **PAIR) == {
            "Selamat pagi": "Good morning"
        }
        assert tm.stats()["units"] == 2


def test_fuzzy_matches_are_reported_with_a_score(tmp_path: Path) -> None:
    """A near match is listed with its similarity, never returned by lookup."""
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        tm.store(
            {
                "Harga beras naik tajam di Jakarta hari ini.": "Rice prices rose sharply in Jakarta today."
            },
            engine="libre",
            **PAIR,
        )
        text = "Harga beras naik tajam di Surabaya hari ini."
        assert tm.lookup([text], engine="libre", **PAIR) == {}
        [match] = tm.fuzzy(text, **PAIR)
        assert 75 <= match.score < 100 and match.target.startswith("Rice prices")


def test_prune(tmp_path: Path) -> None:
    """Units of one engine can be forgotten."""
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        tm.store({"a b": "x"}, engine="libre", **PAIR)
        tm.store({"c d": "y"}, engine="google", **PAIR)
        assert tm.prune(engine="libre") == 1
        assert tm.stats()["units"] == 1


def _writer(path: str, worker: int) -> None:
    with TranslationMemory(path) as tm:
        for i in range(100):
            tm.store({f"kalimat {worker}-{i}": f"sentence {worker}-{i}"}, engine="libre", **PAIR)


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    """Three processes writing at once: every unit is there afterwards (WAL, busy timeout)."""
    path = str(tmp_path / "tm.sqlite3")
    TranslationMemory(path).close()
    procs = [
        multiprocessing.get_context("spawn").Process(target=_writer, args=(path, w))
        for w in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with TranslationMemory(path) as tm:
        assert tm.stats()["units"] == 300
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_corrupt_file_is_a_clear_error(tmp_path: Path) -> None:
    """A file that is not a database says what to do, and is left as it was."""
    path = tmp_path / "tm.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="cannot open the translation memory"):
        TranslationMemory(path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_normalize() -> None:
    """Whitespace is what normalization forgets."""
    assert normalize("  a \n b\t c ") == "a b c"


def test_a_pair_another_process_adds_is_found(tmp_path: Path) -> None:
    """The cached list of stored language pairs follows other connections' writes."""
    with (
        TranslationMemory(tmp_path / "tm.sqlite3") as a,
        TranslationMemory(tmp_path / "tm.sqlite3") as b,
    ):
        a.store({"Halo": "Hello"}, engine="libre", source_lang="id", target_lang="en")
        assert a.lookup(["Halo"], engine="libre", source_lang="id", target_lang="ja") == {}
        b.store({"Halo": "こんにちは"}, engine="libre", source_lang="id", target_lang="ja")
        assert a.lookup(["Halo"], engine="libre", source_lang="id", target_lang="ja") == {
            "Halo": "こんにちは"
        }
        a.store({"Halo": "Bonjour"}, engine="libre", source_lang="id", target_lang="fr")
        assert a.lookup(["Halo"], engine="libre", source_lang="id", target_lang="fr") == {
            "Halo": "Bonjour"
        }

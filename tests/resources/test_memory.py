"""The translation memory: exact reuse, human units first, fuzzy reports, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from syndicate.errors import ConfigError
from syndicate.resources.memory import HUMAN, TranslationMemory, normalize

PAIR = {"source_lang": "id", "target_lang": "en"}


def test_exact_hits_by_engine_and_pair(store: str) -> None:
    """A stored template comes back for the same engine and pair, whitespace aside."""
    with TranslationMemory(store) as tm:
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


def test_human_translation_wins(store: str) -> None:
    """A unit imported from TMX is used before any engine's."""
    with TranslationMemory(store) as tm:
        tm.store({"Selamat pagi": "Good morning (MT)"}, engine="libre", **PAIR)
        tm.store({"Selamat pagi": "Good morning"}, engine=HUMAN, **PAIR)
        assert tm.lookup(["Selamat pagi"], engine="libre", **PAIR) == {
            "Selamat pagi": "Good morning"
        }
        assert tm.stats()["units"] == 2


def test_fuzzy_matches_are_reported_with_a_score(store: str) -> None:
    """A near match is listed with its similarity, never returned by lookup."""
    with TranslationMemory(store) as tm:
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


def test_prune(store: str) -> None:
    """Units of one engine can be forgotten."""
    with TranslationMemory(store) as tm:
        tm.store({"a b": "x"}, engine="libre", **PAIR)
        tm.store({"c d": "y"}, engine="google", **PAIR)
        assert tm.prune(engine="libre") == 1
        assert tm.stats()["units"] == 1


def run_all(procs: list[Any]) -> None:
    """Start the processes, wait for them all, and check that each succeeded."""
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0


def _writer(path: str, worker: int) -> None:
    with TranslationMemory(path) as tm:
        for i in range(100):
            tm.store({f"kalimat {worker}-{i}": f"sentence {worker}-{i}"}, engine="libre", **PAIR)


def test_concurrent_writers_lose_nothing(store: str) -> None:
    """Three processes writing at once: every unit is there afterwards (SQLite: WAL, busy
    timeout; PostgreSQL: rows written in key order)."""
    path = store
    TranslationMemory(path).close()
    context = multiprocessing.get_context("spawn")
    run_all([context.Process(target=_writer, args=(path, w)) for w in range(3)])
    with TranslationMemory(path) as tm:
        assert tm.stats()["units"] == 300
    if not path.startswith("postgresql:"):
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


def _overlapping_writer(path: str, reverse: bool, start: Any) -> None:
    """Rewrites and touches the same 400 units as its twin, in the opposite order."""
    texts = [f"kalimat bersama {i:04d}" for i in range(400)]
    if reverse:
        texts.reverse()
    with TranslationMemory(path) as tm:
        start.wait()
        for round_ in range(8):
            tm.store({t: f"{t.upper()} {round_}" for t in texts}, engine="libre", **PAIR)
            tm.lookup(texts, engine="libre", **PAIR)


def test_writers_in_opposite_orders_do_not_deadlock(store: str) -> None:
    """Two processes rewriting and touching the same units at once, in opposite orders,
    both finish: rows are written and locked in key order, so neither waits on the other
    in a cycle (on PostgreSQL, one would be killed as a deadlock otherwise)."""
    with TranslationMemory(store) as tm:
        tm.store({f"kalimat bersama {i:04d}": "-" for i in range(400)}, engine="libre", **PAIR)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    run_all(
        [
            context.Process(target=_overlapping_writer, args=(store, reverse, start))
            for reverse in (False, True)
        ]
    )
    with TranslationMemory(store) as tm:
        assert tm.stats()["units"] == 400
        assert {u.uses for u in tm.units()} == {16}


def test_a_bulk_store_keeps_the_last_of_each_segment(store: str) -> None:
    """Thousands of units at once (COPY on PostgreSQL): each stored once, the last one
    given for a segment winning, and found again."""
    pairs = {f"kalimat {i}": f"sentence {i}" for i in range(1500)}
    with TranslationMemory(store) as tm:
        tm.store({"kalimat 7": "old"}, engine=HUMAN, **PAIR)
        tm.store(pairs, engine=HUMAN, **PAIR)
        assert tm.stats()["units"] == 1500
        assert tm.lookup(["kalimat 7", "kalimat 1499"], engine="libre", **PAIR) == {
            "kalimat 7": "sentence 7",
            "kalimat 1499": "sentence 1499",
        }


def test_an_unreachable_server_is_a_clear_error() -> None:
    """A PostgreSQL store nobody answers at: a configuration error naming it without its
    password, and what to check."""
    from tests.servers import free_port

    url = f"postgresql://editor:s3cret-pw@127.0.0.1:{free_port()}/news"
    with pytest.raises(ConfigError) as caught:
        TranslationMemory(url, wait=1)
    message = str(caught.value) + (caught.value.hint or "")
    assert "cannot open the translation memory" in message
    assert "127.0.0.1" in message and "s3cret-pw" not in message and "server is up" in message


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

"""Translation memory lookups: 10,000 segments from a memory of 100,000.

    python bench/memory.py [--units 100000] [--lookups 10000]

Prints the time to build the memory, the time of one batched lookup (with and without
recording the use of each hit) (our way: keyed by the
SHA-256 of the normalized segment, 500 keys per query), and a baseline measured in the
same run: one query per segment, as a script would do it. The target (issue 4): the
lookup in under a second.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.resources.memory import TranslationMemory, _key  # noqa: E402

WORDS = [
    "pemerintah",
    "harga",
    "beras",
    "naik",
    "turun",
    "pasar",
    "bank",
    "indonesia",
    "ekspor",
    "impor",
    "investasi",
    "jakarta",
    "perusahaan",
    "teknologi",
    "kecerdasan",
    "buatan",
    "anggaran",
    "negara",
    "rupiah",
    "dolar",
]


def sentence(rng: random.Random, i: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
    return f"{' '.join(words).capitalize()} ⟦1⟧{i}⟦2⟧."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(7)
    sources = [sentence(rng, i) for i in range(args.units)]
    with tempfile.TemporaryDirectory() as tmp:
        tm = TranslationMemory(Path(tmp) / "tm.sqlite3")
        start = time.perf_counter()
        for i in range(0, len(sources), 5000):
            tm.store(
                {s: s.upper() for s in sources[i : i + 5000]},
                engine="libre",
                source_lang="id",
                target_lang="en",
            )
        built = time.perf_counter() - start
        wanted = rng.sample(sources, args.lookups // 2) + [
            sentence(rng, -i) for i in range(args.lookups // 2)
        ]
        start = time.perf_counter()
        hits = tm.lookup(wanted, engine="libre", source_lang="id", target_lang="en", touch=False)
        ours = time.perf_counter() - start
        start = time.perf_counter()
        tm.lookup(wanted, engine="libre", source_lang="id", target_lang="en")
        touched = time.perf_counter() - start
        start = time.perf_counter()
        naive = 0
        for text in wanted:
            row = tm._db.execute(
                "SELECT target FROM tu WHERE engine=? AND src_lang=? AND tgt_lang=? AND key=?",
                ("libre", "id", "en", _key(text)),
            ).fetchone()
            naive += row is not None
        baseline = time.perf_counter() - start
        size = (Path(tmp) / "tm.sqlite3").stat().st_size
        tm.close()
    print(f"memory: {args.units:,} units built in {built:.2f} s ({size / 1e6:.1f} MB on disk)")
    print(
        f"lookup of {len(wanted):,} segments ({len(hits):,} hits): {ours * 1000:.0f} ms; "
        f"{touched * 1000:.0f} ms when it also records each hit's use (as translate does)"
    )
    print(
        f"baseline, one query per segment ({naive:,} hits): {baseline * 1000:.0f} ms, "
        f"x{baseline / ours:.1f} of ours"
    )


if __name__ == "__main__":
    main()

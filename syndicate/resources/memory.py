"""The translation memory, keyed by engine, language pair and normalized segment.

Segments are stored as templates, placeholders included (``Harga ⟦1⟧beras⟦2⟧ naik``), so a
hit is reused whatever the markup, amounts or dates around it. Human translations imported
from TMX (engine ``tmx``) are preferred over any engine's. The store is an SQLite file (WAL
mode, a busy timeout: several runs read and write it at once) or a PostgreSQL database
shared by several machines (``syndicate.storage``). Fuzzy matches are only reported (for
editors), never applied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from syndicate.storage import DEFAULT_WAIT, Store, is_url

HUMAN = "tmx"  # the engine name of imported (human) translations
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tu (
    id {id},
    engine TEXT NOT NULL,
    src_lang TEXT NOT NULL,
    tgt_lang TEXT NOT NULL,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created TEXT NOT NULL,
    used TEXT NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    UNIQUE (engine, src_lang, tgt_lang, key)
);
CREATE INDEX IF NOT EXISTS tu_pair_len ON tu (src_lang, tgt_lang, length(source));
"""
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """What makes two segments the same: the text with its whitespace collapsed."""
    return _SPACES.sub(" ", text).strip()


def _key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Unit:
    """One stored translation."""

    engine: str
    source_lang: str
    target_lang: str
    source: str
    target: str
    created: str
    uses: int = 0


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    score: float  # 0..100
    source: str
    target: str


_COLUMNS = ("engine", "src_lang", "tgt_lang", "key", "source", "target", "created", "used")


class TranslationMemory:
    """A translation memory in an SQLite file or a PostgreSQL database (a URL)."""

    def __init__(
        self,
        path: Path | str,
        *,
        clock: type[dt.datetime] = dt.datetime,
        wait: float = DEFAULT_WAIT,
    ) -> None:
        self.path = path if is_url(path) else Path(path)
        self._clock = clock
        self._store = Store(
            self.path,
            _SCHEMA,
            what="translation memory",
            hint="move the file away to start a new memory, or set 'tm' to another path"
            if not is_url(path)
            else "check the 'store' setting and that the server is up",
            wait=wait,
        )

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _now(self) -> str:
        return self._clock.now(dt.UTC).replace(microsecond=0).isoformat()

    def lookup(
        self,
        texts: Sequence[str],
        *,
        engine: str,
        source_lang: str,
        target_lang: str,
        touch: bool = True,
    ) -> dict[str, str]:
        """Exact hits for ``texts``: a human translation first, else this engine's.

        ``touch`` records the use (count and date) of each hit, which ``prune`` relies on.
        """
        keys = {_key(t): t for t in texts}
        found: dict[str, str] = {}
        rows: list[tuple[str, str, str]] = []
        with self._store.transaction() as db:
            items = sorted(keys)
            for i in range(0, len(items), 500):
                chunk = items[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows += db.execute(
                    f"SELECT key, engine, target FROM tu WHERE src_lang=? AND tgt_lang=? "
                    f"AND engine IN (?, ?) AND key IN ({marks})",
                    (source_lang, target_lang, engine, HUMAN, *chunk),
                )
            for key, _engine, target in sorted(rows, key=lambda r: r[1] != HUMAN):
                found.setdefault(keys[key], target)
            if found and touch:
                now = self._now()
                hit_keys = sorted(k for k, t in keys.items() if t in found)
                for i in range(0, len(hit_keys), 500):
                    chunk = hit_keys[i : i + 500]
                    where = (
                        f"src_lang=? AND tgt_lang=? AND engine IN (?, ?) "
                        f"AND key IN ({','.join('?' * len(chunk))})"
                    )
                    args = (source_lang, target_lang, engine, HUMAN, *chunk)
                    if db.dialect == "postgresql":
                        # Row locks in key order, as every writer takes them: no deadlock.
                        db.execute(
                            f"SELECT 1 FROM tu WHERE {where} ORDER BY key, engine FOR UPDATE", args
                        )
                    db.execute(
                        f"UPDATE tu SET uses = uses + 1, used = ? WHERE {where}", (now, *args)
                    )
        return found

    def store(
        self,
        pairs: Mapping[str, str],
        *,
        engine: str,
        source_lang: str,
        target_lang: str,
        created: str | None = None,
    ) -> None:
        """Remember translations (a newer one replaces an older one of the same key)."""
        now = self._now()
        rows = [
            (engine, source_lang, target_lang, _key(s), s, t, created or now, now)
            for s, t in pairs.items()
        ]
        with self._store.transaction() as db:
            db.upsert("tu", _COLUMNS, _COLUMNS[:4], ("target", "source"), rows)

    def fuzzy(
        self,
        text: str,
        *,
        source_lang: str,
        target_lang: str,
        min_score: float = 75,
        limit: int = 3,
    ) -> list[FuzzyMatch]:
        """Similar stored segments (score = 100 x similarity), best first."""
        norm = normalize(text)
        low, high = int(len(norm) * min_score / 100), int(len(norm) * 100 / min_score) + 1
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT source, target FROM tu WHERE src_lang=? AND tgt_lang=? "
                "AND length(source) BETWEEN ? AND ? ORDER BY id LIMIT 2000",
                (source_lang, target_lang, low, high),
            )
        matches = []
        for source, target in rows:
            matcher = SequenceMatcher(None, norm, normalize(source), autojunk=False)
            if (
                matcher.real_quick_ratio() * 100 < min_score
                or matcher.quick_ratio() * 100 < min_score
            ):
                continue
            score = round(matcher.ratio() * 100, 1)
            if min_score <= score < 100:
                matches.append(FuzzyMatch(score, source, target))
        return sorted(matches, key=lambda m: -m.score)[:limit]

    def units(self) -> Iterable[Unit]:
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT engine, src_lang, tgt_lang, source, target, created, uses "
                "FROM tu ORDER BY id"
            )
        for row in rows:
            yield Unit(*row)

    def stats(self) -> dict[str, object]:
        with self._store.transaction() as db:
            [(total,)] = db.execute("SELECT count(*) FROM tu")
            by = db.execute(
                "SELECT engine, src_lang, tgt_lang, count(*), sum(uses) FROM tu "
                "GROUP BY engine, src_lang, tgt_lang ORDER BY engine, src_lang, tgt_lang"
            )
        return {
            "path": self._store.where,
            "units": total,
            "pairs": [
                {"engine": e, "source": s, "target": t, "units": n, "reused": int(u or 0)}
                for e, s, t, n, u in by
            ],
        }

    def prune(self, *, unused_since: str | None = None, engine: str | None = None) -> int:
        """Forget units (of one engine, or not used since a date); returns how many."""
        clauses, args = [], []
        if engine:
            clauses.append("engine = ?")
            args.append(engine)
        if unused_since:
            clauses.append("used < ?")
            args.append(unused_since)
        where = " AND ".join(clauses) or "1 = 1"
        with self._store.transaction() as db:
            db.execute(f"DELETE FROM tu WHERE {where}", args)
            count = db.rowcount
        self._store.maintain("tu")
        return count

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
from functools import lru_cache
from pathlib import Path

from syndicate.langtags import match_rank
from syndicate.storage import DEFAULT_WAIT, Store, Stored, Table, Transaction, is_url

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
    tmx TEXT,
    UNIQUE (engine, src_lang, tgt_lang, key)
);
CREATE INDEX IF NOT EXISTS tu_pair_len ON tu (src_lang, tgt_lang, length(source));
"""
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """What makes two segments the same: the text with its whitespace collapsed."""
    return _SPACES.sub(" ", text).strip()


# A batch looks each segment up for every locale, then stores it: its key is made once.
@lru_cache(maxsize=2048)
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
    # What a TMX file said about the unit beyond its texts (ids, dates, props, notes, inline
    # codes, alternatives, the language tags as written), as ``resources.tmx`` reads it.
    tmx: str | None = None


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    score: float  # 0..100
    source: str
    target: str


_COLUMNS = ("engine", "src_lang", "tgt_lang", "key", "source", "target", "created", "used")
_KEY = _COLUMNS[:4]


class TranslationMemory(Stored):
    """A translation memory in an SQLite file or a PostgreSQL database (a URL)."""

    tables = (Table("tu", (*_COLUMNS, "uses", "tmx"), _KEY),)

    def __init__(
        self,
        path: Path | str,
        *,
        clock: type[dt.datetime] = dt.datetime,
        wait: float = DEFAULT_WAIT,
    ) -> None:
        self.path = path if is_url(path) else Path(path)
        self._clock = clock
        # The stored language pairs, with the data_version they were read at (see _stored).
        self._pair_cache: tuple[int, list[tuple[str, str]]] | None = None
        self._store = Store(
            self.path,
            _SCHEMA,
            what="translation memory",
            hint="move the file away to start a new memory, or set 'tm' to another path",
            wait=wait,
        )
        self._store.ensure_column("tu", "tmx", "TEXT")  # a memory from before TMX details

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
        rows: list[tuple[int, str, str, str, str]] = []
        # Reading takes no write lock (a run's lookups mostly find nothing to count); the
        # use of what was found is counted after, in a transaction of its own.
        with self._store.transaction(read_only=True) as db:
            ranks = self._pairs(db, source_lang, target_lang)
            if not ranks:
                return found
            items = list(keys)
            for src, tgt in ranks:
                for i in range(0, len(items), 500):
                    chunk = items[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    rows += db.execute(
                        f"SELECT id, key, engine, src_lang, tgt_lang FROM tu WHERE src_lang=? "
                        f"AND tgt_lang=? AND engine IN (?, ?) AND key IN ({marks})",
                        (src, tgt, engine, HUMAN, *chunk),
                    )
            # A human translation first, then the closest language tags.
            rows.sort(key=lambda r: (r[2] != HUMAN, ranks[(r[3], r[4])]))
            chosen: dict[str, int] = {}
            for row_id, key, *_ in rows:
                chosen.setdefault(key, row_id)
            hit_ids = sorted(chosen.values())
            targets = dict(self._targets(db, hit_ids))
            found = {keys[key]: targets[row_id] for key, row_id in chosen.items()}
        if found and touch:
            self._touch(hit_ids)
        return found

    def _touch(self, ids: Sequence[int]) -> None:
        """Count a use of each unit (``prune`` goes by the count and the date)."""
        now = self._now()
        with self._store.transaction() as db:
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                where = f"id IN ({','.join('?' * len(chunk))})"
                if db.dialect == "postgresql":
                    # Row locks in id order, as every writer takes them: no deadlock.
                    db.execute(f"SELECT 1 FROM tu WHERE {where} ORDER BY id FOR UPDATE", chunk)
                db.execute(f"UPDATE tu SET uses = uses + 1, used = ? WHERE {where}", (now, *chunk))

    def _targets(self, db: Transaction, ids: Sequence[int]) -> Iterable[tuple[int, str]]:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            yield from db.execute(
                f"SELECT id, target FROM tu WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )

    def _stored_pairs(self, db: Transaction) -> list[tuple[str, str]]:
        """The distinct language pairs stored: in SQLite, read again only when the
        database changed.

        The DISTINCT scan costs a few milliseconds per 100,000 units, and a plan looks up
        several times. ``PRAGMA data_version`` moves when another connection commits; this
        connection's own writes drop the cache (``_changed``). PostgreSQL has no such
        counter: the scan runs each time (on its index).
        """
        if db.dialect != "sqlite":
            return [
                (str(a), str(b))
                for a, b in db.execute("SELECT DISTINCT src_lang, tgt_lang FROM tu")
            ]
        [(version,)] = db.execute("PRAGMA data_version")
        if self._pair_cache is None or self._pair_cache[0] != int(version):
            rows = db.execute("SELECT DISTINCT src_lang, tgt_lang FROM tu")
            self._pair_cache = (int(version), [(str(a), str(b)) for a, b in rows])
        return self._pair_cache[1]

    def _pairs(
        self, db: Transaction, source_lang: str, target_lang: str
    ) -> dict[tuple[str, str], int]:
        """The stored language pairs that serve a request, ranked (0 = the very tags).

        BCP 47 lookup: a unit tagged ``id-ID`` match_rank an ``id`` article and the reverse; a
        target ``en`` match_rank ``en-GB``, ``en-US`` match_rank ``en``, ``en-US`` never ``en-GB``.
        """
        out: dict[tuple[str, str], int] = {}
        for src, tgt in self._stored_pairs(db):
            a, b = match_rank(src, source_lang), match_rank(tgt, target_lang)
            if a is not None and b is not None:
                out[(src, tgt)] = a + b
        return out

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
            db.upsert("tu", _COLUMNS, _KEY, ("target", "source"), rows)
        self._pair_cache = None  # own writes: data_version stays

    def add_units(self, units: Sequence[Unit]) -> None:
        """Store whole units (an import): texts, dates and TMX details as they come."""
        rows = [
            (
                u.engine,
                u.source_lang,
                u.target_lang,
                _key(u.source),
                u.source,
                u.target,
                u.created,
                u.created,
                u.uses,
                u.tmx,
            )
            for u in units
        ]
        with self._store.transaction() as db:
            db.upsert(
                "tu",
                (*_COLUMNS, "uses", "tmx"),
                _KEY,
                ("target", "source", "created", "tmx"),
                rows,
            )
        self._pair_cache = None  # own writes: data_version stays

    def unit(self, source: str, *, engine: str, source_lang: str, target_lang: str) -> Unit | None:
        """The stored unit of exactly this engine, language pair and segment, if any."""
        with self._store.transaction(read_only=True) as db:
            rows = db.execute(
                "SELECT engine, src_lang, tgt_lang, source, target, created, uses, tmx FROM tu "
                "WHERE engine=? AND src_lang=? AND tgt_lang=? AND key=?",
                (engine, source_lang, target_lang, _key(source)),
            )
        return Unit(*rows[0]) if rows else None

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
        with self._store.transaction(read_only=True) as db:
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
        with self._store.transaction(read_only=True) as db:
            rows = db.execute(
                "SELECT engine, src_lang, tgt_lang, source, target, created, uses, tmx "
                "FROM tu ORDER BY id"
            )
        for row in rows:
            yield Unit(*row)

    def count(self, *, engine: str | None = None) -> int:
        """How many units the memory holds (of one engine: ``tmx`` for the human ones)."""
        where, args = ("WHERE engine = ?", (engine,)) if engine is not None else ("", ())
        with self._store.transaction(read_only=True) as db:
            [(found,)] = db.execute(f"SELECT count(*) FROM tu {where}", args)
        return int(found)

    def stats(self) -> dict[str, object]:
        with self._store.transaction(read_only=True) as db:
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
        self._pair_cache = None  # own writes: data_version stays
        self._store.maintain("tu")
        return count

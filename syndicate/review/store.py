"""Review states: each segment of each translation is machine, edited, approved or stale.

One SQLite file beside the translation memory (``review.sqlite3``), or two tables in the
shared PostgreSQL store (``store: postgresql://...``), opened the project's one way
(``syndicate.storage.Store``): one row per translation file and one per translatable
segment. Every change is one transaction, so a run killed at any point (``kill -9``
included) leaves the states before or after it, never half of them, and a server gone
mid-change is a ``StorageError`` with the change rolled back.

When a translation's segments are seen again (written by a run, or read back from the file),
they are matched to the stored ones by their source text, in order (difflib's longest
matching blocks over the source hashes), so that a paragraph inserted or removed elsewhere
leaves the others' states alone:

- same source, same target: the state stays;
- same source, another target: ``edited`` (read back from the file) or ``machine`` (written
  by an engine; ``stale`` stays ``stale`` until someone approves it again);
- another source at that place: ``stale`` if it was approved (its source changed after
  approval), else ``machine``;
- a new segment: ``machine``.

An article-locale is approved when all its segments are; who approved the last one and when
is kept with it, and forgotten when any segment leaves ``approved``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal, get_args

from syndicate.errors import UsageError
from syndicate.review.bitext import Pair
from syndicate.storage import DEFAULT_WAIT, Store, Stored, Table, Transaction, is_url

State = Literal["machine", "edited", "approved", "stale"]
STATES: tuple[State, ...] = get_args(State)
How = Literal["written", "read"]  # a run wrote the translation, or it was read back

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translation (
    path TEXT PRIMARY KEY,          -- the translation file, resolved
    source TEXT NOT NULL,           -- the source article, resolved
    locale TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    engine TEXT NOT NULL,
    sha256 TEXT NOT NULL,           -- the file as last written or read
    source_text TEXT NOT NULL DEFAULT '',  -- the source as it was then: hand edits pair with it
    approved_by TEXT,
    approved_at TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS translation_source ON translation (source, locale);
CREATE TABLE IF NOT EXISTS segment (
    path TEXT NOT NULL REFERENCES translation (path) ON DELETE CASCADE,
    position INTEGER NOT NULL,      -- the segment's index in the source's document
    place TEXT NOT NULL,            -- body, or front matter <key>
    source_hash TEXT NOT NULL,
    source TEXT NOT NULL,
    machine TEXT NOT NULL,          -- what the engine wrote (the edit statistics' baseline)
    engine TEXT NOT NULL,
    target TEXT NOT NULL,           -- the target as last written, read or saved
    state TEXT NOT NULL CHECK (state IN ('machine', 'edited', 'approved', 'stale')),
    who TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (path, position)
);
"""


_TRANSLATION = (
    "path",
    "source",
    "locale",
    "source_lang",
    "engine",
    "sha256",
    "source_text",
    "updated",
)
_SEGMENT = (
    "path",
    "position",
    "place",
    "source_hash",
    "source",
    "machine",
    "engine",
    "target",
    "state",
    "who",
    "at",
)


@dataclass(frozen=True, slots=True)
class SegmentState:
    position: int
    where: str
    state: State
    source: str
    target: str
    machine: str
    engine: str
    who: str | None
    at: str
    source_hash: str = ""


@dataclass(frozen=True, slots=True)
class TranslationState:
    """One translation file's review state."""

    path: str
    source: str
    locale: str
    source_lang: str
    engine: str
    sha256: str
    approved_by: str | None
    approved_at: str | None
    segments: tuple[SegmentState, ...]
    source_text: str = ""

    @property
    def approved(self) -> bool:
        return all(s.state == "approved" for s in self.segments)

    def counts(self) -> dict[str, int]:
        return {state: sum(s.state == state for s in self.segments) for state in STATES}

    def as_dict(self) -> dict[str, object]:
        return {
            "translation": self.path,
            "source": self.source,
            "locale": self.locale,
            "source_lang": self.source_lang,
            "engine": self.engine,
            "approved": self.approved,
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "segments": self.counts(),
            "states": [
                {"position": s.position, "where": s.where, "state": s.state, "who": s.who}
                for s in self.segments
            ],
        }


def store_path(memory: Path | None, default: Path) -> Path:
    """Where the review states live: beside the translation memory, else in ``default``."""
    return (memory.parent if memory else default) / "review.sqlite3"


class ReviewStore(Stored):
    """The review states of every translation: an SQLite file, or tables in the shared
    PostgreSQL store (``location`` is then its URL)."""

    tables = (
        Table("translation", (*_TRANSLATION, "approved_by", "approved_at"), _TRANSLATION[:1]),
        Table("segment", _SEGMENT, _SEGMENT[:2], of="translation"),
    )

    def __init__(
        self,
        location: Path | str,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        wait: float = DEFAULT_WAIT,
    ) -> None:
        self.path = location if is_url(location) else Path(location)
        self._clock = clock
        self._store = Store(
            self.path,
            _SCHEMA,
            what="review store",
            hint="move the file away to start again (states are lost), or set 'tm' elsewhere",
            wait=wait,
        )
        # A store made before the source snapshot was kept.
        self._store.ensure_column("translation", "source_text", "TEXT NOT NULL DEFAULT ''")

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).replace(microsecond=0).isoformat()

    # --- seeing a translation ---------------------------------------------------------

    def record(
        self,
        path: Path,
        *,
        source: Path,
        locale: str,
        source_lang: str,
        engine: str,
        sha256: str,
        pairs: Sequence[Pair],
        how: How,
        source_text: str = "",
    ) -> TranslationState:
        """Take in a translation's segments as a run wrote them or as its file now reads."""
        key, now = str(path.resolve()), self._now()
        with self._store.transaction() as db:
            # The translation's row first: its lock (PostgreSQL's row lock, SQLite's write
            # lock) keeps another process recording the same file from merging with the
            # segments this one is about to replace.
            db.upsert(
                "translation",
                _TRANSLATION,
                _TRANSLATION[:1],
                _TRANSLATION[1:],
                [
                    (
                        key,
                        str(source.resolve()),
                        locale,
                        source_lang,
                        engine,
                        sha256,
                        source_text,
                        now,
                    )
                ],
            )
            rows = _merge(_segments(db, key), pairs, how, engine, now)
            db.execute("DELETE FROM segment WHERE path = ?", (key,))
            db.upsert(
                "segment",
                _SEGMENT,
                _SEGMENT[:2],
                _SEGMENT[2:],
                [
                    (
                        key,
                        r.position,
                        r.where,
                        r.source_hash,
                        r.source,
                        r.machine,
                        r.engine,
                        r.target,
                        r.state,
                        r.who,
                        r.at,
                    )
                    for r in rows
                ],
            )
            _settle(db, key, None, now)
            return _get(db, key)

    def set_states(
        self,
        path: Path,
        changes: Iterable[tuple[int, State, str | None]],
        *,
        who: str,
        sha256: str | None = None,
    ) -> TranslationState:
        """Set segments' states (and, where given, their new target text) for ``who``.

        ``sha256`` is the file's hash after a save, so that the save is not later taken for
        a hand edit.
        """
        key, now = str(path.resolve()), self._now()
        with self._store.transaction() as db:
            # Touching the translation's row tells whether it is recorded, and takes its
            # lock before the segments change (see record).
            if sha256 is None:
                db.execute("UPDATE translation SET updated = updated WHERE path = ?", (key,))
            else:
                db.execute(
                    "UPDATE translation SET sha256 = ?, updated = ? WHERE path = ?",
                    (sha256, now, key),
                )
            if db.rowcount == 0:
                raise UsageError(f"{path}: no review state recorded for this translation")
            for position, state, target in changes:
                if target is None:
                    db.execute(
                        "UPDATE segment SET state = ?, who = ?, at = ? WHERE path = ? "
                        "AND position = ?",
                        (state, who, now, key, position),
                    )
                else:
                    db.execute(
                        "UPDATE segment SET state = ?, target = ?, who = ?, at = ? "
                        "WHERE path = ? AND position = ?",
                        (state, target, who, now, key, position),
                    )
            _settle(db, key, who, now)
            return _get(db, key)

    def approve(self, path: Path, *, who: str) -> TranslationState:
        """Approve every segment of a translation."""
        current = self.get(path)
        if current is None:
            raise UsageError(f"{path}: no review state recorded for this translation")
        return self.set_states(
            path,
            [(s.position, "approved", None) for s in current.segments if s.state != "approved"],
            who=who,
        )

    # --- reading ------------------------------------------------------------------------

    def get(self, path: Path) -> TranslationState | None:
        key = str(path.resolve())
        with self._store.transaction(read_only=True) as db:
            return _get(db, key) if _exists(db, key) else None

    def known(self, paths: Sequence[str]) -> set[str]:
        """Which of these translation files (resolved paths, as recorded) have states: one
        query (PostgreSQL: the paths as one array), or one per 500 (SQLite)."""
        found: set[str] = set()
        with self._store.transaction(read_only=True) as db:
            if db.dialect == "postgresql":
                rows = db.execute(
                    "SELECT path FROM translation WHERE path = ANY(?)", (list(paths),)
                )
                return {r[0] for r in rows}
            for i in range(0, len(paths), 500):
                chunk = paths[i : i + 500]
                marks = ", ".join("?" * len(chunk))
                rows = db.execute(f"SELECT path FROM translation WHERE path IN ({marks})", chunk)
                found.update(r[0] for r in rows)
        return found

    def find(self, *, source: Path | None = None, locale: str | None = None) -> list[str]:
        """The translation files recorded (of one source, into one locale), sorted."""
        clauses, args = [], []
        if source is not None:
            clauses.append("source = ?")
            args.append(str(source.resolve()))
        if locale is not None:
            clauses.append("locale = ?")
            args.append(locale)
        where = " AND ".join(clauses) or "1 = 1"
        with self._store.transaction(read_only=True) as db:
            rows = db.execute(f"SELECT path FROM translation WHERE {where} ORDER BY path", args)
        return [r[0] for r in rows]

    def all(self) -> list[TranslationState]:
        with self._store.transaction(read_only=True) as db:
            keys = [r[0] for r in db.execute("SELECT path FROM translation ORDER BY path")]
            return [_get(db, k) for k in keys]

    def segment_rows(self) -> list[tuple[str, str, str, State, str, str]]:
        """Every segment as (engine, source language, locale, state, machine, target)."""
        with self._store.transaction(read_only=True) as db:
            rows = db.execute(
                "SELECT s.engine, t.source_lang, t.locale, s.state, s.machine, s.target "
                "FROM segment s JOIN translation t ON s.path = t.path "
                "ORDER BY s.engine, t.source_lang, t.locale, s.path, s.position"
            )
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def _settle(db: Transaction, key: str, who: str | None, now: str) -> None:
    """Mark the translation approved when all its segments are, else not."""
    [(left,)] = db.execute(
        "SELECT count(*) FROM segment WHERE path = ? AND state != 'approved'", (key,)
    )
    if left:
        db.execute(
            "UPDATE translation SET approved_by = NULL, approved_at = NULL WHERE path = ?",
            (key,),
        )
        return
    last = db.execute(
        "SELECT who, at FROM segment WHERE path = ? ORDER BY at DESC, position DESC LIMIT 1",
        (key,),
    )
    approver, when = (who, now) if who else (last[0] if last else (None, now))
    db.execute(
        "UPDATE translation SET approved_by = coalesce(approved_by, ?), "
        "approved_at = coalesce(approved_at, ?) WHERE path = ?",
        (approver, when, key),
    )


def _exists(db: Transaction, key: str) -> bool:
    return bool(db.execute("SELECT 1 FROM translation WHERE path = ?", (key,)))


def _segments(db: Transaction, key: str) -> list[SegmentState]:
    rows = db.execute(
        "SELECT position, place, state, source, target, machine, engine, who, at, "
        "source_hash FROM segment WHERE path = ? ORDER BY position",
        (key,),
    )
    return [SegmentState(*row) for row in rows]


def _get(db: Transaction, key: str) -> TranslationState:
    [row] = db.execute(
        "SELECT path, source, locale, source_lang, engine, sha256, approved_by, approved_at, "
        "source_text FROM translation WHERE path = ?",
        (key,),
    )
    path, source, locale, source_lang, engine, sha256, approved_by, approved_at, text = row
    return TranslationState(
        path,
        source,
        locale,
        source_lang,
        engine,
        sha256,
        approved_by,
        approved_at,
        tuple(_segments(db, key)),
        text,
    )


def _merge(
    old: Sequence[SegmentState], pairs: Sequence[Pair], how: How, engine: str, now: str
) -> list[SegmentState]:
    """The states of ``pairs``, carried over from the ``old`` ones (see the module doc)."""
    new_state: dict[int, SegmentState] = {}

    def fresh(p: Pair, state: State) -> SegmentState:
        return SegmentState(
            p.position,
            p.where,
            state,
            p.source,
            p.target,
            p.target,
            engine,
            None,
            now,
            p.source_hash,
        )

    matcher = SequenceMatcher(
        None, [o.source_hash for o in old], [p.source_hash for p in pairs], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k, p in enumerate(pairs[j1:j2]):
            o = old[i1 + k] if i1 + k < i2 else None
            if o is None:
                state = fresh(p, "machine")
            elif tag == "equal" and o.target == p.target:
                state = _moved(o, p)
            elif tag == "equal":
                if how == "written":  # stale stays stale until someone approves it again
                    state = fresh(p, "stale" if o.state == "stale" else "machine")
                else:
                    state = SegmentState(
                        p.position,
                        p.where,
                        "edited",
                        p.source,
                        p.target,
                        o.machine,
                        o.engine,
                        None,
                        now,
                        p.source_hash,
                    )
            elif how == "written" and o.state not in ("approved", "edited"):
                state = fresh(p, "machine")
            else:  # the source changed: approved text needs another look; edits stay edits
                # (a run keeps a person's text whose source changed: see edits.keep_edits)
                state = SegmentState(
                    p.position,
                    p.where,
                    "stale" if o.state == "approved" else o.state,
                    p.source,
                    p.target,
                    p.target if how == "written" and p.target != o.target else o.machine,
                    engine if how == "written" and p.target != o.target else o.engine,
                    None,
                    now,
                    p.source_hash,
                )
            new_state[p.position] = state
    return [new_state[p.position] for p in pairs]


def _moved(o: SegmentState, p: Pair) -> SegmentState:
    """An unchanged segment, at its (maybe new) place."""
    return SegmentState(
        p.position,
        p.where,
        o.state,
        o.source,
        o.target,
        o.machine,
        o.engine,
        o.who,
        o.at,
        o.source_hash,
    )

"""The batch journal: each job's state, so that a killed run resumes where it stopped.

One SQLite file beside the translation memory. A job is keyed by the output folder and
the job's name; its fingerprint covers everything its output depends on (source bytes,
target, partner, engine, profiles, rates, glossary, and the run's time when it is fixed).
A job is skipped when its fingerprint is unchanged and every output it recorded is still
there with the same checksum. A run holds a lock per output folder, so two runs never
write the same tree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from syndicate.errors import UsageError
from syndicate.storage import DEFAULT_WAIT, guarded, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS job (
    out TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    outputs TEXT NOT NULL DEFAULT '{}',
    detail TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (out, key)
);
"""


@dataclass(frozen=True, slots=True)
class Entry:
    fingerprint: str
    state: str  # "running", "done", "failed"
    outputs: Mapping[str, str]  # path -> sha256
    detail: str


def sha256_file(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class Journal:
    def __init__(self, path: Path, *, wait: float = DEFAULT_WAIT) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_database(
            path,
            _SCHEMA,
            what="batch journal",
            hint="move the file away; the next run starts a new journal",
            wait=wait,
        )

    def _guard(self) -> contextlib.AbstractContextManager[None]:
        return guarded(self._db, self._lock, self.path, "batch journal")

    def close(self) -> None:
        self._db.close()

    def get(self, out: Path, key: str) -> Entry | None:
        with self._guard():
            row = self._db.execute(
                "SELECT fingerprint, state, outputs, detail FROM job WHERE out=? AND key=?",
                (_folder(out), key),
            ).fetchone()
        return Entry(row[0], row[1], json.loads(row[2]), row[3]) if row else None

    def record(
        self,
        out: Path,
        key: str,
        fingerprint: str,
        state: str,
        outputs: Mapping[str, str] | None = None,
        detail: str = "",
    ) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        with self._guard():
            self._db.execute(
                "INSERT INTO job (out, key, fingerprint, state, outputs, detail, updated) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (out, key) DO UPDATE SET "
                "fingerprint=excluded.fingerprint, state=excluded.state, "
                "outputs=excluded.outputs, detail=excluded.detail, updated=excluded.updated",
                (
                    _folder(out),
                    key,
                    fingerprint,
                    state,
                    json.dumps(
                        {_folder(Path(p)): d for p, d in (outputs or {}).items()}, sort_keys=True
                    ),
                    detail,
                    now,
                ),
            )
            self._db.commit()

    def unchanged(self, out: Path, key: str, fingerprint: str) -> Entry | None:
        """The journal entry when the job is done, with this fingerprint, its outputs intact."""
        entry = self.get(out, key)
        if entry is None or entry.state != "done" or entry.fingerprint != fingerprint:
            return None
        for path, digest in entry.outputs.items():
            if sha256_file(Path(path)) != digest:
                return None
        return entry

    @contextlib.contextmanager
    def lock(self, out: Path) -> Iterator[None]:
        """Hold the output folder for this run; another run on it is refused."""
        name = hashlib.sha256(_folder(out).encode()).hexdigest()[:24]
        lock_path = self.path.parent / "locks" / f"{name}.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UsageError(
                    f"another batch run is writing to {out}",
                    hint="wait for it to finish, or give another --out",
                ) from None
            yield
        finally:
            os.close(fd)


def _folder(path: Path) -> str:
    """A path as the journal keeps it: absolute, so that ``--out out`` and ``--out ./out``
    (or the same folder named from elsewhere) are one output folder."""
    return str(path.resolve())

"""The batch journal: each job's state, so that a killed run resumes where it stopped.

One SQLite file beside the translation memory, or a table in the shared PostgreSQL store.
A job is keyed by the output folder and the job's name; its fingerprint covers
everything its output depends on (source bytes, target, partner, engine, profiles,
rates, glossary, and the run's time when it is fixed). A job is skipped when its
fingerprint is unchanged and every output it recorded is still there with the same
checksum. A run holds a lock per output folder, so two runs never write the same tree.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from syndicate.errors import StorageError, UsageError
from syndicate.files import real_path
from syndicate.storage import DEFAULT_WAIT, Store, Stored, Table, is_url

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


_COLUMNS = ("out", "key", "fingerprint", "state", "outputs", "detail", "updated")


class Journal(Stored):
    """Each job's state, per output folder. ``store`` is an SQLite file or a PostgreSQL URL;
    ``locks`` is the folder of the output folders' run locks (beside an SQLite file's)."""

    tables = (Table("job", _COLUMNS, _COLUMNS[:2]),)

    def __init__(
        self, store: Path | str, *, wait: float = DEFAULT_WAIT, locks: Path | None = None
    ) -> None:
        self.path = store
        if locks is None:
            if is_url(store):
                raise ValueError("a journal in PostgreSQL needs a folder for its locks")
            locks = Path(store).parent / "locks"
        self.locks = locks
        self._store = Store(
            store,
            _SCHEMA,
            what="batch journal",
            hint="move the file away; the next run starts a new journal",
            wait=wait,
        )

    def get(self, out: Path, key: str) -> Entry | None:
        with self._store.transaction(read_only=True) as db:
            rows = db.execute(
                "SELECT fingerprint, state, outputs, detail FROM job WHERE out=? AND key=?",
                (_folder(out), key),
            )
        return Entry(rows[0][0], rows[0][1], json.loads(rows[0][2]), rows[0][3]) if rows else None

    def marks(self, out: Path) -> dict[str, tuple[str, str]]:
        """Every job of an output folder as (state, when last recorded), in one query: a
        run that others do (workers on other machines) is followed by comparing two of
        these, with no clock shared between the machines."""
        with self._store.transaction(read_only=True) as db:
            rows = db.execute("SELECT key, state, updated FROM job WHERE out=?", (_folder(out),))
        return {key: (state, updated) for key, state, updated in rows}

    def record(
        self,
        out: Path,
        key: str,
        fingerprint: str,
        state: str,
        outputs: Mapping[str, str] | None = None,
        detail: str = "",
    ) -> None:
        self.record_many(out, [(key, fingerprint, state, outputs, detail)])

    def record_many(
        self,
        out: Path,
        entries: Sequence[tuple[str, str, str, Mapping[str, str] | None, str]],
    ) -> None:
        """Record several jobs' states in one transaction: (key, fingerprint, state,
        outputs, detail) each; of two entries for one job, the later wins."""
        folders: dict[Path, Path] = {}  # the outputs are in a few folders: each resolved once
        now, folder = dt.datetime.now(dt.UTC).isoformat(), _folder(out, folders)
        rows = [
            (
                folder,
                key,
                fingerprint,
                state,
                json.dumps(
                    {_folder(Path(p), folders): d for p, d in (outputs or {}).items()},
                    sort_keys=True,
                ),
                detail,
                now,
            )
            for key, fingerprint, state, outputs, detail in entries
        ]
        with self._store.transaction() as db:
            db.upsert("job", _COLUMNS, _COLUMNS[:2], _COLUMNS[2:], rows)

    def unchanged(self, out: Path, fingerprints: Mapping[str, str]) -> dict[str, Entry]:
        """The entries of the jobs (key -> fingerprint) that are done, with that
        fingerprint, their outputs intact: the journal read once for a whole run, not once
        a job (a round trip each, with the PostgreSQL store)."""
        with self._store.transaction(read_only=True) as db:
            rows = db.execute(
                "SELECT key, fingerprint, state, outputs, detail FROM job WHERE out=?",
                (_folder(out),),
            )
        found = {}
        for key, fingerprint, state, outputs, detail in rows:
            if state != "done" or fingerprints.get(key) != fingerprint:
                continue
            entry = Entry(fingerprint, state, json.loads(outputs), detail)
            if all(sha256_file(Path(p)) == digest for p, digest in entry.outputs.items()):
                found[key] = entry
        return found

    @contextlib.contextmanager
    def lock(self, out: Path, part: str = "", *, wait: bool = False) -> Iterator[None]:
        """Hold the output folder (or one ``part`` of its work: a shard) for this run;
        another run on it is refused. A whole run holds the folder alone; shards share it
        with each other (each holding its own part), never with a whole run, which would
        take their temporary files for a killed run's. With the PostgreSQL store the locks
        hold across machines (advisory locks of the journal's connection, let go when a
        process dies); otherwise on this machine (files in the state folder). ``wait``:
        wait for the other run to end instead."""
        folder = _folder(out)
        with self._hold(folder, out, shared=bool(part), wait=wait):
            if not part:
                yield
                return
            with self._hold(f"{folder}\0{part}", out, shared=False, wait=wait):
                yield

    def _hold(
        self, key: str, out: Path, *, shared: bool, wait: bool
    ) -> AbstractContextManager[None]:
        if self._store.dialect == "postgresql":
            return self._advisory(key, out, shared=shared, wait=wait)
        return self._flock(key, out, shared=shared, wait=wait)

    @contextlib.contextmanager
    def _advisory(self, key: str, out: Path, *, shared: bool, wait: bool) -> Iterator[None]:
        number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
        kind = "_shared" if shared else ""
        with self._store.transaction() as db:
            if wait:  # as long as it takes: the store's lock_timeout is for row locks
                db.execute("SET LOCAL lock_timeout = 0")
                db.execute(f"SELECT pg_advisory_lock{kind}(?)", (number,))
            elif not db.execute(f"SELECT pg_try_advisory_lock{kind}(?)", (number,))[0][0]:
                raise _refused(out)
        try:
            yield
        finally:
            with contextlib.suppress(StorageError), self._store.transaction() as db:
                db.execute(f"SELECT pg_advisory_unlock{kind}(?)", (number,))

    @contextlib.contextmanager
    def _flock(self, key: str, out: Path, *, shared: bool, wait: bool) -> Iterator[None]:
        name = hashlib.sha256(key.encode()).hexdigest()[:24]
        lock_path = self.locks / f"{name}.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
                fcntl.flock(fd, mode if wait else mode | fcntl.LOCK_NB)
            except BlockingIOError:
                raise _refused(out) from None
            yield
        finally:
            os.close(fd)


def _refused(out: Path) -> UsageError:
    return UsageError(
        f"another batch run is writing to {out}",
        hint="wait for it to finish, or give another --out",
    )


def _folder(path: Path, folders: dict[Path, Path] | None = None) -> str:
    """A path as the journal keeps it: absolute, so that ``--out out`` and ``--out ./out``
    (or the same folder named from elsewhere) are one output folder. ``folders``: see
    ``real_path``."""
    return str(real_path(path, folders))

"""The delivery journal: per partner and file, what was sent, when, and what came back.

One SQLite file beside the packages, in ``<out>/.syndicate/deliveries.sqlite``, or, with
``store: postgresql://...``, a table in the shared PostgreSQL store, opened the project's
one way (``syndicate.storage.Store``). A row per (output folder, partner, path): the
SHA-256 last sent or being sent, the state (Superdesk's queue states: pending,
in_progress, retrying, success, failed), the attempts, the next retry time, the remote
path and the receipt (an ETag, the server's reply). The output folder is the absolute
folder in the shared store, where many folders' rows meet, and empty in a folder's own
file, so that a folder moved elsewhere keeps what it sent. A file is marked
``in_progress`` before its upload starts, so a process killed mid-upload leaves a row that
says so, and the next run sends it again. Error texts are redacted before they are stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from syndicate.errors import StorageError
from syndicate.redact import redact
from syndicate.storage import DEFAULT_WAIT, Store, Stored, Table, is_url

State = Literal["pending", "in_progress", "retrying", "success", "failed"]
JOURNAL_NAME = Path(".syndicate") / "deliveries.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS delivery (
    out TEXT NOT NULL,              -- the output folder; '' in the folder's own file
    partner TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_retry TEXT,
    remote_path TEXT NOT NULL DEFAULT '',
    receipt TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    PRIMARY KEY (out, partner, path)
);
"""
_COLUMNS = (
    "out",
    "partner",
    "path",
    "sha256",
    "state",
    "attempts",
    "next_retry",
    "remote_path",
    "receipt",
    "error",
    "updated_at",
)
_KEY = _COLUMNS[:3]


@dataclass(frozen=True, slots=True)
class Row:
    partner: str
    path: str
    sha256: str
    state: State
    attempts: int
    next_retry: dt.datetime | None
    remote_path: str
    receipt: str
    error: str
    updated_at: dt.datetime


class DeliveryJournal(Stored):
    """The journal of one output folder; safe to share between threads and processes.

    ``location`` is an SQLite file or the shared store's URL; ``out`` is the key of the
    folder's rows in it (see the module doc).
    """

    tables = (Table("delivery", _COLUMNS, _KEY),)

    def __init__(self, location: Path | str, *, out: str = "", wait: float = DEFAULT_WAIT) -> None:
        self.path = location if is_url(location) else Path(location)
        self.out = out
        self._store = Store(
            self.path,
            _SCHEMA,
            what="delivery journal",
            hint="move the file away; the next delivery sends every file again",
            wait=wait,
        )
        if self._store.dialect == "sqlite":
            _take_in_old_rows(self._store)

    @classmethod
    def of(
        cls, out: Path, *, store: str | None = None, wait: float = DEFAULT_WAIT
    ) -> DeliveryJournal:
        """The journal of the packages under ``out``: in the shared store when its URL is
        given, else in the folder's own file."""
        if store:
            return cls(store, out=str(out.resolve()), wait=wait)
        return cls(out / JOURNAL_NAME, wait=wait)

    def rows(self, partner: str | None = None) -> list[Row]:
        query = f"SELECT {', '.join(_COLUMNS[1:])} FROM delivery WHERE out = ?"
        args: tuple[str, ...] = (self.out,)
        if partner is not None:
            query, args = query + " AND partner = ?", (*args, partner)
        with self._store.transaction(read_only=True) as db:
            found = db.execute(query + " ORDER BY partner, path", args)
        return [_row(r) for r in found]

    def start(self, partner: str, path: str, sha256: str, remote: str, now: dt.datetime) -> int:
        """Mark a file in progress before it is sent; returns its attempt number."""
        with self._store.transaction() as db:
            found = db.execute(
                "SELECT sha256, attempts, state FROM delivery"
                " WHERE out = ? AND partner = ? AND path = ?",
                (self.out, partner, path),
            )
            # A new version of the file starts counting afresh.
            same = bool(found) and found[0][0] == sha256 and found[0][2] != "success"
            attempts = int(found[0][1] if same else 0) + 1
            row = (self.out, partner, path, sha256, "in_progress", attempts, None, remote)
            db.upsert(
                "delivery",
                _COLUMNS,
                _KEY,
                _COLUMNS[len(_KEY) :],
                [(*row, "", "", now.isoformat())],
            )
        return attempts

    def note(
        self,
        partner: str,
        path: str,
        sha256: str,
        remote: str,
        state: State,
        now: dt.datetime,
        *,
        error: str,
        next_retry: dt.datetime | None = None,
    ) -> None:
        """Record why a file was not sent (no connection, a refused login) without counting
        an attempt; a file already delivered in this version keeps its row."""
        # One row, so no lock order to keep (Store.upsert's reason); its attempts depend on
        # the stored row, which Store.upsert's plain replacement cannot say.
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO delivery (out, partner, path, sha256, state, attempts, next_retry,"
                " remote_path, error, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)"
                " ON CONFLICT (out, partner, path) DO UPDATE SET state = excluded.state,"
                " next_retry = excluded.next_retry, error = excluded.error,"
                " updated_at = excluded.updated_at, remote_path = excluded.remote_path,"
                " attempts = CASE WHEN delivery.sha256 = excluded.sha256"
                " THEN delivery.attempts ELSE 0 END,"
                " sha256 = excluded.sha256",
                (
                    self.out,
                    partner,
                    path,
                    sha256,
                    state,
                    next_retry.isoformat() if next_retry else None,
                    remote,
                    redact(" ".join(error.split())),
                    now.isoformat(),
                ),
            )

    def finish(
        self,
        partner: str,
        path: str,
        state: State,
        now: dt.datetime,
        *,
        receipt: str = "",
        error: str = "",
        next_retry: dt.datetime | None = None,
    ) -> None:
        with self._store.transaction() as db:
            db.execute(
                "UPDATE delivery SET state = ?, receipt = ?, error = ?, next_retry = ?,"
                " updated_at = ? WHERE out = ? AND partner = ? AND path = ?",
                (
                    state,
                    redact(receipt),
                    redact(" ".join(error.split())),
                    next_retry.isoformat() if next_retry else None,
                    now.isoformat(),
                    self.out,
                    partner,
                    path,
                ),
            )


def _take_in_old_rows(store: Store) -> None:
    """A folder's file from before the journal could live in the shared store: its rows,
    in the older table keyed without the folder, move to the new one. Another process may
    move them first, which leaves this one nothing to do."""
    with contextlib.suppress(StorageError), store.transaction() as db:
        old = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'")
        if old:
            names = ", ".join(_COLUMNS[1:])
            db.execute(
                f"INSERT INTO delivery (out, {names}) SELECT '', {names} FROM deliveries"
                " WHERE true ON CONFLICT DO NOTHING"
            )
            db.execute("DROP TABLE deliveries")


def _row(values: tuple[object, ...]) -> Row:
    partner, path, sha, state, attempts, retry, remote, receipt, error, updated = values
    return Row(
        str(partner),
        str(path),
        str(sha),
        state,  # type: ignore[arg-type]
        int(attempts),  # type: ignore[call-overload]
        dt.datetime.fromisoformat(str(retry)) if retry else None,
        str(remote),
        str(receipt),
        str(error),
        dt.datetime.fromisoformat(str(updated)),
    )

"""The delivery journal: per partner and file, what was sent, when, and what came back.

One SQLite file (WAL, through ``storage.open_database``) beside the packages, in
``<out>/.syndicate/deliveries.sqlite``. A row per (partner, path): the SHA-256 last sent
or being sent, the state (Superdesk's queue states: pending, in_progress, retrying,
success, failed), the attempts, the next retry time, the remote path and the receipt (an
ETag, the server's reply). A file is marked ``in_progress`` before its upload starts, so
a process killed mid-upload leaves a row that says so, and the next run sends it again.
Error texts are redacted before they are stored.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from syndicate.redact import redact
from syndicate.storage import guarded, open_database

State = Literal["pending", "in_progress", "retrying", "success", "failed"]
JOURNAL_NAME = Path(".syndicate") / "deliveries.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
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
    PRIMARY KEY (partner, path)
);
"""


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


class DeliveryJournal:
    """The journal of one output folder; safe to share between threads and processes."""

    def __init__(self, path: Path, *, wait: float = 30.0) -> None:
        self.path = path
        self._db = open_database(
            path,
            _SCHEMA,
            what="delivery journal",
            hint="move the file away; the next delivery sends every file again",
            wait=wait,
        )
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, out: Path, *, wait: float = 30.0) -> DeliveryJournal:
        return cls(out / JOURNAL_NAME, wait=wait)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        with guarded(self._db, self._lock, self.path, "delivery journal"), self._db:
            yield

    def rows(self, partner: str | None = None) -> list[Row]:
        query = "SELECT * FROM deliveries"
        args: tuple[str, ...] = ()
        if partner is not None:
            query, args = query + " WHERE partner = ?", (partner,)
        with guarded(self._db, self._lock, self.path, "delivery journal"):
            found = self._db.execute(query + " ORDER BY partner, path", args).fetchall()
        return [_row(r) for r in found]

    def start(self, partner: str, path: str, sha256: str, remote: str, now: dt.datetime) -> int:
        """Mark a file in progress before it is sent; returns its attempt number."""
        with self._write():
            found = self._db.execute(
                "SELECT sha256, attempts, state FROM deliveries WHERE partner = ? AND path = ?",
                (partner, path),
            ).fetchone()
            # A new version of the file starts counting afresh.
            same = found is not None and found[0] == sha256 and found[2] != "success"
            attempts = (found[1] if same else 0) + 1
            self._db.execute(
                "INSERT OR REPLACE INTO deliveries (partner, path, sha256, state, attempts,"
                " next_retry, remote_path, receipt, error, updated_at)"
                " VALUES (?, ?, ?, 'in_progress', ?, NULL, ?, '', '', ?)",
                (partner, path, sha256, attempts, remote, now.isoformat()),
            )
        return int(attempts)

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
        with self._write():
            self._db.execute(
                "INSERT INTO deliveries (partner, path, sha256, state, attempts, next_retry,"
                " remote_path, error, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)"
                " ON CONFLICT (partner, path) DO UPDATE SET state = excluded.state,"
                " next_retry = excluded.next_retry, error = excluded.error,"
                " updated_at = excluded.updated_at, remote_path = excluded.remote_path,"
                " attempts = CASE WHEN sha256 = excluded.sha256 THEN attempts ELSE 0 END,"
                " sha256 = excluded.sha256",
                (
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
        with self._write():
            self._db.execute(
                "UPDATE deliveries SET state = ?, receipt = ?, error = ?, next_retry = ?,"
                " updated_at = ? WHERE partner = ? AND path = ?",
                (
                    state,
                    redact(receipt),
                    redact(" ".join(error.split())),
                    next_retry.isoformat() if next_retry else None,
                    now.isoformat(),
                    partner,
                    path,
                ),
            )


def _row(values: tuple[object, ...]) -> Row:
    p, path, sha, state, attempts, retry, remote, receipt, error, updated = values
    return Row(
        str(p),
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

"""Opening and using the project's SQLite files (memory, journal) the one way it is done.

WAL mode and a busy timeout make several processes safe on one file. A file that is not a
database is a configuration error that names it and the fix; a file locked by another
process, a full disk or a damaged page is a ``StorageError``, raised with the transaction
rolled back, so what was stored before stays as it was.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from syndicate.errors import ConfigError, StorageError

DEFAULT_WAIT = 30.0  # seconds to wait for another process's lock


def open_database(
    path: Path, schema: str, *, what: str, hint: str, wait: float = DEFAULT_WAIT
) -> sqlite3.Connection:
    try:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=wait, check_same_thread=False)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise ConfigError(f"cannot open the {what}: {exc}", source=str(path), hint=hint) from None
    try:
        with guarded(db, None, path, what):
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(schema)
    except StorageError as exc:
        db.close()
        if exc.reason != "damaged":
            raise
        raise ConfigError(
            f"cannot open the {what}: {exc.detail}", source=str(path), hint=hint
        ) from None
    return db


@contextmanager
def guarded(
    db: sqlite3.Connection, lock: threading.Lock | None, path: Path, what: str
) -> Iterator[None]:
    """Serialize use of ``db`` across threads; SQLite failures become ``StorageError``."""
    if lock is not None:
        lock.acquire()
    try:
        yield
    except sqlite3.DatabaseError as exc:
        if db.in_transaction:
            db.rollback()
        raise _storage_error(exc, path, what) from None
    finally:
        if lock is not None:
            lock.release()


def _storage_error(exc: sqlite3.DatabaseError, path: Path, what: str) -> StorageError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StorageError(
            path,
            f"the {what} is locked by another process",
            reason="locked",
            detail=text,
            hint="wait for it to finish, or raise tm_wait (seconds)",
        )
    if "full" in text or ("disk I/O error" in text and _nearly_full(path)):
        # SQLite reports a file system with no room for its shared-memory file as an I/O
        # error, not as a full disk: the free space tells which it is.
        return StorageError(
            path, f"the {what} cannot grow: the disk is full", reason="full", detail=text
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            path, f"the {what} is on a read-only file system", reason="readonly", detail=text
        )
    return StorageError(path, f"the {what} failed: {text}", reason="damaged", detail=text)


def _nearly_full(path: Path) -> bool:
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False

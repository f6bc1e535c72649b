"""Opening the project's SQLite files (memory, journal) the one way they are opened.

WAL mode and a busy timeout make several processes safe on one file; a file that is not
a database becomes a configuration error that names it and the fix.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from syndicate.errors import ConfigError


def open_database(path: Path, schema: str, *, what: str, hint: str) -> sqlite3.Connection:
    try:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(schema)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise ConfigError(f"cannot open the {what}: {exc}", source=str(path), hint=hint) from None
    return db

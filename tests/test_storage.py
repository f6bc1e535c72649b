"""The stores' transactions, the same on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

from syndicate.storage import Store

SCHEMA = "CREATE TABLE IF NOT EXISTS t (x INTEGER NOT NULL);"


def test_a_read_only_transaction_reads_one_snapshot(store: str) -> None:
    """What another connection commits meanwhile is not seen halfway through a read (a
    lookup pairs ids read by one query with rows read by the next)."""
    reader, writer = (Store(store, SCHEMA, what=name, hint="") for name in ("reader", "writer"))
    try:
        with reader.transaction(read_only=True) as db:
            first = db.execute("SELECT count(*) FROM t")
            with writer.transaction() as other:
                other.execute("INSERT INTO t (x) VALUES (?)", (1,))
            second = db.execute("SELECT count(*) FROM t")
        with reader.transaction(read_only=True) as db:
            after = db.execute("SELECT count(*) FROM t")
    finally:
        reader.close()
        writer.close()
    assert first == second == [(0,)] and after == [(1,)]


def test_an_sqlite_transaction_that_reads_then_writes_waits_for_another_writer(
    tmp_path: Path,
) -> None:
    """Two processes' read-then-write transactions on one SQLite file: the second waits
    for the first and reads its row, instead of failing at once as 'locked' when it comes
    to write after reading an older snapshot."""
    location = tmp_path / "store.sqlite3"
    first, second = (Store(location, SCHEMA, what=name, hint="", wait=10) for name in "ab")
    seen: list[int] = []
    try:
        with first.transaction() as db:
            db.execute("INSERT INTO t (x) VALUES (?)", (1,))

            def add_one() -> None:
                with second.transaction() as other:
                    [(count,)] = other.execute("SELECT count(*) FROM t")
                    seen.append(count)
                    other.execute("INSERT INTO t (x) VALUES (?)", (count + 1,))

            racing = threading.Thread(target=add_one)
            racing.start()
            racing.join(0.3)  # blocked behind the first writer
            assert racing.is_alive()
        racing.join()
    finally:
        first.close()
        second.close()
    assert seen == [1]


def test_a_transaction_inside_another_is_a_savepoint_of_it(store: str) -> None:
    """One commit for many operations: an inner transaction that fails undoes its own
    statements only (as a job whose review states cannot be recorded fails alone), and
    the rest is committed with the outer one; nothing is seen by others before that."""
    from syndicate.errors import StorageError

    inner, other = (Store(store, SCHEMA, what=name, hint="") for name in ("inner", "other"))
    try:
        with inner.transaction() as outer:
            with inner.transaction() as db:
                db.execute("INSERT INTO t (x) VALUES (?)", (1,))
            try:
                with inner.transaction() as db:
                    db.execute("INSERT INTO t (x) VALUES (?)", (2,))
                    db.execute("INSERT INTO no_such_table (x) VALUES (?)", (3,))
            except StorageError:
                pass
            with inner.transaction(read_only=True) as db:  # reads the outer's own rows
                assert db.execute("SELECT x FROM t ORDER BY x") == [(1,)]
            outer.execute("INSERT INTO t (x) VALUES (?)", (4,))
        with other.transaction(read_only=True) as db:
            assert db.execute("SELECT x FROM t ORDER BY x") == [(1,), (4,)]
        with inner.transaction(read_only=True):
            try:
                with inner.transaction():
                    raise AssertionError("a write nested in a read-only transaction")
            except RuntimeError as exc:
                assert "read-only" in str(exc)
    finally:
        inner.close()
        other.close()

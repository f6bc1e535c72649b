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


def test_a_savepoint_that_takes_the_whole_transaction_with_it_fails_it_whole(
    tmp_path: Path,
) -> None:
    """On a full disk SQLite may roll back the whole transaction, not the one statement:
    the savepoints before the failing one are gone too. The transaction then fails whole
    (what came before and after is not committed piecemeal, as if it stood), so that a
    batch fails every job of it instead of recording some states silently lost."""
    import pytest

    from syndicate.errors import StorageError

    store = Store(tmp_path / "full.sqlite3", SCHEMA, what="test store", hint="")
    try:
        with pytest.raises(StorageError), store.transaction() as outer:
            with store.transaction() as db:
                db.execute("INSERT INTO t (x) VALUES (?)", (1,))
            outer.execute("PRAGMA max_page_count = 4")  # a full disk, in a test
            with pytest.raises(StorageError, match="full"), store.transaction() as db:
                db.executemany("INSERT INTO t (x) VALUES (?)", [(i,) for i in range(50_000)])
            with pytest.raises(StorageError), store.transaction() as db:
                db.execute("INSERT INTO t (x) VALUES (?)", (3,))
        with store.transaction(read_only=True) as db:
            assert db.execute("SELECT x FROM t") == []
    finally:
        store.close()


def test_bulk_upserts_in_one_transaction_write_their_own_rows_only(store: str) -> None:
    """Many rows go through COPY into a temporary table on PostgreSQL, emptied at commit:
    a second bulk upsert in the same transaction (``together``) must not write the first
    one's rows again over what changed in between."""
    schema = "CREATE TABLE IF NOT EXISTS kv (k INTEGER NOT NULL PRIMARY KEY, v INTEGER NOT NULL);"
    kv = Store(store, schema, what="test store", hint="")
    try:
        with kv.transaction():
            with kv.transaction() as db:
                db.upsert("kv", ("k", "v"), ("k",), ("v",), [(k, 1) for k in range(600)])
            with kv.transaction() as db:
                db.execute("UPDATE kv SET v = 2 WHERE k < 600")
            with kv.transaction() as db:
                db.upsert("kv", ("k", "v"), ("k",), ("v",), [(k, 1) for k in range(600, 1200)])
        with kv.transaction(read_only=True) as db:
            assert db.execute("SELECT v, count(*) FROM kv GROUP BY v ORDER BY v") == [
                (1, 600),
                (2, 600),
            ]
    finally:
        kv.close()


def test_an_interrupted_transaction_keeps_nothing_of_itself(store: str) -> None:
    """Ctrl-C (KeyboardInterrupt) in a transaction, or in a savepoint of one, undoes what
    it wrote: the connection's next transaction commits only its own rows (a reviewer saw
    that an interrupted one stayed open and the batch's final flush committed it half)."""
    writer, other = (Store(store, SCHEMA, what=name, hint="") for name in ("writer", "other"))
    try:
        for nested in (False, True):
            try:
                with writer.transaction() as outer:
                    outer.execute("INSERT INTO t (x) VALUES (?)", (1,))
                    if nested:
                        with writer.transaction() as db:
                            db.execute("INSERT INTO t (x) VALUES (?)", (2,))
                            raise KeyboardInterrupt
                    raise KeyboardInterrupt
            except KeyboardInterrupt:
                pass
            with writer.transaction() as db:
                db.execute("INSERT INTO t (x) VALUES (?)", (3,))
        with other.transaction(read_only=True) as db:
            assert db.execute("SELECT x FROM t ORDER BY x") == [(3,), (3,)]
    finally:
        writer.close()
        other.close()


def test_a_store_is_shown_without_its_password_or_query_and_as_a_url() -> None:
    """Messages name a store by its URL, password masked, query (options, a password in
    it) left out; one without a host keeps its ``//`` (a user saw ``postgresql::``)."""
    from syndicate.storage import shown

    assert shown("postgresql://editor:s3cret@db:5432/news?password=x") == (
        "postgresql://editor:***@db:5432/news"
    )
    assert shown("postgresql:///news?host=/run/pg") == "postgresql:///news"
    assert shown("postgresql://") == "postgresql://"

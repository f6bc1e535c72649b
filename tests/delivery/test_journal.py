"""The delivery journal, the same on SQLite (the output folder's own file) and on
PostgreSQL (the shared store, keyed by the output folder): attempts, notes, folders."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from syndicate.delivery.journal import JOURNAL_NAME, DeliveryJournal
from syndicate.delivery.run import Options, deliver_all
from syndicate.errors import StorageError
from syndicate.storage import is_url
from syndicate.syndication.partners import load_partners
from tests.delivery.newsroom import PARTNER, Newsroom
from tests.servers import PostgreSQL

NOW = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=5)


def journal(out: Path, store: str) -> DeliveryJournal:
    """The journal of ``out``: in the shared store for a URL, else in the folder's file."""
    return DeliveryJournal.of(out, store=store if is_url(store) else None)


def test_attempts_count_per_version_and_start_afresh_for_a_new_one(
    store: str, tmp_path: Path
) -> None:
    """A file tried twice has two attempts; a new version of it starts at one again; its
    receipt and state come back as recorded."""
    with_journal = journal(tmp_path / "out", store)
    try:
        assert with_journal.start("wire", "a.md", "v1", "/drop/a.md", NOW) == 1
        with_journal.finish("wire", "a.md", "retrying", NOW, error="503  Slow\ndown")
        assert with_journal.start("wire", "a.md", "v1", "/drop/a.md", LATER) == 2
        with_journal.finish("wire", "a.md", "success", LATER, receipt="ETag 1")
        assert with_journal.start("wire", "b.md", "v1", "/drop/b.md", LATER) == 1
        [a, b] = with_journal.rows()
        assert (a.path, a.state, a.attempts, a.receipt, a.error) == (
            "a.md",
            "success",
            2,
            "ETag 1",
            "",
        )
        assert a.updated_at == LATER and (b.path, b.state) == ("b.md", "in_progress")
        assert with_journal.start("wire", "a.md", "v2", "/drop/a.md", LATER) == 1
        assert with_journal.rows("nobody") == []
    finally:
        with_journal.close()


def test_a_note_counts_no_attempt_and_keeps_them_for_the_same_version(
    store: str, tmp_path: Path
) -> None:
    """Why a file was not sent is noted with its next retry; the attempts made on that
    version stay, a new version's start at none."""
    with_journal = journal(tmp_path / "out", store)
    try:
        with_journal.note("wire", "a.md", "v1", "/drop/a.md", "pending", NOW, error="login")
        [row] = with_journal.rows("wire")
        assert (row.state, row.attempts, row.next_retry, row.error) == ("pending", 0, None, "login")
        with_journal.start("wire", "a.md", "v1", "/drop/a.md", NOW)
        with_journal.note(
            "wire", "a.md", "v1", "/drop/a.md", "retrying", NOW, error="gone", next_retry=LATER
        )
        [row] = with_journal.rows("wire")
        assert (row.state, row.attempts, row.next_retry) == ("retrying", 1, LATER)
        with_journal.note("wire", "a.md", "v2", "/drop/a.md", "retrying", NOW, error="gone")
        assert with_journal.rows("wire")[0].attempts == 0
    finally:
        with_journal.close()


def test_two_output_folders_keep_their_own_rows(store: str, tmp_path: Path) -> None:
    """Two output folders, one store: each folder sees its own rows only. With a shared
    store no file is made in either folder."""
    first, second = journal(tmp_path / "a", store), journal(tmp_path / "b", store)
    try:
        first.start("wire", "manifest.json", "v1", "/drop/manifest.json", NOW)
        first.finish("wire", "manifest.json", "success", NOW)
        assert second.rows() == []
        second.start("wire", "manifest.json", "v2", "/other/manifest.json", NOW)
        assert [r.sha256 for r in first.rows()] == ["v1"]
        assert [r.sha256 for r in second.rows()] == ["v2"]
    finally:
        first.close()
        second.close()
    files = [tmp_path / "a" / JOURNAL_NAME, tmp_path / "b" / JOURNAL_NAME]
    assert [f.exists() for f in files] == [not is_url(store)] * 2


def test_a_journal_file_from_before_keeps_what_it_recorded(tmp_path: Path) -> None:
    """A folder's file written before the journal could be shared (a table keyed by
    partner and path alone): its rows are the folder's, and the old table is gone."""
    path = tmp_path / "out" / JOURNAL_NAME
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE deliveries (partner TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT"
            " NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_retry"
            " TEXT, remote_path TEXT NOT NULL DEFAULT '', receipt TEXT NOT NULL DEFAULT '',"
            " error TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,"
            " PRIMARY KEY (partner, path))"
        )
        db.execute(
            "INSERT INTO deliveries VALUES ('wire', 'a.md', 'v1', 'success', 1, NULL,"
            " '/drop/a.md', 'ETag 1', '', ?)",
            (NOW.isoformat(),),
        )
    db.close()
    old = DeliveryJournal.of(tmp_path / "out")
    try:
        [row] = old.rows("wire")
        assert (row.path, row.state, row.receipt, row.updated_at) == (
            "a.md",
            "success",
            "ETag 1",
            NOW,
        )
    finally:
        old.close()
    with sqlite3.connect(path) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "deliveries" not in tables and "delivery" in tables


def test_a_journal_whose_server_is_gone_stops_the_delivery_with_a_storage_error(
    tmp_path: Path, translated: Path, postgresql_server: PostgreSQL
) -> None:
    """The shared store's server ends the journal's connection before a delivery reads it:
    the delivery raises the StorageError (it is not taken for one partner's failure) and
    sends nothing it could not journal."""
    newsroom = Newsroom(tmp_path, translated, {"type": "directory", "path": str(tmp_path / "drop")})
    partners = load_partners(newsroom.root / "partners.yaml")
    with postgresql_server.schema() as url:
        victim = DeliveryJournal.of(newsroom.out, store=f"{url}&application_name=victim")
        postgresql_server.end_connections("victim")
        try:
            with pytest.raises(StorageError, match="delivery journal cannot be reached"):
                deliver_all([partners[PARTNER]], newsroom.out, victim, Options())
        finally:
            victim.close()
    assert not (tmp_path / "drop").exists()

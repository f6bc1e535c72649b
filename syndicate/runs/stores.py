"""Moving to the shared store: the SQLite files' rows copied into PostgreSQL.

With ``store: postgresql://…`` the memory, the batch journal, the review states and the
delivery journals live in PostgreSQL, and the SQLite files a newsroom used until then are
no longer read. Started empty, the shared store would forget every approval and hand edit
(the next run takes a translation it has no state for as its own, and writes over it),
every job done (the next run redoes them all) and every file delivered (sent again).
``copy_into_store`` copies each file's rows into the shared store (the rows the store has
already are kept as they are there, so that machines that started on it lose nothing),
then moves the file aside as ``<name>.copied``: a run then no longer warns that it holds
state the shared store lacks (``unused_files``), and renaming it back is how to use it
again without the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from syndicate.config import Settings
from syndicate.delivery.journal import JOURNAL_NAME, DeliveryJournal
from syndicate.errors import UsageError
from syndicate.resources.memory import TranslationMemory
from syndicate.review.store import ReviewStore
from syndicate.runs.journal import Journal
from syndicate.runs.project import state_folder
from syndicate.storage import Copied, Stored

COPIED_SUFFIX = ".copied"


@dataclass(frozen=True, slots=True)
class StoreCopy:
    """One SQLite file copied into the shared store (or not there: nothing to copy)."""

    what: str  # "translation memory", "batch journal", "review states", "delivery journal"
    path: Path
    tables: Mapping[str, Copied] = field(default_factory=dict)
    moved_to: Path | None = None  # where the file went once copied

    @property
    def found(self) -> bool:
        return self.moved_to is not None


@dataclass(frozen=True, slots=True)
class _Source:
    what: str
    path: Path
    open: Callable[[Path | str], Stored]
    values: Mapping[str, str] = field(default_factory=dict)


def _sources(settings: Settings, outs: Sequence[Path]) -> list[_Source]:
    state = state_folder(settings)
    wait = settings.tm_wait
    found = []
    memory = settings.tm_path()
    if memory is not None:
        found.append(
            _Source("translation memory", memory, lambda at: TranslationMemory(at, wait=wait))
        )
    found += [
        _Source(
            "batch journal",
            state / "journal.sqlite3",
            lambda at: Journal(at, wait=wait, locks=state / "locks"),
        ),
        _Source("review states", state / "review.sqlite3", lambda at: ReviewStore(at, wait=wait)),
    ]
    for out in outs:
        # A folder's own file names no folder; the shared store's rows name theirs.
        found.append(
            _Source(
                "delivery journal",
                out / JOURNAL_NAME,
                lambda at: DeliveryJournal(at, wait=wait),
                {"out": str(out.resolve())},
            )
        )
    return found


def copy_into_store(settings: Settings, outs: Sequence[Path] = ()) -> list[StoreCopy]:
    """Copy every SQLite file the settings used before ``store`` into the shared store:
    the memory, the batch journal and the review states, and the delivery journal of each
    output folder in ``outs``. Running it again after a failure finishes the copy."""
    url = settings.store_url()
    if url is None:
        raise UsageError(
            "there is no shared store to copy into",
            hint="set 'store: postgresql://…' in the settings first (see 'config show')",
        )
    done = []
    for source in _sources(settings, outs):
        if not source.path.is_file():
            done.append(StoreCopy(source.what, source.path))
            continue
        with source.open(source.path) as mine, source.open(url) as shared:
            tables = mine.copy_into(shared, values=source.values)
        moved = source.path.with_name(source.path.name + COPIED_SUFFIX)
        for suffix in ("", "-wal", "-shm"):  # the WAL is checkpointed into the file on close
            part = source.path.with_name(source.path.name + suffix)
            if part.exists():
                os.replace(part, moved.with_name(moved.name + suffix) if suffix else moved)
        done.append(StoreCopy(source.what, source.path, tables, moved))
    return done


def unused_files(settings: Settings, outs: Sequence[Path] = ()) -> list[Path]:
    """The SQLite files that hold state the shared store may lack: with ``store`` set,
    they are not read (copy them with ``copy_into_store``)."""
    if settings.store_url() is None:
        return []
    return [s.path for s in _sources(settings, outs) if s.path.is_file()]

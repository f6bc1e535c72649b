"""Where the stores live, and moving to the shared one: the SQLite files' rows copied in.

Without ``store`` the memory, the batch journal and the review states are SQLite files in
the state folder (``state_folder``: beside ``tm``, by default the user's data folder, which
every project of the account shares), and each output folder keeps its delivery journal.
With ``store: postgresql://…`` all of them live in PostgreSQL and the files are not read.

A shared store started empty forgets what the files hold: every review state (the next
run takes a translation it has no state for as its own, and writes over a hand edit),
every job done (redone), every file delivered (sent again), every human translation
unit. ``copy_into_store`` copies the files' rows into the shared store; rows it has
already (another machine's) are kept as they are there, and the files stay where they are
(another project of the account may still use them), so a copy can be run again at any
time to bring in what was added since. ``check_left_behind`` is the run's guard: it
refuses to write into a folder whose translations have review states in the file that
the shared store lacks, and warns about done jobs and human units it lacks.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from syndicate.config import Settings
from syndicate.delivery.journal import JOURNAL_NAME, DeliveryJournal
from syndicate.errors import ConfigError, UsageError
from syndicate.redact import without_password
from syndicate.resources.memory import HUMAN, TranslationMemory
from syndicate.review.store import ReviewStore
from syndicate.runs.journal import Journal
from syndicate.storage import Copied, Stored, peek

logger = logging.getLogger(__name__)
COPY_HINT = "copy them into it with 'syndicate store copy'"
MEMORY = "translation memory"


def state_folder(settings: Settings, *, no_tm: bool = False) -> Path:
    """Where a batch keeps its journal: beside the memory, else the user's data folder."""
    tm_path = None if no_tm else settings.tm_path()
    if tm_path is not None:
        return tm_path.parent
    import platformdirs

    return Path(platformdirs.user_data_dir("syndicate"))


def _journal_folders(settings: Settings) -> list[Path]:
    """Where batch journals were kept: the state folder, and the user's data folder, where
    a run with --no-tm keeps its journal (the same folder when there is no ``tm``)."""
    return list(dict.fromkeys((state_folder(settings), state_folder(settings, no_tm=True))))


@dataclass(frozen=True, slots=True)
class StoreCopy:
    """One SQLite file copied into the shared store (no tables: it is not there)."""

    what: str  # "translation memory", "batch journal", "review states", "delivery journal"
    path: Path
    tables: Mapping[str, Copied] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return bool(self.tables)


@dataclass(frozen=True, slots=True)
class _Source:
    what: str
    path: Path
    open: Callable[[Path | str], Stored]
    values: Mapping[str, str] = field(default_factory=dict)


def _sources(settings: Settings, outs: Sequence[Path]) -> list[_Source]:
    wait = settings.tm_wait
    locks = state_folder(settings) / "locks"
    found = []
    memory = settings.tm_path()
    if memory is not None:
        found.append(_Source(MEMORY, memory, lambda at: TranslationMemory(at, wait=wait)))
    for folder in _journal_folders(settings):
        found.append(
            _Source(
                "batch journal",
                folder / "journal.sqlite3",
                lambda at: Journal(at, wait=wait, locks=locks),
            )
        )
    found.append(
        _Source(
            "review states",
            state_folder(settings) / "review.sqlite3",
            lambda at: ReviewStore(at, wait=wait),
        )
    )
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


def _shared(settings: Settings) -> str:
    url = settings.store_url()
    if url is None:
        raise UsageError(
            "there is no shared store to copy into",
            hint="set 'store: postgresql://…' in the settings first (see 'config show')",
        )
    return url


def copy_into_store(settings: Settings, outs: Sequence[Path] = ()) -> list[StoreCopy]:
    """Copy the SQLite files the settings use without ``store`` into the shared store:
    the memory, the batch journal and the review states, and the delivery journal of each
    output folder in ``outs``. The files are left as they are."""
    url = _shared(settings)
    done = []
    for source in _sources(settings, outs):
        if not source.path.is_file():
            done.append(StoreCopy(source.what, source.path))
            continue
        with source.open(source.path) as mine, source.open(url) as shared:
            done.append(
                StoreCopy(source.what, source.path, mine.copy_into(shared, values=source.values))
            )
        if source.what == MEMORY:
            _note_copied(source.path, url)
    return done


def check_left_behind(
    settings: Settings, *, folders: Sequence[Path] = (), files: Sequence[Path] = ()
) -> None:
    """With ``store`` set, before a run writes translations (a batch into ``folders``,
    ``translate`` the ``files``): raise a ``ConfigError`` when ``review.sqlite3`` has
    review states of them that the shared store lacks (the run would write over their
    hand edits); warn when ``journal.sqlite3`` has jobs done in the folders, or the memory
    file human units, that the shared store lacks (redone, paid for again)."""
    url = settings.store_url()
    if url is None:
        return
    inside = [str(f.resolve()) for f in folders]
    exact = [str(f.resolve()) for f in files]
    state = state_folder(settings)
    review = state / "review.sqlite3"
    # Folders by key range (the primary key's index; no LIKE to escape), files by name.
    mine = {
        str(path)
        for folder in inside
        for (path,) in _rows(
            review,
            "SELECT path FROM translation WHERE path >= ? AND path < ?",
            (folder + "/", folder + "0"),  # "0" sorts right after "/"
            strict=True,
        )
    }
    for i in range(0, len(exact), 500):
        chunk = exact[i : i + 500]
        mine.update(
            str(path)
            for (path,) in _rows(
                review,
                f"SELECT path FROM translation WHERE path IN ({_marks(chunk)})",
                chunk,
                strict=True,
            )
        )
    if mine:
        with ReviewStore(url, wait=settings.tm_wait) as shared:
            known = shared.known(sorted(mine))
        missing = sorted(mine - known)
        if missing:
            raise ConfigError(
                f"the review states of {len(missing)} translations this run writes (first: "
                f"{missing[0]}) are in this file, not in the shared store; a run without "
                "them would write over hand-edited translations",
                path=review,
                hint=COPY_HINT,
            )
    for folder in _journal_folders(settings):
        journal = folder / "journal.sqlite3"
        done = _rows(
            journal,
            f"SELECT out, key FROM job WHERE state = 'done' AND out IN ({_marks(inside)})",
            inside,
        )
        ours = {(str(out), str(key)) for out, key in done}
        if ours:
            with Journal(url, wait=settings.tm_wait, locks=state / "locks") as shared:
                recorded = {(f, k) for f in inside for k in shared.marks(Path(f))}
            if ours - recorded:
                logger.warning(
                    "%s: %d jobs done here are not in the shared store's journal, and "
                    "will be done again; %s",
                    journal,
                    len(ours - recorded),
                    COPY_HINT,
                )
    memory = settings.tm_path()
    if memory is not None:
        human = _human_units(memory)
        copied = _rows(memory, "SELECT human FROM copied_into WHERE store = ?", (_store_key(url),))
        if human and (not copied or int(copied[0][0]) < human):  # type: ignore[call-overload]
            logger.warning(
                "%s: %d human translation units (TMX) have not been copied into the shared "
                "store's memory, and their segments will be sent to the engine; %s",
                memory,
                human - (int(copied[0][0]) if copied else 0),  # type: ignore[call-overload]
                COPY_HINT,
            )


def _human_units(memory: Path) -> int:
    found = _rows(memory, "SELECT count(*) FROM tu WHERE engine = ?", (HUMAN,))
    return int(found[0][0]) if found else 0  # type: ignore[call-overload]


def _store_key(url: str) -> str:
    """A store as the memory file records its copies: the URL with its query, since two
    schemas of one database (``?options=-csearch_path%3D...``) are two stores, and with
    its secrets masked."""
    return without_password(url)


def _note_copied(memory: Path, url: str) -> None:
    """In the memory file: how many human units it had when copied into this store, so
    that the guard warns again only when it has more (a CAT tool's new units)."""
    with sqlite3.connect(memory) as db:
        db.execute(
            "CREATE TABLE IF NOT EXISTS copied_into (store TEXT PRIMARY KEY, human INTEGER NOT "
            "NULL, at TEXT NOT NULL)"
        )
        db.execute(
            "INSERT INTO copied_into (store, human, at) VALUES (?, ?, datetime('now')) "
            "ON CONFLICT (store) DO UPDATE SET human = excluded.human, at = excluded.at",
            (_store_key(url), _human_units(memory)),
        )
    db.close()


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def _rows(
    path: Path, query: str, args: Sequence[object] = (), *, strict: bool = False
) -> list[tuple[object, ...]]:
    """Rows of an SQLite file, read only; nothing when it is not there. One that cannot be
    read gets a warning (the run goes on: the file is not its store), or with ``strict``
    (the review states: going on could write over hand edits) a ``ConfigError``."""
    if not path.is_file():
        return []
    try:
        return peek(path, query, args)
    except sqlite3.Error as exc:
        if isinstance(exc, sqlite3.OperationalError) and "no such table" in str(exc):
            return []  # a file from before that table (copied_into)
        if strict:
            raise ConfigError(
                f"cannot be read ({exc}) to check that the shared store has its review states",
                path=path,
                hint="fix or move the file away (its states are then not carried over)",
            ) from None
        logger.warning("%s: cannot be read (%s): not checked against the shared store", path, exc)
    return []

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
from syndicate.resources.memory import HUMAN, TranslationMemory
from syndicate.review.store import ReviewStore
from syndicate.runs.journal import Journal
from syndicate.storage import Copied, Stored

logger = logging.getLogger(__name__)
COPY_HINT = "copy them into it with 'syndicate store copy'"


def state_folder(settings: Settings, *, no_tm: bool = False) -> Path:
    """Where a batch keeps its journal: beside the memory, else the user's data folder."""
    tm_path = None if no_tm else settings.tm_path()
    if tm_path is not None:
        return tm_path.parent
    import platformdirs

    return Path(platformdirs.user_data_dir("syndicate"))


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
        found.append(
            _Source("translation memory", memory, lambda at: TranslationMemory(at, wait=wait))
        )
    # A run with --no-tm keeps its journal in the user's data folder: both are copied.
    for folder in dict.fromkeys((state_folder(settings), state_folder(settings, no_tm=True))):
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
    return done


def check_left_behind(settings: Settings, folders: Sequence[Path]) -> None:
    """With ``store`` set, before a run writes translations into ``folders``: raise a
    ``ConfigError`` when the state folder's ``review.sqlite3`` has review states of
    translations in them that the shared store lacks (the run would write over their
    hand edits); warn when ``journal.sqlite3`` has jobs done in them, or the memory file
    human units, that the shared store lacks (redone, paid for again)."""
    url = settings.store_url()
    if url is None:
        return
    inside = [str(f.resolve()) for f in folders]
    state = state_folder(settings)
    review = state / "review.sqlite3"
    mine = {
        str(path)
        for folder in inside
        for (path,) in _rows(
            review,
            "SELECT path FROM translation WHERE substr(path, 1, ?) = ?",
            (len(folder) + 1, folder + "/"),
        )
    }
    if mine:
        with ReviewStore(url, wait=settings.tm_wait) as shared:
            known = set().union(*(shared.paths_under(Path(f)) for f in inside))
        missing = sorted(mine - known)
        if missing:
            raise ConfigError(
                f"the review states of {len(missing)} translations written here (first: "
                f"{missing[0]}) are in this file, not in the shared store; a run without "
                "them would write over hand-edited translations",
                path=review,
                hint=COPY_HINT,
            )
    for folder in dict.fromkeys((state, state_folder(settings, no_tm=True))):
        journal = folder / "journal.sqlite3"
        marks = ", ".join("?" * len(inside))
        done = _rows(
            journal, f"SELECT out, key FROM job WHERE state = 'done' AND out IN ({marks})", inside
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
        found = _rows(memory, "SELECT count(*) FROM tu WHERE engine = ?", (HUMAN,))
        human = int(found[0][0]) if found else 0  # type: ignore[call-overload]
        if human:
            with TranslationMemory(url, wait=settings.tm_wait) as shared:
                theirs = shared.count(engine=HUMAN)
            if theirs < human:
                logger.warning(
                    "%s: %d human translation units (TMX) are not in the shared store's "
                    "memory, and their segments will be sent to the engine; %s",
                    memory,
                    human - theirs,
                    COPY_HINT,
                )


def _rows(path: Path, query: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
    """Rows of an SQLite file, read only (nothing when it is not there or not one)."""
    if not path.is_file():
        return []
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            return list(db.execute(query, tuple(args)))
        finally:
            db.close()
    except sqlite3.Error:
        return []

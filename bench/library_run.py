"""One batch run through the library, timed, for bench/against.py --library.

    PYTHONPATH=CHECKOUT python bench/library_run.py ARTICLES WORK [--memory]

Runs the articles in ARTICLES into en-GB and ja with the offline pseudo engine, fixed
time, 8 requests at once, one process, journal and outputs under WORK, no memory unless
``--memory``, and prints the CPU seconds of the run call alone, as bench/batch.py measures
it: imports and start-up are left out, what the run loads on first use (the detector's
profiles) is in.

It imports ``syndicate`` from CHECKOUT, and speaks both library interfaces it may find
there: ``syndicate.runs.batch`` (today's) and ``syndicate.batch`` (before the package was
split into subpackages), so that revisions from before issue 19 can be timed the same way.
It imports nothing else of this checkout's: the bench's other scripts import today's
library.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

NOW = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC)
LOCALES = ("en-GB", "ja")


def _run_today(paths: list[Path], work: Path, memory: bool) -> float:
    from syndicate.engines.pseudo import PseudoEngine
    from syndicate.localize.renderer import LocalizeOptions
    from syndicate.resources.memory import TranslationMemory
    from syndicate.runs.batch import BatchOptions, Job, run_jobs
    from syndicate.runs.journal import Journal
    from syndicate.runs.step import TranslateOptions

    jobs = [Job(p, t) for p in paths for t in LOCALES]
    options = TranslateOptions(
        PseudoEngine(),
        localize=LocalizeOptions(),
        now=NOW,
        memory=TranslationMemory(work / "tm.sqlite3") if memory else None,
    )
    s = BatchOptions(
        translate=options, out=work / "out", journal=Journal(work / "journal.sqlite3"),
        workers=8, processes=1,
    )  # fmt: skip
    return _timed(run_jobs, jobs, s)


def _run_before_layout(paths: list[Path], work: Path, memory: bool) -> float:
    from syndicate.batch import Job, Settings, run_batch  # type: ignore[import-not-found]
    from syndicate.journal import Journal  # type: ignore[import-not-found]
    from syndicate.memory import TranslationMemory  # type: ignore[import-not-found]

    from syndicate.engines.pseudo import PseudoEngine
    from syndicate.localize import LocalizeOptions  # type: ignore[attr-defined]

    jobs = [Job(p, t) for p in paths for t in LOCALES]
    s = Settings(
        engine=PseudoEngine(),
        out=work / "out",
        journal=Journal(work / "journal.sqlite3"),
        now=NOW,
        localize=lambda partner: LocalizeOptions(),
        memory=TranslationMemory(work / "tm.sqlite3") if memory else None,
        workers=8,
    )
    return _timed(run_batch, jobs, s)


def _timed(run: Any, *args: Any) -> float:
    start = time.process_time()
    run(*args)
    return time.process_time() - start


def main() -> None:
    articles, work = Path(sys.argv[1]), Path(sys.argv[2])
    memory = "--memory" in sys.argv[3:]
    paths = sorted(articles.glob("*.md"))
    import syndicate

    # By the package's own files: an editable install's import hook would find today's
    # subpackages for an earlier checkout's package.
    if (Path(syndicate.__file__).parent / "runs" / "batch.py").exists():
        cpu = _run_today(paths, work, memory)
    else:
        cpu = _run_before_layout(paths, work, memory)
    print(f"{cpu:.6f}")


if __name__ == "__main__":
    main()

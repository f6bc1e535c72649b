"""CPU per job of `syndicate batch`, this checkout against an earlier revision, same work.

    python bench/against.py REV [--articles 200] [--runs 3] [--library [--memory]]

Checks REV out into a temporary git worktree, makes N articles (bench/batch.py's
make_articles: the examples' shapes, prose drawn from the sentence corpus), and runs
`syndicate batch ARTICLES --to en-GB,ja --engine pseudo --now T` (the offline engine: all
of it is our CPU) through each checkout's command line in turn, with the same Python,
each in a fresh state and output folder, alternating, after one warm-up run each (caches
that are built once per machine, such as the detector's profiles, are built by then), each
package compiled to bytecode first, as an install has it.
This checkout runs with `--processes 1`, so that both figures are one process's work.

Prints, per checkout, the median wall time and CPU (user + system of the command, start-up
included) and the CPU per job, then the ratio of this checkout's CPU to REV's.

``--library`` measures as bench/batch.py does instead, which is how issue 19 states its
target: each checkout's library runs the batch in a fresh process (bench/library_run.py,
which speaks the library interfaces of both layouts), without memory unless ``--memory``,
and the CPU of the run call alone is compared (imports left out, the detector's profiles
loaded on first use left in).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import make_articles  # noqa: E402

NOW = "2025-07-03T12:00:00Z"
LOCALES = "en-GB,ja"


def run(
    checkout: Path, articles: Path, work: Path, extra: list[str], library: list[str] | None
) -> tuple[float, float]:
    """One batch run from ``checkout``: (wall seconds, CPU seconds); through the library
    (bench/library_run.py with ``library``'s options) when that is not None."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")},
        "PYTHONPATH": str(checkout),
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CACHE_HOME": str(work.parent / f"cache-{checkout.name}"),
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
    }
    if library is not None:
        script = str(Path(__file__).resolve().parent / "library_run.py")
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, script, str(articles), str(work), *library],
            cwd=work, env=env, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"{checkout}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
        return time.perf_counter() - start, float(done.stdout.split()[-1])
    command = [sys.executable, "-m", "syndicate", "-q", "batch", str(articles), "--to", LOCALES]
    command += ["--engine", "pseudo", "--now", NOW, "--out", str(work / "out"), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3):
        raise SystemExit(f"{checkout}: exit {done.returncode}: {done.stderr.strip()[-400:]}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the earlier revision (a commit, tag or branch)")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--library", action="store_true", help="the library's run call alone, as bench/batch.py"
    )
    parser.add_argument("--memory", action="store_true", help="with --library: a memory too")
    args = parser.parse_args()
    library = (["--memory"] if args.memory else []) if args.library else None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        old = root / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(old), args.rev],
            check=True,
        )
        try:
            (root / "articles").mkdir()
            make_articles(root / "articles", args.articles, random.Random(7))
            (root / "warm").mkdir()
            make_articles(root / "warm", 3, random.Random(8))
            checkouts = {"this checkout": (ROOT, ["--processes", "1"]), args.rev: (old, [])}
            for checkout, _ in checkouts.values():
                # Bytecode for every module, as an installed package has it: a module first
                # imported inside the run (PYTHONDONTWRITEBYTECODE set, or a stale cache)
                # would otherwise be compiled from source in every run and counted.
                subprocess.run(
                    [sys.executable, "-m", "compileall", "-q", str(checkout / "syndicate")],
                    check=True,
                )
            figures: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
            for i in range(args.runs + 1):
                for name, (checkout, extra) in checkouts.items():
                    work = root / f"run-{i}-{checkout.name}"
                    work.mkdir()
                    source = root / ("warm" if i == 0 else "articles")
                    measured = run(checkout, source, work, extra, library)
                    if i:
                        figures[name].append(measured)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=True
            )
    jobs = args.articles * len(LOCALES.split(","))
    how = "the library's run call" if library is not None else "the command, start-up included"
    print(
        f"{args.articles} articles x {LOCALES}, engine pseudo, median of {args.runs} runs each, "
        f"CPU of {how}" + (", with a memory" if library else "")
    )
    cpu = {}
    for name, runs in figures.items():
        wall = statistics.median(w for w, _ in runs)
        cpu[name] = statistics.median(c for _, c in runs)
        print(
            f"{name:<16} {wall:6.2f} s wall  {cpu[name]:6.2f} s CPU  "
            f"{cpu[name] / jobs * 1000:6.2f} ms CPU a job"
        )
    print(f"CPU, this checkout / {args.rev}: x{cpu['this checkout'] / cpu[args.rev]:.2f}")


if __name__ == "__main__":
    main()

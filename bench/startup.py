"""How fast `syndicate --help` starts, against baselines measured in the same run.

Prints the median wall time of N runs of each command, and the ratio to a bare Python
start. The target (issue 2): well under half a second, which needs the heavy imports
(requests, babel, markdown-it, langdetect) deferred to the commands that use them.

    python bench/startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def measure(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    py = sys.executable
    script = shutil.which("syndicate")
    cases = [
        ("python -c pass (baseline)", [py, "-c", "pass"]),
        ("python -c 'import click'", [py, "-c", "import click"]),
        ("python -m syndicate --help", [py, "-m", "syndicate", "--help"]),
    ]
    if script:
        cases.append(("syndicate --help (console script)", [script, "--help"]))
    heavy = "import requests, babel.dates, markdown_it, langdetect, yaml"
    cases.append(("importing the heavy modules (for contrast)", [py, "-c", heavy]))
    base = None
    print(f"median of {args.runs} runs each")
    for label, cmd in cases:
        t = measure(cmd, args.runs)
        base = base or t
        print(f"{label:<45} {t * 1000:8.1f} ms   x{t / base:5.2f} of bare python")


if __name__ == "__main__":
    main()

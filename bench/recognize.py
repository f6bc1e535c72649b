"""Entity recognition on a night's segments: every scan on every text, or prefiltered scans.

    python bench/recognize.py [--articles 200] [--rounds 7]

Generates N articles as bench/batch.py does (same seed), segments them, and runs the
recognizer on every segment's template, as the batch does, two ways in the same process:
``_recognize_all`` (every regex scanned over every text, the recognizer before its
prefilters) and ``recognize`` (the prefilters skip the scans that cannot match). Both
must give the same entities on every segment; the script checks it first. It prints the
CPU (time.process_time) of one pass over all segments, the best of the rounds for each,
the two alternating round by round, and the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from batch import make_articles  # noqa: E402

from syndicate.localize.entities.recognize import _recognize_all, recognize  # noqa: E402
from syndicate.markdown.article import read_article  # noqa: E402
from syndicate.markdown.segment import segment_article  # noqa: E402
from syndicate.types import Entity  # noqa: E402


def segments(n: int) -> list[str]:
    """The template of every segment of N generated articles."""
    with tempfile.TemporaryDirectory() as folder:
        paths = make_articles(Path(folder), n, random.Random(7))
        return [s.template for p in paths for s in segment_article(read_article(p)).segments]


def cpu(fn: Callable[[str], list[Entity]], texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        fn(text)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    texts = segments(args.articles)
    found = 0
    for text in texts:
        new = recognize(text)
        if new != _recognize_all(text):
            sys.exit(f"prefiltered and unfiltered recognition differ on {text!r}")
        found += len(new)
    old_times, new_times = [], []
    for _ in range(args.rounds):
        old_times.append(cpu(_recognize_all, texts))
        new_times.append(cpu(recognize, texts))
    old, new = min(old_times), min(new_times)
    old_median, new_median = statistics.median(old_times), statistics.median(new_times)
    print(
        f"{len(texts)} segments of {args.articles} articles, {sum(map(len, texts)):,} chars, "
        f"{found} entities (the same both ways)"
    )
    print(
        f"every scan (unfiltered): {old * 1000:.1f} ms CPU "
        f"(best of {args.rounds}; median {old_median * 1000:.1f})"
    )
    print(
        f"prefiltered (recognize): {new * 1000:.1f} ms CPU "
        f"(best of {args.rounds}; median {new_median * 1000:.1f})"
    )
    print(f"ratio: x{old / new:.2f} (best), x{old_median / new_median:.2f} (median)")


if __name__ == "__main__":
    main()

"""Entity recognition: precision and recall per kind on the team's corpus, and speed.

    python bench/entities.py [--sentences 1000] [--runs 5]

Exact match: an entity counts as found only with the same kind, span and value. The
speed figure is recognition of one article body of N sentences (drawn in order from the
corpus, so it has the corpus's mix of entities and traps), against a baseline measured
in the same run: a single regular expression that finds bare numbers in the same text.
The target (issue 3): F1 >= 0.97 per kind, no entity on the traps, 1,000 sentences in
under 50 ms.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.localize.entities import recognize  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "entities.yaml"
KINDS = ("money", "percent", "date", "time", "datetime")


def score(cases: list[dict]) -> tuple[dict[str, tuple[int, int, int]], int]:
    """Per kind: (true positives, predicted, expected); and entities found on traps."""
    tp: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    on_traps = 0
    for case in cases:
        want = {(e["kind"], e["span"], repr(e["value"])) for e in case["entities"]}
        got = {(e.kind, e.text, repr(e.value.to_json())) for e in recognize(case["text"])}
        if not case["entities"]:
            on_traps += len(got)
        for kind, *_ in want:
            expected[kind] += 1
        for item in got:
            predicted[item[0]] += 1
            if item in want:
                tp[item[0]] += 1
    return {k: (tp[k], predicted[k], expected[k]) for k in KINDS}, on_traps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cases = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    table, on_traps = score(cases)
    traps = sum(1 for c in cases if not c["entities"])
    print(
        f"corpus: {len(cases)} sentences, {traps} traps, "
        f"{sum(e for _, _, e in table.values())} expected entities"
    )
    print(
        f"{'kind':<10}{'expected':>9}{'found':>7}{'correct':>9}{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for kind, (tp, pred, exp) in table.items():
        p = tp / pred if pred else 1.0
        r = tp / exp if exp else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:<10}{exp:>9}{pred:>7}{tp:>9}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
    print(f"entities found on traps: {on_traps}")

    texts = [c["text"] for c in cases]
    body = " ".join(texts[i % len(texts)] for i in range(args.sentences))
    numbers = re.compile(r"\d+(?:[.,]\d+)*")
    ours, base = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        found = recognize(body)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        numbers.findall(body)
        base.append(time.perf_counter() - start)
    t, b = statistics.median(ours), statistics.median(base)
    print(
        f"recognizing {args.sentences} sentences ({len(body):,} chars, {len(found)} entities): "
        f"{t * 1000:.1f} ms (median of {args.runs}); bare-number regex baseline {b * 1000:.2f} ms, "
        f"x{t / b:.0f}"
    )


if __name__ == "__main__":
    main()

"""Language detection's CPU: langdetect's own Detector against ours (fastdetect), same run.

    python bench/detect.py [--articles 200] [--rounds 5] [--seed 7]

Both read the same samples, as ``detect_text`` makes them (URLs left out, the first 500
characters): of N articles generated as bench/batch.py generates a night's batch, and,
apart, of the entity corpus's sentences long enough to detect (short texts: fewer
n-grams, more steps before langdetect settles). Both use the compact profiles and seed 0,
as ``detect_text`` does; "stock" is what it did before fastdetect (``factory().create()``).
Prints the CPU (time.process_time) per detection of each, the median and the best of the
rounds, the ratios (stock / fastdetect), and how many results are identical (every
language's probability, compared with ==, and the no-features error alike).

Each round runs them over every sample, in alternating order; before the first, both run
once (profiles loaded, n-grams unpacked, as in a batch after its first articles).
fastdetect remembers the rows of each word it has seen: "fastdetect" is timed with that
memory emptied before each round (a batch's single pass, meeting words as it goes),
"words seen" with it kept from the round before (a long-running worker).
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
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from batch import make_articles  # noqa: E402
from langdetect.lang_detect_exception import LangDetectException  # noqa: E402

from syndicate.markdown.article import parse_article  # noqa: E402
from syndicate.markdown.segment import segment_article  # noqa: E402
from syndicate.translation import fastdetect  # noqa: E402
from syndicate.translation.detect import _URL, MIN_LETTERS, document_text, sample  # noqa: E402
from syndicate.translation.langprofiles import factory  # noqa: E402


def prepared(text: str) -> str:
    """What detect_text hands langdetect."""
    return sample(_URL.sub(" ", text))


def article_samples(n: int, seed: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        paths = make_articles(Path(folder), n, random.Random(seed))
        texts = [p.read_text(encoding="utf-8") for p in paths]
    return [prepared(document_text(segment_article(parse_article(t)))) for t in texts]


def corpus_samples() -> list[str]:
    cases = yaml.safe_load((ROOT / "tests/data/entities.yaml").read_text(encoding="utf-8"))
    texts = [prepared(case["text"]) for case in cases]
    return [t for t in texts if sum(ch.isalpha() for ch in t) >= MIN_LETTERS]


def detect(make: Callable[[], Any], text: str) -> object:
    """langdetect's answer, as detect_text asks: every language's probability."""
    detector = make()
    detector.set_max_text_length(len(text))
    detector.append(text)
    try:
        detector.get_probabilities()
    except LangDetectException as exc:
        return str(exc)
    return list(zip(detector.langlist, detector.langprob, strict=True))


def cpu(make: Callable[[], Any], texts: list[str]) -> float:
    """CPU ms per detection over the texts."""
    start = time.process_time()
    for text in texts:
        detect(make, text)
    return (time.process_time() - start) * 1000 / len(texts)


def compare(label: str, texts: list[str], rounds: int) -> None:
    made = factory()

    def stock() -> Any:
        return made.create()

    def ours() -> Any:
        return fastdetect.FastDetector(made)

    same = sum(detect(stock, t) == detect(ours, t) for t in texts)  # and the warm-up
    runs: list[tuple[str, Callable[[], Any], bool]] = [
        ("stock", stock, False),
        ("fastdetect", ours, True),  # words forgotten first: a batch's first pass
        ("  words seen", ours, False),  # words remembered from the round before
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in runs}
    for i in range(rounds):
        for name, make, forget in runs if i % 2 == 0 else runs[::-1]:
            if forget:
                fastdetect.clear_memory()
            times[name].append(cpu(make, texts))
    median = {name: statistics.median(t) for name, t in times.items()}
    best = {name: min(t) for name, t in times.items()}
    print(f"{label}: {len(texts)} samples, {sum(map(len, texts)) / len(texts):.0f} characters")
    for name in times:
        ratio = median["stock"] / median[name]
        print(
            f"  {name:<13} {median[name]:6.3f} ms per detection (best {best[name]:.3f})"
            + (
                ""
                if name == "stock"
                else f"   x{ratio:.2f} (best x{best['stock'] / best[name]:.2f})"
            )
        )
    print(f"  identical     {same} of {len(texts)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"CPU per detection (time.process_time), median of {args.rounds} rounds")
    compare("articles", article_samples(args.articles, args.seed), args.rounds)
    compare("corpus sentences", corpus_samples(), args.rounds)


if __name__ == "__main__":
    main()

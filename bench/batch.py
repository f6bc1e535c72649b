"""A night's batch: N articles x 2 locales through a LibreTranslate-compatible server.

    python bench/batch.py [--articles 200] [--latency 0.05] [--capacity 8] [--naive-sample 5]

Generates N distinct articles from the team's examples and sentence corpus, starts a
local LibreTranslate-compatible server that takes `--latency` seconds per request and
serves `--capacity` requests at once, runs `syndicate batch` (through the library) into
two locales, and prints, measured in the same run:

- our wall time, requests and characters sent, peak memory;
- the lower bound: ceil(requests needed / capacity) x latency, with requests needed = the
  segments to translate packed 50 to a request;
- the naive baseline: deep-translator's LibreTranslator called once per paragraph in a
  loop, as a script author would write it (timed on a sample of articles and scaled: the
  loop is strictly sequential, so its time grows linearly).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.batch import Job, Settings, run_batch  # noqa: E402
from syndicate.engines.base import RetryPolicy  # noqa: E402
from syndicate.engines.libre import LibreEngine  # noqa: E402
from syndicate.journal import Journal  # noqa: E402
from syndicate.localize import LocalizeOptions  # noqa: E402
from syndicate.reader import parse_article  # noqa: E402
from syndicate.testing import LibreTranslateServer  # noqa: E402

NOW = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC)


def make_articles(folder: Path, n: int, rng: random.Random) -> list[Path]:
    examples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.md"))]
    corpus = [
        c["text"]
        for c in yaml.safe_load((ROOT / "tests/data/entities.yaml").read_text(encoding="utf-8"))
    ]
    paths = []
    for i in range(n):
        text = examples[i % len(examples)].replace(
            "url: https://nuntianews.example/", f"url: https://nuntianews.example/{i}/", 1
        )
        extra = " ".join(rng.sample(corpus, 3))
        text = text.rstrip() + f"\n\nCatatan redaksi {i}: {extra}\n"  # every article differs
        path = folder / f"berita-{i:04d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def naive(paths: list[Path], url: str) -> float:
    from deep_translator import LibreTranslator

    start = time.perf_counter()
    for path in paths:
        body = parse_article(path.read_text(encoding="utf-8")).body
        for paragraph in [p for p in body.split("\n\n") if p.strip()]:
            for target in ("en", "ja"):
                LibreTranslator(source="id", target=target, custom_url=url, api_key="x").translate(
                    paragraph
                )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--capacity", type=int, default=8)
    parser.add_argument("--naive-sample", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp, LibreTranslateServer(latency=args.latency) as server:
        server.capacity = args.capacity
        root = Path(tmp)
        (root / "articles").mkdir()
        paths = make_articles(root / "articles", args.articles, rng)
        engine = LibreEngine(server.url, retry=RetryPolicy(retries=3, backoff=0.05), batch_size=50)
        jobs = [Job(p, t) for p in paths for t in ("en-GB", "ja")]
        journal = Journal(root / "state" / "journal.sqlite3")
        settings = Settings(
            engine=engine,
            out=root / "out",
            journal=journal,
            now=NOW,
            localize=lambda p: LocalizeOptions(),
            workers=args.capacity,
        )
        start = time.perf_counter()
        result = run_batch(jobs, settings)
        ours = time.perf_counter() - start
        journal.close()
        stats = result.stats
        needed = math.ceil(stats.unique / 50) if stats.unique else 0
        bound = math.ceil(needed / args.capacity) * args.latency
        server.latency = args.latency
        sample = paths[: args.naive_sample]
        requests_before = len(server.requests)
        naive_sample = naive(sample, server.url)
        naive_total = naive_sample * len(paths) / max(1, len(sample))
        naive_requests = (
            (len(server.requests) - requests_before) * len(paths) // max(1, len(sample))
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.articles} articles x 2 locales, latency {args.latency * 1000:.0f} ms, "
        f"{args.capacity} requests at once"
    )
    print(
        f"ours: {ours:.2f} s wall, {stats.requests} requests, {stats.characters:,} characters, "
        f"{stats.unique} distinct segments, status {result.status}, peak memory {peak:.0f} MB"
    )
    if bound:
        print(
            f"lower bound: {needed} requests / {args.capacity} at once "
            f"x {args.latency * 1000:.0f} ms "
            f"= {bound:.2f} s -> ours is x{ours / bound:.2f} of it"
        )
    print(
        f"naive loop (deep-translator, a request per paragraph): {naive_total:.1f} s, "
        f"{naive_requests} requests (measured on {len(sample)} articles: {naive_sample:.2f} s) "
        f"-> ours is {naive_total / ours:.1f}x faster"
    )


if __name__ == "__main__":
    main()

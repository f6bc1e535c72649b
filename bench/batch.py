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
  loop is strictly sequential, so its time grows linearly);
- the floor: what the least any run must do costs on this machine, timed on one core
  after our run: load langdetect and detect each article (unless `--from`), parse each
  article and each output with markdown-it (the QA check compares their structure), and
  write each output durably. Set against the lower bound, it tells whether a target is
  within reach of any code here, however fast the rest of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.engines.base import RetryPolicy  # noqa: E402
from syndicate.engines.libre import LibreEngine  # noqa: E402
from syndicate.localize.renderer import LocalizeOptions  # noqa: E402
from syndicate.markdown.article import parse_article  # noqa: E402
from syndicate.review.store import ReviewStore  # noqa: E402
from syndicate.runs.batch import BatchOptions, Job, run_jobs  # noqa: E402
from syndicate.runs.journal import Journal  # noqa: E402
from syndicate.runs.step import TranslateOptions  # noqa: E402
from syndicate.testing import LibreTranslateServer  # noqa: E402

NOW = dt.datetime(2025, 7, 3, 12, tzinfo=dt.UTC)


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")


def sentence_pool(examples: list[str]) -> list[str]:
    """Every sentence of the entity corpus and of the examples' paragraphs."""
    corpus = yaml.safe_load((ROOT / "tests/data/entities.yaml").read_text(encoding="utf-8"))
    pool = [c["text"] for c in corpus]
    for text in examples:
        for block in text.split("---", 2)[2].split("\n\n"):
            if block.strip() and block.lstrip()[0] not in "#->!*":
                pool += _SENTENCE.split(block.strip())
    return pool


def make_articles(folder: Path, n: int, rng: random.Random) -> list[Path]:
    """N distinct articles: an example's shape (front matter, image, headings, list, quote),
    its prose replaced by paragraphs of two or three sentences drawn from the pool.

    A night's articles share few paragraphs; repeating the three examples would let the
    memory and the cross-article dedupe do all the work, and measure nothing.
    """
    examples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.md"))]
    pool = sentence_pool(examples)
    paths = []
    for i in range(n):
        _, meta, body = examples[i % len(examples)].split("---", 2)
        day = dt.date(2025, 6, 1) + dt.timedelta(days=i % 28)
        title = json.dumps(rng.choice(pool)[:90], ensure_ascii=False)
        meta = re.sub(r"^title: .*$", lambda _, t=title: f"title: {t}", meta, flags=re.M)
        meta = re.sub(r"^date: \S+", f"date: {day.isoformat()}T09:00:00+07:00", meta, flags=re.M)
        meta = meta.replace(
            "url: https://nuntianews.example/", f"url: https://nuntianews.example/{i}/", 1
        )
        blocks = []
        for block in body.strip().split("\n\n"):
            head = block.lstrip()[:1]
            if head == "-":
                block = "\n".join(f"- {rng.choice(pool)}" for _ in block.splitlines())
            elif head not in "#>!*" or block.startswith("**"):
                lead = block[: block.index("—**") + 3] + " " if block.startswith("**") else ""
                block = lead + " ".join(rng.sample(pool, rng.randint(2, 3)))
            blocks.append(block)
        path = folder / f"berita-{i:04d}.md"
        path.write_text(f"---{meta}---\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def reversed_words(text: str, source: str, target: str) -> str:
    """A stand-in translation that, like a real one, no longer reads as Indonesian: every
    word is spelled backwards; digits, punctuation and placeholder tokens stay put."""
    return _WORD.sub(lambda m: m.group(0)[::-1], text)


_WORD = re.compile(r"[^\W\d_]+")


def naive(paths: list[Path], url: str) -> tuple[float, int]:
    """Seconds and requests for deep-translator called once per paragraph and locale."""
    from deep_translator import LibreTranslator

    requests = 0
    start = time.perf_counter()
    for path in paths:
        body = parse_article(path.read_text(encoding="utf-8")).body
        for paragraph in [p for p in body.split("\n\n") if p.strip()]:
            for target in ("en", "ja"):
                LibreTranslator(source="id", target=target, custom_url=url, api_key="x").translate(
                    paragraph
                )
                requests += 1
    return time.perf_counter() - start, requests


def floor(paths: list[Path], outputs: list[Path], detect: bool) -> dict[str, float]:
    """Seconds of the least any run must do, step by step, on one core."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from syndicate.files import write_atomic
    from syndicate.markdown.segment import markdown_parser
    from syndicate.translation.detect import DETECT_CHARS

    sources = [p.read_text(encoding="utf-8") for p in paths]
    results = [p.read_text(encoding="utf-8") for p in outputs]
    steps = {}
    if detect:
        start = time.process_time()
        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.seed = 0
        for text in sources:
            detector = factory.create()
            detector.append(parse_article(text).body[:DETECT_CHARS])
            detector.get_probabilities()
        steps["langdetect"] = time.process_time() - start
    parser = markdown_parser()
    start = time.process_time()
    for text in sources + results:
        parser.parse(text)
    steps["markdown-it"] = time.process_time() - start
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()  # fsync waits on the disk, off the CPU
        for i, text in enumerate(results):
            write_atomic(Path(tmp) / f"{i}.md", text)
        steps["durable writes"] = time.perf_counter() - start
    return steps


def serve(latency: float, capacity: int, pipe: Connection) -> None:
    """The server, in a process of its own as a real one is: its work is not ours."""
    with LibreTranslateServer(reversed_words, latency=latency) as server:
        server.capacity = capacity
        pipe.send(server.url)
        pipe.recv()  # until the bench is done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--capacity", type=int, default=8)
    parser.add_argument("--naive-sample", type=int, default=5)
    parser.add_argument(
        "--from", dest="source", help="the articles' language, as `batch --from` (no detection)"
    )
    parser.add_argument(
        "--review",
        action="store_true",
        help="record every output's segments in a review store, as the batch command does",
    )
    args = parser.parse_args()
    rng = random.Random(7)
    context = multiprocessing.get_context("spawn")
    ours_end, theirs_end = context.Pipe()
    server = context.Process(target=serve, args=(args.latency, args.capacity, theirs_end))
    server.start()
    try:
        url = ours_end.recv()
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "articles").mkdir()
            paths = make_articles(root / "articles", args.articles, rng)
            engine = LibreEngine.with_settings(
                url=url, retry=RetryPolicy(retries=3, backoff=0.05), batch_size=50
            )
            jobs = [Job(p, t) for p in paths for t in ("en-GB", "ja")]
            journal = Journal(root / "state" / "journal.sqlite3")
            review = ReviewStore(root / "state" / "review.sqlite3") if args.review else None
            settings = BatchOptions(
                translate=TranslateOptions(
                    engine, source=args.source, localize=LocalizeOptions(), now=NOW, review=review
                ),
                out=root / "out",
                journal=journal,
                workers=args.capacity,
            )
            cpu, start = time.process_time(), time.perf_counter()
            result = run_jobs(jobs, settings)
            ours, cpu = time.perf_counter() - start, time.process_time() - cpu
            # Ours alone: the floor, measured next, loads langdetect a second time.
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            journal.close()
            if review is not None:
                review.close()
            outputs = sorted((root / "out").rglob("*.md"))
            steps = floor(paths, outputs, detect=args.source is None)
            sample = paths[: args.naive_sample]
            naive_sample, naive_requests = naive(sample, url)
    finally:
        ours_end.send("stop")
        server.join()
    stats = result.stats
    needed = math.ceil(stats.unique / 50) if stats.unique else 0
    bound = math.ceil(needed / args.capacity) * args.latency
    scale = len(paths) / max(1, len(sample))
    naive_total = naive_sample * scale
    print(
        f"{args.articles} articles x 2 locales, latency {args.latency * 1000:.0f} ms, "
        f"{args.capacity} requests at once"
    )
    print(
        f"ours: {ours:.2f} s wall ({cpu:.2f} s CPU), "
        f"{stats.requests} requests, {stats.characters:,} characters, "
        f"{stats.unique} distinct segments, status {result.status}, peak memory {peak:.0f} MB"
    )
    if bound:
        print(
            f"lower bound: {needed} requests / {args.capacity} at once "
            f"x {args.latency * 1000:.0f} ms "
            f"= {bound:.2f} s -> ours is x{ours / bound:.2f} of it"
        )
    least = sum(steps.values())
    parts = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items())
    print(
        f"floor: {least:.2f} s on one core for the least any run must do ({parts}), "
        f"{least / len(paths) / 2 * 1000:.1f} ms a job"
        + (f" -> x{least / bound:.2f} of the lower bound" if bound else "")
    )
    if sample:
        print(
            f"naive loop (deep-translator, a request per paragraph): {naive_total:.1f} s, "
            f"{naive_requests * scale:.0f} requests (measured on {len(sample)} articles: "
            f"{naive_sample:.2f} s) -> ours is {naive_total / ours:.1f}x faster"
        )


if __name__ == "__main__":
    main()

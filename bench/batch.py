"""A night's batch: N articles x 2 locales, our CPU per stage beside a lean reference's.

    python bench/batch.py [--articles 200] [--engine libre|pseudo] [--latency 0.05]
                          [--capacity 8] [--naive-sample 5] [--from LANG]

Generates N distinct articles from the team's examples and sentence corpus and runs
`syndicate batch` (through the library) into two locales, either through a local
LibreTranslate-compatible server that takes `--latency` seconds per request and serves
`--capacity` requests at once, or through the offline `pseudo` engine (the CPU-bound
workload: no network at all). It prints, measured in the same run:

- our wall time and CPU, requests and characters sent, peak memory;
- our CPU per job and stage (bench/stages.py times the library functions of each stage
  on the run itself) beside the reference pipeline's (bench/reference.py: parse,
  placeholders, a fake engine, render, write, sampled detection; run after ours on the
  same articles, with the same stand-in translation), and the ratio;
- with the server: the lower bound, ceil(requests needed / capacity) x latency, with
  requests needed = the segments to translate packed 50 to a request; and the naive
  baseline, deep-translator's LibreTranslator called once per paragraph in a loop, as a
  script author would write it (timed on a sample of articles and scaled: the loop is
  strictly sequential, so its time grows linearly).
"""

from __future__ import annotations

import argparse
import contextlib
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
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import reference  # noqa: E402
from stages import Stages, timed  # noqa: E402

from syndicate.engines.base import Engine, RetryPolicy  # noqa: E402
from syndicate.engines.libre import LibreEngine  # noqa: E402
from syndicate.engines.pseudo import PseudoEngine, pseudo_localize  # noqa: E402
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


def serve(latency: float, capacity: int, pipe: Connection) -> None:
    """The server, in a process of its own as a real one is: its work is not ours."""
    with LibreTranslateServer(reversed_words, latency=latency) as server:
        server.capacity = capacity
        pipe.send(server.url)
        pipe.recv()  # until the bench is done


def our_stages(engine: object) -> dict[str, list[tuple[object, str]]]:
    """The library functions each stage of a batch job is made of."""
    from syndicate import files
    from syndicate.markdown import article, frontmatter, segment
    from syndicate.translation import detect, protect, qa, translate

    return {
        "parse, placeholders": [(article, "read_article"), (segment, "segment_article")],
        "detect": [(detect, "detect_language")],
        "recognize": [(protect, "with_entities"), (protect, "with_numbers")],
        "plan": [(translate, "analyse"), (translate, "plan_translation")],
        "engine": [(engine, "translate")],
        "render": [
            (translate, "_checked"),
            (translate, "render_tokens"),
            (segment.Document, "reassembled"),
            (frontmatter, "set_keys"),
        ],
        "QA": [(qa, "check")],
        "write": [
            (files, "write_atomic"),
            (files.BatchedWrites, "write"),
            (files.BatchedWrites, "commit"),
        ],
        "journal": [(Journal, "record_many")],
    }


def stage_table(ours: dict[str, float], total: float, theirs: dict[str, float], jobs: int) -> str:
    """Our CPU per job and stage beside the reference's, in milliseconds, and the ratios."""
    theirs = dict(theirs)
    theirs["parse, placeholders"] = theirs.pop("parse", 0) + theirs.pop("placeholders", 0)
    rows = [(stage, ours.get(stage, 0.0), theirs.get(stage)) for stage in our_stages(None)]
    rows.append(("other (planning, dispatch, report)", total - sum(ours.values()), None))
    rows.append(("total", total, sum(theirs.values())))
    lines = [f"{'CPU per job, ms':38} {'ours':>7} {'reference':>10} {'ratio':>7}"]
    for stage, mine, ref in rows:
        mine, ref = mine * 1000 / jobs, None if ref is None else ref * 1000 / jobs
        ratio = f"x{mine / ref:.2f}" if ref else "-"
        lines.append(
            f"{stage:38} {mine:7.2f} {'-' if ref is None else f'{ref:.2f}':>10} {ratio:>7}"
        )
    return "\n".join(lines)


def on_cores(
    jobs: list[Job], settings: BatchOptions, root: Path, processes: int
) -> tuple[float, float]:
    """Wall seconds and the CPU of every process for the same jobs on ``processes``
    worker processes (a journal of their own: nothing is unchanged)."""
    from syndicate.localize import renderer
    from syndicate.markdown import frontmatter
    from syndicate.translation.detect import detect_text

    # The first run's detections and rendered texts: not this one's to reuse (a run of
    # its own starts without them, and its workers fill their own).
    detect_text.cache_clear()
    renderer._cached_profile.cache_clear()
    frontmatter.yaml_scalar.cache_clear()
    with Journal(root / "several" / "journal.sqlite3") as journal:
        options = replace(settings, journal=journal, processes=processes)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu, start = time.process_time(), time.perf_counter()
        run_jobs(jobs, options)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu + children


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--engine", choices=["libre", "pseudo"], default="libre")
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--capacity", type=int, default=8)
    parser.add_argument("--naive-sample", type=int, default=5)
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="also run with N worker processes and print the speed-up over one (0: no)",
    )
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
    with contextlib.ExitStack() as stack:
        url = None
        if args.engine == "libre":
            context = multiprocessing.get_context("spawn")
            ours_end, theirs_end = context.Pipe()
            server = context.Process(target=serve, args=(args.latency, args.capacity, theirs_end))
            server.start()
            stack.callback(server.join)
            stack.callback(ours_end.send, "stop")
            url = ours_end.recv()
        root = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        (root / "articles").mkdir()
        paths = make_articles(root / "articles", args.articles, rng)
        if url:
            engine: Engine = LibreEngine.with_settings(
                url=url, retry=RetryPolicy(retries=3, backoff=0.05), batch_size=50
            )
            fake = lambda text: reversed_words(text, "id", "en")  # noqa: E731
        else:
            engine, fake = PseudoEngine(), pseudo_localize
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
            processes=1,  # the stage table times this process's functions
        )
        stages = Stages()
        with timed(stages, our_stages(engine)):
            cpu, start = time.process_time(), time.perf_counter()
            result = run_jobs(jobs, settings)
            ours, cpu = time.perf_counter() - start, time.process_time() - cpu
        # Ours alone: the reference, run next, loads langdetect a second time.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        journal.close()
        if review is not None:
            review.close()
        theirs = reference.run(paths, root / "reference", ("en-GB", "ja"), fake)
        several = (
            on_cores(jobs, replace(settings, out=root / "several"), root, args.processes)
            if args.processes > 1
            else None
        )
        sample = paths[: args.naive_sample] if url else []
        naive_sample, naive_requests = naive(sample, url) if url else (0.0, 0)
    stats = result.stats
    print(
        f"{args.articles} articles x 2 locales, engine {args.engine}"
        + (
            f", latency {args.latency * 1000:.0f} ms, {args.capacity} requests at once"
            if url
            else ""
        )
    )
    print(
        f"ours: {ours:.2f} s wall ({cpu:.2f} s CPU, {cpu / len(jobs) * 1000:.2f} ms a job), "
        f"{stats.requests} requests, {stats.characters:,} characters, "
        f"{stats.unique} distinct segments, status {result.status}, peak memory {peak:.0f} MB"
    )
    print(stage_table(dict(stages.seconds), cpu, theirs, len(jobs)))
    if several:
        wall, total = several
        print(
            f"--processes {args.processes}: {wall:.2f} s wall ({total:.2f} s CPU in all "
            f"processes) -> x{ours / wall:.2f} the throughput of one process ({ours:.2f} s)"
        )
    needed = math.ceil(stats.unique / 50) if stats.unique else 0
    bound = math.ceil(needed / args.capacity) * args.latency
    if url and bound:
        print(
            f"lower bound: {needed} requests / {args.capacity} at once "
            f"x {args.latency * 1000:.0f} ms "
            f"= {bound:.2f} s -> ours is x{ours / bound:.2f} of it"
        )
    if sample:
        scale = len(paths) / len(sample)
        naive_total = naive_sample * scale
        print(
            f"naive loop (deep-translator, a request per paragraph): {naive_total:.1f} s, "
            f"{naive_requests * scale:.0f} requests (measured on {len(sample)} articles: "
            f"{naive_sample:.2f} s) -> ours is {naive_total / ours:.1f}x faster"
        )


if __name__ == "__main__":
    main()

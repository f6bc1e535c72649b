"""The yardstick for a batch job's CPU: the least a lean script does with the same articles.

parse (front matter with PyYAML, body with markdown-it) -> placeholders (inline markup
and URLs become tokens, a regular expression per text) -> a fake engine (the same
function the pseudo engine runs) -> render (tokens filled back, texts put back into the
body) -> write (a temporary file, fsync, rename), plus language detection on a sample
(langdetect, the first 500 characters, its profiles loaded once). No entity recognition,
no memory, no QA, no journal: what ``syndicate batch`` does beyond this is what its
per-stage table must justify. ``bench/batch.py`` runs it in the same process as ours.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import yaml
from markdown_it import MarkdownIt

STAGES = ("parse", "detect", "placeholders", "engine", "render", "write")
SAMPLE = 500
_FENCE = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MARKUP = re.compile(r"!?\[[^\]]*\]\([^)]*\)|`[^`]*`|<[^>]+>|\*\*|__|\*|_|https?://\S+|⟦\d+⟧")
_TOKEN = re.compile(r"⟦(\d+)⟧")
P = ParamSpec("P")
T = TypeVar("T")


class Clock:
    """CPU seconds per stage, on the calling thread."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def time(self, stage: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            self.seconds[stage] += time.thread_time() - start


def parse(md: MarkdownIt, text: str) -> list[str]:
    """The texts to translate: the title, then each inline run of the body."""
    found = _FENCE.match(text)
    meta = (yaml.safe_load(found.group(1)) if found else None) or {}
    body = text[found.end() :] if found else text
    title = [meta["title"]] if isinstance(meta.get("title"), str) else []
    return title + [t.content for t in md.parse(body) if t.type == "inline" and t.content]


def protect(texts: list[str]) -> list[tuple[str, list[str]]]:
    """Each text as a template with its markup as numbered tokens, and that markup."""
    out = []
    for text in texts:
        kept: list[str] = []

        def token(m: re.Match[str], kept: list[str] = kept) -> str:
            kept.append(m.group(0))
            return f"⟦{len(kept)}⟧"

        out.append((_MARKUP.sub(token, text), kept))
    return out


def detector() -> Callable[[str], str]:
    """langdetect, its profiles loaded once, seeded, reading a sample."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0

    def detect(text: str) -> str:
        one = factory.create()
        one.append(text[:SAMPLE])
        return str(one.detect())

    return detect


def render(text: str, texts: list[str], done: list[tuple[str, list[str]]]) -> str:
    """The article with each text replaced by its translation, the markup filled back in."""
    out, pos = [], 0
    for source, (template, kept) in zip(texts, done, strict=True):
        at = text.find(source, pos)
        if at < 0:
            continue  # a run spread over several lines: left as it was
        out += [text[pos:at], _TOKEN.sub(lambda m, k=kept: k[int(m.group(1)) - 1], template)]
        pos = at + len(source)
    return "".join(out) + text[pos:]


def write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def run(
    paths: list[Path], out: Path, targets: tuple[str, ...], engine: Callable[[str], str]
) -> dict[str, float]:
    """Every article into every target; CPU seconds per stage."""
    clock = Clock()
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    out.mkdir(parents=True, exist_ok=True)
    detect = clock.time("detect", detector)
    for path in paths:
        text = clock.time("parse", path.read_text, encoding="utf-8")
        texts = clock.time("parse", parse, md, text)
        clock.time("detect", detect, " ".join(texts))
        protected = clock.time("placeholders", protect, texts)
        for target in targets:
            done = [(clock.time("engine", engine, t), kept) for t, kept in protected]
            translated = clock.time("render", render, text, texts, done)
            clock.time("write", write, out / f"{path.stem}.{target}.md", translated)
    return dict(clock.seconds)

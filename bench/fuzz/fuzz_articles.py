"""Coverage-guided fuzzing of the reader and the segmenter with atheris (libFuzzer).

    pip install -e '.[fuzz]'
    python bench/fuzz/fuzz_articles.py -max_total_time=300 bench/fuzz/corpus
    python bench/fuzz/fuzz_articles.py crash-<sha1>        # replay one input

Every input is read as an article file would be (bytes -> text -> front matter -> body),
segmented, and reassembled with no change. A ``SyndicateError`` is the tool refusing bad
input, which is fine; any other exception, or a reassembly that is not byte-exact, is a
crash: libFuzzer writes the input to ``crash-*`` and stops. Crashes found are kept as
regression tests in tests/test_regressions.py. The seed corpus is the examples and the
bad-input corpus (copied into the corpus folder given, which is not committed).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["syndicate", "markdown_it", "yaml"]):
    from syndicate.errors import SyndicateError
    from syndicate.files import MAX_ARTICLE_BYTES, decode
    from syndicate.markdown.article import parse_article
    from syndicate.markdown.segment import segment_article

ROOT = Path(__file__).resolve().parents[2]


def check(data: bytes) -> None:
    if len(data) > MAX_ARTICLE_BYTES:
        return
    try:
        text = decode(data, "fuzz.md")
        article = parse_article(text)
        document = segment_article(article)
    except SyndicateError:
        return  # refused with a message: the behaviour we want for bad input
    if document.reassemble({}) != text:
        raise AssertionError("segmenting and reassembling changed the text")
    for seg in document.segments:
        if text[seg.start : seg.end] != seg.source:
            raise AssertionError(f"segment span {seg.start}:{seg.end} does not hold its source")


def seed(corpus: Path) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for path in [
        *sorted((ROOT / "examples").glob("*.md")),
        *sorted((ROOT / "tests/data/bad").glob("*.md")),
    ]:
        shutil.copy(path, corpus / path.name)


def main() -> None:
    folders = [a for a in sys.argv[1:] if not a.startswith("-") and Path(a).suffix == ""]
    for folder in folders:
        seed(Path(folder))
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""GitHub-flavoured Markdown from cmark-gfm's test suite: translated with the pseudo engine,
each document keeps its structure as GitHub's own renderer sees it, or QA refuses it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from syndicate.engines.pseudo import PseudoEngine
from syndicate.markdown.article import parse_article
from syndicate.translation.translate import translate_article
from tests.helpers import NOW

CORPUS = Path(__file__).resolve().parents[1] / "data" / "gfm" / "gfm-examples.json"
_IGNORED_ATTRS = frozenset({"alt"})  # an image's description is text, translated


def gfm_shape(markdown: str) -> list[tuple[str, ...]]:
    """The elements cmark-gfm renders for a document (tag, attributes but alt), no text."""
    import cmarkgfm
    from cmarkgfm.cmark import Options
    from lxml import html

    rendered = cmarkgfm.github_flavored_markdown_to_html(
        markdown, options=Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE
    )
    root = html.fromstring(f"<div>{rendered}</div>")
    return [
        (str(el.tag), *sorted(f"{k}={v}" for k, v in el.attrib.items() if k not in _IGNORED_ATTRS))
        for el in root.iter()
        if isinstance(el.tag, str)
    ]


def test_gfm_corpus_keeps_structure_or_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """Every cmark-gfm spec and extension example: same GFM rendering after translation, or a
    critical QA finding; none changes silently."""
    examples = json.loads(CORPUS.read_text(encoding="utf-8"))
    kept = refused = 0
    refused_by: Counter[str] = Counter()
    silent = []
    engine = PseudoEngine()
    for ex in examples:
        text = "\n" + ex["markdown"]  # a leading blank line: never read as front matter
        result = translate_article(
            parse_article(text), target="en", source="id", engine=engine, now=NOW
        )
        body = parse_article(result.text).body
        critical = [f for f in result.findings if f.severity == "critical"]
        if critical:
            refused += 1
            refused_by.update({f.code for f in critical})
        elif gfm_shape(body) == gfm_shape(ex["markdown"]):
            kept += 1
        else:
            silent.append((ex["file"], ex["example"], ex["section"]))
    with capsys.disabled():
        print(
            f"\nGFM {len(examples)} cmark-gfm examples: structure kept {kept}, refused by QA "
            f"{refused} ({dict(sorted(refused_by.items()))}), changed silently {len(silent)}"
        )
    assert len(examples) == 701
    assert not silent, silent

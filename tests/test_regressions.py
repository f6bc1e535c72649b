"""Inputs that once broke syndicate, found by the fuzzer (bench/fuzz) and by hypothesis.

Each is kept as the smallest input that showed the fault, with what it did then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from syndicate.engines.pseudo import PseudoEngine
from syndicate.errors import InputError
from syndicate.files import decode
from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import segment_article
from syndicate.syndication.package import build_package
from syndicate.translation.translate import translate_article
from tests.helpers import NOW
from tests.syndication.formats.schemas import errors_for
from tests.syndication.formats.test_formats import PARTNER


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # atheris, crash-85716666...: PyYAML's timestamp constructor raised ValueError.
        (
            b"---\ntitle: Harga Beras\ndate: 2025-46-25 14:00:00\n---\n\nHarga beras naik.\n",
            "fuzz.md:3: front matter: 'date' has a value YAML cannot read: "
            "'2025-46-25 14:00:00' (month must be in 1..12); write a date as 2025-07-03",
        ),
        # Nesting deep enough for PyYAML's recursive composer.
        (b"---\na: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nx\n", "exceeded maximum nesting depth"),
        # An explicit tag its value does not match: an AttributeError and a KeyError inside
        # PyYAML, an internal error here once.
        (
            b"---\ntitle: Harga\ndate: !!timestamp besok\n---\n\nHarga naik.\n",
            "fuzz.md:3: front matter: 'date' has a value YAML cannot read: 'besok' (no such "
            "value for timestamp); remove the tag",
        ),
        (
            b"---\ntags:\n  - ekonomi\n  - !!bool mungkin\n---\n\nHarga naik.\n",
            "fuzz.md:4: front matter: 'tags.1' has a value YAML cannot read: 'mungkin'",
        ),
        # Empty tagged numbers: an IndexError inside PyYAML (found by review).
        (
            b"---\ntitle: Harga\nurutan: !!int\n---\n\nHarga naik.\n",
            "fuzz.md:3: front matter: 'urutan' has a value YAML cannot read: '' (no such "
            "value for int); remove the tag",
        ),
        # A key that cannot be built: said of the front matter, not of "a value".
        (
            b"---\n? 2025-13-01\n: 1\n---\n\nHarga naik.\n",
            "fuzz.md:2: front matter has a value YAML cannot read: '2025-13-01' (month",
        ),
    ],
    ids=["month-46", "deep-flow", "tagged-timestamp", "tagged-bool", "empty-int", "bad-key"],
)
def test_front_matter_that_once_crashed_the_reader_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as raised:
        segment_article(parse_article(decode(data, "fuzz.md"), path=Path("fuzz.md")))
    assert message in str(raised.value)


def test_a_lone_surrogate_in_front_matter_is_refused_in_one_line() -> None:
    """Through the Python API a text may hold a lone surrogate, which PyYAML's reader
    cannot encode (found by review: an UnboundLocalError once the typed-value errors
    named their key)."""
    with pytest.raises(InputError, match="front matter has text YAML cannot read"):
        parse_article("---\ntitle: a\udc80b\n---\n\nHarga naik.\n")


def test_an_article_from_stdin_exports_a_valid_original_url() -> None:
    """hypothesis: translation_of '<stdin>' made 'https://…/<stdin>', which is not a URI."""
    source = parse_article("Harga beras di pasar tradisional Jakarta naik tajam pekan ini.\n")
    result = translate_article(source, target="en-GB", engine=PseudoEngine(), source="id", now=NOW)
    text = result.text.replace("---\n", "---\ntitle: Harga Beras\ndate: 2025-06-25\n", 1)
    package = build_package(
        [parse_article(text)],
        partner=PARTNER,
        formats=("ninjs",),
        now=dt.datetime(2025, 7, 3, tzinfo=dt.UTC),
    )
    for name, data in package.files:
        assert errors_for(name, data) == [], name
        assert b"%3Cstdin%3E" in data or name == "manifest.json"


def test_link_labels_are_parsed_only_where_a_bracket_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    """atheris, slow-unit-e7f6384a: a 6 KB paragraph took 11 s (0.01 s unrecorded).

    The span recorder called parseLinkLabel, which scans to the end of the paragraph, at
    every position the link rule was tried: quadratic. Counted, not timed.
    """
    from markdown_it.common import utils  # noqa: F401  (markdown-it's helpers are loaded)

    from syndicate.markdown.segment import markdown_parser, segment_markdown

    helpers = markdown_parser(record=True).helpers
    calls: list[int] = []
    real = helpers.parseLinkLabel

    def counting(state: object, start: int, disable_nested: bool = False) -> int:
        calls.append(start)
        return real(state, start, disable_nested)  # type: ignore[arg-type]

    monkeypatch.setattr(helpers, "parseLinkLabel", counting)
    paragraph = "Harga beras naik di pasar. " * 400 + "[tautan](https://a.example) ![foto](b.jpg)"
    segments = segment_markdown(paragraph + "\n")
    assert len(segments) == 1
    assert len(calls) <= 4  # one per bracket that opens a label, give or take markdown-it's own

"""Properties over generated articles: exact round trips, kept structure, valid exports."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.engines.pseudo import PseudoEngine
from syndicate.localize.entities import recognize
from syndicate.markdown.article import parse_article
from syndicate.markdown.segment import markdown_structure, segment_article
from syndicate.syndication.package import build_package
from syndicate.syndication.partners import FORMATS
from syndicate.translation.translate import translate_article
from tests.helpers import NOW
from tests.strategies import article, sentence
from tests.syndication.formats.schemas import errors_for
from tests.syndication.formats.test_formats import PARTNER, dangerous, html_parts

# Enough examples to find what the examples and the corpus miss, few enough for CI.
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXPORTS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(article())
def test_segmenting_a_generated_article_round_trips_byte_for_byte(text: str) -> None:
    doc = segment_article(parse_article(text))
    assert doc.reassemble({}) == text


@SETTINGS
@given(article())
def test_translating_a_generated_article_keeps_its_structure(text: str) -> None:
    source = parse_article(text)
    result = translate_article(source, target="en-GB", engine=PseudoEngine(), source="id", now=NOW)
    assert markdown_structure(parse_article(result.text).body) == markdown_structure(source.body)


@settings(max_examples=300, deadline=None)
@given(st.lists(sentence(), min_size=1, max_size=8).map(" ".join))
def test_recognition_never_raises_and_spans_point_into_the_text(text: str) -> None:
    for entity in recognize(text):
        assert text[entity.start : entity.end] == entity.text


@EXPORTS
@given(article(), st.sampled_from(["en-GB", "ja"]))
def test_exports_of_a_generated_article_always_validate(text: str, locale: str) -> None:
    if not text.startswith("---"):
        text = "---\ntitle: Harga Beras\ndate: 2025-06-25\nlang: id\n---\n\n" + text
    source = parse_article(text)
    result = translate_article(source, target=locale, engine=PseudoEngine(), source="id", now=NOW)
    translated = parse_article(result.text)
    package = build_package(
        [translated],
        partner=PARTNER,
        formats=FORMATS,
        now=dt.datetime(2025, 7, 3, 12, 0, tzinfo=dt.UTC),
    )
    for name, data in package.files:
        assert errors_for(name, data) == [], name
        for html in html_parts(name, data):
            assert dangerous(html) == [], name

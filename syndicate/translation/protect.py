"""Entities and glossary terms in an article's segments: protected as placeholders.

An entity travels through the engine as an opaque token, so the engine can neither
mangle ``9,6`` nor reorder ``25/6``; the translator renders it for the target locale
afterwards. Entities are only looked for in Indonesian (and Malay) text, whose
notations the recognizer knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from syndicate.localize.entities import recognize
from syndicate.markdown.segment import Document, masked, protect_spans, segment_article
from syndicate.resources.glossary import term_pattern
from syndicate.types import Article, Entity, Placeholder

RECOGNIZED_LANGUAGES = frozenset({"id", "ms"})


def with_entities(document: Document) -> Document:
    """The document with every entity of every segment turned into a placeholder."""

    def spans(text: str) -> list[tuple[int, int, Placeholder]]:
        return [
            (e.start, e.end, Placeholder(0, "standalone", e.text, entity=e))
            for e in recognize(text)
        ]

    return _protected(document, _found(document, spans))


def with_terms(document: Document, terms: Mapping[str, str]) -> Document:
    """The document with glossary terms as placeholders written as ``terms`` says."""
    pattern = term_pattern(terms)
    if pattern is None:
        return document

    def spans(text: str) -> list[tuple[int, int, Placeholder]]:
        return [
            (
                m.start(),
                m.end(),
                Placeholder(0, "standalone", m.group(0), replacement=terms[m.group(0)]),
            )
            for m in pattern.finditer(text)
        ]

    return _protected(document, _found(document, spans))


_NUMBER = re.compile(r"(?<![\w.,/\-\ufffc])\d+(?:[.,]\d+)*(?![\w/\-\ufffc]|[.,]\d)")
_ID_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+")


def with_numbers(
    document: Document, target: str, memo: dict[tuple[str, ...], Document] | None = None
) -> Document:
    """Bare numbers as placeholders, written the target's way when their form is Indonesian.

    An engine cannot then change a number (or read ``1.200`` as one point two): ``1.200``
    becomes ``1,200`` in English and ``6,4`` becomes ``6.4``; integers, years, codes and
    English-style decimals are written as they are.

    The result depends on the document and on how the target writes each number alone:
    ``memo``, kept with ``document`` by the caller, holds the results by those writings, so
    that locales that write every number alike (en-GB and ja write ``1.200`` as ``1,200``)
    share one.
    """
    locale = _babel_locale(target)
    found = [
        [(m.start(), m.end(), m.group(0)) for m in _NUMBER.finditer(masked(seg.template))]
        for seg in document.segments
    ]
    rendered = tuple(
        _render_number(written, locale) if _ID_GROUPED.fullmatch(written) else written
        for spans in found
        for _, _, written in spans
    )
    if memo is not None and rendered in memo:
        return memo[rendered]
    writings = iter(rendered)
    result = _protected(
        document,
        [
            [
                (start, end, Placeholder(0, "standalone", written, replacement=next(writings)))
                for start, end, written in spans
            ]
            for spans in found
        ],
    )
    if memo is not None:
        memo[rendered] = result
    return result


@lru_cache(maxsize=64)  # once per target, not once per plan
def _babel_locale(target: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(target, sep="-"))
    except (ValueError, LookupError):
        return "en"


# News repeats its figures (``1.200``, ``6,4``); Babel takes tens of microseconds a call.
@lru_cache(maxsize=4096)
def _render_number(written: str, locale: str) -> str:
    from babel.numbers import format_decimal

    from syndicate.localize.entities.tables import parse_number

    value, decimals = parse_number(written)
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return str(format_decimal(value, format=pattern, locale=locale))


def _found(
    document: Document, find: Callable[[str], list[tuple[int, int, Placeholder]]]
) -> list[list[tuple[int, int, Placeholder]]]:
    """What ``find`` finds in each segment's text (tokens masked), segment by segment."""
    return [find(masked(seg.template)) for seg in document.segments]


def _protected(document: Document, spans: Sequence[list[tuple[int, int, Placeholder]]]) -> Document:
    """The document with each segment's ``spans`` (from its masked text) as placeholders."""
    segments = []
    for seg, found in zip(document.segments, spans, strict=True):
        if not found:
            segments.append(seg)
            continue
        template, placeholders = protect_spans(seg.template, seg.placeholders, found)
        segments.append(seg.with_template(template, tuple(placeholders)))
    return replace(document, segments=tuple(segments))


@dataclass(frozen=True, slots=True)
class Located:
    """An entity with its offsets in the article's text as given (front matter included)."""

    entity: Entity
    start: int | None
    end: int | None
    where: str


def locate_entities(article: Article) -> list[Located]:
    """Every entity of an article, in reading order, with offsets into ``article.text``."""
    out: list[Located] = []
    for seg in with_entities(segment_article(article)).segments:
        cursor = 0
        for p in seg.placeholders:
            if p.entity is None:
                continue
            pattern = r"\s+".join(re.escape(part) for part in p.entity.text.split())
            m = re.compile(pattern).search(seg.source, cursor)
            if m is None:  # split by markup we cannot see through: report without offsets
                out.append(Located(p.entity, None, None, seg.where))
                continue
            cursor = m.end()
            out.append(Located(p.entity, seg.start + m.start(), seg.start + m.end(), seg.where))
    return out

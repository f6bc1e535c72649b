"""Checks on every translated output: nothing lost, nothing broken, nothing left behind.

Critical (the output is not written): a placeholder lost or its pair broken, a number of the
source missing from the target, a glossary term missing, the Markdown structure changed,
a raw placeholder token left in the text. Warnings (reported, or critical with
``--strict``): a segment left untranslated, a length ratio out of bounds for the pair.
Each check has a code, so that reports can be filtered and counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from syndicate.errors import DetectionError
from syndicate.langtags import parse_tag, same_language
from syndicate.markdown.article import parse_article
from syndicate.markdown.inert import keeps_structure
from syndicate.markdown.segment import Document, markdown_structure
from syndicate.placeholders import (
    TOKEN_RE,
    PlaceholderDamage,
    check_tokens,
    letter_count,
    strip_controls,
    strip_tokens,
)
from syndicate.resources.glossary import missing_terms
from syndicate.translation.detect import detect_text, probably_in
from syndicate.types import Article, Finding, Placeholder

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Letters in the target per letter in the source: outside these, something is odd.
_RATIO = (0.5, 2.2)
_RATIO_BY_TARGET = {"ja": (0.15, 1.2), "zh": (0.12, 1.0), "ko": (0.2, 1.3)}
MIN_LETTERS_FOR_RATIO = 40
MIN_LETTERS_FOR_DETECTION = 80


def check(
    *,
    source: Article,
    document: Document,
    translated: Mapping[int, str],
    output: str,
    target: str,
    source_lang: str,
    terms: Mapping[str, str] | None = None,
    kept: Collection[int] = (),
    parsed: Article | None = None,
    written: Mapping[int, str] | None = None,
) -> list[Finding]:
    """Every finding for one output; ``translated`` maps segment index -> translated template.

    ``parsed`` (the output, parsed) spares the work when the caller has done it already; the
    source's Markdown structure comes with ``document``. ``written`` (segment index ->
    template as written into the output, entities rendered) spares parsing the output's
    Markdown where it provably keeps the source's structure (``markdown.inert``).
    """
    findings: list[Finding] = []
    for i, template in translated.items():
        findings += check_segment(
            document, i, template, target=target, source_lang=source_lang, kept=kept
        )
    parsed = parsed or parse_article(output, path=source.path)
    unchanged = written is not None and keeps_structure(document, written)
    findings += _document(source, output, parsed, terms or {}, document.structure, unchanged)
    return findings


def check_segment(
    document: Document,
    index: int,
    template: str,
    *,
    target: str,
    source_lang: str,
    kept: Collection[int] = (),
) -> list[Finding]:
    """The findings of one translated segment alone (the per-segment part of ``check``)."""
    seg = document.segments[index]
    return _segment(
        seg.template,
        template,
        seg.where,
        seg.placeholders,
        target,
        source_lang,
        translatable=seg.translatable and index not in kept,
    )


def _segment(
    source: str,
    target: str,
    where: str,
    placeholders: Sequence[Placeholder],
    target_lang: str,
    source_lang: str,
    *,
    translatable: bool,
) -> list[Finding]:
    out: list[Finding] = []
    facts = _source_facts(source)
    kinds = {p.index: (p.kind, p.partner) for p in placeholders if p.index in facts.tokens}
    try:
        check_tokens(strip_controls(target), kinds)
    except PlaceholderDamage as exc:
        out.append(Finding("critical", "placeholder-lost", f"markup placeholders: {exc}", where))
    # Most sources have no bare number left (they travel as tokens): nothing to miss then.
    missing = facts.numbers - _numbers(target) if facts.numbers else None
    if missing:
        numbers = ", ".join(sorted(missing))
        out.append(
            Finding(
                "critical",
                "number-changed",
                f"source numbers missing in the translation: {numbers}",
                where,
            )
        )
    if not translatable:
        return out
    tgt_text = strip_tokens(target)
    src_letters, tgt_letters = facts.letters, letter_count(tgt_text)
    if facts.words == " ".join(tgt_text.split()) and src_letters >= 10:
        out.append(Finding("warning", "untranslated", "the text came back unchanged", where))
        return out
    if tgt_letters >= MIN_LETTERS_FOR_DETECTION and probably_in(tgt_text, source_lang) is not False:
        try:
            found = detect_text(tgt_text)
        except DetectionError:
            found = None
        if found and found.confidence >= 0.9 and same_language(found.lang, source_lang):
            out.append(
                Finding(
                    "warning", "untranslated", f"the translation is still in {found.lang}", where
                )
            )
            return out
    if src_letters >= MIN_LETTERS_FOR_RATIO:
        low, high = _RATIO_BY_TARGET.get(parse_tag(target_lang).language, _RATIO)
        ratio = tgt_letters / src_letters
        if not low <= ratio <= high:
            out.append(
                Finding(
                    "warning",
                    "length-ratio",
                    f"the translation has {ratio:.2f} letters per source letter "
                    f"(expected {low}-{high})",
                    where,
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class _SourceFacts:
    """What the checks compare a translation with, read once from a source template: an
    article's segment is checked once per target locale."""

    tokens: frozenset[int]  # the placeholder tokens it has
    numbers: Counter[str]  # its numbers, without group and decimal marks
    words: str  # its text without tokens, its white space runs made one space
    letters: int


@lru_cache(maxsize=1024)  # an article's jobs are checked close together
def _source_facts(template: str) -> _SourceFacts:
    text = strip_tokens(template)
    return _SourceFacts(
        frozenset(int(m.group(1)) for m in TOKEN_RE.finditer(template)),
        _numbers(template),
        " ".join(text.split()),
        letter_count(text),
    )


def _numbers(template: str) -> Counter[str]:
    """The numbers of a template as digits alone (``1.200`` and ``1,200`` are one number).
    A token becomes one mark that no number crosses, as ``masked`` makes it."""
    return Counter(
        n.replace(".", "").replace(",", "") for n in _NUMBER.findall(TOKEN_RE.sub(_MARK, template))
    )


_MARK = "\ufffc"


def _document(
    source: Article,
    output: str,
    translated: Article,
    terms: Mapping[str, str],
    source_structure: Sequence[tuple[str, ...]],
    unchanged: bool = False,
) -> list[Finding]:
    out: list[Finding] = []
    if TOKEN_RE.search(output) and not TOKEN_RE.search(source.text):
        out.append(
            Finding("critical", "placeholder-left", "a raw placeholder token is left in the text")
        )
    change = None if unchanged else _structure_change(source, translated, source_structure)
    if change is not None:
        out.append(change)
    for term, expected, wanted, found in missing_terms(source.text, output, terms):
        what = "kept" if term == expected else f"translated as {expected!r}"
        out.append(
            Finding(
                "critical",
                "glossary",
                f"{term!r} must be {what}: {wanted} in the source, {found} in the output",
            )
        )
    return out


def _structure_change(
    source: Article, translated: Article, source_structure: Sequence[tuple[str, ...]]
) -> Finding | None:
    """The finding for an output whose Markdown structure is not the source's, if so."""
    # A document built without its structure (by hand) has none: parse the source then.
    before = list(source_structure) or markdown_structure(source.body)
    after = markdown_structure(translated.body)
    if before == after:
        return None
    where = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    was = before[where][0] if where < len(before) else "end of document"
    now = after[where][0] if where < len(after) else "end of document"
    return Finding(
        "critical",
        "structure-changed",
        f"Markdown structure changed at element {where + 1}: {was} became {now}",
    )


def summary(findings: Collection[Finding]) -> str:
    """One line for the output's front matter: ``passed`` or what was noticed."""
    if not findings:
        return "passed"
    counts = Counter(f.code for f in findings)
    detail = ", ".join(f"{code} x{n}" if n > 1 else code for code, n in sorted(counts.items()))
    critical = sum(1 for f in findings if f.severity == "critical")
    if critical:
        return f"failed: {detail}"
    return f"passed with {len(findings)} warning{'s' if len(findings) > 1 else ''}: {detail}"

"""An article and one of its translations, segment by segment: what reviewing works on.

The translation is read back from its file, never from a record of what was written, so
that a hand edit is seen as it is. Its segments pair with the source's: the QA check keeps
a translation's Markdown structure the source's, so segmenting both gives the same blocks
in the same order (front matter fields pair by key). Each pair gets a *target template*:
the target text with the source's placeholders found again in it (markup as the source
wrote it, amounts and dates as rendered for the locale, glossary terms as the glossary
writes them), so that a reviewed text goes through the same placeholder, number, glossary
and structure checks as an engine's answer, and into the memory as a template.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from syndicate.errors import InputError
from syndicate.files import read_text
from syndicate.localize.renderer import LocalizeOptions, Renderer
from syndicate.markdown.article import parse_article, read_article
from syndicate.markdown.segment import Document, segment_article
from syndicate.placeholders import TOKEN_RE, PlaceholderDamage, check_tokens, fill, token
from syndicate.resources.glossary import Glossary
from syndicate.resources.memory import FuzzyMatch, TranslationMemory
from syndicate.translation import qa
from syndicate.translation.translate import Plan, article_date, plan_translation, render_tokens
from syndicate.types import Article, Finding, Placeholder, Segment, Translation


def digest(text: str) -> str:
    """The hash that tells two texts apart (a segment's, a file's)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Pair:
    """One translatable segment: its source and its translation as the files have them."""

    position: int  # the segment's index in the source's document
    where: str  # "body" or "front matter <key>"
    source: str  # the text, markup as written, soft line breaks as spaces
    target: str
    source_template: str  # with the source's placeholders (⟦n⟧)
    target_template: str | None  # the same placeholders found in the target; None if lost
    placeholders: tuple[Placeholder, ...]
    forms: Mapping[int, str]  # each placeholder as the target writes it

    @property
    def source_hash(self) -> str:
        return digest(self.source)  # amounts and dates as written: a new figure is a change


@dataclass(frozen=True)
class Bitext:
    """A source article, one translation file of it, and their segment pairs."""

    source: Article
    output: Article
    path: Path  # the translation file
    locale: str
    source_lang: str
    engine: str
    plan: Plan  # the source's segments, protected as for the engine
    counterparts: Mapping[int, Segment]  # each source segment's own in the translation
    pairs: tuple[Pair, ...]
    renderer: Renderer

    @property
    def sha256(self) -> str:
        return digest(self.output.text)

    def pair(self, position: int) -> Pair:
        for p in self.pairs:
            if p.position == position:
                return p
        raise KeyError(position)

    def findings(self, pair: Pair) -> list[Finding]:
        """What the QA checks say of one segment's translation as the file has it."""
        if pair.target_template is None:
            return [
                Finding(
                    "critical",
                    "placeholder-lost",
                    "markup or an amount of the source is missing from the translation file",
                    pair.where,
                )
            ]
        return qa.check_segment(
            self.plan.document,
            pair.position,
            pair.target_template,
            target=self.locale,
            source_lang=self.source_lang,
            kept=self.plan.kept,
        )

    def near_matches(self, memory: TranslationMemory | None, pair: Pair) -> list[FuzzyMatch]:
        """The memory's near matches for a segment's source (none without a memory)."""
        if memory is None:
            return []
        return memory.fuzzy(
            pair.source_template, source_lang=self.source_lang, target_lang=self.locale
        )

    def render(self, position: int, template: str) -> str:
        """A target template as the translation file writes it (markup, amounts, terms)."""
        seg = self.plan.document.segments[position]
        return fill(render_tokens(seg, template, self.renderer), _markup(seg))

    def rewrite(self, templates: Mapping[int, str]) -> tuple[str, list[Finding]]:
        """The translation's text with the segments given replaced, and the critical QA
        findings the change brings (none: it may be written)."""
        target_of = self.counterparts
        edits = []
        for position, template in templates.items():
            seg = target_of[position]
            text = self.render(position, template)
            if seg.quoted:
                text = json.dumps(text, ensure_ascii=False) + seg.suffix
            edits.append((seg.start, seg.end, text))
        text = self.output.text
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        return text, self._new_findings(text, templates)

    def _new_findings(self, text: str, templates: Mapping[int, str]) -> list[Finding]:
        def critical(body: str, changed: Mapping[int, str]) -> set[Finding]:
            known = {p.position: p.target_template for p in self.pairs if p.target_template}
            known.update(changed)
            try:
                parsed = parse_article(body, path=self.path)
            except InputError as exc:
                return {Finding("critical", "unreadable", exc.message)}
            return {
                f
                for f in qa.check(
                    source=self.source,
                    document=self.plan.document,
                    translated=known,
                    output=body,
                    target=self.locale,
                    source_lang=self.source_lang,
                    terms=self.plan.terms,
                    kept=self.plan.kept,
                    parsed=parsed,
                )
                if f.severity == "critical"
            }

        before = critical(self.output.text, {})
        return sorted(critical(text, templates) - before, key=lambda f: (f.where, f.code))


def load_bitext(
    source: Path | str | Article,
    output: Path | str,
    *,
    locale: str | None = None,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    plan: Plan | None = None,
    text: str | None = None,
) -> Bitext:
    """Pair a source article with a translation file of it.

    ``plan`` (the run's own, when a run has just written the translation) spares planning
    the source again; ``text`` is the translation's text when it is not (yet) the file's.

    Raises ``InputError`` (naming the translation) when their segments no longer pair: the
    translation's structure was changed by hand.
    """
    if plan is not None:
        article = plan.article
    else:
        article = source if isinstance(source, Article) else read_article(source)
    out_path = Path(output)
    translated = parse_article(read_text(out_path) if text is None else text, path=out_path)
    meta = translated.meta
    target = str(locale or meta.get("lang") or "")
    if not target:
        raise InputError(out_path, "has no 'lang' in its front matter", hint="give --to LOC")
    source_lang = str(meta.get("source_lang") or "") or None
    if plan is None:
        plan = plan_translation(article, target=target, source=source_lang, glossary=glossary)
    renderer = (localize or LocalizeOptions()).renderer(plan.target, article_date(article))
    target_of = _counterparts(out_path, plan.document, segment_article(translated))
    pairs = []
    for i, seg in enumerate(plan.document.segments):
        if not seg.translatable:
            continue
        other = target_of[i]
        target = fill(other.template, _markup(other))
        forms = _forms(seg, renderer)
        pairs.append(
            Pair(
                position=i,
                where=seg.where,
                source=fill(seg.template, _markup(seg, sources=True)),
                target=target,
                source_template=seg.template,
                target_template=find_template(seg, target, forms),
                placeholders=seg.placeholders,
                forms=forms,
            )
        )
    return Bitext(
        source=article,
        output=translated,
        path=out_path,
        locale=plan.target,
        source_lang=plan.detection.lang,
        engine=str(meta.get("engine") or ""),
        plan=plan,
        counterparts=target_of,
        pairs=tuple(pairs),
        renderer=renderer,
    )


def written_pairs(plan: Plan, translation: Translation) -> tuple[Pair, ...]:
    """The pairs of a translation a run has just made, from what it knows (the texts it
    wrote), without reading the output back: what recording its states needs (position,
    place, source and target texts; no placeholder forms, no target templates). They equal
    ``load_bitext``'s on the written file (tested on every example and CommonMark's)."""
    pairs = []
    for i, seg in enumerate(plan.document.segments):
        if not seg.translatable:
            continue
        source = fill(seg.template, _markup(seg, sources=True))
        pairs.append(
            Pair(
                position=i,
                where=seg.where,
                source=source,
                target=translation.texts.get(i, source),
                source_template=seg.template,
                target_template=None,
                placeholders=seg.placeholders,
                forms={},
            )
        )
    return tuple(pairs)


def _counterparts(path: Path, source_doc: Document, target_doc: Document) -> dict[int, Segment]:
    """Each source segment's counterpart in the translation, by the source's index."""
    source, target = source_doc.segments, target_doc.segments
    by_key = {s.where: s for s in target if s.where != "body"}
    body = [s for s in target if s.where == "body"]
    source_body = [i for i, s in enumerate(source) if s.where == "body"]
    if len(body) != len(source_body):
        raise InputError(
            path,
            f"its Markdown blocks no longer pair with the source's ({len(body)} text blocks, "
            f"the source has {len(source_body)})",
            hint="restore the structure, or translate the article again",
        )
    out = dict(zip(source_body, body, strict=True))
    for i, seg in enumerate(source):
        if seg.where != "body":
            if seg.where not in by_key:
                raise InputError(path, f"has no {seg.where}", hint="restore it")
            out[i] = by_key[seg.where]
    return out


def _markup(seg: Segment, *, sources: bool = False) -> dict[int, str]:
    """Each placeholder's text as written: markup always, amounts and terms as the source
    has them when ``sources`` (else they are left as tokens, rendered elsewhere)."""
    return {
        p.index: p.source
        for p in seg.placeholders
        if sources or (p.entity is None and p.replacement is None)
    }


def _forms(seg: Segment, renderer: Renderer) -> dict[int, str]:
    out = {}
    for p in seg.placeholders:
        if p.entity is not None:
            out[p.index] = renderer.render(p.entity)
        elif p.replacement is not None:
            out[p.index] = p.replacement
        else:
            out[p.index] = p.source
    return out


def find_template(seg: Segment, target: str, forms: Mapping[int, str]) -> str | None:
    """The target text with each of the segment's placeholders found in it as a token, or
    None when one is not there (or the tokens found would not pass the placeholder check).

    Longer forms are claimed first, so that a year is not taken from inside a date.
    """
    present = [int(m.group(1)) for m in TOKEN_RE.finditer(seg.template)]
    claimed: list[tuple[int, int, int]] = []  # start, end, index
    for index in sorted(present, key=lambda i: (-len(forms[i]), i)):
        form = forms[index]
        start = target.find(form)
        while start >= 0 and any(s < start + len(form) and start < e for s, e, _ in claimed):
            start = target.find(form, start + 1)
        if start < 0 or not form:
            return None
        claimed.append((start, start + len(form), index))
    out, pos = [], 0
    for start, end, index in sorted(claimed):
        out.append(target[pos:start])
        out.append(token(index))
        pos = end
    out.append(target[pos:])
    template = "".join(out)
    try:
        check_tokens(template, {p.index: (p.kind, p.partner) for p in seg.placeholders})
    except PlaceholderDamage:
        return None
    return template

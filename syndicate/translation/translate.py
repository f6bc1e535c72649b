"""The main job for one article and one target locale: segments -> engine -> checked text.

Identical segments are sent once; segments the translation memory knows, and segments
already in the target language, are not sent at all. Every translation comes back
through the placeholder check: whitespace damage is repaired; a segment whose
placeholders are lost is sent again on its own, and if they are lost again its text runs
are translated one by one between the placeholders, so the Markdown structure can never
break. Entities and glossary terms are rendered for the target; then the QA checks run.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from syndicate.engines.base import Engine, engine_language
from syndicate.errors import DetectionError, EngineResponseError
from syndicate.langtags import canonical, parse_tag, same_language
from syndicate.localize.renderer import LocalizeOptions, Renderer
from syndicate.markdown.frontmatter import set_keys
from syndicate.markdown.segment import Document, filled, segment_article
from syndicate.placeholders import (
    TOKEN_RE,
    PlaceholderDamage,
    TokenShape,
    letter_count,
    repair,
    shapes,
    strip_controls,
    strip_tokens,
)
from syndicate.resources.glossary import Glossary, missing_terms
from syndicate.resources.memory import TranslationMemory
from syndicate.translation import qa, sentences
from syndicate.translation.detect import (
    FUNCTION_WORDS,
    could_be_in,
    declared_mismatch,
    detect_language,
    detect_text,
    function_word_share,
    probably_in,
)
from syndicate.translation.protect import (
    RECOGNIZED_LANGUAGES,
    with_entities,
    with_numbers,
    with_terms,
)
from syndicate.types import Article, Detection, Finding, Segment, Translation

logger = logging.getLogger(__name__)
MIN_LETTERS_TO_DETECT = 40  # shorter segments are not tested for being in the target already


@dataclass(frozen=True, slots=True)
class Plan:
    """What translating an article would send, without sending it."""

    article: Article
    detection: Detection
    target: str
    document: Document
    unique: tuple[str, ...]  # distinct templates to send, in order
    cached: Mapping[str, str] = field(default_factory=dict)  # templates the memory knows
    kept: frozenset[int] = frozenset()  # segments already in the target language
    terms: Mapping[str, str] = field(default_factory=dict)  # glossary terms for the target
    notes: tuple[Finding, ...] = ()  # findings about the source (its declared language)
    # The language the engine translates into: locales that share it (en-GB, en-US with
    # an engine that has one English) share one request and one memory unit.
    engine_target: str = ""
    # Templates in ``cached`` assembled from sentence units, with how many sentences each.
    assembled: Mapping[str, int] = field(default_factory=dict)

    @property
    def characters(self) -> int:
        return sum(len(t) for t in self.unique)

    @property
    def translatable(self) -> list[int]:
        return [i for i, s in enumerate(self.document.segments) if s.translatable]


@dataclass(frozen=True, slots=True)
class Analysis:
    """What an article's translations into any locale share: its language and segments."""

    article: Article
    detection: Detection
    plain: Document  # the segments as the article has them
    document: Document  # with entities protected, where the language is one we recognize
    foreign: tuple[int, ...]  # segments long enough and not plainly in the article's language
    notes: tuple[Finding, ...] = ()  # findings about the source, reported with each output
    # ``document`` with its numbers protected, by how a target writes them (with_numbers):
    # the locales of one article that write them alike share one. Not an argument: a copy
    # made with another document (dataclasses.replace) starts without them.
    numbered: dict[tuple[str, ...], Document] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )


def analyse(article: Article, *, source: str | None = None) -> Analysis:
    """Segment and detect an article once; each target's plan starts from the result."""
    plain = segment_article(article)
    detection = detect_language(article, override=source, document=plain)
    notes: tuple[Finding, ...] = ()
    text = "\n".join(strip_tokens(s.template) for s in plain.segments if s.translatable)
    found = declared_mismatch(detection, text)
    if found is not None:
        notes = (
            Finding(
                "warning",
                "lang-mismatch",
                f"the front matter says lang: {detection.lang}, but the text reads as "
                f"{found.lang} ({max(found.candidates.values(), default=found.confidence):.2f}); "
                "give the right lang or --from",
            ),
        )
    recognized = parse_tag(detection.lang).language in RECOGNIZED_LANGUAGES
    document = with_entities(plain) if recognized else plain
    foreign = tuple(
        i
        for i, seg in enumerate(document.segments)
        if seg.translatable and _maybe_foreign(strip_tokens(seg.template), detection.lang)
    )
    return Analysis(article, detection, plain, document, foreign, notes)


def plan_translation(
    article: Article | Analysis,
    *,
    target: str,
    source: str | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    engine_name: str = "",
    engine: Engine | None = None,
) -> Plan:
    """Detect, segment, protect, consult the memory: what would be sent for one target.

    Given an ``Analysis`` (see ``analyse``), the work that does not depend on the target
    is not done again: a batch plans an article for several locales from one analysis.
    ``engine`` (or, for a caller without one, its registered ``engine_name``) keys the
    memory's units and says which language the engine really translates into.
    """
    analysis = article if isinstance(article, Analysis) else analyse(article, source=source)
    article, detection = analysis.article, analysis.detection
    target = canonical(target)
    if same_language(detection.lang, target):
        return Plan(article, detection, target, analysis.plain, (), notes=analysis.notes)
    terms = (glossary or Glossary()).terms(target)
    document = with_terms(analysis.document, terms)
    if parse_tag(detection.lang).language in RECOGNIZED_LANGUAGES:
        memo = analysis.numbered if document is analysis.document else None
        document = with_numbers(document, target, memo)
    kept = frozenset(
        i for i in analysis.foreign if _in_target(document.segments[i], target, detection.lang)
    )
    wanted: dict[str, None] = {}
    for i, seg in enumerate(document.segments):
        if seg.translatable and i not in kept:
            wanted.setdefault(seg.template)
    engine_name = engine.name if engine is not None else engine_name
    engine_target = engine_language(engine or engine_name, target) if engine_name else target
    cached: dict[str, str] = {}
    assembled: dict[str, int] = {}
    if memory is not None and wanted:
        # The locale's own units first (human translations for en-GB), then the engine's
        # language's, which every locale of that language shares.
        targets = (target,) if engine_target == target else (target, engine_target)
        recall = _Recall(memory, engine_name, detection.lang, targets, article.name, terms)
        recall.fill(document.segments, list(wanted), cached, assembled)
        # A CAT tool's units have numbers, amounts and dates as text, not as placeholders:
        # a segment not known with them protected is looked up as the article writes it,
        # and a hit makes it that plain segment (QA then checks its numbers as text).
        plain = {
            i: analysis.plain.segments[i]
            for i, seg in enumerate(document.segments)
            if seg.template in wanted
            and seg.template not in cached
            and analysis.plain.segments[i].template != seg.template
        }
        if plain:
            templates = list(dict.fromkeys(seg.template for seg in plain.values()))
            recall.fill(tuple(plain.values()), templates, cached, assembled)
            swapped = [
                plain[i] if i in plain and plain[i].template in cached else seg
                for i, seg in enumerate(document.segments)
            ]
            document = replace(document, segments=tuple(swapped))
    unique = tuple(
        dict.fromkeys(
            seg.template
            for i, seg in enumerate(document.segments)
            if seg.translatable and i not in kept and seg.template not in cached
        )
    )
    return Plan(
        article,
        detection,
        target,
        document,
        unique,
        cached,
        kept,
        terms,
        analysis.notes,
        engine_target,
        assembled,
    )


@dataclass(frozen=True, slots=True)
class _Recall:
    """Looks templates up in the memory: whole, then assembled from their sentences."""

    memory: TranslationMemory
    engine: str
    source: str
    targets: tuple[str, ...]  # the locale, then the engine's language if it differs
    name: str
    terms: Mapping[str, str]  # the glossary's, for this target

    def lookup(self, templates: Sequence[str], *, touch: bool = True) -> dict[str, str]:
        hits: dict[str, str] = {}
        for target in self.targets:
            rest = [t for t in templates if t not in hits]
            if rest:
                hits.update(
                    self.memory.lookup(
                        rest,
                        engine=self.engine,
                        source_lang=self.source,
                        target_lang=target,
                        touch=touch,
                    )
                )
        return hits

    def fill(
        self,
        segments: Sequence[Segment],
        templates: Sequence[str],
        cached: dict[str, str],
        assembled: dict[str, int],
    ) -> None:
        """Add to ``cached`` (and ``assembled``) the templates the memory knows, repaired
        to fit their segment; a unit whose placeholders do not fit is not used."""
        by_template = {s.template: s for s in segments}
        for template, translation in self.lookup(templates).items():
            self._use(by_template[template], translation, cached)
        rest = [t for t in templates if t not in cached]
        for template, translation, count in self.from_sentences(rest):
            if self._use(by_template[template], translation, cached):
                assembled[template] = count

    def from_sentences(self, templates: Sequence[str]) -> list[tuple[str, str, int]]:
        """Paragraphs whose every sentence the memory knows: (template, assembled, count)."""
        split = {t: sentences.split(t, self.source) for t in templates}
        wanted = list(dict.fromkeys(s.template for parts in split.values() for s in parts))
        if not wanted:
            return []
        hits = self.lookup(wanted, touch=False)
        out = []
        for template, parts in split.items():
            translation = sentences.assemble(parts, hits) if parts else None
            if translation is not None:
                out.append((template, translation, len(parts)))
        if out:  # count the uses of the sentence units that served
            self.lookup([s.template for t, _, _ in out for s in split[t]])
        return out

    def _use(self, seg: Segment, translation: str, cached: dict[str, str]) -> bool:
        try:
            repaired = repair(translation, seg.template, _shapes(seg))
        except PlaceholderDamage:
            logger.info("%s: memory unit for %s does not fit; sending it", self.name, seg.where)
            return False
        # A unit for the segment as the article writes it (a CAT tool's, or one stored
        # without this glossary) has the terms as text: one that does not write them as
        # the glossary says would fail QA, run after run, instead of being sent again.
        if missing_terms(seg.template, repaired, self.terms):
            logger.info(
                "%s: memory unit for %s breaks the glossary; sending it", self.name, seg.where
            )
            return False
        cached[seg.template] = repaired
        return True


def _maybe_foreign(text: str, source: str) -> bool:
    return letter_count(text) >= MIN_LETTERS_TO_DETECT and not probably_in(text, source)


def _in_target(seg: Segment, target: str, source: str) -> bool:
    """Whether a segment is already in the target language (an English quote, for English).

    All of it must be: an English quote with an Indonesian attribution (``"…," kata
    analis IDC``) is not, although langdetect calls the whole of it English.
    """
    text = strip_tokens(seg.template)
    if not could_be_in(text, target):
        return False  # plainly not: spare langdetect
    try:
        found = detect_text(text)
    except DetectionError:
        return False
    if found.confidence < 0.95 or not same_language(found.lang, target):
        return False
    return all(_part_in_target(part, target, source) for part in _PARTS.split(text))


# A segment's parts: quotations and the words around them, and sentences.
_PARTS = re.compile(r"[\"“”„«»]|(?<=[.!?])\s+")
_PART_WORDS = 3  # shorter parts (a name, "she said") tell nothing


def _part_in_target(part: str, target: str, source: str) -> bool:
    words = part.split()
    if len(words) < _PART_WORDS:
        return True
    if probably_in(part, source) is True:
        return False
    if parse_tag(target).language in FUNCTION_WORDS:
        return bool(function_word_share(part, target))
    return could_be_in(part, target)


def translate_article(
    article: Article,
    *,
    target: str,
    engine: Engine,
    source: str | None = None,
    now: datetime | None = None,
    plan: Plan | None = None,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    strict: bool = False,
    prefetched: Mapping[str, str] | None = None,
) -> Translation:
    """Translate one article into one target locale, render its entities, check the result.

    Findings are in the result; a critical one (any one, with ``strict``) means the output
    must not be published, and the caller must not write it. ``prefetched`` holds raw
    engine answers already fetched for some templates (a batch run sends many articles'
    segments together); they are checked like any other answer.
    """
    plan = plan or plan_translation(
        article,
        target=target,
        source=source,
        glossary=glossary,
        memory=memory,
        engine=engine,
    )
    renderer = (localize or LocalizeOptions()).renderer(
        plan.target, article_date(article), article=article.name
    )
    findings: list[Finding] = list(plan.notes)
    results: dict[str, str] = dict(plan.cached)
    if plan.unique:
        known = prefetched or {}
        missing = [t for t in plan.unique if t not in known]
        sent = (
            engine.translate(missing, source=plan.detection.lang, target=plan.target)
            if missing
            else []
        )
        if len(sent) != len(missing):
            raise EngineResponseError(
                engine.name, f"returned {len(sent)} translations for {len(missing)} texts"
            )
        answers = {
            **dict(zip(missing, sent, strict=True)),
            **{t: known[t] for t in plan.unique if t in known},
        }
        by_template = {s.template: s for s in plan.document.segments}
        degraded: set[str] = set()
        fresh = {
            template: _checked(
                by_template[template], answers[template], engine, plan, findings, degraded
            )
            for template in plan.unique
        }
        results.update(fresh)
        if memory is not None:
            # A piecewise translation is a stopgap: kept out of the memory, so that the next
            # article with this segment asks again and reports it again, not silently reuses it.
            memory.store(
                {t: v for t, v in fresh.items() if t not in degraded},
                engine=engine.name,
                source_lang=plan.detection.lang,
                target_lang=plan.engine_target or plan.target,
            )
    templates: dict[int, str] = {}
    for i, seg in enumerate(plan.document.segments):
        done = results.get(seg.template)
        if done is None and (
            i in plan.kept or any(p.entity or p.replacement for p in seg.placeholders)
        ):
            done = seg.template  # not translated, but entities or terms to render
        if done is not None:
            templates[i] = done
    rendered = {
        i: render_tokens(plan.document.segments[i], t, renderer) for i, t in templates.items()
    }
    as_written = plan.document.written(rendered)
    parsed = plan.document.reassembled(article, rendered, as_written)
    body = parsed.text
    findings.extend(renderer.findings)
    findings.extend(
        qa.check(
            source=article,
            document=plan.document,
            translated=templates,
            output=body,
            target=plan.target,
            source_lang=plan.detection.lang,
            terms=plan.terms,
            kept=plan.kept,
            parsed=parsed,
            written=rendered,
        )
    )
    if strict:
        findings = [Finding("critical", f.code, f.message, f.where) for f in findings]
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    provenance = {
        "lang": plan.target,
        "source_lang": plan.detection.lang,
        "translation_of": _original(article),
        "engine": engine.name,
        "translated_at": when.isoformat().replace("+00:00", "Z"),
        "qa": qa.summary(findings),
        "money": renderer.profile.money_policy,  # so that an export can check a partner's
    }
    if renderer.used:
        provenance["rates"] = "; ".join(
            r.cite(renderer.rates.sources) for r in renderer.used.values()
        )
    text = set_keys(parsed, provenance)
    return Translation(
        source=article,
        target=plan.target,
        text=text,
        source_lang=plan.detection.lang,
        engine=engine.name,
        segments=len(plan.translatable),
        sent=len(plan.unique),
        characters=plan.characters,
        findings=tuple(findings),
        texts={  # as written, without the quotes of a front matter value
            i: filled(plan.document.segments[i], t)
            if plan.document.segments[i].quoted
            else as_written[i]
            for i, t in rendered.items()
        },
    )


def _shapes(seg: Segment) -> dict[int, TokenShape]:
    return shapes(seg.template, {p.index: (p.kind, p.partner) for p in seg.placeholders})


def _checked(
    seg: Segment,
    translated: str,
    engine: Engine,
    plan: Plan,
    findings: list[Finding],
    degraded: set[str],
) -> str:
    """The engine's answer with its placeholders repaired; asked again, then piecewise
    (the template then goes into ``degraded``) when they are lost."""
    expected = _shapes(seg)
    try:
        return repair(translated, seg.template, expected)
    except PlaceholderDamage as first:
        logger.info("%s: %s: %s; sending it again", plan.article.name, seg.where, first)
    again = engine.translate([seg.template], source=plan.detection.lang, target=plan.target)
    try:
        return repair(again[0], seg.template, expected)
    except PlaceholderDamage as second:
        findings.append(
            Finding(
                "warning",
                "placeholders-lost",
                f"the engine {second} twice; translated the text between them piece by piece",
                seg.where,
            )
        )
    degraded.add(seg.template)
    return _piecewise(seg.template, engine, plan)


def _piecewise(template: str, engine: Engine, plan: Plan) -> str:
    """Translate only the text runs between tokens, keeping the tokens where they are."""
    runs = TOKEN_RE.split(template)  # text, index, text, index, ..., text
    texts = runs[0::2]
    wanted = [t.strip() for t in texts if any(ch.isalpha() for ch in t)]
    translated = iter(
        engine.translate(wanted, source=plan.detection.lang, target=plan.target) if wanted else []
    )
    out: list[str] = []
    for i, part in enumerate(runs):
        if i % 2:
            out.append(f"⟦{part}⟧")
        elif any(ch.isalpha() for ch in part):
            lead = part[: len(part) - len(part.lstrip())]
            trail = part[len(part.rstrip()) :]
            # A run has no tokens; any the engine invents would point at nothing.
            out.append(lead + TOKEN_RE.sub("", strip_controls(next(translated))).strip() + trail)
        else:
            out.append(part)
    return "".join(out)


def render_tokens(seg: Segment, template: str, renderer: Renderer) -> str:
    """The template with entity tokens rendered for the target and glossary terms written."""
    special = {p.index: p for p in seg.placeholders if p.entity is not None or p.replacement}
    if not special:
        return template

    out: list[str] = []
    cursor = 0
    for m in TOKEN_RE.finditer(template):
        p = special.get(int(m.group(1)))
        if p is None:
            continue
        text = renderer.render(p.entity) if p.entity is not None else str(p.replacement)
        out.append(template[cursor : m.start()])
        out.append(text)
        cursor = m.end()
        # An abbreviation's period ends the sentence too: "2:00 p.m.", not "2:00 p.m..".
        if text.endswith(".") and template.startswith(".", cursor):
            cursor += 1
    out.append(template[cursor:])
    return "".join(out)


def article_date(article: Article) -> dt.date | None:
    """The article's date from its front matter (``date``, ``published``), if it has one."""
    for key in ("date", "published", "published_at", "pubdate"):
        value = article.meta.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
    return None


def _original(article: Article) -> str:
    for key in ("url", "canonical_url", "id"):
        value = article.meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return article.path.name if article.path else "<stdin>"

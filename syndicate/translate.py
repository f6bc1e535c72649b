"""The main job for one article and one target locale: segments -> engine -> checked text.

Identical segments are sent once. Every translation comes back through the placeholder
check: whitespace damage is repaired; a segment whose placeholders are lost is sent again
on its own, and if they are lost again its text runs are translated one by one between
the placeholders, so the Markdown structure can never break.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from syndicate.detect import detect_language
from syndicate.engines.base import Engine
from syndicate.errors import EngineResponseError
from syndicate.frontmatter import set_keys
from syndicate.langtags import canonical, parse_tag, same_language
from syndicate.localize import LocalizeOptions, Renderer
from syndicate.model import Article, Detection, Finding, Segment, Translation
from syndicate.placeholders import TOKEN_RE, PlaceholderDamage, repair, shapes
from syndicate.protect import RECOGNIZED_LANGUAGES, with_entities
from syndicate.reader import parse_article
from syndicate.segment import Document, segment_article

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Plan:
    """What translating an article would send, without sending it."""

    article: Article
    detection: Detection
    target: str
    document: Document
    unique: tuple[str, ...]  # distinct templates to send, in order

    @property
    def characters(self) -> int:
        return sum(len(t) for t in self.unique)

    @property
    def translatable(self) -> list[int]:
        return [i for i, s in enumerate(self.document.segments) if s.translatable]


def plan_translation(article: Article, *, target: str, source: str | None = None) -> Plan:
    """Detect, segment and collect what would be sent for one target."""
    detection = detect_language(article, override=source)
    target = canonical(target)
    document = segment_article(article)
    unique: dict[str, None] = {}
    if not same_language(detection.lang, target):
        if parse_tag(detection.lang).language in RECOGNIZED_LANGUAGES:
            document = with_entities(document)
        for seg in document.segments:
            if seg.translatable:
                unique.setdefault(seg.template)
    return Plan(article, detection, target, document, tuple(unique))


def translate_article(
    article: Article,
    *,
    target: str,
    engine: Engine,
    source: str | None = None,
    now: datetime | None = None,
    plan: Plan | None = None,
    localize: LocalizeOptions | None = None,
) -> Translation:
    """Translate one article into one target locale, rendering its entities for it."""
    plan = plan or plan_translation(article, target=target, source=source)
    renderer = (localize or LocalizeOptions()).renderer(plan.target, article_date(article))
    findings: list[Finding] = []
    results: dict[str, str] = {}
    if plan.unique:
        sent = engine.translate(list(plan.unique), source=plan.detection.lang, target=plan.target)
        if len(sent) != len(plan.unique):
            raise EngineResponseError(
                engine.name, f"returned {len(sent)} translations for {len(plan.unique)} texts"
            )
        by_template = {s.template: s for s in plan.document.segments}
        for template, translated in zip(plan.unique, sent, strict=True):
            results[template] = _checked(by_template[template], translated, engine, plan, findings)
    translations = {}
    for i, seg in enumerate(plan.document.segments):
        done = results.get(seg.template)
        if done is None and any(p.entity for p in seg.placeholders):
            done = seg.template  # nothing to translate, but entities to render
        if done is not None:
            translations[i] = render_entities(seg, done, renderer)
    body = plan.document.reassemble(translations)
    findings.extend(renderer.findings)
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    provenance = {
        "lang": plan.target,
        "source_lang": plan.detection.lang,
        "translation_of": _original(article),
        "engine": engine.name,
        "translated_at": when.isoformat().replace("+00:00", "Z"),
    }
    if renderer.used:
        provenance["rates"] = "; ".join(
            r.cite(renderer.rates.sources) for r in renderer.used.values()
        )
    text = set_keys(parse_article(body, path=article.path), provenance)
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
    )


def _checked(
    seg: Segment, translated: str, engine: Engine, plan: Plan, findings: list[Finding]
) -> str:
    expected = shapes(seg.template, {p.index: (p.kind, p.partner) for p in seg.placeholders})
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
            out.append(lead + next(translated).strip() + trail)
        else:
            out.append(part)
    return "".join(out)


def render_entities(seg: Segment, template: str, renderer: Renderer) -> str:
    """The template with each entity token replaced by the entity rendered for the target."""
    entities = {p.index: p.entity for p in seg.placeholders if p.entity is not None}
    if not entities:
        return template

    def one(m: re.Match[str]) -> str:
        entity = entities.get(int(m.group(1)))
        return renderer.render(entity) if entity is not None else m.group(0)

    return TOKEN_RE.sub(one, template)


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


def output_path(article: Article, target: str, source_lang: str, out_dir: Path | None) -> Path:
    """Where a translation is written: ``<stem>.<locale>.md`` beside the source or in out_dir."""
    if article.path is None:
        raise ValueError("an article read from stdin has no output path")
    stem = article.path.stem
    suffix = f".{source_lang}"
    if stem.lower().endswith(suffix.lower()) and len(stem) > len(suffix):
        stem = stem[: -len(suffix)]  # article.id.md -> article.en.md, not article.id.en.md
    name = f"{stem}.{target}{article.path.suffix or '.md'}"
    return (out_dir or article.path.parent) / name

"""Many articles into many locales: read, translate, write, one result per (article, locale).

An article that cannot be read or translated is recorded and the others go on; an engine
failure stops the run, since it would fail the same way for every article left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from syndicate.engines.base import Engine
from syndicate.errors import EngineError, QAError, SyndicateError
from syndicate.files import Claims, write_atomic
from syndicate.localize.renderer import LocalizeOptions
from syndicate.markdown.article import read_article
from syndicate.redact import redact
from syndicate.resources.glossary import Glossary
from syndicate.resources.memory import TranslationMemory
from syndicate.review.bitext import load_bitext
from syndicate.review.edits import take
from syndicate.review.store import ReviewStore
from syndicate.translation.translate import output_path, plan_translation, translate_article
from syndicate.types import Finding

Status = Literal["written", "planned", "returned", "failed"]


@dataclass(frozen=True, slots=True)
class JobResult:
    """What happened to one article in one locale."""

    source: str
    target: str
    status: Status
    output: Path | None = None
    source_lang: str | None = None
    segments: int = 0
    sent: int = 0
    characters: int = 0
    findings: tuple[Finding, ...] = ()
    error: SyndicateError | None = None
    text: str | None = None  # the translation, when it is returned instead of written

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "status": self.status,
            "output": str(self.output) if self.output else None,
            "source_lang": self.source_lang,
            "segments": self.segments,
            "sent": self.sent,
            "characters": self.characters,
            "findings": [
                {"severity": f.severity, "code": f.code, "message": f.message, "where": f.where}
                for f in self.findings
            ],
            "error": redact(str(self.error)) if self.error else None,
        }


def translate_files(
    paths: Sequence[str],
    *,
    targets: Sequence[str],
    engine: Engine,
    source: str | None = None,
    out_dir: Path | None = None,
    dry_run: bool = False,
    write: bool = True,
    now: datetime | None = None,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    strict: bool = False,
    on_result: Callable[[JobResult], None] | None = None,
    review: ReviewStore | None = None,
) -> list[JobResult]:
    """Translate every path into every target; ``write=False`` returns the texts instead.

    With ``review``, each translation written is recorded there segment by segment.
    """
    results: list[JobResult] = []
    options = _Options(
        engine,
        source,
        out_dir,
        dry_run,
        write,
        now,
        localize,
        glossary,
        memory,
        strict,
        Claims(),
        review,
    )
    for path in paths:
        for target in targets:
            result = _one(path, target, options)
            results.append(result)
            if on_result:
                on_result(result)
            if isinstance(result.error, EngineError):
                return results
    return results


@dataclass(frozen=True, slots=True)
class _Options:
    engine: Engine
    source: str | None
    out_dir: Path | None
    dry_run: bool
    write: bool
    now: datetime | None
    localize: LocalizeOptions | None
    glossary: Glossary | None
    memory: TranslationMemory | None
    strict: bool
    claims: Claims
    review: ReviewStore | None = None


def _one(path: str, target: str, o: _Options) -> JobResult:
    plan = None
    out: Path | None = None
    try:
        article = read_article(path)
        plan = plan_translation(
            article,
            target=target,
            source=o.source,
            glossary=o.glossary,
            memory=o.memory,
            engine_name=o.engine.name,
        )
        if o.write:
            out = (
                output_path(article, plan.target, plan.detection.lang, o.out_dir)
                if article.path
                else (o.out_dir or Path(".")) / f"stdin.{plan.target}.md"
            )
            o.claims.claim(out, article.path or Path("-"))
        counts: dict[str, Any] = {
            "source_lang": plan.detection.lang,
            "segments": len(plan.translatable),
            "sent": len(plan.unique),
            "characters": plan.characters,
        }
        if o.dry_run:
            return JobResult(path, plan.target, "planned", out, **counts)
        translation = translate_article(
            article,
            target=target,
            engine=o.engine,
            plan=plan,
            now=o.now,
            localize=o.localize,
            glossary=o.glossary,
            memory=o.memory,
            strict=o.strict,
        )
        critical = [f for f in translation.findings if f.severity == "critical"]
        if critical:
            error = QAError(path, plan.target, critical)
            return JobResult(
                path,
                plan.target,
                "failed",
                out,
                **counts,
                findings=translation.findings,
                error=error,
            )
        if out is None:
            return JobResult(
                path,
                plan.target,
                "returned",
                None,
                **counts,
                findings=translation.findings,
                text=translation.text,
            )
        write_atomic(out, translation.text)
        if o.review is not None:
            bitext = load_bitext(article, out, localize=o.localize, glossary=o.glossary, plan=plan)
            take(o.review, bitext, how="written")
        return JobResult(path, plan.target, "written", out, **counts, findings=translation.findings)
    except SyndicateError as exc:
        return JobResult(path, plan.target if plan else target, "failed", out, error=exc)

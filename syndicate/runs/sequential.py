"""The ``translate`` command's runner: each article into each locale, one job after another.

Every article is read and its language told before any is translated: one that cannot
be is refused with the others (an ``InputError``, nothing written), as the command
promises. A job that fails later (QA, its output) is recorded and the others go on; an
engine failure stops the run, since it would fail the same way for every article left. Among
several articles, a file whose front matter says it is a translation (``translation_of``,
as every output has) is skipped: re-running ``translate examples/*.md`` must not translate
the previous run's outputs; named alone, it is translated as asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from syndicate.errors import EngineError, SyndicateError
from syndicate.files import Claims
from syndicate.markdown.article import read_article
from syndicate.redact import redact
from syndicate.runs.paths import output_path, translation_of
from syndicate.runs.results import Outcome
from syndicate.runs.step import TranslateOptions, plan_job, translate_job, write_job
from syndicate.translation.translate import Analysis, analyse
from syndicate.types import Finding


def translate_files(
    paths: Sequence[str],
    targets: Sequence[str],
    options: TranslateOptions,
    *,
    out_dir: Path | None = None,
    dry_run: bool = False,
    write: bool = True,
    on_result: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Translate every path (``-``: stdin) into every target.

    ``write=False`` returns the texts in the outcomes instead of writing files; ``dry_run``
    plans each job and counts what it would send, and writes nothing.
    """
    sources = _read_all(paths, options)
    results: list[Outcome] = []
    claims = Claims()
    for path, source in zip(paths, sources, strict=True):
        for outcome, engine_failed in _article(
            path, source, targets, options, out_dir, dry_run, write, claims
        ):
            results.append(outcome)
            if on_result:
                on_result(outcome)
            if engine_failed:
                return results
    return results


def _read_all(paths: Sequence[str], options: TranslateOptions) -> list[Analysis | str]:
    """Every article read, decoded, parsed and its language told before any is translated,
    so that one bad file among several stops the run before anything is written (the
    command's promise: every file it reads is checked first, nothing is left behind); or,
    for a file skipped as an earlier output, what it is a translation of.

    Raises the first problem, carrying the others (``SyndicateError.all_of``)."""
    read: list[Analysis | str] = []
    problems: list[SyndicateError] = []
    for path in paths:
        original = None if len(paths) == 1 or path == "-" else translation_of(path)
        if original is not None:
            read.append(original)
            continue
        try:
            read.append(analyse(read_article(path), source=options.source))
        except SyndicateError as exc:
            problems.append(exc)
    if problems:
        raise SyndicateError.all_of(problems)
    return read


def _article(
    path: str,
    source: Analysis | str,
    targets: Sequence[str],
    options: TranslateOptions,
    out_dir: Path | None,
    dry_run: bool,
    write: bool,
    claims: Claims,
) -> Iterator[tuple[Outcome, bool]]:
    """The outcomes of one article's jobs, each with whether the engine failed."""
    if isinstance(source, str):  # an earlier output, among several sources
        yield _skipped(path, source, targets), False
        return
    for target in targets:
        try:
            yield _job(path, source, target, options, out_dir, dry_run, write, claims), False
        except SyndicateError as exc:
            yield _failed(path, target, exc), isinstance(exc, EngineError)


def _job(
    path: str,
    analysis: Analysis,
    target: str,
    options: TranslateOptions,
    out_dir: Path | None,
    dry_run: bool,
    write: bool,
    claims: Claims,
) -> Outcome:
    plan = plan_job(analysis, target, options)
    article = analysis.article
    out: Path | None = None
    if write:
        out = (
            output_path(article.path, plan.target, out_dir)
            if article.path
            else (out_dir or Path(".")) / f"stdin.{plan.target}.md"
        )
        claims.claim(out, article.path or Path("-"))
    planned = Outcome(
        path,
        plan.target,
        "planned",
        outputs=(str(out),) if out else (),
        source_lang=plan.detection.lang,
        segments=len(plan.translatable),
        sent=len(plan.unique),
        characters=plan.characters,
    )
    if dry_run:
        return planned
    try:
        translation = translate_job(plan, options, name=path)
    except EngineError:
        raise  # the run stops: see _article
    except SyndicateError as exc:
        return _failed(path, plan.target, exc, planned)
    if out is None:
        return replace(
            planned, status="returned", findings=translation.findings, text=translation.text
        )
    written = write_job(out, translation, plan, options)
    return replace(
        planned,
        status=written.status,
        findings=translation.findings + written.findings,
        beside=str(written.beside) if written.beside else None,
    )


def _failed(path: str, target: str, exc: SyndicateError, planned: Outcome | None = None) -> Outcome:
    """A failed job, with what its plan counted and the findings of a QA refusal."""
    return replace(
        planned or Outcome(path, target, "failed"),
        status="failed",
        outputs=(),  # nothing was written
        findings=tuple(getattr(exc, "findings", ())),
        error=redact(str(exc)),
        exit_code=exc.exit_code,
    )


def _skipped(path: str, original: str, targets: Sequence[str]) -> Outcome:
    """One outcome for a skipped file, whatever the number of locales: one warning."""
    note = Finding(
        "warning",
        "translation-source",
        f"skipped: it is a translation of {original}; name it alone to translate it",
    )
    return Outcome(path, ",".join(targets), "skipped", findings=(note,))

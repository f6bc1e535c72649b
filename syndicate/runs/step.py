"""One job, the same in both runners: plan an article for a locale, translate it, check it.

``TranslateOptions`` holds what a translation depends on besides the article and the
locale (engine, source language, localization, glossary, memory, strictness, the run's
time); the ``translate`` command's runner (``sequential``) and the batch (``batch``) build
one and call ``plan_job`` and ``translate_job``, so that they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from syndicate.engines.base import Engine
from syndicate.errors import InputError, QAError
from syndicate.files import read_text, write_atomic
from syndicate.localize.renderer import LocalizeOptions
from syndicate.resources.glossary import Glossary
from syndicate.resources.memory import TranslationMemory
from syndicate.review.bitext import load_bitext
from syndicate.review.edits import beside, keep_edits, take, take_written
from syndicate.review.store import ReviewStore
from syndicate.syndication.partners import Partner
from syndicate.translation.translate import Analysis, Plan, plan_translation, translate_article
from syndicate.types import Article, Finding, Translation


@dataclass(frozen=True, slots=True)
class TranslateOptions:
    """What every job of a run shares: engine, languages, localization, resources, time."""

    engine: Engine
    source: str | None = None  # the source language; None: detected per article
    localize: LocalizeOptions = field(default_factory=LocalizeOptions)
    glossary: Glossary = field(default_factory=Glossary)
    memory: TranslationMemory | None = None
    strict: bool = False  # QA warnings are critical
    now: datetime | None = None  # translated_at; None: the clock
    review: ReviewStore | None = None  # where written translations' segments are recorded

    def for_partner(self, partner: Partner | None) -> TranslateOptions:
        """The options for a partner's jobs: its money policy wins over the run's."""
        if partner is None or partner.money_policy is None:
            return self
        return replace(self, localize=replace(self.localize, money_policy=partner.money_policy))


def plan_job(article: Article | Analysis, target: str, options: TranslateOptions) -> Plan:
    """What translating ``article`` into ``target`` would send (the memory consulted)."""
    return plan_translation(
        article,
        target=target,
        source=options.source,
        glossary=options.glossary,
        memory=options.memory,
        engine=options.engine,
    )


def translate_job(
    plan: Plan,
    options: TranslateOptions,
    *,
    name: str,
    prefetched: Mapping[str, str] | None = None,
) -> Translation:
    """Translate a planned job; ``QAError`` (naming ``name``) when QA finds it critical.

    ``prefetched``: the engine's answers to the plan's segments, when the caller sent them
    itself (the batch sends many jobs' segments together).
    """
    translation = translate_planned(plan, options, prefetched=prefetched)
    if any(f.severity == "critical" for f in translation.findings):
        raise QAError(name, plan.target, list(translation.findings))
    return translation


def translate_planned(
    plan: Plan, options: TranslateOptions, *, prefetched: Mapping[str, str] | None = None
) -> Translation:
    """Translate a planned job with the options; critical findings are in the result, not
    raised (``syndicate.translate_article`` returns them to its caller)."""
    return translate_article(
        plan.article,
        target=plan.target,
        engine=options.engine,
        plan=plan,
        now=options.now,
        localize=options.localize,
        glossary=options.glossary,
        memory=options.memory,
        strict=options.strict,
        prefetched=prefetched,
    )


@dataclass(frozen=True, slots=True)
class Written:
    """What ``write_job`` did with a job's translation, for the run to say so truly."""

    text: str  # what the output holds now
    findings: tuple[Finding, ...] = ()  # what the run must report about it
    # `written`: the output was written now; `kept`: it was left as people edited it;
    # `unchanged`: it already held this very translation, so it was not written again.
    status: Literal["written", "kept", "unchanged"] = "written"
    beside: Path | None = None  # the run's own translation, written beside the output


def write_job(
    path: Path,
    translation: Translation,
    plan: Plan,
    options: TranslateOptions,
    *,
    write: Callable[[Path, str], None] = write_atomic,
    then: Callable[[Callable[[], object]], object] = lambda recording: recording(),
) -> Written:
    """Write a job's translation atomically, never over what people did to the file (see
    ``review.edits.keep_edits``), and record its segments for review. ``write`` puts a
    file in place (a batch passes its batched writes, made durable together); ``then``
    runs the review recording once the written files are in place (at once by default; a
    batch runs it after its batch of files is durable, so that a run killed in between
    never leaves states that describe a file which is not there: the next run would take
    the old file for one edited by hand)."""
    review = options.review
    if review is None or translation.source.path is None:  # stdin: no source to pair with
        write(path, translation.text)
        return Written(translation.text)
    kept = keep_edits(
        review, path, translation.text, plan, localize=options.localize, glossary=options.glossary
    )
    machine = None
    if kept.machine is not None:
        machine = beside(path)
        write(machine, kept.machine)
    if not path.is_file() or read_text(path) != kept.text:
        status: Literal["written", "kept", "unchanged"] = "written"
        write(path, kept.text)
    else:
        status = "unchanged" if kept.text == translation.text else "kept"
    done = Written(kept.text, kept.findings, status, machine)
    if kept.text == translation.text:  # the run's own text: no need to read it back
        then(lambda: take_written(review, path, plan, translation))
        return done
    try:
        bitext = load_bitext(
            translation.source,
            path,
            localize=options.localize,
            glossary=options.glossary,
            plan=plan,
            text=kept.text,
        )
    except InputError:
        return done  # edited beyond its segments: states stay as read
    then(lambda: take(review, bitext, how="written"))
    return done

"""A project's settings turned into what runs use, and the public calls that use them.

The command line and a Python caller share these, so that ``syndicate batch plan.yaml``
and ``run_batch(load_plan("plan.yaml"))`` do the same thing, and so do ``syndicate
translate a.md --to en-GB`` and ``translate_files(["a.md"], ["en-GB"])``: the engine,
rates, locale profiles, glossary, memory, review store and outlet all come from the
settings (``load_settings()`` when none are given) through the same helpers::

    from syndicate import load_plan, run_batch

    result = run_batch(load_plan("plan.yaml"))
    print(result.status, result.report()["packages"])
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path

from syndicate.config import Outlet, Settings, load_settings
from syndicate.engines.base import Engine, concurrency_of, create_engine
from syndicate.errors import UsageError
from syndicate.localize.rates import load_rates
from syndicate.localize.renderer import LocalizeOptions
from syndicate.resources.glossary import Glossary, load_glossary
from syndicate.resources.memory import TranslationMemory
from syndicate.review import bitext, xliff
from syndicate.review.edits import is_approved
from syndicate.review.store import ReviewStore
from syndicate.runs import sequential
from syndicate.runs.batch import BatchOptions, BatchResult, Job, Stats, run_jobs, shard_of
from syndicate.runs.journal import Journal
from syndicate.runs.paths import output_path
from syndicate.runs.plans import BatchPlan, find_sources, parse_now
from syndicate.runs.results import Outcome
from syndicate.runs.step import TranslateOptions, plan_job, translate_planned
from syndicate.runs.stores import check_left_behind, state_folder
from syndicate.syndication import package as packages
from syndicate.syndication.partners import Partner, find_partner, load_partners
from syndicate.types import Article, Translation
from syndicate.vocabulary import MoneyPolicy

DEFAULT_OUT = Path("out")


def localize_options(settings: Settings, money: MoneyPolicy | None = None) -> LocalizeOptions:
    """Rates, the newsroom's own locale profiles, and the money policies of a run."""
    return LocalizeOptions(
        rates=load_rates(settings.resolve_path("rates")),
        profiles_dir=settings.resolve_path("locales"),
        money_policy=money or settings.values.get("money_policy"),
        missing_rate=settings.values.get("missing_rate"),
        rate_max_age=int(settings.values.get("rate_max_age", 7)),
    )


def glossary_of(settings: Settings) -> Glossary:
    """The glossary the settings name (an empty one when there is none)."""
    return load_glossary(settings.resolve_path("glossary"))


@contextmanager
def open_memory(
    settings: Settings, *, disabled: bool = False
) -> Iterator[TranslationMemory | None]:
    """The translation memory the settings name, closed at the end; None when off."""
    path = None if disabled else settings.tm_path()
    if path is None:
        yield None
        return
    with _opened(settings, path) as memory:
        yield memory


@contextmanager
def the_memory(settings: Settings) -> Iterator[TranslationMemory]:
    """The translation memory, for commands that work on it: off is a usage error."""
    path = settings.tm_path()
    if path is None:
        raise UsageError("the translation memory is switched off (tm: off)")
    with _opened(settings, path) as memory:
        yield memory


@contextmanager
def _opened(settings: Settings, path: Path) -> Iterator[TranslationMemory]:
    # ``store: postgresql://...``: the shared store holds the memory instead of the file.
    memory = TranslationMemory(settings.store_url() or path, wait=settings.tm_wait)
    try:
        yield memory
    finally:
        memory.close()


def engine_of(settings: Settings) -> Engine:
    """The engine the settings choose, configured from them."""
    return create_engine(settings.engine, settings.engine_options(settings.engine))


def translate_options(
    settings: Settings,
    *,
    engine: Engine | None = None,
    source: str | None = None,
    money: MoneyPolicy | None = None,
    strict: bool = False,
    memory: TranslationMemory | None = None,
    now: dt.datetime | None = None,
    review: ReviewStore | None = None,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
) -> TranslateOptions:
    """The options every job of a run shares, from the settings and the run's choices;
    ``engine``, ``localize`` and ``glossary``, when given, replace the settings' (``money``
    still applies to a ``localize`` given)."""
    if localize is None:
        localize = localize_options(settings, money)
    elif money is not None:
        localize = replace(localize, money_policy=money)
    return TranslateOptions(
        engine=engine or engine_of(settings),
        source=source,
        localize=localize,
        glossary=glossary if glossary is not None else glossary_of(settings),
        memory=memory,
        strict=strict,
        now=now,
        review=review,
    )


@contextmanager
def opened_options(
    settings: Settings | None = None,
    *,
    engine: Engine | str | None = None,
    source: str | None = None,
    money: MoneyPolicy | None = None,
    strict: bool = False,
    now: dt.datetime | None = None,
    no_tm: bool = False,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    review: ReviewStore | None = None,
    reviewed: bool = True,
) -> Iterator[TranslateOptions]:
    """The options of a run as the commands build them, the memory and the review store
    open until the block ends: everything from the settings (``load_settings()`` when not
    given) and the run's choices (``engine`` a name, as ``--engine``, or an engine built
    by the caller). Each resource given replaces the settings' one; ``reviewed=False``
    opens no review store (nothing is written to record).
    """
    settings = settings or load_settings(None)
    if isinstance(engine, str):
        settings, engine = settings.with_engine(engine), None
    with ExitStack() as stack:
        if memory is None:
            memory = stack.enter_context(open_memory(settings, disabled=no_tm))
        if review is None and reviewed:
            review = stack.enter_context(open_review(settings))
        yield translate_options(
            settings,
            engine=engine,
            source=source,
            money=money,
            strict=strict,
            memory=memory,
            now=now,
            review=review,
            localize=localize,
            glossary=glossary,
        )


def translate_article(
    article: Article,
    *,
    target: str,
    settings: Settings | None = None,
    engine: Engine | str | None = None,
    source: str | None = None,
    money: MoneyPolicy | None = None,
    strict: bool = False,
    now: dt.datetime | None = None,
    no_tm: bool = False,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
) -> Translation:
    """Translate one article into one locale as ``syndicate translate`` does, returning the
    text instead of writing it: engine, rates, locale profiles, glossary and memory come
    from ``settings`` (``load_settings()`` when not given), each replaced by the keyword
    given for it (``engine``: a name, or an engine you built). ``no_tm``: as ``--no-tm``.

    Findings are in the result; a critical one (any one, with ``strict``) means the text
    must not be published (the command does not write it).
    """
    with opened_options(
        settings,
        engine=engine,
        source=source,
        money=money,
        strict=strict,
        now=now,
        no_tm=no_tm,
        localize=localize,
        glossary=glossary,
        memory=memory,
        reviewed=False,  # nothing is written, so there is nothing to record for review
    ) as options:
        return translate_planned(plan_job(article, target, options), options)


def translate_files(
    paths: Sequence[str],
    targets: Sequence[str],
    options: TranslateOptions | None = None,
    *,
    settings: Settings | None = None,
    engine: Engine | str | None = None,
    source: str | None = None,
    money: MoneyPolicy | None = None,
    strict: bool = False,
    now: dt.datetime | None = None,
    no_tm: bool = False,
    review: ReviewStore | None = None,
    out_dir: Path | None = None,
    dry_run: bool = False,
    write: bool = True,
    on_result: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Translate every path (``-``: stdin) into every target, as ``syndicate translate``
    does: the engine, rates, locale profiles, glossary, memory and review store from
    ``settings`` (``load_settings()`` when not given) and the run's choices, which are the
    command's options (``engine`` a name or an engine, ``no_tm``: ``--no-tm``...).

    ``options``, built by the caller (``translate_options(settings, ...)`` or
    ``TranslateOptions(...)``), are used as they are instead, the settings not read.
    ``write=False`` returns the texts in the outcomes instead of writing files;
    ``dry_run`` plans each job and counts what it would send, and writes nothing.
    """
    if options is not None:
        chosen = [settings, engine, source, money, now, review]
        if any(c is not None for c in chosen) or strict or no_tm:
            raise UsageError(
                "translate_files takes options, or settings and a run's choices, not both",
                hint="give the choices to translate_options(settings, ...) instead",
            )
        return sequential.translate_files(
            paths,
            targets,
            options,
            out_dir=out_dir,
            dry_run=dry_run,
            write=write,
            on_result=on_result,
        )
    settings = settings or load_settings(None)
    if write and not dry_run and review is None:
        files = [output_path(p, t, out_dir) for p in paths if p != "-" for t in targets]
        check_left_behind(settings, files=files)
    with opened_options(
        settings,
        engine=engine,
        source=source,
        money=money,
        strict=strict,
        now=now,
        no_tm=no_tm,
        review=review,
    ) as opened:
        return translate_files(
            paths,
            targets,
            opened,
            out_dir=out_dir,
            dry_run=dry_run,
            write=write,
            on_result=on_result,
        )


def build_package(
    articles: Sequence[Article],
    *,
    partner: Partner | None,
    now: dt.datetime,
    formats: Sequence[str] | None = None,
    settings: Settings | None = None,
    outlet: Outlet | None = None,
    previous: bytes | None = None,
    unapproved: Sequence[Article] | None = None,
) -> packages.Package:
    """A partner's package (or, without a partner, the ``formats`` of the articles' every
    language) as ``syndicate export`` builds it: in the partner's formats unless
    ``formats`` are given, naming the outlet of ``settings`` (``load_settings()`` when not
    given; ``outlet`` replaces it), and, for a partner whose ``review`` is ``required``,
    with only the translations an editor approved in the settings' review store (the
    others listed as awaiting review; ``unapproved`` given says which instead).
    ``previous``: the manifest this package replaces (``previous_manifest``), for feeds'
    cursors. Nothing is written: see ``write_package``.
    """
    if formats is None:
        if partner is None:
            raise UsageError("a package without a partner needs formats")
        formats = partner.formats
    if outlet is None or (unapproved is None and partner and partner.review == "required"):
        settings = settings or load_settings(None)
        if outlet is None:
            outlet = settings.outlet()
        if unapproved is None and partner and partner.review == "required":
            articles, unapproved = approved_only(settings, articles)
    return packages.build_package(
        articles,
        partner=partner,
        formats=formats,
        now=now,
        outlet=outlet,
        previous=previous,
        unapproved=unapproved or (),
    )


@contextmanager
def open_review(settings: Settings) -> Iterator[ReviewStore]:
    """The review states: in the shared store when the settings name one, else in
    ``review.sqlite3`` beside the memory, else in the user's data folder."""
    store = ReviewStore(
        settings.store_url() or state_folder(settings) / "review.sqlite3", wait=settings.tm_wait
    )
    try:
        yield store
    finally:
        store.close()


def approved_only(
    settings: Settings, articles: Sequence[Article]
) -> tuple[list[Article], list[Article]]:
    """The translations an editor approved, and the others (held back from a partner whose
    setting is ``review: required``)."""
    localize, glossary = localize_options(settings), glossary_of(settings)
    with open_review(settings) as store:
        waiting = {
            a.name
            for a in articles
            if a.path is None
            or not is_approved(store, a.path, localize=localize, glossary=glossary)
        }
    kept = [a for a in articles if a.name not in waiting]
    return kept, [a for a in articles if a.name in waiting]


def load_bitext(
    source: Path | str | Article,
    output: Path | str,
    *,
    settings: Settings | None = None,
    locale: str | None = None,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
) -> bitext.Bitext:
    """Pair a source article with a translation file of it as the review commands do: with
    the rates, locale profiles and glossary of ``settings`` (``load_settings()`` when not
    given; ``localize`` and ``glossary`` replace them), so that converted amounts and kept
    terms pair as the placeholders they were, not as text a reviewer may change."""
    if localize is None or glossary is None:
        settings = settings or load_settings(None)
        localize = localize or localize_options(settings)
        glossary = glossary if glossary is not None else glossary_of(settings)
    return bitext.load_bitext(source, output, locale=locale, localize=localize, glossary=glossary)


def export_xliff(
    bitexts: Sequence[bitext.Bitext],
    *,
    store: ReviewStore | None = None,
    settings: Settings | None = None,
    memory: TranslationMemory | None = None,
    no_tm: bool = False,
) -> bytes:
    """An XLIFF 2.1 document of the translations, as ``syndicate xliff export`` writes it:
    states from the review store and near matches from the memory of ``settings``
    (``load_settings()`` when not given), unless ``store`` or ``memory`` are given."""
    with ExitStack() as stack:
        if store is None or (memory is None and not no_tm):
            settings = settings or load_settings(None)
            if store is None:
                store = stack.enter_context(open_review(settings))
            if memory is None:
                memory = stack.enter_context(open_memory(settings, disabled=no_tm))
        return xliff.export_xliff(bitexts, store=store, memory=memory)


def import_xliff(
    path: Path,
    *,
    who: str,
    store: ReviewStore | None = None,
    settings: Settings | None = None,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
    no_tm: bool = False,
) -> xliff.Imported:
    """Apply an XLIFF file's targets and states as ``syndicate xliff import`` does: to the
    review store, with the rates, locale profiles and glossary, and into the memory of
    ``settings`` (``load_settings()`` when not given), each replaced when given."""
    with ExitStack() as stack:
        settings = settings or load_settings(None)
        if store is None:
            store = stack.enter_context(open_review(settings))
        if memory is None:
            memory = stack.enter_context(open_memory(settings, disabled=no_tm))
        return xliff.import_xliff(
            path,
            store=store,
            who=who,
            localize=localize or localize_options(settings),
            glossary=glossary if glossary is not None else glossary_of(settings),
            memory=memory,
        )


def plan_jobs(plan: BatchPlan, settings: Settings) -> list[Job]:
    """A plan's jobs, every (article, partner, locale) and (article, --to locale) of its
    shard, in order; found from the file system alone (nothing is read or analysed).

    Raises ``UsageError`` for a plan that cannot run: neither partners nor locales (or
    both), an unknown partner, no articles.
    """
    if bool(plan.partners) == bool(plan.to):
        raise UsageError(
            "give partners (--partner ID, or 'partners:' in the plan) or --to LOC"
            + (", not both" if plan.partners else ""),
            hint=None if plan.partners else "see `syndicate partners list`",
        )
    known = load_partners(settings.resolve_path("partners")) if plan.partners else {}
    partners = [find_partner(known, pid) for pid in plan.partners]
    locales = [*plan.to, *(loc for p in partners for loc in p.locales)]
    sources = find_sources(plan, plan.out or DEFAULT_OUT, locales)
    if not sources:
        raise UsageError(
            f"no articles found in {plan.where}",
            hint="give folders of .md files, files, patterns or a plan",
        )
    jobs = [Job(src, loc, p) for src in sources for p in partners for loc in p.locales]
    jobs += [Job(src, loc, None) for src in sources for loc in plan.to]
    if plan.shard:
        jobs = shard_of(jobs, plan.shard)
    return jobs


def open_journal(settings: Settings, *, no_tm: bool = False, look: bool = False) -> Journal:
    """The batch journal: in the shared store, else ``journal.sqlite3`` beside the memory;
    the output folders' run locks beside it (or in the state folder) in both cases.
    ``look``: only to read (a dry run), so a journal file that is not there is not made:
    an empty one in memory stands in."""
    state = state_folder(settings, no_tm=no_tm)
    where: Path | str = settings.store_url() or state / "journal.sqlite3"
    if look and isinstance(where, Path) and not where.exists():
        where = ":memory:"
    return Journal(where, wait=settings.tm_wait, locks=state / "locks")


def run_batch(
    plan: BatchPlan,
    settings: Settings | None = None,
    *,
    dry_run: bool = False,
    on_event: Callable[[Stats], None] | None = None,
    wait_for_lock: bool = False,
) -> BatchResult:
    """Run a batch plan with the project's settings (``load_settings()`` when not given).
    ``wait_for_lock``: wait for another run on the same output folder (or shard) to end
    instead of refusing to start.

    Raises ``UsageError`` for a plan that cannot run (no articles, neither partners nor
    locales, an unknown partner); a job's failure is in the result, never raised.
    """
    settings = (settings or load_settings(None)).with_engine(plan.engine)
    jobs = plan_jobs(plan, settings)
    out = plan.out or DEFAULT_OUT
    engine = engine_of(settings)
    if not dry_run:
        check_left_behind(settings, folders=[out])
    journal = open_journal(settings, no_tm=plan.no_tm, look=dry_run)
    # A dry run makes no file: a memory that is not there has nothing to consult, and
    # nothing is written to record for review.
    tm = settings.tm_path()
    no_memory = dry_run and not settings.store_url() and (tm is None or not tm.exists())
    try:
        with opened_options(
            settings,
            engine=engine,
            source=plan.source,
            money=plan.money,
            strict=plan.strict,
            now=parse_now(plan.now),  # None: the clock, left out of fingerprints
            no_tm=plan.no_tm or no_memory,
            reviewed=not dry_run,
        ) as translate:
            options = BatchOptions(
                translate=translate,
                out=out,
                journal=journal,
                workers=plan.jobs or concurrency_of(engine),
                processes=plan.processes or os.cpu_count() or 1,
                shard=plan.shard,
                fail_fast=plan.fail_fast,
                wait_for_lock=wait_for_lock,
                fingerprint_extra=_fingerprint_extra(settings, plan.money),
                outlet=settings.outlet(),
            )
            return run_jobs(jobs, options, dry_run=dry_run, on_event=on_event)
    finally:
        journal.close()


def _fingerprint_extra(settings: Settings, money: MoneyPolicy | None) -> str:
    """What else a batch's outputs depend on: engine settings, money policy, rates, profiles."""
    return json.dumps(
        {
            "engine": settings.redacted()["engines"].get(settings.engine),
            "money": money,
            "rates": _digest(settings.resolve_path("rates")),
            "locales": _digest(settings.resolve_path("locales")),
        },
        sort_keys=True,
        default=str,
    )


def _digest(path: Path) -> str:
    if path.is_file():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    if path.is_dir():
        return hashlib.sha256(
            b"".join(p.read_bytes() for p in sorted(path.glob("*.yaml")))
        ).hexdigest()
    return ""

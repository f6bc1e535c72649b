"""A project's settings turned into what runs use, and a batch plan run with them.

The command line and a Python caller share these, so that ``syndicate batch plan.yaml``
and ``run_batch(load_plan("plan.yaml"))`` do the same thing::

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
from contextlib import contextmanager
from pathlib import Path

from syndicate.config import Settings, load_settings
from syndicate.engines.base import Engine, concurrency_of, create_engine
from syndicate.errors import UsageError
from syndicate.localize.rates import load_rates
from syndicate.localize.renderer import LocalizeOptions
from syndicate.resources.glossary import Glossary, load_glossary
from syndicate.resources.memory import TranslationMemory
from syndicate.review.edits import is_approved
from syndicate.review.store import ReviewStore
from syndicate.runs.batch import BatchOptions, BatchResult, Job, Stats, run_jobs, shard_of
from syndicate.runs.journal import Journal
from syndicate.runs.plans import BatchPlan, find_sources
from syndicate.runs.step import TranslateOptions
from syndicate.syndication.partners import find_partner, load_partners
from syndicate.types import Article
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
) -> TranslateOptions:
    """The options every job of a run shares, from the settings and the run's choices."""
    return TranslateOptions(
        engine=engine or engine_of(settings),
        source=source,
        localize=localize_options(settings, money),
        glossary=glossary_of(settings),
        memory=memory,
        strict=strict,
        now=now,
        review=review,
    )


def parse_now(value: str | None) -> dt.datetime | None:
    """A run's fixed time (``--now``): ISO 8601 with a zone; None for the clock."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now {value!r} is not an ISO 8601 timestamp") from None
    if stamp.tzinfo is None:
        raise UsageError(f"--now {value!r} has no timezone", hint="add Z or +07:00")
    return stamp


def state_folder(settings: Settings, *, no_tm: bool = False) -> Path:
    """Where a batch keeps its journal: beside the memory, else the user's data folder."""
    tm_path = None if no_tm else settings.tm_path()
    if tm_path is not None:
        return tm_path.parent
    import platformdirs

    return Path(platformdirs.user_data_dir("syndicate"))


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


def open_journal(settings: Settings, *, no_tm: bool = False) -> Journal:
    """The batch journal: in the shared store, else ``journal.sqlite3`` beside the memory;
    the output folders' run locks beside it (or in the state folder) in both cases."""
    state = state_folder(settings, no_tm=no_tm)
    return Journal(
        settings.store_url() or state / "journal.sqlite3",
        wait=settings.tm_wait,
        locks=state / "locks",
    )


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
    journal = open_journal(settings, no_tm=plan.no_tm)
    try:
        with open_memory(settings, disabled=plan.no_tm) as memory, open_review(settings) as review:
            options = BatchOptions(
                translate=translate_options(
                    settings,
                    engine=engine,
                    source=plan.source,
                    money=plan.money,
                    strict=plan.strict,
                    memory=memory,
                    now=parse_now(plan.now),  # None: the clock, left out of fingerprints
                    review=review,
                ),
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

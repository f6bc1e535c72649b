"""The fixed vocabularies of settings and options, each written once.

Each is a ``Literal`` for the type checker and a tuple made from it for choices and checks,
so that a new value is added in one place. Kept apart from ``types`` so that the command
line can offer the choices without loading the data model.
"""

from __future__ import annotations

from typing import Literal, get_args

MoneyPolicy = Literal["append", "replace", "keep"]  # what a converted amount does
MONEY_POLICIES: tuple[MoneyPolicy, ...] = get_args(MoneyPolicy)

MissingRate = Literal["warn", "error"]  # an amount with no rate for its date
MISSING_RATES: tuple[MissingRate, ...] = get_args(MissingRate)

Embargo = Literal["hold", "deliver"]  # an embargoed article: held back, or sent with its time
EMBARGOES: tuple[Embargo, ...] = get_args(Embargo)

Review = Literal["required", "optional"]  # whether a partner gets only approved translations
REVIEWS: tuple[Review, ...] = get_args(Review)

NinjsVersion = Literal["3.1", "2.2"]
NINJS_VERSIONS: tuple[NinjsVersion, ...] = get_args(NinjsVersion)

Format = Literal["markdown", "html", "ninjs", "newsml-g2", "atom", "rss", "jsonfeed"]
FORMATS: tuple[Format, ...] = get_args(Format)
# The formats whose documents say an article's embargo: the only ones an `embargo:
# deliver` partner gets an embargoed article in before it lifts (a page is published).
EMBARGO_FORMATS: frozenset[Format] = frozenset({"ninjs", "newsml-g2"})

# Where a time's UTC offset ("(UTC+7)") is written: a zone's first mention, every, never.
OffsetPolicy = Literal["first", "every", "never"]
OFFSET_POLICIES: tuple[OffsetPolicy, ...] = get_args(OffsetPolicy)

# What a locale profile may render differently from CLDR on purpose (its house_style).
Aspect = Literal["dates", "times", "intervals", "percents", "amounts"]
ASPECTS: tuple[Aspect, ...] = get_args(Aspect)

# What became of one job (an article into a locale): the same words in `translate --json`
# items, `batch` outcomes and report.json jobs. `written`: this run wrote its output;
# `kept`: its output, edited by hand, was left as people left it (the run's own
# translation, if any, went beside it as `.machine.md`); `unchanged`: a batch found it done
# by an earlier run; `planned`: a dry run; `returned`: printed on stdout; `skipped`: not
# translated on purpose (a translation among sources); `failed`; `not-run`: a run that
# stopped early (--fail-fast, a dead engine) never started it.
JobStatus = Literal[
    "written", "kept", "unchanged", "planned", "returned", "skipped", "failed", "not-run"
]
JOB_STATUSES: tuple[JobStatus, ...] = get_args(JobStatus)

# report.json says how each job ended whatever runs led to it, so written, kept and
# unchanged are one there: `written`, its output in place.
ReportStatus = Literal["written", "planned", "failed", "not-run"]
REPORT_STATUSES: tuple[ReportStatus, ...] = get_args(ReportStatus)

MAX_WORKERS = 64  # the most engine requests at once a run may ask for (--jobs, a plan's jobs)

"""What a batch runs: a plan file, or folders, files and glob patterns, and its options.

``load_plan("plan.yaml")`` and ``load_plan(["desk/", "'extra/**/*.md'"])`` both give a
``BatchPlan``; ``find_sources`` lists its articles, leaving out the outputs of earlier runs.
Every value is checked when the plan is read, before any work, so that a typo is one usage
error and not a failed job per article.
"""

from __future__ import annotations

import datetime as dt
import difflib
import glob
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from syndicate.errors import UsageError
from syndicate.langtags import canonical, locale_list
from syndicate.runs.paths import translation_of
from syndicate.safeyaml import read_yaml_file
from syndicate.vocabulary import MAX_WORKERS, MONEY_POLICIES, MoneyPolicy

PLAN_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """A batch run's articles and options; a command line's options override a plan file's."""

    where: str  # what the user named: a plan file, or the folders, files and patterns
    paths: tuple[Path, ...] = ()  # articles named directly
    plan_file: Path | None = None
    sources: tuple[str, ...] = ()  # a plan file's patterns, relative to it
    partners: tuple[str, ...] = ()
    to: tuple[str, ...] = ()
    source: str | None = None  # the source language ("from:")
    engine: str | None = None
    out: Path | None = None
    now: str | None = None  # the run's time, ISO 8601
    jobs: int | None = None  # engine requests at once
    processes: int | None = None  # worker processes for the CPU work (default: the cores)
    shard: tuple[int, int] | None = None  # (K, N): run shard K of N only
    money: MoneyPolicy | None = None
    strict: bool = False
    no_tm: bool = False
    fail_fast: bool = False
    _keys: frozenset[str] = field(default=frozenset(), repr=False, compare=False)

    def overridden(self, **options: Any) -> BatchPlan:
        """This plan with the options given (not None, not False) taking precedence."""
        given = {k: v for k, v in options.items() if v not in (None, False, (), [])}
        for key in ("to", "partners"):
            if key in given:
                given[key] = tuple(given[key])
        if "to" in given:
            given["to"] = tuple(locale_list(given["to"]))
        if "source" in given:
            given["source"] = canonical(given["source"])
        if "out" in given:  # a worker's task carries it as text
            given["out"] = Path(given["out"])
        return replace(self, **given)


# The plan file's keys, and the BatchPlan field each fills.
_KEYS = {
    "sources": "sources",
    "partners": "partners",
    "to": "to",
    "from": "source",
    "engine": "engine",
    "out": "out",
    "now": "now",
    "jobs": "jobs",
    "processes": "processes",
    "money": "money",
    "strict": "strict",
    "no_tm": "no_tm",
    "fail_fast": "fail_fast",
}


def parse_shard(value: str) -> tuple[int, int]:
    """``K/N`` (shard K of N, 1 <= K <= N) as a pair; a usage error otherwise."""
    k, _, n = value.partition("/")
    try:
        shard = int(k), int(n)
    except ValueError:
        shard = (0, 0)
    if not 1 <= shard[0] <= shard[1]:
        raise UsageError(f"--shard {value!r} is not K/N with 1 <= K <= N", hint="e.g. --shard 2/4")
    return shard


def load_plan(specs: str | Path | Sequence[str | Path] = ()) -> BatchPlan:
    """A plan file's settings, or the articles that folders, files and patterns name."""
    names = [str(specs)] if isinstance(specs, str | Path) else [str(s) for s in specs]
    plans = [s for s in names if Path(s).suffix.lower() in PLAN_SUFFIXES and Path(s).is_file()]
    if not plans:
        return BatchPlan(where=" ".join(names) or ".", paths=tuple(_articles(names or ["."])))
    if len(names) > 1:
        raise UsageError(
            f"{plans[0]}: a plan file comes alone", hint="name the articles in its 'sources:'"
        )
    spec, path = names[0], Path(names[0])
    data = read_yaml_file(path, "plan") or {}
    allowed = sorted(_KEYS)
    if not isinstance(data, dict):
        raise UsageError(
            f"{spec}: a plan is a mapping of keys to values",
            hint=f"known keys: {', '.join(allowed)}",
        )
    unknown = sorted(str(k) for k in set(data) - set(_KEYS))
    if unknown:
        close = difflib.get_close_matches(unknown[0], allowed, n=1)
        raise UsageError(
            f"{spec}: unknown plan key {unknown[0]!r}",
            hint=f"did you mean {close[0]!r}?" if close else f"known: {', '.join(allowed)}",
        )
    values = _checked(data, spec)
    if isinstance(values.get("out"), str):
        values["out"] = path.parent / values["out"]
    return BatchPlan(where=spec, plan_file=path, **{_KEYS[k]: v for k, v in values.items()})


def _checked(plan: dict[str, Any], spec: str) -> dict[str, Any]:
    """The plan's values, each checked and in the type BatchPlan holds."""
    values = dict(plan)
    for key in ("to", "partners", "sources"):
        value = values.get(key)
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",")] if key == "to" else [value]
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise UsageError(f"{spec}: '{key}' must be a list of texts")
        if value is not None:
            values[key] = tuple(value)
    if isinstance(values.get("now"), dt.datetime):  # YAML reads an unquoted timestamp
        values["now"] = values["now"].isoformat()
    if values.get("now") is not None:
        try:
            parse_now(str(values["now"]), name="'now'")
        except UsageError as exc:
            raise UsageError(f"{spec}: {exc.problem}", hint=exc.hint) from None
    for key in ("engine", "out", "now", "from"):
        if values.get(key) is not None and not isinstance(values[key], str):
            raise UsageError(f"{spec}: '{key}' must be a text")
    for key in ("strict", "no_tm", "fail_fast"):
        if not isinstance(values.get(key, False), bool):
            raise UsageError(f"{spec}: '{key}' must be true or false")
    jobs = values.get("jobs", 1)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_WORKERS:
        raise UsageError(f"{spec}: 'jobs' must be a whole number from 1 to {MAX_WORKERS}")
    processes = values.get("processes", 1)
    if isinstance(processes, bool) or not isinstance(processes, int) or not 1 <= processes <= 256:
        raise UsageError(f"{spec}: 'processes' must be a whole number from 1 to 256")
    if values.get("money") not in (None, *MONEY_POLICIES):
        raise UsageError(f"{spec}: 'money' must be one of {', '.join(MONEY_POLICIES)}")
    try:
        if "to" in values:
            values["to"] = tuple(locale_list(values["to"]))
    except UsageError as exc:
        raise UsageError(f"{spec}: 'to': {exc.problem}", hint=exc.hint) from None
    try:
        if values.get("from"):
            values["from"] = canonical(values["from"])
    except UsageError as exc:
        raise UsageError(f"{spec}: 'from': {exc.problem}", hint=exc.hint) from None
    return {k: v for k, v in values.items() if v is not None}


def parse_now(value: str | None, *, name: str = "--now") -> dt.datetime | None:
    """A run's fixed time (``--now``, a plan's ``now``): ISO 8601 with a zone; None for
    the clock."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{name} {value!r} is not an ISO 8601 timestamp", hint="e.g. 2025-07-03T12:00:00Z"
        ) from None
    if stamp.tzinfo is None:
        raise UsageError(f"{name} {value!r} has no timezone", hint="add Z or +07:00")
    try:
        stamp.astimezone(dt.UTC)  # 0001-01-01 east of UTC has no UTC time
    except OverflowError:
        raise UsageError(
            f"{name} {value!r} is out of range", hint="give a year from 2 to 9998"
        ) from None
    return stamp


def find_sources(plan: BatchPlan, out: Path, locales: Sequence[str] = ()) -> list[Path]:
    """The plan's articles, each once, without the run's own outputs.

    Left out: files inside the output folder, files named as a translation into one of
    ``locales`` (``x.en-GB.md``), and, among several, files whose front matter says they are
    a translation (``paths.translation_of``): what an earlier ``translate`` wrote beside
    its sources.
    """
    if plan.plan_file is None:
        found = list(plan.paths)
    else:
        base = plan.plan_file.parent
        found = sorted({p for pattern in plan.sources for p in _glob(base, plan.where, pattern)})
    outside = out.resolve()
    suffixes = tuple(f".{loc}.md" for loc in locales)
    unique: dict[Path, Path] = {}  # an article named twice (a folder and a pattern) runs once
    for p in found:
        real = p.resolve()
        if outside not in real.parents and not p.name.endswith(suffixes):
            unique.setdefault(real, p)
    if len(unique) == 1:
        return list(unique.values())  # named alone: translated as asked
    return [p for p in unique.values() if translation_of(p) is None]


def _articles(specs: Sequence[str]) -> list[Path]:
    """The files that folders (their *.md files), file names and glob patterns name."""
    found: list[Path] = []
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            found += sorted(path.glob("*.md"))
        elif path.is_file():
            found.append(path)
        elif glob.has_magic(spec):  # quoted, so that the shell left it to us
            matches = sorted(Path(p) for p in glob.glob(spec, recursive=True))
            if not matches:
                raise UsageError(f"{spec}: the pattern matches no file")
            found += [p for p in matches if p.is_file()]
        else:
            raise UsageError(f"{spec}: no such folder, file or plan file")
    return found


def _glob(base: Path, where: str, pattern: object) -> list[Path]:
    text = str(pattern)
    if not text or Path(text).is_absolute() or "\0" in text:
        raise UsageError(
            f"{where}: source pattern {text!r} must be relative to the plan file",
            hint="write patterns such as 'articles/*.md'",
        )
    try:
        found: list[Path] = []
        for p in sorted(base.glob(text)):
            # A folder means its articles, as on the command line (`sources: [desk]`).
            found += sorted(p.glob("*.md")) if p.is_dir() else [p] if p.is_file() else []
        if not found:  # a typo in a backfill's plan must not leave a year out silently
            raise UsageError(
                f"{where}: source {text!r} names no folder, file or article",
                hint="correct it, or remove it from 'sources:'",
            )
        return found
    except (ValueError, NotImplementedError) as exc:
        raise UsageError(f"{where}: source pattern {text!r} is not valid ({exc})") from None

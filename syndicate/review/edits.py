"""Seeing translations as their files are: hand edits, source changes, new translations.

A translation file whose hash differs from the one recorded was edited outside syndicate;
reading it back pairs its segments with the source's and takes the changed ones as
``edited``. A source whose segments changed makes the approved ones ``stale``. Both are
found by comparing texts, never by trusting timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from syndicate.errors import InputError, StorageError, SyndicateError
from syndicate.files import read_text
from syndicate.localize.renderer import LocalizeOptions
from syndicate.markdown.article import parse_article
from syndicate.resources.glossary import Glossary
from syndicate.review.bitext import Bitext, digest, load_bitext, written_pairs
from syndicate.review.store import How, ReviewStore, TranslationState
from syndicate.translation.translate import Plan
from syndicate.types import Finding, Translation


def take(store: ReviewStore, bitext: Bitext, *, how: How) -> TranslationState:
    """Record a translation's segments as a run wrote them, or as its file now reads."""
    return store.record(
        bitext.path,
        source=bitext.source.path or Path("-"),
        locale=bitext.locale,
        source_lang=bitext.source_lang,
        engine=bitext.engine,
        sha256=bitext.sha256,
        pairs=bitext.pairs,
        how=how,
        source_text=bitext.source.text,
    )


def translations_of(
    store: ReviewStore,
    path: Path,
    locale: str,
    *,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
) -> list[Bitext]:
    """The translations into ``locale`` of a source article (those recorded, else the one
    ``translate`` writes beside it), or the translation file ``path`` itself."""
    recorded = store.find(source=path, locale=locale)
    if recorded:
        pairs = [(path, Path(p)) for p in recorded]
    elif (own := store.get(path)) is not None:
        pairs = [(Path(own.source), path)]
    else:
        beside = path.with_name(f"{path.stem}.{locale}{path.suffix or '.md'}")
        if not beside.is_file():
            raise InputError(
                path,
                f"no translation into {locale} is recorded or beside it",
                hint=f"run: syndicate translate {path} --to {locale}",
            )
        pairs = [(path, beside)]
    return [
        load_bitext(source, output, locale=locale, localize=localize, glossary=glossary)
        for source, output in pairs
    ]


def take_written(
    store: ReviewStore, path: Path, plan: Plan, translation: Translation
) -> TranslationState:
    """Record a translation a run has just written, as written: from what the run knows,
    without reading the file back (the same pairs, see ``bitext.written_pairs``)."""
    return store.record(
        path,
        source=translation.source.path or Path("-"),
        locale=plan.target,
        source_lang=plan.detection.lang,
        engine=translation.engine,
        sha256=digest(translation.text),
        pairs=written_pairs(plan, translation),
        how="written",
        source_text=translation.source.text,
    )


@dataclass(frozen=True, slots=True)
class Seen:
    """A translation's state as of now, or why it could not be read."""

    path: str
    state: TranslationState | None
    problem: str | None = None


def refresh(
    store: ReviewStore,
    paths: Sequence[Path] = (),
    *,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
) -> list[Seen]:
    """Read again the translations recorded (of the given sources or translation files,
    else all of them), taking hand edits and source changes into their states."""
    wanted: list[str] = []
    for path in paths:
        found = store.find(source=path) or ([str(path.resolve())] if store.get(path) else [])
        if not found:
            raise InputError(path, "no translation of it is recorded for review")
        wanted += found
    if not paths:
        wanted = [t.path for t in store.all()]
    seen: list[Seen] = []
    for key in dict.fromkeys(wanted):
        current = store.get(Path(key))
        assert current is not None
        try:
            bitext = load_bitext(
                current.source,
                key,
                locale=current.locale,
                localize=localize,
                glossary=glossary,
            )
        except SyndicateError as exc:
            seen.append(Seen(key, current, str(exc)))
            continue
        seen.append(Seen(key, take(store, bitext, how="read")))
    return seen


def is_approved(
    store: ReviewStore | None,
    path: Path,
    *,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
) -> bool:
    """Whether a translation file is approved as it reads now: a hand edit since the
    approval, or a change of its source, takes the approval back; never recorded, never
    approved."""
    if store is None:
        return False
    try:
        [seen] = refresh(store, [path], localize=localize, glossary=glossary)
    except StorageError:
        raise  # a store that cannot be read says nothing about the approval: the run stops
    except SyndicateError:
        return False
    return seen.problem is None and seen.state is not None and seen.state.approved


@dataclass(frozen=True, slots=True)
class Kept:
    """What a run writes for a translation people may have worked on."""

    text: str  # the translation to write (the file's own text: nothing to write)
    findings: tuple[Finding, ...] = ()
    machine: str | None = None  # the run's own translation, when it conflicts: kept beside


def keep_edits(
    store: ReviewStore,
    path: Path,
    fresh: str,
    plan: Plan,
    *,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
) -> Kept:
    """The text a run writes to ``path`` instead of its ``fresh`` translation, so that what
    people did to the file is never overwritten.

    - the file was never recorded, or nobody touched it: the fresh translation;
    - the file was edited by hand (its hash is not the one recorded) and the source did not
      change: the file as it is; its edited segments are recorded as ``edited``;
    - the source changed: the fresh translation, but every segment a person edited or
      approved whose source did not change keeps the person's text; one whose source
      changed too is a conflict: the person's text stays, the run's whole translation is
      kept beside the file (``<stem>.machine.md``) and a warning names the segments;
    - the file's blocks no longer pair with the source it was made from: the file as it is,
      the run's translation beside it, and a warning.
    """
    current = store.get(path)
    if current is None or not path.is_file() or not current.source_text:
        return Kept(fresh)
    on_disk = read_text(path)
    edited_by_hand = digest(on_disk) != current.sha256
    touched = any(s.state in ("edited", "approved") or s.who for s in current.segments)
    if not edited_by_hand and not touched:
        return Kept(fresh)
    old_source = parse_article(current.source_text, path=plan.article.path)
    try:
        old = load_bitext(
            old_source, path, locale=current.locale, localize=localize, glossary=glossary
        )
    except InputError as exc:
        warning = Finding(
            "warning",
            "hand-edit-kept",
            f"{path} was edited by hand beyond its segments ({exc.message}); kept as it is, "
            f"the new translation is in {beside(path)}",
        )
        return Kept(on_disk, (warning,), machine=fresh)
    seen = take(store, old, how="read")
    if old_source.text == plan.article.text:
        return Kept(on_disk)
    new = load_bitext(
        plan.article, path, locale=current.locale, localize=localize, glossary=glossary,
        plan=plan, text=fresh,
    )  # fmt: skip
    states = {s.position: s for s in seen.segments}
    olds, news = list(old.pairs), list(new.pairs)
    matcher = SequenceMatcher(
        None, [p.source_hash for p in olds], [p.source_hash for p in news], autojunk=False
    )
    kept: dict[int, str] = {}
    conflicts: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k, pair in enumerate(news[j1:j2]):
            if i1 + k >= i2:
                continue  # a new segment: the run's translation
            before = olds[i1 + k]
            state = states.get(before.position)
            human = state is not None and state.state in ("edited", "approved", "stale")
            if not human or state is None or state.target == state.machine:
                continue  # the engine's text, approved or not: the run's translation
            kept[pair.position] = before.target  # written as it is, markup included
            if tag != "equal":
                conflicts.append(pair.where)
    text, _ = new.rewrite(kept)
    if not conflicts:
        return Kept(text)
    warning = Finding(
        "warning",
        "edit-conflict",
        f"the source changed where {path} was edited by hand ({', '.join(conflicts)}): "
        f"the edited text is kept, the new translation is in {beside(path)}",
    )
    return Kept(text, (warning,), machine=fresh)


def beside(path: Path) -> Path:
    """Where a run keeps its own translation when it conflicts with a person's."""
    return path.with_name(f"{path.stem}.machine{path.suffix}")

"""Seeing translations as their files are: hand edits, source changes, new translations.

A translation file whose hash differs from the one recorded was edited outside syndicate;
reading it back pairs its segments with the source's and takes the changed ones as
``edited``. A source whose segments changed makes the approved ones ``stale``. Both are
found by comparing texts, never by trusting timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from syndicate.errors import InputError, SyndicateError
from syndicate.localize.renderer import LocalizeOptions
from syndicate.resources.glossary import Glossary
from syndicate.review.bitext import Bitext, load_bitext
from syndicate.review.store import How, ReviewStore, TranslationState


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
    except SyndicateError:
        return False
    return seen.problem is None and seen.state is not None and seen.state.approved

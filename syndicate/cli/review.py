"""Commands for editors: status (review states), xliff export and import, review."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from syndicate.cli.app import (
    RESULT_VERSION,
    _glossary,
    _localize_options,
    _print_json,
    _settings,
    _warn,
    cli,
)

if TYPE_CHECKING:
    from syndicate.config import Settings
    from syndicate.review.store import ReviewStore


@contextmanager
def review_store(settings: Settings) -> Iterator[ReviewStore]:
    """The review states, beside the translation memory (or in the user data folder)."""
    import platformdirs

    from syndicate.review.store import ReviewStore, store_path

    default = Path(platformdirs.user_data_dir("syndicate"))
    store = ReviewStore(store_path(settings.tm_path(), default), wait=settings.tm_wait)
    try:
        yield store
    finally:
        store.close()


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@click.pass_context
def status(ctx: click.Context, paths: Sequence[Path], as_json: bool) -> None:
    """Show the review state of translations (of the given sources or translation files).

    Each translation is read again first: hand edits become 'edited', and approved segments
    whose source changed become 'stale'.
    """
    from syndicate.review.edits import refresh

    settings = _settings(ctx)
    with review_store(settings) as store:
        seen = refresh(
            store,
            paths,
            localize=_localize_options(settings, None),
            glossary=_glossary(settings),
        )
    if as_json:
        items = [
            {**(s.state.as_dict() if s.state else {"translation": s.path}), "problem": s.problem}
            for s in seen
        ]
        _print_json({"syndicate_result_version": RESULT_VERSION, "translations": items})
        return
    for s in seen:
        if s.problem:
            _warn(s.problem)
        if s.state is None:
            continue
        counts = s.state.counts()
        summary = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
        verdict = (
            f"approved by {s.state.approved_by} at {s.state.approved_at}"
            if s.state.approved
            else "not approved"
        )
        click.echo(f"{s.path}\t{s.state.locale}\t{verdict}\t{summary or 'no segments'}")

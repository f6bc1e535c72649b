"""Commands for editors: status (review states), xliff export and import, review."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from syndicate.cli.app import cli
from syndicate.cli.common import json_option, note, print_json, settings_of, show_error, warn
from syndicate.errors import UsageError


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@json_option
@click.pass_context
def status(ctx: click.Context, paths: Sequence[Path], as_json: bool) -> None:
    """Show the review state of translations (of the given sources or translation files).

    Each translation is read again first: hand edits become 'edited', and approved segments
    whose source changed become 'stale'.
    """
    from syndicate.review.edits import refresh
    from syndicate.runs.project import glossary_of, localize_options, open_review
    from syndicate.runs.results import RESULT_VERSION

    settings = settings_of(ctx)
    with open_review(settings) as store:
        seen = refresh(
            store, paths, localize=localize_options(settings), glossary=glossary_of(settings)
        )
    if as_json:
        items = [
            {**(s.state.as_dict() if s.state else {"translation": s.path}), "problem": s.problem}
            for s in seen
        ]
        print_json({"syndicate_result_version": RESULT_VERSION, "translations": items})
        return
    for s in seen:
        if s.problem:
            warn(s.problem)
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


def _who(who: str | None) -> str:
    import getpass

    return who or getpass.getuser()


@cli.group()
def xliff() -> None:
    """Exchange translations with CAT tools and agencies as XLIFF 2.1."""


@xliff.command(name="export")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, metavar="LOC", help="The translations' locale.")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="XLIFF file."
)
@click.pass_context
def xliff_export(ctx: click.Context, paths: Sequence[Path], target: str, out: Path) -> None:
    """Write the translations of PATHS (sources or translation files) into LOC as XLIFF 2.1."""
    from syndicate.files import write_atomic
    from syndicate.langtags import locale_list
    from syndicate.review.edits import translations_of
    from syndicate.review.xliff import export_xliff
    from syndicate.runs.project import glossary_of, localize_options, open_memory, open_review

    locales = locale_list([target])
    if len(locales) != 1:
        raise UsageError("--to takes one locale: an XLIFF file holds one language pair")
    locale = locales[0]
    settings = settings_of(ctx)
    localize, glossary = localize_options(settings), glossary_of(settings)
    with open_review(settings) as store, open_memory(settings) as memory:
        bitexts = [
            b
            for path in paths
            for b in translations_of(store, path, locale, localize=localize, glossary=glossary)
        ]
        data = export_xliff(bitexts, store=store, memory=memory)
    write_atomic(out, data)
    units = sum(len(b.pairs) for b in bitexts)
    note(ctx, f"wrote {out} ({len(bitexts)} translations, {units} units)")


@xliff.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--who", metavar="NAME", help="Who approved (default: the user's login name).")
@click.pass_context
def xliff_import(ctx: click.Context, path: Path, who: str | None) -> None:
    """Apply an XLIFF 2.1 file's translations and states; refused units are named.

    Exit 0, or 1 when some units were refused (the others are applied).
    """
    from syndicate.review.xliff import import_xliff
    from syndicate.runs.project import glossary_of, localize_options, open_memory, open_review

    settings = settings_of(ctx)
    with open_review(settings) as store, open_memory(settings) as memory:
        result = import_xliff(
            path,
            store=store,
            who=_who(who),
            localize=localize_options(settings),
            glossary=glossary_of(settings),
            memory=memory,
        )
    for refusal in result.refused:
        show_error(f"{path}: {refusal}")
    note(
        ctx,
        f"applied {result.applied} units ({result.approved} approved), "
        f"rewrote {len(result.written)} translations, refused {len(result.refused)}",
    )
    if result.refused:
        ctx.exit(1)


class _ReviewGroup(click.Group):
    """``review PATH... --to LOC`` opens the page; ``review stats`` is a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_ReviewGroup)
def review() -> None:
    """Review translations on a local web page: `review PATH... --to LOC`.

    Also `review stats`. The page needs the review extra (Jinja2); without it, the
    command says how to install it.
    """


@review.command(name="open")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "target", required=True, metavar="LOC", help="The translations' locale.")
@click.option("--who", metavar="NAME", help="Who approves (default: the user's login name).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free).")
@click.option("--open", "browse", is_flag=True, help="Open the page in a browser.")
@click.pass_context
def review_open(
    ctx: click.Context,
    paths: Sequence[Path],
    target: str,
    who: str | None,
    port: int,
    browse: bool,
) -> None:
    """Serve a review page for the translations of PATHS into LOC on 127.0.0.1.

    Prints the page's URL, with the token every request needs; Ctrl-C stops the server.
    """
    import webbrowser

    from syndicate.langtags import locale_list
    from syndicate.review.edits import translations_of
    from syndicate.review.web import ReviewApp, make_server, reloader, url_of
    from syndicate.runs.project import glossary_of, localize_options, open_memory, open_review

    locales = locale_list([target])
    if len(locales) != 1:
        raise UsageError("--to takes one locale")
    settings = settings_of(ctx)
    localize, glossary = localize_options(settings), glossary_of(settings)
    with open_review(settings) as store, open_memory(settings) as memory:
        bitexts = [
            b
            for path in paths
            for b in translations_of(store, path, locales[0], localize=localize, glossary=glossary)
        ]
        app = ReviewApp(
            bitexts,
            store=store,
            who=_who(who),
            memory=memory,
            reload=reloader(localize=localize, glossary=glossary),
        )
        server = make_server(app, port=port)
        url = url_of(server, app)
        click.echo(url)
        note(ctx, f"reviewing {len(bitexts)} translations into {locales[0]}; Ctrl-C stops")
        if browse:
            webbrowser.open(url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


@review.command(name="stats")
@json_option
@click.pass_context
def review_stats(ctx: click.Context, as_json: bool) -> None:
    """How much editors change each engine's output, per engine and language pair.

    Segments approved unchanged and edited, and the distance between the engine's text
    and the approved one (HTER and chrF, from sacrebleu) over the approved segments.
    """
    from syndicate.review.stats import edit_stats
    from syndicate.runs.project import open_review
    from syndicate.runs.results import RESULT_VERSION

    with open_review(settings_of(ctx)) as store:
        rows = edit_stats(store)
    if as_json:
        print_json(
            {"syndicate_result_version": RESULT_VERSION, "engines": [r.as_dict() for r in rows]}
        )
        return
    click.echo(
        f"{'engine':<12}{'pair':<14}{'approved':>9}{'unchanged':>10}{'edited':>7}"
        f"{'pending':>8}{'HTER':>7}{'chrF':>7}"
    )
    for r in rows:
        hter = f"{r.hter:.1f}" if r.hter is not None else "-"
        chrf = f"{r.chrf:.1f}" if r.chrf is not None else "-"
        click.echo(
            f"{r.engine:<12}{r.source_lang + '>' + r.target_lang:<14}{r.approved:>9}"
            f"{r.unchanged:>10}{r.edited:>7}{r.pending:>8}{hter:>7}{chrf:>7}"
        )

"""Commands that syndicate finished translations: exports and the partners they go to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from syndicate.cli.app import cli, logger
from syndicate.cli.common import json_option, note, print_json, settings_of, warn
from syndicate.errors import UsageError
from syndicate.vocabulary import FORMATS


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--partner",
    "partner_id",
    metavar="ID",
    help="Export a partner's package (see `partners list`).",
)
@click.option(
    "--format",
    "formats",
    metavar="FMT[,FMT]",
    help="Export these formats without a partner: " + ", ".join(FORMATS) + ".",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
)
@click.option(
    "--zip", "as_zip", is_flag=True, help="One zip archive per partner instead of a folder."
)
@click.option(
    "--now",
    metavar="ISO",
    help="The time of the export (default: the clock): what embargoes hold back, and the "
    "manifest's time if the package changed.",
)
@json_option
@click.pass_context
def export(
    ctx: click.Context,
    paths: Sequence[str],
    partner_id: str | None,
    formats: str | None,
    out: Path,
    as_zip: bool,
    now: str | None,
    as_json: bool,
) -> None:
    """Export translated articles as a partner's package, or in the formats given.

    PATHs are articles written by `syndicate translate`; translations of the same original
    are linked to each other and to it.
    """
    from syndicate.markdown.article import read_article
    from syndicate.runs.plans import parse_now
    from syndicate.runs.project import build_package
    from syndicate.runs.results import RESULT_VERSION
    from syndicate.syndication.package import previous_manifest, sanitized, write_package
    from syndicate.syndication.partners import find_partner, load_partners

    if bool(partner_id) == bool(formats):
        raise UsageError("give either --partner ID or --format FMT[,FMT]")
    stamp = parse_now(now) or datetime.now(UTC)
    partner = None
    settings = settings_of(ctx)
    if partner_id:
        partner = find_partner(load_partners(settings.resolve_path("partners")), partner_id)
        chosen = list(partner.formats)
        as_zip = as_zip or partner.delivery == "zip"
    else:
        chosen = [f.strip() for f in str(formats).split(",") if f.strip()]
        unknown = [f for f in chosen if f not in FORMATS]
        if unknown or not chosen:
            raise UsageError(
                f"unknown format {unknown[0] if unknown else formats!r}",
                hint=f"choose from {', '.join(FORMATS)}",
            )
    # The call a Python caller makes (syndicate.build_package): the settings' outlet, and
    # only approved translations for a partner that requires review.
    package = build_package(
        [read_article(p) for p in paths],
        partner=partner,
        formats=chosen,
        now=stamp,
        settings=settings,
        previous=previous_manifest(out, partner),
    )
    written = write_package(package, out, as_zip=as_zip, now=stamp)
    outside = [s for s, why in package.skipped if why == "not in the partner's locales"]
    for source, why in package.skipped:
        if source not in outside:
            warn(f"{source}: left out: {why}")
    if outside:
        logger.info("%d articles are not in %s's locales", len(outside), partner_id)
    for source, parts in sanitized(package.items):
        warn(f"{source}: removed for partners (not safe to deliver): {', '.join(parts)}")
    for locale, why in package.empty:
        warn(f"{partner.id if partner else 'export'}: {locale}: nothing delivered: {why}")
    if as_json:
        print_json(
            {
                "syndicate_result_version": RESULT_VERSION,
                "status": "success",
                "partner": partner.id if partner else None,
                "written": [str(p) for p in written],
                "items": len(package.items),
                "skipped": [{"source": s, "reason": w} for s, w in package.skipped],
                "empty_locales": [{"locale": loc, "reason": w} for loc, w in package.empty],
            }
        )
        return
    note(
        ctx,
        f"wrote {len(written)} file{'s' if len(written) != 1 else ''} under {out} "
        f"({len(package.items)} article{'s' if len(package.items) != 1 else ''}"
        f"{', ' + partner.id if partner else ''})",
    )


@cli.group()
def partners() -> None:
    """Partner outlets and what each receives."""


@partners.command("list")
@click.pass_context
def partners_list(ctx: click.Context) -> None:
    """One line per partner: id, name, locales, formats."""
    from syndicate.syndication.partners import load_partners

    path = settings_of(ctx).resolve_path("partners")
    found = load_partners(path)
    if not found:
        click.echo(f"{path}: no partners")
    for p in found.values():
        click.echo(f"{p.id:<24} {p.name:<28} {','.join(p.locales):<16} {','.join(p.formats)}")


@partners.command("show")
@click.argument("partner_id", metavar="ID")
@click.pass_context
def partners_show(ctx: click.Context, partner_id: str) -> None:
    """Everything about one partner, as JSON; ``outlet`` as this partner is told it (the
    settings' outlet with the partner's overrides)."""
    import dataclasses

    from syndicate.syndication.partners import find_partner, load_partners

    settings = settings_of(ctx)
    partner = find_partner(load_partners(settings.resolve_path("partners")), partner_id)
    shown = dataclasses.replace(partner, outlet=settings.outlet().over(partner.outlet))
    print_json(dataclasses.asdict(shown))

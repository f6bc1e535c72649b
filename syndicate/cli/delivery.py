"""Commands that send built packages to partners and show what was sent."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndicate.cli.app import cli
from syndicate.cli.common import json_option, note, print_json, settings_of, warn
from syndicate.cli.syndication import partners
from syndicate.redact import redact

if TYPE_CHECKING:
    from syndicate.delivery.run import DeliveryReport

OUT_OPTION = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="The folder `export`/`batch` built the packages in.",
)


@cli.command()
@click.option(
    "--partner", "wanted", multiple=True, metavar="ID", help="Only this partner (repeatable)."
)
@OUT_OPTION
@click.option(
    "--retry-failed", is_flag=True, help="Send again files that failed or wait for a retry."
)
@click.option("--dry-run", is_flag=True, help="Say what would be sent; send nothing.")
@json_option
@click.pass_context
def deliver(
    ctx: click.Context,
    wanted: Sequence[str],
    out: Path,
    retry_failed: bool,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Send the packages built under --out to the partners' servers.

    Only files whose content changed since the last delivery are sent, the manifest last.
    Exit 0 when every partner is served, 3 when some failed, 1 when all failed.
    """
    report = deliver_packages(ctx, out, wanted, retry_failed=retry_failed, dry_run=dry_run)
    if as_json:
        print_json(report_json(report))
    else:
        print_report(ctx, report)
    ctx.exit(report.exit_code)


def deliver_packages(
    ctx: click.Context,
    out: Path,
    wanted: Sequence[str],
    *,
    retry_failed: bool = False,
    dry_run: bool = False,
) -> DeliveryReport:
    """What `deliver` and `batch --deliver` share: settings, partners, one library call."""
    from syndicate.delivery.run import Options, deliver_out
    from syndicate.syndication.partners import load_partners

    settings = settings_of(ctx)
    found = load_partners(settings.resolve_path("partners"))
    tty = sys.stderr.isatty() and not ctx.find_root().obj.get("quiet")

    def progress(partner: str, path: str, size: int) -> None:
        click.echo(f"{partner}: sent {path} ({size:,} bytes)", err=True)

    options = Options(
        retry_failed=retry_failed,
        dry_run=dry_run,
        env=dict(os.environ),
        progress=progress if tty else None,
    )
    return deliver_out(
        out, found, wanted, options, store=settings.store_url(), wait=settings.tm_wait
    )


def report_json(report: DeliveryReport) -> dict[str, Any]:
    from syndicate.runs.results import RESULT_VERSION

    return {
        "syndicate_result_version": RESULT_VERSION,
        "status": {0: "success", 3: "partial"}.get(report.exit_code, "failure"),
        "partners": [
            {
                "partner": r.partner,
                "target": r.target,
                "status": r.status,
                "sent": list(r.sent),
                "unsent": list(r.unsent),
                "error": r.error or None,
                "pinged": list(r.pinged),
            }
            for r in report.results
        ],
    }


def print_report(ctx: click.Context, report: DeliveryReport) -> None:
    if not report.results:
        note(ctx, "nothing to deliver: no partner with a transport has a package here")
    for r in report.results:
        if r.error:
            warn(r.error if r.error.startswith(r.partner) else f"{r.partner}: {r.error}")
        counts = f"{len(r.sent)} sent" + (f", {len(r.unsent)} not sent" if r.unsent else "")
        note(ctx, f"{r.partner}: {r.status} ({counts}) -> {r.target or '?'}")


@cli.command()
@click.option("--partner", "partner_id", metavar="ID", help="Only this partner.")
@OUT_OPTION
@json_option
@click.pass_context
def deliveries(ctx: click.Context, partner_id: str | None, out: Path, as_json: bool) -> None:
    """The delivery journal: per partner and file, state, attempts, next retry, receipt."""
    from syndicate.delivery.journal import JOURNAL_NAME, DeliveryJournal
    from syndicate.runs.results import RESULT_VERSION

    settings = settings_of(ctx)
    store = settings.store_url()
    if store is None and not (out / JOURNAL_NAME).is_file():
        rows = []  # nothing delivered from here yet: no journal file made just to say so
    else:
        journal = DeliveryJournal.of(out, store=store, wait=settings.tm_wait)
        try:
            rows = journal.rows(partner_id)
        finally:
            journal.close()
    if as_json:
        print_json(
            {
                "syndicate_result_version": RESULT_VERSION,
                "deliveries": [
                    {
                        "partner": r.partner,
                        "path": r.path,
                        "sha256": r.sha256,
                        "state": r.state,
                        "attempts": r.attempts,
                        "next_retry": r.next_retry.isoformat() if r.next_retry else None,
                        "remote_path": r.remote_path,
                        "receipt": r.receipt,
                        "error": r.error or None,
                        "updated_at": r.updated_at.isoformat(),
                    }
                    for r in rows
                ],
            }
        )
        return
    if not rows:
        click.echo(f"{out}: no deliveries yet")
    for r in rows:
        extra = r.error or r.receipt
        retry = f" next {r.next_retry.isoformat()}" if r.next_retry else ""
        click.echo(
            redact(f"{r.partner:<16} {r.state:<11} {r.attempts:>2} {r.path}{retry}  {extra}")
        )


@partners.command("check")
@click.argument("partner_id", metavar="ID")
@click.pass_context
def partners_check(ctx: click.Context, partner_id: str) -> None:
    """Connect to a partner's server, log in, write and remove a probe file."""
    from syndicate.delivery.run import check_partner
    from syndicate.syndication.partners import find_partner, load_partners

    partner = find_partner(load_partners(settings_of(ctx).resolve_path("partners")), partner_id)
    where = check_partner(partner, dict(os.environ))
    if where is None:
        click.echo(f"{partner.id}: ok: nothing to reach (its package stays where export writes it)")
        return
    click.echo(f"{partner.id}: ok: connected, logged in, wrote and removed a probe at {where}")

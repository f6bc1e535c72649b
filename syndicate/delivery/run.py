"""Delivering built packages: what each partner gets, in which order, with which retries.

For each partner, in a thread of its own so that a dead server holds up nobody else: the
package is read back and checked, the files whose SHA-256 the partner already has are left
out, the others are sent one by one, and the manifest goes last, only when every other file
arrived (it is the partner's "package complete" marker). A dropped connection or a 5xx is
tried again on a fresh connection after a capped, jittered, growing wait; once a run's
retries are spent the file waits for its next retry time in the journal, and after
``max_attempts`` it is failed until ``--retry-failed``. A refused login stops that partner
at once: no retry would fix it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from syndicate.delivery.base import (
    RetryPolicy,
    Transport,
    TransportSettings,
    create_transport,
    remote_join,
)
from syndicate.delivery.journal import JOURNAL_NAME, DeliveryJournal, Row, State
from syndicate.delivery.local import LocalFile, LocalPackage, read_package
from syndicate.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_PARTIAL,
    DeliveryAuthError,
    DeliveryError,
    SyndicateError,
)
from syndicate.redact import redact
from syndicate.storage import peek
from syndicate.syndication.partners import Partner, find_partner

logger = logging.getLogger(__name__)

# local: export already writes the package where the partner takes it; nothing to send.
Status = Literal["delivered", "unchanged", "planned", "waiting", "local", "failed", "stopped"]
PROBE = ".syndicate-probe"
_WORKERS = 32  # a thread per partner (up to this), so that dead servers hold up no one


@dataclass(frozen=True, slots=True)
class PartnerResult:
    partner: str
    target: str  # where the files go, without secrets
    status: Status
    sent: tuple[str, ...] = ()
    unsent: tuple[str, ...] = ()  # still to send: failed, waiting, or after a stop
    error: str = ""
    pinged: tuple[str, ...] = ()  # feed URLs announced to the WebSub hub

    @property
    def ok(self) -> bool:
        return self.status in ("delivered", "unchanged", "planned", "waiting", "local")


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    results: tuple[PartnerResult, ...]

    @property
    def exit_code(self) -> int:
        failed = [r for r in self.results if not r.ok]
        if not failed:
            return EXIT_OK
        return EXIT_FAILURE if len(failed) == len(self.results) else EXIT_PARTIAL


@dataclass(frozen=True, slots=True)
class Options:
    """How a delivery runs; the clock, the sleep and the policy's random source are
    injectable so that tests neither wait nor depend on the time."""

    retry_failed: bool = False
    dry_run: bool = False
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    env: Mapping[str, str] = field(default_factory=dict)
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    sleep: Callable[[float], None] = time.sleep
    progress: Callable[[str, str, int], None] | None = None  # (partner, path, bytes) when sent


def deliver_all(
    partners: Sequence[Partner], out: Path, journal: DeliveryJournal, options: Options
) -> DeliveryReport:
    """Deliver every partner's package built under ``out``; partners run side by side."""
    if not partners:
        return DeliveryReport(())
    with ThreadPoolExecutor(max_workers=min(_WORKERS, len(partners))) as pool:
        futures = [pool.submit(_one, p, out, journal, options) for p in partners]
        return DeliveryReport(tuple(f.result() for f in futures))


# Settings every transport takes, read here rather than by the transport.
COMMON_KEYS = ("retries", "backoff", "max_attempts", "websub_hub")


def open_transport(partner: Partner, env: Mapping[str, str]) -> Transport:
    return create_transport(
        partner.delivery,
        {k: v for k, v in partner.delivery_options.items() if k not in COMMON_KEYS},
        partner=partner.id,
        source=partner.delivery_source,
        env=env,
    )


def check_partner(partner: Partner, env: Mapping[str, str]) -> str | None:
    """Connect, authenticate, write a probe file and remove it; returns where it went, or
    None for a partner whose package stays where ``export`` writes it (nothing to reach)."""
    if not delivers_remotely(partner):
        return None
    transport = open_transport(partner, env)
    try:
        transport.connect()
        transport.put(PROBE, b"syndicate delivery probe\n", package="probe")
        transport.remove(PROBE)
    finally:
        transport.close()
    return transport.describe()


def _one(partner: Partner, out: Path, journal: DeliveryJournal, options: Options) -> PartnerResult:
    if not delivers_remotely(partner):
        return PartnerResult(partner.id, str(out / partner.id), "local")
    try:
        transport = open_transport(partner, options.env)
        target = redact(transport.describe())
    except SyndicateError as exc:
        return PartnerResult(partner.id, "", "failed", error=redact(str(exc)))
    try:
        package = read_package(out, partner.id)
    except SyndicateError as exc:
        return PartnerResult(partner.id, target, "failed", error=redact(str(exc)))
    try:
        options = replace(options, policy=_policy(partner, options.policy))
    except SyndicateError as exc:
        return PartnerResult(partner.id, target, "failed", error=redact(str(exc)))
    todo, held = _plan(package, journal.rows(partner.id), transport, target, options)
    if not todo:
        status: Status = "waiting" if held else "unchanged"
        return PartnerResult(partner.id, target, status, unsent=tuple(f.path for f in held))
    if options.dry_run:
        return PartnerResult(partner.id, target, "planned", unsent=tuple(f.path for f in todo))
    return _Sender(partner, package, transport, journal, options, target).send(todo, held)


def _policy(partner: Partner, policy: RetryPolicy) -> RetryPolicy:
    """The policy with the partner's own ``retries``, ``backoff`` and ``max_attempts``."""
    settings = TransportSettings(partner.delivery, partner.id, partner.delivery_source)
    chosen: dict[str, Any] = {}
    for key, kind in (("retries", int), ("backoff", float), ("max_attempts", int)):
        if key in partner.delivery_options:
            value = replace(settings, values=partner.delivery_options).get(key, kind)
            if value < 0:
                raise settings.error(f"delivery.{key} must not be negative")
            chosen[key] = value
    return replace(policy, **chosen)


def _plan(
    package: LocalPackage,
    rows: Sequence[Row],
    transport: Transport,
    target: str,
    options: Options,
) -> tuple[list[LocalFile], list[LocalFile]]:
    """(files to send now, the manifest last; files held back for later). A file counts as
    sent only to where it went: a partner that moves to another server gets everything."""
    known = {r.path: r for r in rows}
    now = options.clock()
    todo: list[LocalFile] = []
    held: list[LocalFile] = []
    for file in package.files:
        row = known.get(file.path)
        moved = row is not None and row.remote_path != remote_join(target, file.path)
        if row is None or row.sha256 != file.sha256 or moved:
            todo.append(file)
        elif row.state == "success":
            continue
        elif options.retry_failed or row.state in ("pending", "in_progress"):
            todo.append(file)
        elif row.state == "failed" or (row.next_retry is not None and row.next_retry > now):
            held.append(file)
        else:
            todo.append(file)
    if todo and transport.whole_package:
        return list(package.files), []
    return todo, held


class _Sender:
    def __init__(
        self,
        partner: Partner,
        package: LocalPackage,
        transport: Transport,
        journal: DeliveryJournal,
        options: Options,
        target: str,
    ) -> None:
        self.partner = partner
        self.package = package
        self.transport = transport
        self.journal = journal
        self.options = options
        self.target = target

    def send(self, todo: list[LocalFile], held: list[LocalFile]) -> PartnerResult:
        sent: list[str] = []
        failed: list[str] = []
        manifest = self.package.manifest
        try:
            try:
                self._connect()
            except DeliveryError as exc:
                self._not_connected(exc, todo)
                status: Status = "stopped" if isinstance(exc, DeliveryAuthError) else "failed"
                return self._result(status, sent, todo, held, redact(str(exc)))
            for i, file in enumerate(todo):
                if file.path == manifest.path and (failed or held):
                    break  # never mark an incomplete package complete
                try:
                    ok = self._send(file)
                except DeliveryError as exc:
                    # The partner is down (or refused us): the files after this one wait
                    # with it, so that no run before its retry time knocks again.
                    row = {r.path: r for r in self.journal.rows(self.partner.id)}[file.path]
                    self._not_connected(exc, todo[i + 1 :], row.next_retry)
                    raise
                (sent if ok else failed).append(file.path)
        except DeliveryError as exc:
            status = "stopped" if isinstance(exc, DeliveryAuthError) else "failed"
            return self._result(status, sent, todo, held, redact(str(exc)))
        finally:
            self.transport.close()
        if failed:
            row = {r.path: r for r in self.journal.rows(self.partner.id)}[failed[0]]
            return self._result("failed", sent, todo, held, row.error)
        if manifest.path not in sent:
            return self._result("waiting", sent, todo, held, "")
        result = self._result("delivered", sent, todo, held, "")
        return replace(result, pinged=tuple(self._ping(sent)))

    def _ping(self, sent: list[str]) -> list[str]:
        """Tell the partner's WebSub hub which subscription feeds changed (``hub.mode=publish``);
        a hub that does not answer is a warning: the files are delivered all the same."""
        hub = self.partner.delivery_options.get("websub_hub")
        base = self.partner.feed_url
        feeds = [p for p in sent if p.rsplit("/", 1)[-1].startswith("feed.")]
        if not hub or not base or not feeds:
            return []
        import requests

        urls = [f"{base.rstrip('/')}/{p}" for p in feeds]
        try:
            reply = requests.post(
                str(hub), data={"hub.mode": "publish", "hub.url": urls}, timeout=10
            )
            reply.raise_for_status()
        except requests.RequestException as exc:
            logger.warning("%s: WebSub hub %s: %s", self.partner.id, hub, redact(str(exc)))
            return []
        return urls

    def _result(
        self,
        status: Status,
        sent: list[str],
        todo: list[LocalFile],
        held: list[LocalFile],
        error: str,
    ) -> PartnerResult:
        unsent = [f.path for f in todo if f.path not in sent] + [f.path for f in held]
        return PartnerResult(
            self.partner.id, self.target, status, tuple(sent), tuple(unsent), error
        )

    def _not_connected(
        self, exc: DeliveryError, todo: list[LocalFile], retry: dt.datetime | None = None
    ) -> None:
        """The journal says why these files were not sent: pending after a refused login (the
        next run tries again once the credentials are fixed), retrying after a dead server."""
        now = self.options.clock()
        if exc.retryable and retry is None:
            retry = now + dt.timedelta(seconds=self.options.policy.wait(1, exc.retry_after))
        state: State = "retrying" if exc.retryable else "pending"
        retry = retry if exc.retryable else None
        for file in todo:
            self.journal.note(
                self.partner.id,
                file.path,
                file.sha256,
                remote_join(self.target, file.path),
                state,
                now,
                error=str(exc),
                next_retry=retry,
            )

    def _connect(self) -> None:
        """Connect, trying again on a dropped or refused connection; a refused login raises."""
        attempt = 0
        while True:
            try:
                self.transport.connect()
                return
            except DeliveryError as exc:
                attempt += 1
                if isinstance(exc, DeliveryAuthError) or not exc.retryable:
                    raise
                if attempt > self.options.policy.retries:
                    raise
                self._pause(exc, attempt)

    def _pause(self, exc: DeliveryError, attempt: int) -> None:
        wait = self.options.policy.wait(attempt, exc.retry_after)
        logger.warning("%s; trying again in %.1f s", redact(str(exc)), wait)
        self.options.sleep(wait)

    def _send(self, file: LocalFile) -> bool:
        """Send one file with this run's retries; False when it failed or must wait."""
        policy, journal, pid = self.options.policy, self.journal, self.partner.id
        remote = remote_join(self.target, file.path)
        tries = 0
        while True:
            attempt = journal.start(pid, file.path, file.sha256, remote, self.options.clock())
            try:
                receipt = self.transport.put(file.path, file.data, package=self.package.digest)
            except DeliveryAuthError as exc:
                # Not the file's fault: it is sent again once the credentials are fixed.
                journal.finish(pid, file.path, "pending", self.options.clock(), error=str(exc))
                raise
            except DeliveryError as exc:
                tries += 1
                now = self.options.clock()
                if not exc.retryable or attempt >= policy.max_attempts:
                    journal.finish(pid, file.path, "failed", now, error=str(exc))
                    return False
                if tries > policy.retries:
                    wait = dt.timedelta(seconds=policy.wait(attempt, exc.retry_after))
                    journal.finish(
                        pid, file.path, "retrying", now, error=str(exc), next_retry=now + wait
                    )
                    raise
                journal.finish(pid, file.path, "retrying", now, error=str(exc))
                self._pause(exc, tries)
                self.transport.close()
                self._connect()
                continue
            journal.finish(pid, file.path, "success", self.options.clock(), receipt=receipt)
            if self.options.progress:
                self.options.progress(pid, file.path, len(file.data))
            return True


def delivers_remotely(partner: Partner) -> bool:
    """False for a plain ``directory``/``zip`` without a path: ``export`` already put the
    package where the partner takes it."""
    return not (partner.delivery in ("directory", "zip") and not partner.delivery_options)


def deliver_out(
    out: Path,
    partners: Mapping[str, Partner],
    wanted: Sequence[str],
    options: Options,
    *,
    store: str | None = None,
    wait: float = 30.0,
) -> DeliveryReport:
    """Deliver the packages built under ``out``: to the partners named, else to every partner
    with a transport whose package is there. The journal is in the shared store when its URL
    (``store``) is given, else in the folder."""
    if wanted:
        chosen = [find_partner(partners, w) for w in dict.fromkeys(wanted)]
    else:
        chosen = [
            p
            for p in partners.values()
            if delivers_remotely(p)
            and ((out / p.id / "manifest.json").is_file() or (out / f"{p.id}.zip").is_file())
        ]
    journal = DeliveryJournal.of(out, store=store, wait=wait)
    try:
        if store:
            _left_behind(out, journal)
        return deliver_all(chosen, out, journal, options)
    finally:
        journal.close()


def _left_behind(out: Path, shared: DeliveryJournal) -> None:
    """The folder's own journal, from before the shared store (read only: with the store
    it is not the journal): files it has as sent that the shared store does not would be
    sent again."""
    own = out / JOURNAL_NAME
    if not own.is_file():
        return
    try:
        sent = set(peek(own, "SELECT partner, path FROM delivery WHERE state = 'success'"))
    except sqlite3.Error as exc:
        logger.warning("%s: cannot be read (%s): not checked against the shared store", own, exc)
        return
    missing = sent - {(r.partner, r.path) for r in shared.rows()}
    if missing:
        logger.warning(
            "%s: %d files sent are not in the shared store's delivery journal, and will be "
            "sent again; copy them into it with 'syndicate store copy --out %s'",
            own,
            len(missing),
            out,
        )

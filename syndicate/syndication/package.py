"""Partner packages: every file of every locale, a manifest with checksums, a folder or a zip.

``<out>/<partner>/<locale>/<files>`` and ``<out>/<partner>/manifest.json`` (or, with
``--zip``, ``<out>/<partner>.zip`` holding the same tree with stable member order and
timestamps). Everything is built in memory first; nothing is written unless all of it
could be built.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndicate.config import Outlet
from syndicate.errors import OutputError
from syndicate.files import contained, write_atomic
from syndicate.langtags import parse_tag
from syndicate.syndication.cursor import (
    PAGED_FORMATS,
    Changes,
    changes,
    feed_paging,
    item_digest,
    page_name,
    page_paging,
    read_manifest,
)
from syndicate.syndication.formats import (
    Context,
    Output,
    content_time,
    feed_updated,
    rfc3339,
    writer,
)
from syndicate.syndication.items import Item, build_items, translations_found
from syndicate.syndication.partners import Partner
from syndicate.types import Article
from syndicate.vocabulary import EMBARGO_FORMATS

MANIFEST_VERSION = "1"
MANIFEST = "manifest.json"  # the package's last file: its arrival means the package is complete


@dataclass(frozen=True, slots=True)
class Package:
    """What goes to one partner (or, without a partner, to the output folder)."""

    name: str  # the partner id, or "" for a plain export
    files: tuple[tuple[str, bytes], ...]  # (path inside the package, data), sorted
    items: tuple[Item, ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (source, why) left out of this package
    empty: tuple[tuple[str, str], ...] = ()  # (locale, why) that nothing was delivered in
    # The manifest's generated_at: when its content last changed (zip members are dated so).
    generated_at: dt.datetime | None = None


def build_package(
    articles: Sequence[Article],
    *,
    partner: Partner | None,
    formats: Sequence[str],
    now: dt.datetime,
    outlet: Outlet | None = None,
    previous: bytes | None = None,
    unapproved: Sequence[Article] = (),
) -> Package:
    """Every file for a partner's locales (or for every language of the articles).

    A translation whose money policy (``money:``, written by ``translate``) is not the
    partner's is left out, with the command that makes the right one. ``previous`` is the
    manifest of the package this one replaces (see ``previous_manifest``): against it,
    feeds get their cursor and this export's change pages (``cursor``). ``unapproved`` are
    the translations the caller holds back until an editor approves them: listed in the
    manifest's ``skipped`` as awaiting review, and a locale they leave empty is not one
    that nothing matches.
    """
    skipped: list[tuple[str, str]] = []
    wanted = partner.money_policy if partner else None
    if partner and wanted:
        other = [a for a in articles if a.meta.get("money") not in (None, wanted)]
        skipped += [
            (
                a.name,
                f"its money policy is {a.meta['money']!r} and {partner.id} takes {wanted!r}: "
                f"translate it again with --money {wanted}",
            )
            for a in other
        ]
        left_out = {id(a) for a in other}
        articles = [a for a in articles if id(a) not in left_out]
    items = build_items(articles, partner, outlet)
    held_back = build_items(unapproved, partner, outlet)
    awaiting = {i.locale for i in held_back}
    # What a feed with nothing to date it by says as its time: from content as well.
    newest = content_time([*items, *held_back])
    outlet = (outlet or Outlet()).over(partner.outlet) if partner else (outlet or Outlet())
    locales = partner.locales if partner else tuple(dict.fromkeys(i.locale for i in items))
    files: dict[str, bytes] = {}
    per_locale: dict[str, list[Item]] = {}
    empty: list[tuple[str, str]] = []
    for locale in locales:
        mine = [i for i in items if i.locale == locale]
        if not mine and locale not in awaiting:  # awaiting review: not an empty locale
            policy = [s for s, why in skipped if "money policy" in why]
            more = f"; {len(policy)} left out for their money policy" if policy else ""
            empty.append((locale, _no_match(locale, articles) + more))
        if partner and partner.embargo == "hold":
            held = [i for i in mine if i.embargoed(now)]
            skipped += [
                (i.source, f"embargoed until {rfc3339(i.embargo)}") for i in held if i.embargo
            ]
            mine = [i for i in mine if not i.embargoed(now)]
            if held and not mine:
                empty.append((locale, f"every article is under embargo ({len(held)})"))
        elif set(formats) - EMBARGO_FORMATS:
            said = ", ".join(f for f in formats if f in EMBARGO_FORMATS) or "none of its formats"
            skipped += [
                (i.source, f"embargoed until {rfc3339(i.embargo)}: only in {said} until then")
                for i in mine
                if i.embargo and i.embargoed(now)
            ]
        _same_slugs(mine, locale)
        per_locale[locale] = mine
    chosen = [i for mine in per_locale.values() for i in mine]
    before = read_manifest(previous)
    change = changes(chosen, before)
    paged = [f for f in formats if f in PAGED_FORMATS]
    name = outlet.name or "syndicate"
    floors = feed_floors(before, per_locale, now)
    feeds_updated: dict[str, str] = {}
    for locale, mine in per_locale.items():
        title = f"{name} for {partner.name} ({locale})" if partner else f"{name} ({locale})"
        base = f"{partner.feed_url.rstrip('/')}/{locale}/" if partner and partner.feed_url else None
        floor = floors.get(locale)
        feed_ctx = Context(partner, locale, now, title, outlet, None, newest, floor)
        feeds_updated[locale] = rfc3339(feed_updated(mine, feed_ctx))
        for fmt in formats:
            paging = feed_paging(fmt, change.cursor, base) if base and fmt in paged else None
            ctx = Context(partner, locale, now, title, outlet, paging, newest, floor)
            # A page or a feed entry cannot say "not before": an embargoed article goes
            # out only in the formats that say its embargo (feeds leave it out too).
            shown = mine if fmt in EMBARGO_FORMATS else [i for i in mine if not i.embargoed(now)]
            for output in writer(fmt)(shown, ctx):
                _add(files, f"{locale}/{output.name}", output)
                if paging:
                    page = [i for i in shown if change.on_page(i)]
                    links = page_paging(fmt, change.cursor, output.name, paging.base)
                    page_ctx = Context(partner, locale, now, title, outlet, links, newest)
                    [written] = writer(fmt)(page, page_ctx)
                    _add(files, f"{locale}/{page_name(fmt, change.cursor)}", written)
    unused = {a.name for a in articles} - {i.source for i in chosen} - {s for s, _ in skipped}
    skipped += [(s, "not in the partner's locales") for s in sorted(unused)]
    # Held for review only where the partner would get it; the rest is not its locales'.
    waiting = {i.source for i in held_back}
    skipped += [(a.name, "awaiting review") for a in unapproved if a.name in waiting]
    skipped += [
        (a.name, "not in the partner's locales") for a in unapproved if a.name not in waiting
    ]
    pulled = bool(partner and partner.feed_url)
    upcoming = [f"{loc}/{page_name(f, change.cursor + 1)}" for loc in per_locale for f in paged]
    upcoming = upcoming if pulled else []
    doc = _manifest(partner, files, chosen, skipped, empty, change, upcoming)
    doc["feeds_updated"] = feeds_updated  # each locale's feed time, for the next export
    generated_at = _generated_at(doc, before, now)
    doc["generated_at"] = rfc3339(generated_at)
    files[MANIFEST] = _dump(doc)
    return Package(
        partner.id if partner else "",
        tuple(sorted(files.items())),
        tuple(chosen),
        tuple(skipped),
        tuple(empty),
        generated_at,
    )


def _generated_at(doc: dict[str, Any], previous: dict[str, Any], now: dt.datetime) -> dt.datetime:
    """``now``, unless the package is the previous one (every file, article and reason
    alike): then the previous manifest's time, so that an export that changes nothing
    changes no byte and ``deliver`` sends nothing. (The time of the files' content cannot
    stand in: a package changes when an article leaves it too.)"""
    before = dict(previous)
    kept = before.pop("generated_at", None)
    if isinstance(kept, str) and before == doc:
        with contextlib.suppress(ValueError):  # a damaged time: this manifest replaces it
            when = dt.datetime.fromisoformat(kept)
            if when.tzinfo is not None:
                return when
    return now


def feed_floors(
    previous: dict[str, Any], per_locale: Mapping[str, Sequence[Item]], now: dt.datetime
) -> dict[str, dt.datetime]:
    """The earliest time each locale's feed may give as its ``updated`` (see
    ``Context.floor``): the time it gave in the previous package (``read_manifest``), or
    ``now`` when an article it had is no longer in it (a removal changes a feed without a
    newer entry to date it by). Nothing changed: the previous times, so that the feeds
    keep their bytes."""
    try:
        said = dict(previous.get("feeds_updated") or {})
        had = {(a["locale"], a["id"], a["language"]) for a in previous.get("articles") or ()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}  # a damaged manifest: the feeds are dated by their content alone
    floors: dict[str, dt.datetime] = {}
    for locale, mine in per_locale.items():
        times = []
        if said.get(locale):
            with contextlib.suppress(ValueError):  # a damaged time: dated by content alone
                times.append(dt.datetime.fromisoformat(str(said[locale]).replace("Z", "+00:00")))
        kept = {(i.locale, i.id, i.language) for i in mine}
        if any(key[0] == locale and key not in kept for key in had):
            times.append(now)
        if times:
            floors[locale] = max(times)
    return floors


def sanitized(items: Sequence[Item]) -> list[tuple[str, tuple[str, ...]]]:
    """Each source the sanitizing policy took something out of, and what, once."""
    return sorted({i.source: i.removed for i in items if i.removed}.items())


def _no_match(locale: str, articles: Sequence[Article]) -> str:
    """Why a partner locale has nothing: the translations there are and what would do."""
    found = translations_found(articles)
    tag = parse_tag(locale)
    would = " or ".join(dict.fromkeys((locale, tag.language)))
    return (
        f"no translation matches {locale}: found {', '.join(found) or 'none'}; "
        f"wanted {locale} (a translation into {would} would do)"
    )


def previous_manifest(out: Path, partner: Partner | None) -> bytes | None:
    """The manifest of the package last written for ``partner`` under ``out``, if any."""
    folder = out / partner.id if partner else out
    try:
        return (folder / MANIFEST).read_bytes()
    except OSError:
        pass
    if partner is not None:
        try:
            with zipfile.ZipFile(out / f"{partner.id}.zip") as archive:
                return archive.read(f"{partner.id}/{MANIFEST}")
        except (OSError, KeyError, zipfile.BadZipFile):
            pass
    return None


def _same_slugs(items: Sequence[Item], locale: str) -> None:
    """Two articles of one locale with one slug would be written to the same files."""
    first: dict[str, str] = {}
    for item in items:
        other = first.setdefault(item.slug, item.source)
        if other != item.source:
            raise OutputError(
                f"{locale}/{item.slug}",
                f"{other} and {item.source} have the same slug",
                hint="give one of them another 'slug:' in its front matter",
            )


def _add(files: dict[str, bytes], path: str, output: Output) -> None:
    if path in files:
        raise OutputError(
            path,
            "two articles would be written to the same file",
            hint="give them different 'slug' values",
        )
    files[path] = output.data


def _manifest(
    partner: Partner | None,
    files: dict[str, bytes],
    items: Sequence[Item],
    skipped: Sequence[tuple[str, str]],
    empty: Sequence[tuple[str, str]],
    change: Changes,
    upcoming: Sequence[str],
) -> dict[str, Any]:
    """The manifest without its ``generated_at`` (see ``_generated_at``)."""
    return {
        "syndicate_manifest_version": MANIFEST_VERSION,
        "cursor": change.cursor,
        "next": list(upcoming),
        "partner": {"id": partner.id, "name": partner.name} if partner else None,
        "files": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in sorted(files.items())
        ],
        "articles": [
            {
                "id": i.id,
                "digest": item_digest(i),
                "changed_at": change.changed_at[(i.id, i.language)],
                "translation_group": i.group,
                "version": i.version,
                "language": i.language,
                "locale": i.locale,
                "source": _file_name(i.source),
                "source_url": i.original_url,
                "status": i.status,
                "embargo": rfc3339(i.embargo) if i.embargo else None,
                "engine": i.engine,
                "rates": i.rates or None,
                "qa": i.qa or None,
            }
            for i in sorted(items, key=lambda i: (i.locale, i.id))
        ],
        "skipped": [{"source": _file_name(s), "reason": why} for s, why in skipped],
        "empty_locales": [{"locale": loc, "reason": why} for loc, why in empty],
        "sanitized": [
            {"source": _file_name(source), "removed": list(parts)}
            for source, parts in sanitized(items)
        ],
    }


def _file_name(source: str) -> str:
    """What the manifest, which partners read, says of the file an article was read from:
    its name (``<slug>.<locale>.md``), never the newsroom's folders. The whole path stays
    in ``Item.source`` and ``Package.skipped`` for the newsroom's own messages; nothing
    reads it back from a manifest (the cursor goes by id, language and digest)."""
    return Path(source).name or source


def _dump(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_package(
    package: Package, out: Path, *, as_zip: bool, now: dt.datetime | None = None
) -> list[Path]:
    """Write a package under ``out``: a folder per partner, or one zip per partner.

    Zip members are dated with the manifest's ``generated_at`` (which stays put while the
    package does), as the zip transport dates them; ``now`` only stands in for a package
    built without one."""
    base = package.name or ""
    if as_zip:
        target = contained(out, f"{base or 'export'}.zip")
        stamp = package.generated_at or now
        if stamp is None:
            raise ValueError("a package without generated_at needs now= to be zipped")
        write_atomic(target, zip_bytes(package, stamp))
        return [target]
    written = []
    for path, data in package.files:
        target = contained(out, f"{base}/{path}" if base else path)
        write_atomic(target, data)
        written.append(target)
    return written


def zip_bytes(package: Package, now: dt.datetime) -> bytes:
    """The package as a zip: members under the partner's folder, sorted, all stamped ``now``."""
    base = package.name or ""
    buffer = io.BytesIO()
    stamp = now.astimezone(dt.UTC).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in package.files:
            info = zipfile.ZipInfo(f"{base}/{path}" if base else path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()

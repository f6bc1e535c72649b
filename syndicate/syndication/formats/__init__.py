"""One writer per format, all from the same items; each returns files as bytes, writes nothing.

Per-article formats (``markdown``, ``html``, ``ninjs``, ``newsml-g2``) give one file per
item; feed formats (``atom``, ``rss``, ``jsonfeed``) give one feed per partner and locale,
items newest first, embargoed and withdrawn items left out. ``now`` decides what an embargo
holds back and nothing else: no file is dated by the clock (see ``feed_updated``), so the
same items give the same bytes at any time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urljoin, urlsplit

from syndicate.config import Outlet
from syndicate.errors import ConfigError
from syndicate.syndication.cursor import Paging
from syndicate.syndication.items import Item
from syndicate.syndication.partners import Partner
from syndicate.vocabulary import FORMATS


@dataclass(frozen=True, slots=True)
class Output:
    """A file to write: its path inside the locale folder, its bytes and its media type."""

    name: str
    data: bytes
    media_type: str


@dataclass(frozen=True, slots=True)
class Context:
    partner: Partner | None
    locale: str
    now: dt.datetime
    title: str  # of the feed: the outlet and the locale
    outlet: Outlet = field(default_factory=Outlet)  # the settings', with the partner's overrides
    paging: Paging | None = None  # feeds of a package: the cursor and the change pages
    # The time of a feed with nothing of its own to date it by (see ``feed_updated``): the
    # newest article of the whole export (``content_time``); None: the Unix epoch.
    updated: dt.datetime | None = None
    # The earliest a subscription feed may say it changed: what the feed said last time,
    # or the export's time when an article left it since (``package.feed_floors``), so
    # that its time never goes back, even when its newest entry leaves it.
    floor: dt.datetime | None = None

    @property
    def rights(self) -> str:
        if self.partner is None:
            return ""
        r = self.partner.rights
        return " ".join(x for x in (r.notice, r.usage_terms) if x)

    def publisher(self, items: Sequence[Item]) -> str | None:
        """Who publishes the originals, by name: the outlet's, else the rights holder's, else
        the host of the outlet's (or the originals') address; None with nothing to go by."""
        if self.outlet.name:
            return self.outlet.name
        if self.partner and self.partner.rights.holder:
            return self.partner.rights.holder
        home = self.home(items, "this format")
        return urlsplit(home).netloc if home else None

    def home(self, items: Sequence[Item], fmt: str) -> str | None:
        """The outlet's address; without the setting, the one site the originals are on
        (None when there are none: an empty feed, and nothing known to link to)."""
        if self.outlet.url:
            return self.outlet.url
        origins = sorted({_origin(i.original_url) for i in items} - {""})
        if len(origins) > 1:
            raise ConfigError(
                f"{fmt} needs the outlet's address: the originals are on {', '.join(origins)}",
                hint="set outlet.url in the settings (config/syndicate.yaml)",
            )
        return origins[0] if origins else None


Writer = Callable[[Sequence[Item], Context], list[Output]]


def writer(fmt: str) -> Writer:
    """The writer of a format (imported on demand): ``formats/<fmt>.py``, one per ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = import_module(f"syndicate.syndication.formats.{fmt.replace('-', '_')}")
    return module.write  # type: ignore[no-any-return]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme in ("http", "https") else ""


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def content_time(items: Sequence[Item]) -> dt.datetime | None:
    """The newest ``updated`` of the items: a time that moves only when they change."""
    return max((i.updated for i in items), default=None)


def feed_updated(items: Sequence[Item], ctx: Context) -> dt.datetime:
    """When the feed last changed, read from its content, never from the clock: an export
    that changes nothing must change no byte (a re-sent feed, a rewritten RFC 5005 archive
    page, which must never change once written).

    The newest of: each entry's ``updated``, or the end of its embargo when it appeared
    later than that; each withdrawn (canceled, withheld) article's ``updated``, which is
    when it left; and ``ctx.floor``, so that the time never goes back. A feed without
    any of these takes ``ctx.updated``.
    """
    times = [max(i.updated, i.embargo) if i.embargo else i.updated for i in public(items, ctx.now)]
    times += [i.updated for i in items if i.status != "usable"]
    times += [ctx.floor] if ctx.floor else []
    return max(times, default=ctx.updated or EPOCH)


def rfc3339(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def public(items: Sequence[Item], now: dt.datetime) -> list[Item]:
    """What a public feed may show: usable, not under embargo; newest first."""
    shown = [i for i in items if i.status == "usable" and not i.embargoed(now)]
    return sorted(shown, key=lambda i: (-i.published.timestamp(), i.id))


def feed_html(item: Item) -> str:
    """The body for RSS and JSON Feed: its same-document links (``#fn1``, ``#fnref1``)
    made absolute against the item's own page, where that footnote is.

    Neither format has a base URL for content (RSS 2.0 and JSON Feed 1.1 define none), so
    readers resolve a bare ``#fn1`` against whatever they take as base: most the feed's
    own address (feedparser does), a few the item's link. The item's page is the one
    document both the link and its target are in; without one (no partner ``item_url``,
    no page of the outlet's), the feed is the only copy and the link is left as it is.
    Atom says it with ``xml:base`` instead (see ``atom.py``).
    """
    page = item.url
    if page is None or 'href="#' not in item.body_html:
        return item.body_html
    from syndicate.markdown.html import resolve_links

    return resolve_links(item.body_html, lambda url: urljoin(page, url) if url[:1] == "#" else url)

"""One writer per format, all from the same items; each returns files as bytes, writes nothing.

Per-article formats (``markdown``, ``html``, ``ninjs``, ``newsml-g2``) give one file per
item; feed formats (``atom``, ``rss``, ``jsonfeed``) give one feed per partner and locale,
items newest first, embargoed and withdrawn items left out. With a fixed ``now`` the bytes
are the same on every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module

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

    @property
    def rights(self) -> str:
        if self.partner is None:
            return ""
        r = self.partner.rights
        return " ".join(x for x in (r.notice, r.usage_terms) if x)


Writer = Callable[[Sequence[Item], Context], list[Output]]


def writer(fmt: str) -> Writer:
    """The writer of a format (imported on demand): ``formats/<fmt>.py``, one per ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    module = import_module(f"syndicate.syndication.formats.{fmt.replace('-', '_')}")
    return module.write  # type: ignore[no-any-return]


def rfc3339(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def public(items: Sequence[Item], now: dt.datetime) -> list[Item]:
    """What a public feed may show: usable, not under embargo; newest first."""
    shown = [i for i in items if i.status == "usable" and not i.embargoed(now)]
    return sorted(shown, key=lambda i: (-i.published.timestamp(), i.id))

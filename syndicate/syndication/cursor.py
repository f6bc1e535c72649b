"""A stable cursor for partners that pull: what changed since the last export, in order.

Every manifest carries a ``cursor``: a number that grows by one with each export that
changes something (a new, corrected or removed article) and stays put otherwise, and each
article's ``changed_at`` (the cursor it last changed at). For a partner with a
``feed_url`` (where the package is served), each locale also gets a change page per feed
format listing only the items that changed at the current cursor:
``<locale>/changes/<n>.json`` (JSON Feed) and ``<locale>/changes/<n>.atom.xml`` (an RFC
5005 archive document). The subscription feeds and every page point forward with JSON
Feed's ``next_url`` to page ``n + 1``, which does not exist until something changes; the
Atom feed points back with RFC 5005's ``prev-archive`` to the newest page, and each page
to the one before. The manifest's ``next`` lists the pages the next change will create.
An export that changes nothing rebuilds the same page from ``changed_at``: the same
package, the same bytes; older pages stay where earlier exports put them.

The previous state is the package's previous manifest, so the cursor lives as long as the
output folder does; a new folder starts again at 1.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from syndicate.syndication.items import Item

PAGES = "changes"  # the folder of change pages, in each locale's folder
PAGED_FORMATS = {"jsonfeed": ".json", "atom": ".atom.xml"}


@dataclass(frozen=True, slots=True)
class Paging:
    """Where a feed sits in the chain of change pages (paths relative to the locale's
    folder; ``href`` makes them absolute links under the partner's ``feed_url``)."""

    cursor: int
    next: str  # the page that will list the next changes (JSON Feed ``next_url``)
    prev_archive: str | None  # the newest page before this document (RFC 5005)
    current: str | None  # on a page: the subscription feed (RFC 5005 ``current``)
    base: str  # the locale folder's URL under the partner's feed_url, ending in "/"

    @property
    def archive(self) -> bool:
        return self.current is not None

    def href(self, path: str) -> str:
        return self.base + path


@dataclass(frozen=True, slots=True)
class Changes:
    cursor: int
    changed_at: dict[tuple[str, str], int]  # (item id, language) -> the cursor it last changed

    def on_page(self, item: Item) -> bool:
        """Whether the item is on this export's page (it changed at this cursor)."""
        return self.changed_at.get((item.id, item.language)) == self.cursor


def item_digest(item: Item) -> str:
    """What a partner would see of an item, hashed (where it was read from left out)."""
    return hashlib.sha256(repr(dataclasses.replace(item, source="")).encode()).hexdigest()


def read_manifest(previous: bytes | None) -> dict[str, Any]:
    """The manifest of the package an export replaces, read once for all that goes on
    from it (the cursor, the feeds' times, the package's own time); empty when there is
    none or it is damaged, which starts a new chain."""
    if not previous:
        return {}
    try:
        doc = json.loads(previous)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def changes(items: Sequence[Item], previous: dict[str, Any]) -> Changes:
    """This export's cursor and when each item last changed, against the previous manifest
    (``read_manifest``).

    Nothing changed: the same cursor and the same page (rebuilt from ``changed_at``), so
    an export that changes nothing gives the same bytes.
    """
    before: dict[tuple[str, str], tuple[str, int]] = {}
    cursor = 0
    if previous:
        try:
            cursor = int(previous.get("cursor") or 0)
            before = {
                (a["id"], a["language"]): (a.get("digest", ""), int(a.get("changed_at") or 0))
                for a in previous["articles"]
            }
        except (ValueError, KeyError, TypeError):
            cursor, before = 0, {}  # a damaged manifest: start a new chain
    now = {(i.id, i.language): item_digest(i) for i in items}
    changed = {k for k, digest in now.items() if before.get(k, ("", 0))[0] != digest}
    if changed or set(before) != set(now) or cursor == 0:
        cursor += 1
    return Changes(cursor, {k: cursor if k in changed else before[k][1] for k in now})


def feed_paging(fmt: str, cursor: int, base: str) -> Paging:
    """Links of a subscription feed (``<locale>/feed...``)."""
    return Paging(
        cursor, page_name(fmt, cursor + 1), page_name(fmt, cursor) if cursor else None, None, base
    )


def page_paging(fmt: str, cursor: int, feed_name: str, base: str) -> Paging:
    """Links of change page ``cursor`` (``<locale>/changes/<cursor>...``)."""
    return Paging(
        cursor,
        page_name(fmt, cursor + 1),
        page_name(fmt, cursor - 1) if cursor > 1 else None,
        current=feed_name,
        base=base,
    )


def page_name(fmt: str, cursor: int) -> str:
    return f"{PAGES}/{cursor}{PAGED_FORMATS[fmt]}"

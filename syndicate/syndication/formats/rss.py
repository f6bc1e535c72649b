"""RSS 2.0 with content:encoded, Dublin Core and Media RSS: one channel per partner and locale.

RSS has a language per channel only, so each item also says its language in
``dc:language``; captions and credits of images go in ``media:description`` and
``media:credit``. An item's ``link`` is its own page, and only that (feed readers take an
``atom:link rel="alternate"`` as the item's link): the other language versions are
``atom:link rel="related" hreflang``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from email.utils import format_datetime
from typing import Any

from syndicate.syndication.formats import Context, Output, feed_html, feed_updated, public
from syndicate.syndication.formats.xml import serialize, sub
from syndicate.syndication.items import Item

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "media": "http://search.yahoo.com/mrss/",
    "atom": "http://www.w3.org/2005/Atom",
}


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    from lxml import etree

    def el(parent: Any, tag: str, text: str | None = None, **attrs: str) -> Any:
        prefix, _, local = tag.rpartition(":")  # "dc:creator": in its namespace
        return sub(parent, local, text, ns=NS[prefix] if prefix else None, **attrs)

    rss = etree.Element("rss", nsmap=NS, version="2.0")
    channel = el(rss, "channel")
    el(channel, "title", ctx.title)
    home = ctx.home(items, "rss")
    if home:  # none only for a channel without items and without outlet settings
        el(channel, "link", home)
    el(channel, "description", f"{ctx.title}: translated articles")
    el(channel, "language", ctx.locale)
    el(channel, "lastBuildDate", format_datetime(feed_updated(items, ctx).astimezone(UTC)))
    el(channel, "generator", "syndicate")
    if ctx.rights:
        el(channel, "copyright", ctx.rights)
    for item in public(items, ctx.now):
        node = el(channel, "item")
        el(node, "title", item.title)
        if item.url:
            el(node, "link", item.url)
        el(node, "guid", item.id, isPermaLink="false")
        el(node, "pubDate", format_datetime(item.published))
        if item.summary:
            el(node, "description", item.summary)
        el(node, "content:encoded", feed_html(item))
        if item.byline:
            el(node, "dc:creator", item.byline)
        el(node, "dc:contributor", item.translator)
        el(node, "dc:language", item.language)
        el(node, "dc:source", item.original_url)
        el(node, "dc:relation", item.group)
        if ctx.rights:
            el(node, "dc:rights", ctx.rights)
        for category in item.categories:
            el(node, "category", category)
        for lang, href in item.others:
            el(node, "atom:link", rel="related", hreflang=lang, href=href)
        if item.image:
            media = el(node, "media:content", url=item.image.url, medium="image")
            if item.image.caption:
                el(media, "media:description", item.image.caption)
            if item.image.credit:
                el(media, "media:credit", item.image.credit, role="photographer")
    return [Output("feed.rss.xml", serialize(rss), "application/rss+xml")]

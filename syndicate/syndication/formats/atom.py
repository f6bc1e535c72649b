"""Atom (RFC 4287): one feed per partner and locale.

``xml:lang`` on the feed and each entry. An entry's one ``link rel="alternate"`` is its
own page (feed readers take the alternate as the entry's link, so the other language
versions are ``rel="related"`` with their ``hreflang``); ``rel="via"`` to the original;
rights and a ``rel="license"`` link; the translator as a contributor.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import partial

from syndicate.syndication.formats import Context, Output, feed_updated, public, rfc3339
from syndicate.syndication.formats.xml import XML_BASE, XML_LANG, serialize, sub
from syndicate.syndication.items import Item

ATOM = "http://www.w3.org/2005/Atom"
HISTORY = "http://purl.org/syndication/history/1.0"  # RFC 5005


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    from lxml import etree

    el = partial(sub, ns=ATOM)

    paging = ctx.paging
    nsmap = {None: ATOM, "fh": HISTORY} if paging and paging.archive else {None: ATOM}
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)
    feed.set(XML_LANG, ctx.locale)
    el(feed, "id", feed_id(ctx))
    el(feed, "title", ctx.title)
    el(feed, "updated", rfc3339(feed_updated(items, ctx)))
    publisher, home = ctx.publisher(items), ctx.home(items, "atom")
    if publisher:  # none only for a feed without entries, which needs no author
        el(el(feed, "author"), "name", publisher)
    if home:
        el(feed, "link", rel="related", href=home, type="text/html")
    el(feed, "generator", "syndicate")
    if paging:  # RFC 5005 archived feed: the feed links to its newest change page
        if paging.archive:
            etree.SubElement(feed, f"{{{HISTORY}}}archive")
            el(feed, "link", rel="current", href=paging.href(str(paging.current)))
        if paging.prev_archive:
            el(feed, "link", rel="prev-archive", href=paging.href(paging.prev_archive))
    if ctx.rights:
        el(feed, "rights", ctx.rights)
    for item in public(items, ctx.now):
        entry = el(feed, "entry")
        entry.set(XML_LANG, item.language)
        el(entry, "id", item.id)
        el(entry, "title", item.title)
        el(entry, "published", rfc3339(item.published))
        el(entry, "updated", rfc3339(item.updated))
        if item.byline:
            el(el(entry, "author"), "name", item.byline)
        el(el(entry, "contributor"), "name", item.translator)
        if item.url:
            el(
                entry,
                "link",
                rel="alternate",
                hreflang=item.locale,
                href=item.url,
                type="text/html",
            )
        for lang, href in item.others:
            el(entry, "link", rel="related", hreflang=lang, href=href, type="text/html")
        el(entry, "link", rel="via", href=item.original_url, hreflang=item.original_language)
        if ctx.partner and ctx.partner.rights.url:
            el(entry, "link", rel="license", href=ctx.partner.rights.url)
        if item.image:
            el(
                entry,
                "link",
                rel="enclosure",
                href=item.image.url,
                title=item.image.caption or item.title,
            )
        for category in item.categories:
            el(entry, "category", term=category)
        if item.summary:
            el(entry, "summary", item.summary)
        content = el(entry, "content", item.body_html, type="html")
        if item.url:
            # The body's same-document links (#fn1, #fnref1) stay fragment-only, as in the
            # HTML page; RFC 4287 (xml:base, RFC 3986 section 5.1) makes them resolve against the
            # entry's own page, where those footnotes are, rather than against the feed's
            # address. Without a page of its own the entry is the only copy: no base.
            content.set(XML_BASE, item.url)
    return [Output("feed.atom.xml", serialize(feed), "application/atom+xml")]


def feed_id(ctx: Context) -> str:
    owner = ctx.partner.id if ctx.partner else "all"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'syndicate:{owner}:{ctx.locale}')}"

"""IPTC NewsML-G2 2.35 (power conformance): one newsItem per item, the body inline as XHTML.

A translation is linked to its original with ``itemMeta/link`` (``rel`` a QCode of our own
scheme, since IPTC has no "translated from" code) and to its translation group with
another; ``link`` has no ``hreflang``, so languages live in ``xml:lang`` and
``contentMeta/language``. Every scheme a QCode uses is declared in the item's own catalog:
IPTC's with their official URIs (from IPTC's catalog 38), ours under the outlet's address.
The provider is the outlet's ``provider_id``: a QCode of IPTC's news providers
(``nprov:X``) when the outlet is registered there, else a literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any
from urllib.parse import urljoin

from syndicate.errors import ConfigError
from syndicate.syndication.formats import Context, Output, rfc3339
from syndicate.syndication.formats.xml import XHTML, XML_LANG, serialize, sub, xhtml
from syndicate.syndication.items import Item

G2 = "http://iptc.org/std/nar/2006-10-01/"
# The IPTC schemes used here, as IPTC's catalog.IPTC-G2-Standards_38.xml declares them.
IPTC_SCHEMES = {
    "ninat": "http://cv.iptc.org/newscodes/ninature/",
    "stat": "http://cv.iptc.org/newscodes/pubstatusg2/",
    "cpnat": "http://cv.iptc.org/newscodes/cpnature/",
    "drol": "http://cv.iptc.org/newscodes/descriptionrole/",
    "nprov": "http://cv.iptc.org/newscodes/newsprovider/",
}
# Ours, under the outlet's address: relations between items, roles of parties.
OWN_SCHEMES = {
    "synrel": "newscodes/syndication-relation/",
    "synrole": "newscodes/syndication-role/",
}


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    return [
        Output(
            f"{i.slug}.newsml.xml",
            serialize(news_item(i, ctx)),
            "application/vnd.iptc.g2.newsitem+xml",
        )
        for i in items
    ]


def news_item(item: Item, ctx: Context) -> Any:
    from lxml import etree

    el = partial(sub, ns=G2)

    root = etree.Element(
        f"{{{G2}}}newsItem",
        nsmap={None: G2},
        guid=item.id,
        version=str(item.version),
        standard="NewsML-G2",
        standardversion="2.35",
        conformance="power",
    )
    root.set(XML_LANG, item.language)
    home = ctx.home([item], "newsml-g2")
    if home is None:  # an original known by a URN only: no address to name the outlet by
        raise ConfigError(
            "newsml-g2 needs the outlet's address",
            hint="set outlet.url in the settings (config/syndicate.yaml)",
        )
    catalog = el(root, "catalog")
    for alias, uri in IPTC_SCHEMES.items():
        el(catalog, "scheme", alias=alias, uri=uri)
    for alias, path in OWN_SCHEMES.items():
        el(catalog, "scheme", alias=alias, uri=urljoin(home, path))
    if ctx.partner:
        r = ctx.partner.rights
        rights = el(root, "rightsInfo")
        if r.holder:
            el(el(rights, "copyrightHolder"), "name", r.holder)
        if r.notice:
            el(rights, "copyrightNotice", r.notice)
        if r.usage_terms:
            el(rights, "usageTerms", r.usage_terms)
        if r.url:
            el(rights, "link", href=r.url)
    meta = el(root, "itemMeta")
    el(meta, "itemClass", qcode="ninat:text")
    provider_id = ctx.outlet.provider_id
    if provider_id.startswith("nprov:"):
        provider = el(meta, "provider", qcode=provider_id)
    elif provider_id:
        provider = el(meta, "provider", literal=provider_id)
    else:
        provider = el(meta, "provider", uri=home)
    if ctx.outlet.name:
        el(provider, "name", ctx.outlet.name)
    el(meta, "versionCreated", rfc3339(item.updated))
    el(meta, "firstCreated", rfc3339(item.published))
    if item.embargo is not None:
        el(meta, "embargoed", rfc3339(item.embargo))
    el(meta, "pubStatus", qcode=f"stat:{item.status}")
    el(meta, "link", rel="synrel:translatedFrom", href=item.original_url)
    el(meta, "link", rel="synrel:translationGroup", residref=item.group)
    for _, href in item.others:
        el(meta, "link", rel="synrel:translation", href=href)
    content = el(root, "contentMeta")
    el(content, "contentCreated", rfc3339(item.published))
    if item.byline:
        el(content, "creator", literal=item.byline)
    el(content, "contributor", literal=item.translator, role="synrole:translator")
    source = el(content, "infoSource", uri=home, role="synrole:originator")
    if ctx.outlet.name:
        el(source, "name", ctx.outlet.name)
    el(content, "language", tag=item.language)
    for category in item.categories:
        el(el(content, "subject", type="cpnat:abstract"), "name", category)
    el(content, "slugline", item.slug)
    el(content, "headline", item.title)
    if item.byline:
        el(content, "by", item.byline)
    if item.summary:
        el(content, "description", item.summary, role="drol:summary")
    if item.attribution:
        el(content, "creditline", item.attribution)
    content_set = el(root, "contentSet")
    inline = el(content_set, "inlineXML", contenttype="application/xhtml+xml")
    html = etree.SubElement(inline, f"{{{XHTML}}}html", nsmap={None: XHTML})
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}title").text = item.title
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    for node in xhtml(item.body_html):
        body.append(node)
    return root

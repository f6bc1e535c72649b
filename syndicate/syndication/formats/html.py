"""Standalone HTML: lang and dir, hreflang alternates, a link back, the sanitized body."""

from __future__ import annotations

from collections.abc import Sequence

from syndicate.syndication.formats import Context, Output, rfc3339
from syndicate.syndication.items import Item

RTL = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv"})


def direction(language: str) -> str:
    return "rtl" if language.split("-")[0].lower() in RTL else "ltr"


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    return [Output(f"{i.slug}.html", _page(i, ctx), "text/html; charset=utf-8") for i in items]


def _page(item: Item, ctx: Context) -> bytes:
    from lxml import etree, html
    from lxml.html import builder as E

    head = E.HEAD(E.META(charset="utf-8"), E.TITLE(item.title))
    for name, content in (
        ("description", item.summary),
        ("author", item.byline),
        ("dcterms.rights", ctx.rights),
        ("syndicate:translation-group", item.group),
    ):
        if content:
            head.append(E.META(name=name, content=content))
    if item.url:
        head.append(E.LINK(rel="canonical", href=item.url))  # itself, never the original
    for lang, href in item.alternates:  # every version there is, the original included
        head.append(E.LINK(rel="alternate", hreflang=lang, href=href))
    article = E.E.article()
    article.append(E.H1(item.title))
    meta = E.P(E.CLASS("meta"))
    meta.append(E.TIME(item.published.date().isoformat(), datetime=rfc3339(item.published)))
    if item.byline:
        meta[-1].tail = f" · {item.byline}"
    article.append(meta)
    if item.image:
        figure = E.E.figure(E.IMG(src=item.image.url, alt=item.image.alt))
        if item.image.caption or item.image.credit:
            figure.append(
                E.E.figcaption(" ".join(x for x in (item.image.caption, item.image.credit) if x))
            )
        article.append(figure)
    for fragment in html.fragments_fromstring(item.body_html):
        if isinstance(fragment, str):
            continue  # loose text between blocks is whitespace
        article.append(fragment)
    page = E.HTML(head, E.BODY(article), lang=item.language, dir=direction(item.language))
    serialized = etree.tostring(page, method="html", encoding="utf-8", pretty_print=True)
    return b"<!DOCTYPE html>\n" + bytes(serialized)

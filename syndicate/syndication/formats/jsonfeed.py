"""JSON Feed 1.1: one feed per partner and locale; our links under ``_syndication``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from syndicate.syndication.formats import Context, Output, feed_html, public, rfc3339
from syndicate.syndication.items import Item


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": ctx.title,
        "language": ctx.locale,
        "items": [_item(i, ctx) for i in public(items, ctx.now)],
    }
    home, publisher = ctx.home(items, "jsonfeed"), ctx.publisher(items)
    if home:
        feed["home_page_url"] = home
    if publisher:
        feed["authors"] = [{"name": publisher, **({"url": home} if home else {})}]
    if ctx.paging:
        # The page that will hold what changes after this document; until then it does not
        # exist (404), so a partner polls it and gets only what is new.
        feed["next_url"] = ctx.paging.href(ctx.paging.next)
        feed["_syndication"] = {"cursor": ctx.paging.cursor}
    data = json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return [Output("feed.json", data.encode("utf-8"), "application/feed+json")]


def _item(item: Item, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "title": item.title,
        "content_html": feed_html(item),
        "date_published": rfc3339(item.published),
        "date_modified": rfc3339(item.updated),
        "language": item.language,
        "external_url": item.original_url,
        "_syndication": {
            "translation_group": item.group,
            "translated_from": {"url": item.original_url, "language": item.original_language},
            "alternates": [{"language": lang, "url": href} for lang, href in item.alternates],
            "translator": item.translator,
            "attribution": item.attribution,
            "rights": ctx.rights,
        },
    }
    if item.url:
        out["url"] = item.url
    if item.summary:
        out["summary"] = item.summary
    if item.image:
        out["image"] = item.image.url
    if item.byline:
        out["authors"] = [{"name": item.byline}]
    if item.categories:
        out["tags"] = list(item.categories)
    return out

"""IPTC ninjs 3.1 (or 2.2 for partners that ask): one JSON document per item.

ninjs has no translation property; as the syndication note recommends, the original is an
association with ``rel: translatedFrom`` and each sibling one with ``rel: translation``
(2.x has no ``rel``: the relation goes into ``name``), attribution is an ``infoSources``
originator (the outlet: its name, address and provider id), and the item's own page, when
it has one, its ``altIds`` canonical-url (never the original's: that is another language).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from syndicate.syndication.formats import Context, Output, rfc3339
from syndicate.syndication.items import Item

_V22_KEYS = {"embargoedUntil": "embargoed"}


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    version = ctx.partner.ninjs_version if ctx.partner else "3.1"
    out = []
    for item in items:
        doc = document(item, ctx)
        if version == "2.2":
            doc = to_v22(doc)
        data = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        out.append(Output(f"{item.slug}.ninjs.json", data.encode("utf-8"), "application/json"))
    return out


def document(item: Item, ctx: Context) -> dict[str, Any]:
    """The ninjs 3.1 document of an item."""
    doc: dict[str, Any] = {
        "uri": item.id,
        "type": "text",
        "version": str(item.version),
        "versionCreated": rfc3339(item.updated),
        "firstCreated": rfc3339(item.published),
        "pubStatus": item.status,
        "language": item.language,
        "title": item.slug,
        "headlines": [{"role": "main", "value": item.title}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "value": item.body_html,
                "charCount": len(item.text),
                "wordCount": len(item.text.split()),
            }
        ],
        "altIds": [{"role": "translation-group", "value": item.group}],
        "infoSources": [_source(item, ctx)],
        "associations": _associations(item),
    }
    if item.summary:
        doc["descriptions"] = [{"role": "summary", "value": item.summary}]
    if item.byline:
        doc["by"] = item.byline
    if item.embargo is not None:
        doc["embargoedUntil"] = rfc3339(item.embargo)
    if item.categories:
        doc["subjects"] = [{"name": c} for c in item.categories]
    if ctx.partner:
        r = ctx.partner.rights
        doc.update(
            {
                k: v
                for k, v in (
                    ("copyrightHolder", r.holder),
                    ("copyrightNotice", r.notice),
                    ("usageTerms", r.usage_terms),
                )
                if v
            }
        )
        if r.url:
            doc["rightsInfo"] = {"linkedRights": r.url}
    if item.url:
        doc["altIds"].insert(0, {"role": "canonical-url", "value": item.url})
        doc["renditions"] = [{"name": "web", "href": item.url, "contentType": "text/html"}]
    return doc


def _source(item: Item, ctx: Context) -> dict[str, str]:
    source = {"role": "originator"}
    for key, value in (("name", ctx.publisher([item])), ("uri", ctx.home([item], "ninjs"))):
        if value:
            source[key] = value
    if ctx.outlet.provider_id:
        source["literal"] = ctx.outlet.provider_id
    return source


def _associations(item: Item) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "name": "original",
            "rel": "translatedFrom",
            "uri": item.original_url,
            "type": "text",
            "language": item.original_language,
        },
    ]
    for lang, href in item.others:
        out.append(
            {
                "name": f"translation-{lang}",
                "rel": "translation",
                "uri": href,
                "type": "text",
                "language": lang,
            }
        )
    if item.image:
        picture: dict[str, Any] = {
            "name": "featureimage",
            "rel": "image",
            "uri": item.image.url,
            "type": "picture",
            "renditions": [{"name": "original", "href": item.image.url}],
        }
        if item.image.caption:
            picture["descriptions"] = [{"role": "caption", "value": item.image.caption}]
        if item.image.credit:
            picture["by"] = item.image.credit
        out.append(picture)
    return out


def to_v22(doc: Any) -> Any:
    """ninjs 3.x -> 2.2: keys in lower case, ``rel`` folded into ``name``."""
    if isinstance(doc, list):
        return [to_v22(v) for v in doc]
    if not isinstance(doc, dict):
        return doc
    out = {}
    for key, value in doc.items():
        if key == "rel":
            continue
        out[_V22_KEYS.get(key, key.lower())] = to_v22(value)
    if "rel" in doc:
        out["name"] = f"{doc['rel']}:{doc.get('name', '')}"
    return out

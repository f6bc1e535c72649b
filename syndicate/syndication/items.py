"""Translated articles -> syndication items: one model every export format is written from.

Translations of the same original form a translation group; its id (a UUID derived from
the original's URL or id) and the item ids (derived from it and the language) are stable
across runs, so partners can update what they received.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from syndicate.errors import InputError
from syndicate.markdown.article import parse_timestamp
from syndicate.markdown.html import to_html, to_text
from syndicate.markdown.importer import escape
from syndicate.syndication.partners import Partner
from syndicate.types import Article

JAKARTA = ZoneInfo("Asia/Jakarta")  # a date without a zone in an Indonesian newsroom is WIB
STATUSES = ("usable", "withheld", "canceled")


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    caption: str = ""
    credit: str = ""
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    id: str  # urn:uuid:..., stable per (original, language)
    group: str  # urn:uuid:..., the translation group
    version: int
    language: str
    title: str
    summary: str
    body_markdown: str
    body_html: str
    byline: str
    translator: str
    published: dt.datetime
    updated: dt.datetime
    embargo: dt.datetime | None
    status: str
    slug: str
    url: str | None  # where the partner publishes this translation, when known
    original_url: str
    original_language: str
    alternates: tuple[tuple[str, str], ...]  # (language, href) of every version, itself included
    image: Image | None
    categories: tuple[str, ...]
    engine: str
    rates: str
    qa: str
    attribution: str
    source: str  # the file it was made from
    document: str  # the whole Markdown article, front matter and attribution included

    def embargoed(self, now: dt.datetime) -> bool:
        return self.embargo is not None and self.embargo > now

    @property
    def text(self) -> str:
        return to_text(self.body_html)


def build_items(articles: Sequence[Article], partner: Partner | None) -> list[Item]:
    """Items for translated articles, siblings linked to each other and to their original."""
    drafts = [_draft(a, partner) for a in articles]
    groups: dict[str, list[dict[str, object]]] = {}
    for d in drafts:
        groups.setdefault(str(d["group"]), []).append(d)
    items = []
    for d in drafts:
        siblings = groups[str(d["group"])]
        alternates = {str(d["original_language"]): str(d["original_url"])}
        for s in siblings:
            alternates[str(s["language"])] = str(s["url"] or s["id"])
        items.append(Item(**{**d, "alternates": tuple(sorted(alternates.items()))}))  # type: ignore[arg-type]
    return items


def _draft(article: Article, partner: Partner | None) -> dict[str, object]:
    meta = article.meta
    name = article.name
    language = _text(meta, "lang", name)
    original = _text(
        meta, "translation_of", name, hint="give a file written by `syndicate translate`"
    )
    base = partner.base_url if partner else None
    original_url = (
        original
        if original.startswith(("http://", "https://"))
        else (f"{base.rstrip('/')}/{quote(original, safe='/')}" if base else original)
    )
    slug = safe_slug(
        str(meta.get("slug") or (article.path.stem.split(".")[0] if article.path else ""))
    )
    group = uuid.uuid5(uuid.NAMESPACE_URL, original)
    item_id = uuid.uuid5(group, language)
    published = _when(meta.get("date") or meta.get("published"), name, "date")
    if published is None:
        raise InputError(name, "has no date", hint="add 'date:' to its front matter")
    updated = _when(meta.get("updated") or meta.get("translated_at"), name, "updated") or published
    embargo = _when(meta.get("embargo"), name, "embargo")
    status = str(meta.get("status") or "usable")
    if status not in STATUSES:
        raise InputError(name, f"status {status!r} is not one of {', '.join(STATUSES)}")
    version = meta.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(name, "version must be a whole number from 1")
    url = (
        partner.item_url.format(locale=language, slug=slug)
        if partner and partner.item_url
        else None
    )
    attribution = partner.attribution_for(language) if partner else ""
    body = article.body
    document = article.text
    if attribution:
        footer = f"\n\n---\n\n*{escape(attribution)}* <{original_url}>\n"
        body = body.rstrip() + footer
        document = document.rstrip() + footer
    return {
        "id": f"urn:uuid:{item_id}",
        "group": f"urn:uuid:{group}",
        "version": version,
        "language": language,
        "title": _text(meta, "title", name),
        "summary": str(meta.get("summary") or meta.get("description") or ""),
        "body_markdown": body,
        "body_html": to_html(body),
        "byline": str(meta.get("author") or ""),
        "translator": f"Machine translation ({meta.get('engine', 'unknown engine')}) by syndicate",
        "published": published,
        "updated": max(updated, published),
        "embargo": embargo,
        "status": status,
        "slug": slug,
        "url": url,
        "original_url": original_url,
        "original_language": str(meta.get("source_lang") or "id"),
        "image": _image(meta.get("image")),
        "categories": tuple(
            str(c) for c in meta.get("categories") or () if isinstance(c, str | int)
        ),
        "engine": str(meta.get("engine") or ""),
        "rates": str(meta.get("rates") or ""),
        "qa": str(meta.get("qa") or ""),
        "attribution": attribution,
        "source": name,
        "document": document,
    }


# Names Windows refuses for a file whatever its extension: partners unpack packages there.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
)


def safe_slug(value: str) -> str:
    """A file-name-safe slug: letters, digits, - and _ only; never empty, a path or reserved."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-_")[:120]
    if slug.upper() in _RESERVED:
        slug = f"{slug}-article"
    return slug or "article"


def _text(meta: object, key: str, name: str, hint: str | None = None) -> str:
    value = meta.get(key) if isinstance(meta, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise InputError(name, f"front matter has no {key!r}", hint=hint or f"add '{key}:'")
    return value.strip()


def _when(value: object, name: str, key: str) -> dt.datetime | None:
    if value == "":
        return None
    try:
        parsed = parse_timestamp(value)
    except ValueError:
        if isinstance(value, str):
            raise InputError(name, f"{key} {value!r} is not an ISO 8601 date") from None
        raise InputError(name, f"{key} must be a date or a date and time") from None
    if isinstance(parsed, dt.datetime):
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=JAKARTA)
    if parsed is None:
        return None
    return dt.datetime(parsed.year, parsed.month, parsed.day, tzinfo=JAKARTA)


def _image(value: object) -> Image | None:
    if isinstance(value, dict) and isinstance(value.get("url"), str):
        caption = str(value.get("caption") or "")
        credit = str(value.get("credit") or "")
        return Image(str(value["url"]), caption, credit, str(value.get("alt") or caption))
    return None

"""Translated articles -> syndication items: one model every export format is written from.

Translations of the same original form a translation group; its id (a UUID derived from
the original's URL or id) and the item ids (derived from it and the language) are stable
across runs, so partners can update what they received.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shlex
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from syndicate.config import Outlet, is_http_url
from syndicate.errors import InputError
from syndicate.langtags import canonical, lookup
from syndicate.markdown.article import parse_timestamp
from syndicate.markdown.html import removed, resolve_links, sanitize_markdown, to_html, to_text
from syndicate.markdown.importer import escape
from syndicate.syndication.partners import Partner
from syndicate.types import Article

logger = logging.getLogger(__name__)

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
    language: str  # of the translation, as its file says
    locale: str  # the locale it is delivered for: the partner's (ja-JP for a ja translation)
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
    url: str | None  # its own page: where the partner (or the outlet) publishes it, when known
    original_url: str
    original_language: str
    # (hreflang, href) of every version known to exist: the original, the partner's other
    # locales that have a page, the outlet's own translations; itself first when it has a page.
    alternates: tuple[tuple[str, str], ...]
    image: Image | None
    categories: tuple[str, ...]
    engine: str
    rates: str
    qa: str
    attribution: str
    source: str  # the file it was made from
    document: str  # the whole Markdown article, front matter and attribution included
    removed: tuple[str, ...] = ()  # what the sanitizing policy took out of its body
    outlet: Outlet = field(default_factory=Outlet)

    def embargoed(self, now: dt.datetime) -> bool:
        return self.embargo is not None and self.embargo > now

    @property
    def text(self) -> str:
        return to_text(self.body_html)

    @property
    def others(self) -> tuple[tuple[str, str], ...]:
        """The other versions: every alternate but itself and the original."""
        return tuple(
            (lang, href)
            for lang, href in self.alternates
            if href not in (self.url, self.original_url)
        )


def build_items(
    articles: Sequence[Article], partner: Partner | None, outlet: Outlet | None = None
) -> list[Item]:
    """The items to deliver, linked to each other and to their original.

    For a partner, each of its locales takes, from each original's translations, the one
    BCP 47 lookup picks (the same tag, else a less specific one: ``ja`` for ``ja-JP``);
    without a partner, every translation goes under its own tag.
    """
    outlet = (outlet or Outlet()).over(partner.outlet) if partner else (outlet or Outlet())
    drafts = [_draft(a, partner, outlet) for a in articles]
    made = {
        (str(a.meta.get("translation_of")), d["original_url"])
        for a, d in zip(articles, drafts, strict=True)
    }
    for original, url in sorted(made):
        if _file_named(original):
            logger.warning(
                "%s: its source had no url:, so links to the original are made from its "
                "file name (%s), which is no page of the outlet's; add url: (the original's "
                "address) to the source's front matter and translate it again",
                *(original, url),
            )
    groups: dict[str, list[dict[str, Any]]] = {}
    for d in drafts:
        groups.setdefault(d["group"], []).append(d)
    chosen: list[dict[str, Any]] = []
    for members in groups.values():
        if partner is None:
            chosen += [{**d, "locale": d["language"]} for d in members]
            continue
        for locale in partner.locales:
            best = lookup(locale, {d["language"] for d in members})
            chosen += [{**d, "locale": locale} for d in members if d["language"] == best]
    for d in chosen:
        d["url"] = _own_url(d, partner, outlet)
    delivered: dict[str, list[dict[str, Any]]] = {}
    for d in chosen:
        delivered.setdefault(d["group"], []).append(d)
    items = []
    for d in chosen:
        alternates = _alternates(d, delivered[d["group"]], outlet)
        items.append(Item(**{**d, "alternates": alternates, "outlet": outlet}))
    return items


def translations_found(articles: Sequence[Article]) -> list[str]:
    """The languages of the translations given, for messages."""
    found = {a.meta.get("lang") for a in articles}
    return sorted(str(f) for f in found if isinstance(f, str))


def _own_url(d: dict[str, Any], partner: Partner | None, outlet: Outlet) -> str | None:
    if partner and partner.item_url:
        return partner.item_url.format(locale=d["locale"], slug=quote(d["slug"]))
    return _outlet_page(outlet, d["language"], d["slug"])


def _outlet_page(outlet: Outlet, language: str, slug: str) -> str | None:
    """The outlet's own page of a translation, when the settings say it publishes one."""
    for locale, template in outlet.translations.items():
        if canonical(locale) == canonical(language):
            return template.format(locale=locale, slug=quote(slug))
    return None


def _alternates(
    d: dict[str, Any], siblings: Sequence[dict[str, Any]], outlet: Outlet
) -> tuple[tuple[str, str], ...]:
    """One page per language version (the first, should an original have two translations
    into one language), the original's included; the item's own first."""
    found: dict[str, str] = {}  # hreflang -> href
    if d["url"]:
        found[d["locale"]] = d["url"]
    for s in siblings:
        if s["url"]:
            found.setdefault(s["locale"], s["url"])
        page = _outlet_page(outlet, s["language"], s["slug"])
        if page and page not in found.values():
            found.setdefault(s["language"], page)
    if d["original_url"] not in found.values():
        found.setdefault(d["original_language"], d["original_url"])
    own = [(d["locale"], found.pop(d["locale"]))] if d["url"] else []
    return tuple(own + sorted(found.items()))


def _draft(article: Article, partner: Partner | None, outlet: Outlet) -> dict[str, Any]:
    meta = article.meta
    name = article.name
    _translation(article, partner)
    language = canonical(
        _text(meta, "lang", name, hint="add 'lang:', the language it is translated into")
    )
    original = _text(meta, "translation_of", name)
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
    original_url = _absolute(original, outlet.url, article, "translation_of")
    # Relative links were written relative to the original's page.
    base = next((u for u in (meta.get("url"), original_url) if is_http_url(u)), outlet.url)
    attribution = partner.attribution_for(language) if partner else ""
    body = sanitize_markdown(article.body)  # one policy: Markdown deliveries too
    document = article.text[: article.body_start] + body
    if attribution:
        footer = f"\n\n---\n\n*{escape(attribution)}* <{original_url}>\n"
        body = body.rstrip() + footer
        document = document.rstrip() + footer
    body_html = resolve_links(to_html(body), lambda url: _body_link(url, base, article))
    return {
        "id": f"urn:uuid:{item_id}",
        "group": f"urn:uuid:{group}",
        "version": version,
        "language": language,
        "title": _text(meta, "title", name),
        "summary": str(meta.get("summary") or meta.get("description") or ""),
        "body_markdown": body,
        "body_html": body_html,
        "byline": str(meta.get("author") or ""),
        "translator": f"Machine translation ({meta.get('engine', 'unknown engine')}) by syndicate",
        "published": published,
        "updated": max(updated, published),
        "embargo": embargo,
        "status": status,
        "slug": slug,
        "original_url": original_url,
        "original_language": canonical(str(meta.get("source_lang") or "id")),
        "image": _image(meta.get("image"), lambda url: _absolute(url, base, article, "image")),
        "categories": tuple(
            str(c) for c in meta.get("categories") or () if isinstance(c, str | int)
        ),
        "engine": str(meta.get("engine") or ""),
        "rates": str(meta.get("rates") or ""),
        "qa": str(meta.get("qa") or ""),
        "attribution": attribution,
        "source": name,
        "document": document,
        "removed": removed(article.body),
    }


def _file_named(original: str) -> bool:
    """Whether a translation's ``translation_of`` is its source's file name, which
    ``translate`` writes when the source has no ``url:``, ``canonical_url`` or ``id``."""
    return not is_http_url(original) and original.lower().endswith((".md", ".markdown"))


def _translation(article: Article, partner: Partner | None) -> None:
    """Refuse an article that is not a translation (an original, most likely) with what the
    user wants to do: translate it, then export what that writes; or, for a translation made
    elsewhere, the two keys that make it one."""
    if article.meta.get("translation_of"):
        return  # a translation (what else it lacks, or a value that is not text: _text says)
    missing = [repr(k) for k in ("lang", "translation_of") if not article.meta.get(k)]
    to = ",".join(partner.locales) if partner else "LOCALE"
    stem = article.path.name.split(".")[0] if article.path else "ARTICLE"
    source = shlex.quote(str(article.path)) if article.path else "-"
    command = f"syndicate translate {source} --to {to}"
    raise InputError(
        article.name,
        f"is not a translation: its front matter has no {' or '.join(missing)}",
        hint=f"translate it first ({command}) and export the {stem}.<locale>.md it writes; "
        "a translation made elsewhere needs 'lang:' and 'translation_of:' (the original's URL)",
    )


def _absolute(url: str, base: str | None, article: Article, key: str | None) -> str:
    """A URL of the article made absolute against ``base``; one that cannot be is refused
    with its line (a partner would resolve it against its own domain)."""
    if is_http_url(url) or urlsplit(url).scheme in ("mailto", "urn"):
        return url
    if base is None:
        raise InputError(
            article.name,
            f"the relative URL {url!r} cannot be resolved",
            line=_line_of(article, url, key),
            hint="give the article an absolute 'url:', or set outlet.url in the settings",
        )
    if urlsplit(url).scheme:  # a scheme of its own that is not http(s): not ours to change
        return url
    return urljoin(base, quote(url, safe="/#?&=%:;,+@!$'()*~"))


def _body_link(url: str, base: str | None, article: Article) -> str:
    """A link of the body as partners get it. A same-document reference (``#fn1``, a
    footnote's way back ``#fnref1``, ``[peta](#peta)``) stays one: it points into this
    translation, wherever it is published, and resolved against ``base`` (the original's
    page) it sent readers to the Indonesian article. Feeds, whose readers resolve it
    against the feed, give it the item's own page (see ``formats.feed_html``)."""
    if url.startswith("#"):
        return url
    return _absolute(url, base, article, None)


def _line_of(article: Article, needle: str, key: str | None) -> int | None:
    """The line where a front matter key, or else a URL of the body, first appears."""
    text = article.text
    if key:
        found = re.search(rf"^\s*{re.escape(key)}\s*:", text[: article.body_start], re.M)
        start = found.start() if found else -1
    else:
        start = text.find(needle, article.body_start)
    return text.count("\n", 0, start) + 1 if start >= 0 else None


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


def _image(value: object, absolute: Callable[[str], str]) -> Image | None:
    if isinstance(value, dict) and isinstance(value.get("url"), str):
        caption = str(value.get("caption") or "")
        credit = str(value.get("credit") or "")
        url = absolute(str(value["url"]))
        return Image(url, caption, credit, str(value.get("alt") or caption))
    return None

"""Links of a translated body as partners get them: same-document links (footnotes both ways,
``[peta](#peta)``) stay in the translation; the rest resolve against the original's page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from syndicate.markdown.article import parse_article
from syndicate.syndication.package import build_package
from syndicate.syndication.partners import FORMATS
from syndicate.types import Article
from tests.syndication.formats.schemas import errors_for
from tests.syndication.formats.test_formats import PARTNER

EXPORT_TIME = dt.datetime(2025, 7, 3, 12, 0, tzinfo=dt.UTC)
ORIGINAL = "https://nuntianews.example/ekonomi/harga-beras-naik"
OWN_PAGE = "https://partner-a.example/en-GB/harga-beras-naik"
ARTICLE = f"""---
title: "Rice prices rise"
date: 2025-06-20T09:00:00+07:00
url: {ORIGINAL}
lang: en-GB
source_lang: id
translation_of: {ORIGINAL}
engine: pseudo
---

Rice prices rose again[^1], see the [map](#peta) and [last month](/ekonomi/harga-mei).

## Map

<a id="peta"></a>Prices by city.

[^1]: Statistics Indonesia, June 2025.
"""


def _article(tmp_path: Path) -> Article:
    path = tmp_path / "harga-beras-naik.en-GB.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return parse_article(ARTICLE, path=path)


class _Links(HTMLParser):
    """Links and ids as the standard library's HTML parser reads them (not the lxml the
    export writes with)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hrefs: dict[str, str] = {}  # a link's id, else its text -> its href
        self.ids: set[str] = set()
        self._open: tuple[str | None, str] | None = None
        self._text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self._open, self._text = (found.get("id"), str(found["href"])), ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            key, href = self._open
            self.hrefs[key or self._text.strip()] = href
            self._open = None


def _hrefs(html: str) -> dict[str, str]:
    """Each link's text (or its id, for a footnote reference) -> its href."""
    return _Links(html).hrefs


def test_same_document_links_stay_in_the_html_page(tmp_path: Path) -> None:
    """Footnote reference, footnote back-link and #peta point into the page itself (ids that
    exist there); a relative link still resolves against the original's page."""
    package = build_package([_article(tmp_path)], partner=None, formats=["html"], now=EXPORT_TIME)
    page = dict(package.files)["en-GB/harga-beras-naik.html"].decode()
    hrefs = _hrefs(page)
    assert hrefs["fnref1"] == "#fn1" and hrefs["↩︎"] == "#fnref1" and hrefs["map"] == "#peta"
    assert hrefs["last month"] == "https://nuntianews.example/ekonomi/harga-mei"
    ids = _Links(page).ids
    for href in (h for h in hrefs.values() if h.startswith("#")):
        assert href[1:] in ids, href
    assert ORIGINAL + "#" not in page


def test_partner_bodies_keep_same_document_links(tmp_path: Path) -> None:
    """ninjs and NewsML-G2 bodies are published as the partner's page: fragment-only there."""
    partner = dataclasses.replace(PARTNER, locales=("en-GB",))
    files = dict(
        build_package([_article(tmp_path)], partner=partner, formats=FORMATS, now=EXPORT_TIME).files
    )
    ninjs = json.loads(files["en-GB/harga-beras-naik.ninjs.json"])
    assert _hrefs(ninjs["bodies"][0]["value"])["fnref1"] == "#fn1"
    g2 = etree.fromstring(files["en-GB/harga-beras-naik.newsml.xml"])
    refs = {a.get("href") for a in g2.iter("{http://www.w3.org/1999/xhtml}a")}
    assert {"#fn1", "#fnref1", "#peta"} <= refs
    for name, data in files.items():
        assert errors_for(name, data) == [], name
        assert (ORIGINAL + "#").encode() not in data, name


def test_feed_readers_resolve_them_to_the_items_own_page(tmp_path: Path) -> None:
    """feedparser (which resolves relative links) takes #fn1 of Atom content to the entry's
    own page (xml:base), and RSS and JSON Feed carry that page's address outright; never the
    Indonesian original's, nor the feed's (the base a reader would otherwise use)."""
    partner = dataclasses.replace(PARTNER, locales=("en-GB",))
    files = dict(
        build_package(
            [_article(tmp_path)], partner=partner, formats=["atom", "rss", "jsonfeed"],
            now=EXPORT_TIME,
        ).files
    )  # fmt: skip
    feed_url = "https://feeds.example/partner-a/en-GB/feed"
    atom = feedparser.parse(
        files["en-GB/feed.atom.xml"], response_headers={"content-location": feed_url}
    )
    rss = feedparser.parse(
        files["en-GB/feed.rss.xml"], response_headers={"content-location": feed_url}
    )
    jsonfeed = json.loads(files["en-GB/feed.json"])
    bodies = {
        "atom": atom.entries[0].content[0].value,
        "rss": rss.entries[0].content[0].value,
        "jsonfeed": jsonfeed["items"][0]["content_html"],
    }
    for fmt, body in bodies.items():
        hrefs = _hrefs(body)
        assert hrefs["fnref1"] == f"{OWN_PAGE}#fn1", fmt
        assert hrefs["↩︎"] == f"{OWN_PAGE}#fnref1", fmt
        assert hrefs["map"] == f"{OWN_PAGE}#peta", fmt
        assert hrefs["last month"] == "https://nuntianews.example/ekonomi/harga-mei", fmt
    raw = etree.fromstring(files["en-GB/feed.atom.xml"])
    [content] = raw.iter("{http://www.w3.org/2005/Atom}content")
    assert 'href="#fn1"' in content.text  # as in the HTML page; the base says where
    assert errors_for("en-GB/feed.atom.xml", files["en-GB/feed.atom.xml"]) == []


def test_without_a_page_of_its_own_a_feed_entry_keeps_them_fragment_only(tmp_path: Path) -> None:
    """No partner page, no outlet page: the feed is the only copy, so the links stay as they
    are (no xml:base, no address) rather than pointing at the original."""
    files = dict(
        build_package(
            [_article(tmp_path)], partner=None, formats=["atom", "jsonfeed"], now=EXPORT_TIME
        ).files
    )
    raw = etree.fromstring(files["en-GB/feed.atom.xml"])
    [content] = raw.iter("{http://www.w3.org/2005/Atom}content")
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") is None
    assert _hrefs(content.text)["fnref1"] == "#fn1"
    item = json.loads(files["en-GB/feed.json"])["items"][0]
    assert _hrefs(item["content_html"])["fnref1"] == "#fn1"


def test_an_original_known_only_by_its_file_name_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A source without url: is translated with its file name as translation_of; its links
    to the original are then made from the outlet's address and that name, a page that
    need not exist (found by a user): each export says so once an article, naming the fix;
    an original with its address says nothing."""
    from syndicate.config import Outlet

    named = ARTICLE.replace(f"url: {ORIGINAL}\n", "").replace(
        f"translation_of: {ORIGINAL}", "translation_of: harga-beras-naik.md"
    )
    outlet = Outlet(url="https://nuntianews.example/")
    for text in (named, ARTICLE):
        article = parse_article(text, path=Path("harga-beras-naik.en-GB.md"))
        build_package([article], partner=PARTNER, formats=["html"], now=EXPORT_TIME, outlet=outlet)
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 1 and "https://nuntianews.example/harga-beras-naik.md" in warned[0]
    assert "add url:" in warned[0]

"""What a partner's systems read: each entry's own link, links that exist, the outlet named.

Checked with independent consumers: feedparser for Atom and RSS, the official schemas for
every format, and the example partners and outlet of config/.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree

from syndicate.config import load_settings
from syndicate.markdown.article import parse_article, read_article
from syndicate.syndication.package import Package, build_package
from syndicate.syndication.partners import FORMATS, Partner, load_partners
from syndicate.types import Article
from tests.helpers import EXAMPLES, ROOT
from tests.syndication.formats.schemas import errors_for
from tests.syndication.formats.test_formats import translations

EXPORT_TIME = dt.datetime(2025, 7, 3, 12, 0, tzinfo=dt.UTC)
OUTLET = load_settings(ROOT / "config" / "syndicate.yaml", environ={}).outlet()
PARTNERS = load_partners(ROOT / "config" / "partners.yaml")
# Hosts of XML namespaces and of the standards' vocabularies: names, not links.
STANDARDS = {
    "www.w3.org",
    "purl.org",
    "search.yahoo.com",
    "iptc.org",
    "cv.iptc.org",
    "www.iptc.org",
    "jsonfeed.org",
}
# Less specific tags than some partner locales: lookup must find them (ja for ja-JP).
WRITTEN = {"ja-JP": "ja"}


def translated(tmp_path: Path, locales: tuple[str, ...]) -> list[Article]:
    return translations(tmp_path, EXAMPLES, locales)  # type: ignore[no-any-return]


def alone(tmp_path: Path, name: str, text: str) -> Package:
    """One article written as ``name`` and exported in every format, without a partner."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return build_package(
        [parse_article(text, path=path)],
        partner=None,
        formats=FORMATS,
        now=EXPORT_TIME,
        outlet=OUTLET,
    )


def partner_package(tmp_path: Path, partner: Partner, formats: tuple[str, ...] = FORMATS):  # type: ignore[no-untyped-def]
    articles = translated(tmp_path, tuple(WRITTEN.get(loc, loc) for loc in partner.locales))
    package = build_package(
        articles, partner=partner, formats=formats, now=EXPORT_TIME, outlet=OUTLET
    )
    return articles, package


def own_page(partner: Partner, locale: str, slug: str) -> str:
    assert partner.item_url
    return partner.item_url.format(locale=locale, slug=slug)


@pytest.mark.parametrize("partner_id", sorted(PARTNERS))
def test_feed_readers_take_each_entrys_own_page(tmp_path: Path, partner_id: str) -> None:
    """feedparser's link of every Atom and RSS entry, of every example in every partner
    locale, is that entry's own page in its locale; every other link is a locale the
    partner receives, or the original."""
    partner = PARTNERS[partner_id]
    articles, package = partner_package(tmp_path, partner, ("atom", "rss"))
    originals = {str(a.meta["translation_of"]) for a in articles}
    checked = 0
    for locale in partner.locales:
        for fmt in ("atom", "rss"):
            parsed = feedparser.parse(dict(package.files)[f"{locale}/feed.{fmt}.xml"])
            assert not parsed.bozo
            assert len(parsed.entries) == len(EXAMPLES), (locale, fmt)
            for entry in parsed.entries:
                slug = entry.link.rstrip("/").rsplit("/", 1)[-1]
                assert entry.link == own_page(partner, locale, slug), (locale, fmt)
                mine = {own_page(partner, loc, slug) for loc in partner.locales}
                versions = [
                    link for link in entry.links if link.rel in ("alternate", "related", "via")
                ]
                # RSS names the original in dc:source, Atom in a via link
                assert len(versions) == len(partner.locales) + (fmt == "atom")
                for link in versions:
                    assert link.href in mine | originals, link
                checked += 1
    assert checked == len(EXAMPLES) * len(partner.locales) * 2  # Atom and RSS, whatever it takes


def urls(data: bytes) -> set[str]:
    return set(re.findall(r"https?://[^\s\"'<>)\]\\]+", data.decode("utf-8")))


@pytest.mark.parametrize("partner_id", sorted(PARTNERS))
def test_every_file_validates_and_links_only_known_hosts(tmp_path: Path, partner_id: str) -> None:
    """Every format of the partner validates; every address in it is the outlet's, the
    partner's or one the article gave; none is a placeholder (.invalid)."""
    partner = PARTNERS[partner_id]
    articles, package = partner_package(tmp_path, partner)
    known = {urlsplit(u).hostname for u in urls("".join(a.text for a in articles).encode())}
    for address in (OUTLET.url, partner.item_url, partner.rights.url):
        if address:
            known.add(urlsplit(address).hostname)
    assert package.empty == ()
    for name, data in package.files:
        assert errors_for(name, data, partner.ninjs_version) == [], name
        for url in urls(data):
            host = str(urlsplit(url).hostname)
            assert not host.endswith(".invalid"), (name, url)
            assert host in known | STANDARDS, (name, url)


def test_alternates_are_pages_that_exist(tmp_path: Path) -> None:
    """HTML and ninjs name the original and the partner's own locales, nothing else; the
    ninjs canonical-url is the item's own page, never the original in another language."""
    partner = PARTNERS["asia-tech-daily"]
    _, package = partner_package(tmp_path, partner, ("ninjs", "newsml-g2", "html", "jsonfeed"))
    files = dict(package.files)
    stem = EXAMPLES[0].stem
    original = str(read_article(EXAMPLES[0]).meta["url"])
    doc = json.loads(files[f"en-SG/{stem}.ninjs.json"])
    canonical = [a["value"] for a in doc["altIds"] if a["role"] == "canonical-url"]
    assert canonical == [own_page(partner, "en-SG", stem)]
    linked = {a["uri"] for a in doc["associations"] if a["type"] == "text"}
    assert linked == {original, own_page(partner, "en-US", stem)}
    assert doc["infoSources"] == [
        {
            "name": "NuntiaNews",
            "role": "originator",
            "uri": "https://nuntianews.example/",
            "literal": "nuntianews.example",
        }
    ]
    g2 = etree.fromstring(files[f"en-SG/{stem}.newsml.xml"])
    ns = {"g2": "http://iptc.org/std/nar/2006-10-01/"}
    hrefs = {link.get("href") for link in g2.iterfind(".//g2:itemMeta/g2:link", ns)}
    assert hrefs == {original, own_page(partner, "en-US", stem), None}  # None: the group
    page = etree.fromstring(files[f"en-SG/{stem}.html"], etree.HTMLParser())
    alternates = {
        (link.get("hreflang"), link.get("href"))
        for link in page.iter("link")
        if link.get("rel") == "alternate"
    }
    assert alternates == {
        ("en-SG", own_page(partner, "en-SG", stem)),  # itself: hreflang sets are reciprocal
        ("en-US", own_page(partner, "en-US", stem)),
        ("id", original),
    }
    assert page.find(".//link[@rel='canonical']").get("href") == own_page(partner, "en-SG", stem)
    feed = json.loads(files["en-SG/feed.json"])
    entry = next(i for i in feed["items"] if i["url"] == own_page(partner, "en-SG", stem))
    assert entry["external_url"] == original
    assert {a["url"] for a in entry["_syndication"]["alternates"]} == {
        own_page(partner, "en-SG", stem),
        own_page(partner, "en-US", stem),
        original,
    }


# The IPTC schemes as IPTC's catalog.IPTC-G2-Standards_38.xml declares them (read from
# iptc/python-newsmlg2, NewsMLG2/catalogs/catalog.IPTC-G2-Standards_38.xml).
IPTC_CATALOG_38 = {
    "ninat": "http://cv.iptc.org/newscodes/ninature/",
    "stat": "http://cv.iptc.org/newscodes/pubstatusg2/",
    "cpnat": "http://cv.iptc.org/newscodes/cpnature/",
    "drol": "http://cv.iptc.org/newscodes/descriptionrole/",
    "nprov": "http://cv.iptc.org/newscodes/newsprovider/",
}


def test_newsml_g2_declares_every_scheme_it_uses(tmp_path: Path) -> None:
    """Every QCode prefix is a scheme of the item's catalog (IPTC's with their official
    URIs, ours under the outlet's address); the provider is the outlet's."""
    partner = PARTNERS["asia-tech-daily"]
    _, package = partner_package(tmp_path, partner, ("newsml-g2",))
    ns = "{http://iptc.org/std/nar/2006-10-01/}"
    for name, data in package.files:
        if not name.endswith(".newsml.xml"):
            continue
        root = etree.fromstring(data)
        declared = {s.get("alias"): s.get("uri") for s in root.iter(f"{ns}scheme")}
        used = {
            value.split(":", 1)[0]
            for element in root.iter()
            for key in ("qcode", "rel", "role", "type")
            if (value := element.get(key)) and ":" in value
        }
        assert used and used <= set(declared), used - set(declared)
        for alias, uri in declared.items():
            expected = IPTC_CATALOG_38.get(alias)
            assert uri == expected or uri.startswith("https://nuntianews.example/"), alias
        provider = root.find(f"{ns}itemMeta/{ns}provider")
        assert provider is not None and provider.get("literal") == "nuntianews.example"
        assert provider.findtext(f"{ns}name") == "NuntiaNews"


RELATIVE = """---
title: Harga Beras Naik
date: 2025-06-25
lang: en-GB
source_lang: id
translation_of: /berita/harga-beras
engine: pseudo
image:
  url: gambar/pasar.jpg
  caption: Pasar Induk
---

Rice prices rose sharply. See [the figures](/data/harga-beras) and ![a market](gambar/b.jpg).
"""


def test_relative_links_and_images_resolve_against_the_outlet(tmp_path: Path) -> None:
    """Relative addresses become absolute against outlet.url, and every format validates."""
    package = alone(tmp_path, "harga-beras.en-GB.md", RELATIVE)
    files = dict(package.files)
    for name, data in package.files:
        assert errors_for(name, data) == [], name
    doc = json.loads(files["en-GB/harga-beras.ninjs.json"])
    body = doc["bodies"][0]["value"]
    assert 'href="https://nuntianews.example/data/harga-beras"' in body
    assert 'src="https://nuntianews.example/berita/gambar/b.jpg"' in body
    picture = next(a for a in doc["associations"] if a["type"] == "picture")
    assert picture["uri"] == "https://nuntianews.example/berita/gambar/pasar.jpg"
    assert doc["associations"][0]["uri"] == "https://nuntianews.example/berita/harga-beras"


EMBEDS = """---
title: Video Banjir
date: 2025-06-25
lang: en-GB
source_lang: id
translation_of: https://nuntianews.example/berita/banjir
engine: pseudo
---

Floods <b onclick="steal()">hit</b> Jakarta <script>alert(1)</script> today.

<iframe src="https://www.youtube.com/embed/abc123"></iframe>

<div onmouseover="x()">A block of HTML.</div>

> quoted <img src="https://nuntianews.example/a.jpg" onerror="alert(2)"> text

    <script>code stays code</script>
"""


def test_one_sanitizing_policy_for_every_format_and_a_word_on_what_it_removed(
    tmp_path: Path,
) -> None:
    """The Markdown delivery keeps no more raw HTML than the HTML one (no script, no event
    handler, no iframe), code stays as written, and what was removed is named."""
    from markdown_it import MarkdownIt

    from tests.syndication.formats.test_formats import dangerous, html_parts

    package = alone(tmp_path, "banjir.en-GB.md", EMBEDS)
    files = dict(package.files)
    delivered = files["en-GB/banjir.md"].decode()
    raw = MarkdownIt("commonmark").render(delivered.split("---\n", 2)[2])  # no sanitizer
    assert dangerous(raw) == []
    assert "<iframe" not in delivered and "onclick" not in delivered and "onerror" not in delivered
    assert "    <script>code stays code</script>" in delivered
    assert "<b>hit</b>" in delivered and "> quoted <img" in delivered
    for name, data in package.files:
        for html in html_parts(name, data):
            assert dangerous(html) == [], name
    manifest = json.loads(files["manifest.json"])
    assert manifest["sanitized"] == [
        {
            "source": "banjir.en-GB.md",  # its name: never a newsroom path
            "removed": [
                "onclick on <b>",
                "<script>",
                "<iframe src=https://www.youtube.com/embed/abc123>",
                "<div>",
                "onerror on <img>",
            ],
        }
    ]


def test_the_outlet_comes_from_the_settings_and_a_partner_may_override_it(
    tmp_path: Path,
) -> None:
    """outlet.* in the file, SYNDICATE_OUTLET__* over it, a partner's outlet: over both."""
    import dataclasses

    from syndicate.config import Outlet

    config = tmp_path / "syndicate.yaml"
    config.write_text("outlet:\n  name: NuntiaNews\n  url: https://nuntianews.example/\n")
    settings = load_settings(config, environ={"SYNDICATE_OUTLET__PROVIDER_ID": "nprov:NUNTIA"})
    outlet = settings.outlet()
    assert outlet == Outlet("NuntiaNews", "https://nuntianews.example/", "nprov:NUNTIA")
    partner = dataclasses.replace(
        PARTNERS["asia-tech-daily"], outlet=Outlet(provider_id="nuntia-asia")
    )
    articles = translated(tmp_path, ("en-SG",))
    package = build_package(
        articles[:1], partner=partner, formats=("newsml-g2",), now=EXPORT_TIME, outlet=outlet
    )
    g2 = next(data for name, data in package.files if name.endswith(".newsml.xml"))
    assert b'<provider literal="nuntia-asia">' in g2 and b"<name>NuntiaNews</name>" in g2
    alone = build_package(
        articles[:1], partner=None, formats=("newsml-g2",), now=EXPORT_TIME, outlet=outlet
    )
    g2 = next(data for name, data in alone.files if name.endswith(".newsml.xml"))
    assert b'<provider qcode="nprov:NUNTIA">' in g2

"""Every format, for every example in two locales, validates against the official schemas."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest

from syndicate.config import Outlet
from syndicate.engines.pseudo import PseudoEngine
from syndicate.markdown.article import parse_article, read_article
from syndicate.syndication.items import build_items
from syndicate.syndication.package import build_package
from syndicate.syndication.partners import FORMATS, Partner, Rights
from syndicate.translation.translate import translate_article
from tests.helpers import EXAMPLES, NOW
from tests.syndication.formats.schemas import errors_for

EXPORT_TIME = dt.datetime(2025, 7, 3, 12, 0, tzinfo=dt.UTC)
PARTNER = Partner(
    id="partner-a",
    name="Partner A",
    locales=("en-GB", "ja"),
    formats=FORMATS,
    outlet=Outlet("NuntiaNews", "https://nuntianews.example/", "nuntianews.example"),
    item_url="https://partner-a.example/{locale}/{slug}",
    attribution={"default": "First published in Indonesian by NuntiaNews."},
    rights=Rights(
        "PT Nuntia Media", "© 2025 NuntiaNews", "Partner A only", "https://nuntianews.example/terms"
    ),
)


def translations(
    tmp_path: Path, sources: list[Path] | None = None, locales: tuple[str, ...] = ("en-GB", "ja")
):  # type: ignore[no-untyped-def]
    out = []
    for src in sources or EXAMPLES:
        article = read_article(src)
        for locale in locales:
            result = translate_article(article, target=locale, engine=PseudoEngine(), now=NOW)
            path = tmp_path / f"{src.stem}.{locale}.md"
            path.write_text(result.text, encoding="utf-8")
            out.append(parse_article(result.text, path=path))
    return out


@pytest.mark.parametrize("ninjs_version", ["3.1", "2.2"])
def test_every_file_validates(tmp_path: Path, ninjs_version: str) -> None:
    """ninjs, NewsML-G2, Atom and JSON Feed against their schemas; RSS and Atom through feedparser."""
    partner = _with(PARTNER, ninjs_version=ninjs_version)
    package = build_package(
        translations(tmp_path), partner=partner, formats=FORMATS, now=EXPORT_TIME
    )
    names = [p for p, _ in package.files]
    assert len([n for n in names if n.endswith(".ninjs.json")]) == 2 * len(EXAMPLES)
    for path, data in package.files:
        assert errors_for(path, data, ninjs_version) == [], path


def _with(partner: Partner, **changes: object) -> Partner:
    import dataclasses

    return dataclasses.replace(partner, **changes)  # type: ignore[arg-type]


def test_feeds_parse_with_language_links_and_dates(tmp_path: Path) -> None:
    """feedparser reads the feeds' language, the alternates and the original, and the dates."""
    package = build_package(
        translations(tmp_path), partner=PARTNER, formats=["atom", "rss"], now=EXPORT_TIME
    )
    files = dict(package.files)
    atom = feedparser.parse(files["ja/feed.atom.xml"])
    rss = feedparser.parse(files["en-GB/feed.rss.xml"])
    assert not atom.bozo and not rss.bozo
    assert atom.feed.language == "ja" and rss.feed.language == "en-GB"
    entry = atom.entries[0]
    assert entry.title_detail.language == "ja" and entry.content[0].language == "ja"
    links = {(link.rel, link.get("hreflang")) for link in entry.links}
    assert {("alternate", "ja"), ("related", "en-GB"), ("via", "id")} <= links
    assert entry.link.startswith("https://partner-a.example/ja/")
    assert any(
        link.rel == "via" and link.href.startswith("https://nuntianews.example/")
        for link in entry.links
    )
    assert entry.published_parsed.tm_year == 2025
    assert len(rss.entries) == len(EXAMPLES) and rss.entries[0].published_parsed.tm_year == 2025
    assert [e.published for e in atom.entries] == sorted(
        (e.published for e in atom.entries), reverse=True
    )


def test_translations_link_to_each_other_and_the_original(tmp_path: Path) -> None:
    """One group id per original; reciprocal alternates; ninjs associations and G2 links."""
    package = build_package(
        translations(tmp_path),
        partner=PARTNER,
        formats=["ninjs", "newsml-g2", "html"],
        now=EXPORT_TIME,
    )
    files = dict(package.files)
    stem = EXAMPLES[0].stem
    gb = json.loads(files[f"en-GB/{stem}.ninjs.json"])
    ja = json.loads(files[f"ja/{stem}.ninjs.json"])
    group = {a["value"] for a in gb["altIds"] if a["role"] == "translation-group"}
    assert group == {a["value"] for a in ja["altIds"] if a["role"] == "translation-group"}
    rels = {(a["rel"], a.get("language")) for a in gb["associations"] if a.get("type") == "text"}
    assert rels == {("translatedFrom", "id"), ("translation", "ja")}
    assert ("translation", "en-GB") in {
        (a["rel"], a.get("language")) for a in ja["associations"] if a.get("type") == "text"
    }
    g2 = files[f"en-GB/{stem}.newsml.xml"].decode()
    assert 'rel="synrel:translatedFrom"' in g2 and 'xml:lang="en-GB"' in g2
    html = files[f"ja/{stem}.html"].decode()
    assert 'lang="ja"' in html and 'hreflang="en-GB"' in html and 'hreflang="id"' in html
    assert 'rel="canonical" href="https://partner-a.example/ja/' in html  # itself, not the original


def test_embargo_and_withdrawal(tmp_path: Path) -> None:
    """Embargoed: in ninjs/G2 with the field, out of the feeds; canceled: marked, out of the feeds."""
    articles = translations(tmp_path, EXAMPLES[:2], ("en-GB",))
    embargoed = parse_article(
        articles[0].text.replace("\n---\n", "\nembargo: 2025-07-05T00:00:00+07:00\n---\n", 1),
        path=articles[0].path,
    )
    canceled = parse_article(
        articles[1].text.replace("\n---\n", "\nstatus: canceled\n---\n", 1), path=articles[1].path
    )
    deliver = _with(PARTNER, embargo="deliver", locales=("en-GB",))
    package = build_package(
        [embargoed, canceled], partner=deliver, formats=FORMATS, now=EXPORT_TIME
    )
    files = dict(package.files)
    doc = json.loads(files[f"en-GB/{EXAMPLES[0].stem}.ninjs.json"])
    assert doc["embargoedUntil"] == "2025-07-04T17:00:00Z"
    assert (
        "<embargoed>2025-07-04T17:00:00Z</embargoed>"
        in files[f"en-GB/{EXAMPLES[0].stem}.newsml.xml"].decode()
    )
    assert json.loads(files[f"en-GB/{EXAMPLES[1].stem}.ninjs.json"])["pubStatus"] == "canceled"
    assert 'qcode="stat:canceled"' in files[f"en-GB/{EXAMPLES[1].stem}.newsml.xml"].decode()
    assert feedparser.parse(files["en-GB/feed.atom.xml"]).entries == []
    assert json.loads(files["en-GB/feed.json"])["items"] == []
    # A page cannot say "not before": no HTML or Markdown of it until the embargo lifts
    # (a user found the ready-to-publish page in the package), and the manifest says why.
    stem = EXAMPLES[0].stem
    assert not [p for p in files if p.startswith(f"en-GB/{stem}") and p.endswith((".html", ".md"))]
    assert f"en-GB/{EXAMPLES[1].stem}.html" in files
    assert any(
        "embargoed until 2025-07-04T17:00:00Z: only in ninjs, newsml-g2" in why
        for _, why in package.skipped
    )
    after = build_package(
        [embargoed], partner=deliver, formats=["atom", "html"],
        now=dt.datetime(2025, 7, 6, tzinfo=dt.UTC),
    )  # fmt: skip
    assert len(feedparser.parse(dict(after.files)["en-GB/feed.atom.xml"]).entries) == 1
    assert f"en-GB/{stem}.html" in dict(after.files) and not after.skipped
    held = build_package([embargoed], partner=PARTNER, formats=["ninjs"], now=EXPORT_TIME)
    assert [p for p, _ in held.files] == ["manifest.json"]
    assert "embargoed until" in held.skipped[0][1]


HOSTILE = """---
title: "<script>alert('x')</script> ]]> & \\"kutip\\" 😀 مرحبا"
summary: "A & B <b>tebal</b> ]]>"
date: 2025-06-25
lang: en-GB
source_lang: id
translation_of: https://nuntianews.example/hostile
engine: pseudo
---

Teks <script>alert(1)</script> dengan [tautan](javascript:alert(1)) dan <img src=x onerror=alert(1)> serta ]]> & "kutip" 😀 dan العربية.

<div onclick="steal()">blok HTML</div>
"""


def test_hostile_content_is_escaped_sanitized_and_valid(tmp_path: Path) -> None:
    """Script tags, ]]>, &, quotes, emoji and right-to-left text: every format stays valid and inert."""
    path = tmp_path / "hostile.en-GB.md"
    path.write_text(HOSTILE, encoding="utf-8")
    article = parse_article(HOSTILE, path=path)
    package = build_package(
        [article], partner=_with(PARTNER, locales=("en-GB",)), formats=FORMATS, now=EXPORT_TIME
    )
    for name, data in package.files:
        assert errors_for(name, data) == [], name
        for html in html_parts(name, data):
            assert dangerous(html) == [], name
    assert len([n for n, _ in package.files]) == 8
    item = build_items([article], PARTNER)[0]
    assert "😀" in item.body_html and "العربية" in item.body_html


def html_parts(name: str, data: bytes) -> list[str]:
    """The HTML a consumer of this file would render."""
    if name.endswith((".html", ".newsml.xml")):
        return [data.decode("utf-8")]
    if name.endswith(".ninjs.json"):
        return [b["value"] for b in json.loads(data)["bodies"]]
    if name.endswith("feed.json"):
        return [i["content_html"] for i in json.loads(data)["items"]]
    if name.endswith((".atom.xml", ".rss.xml")):
        parsed = feedparser.parse(data, sanitize_html=False)
        return [c.value for e in parsed.entries for c in e.get("content", [])]  # titles are text
    return []


def dangerous(html: str) -> list[str]:
    """Anything executable: script-like elements, event handlers, javascript: URLs."""
    from lxml import html as lhtml

    found = []
    for element in lhtml.fromstring(f"<div>{html}</div>").iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.split("}")[-1] in ("script", "style", "iframe", "object", "embed"):
            found.append(tag)
        for key, value in element.attrib.items():
            if key.lower().startswith("on") or value.strip().lower().startswith("javascript:"):
                found.append(f"{tag}@{key}")
    return found


def test_same_now_same_bytes_and_manifest_checksums(tmp_path: Path) -> None:
    """Two exports with a fixed time are byte-identical; the manifest's checksums match."""
    import hashlib

    articles = translations(tmp_path)
    one = build_package(articles, partner=PARTNER, formats=FORMATS, now=EXPORT_TIME)
    two = build_package(list(reversed(articles)), partner=PARTNER, formats=FORMATS, now=EXPORT_TIME)
    assert one.files == two.files
    files = dict(one.files)
    manifest = json.loads(files["manifest.json"])
    assert {f["path"] for f in manifest["files"]} == set(files) - {"manifest.json"}
    for entry in manifest["files"]:
        data = files[entry["path"]]
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert {a["language"] for a in manifest["articles"]} == {"en-GB", "ja"}
    assert all(
        a["source_url"].startswith("https://nuntianews.example/") for a in manifest["articles"]
    )


def test_right_to_left_html(tmp_path: Path) -> None:
    """An Arabic translation's page says dir="rtl" and lang="ar-SA"."""
    [article] = translations(tmp_path, EXAMPLES[:1], ("ar-SA",))
    package = build_package([article], partner=None, formats=["html"], now=EXPORT_TIME)
    page = dict(package.files)[f"ar-SA/{EXAMPLES[0].stem}.html"].decode()
    assert '<html lang="ar-SA" dir="rtl">' in page

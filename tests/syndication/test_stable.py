"""An export that changes nothing changes no byte, whatever the time it runs at: feeds are
dated by their content, the manifest keeps its time while the package stays the same, and
``deliver`` then sends nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import zipfile
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
import yaml

from syndicate.markdown.article import parse_article
from syndicate.syndication.items import build_items
from syndicate.syndication.package import build_package, write_package
from syndicate.types import Article
from tests.delivery.newsroom import Newsroom, translate_examples, tree
from tests.helpers import EXAMPLES
from tests.syndication.formats.test_formats import PARTNER, translations

MONDAY = dt.datetime(2025, 7, 7, 9, 0, tzinfo=dt.UTC)
TUESDAY = MONDAY + dt.timedelta(days=1, hours=3, seconds=17)
FEEDS = ["atom", "rss", "jsonfeed"]


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return translate_examples(tmp_path_factory.mktemp("translated"))


def _atom_updated(data: bytes) -> dt.datetime:
    return dt.datetime.fromisoformat(feedparser.parse(data).feed.updated)


def test_feeds_are_dated_by_their_newest_entry_not_the_clock(tmp_path: Path) -> None:
    """Atom's <updated> and RSS's lastBuildDate are the newest entry's updated time, read
    back by feedparser; the same on Monday and on Tuesday."""
    articles = translations(tmp_path, EXAMPLES, ("en-GB",))
    partner = dataclasses.replace(PARTNER, locales=("en-GB",))
    monday = dict(build_package(articles, partner=partner, formats=FEEDS, now=MONDAY).files)
    tuesday = dict(build_package(articles, partner=partner, formats=FEEDS, now=TUESDAY).files)
    for name in ("en-GB/feed.atom.xml", "en-GB/feed.rss.xml", "en-GB/feed.json"):
        assert monday[name] == tuesday[name], name
    atom = feedparser.parse(monday["en-GB/feed.atom.xml"])
    newest = max(dt.datetime.fromisoformat(e.updated) for e in atom.entries)
    assert _atom_updated(monday["en-GB/feed.atom.xml"]) == newest < MONDAY
    rss = feedparser.parse(monday["en-GB/feed.rss.xml"])
    assert parsedate_to_datetime(rss.feed.updated) == newest


def test_a_feed_whose_newest_entry_leaves_never_goes_back_in_time(tmp_path: Path) -> None:
    """The newest article leaves the feed (an editor revoked it, it was deleted): the feed
    changed, so its time is the export's, not the older entry's that is now newest; an
    export after that which changes nothing keeps that time and every byte."""
    articles = translations(tmp_path, EXAMPLES, ("en-GB",))
    partner = dataclasses.replace(PARTNER, locales=("en-GB",))
    first = build_package(articles, partner=partner, formats=FEEDS, now=MONDAY)
    before = _atom_updated(dict(first.files)["en-GB/feed.atom.xml"])
    entries = feedparser.parse(dict(first.files)["en-GB/feed.atom.xml"]).entries
    newest_id = max(entries, key=lambda e: dt.datetime.fromisoformat(e.updated)).id
    left = [a for a in articles if build_items([a], partner)[0].id != newest_id]
    assert len(left) == len(articles) - 1
    manifest = dict(first.files)["manifest.json"]
    second = build_package(left, partner=partner, formats=FEEDS, now=TUESDAY, previous=manifest)
    files = dict(second.files)
    assert _atom_updated(files["en-GB/feed.atom.xml"]) == TUESDAY.replace(microsecond=0) > before
    rss = feedparser.parse(files["en-GB/feed.rss.xml"])
    assert parsedate_to_datetime(rss.feed.updated) == TUESDAY.replace(microsecond=0)
    later = TUESDAY + dt.timedelta(days=2)
    third = build_package(
        left, partner=partner, formats=FEEDS, now=later, previous=files["manifest.json"]
    )
    assert dict(third.files) == files


def _with_front_matter(article: Article, line: str) -> Article:
    text = article.text.replace("\n---\n", f"\n{line}\n---\n", 1)
    return parse_article(text, path=article.path)


def test_an_embargo_lifting_or_a_withdrawal_dates_the_feed(tmp_path: Path) -> None:
    """An entry that appeared when its embargo ended dates the feed from then; a withdrawn
    article (gone from the feed) from its updated time; an empty feed from the newest
    article of the export, never the clock."""
    first, second = translations(tmp_path, EXAMPLES[:2], ("en-GB",))
    partner = dataclasses.replace(PARTNER, locales=("en-GB",), embargo="deliver")
    lifted = _with_front_matter(first, "embargo: 2025-07-05T00:00:00Z")
    files = dict(build_package([lifted], partner=partner, formats=["atom"], now=MONDAY).files)
    assert _atom_updated(files["en-GB/feed.atom.xml"]) == dt.datetime(2025, 7, 5, tzinfo=dt.UTC)
    withdrawn = _with_front_matter(second, "status: canceled\nupdated: 2025-07-06T10:00:00Z")
    files = dict(
        build_package([first, withdrawn], partner=partner, formats=["atom"], now=MONDAY).files
    )
    atom = feedparser.parse(files["en-GB/feed.atom.xml"])
    assert len(atom.entries) == 1
    assert _atom_updated(files["en-GB/feed.atom.xml"]) == dt.datetime(2025, 7, 6, 10, tzinfo=dt.UTC)
    later = _with_front_matter(first, "embargo: 2025-08-01T00:00:00Z")
    [item] = build_items([later], partner)
    for now in (MONDAY, TUESDAY):
        files = dict(build_package([later], partner=partner, formats=["atom"], now=now).files)
        assert feedparser.parse(files["en-GB/feed.atom.xml"]).entries == []
        assert _atom_updated(files["en-GB/feed.atom.xml"]) == item.updated < MONDAY


def test_the_manifest_keeps_its_time_while_the_package_stays_the_same(tmp_path: Path) -> None:
    """Rebuilt against its previous manifest on another day, the package is byte-identical,
    zip included; one changed article: the manifest takes the new time."""
    articles = translations(tmp_path, EXAMPLES, ("en-GB",))
    partner = dataclasses.replace(PARTNER, locales=("en-GB",), feed_url="https://feeds.example/a")
    monday = build_package(articles, partner=partner, formats=["html", *FEEDS], now=MONDAY)
    previous = dict(monday.files)["manifest.json"]
    tuesday = build_package(
        articles, partner=partner, formats=["html", *FEEDS], now=TUESDAY, previous=previous
    )
    assert tuesday.files == monday.files
    assert json.loads(previous)["generated_at"] == "2025-07-07T09:00:00Z"
    zips = []
    for package, folder in ((monday, "m"), (tuesday, "t")):
        [written] = write_package(package, tmp_path / folder, as_zip=True, now=TUESDAY)
        zips.append(written.read_bytes())
    assert zips[0] == zips[1]
    with zipfile.ZipFile(io.BytesIO(zips[0])) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2025, 7, 7, 9, 0, 0)}
    changed = [_with_front_matter(articles[0], "version: 2"), *articles[1:]]
    wednesday = build_package(
        changed, partner=partner, formats=["html", *FEEDS], now=TUESDAY, previous=previous
    )
    manifest = json.loads(dict(wednesday.files)["manifest.json"])
    assert manifest["generated_at"] == "2025-07-08T12:00:17Z" and manifest["cursor"] == 2


def test_exporting_again_later_changes_no_byte_and_deliver_sends_nothing(
    tmp_path: Path, translated: Path
) -> None:
    """`export` on Monday, `deliver`, the same `export` on Tuesday, `deliver`: nothing is
    sent, and the RFC 5005 archive page is the one first written; a correction later sends
    its files, and page 1 still never changes."""
    room = Newsroom(tmp_path, translated, {"type": "directory", "path": str(tmp_path / "drop")})
    doc = yaml.safe_load((tmp_path / "partners.yaml").read_text("utf-8"))
    doc["partners"][0].update(
        formats=["html", "ninjs", *FEEDS], feed_url="https://feeds.example/wire"
    )
    (tmp_path / "partners.yaml").write_text(yaml.safe_dump(doc), "utf-8")
    room.export(now="2025-07-07T09:00:00Z")
    first = room.deliver()
    assert first["status"] == "delivered" and "en-US/changes/1.atom.xml" in first["sent"]
    before = room.files()
    room.export(now="2025-07-08T12:00:17Z")
    assert room.files() == before
    again = room.deliver()
    assert again["status"] == "unchanged" and again["sent"] == []
    changed = room.change_one()  # exported at the Newsroom's own time
    entry = room.deliver()
    assert set(entry["sent"]) == changed and entry["sent"][-1] == "manifest.json"
    assert "en-US/changes/1.atom.xml" not in changed and "en-US/changes/2.atom.xml" in changed
    assert tree(tmp_path / "drop")["en-US/changes/1.atom.xml"] == before["en-US/changes/1.atom.xml"]

"""Pull: feeds and manifests carry a stable cursor; a partner polling over plain HTTP gets only
what is new, in order (JSON Feed next_url, RFC 5005 archived Atom feeds)."""

from __future__ import annotations

import functools
import json
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from tests.delivery.newsroom import translate_examples
from tests.helpers import EXAMPLES, run
from tests.syndication.formats.schemas import atom_errors, json_errors, jsonfeed

ATOM = "{http://www.w3.org/2005/Atom}"
HISTORY = "{http://purl.org/syndication/history/1.0}"
NOW = "2025-07-03T12:00:00Z"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def web(tmp_path: Path) -> Iterator[str]:
    """Any web server serving the output folder: here Python's, on 127.0.0.1."""
    (tmp_path / "out").mkdir()
    handler = functools.partial(_Quiet, directory=str(tmp_path / "out"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


class Desk:
    """Translated articles, a partner that pulls, and its exports."""

    def __init__(self, root: Path, translated: Path, feed_url: str) -> None:
        self.root, self.src, self.out = root, root / "tr", root / "out"
        shutil.copytree(translated, self.src)
        partner = {
            "id": "wire",
            "name": "Wire",
            "locales": ["en-US"],
            "formats": ["jsonfeed", "atom", "ninjs"],
            "feed_url": feed_url,
        }
        (root / "partners.yaml").write_text(yaml.safe_dump({"partners": [partner]}), "utf-8")
        (root / "syndicate.yaml").write_text("partners: partners.yaml\n", "utf-8")

    def export(self) -> None:
        articles = sorted(str(p) for p in self.src.glob("*.md"))
        result = run(
            "--config", str(self.root / "syndicate.yaml"), "-q", "export", *articles,
            "--partner", "wire", "--out", str(self.out), "--now", NOW,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr

    def correct(self, index: int) -> None:
        article = sorted(self.src.glob("*.md"))[index]
        text = article.read_text("utf-8")
        article.write_text(text.replace("\n\n", "\n\nCorrected.\n\n", 1), "utf-8")

    def locale(self) -> Path:
        return self.out / "wire" / "en-US"


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return translate_examples(tmp_path_factory.mktemp("translated"))


def _get(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return json.loads(reply.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
        return None


def test_a_partner_polling_next_url_gets_only_what_is_new_in_order(
    tmp_path: Path, translated: Path, web: str
) -> None:
    """Read the feed once, then poll its next_url: 404 until something changes, then only the
    changed item, with the next page to poll."""
    desk = Desk(tmp_path, translated, f"{web}/wire")
    desk.export()
    feed = _get(f"{web}/wire/en-US/feed.json")
    assert feed is not None and len(feed["items"]) == len(EXAMPLES)
    assert feed["next_url"] == f"{web}/wire/en-US/changes/2.json"
    assert feed["_syndication"] == {"cursor": 1}
    assert _get(feed["next_url"]) is None  # nothing new yet
    desk.export()  # nothing changed: same cursor, no page
    assert _get(feed["next_url"]) is None
    desk.correct(1)
    desk.export()
    page = _get(feed["next_url"])
    assert page is not None and [i["id"] for i in page["items"]] == [
        i["id"]
        for i in _get(f"{web}/wire/en-US/feed.json")["items"]  # type: ignore[index]
        if "Corrected." in i["content_html"]
    ]
    assert len(page["items"]) == 1 and page["next_url"] == f"{web}/wire/en-US/changes/3.json"
    assert _get(page["next_url"]) is None
    assert json_errors(jsonfeed(), page) == [] and json_errors(jsonfeed(), feed) == []


def test_the_manifest_carries_the_cursor_and_the_next_pages(
    tmp_path: Path, translated: Path
) -> None:
    desk = Desk(tmp_path, translated, "https://feeds.example/wire")
    desk.export()
    manifest = json.loads((desk.out / "wire" / "manifest.json").read_bytes())
    assert manifest["cursor"] == 1
    assert manifest["next"] == ["en-US/changes/2.json", "en-US/changes/2.atom.xml"]
    before = {p: p.read_bytes() for p in (desk.out / "wire").rglob("*") if p.is_file()}
    desk.export()
    after = {p: p.read_bytes() for p in (desk.out / "wire").rglob("*") if p.is_file()}
    assert after == before  # an export that changes nothing changes no byte
    desk.correct(0)
    desk.export()
    manifest = json.loads((desk.out / "wire" / "manifest.json").read_bytes())
    assert manifest["cursor"] == 2 and manifest["next"][0] == "en-US/changes/3.json"
    assert (desk.locale() / "changes" / "1.json").read_bytes() == (
        before[desk.locale() / "changes" / "1.json"]
    )  # pages never change once written


def test_atom_pages_are_rfc5005_archives_linked_back_from_the_feed(
    tmp_path: Path, translated: Path
) -> None:
    base = "https://feeds.example/wire/en-US/"
    desk = Desk(tmp_path, translated, "https://feeds.example/wire")
    desk.export()
    desk.correct(2)
    desk.export()
    feed = etree.fromstring((desk.locale() / "feed.atom.xml").read_bytes())
    links = {link.get("rel"): link.get("href") for link in feed.iter(f"{ATOM}link")}
    assert links["prev-archive"] == f"{base}changes/2.atom.xml"
    assert feed.find(f"{HISTORY}archive") is None
    page = etree.fromstring((desk.locale() / "changes" / "2.atom.xml").read_bytes())
    assert page.find(f"{HISTORY}archive") is not None
    paging = ("current", "prev-archive", "next-archive", "self")  # others: the outlet's home
    page_links = {
        link.get("rel"): link.get("href")
        for link in page.findall(f"{ATOM}link")
        if link.get("rel") in paging
    }
    assert page_links == {
        "current": f"{base}feed.atom.xml",
        "prev-archive": f"{base}changes/1.atom.xml",
    }
    assert len(page.findall(f"{ATOM}entry")) == 1
    first = etree.fromstring((desk.locale() / "changes" / "1.atom.xml").read_bytes())
    assert "prev-archive" not in {link.get("rel") for link in first.findall(f"{ATOM}link")}
    assert len(first.findall(f"{ATOM}entry")) == len(EXAMPLES)
    for path in ("feed.atom.xml", "changes/1.atom.xml", "changes/2.atom.xml"):
        assert atom_errors((desk.locale() / path).read_bytes()) == [], path


def test_without_a_feed_url_feeds_are_unchanged_and_no_pages_are_written(
    tmp_path: Path, translated: Path
) -> None:
    desk = Desk(tmp_path, translated, "https://feeds.example/wire")
    partners = yaml.safe_load((tmp_path / "partners.yaml").read_text())
    del partners["partners"][0]["feed_url"]
    (tmp_path / "partners.yaml").write_text(yaml.safe_dump(partners), "utf-8")
    desk.export()
    assert not (desk.locale() / "changes").exists()
    feed = json.loads((desk.locale() / "feed.json").read_bytes())
    assert "next_url" not in feed and "_syndication" not in feed
    manifest = json.loads((desk.out / "wire" / "manifest.json").read_bytes())
    assert manifest["cursor"] == 1 and manifest["next"] == []

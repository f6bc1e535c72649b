"""The manifest partners receive: what it says of the files articles were read from."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from syndicate.markdown.article import parse_article
from syndicate.syndication.package import build_package
from tests.helpers import EXAMPLES
from tests.syndication.formats.test_formats import PARTNER, translations
from tests.syndication.test_stable import MONDAY, TUESDAY, _with_front_matter


def test_the_manifest_names_files_never_newsroom_folders(tmp_path: Path) -> None:
    """Articles, skipped ones and what sanitizing removed are named by file name only
    (partners read the manifest); the cursor still goes on from such a manifest."""
    folder = tmp_path / "newsroom" / "internal" / "translated"
    folder.mkdir(parents=True)
    articles = translations(folder, EXAMPLES, ("en-GB", "ja"))
    english, japanese = articles[0::2], articles[1::2]
    embargoed = _with_front_matter(english[0], "embargo: 2025-08-01T00:00:00Z")
    risky = parse_article(
        english[1].text + '\n<iframe src="https://video.example/x"></iframe>\n',
        path=english[1].path,
    )
    partner = dataclasses.replace(PARTNER, locales=("en-GB",), feed_url="https://f.example/a")
    chosen = [embargoed, risky, *english[2:], *japanese]
    package = build_package(chosen, partner=partner, formats=["ninjs", "atom"], now=MONDAY)
    data = dict(package.files)["manifest.json"]
    assert str(tmp_path).encode() not in data and b"internal" not in data
    manifest = json.loads(data)
    names = {a.path.name for a in articles if a.path}
    assert {a["source"] for a in manifest["articles"]} <= names
    assert {s["reason"][:15] for s in manifest["skipped"]} == {
        "embargoed until",
        "not in the part",
    }
    assert {s["source"] for s in manifest["skipped"]} <= names
    assert [s["source"] for s in manifest["sanitized"]] == [english[1].path.name]  # type: ignore[union-attr]
    assert package.skipped[0][0] == str(embargoed.path)  # the newsroom's own messages: the path
    again = build_package(
        chosen, partner=partner, formats=["ninjs", "atom"], now=TUESDAY, previous=data
    )
    assert again.files == package.files

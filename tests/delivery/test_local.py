"""The delivery semantics on the local transports (directory, zip) and the transport registry."""

from __future__ import annotations

import os
import random
import sys
import zipfile
from pathlib import Path

import pytest

from syndicate.delivery.base import RetryPolicy, available_transports, create_transport
from syndicate.errors import ConfigError, install_hint
from syndicate.storage import is_url
from syndicate.syndication.partners import load_partners
from tests.delivery.newsroom import NOW, PARTNER, Newsroom, tree
from tests.helpers import run


@pytest.fixture
def newsroom(
    tmp_path: Path, translated: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> Newsroom:
    """A newsroom whose delivery journal is in its output folder, or, with the settings'
    store a PostgreSQL URL, there (and then no file is made in the output folder)."""
    if is_url(store):
        monkeypatch.setenv("SYNDICATE_STORE", store)
    return Newsroom(tmp_path, translated, {"type": "directory", "path": str(tmp_path / "drop")})


def test_a_full_package_arrives_byte_identical_manifest_last(newsroom: Newsroom) -> None:
    """Every file of the package lands in the folder as built; the manifest is sent last."""
    entry = newsroom.deliver()
    assert entry["status"] == "delivered"
    assert tree(newsroom.root / "drop") == newsroom.files()
    assert entry["sent"][-1] == "manifest.json" and len(entry["sent"]) == len(newsroom.files())
    journal = newsroom.journal()
    assert {r["state"] for r in journal.values()} == {"success"}
    assert journal["manifest.json"]["remote_path"] == f"{newsroom.root / 'drop'}/manifest.json"
    assert (newsroom.out / ".syndicate").exists() is not bool(os.environ.get("SYNDICATE_STORE"))


def test_a_second_delivery_sends_nothing(newsroom: Newsroom) -> None:
    """Files whose digest the partner already has are not sent again."""
    newsroom.deliver()
    again = newsroom.deliver()
    assert again["status"] == "unchanged" and again["sent"] == []


def test_one_changed_article_sends_its_files_and_the_manifest(newsroom: Newsroom) -> None:
    """After one article changes, only the files whose bytes changed go, the manifest last."""
    newsroom.deliver()
    changed = newsroom.change_one()
    entry = newsroom.deliver()
    assert set(entry["sent"]) == changed and entry["sent"][-1] == "manifest.json"
    assert any(p.endswith(".ninjs.json") for p in changed) and len(changed) < len(newsroom.files())
    assert tree(newsroom.root / "drop") == newsroom.files()


def test_dry_run_sends_nothing_and_says_what_would_go(newsroom: Newsroom) -> None:
    entry = newsroom.deliver("--dry-run")
    assert entry["status"] == "planned" and entry["unsent"][-1] == "manifest.json"
    assert not (newsroom.root / "drop").exists() and newsroom.journal() == {}


def test_zip_transport_drops_the_archive_export_would_write(newsroom: Newsroom) -> None:
    """The zip transport writes <partner>.zip, byte-identical to `export --zip`'s."""
    newsroom.set_delivery({"type": "zip", "path": str(newsroom.root / "drop")})
    entry = newsroom.deliver()
    assert entry["status"] == "delivered"
    archive = newsroom.root / "drop" / f"{PARTNER}.zip"
    with zipfile.ZipFile(archive) as z:
        assert {n.removeprefix(f"{PARTNER}/"): z.read(n) for n in z.namelist()} == (
            newsroom.files()
        )
    articles = sorted(str(p) for p in newsroom.src.glob("*.md"))
    zipped = newsroom.root / "zipped"
    result = run(
        "--config", str(newsroom.config), "export", *articles, "--partner", PARTNER,
        "--out", str(zipped), "--now", NOW, "--zip",
    )  # fmt: skip
    assert result.exit_code == 0
    assert (zipped / f"{PARTNER}.zip").read_bytes() == archive.read_bytes()
    assert newsroom.deliver()["status"] == "unchanged"


def test_a_package_that_changed_after_export_is_refused(newsroom: Newsroom) -> None:
    """What goes out is what was built: a file edited after export fails that partner."""
    feed = newsroom.package / "en-US" / "feed.json"
    feed.write_bytes(feed.read_bytes() + b" ")
    entry = newsroom.deliver(code=1)
    assert entry["status"] == "failed" and "changed since the package was built" in entry["error"]
    assert not (newsroom.root / "drop").exists()


def test_an_unknown_delivery_type_names_the_file_line_and_the_known_ones(
    newsroom: Newsroom,
) -> None:
    newsroom.set_delivery({"type": "sftpp", "host": "x"})
    result = run("--config", str(newsroom.config), "partners", "check", PARTNER)
    assert result.exit_code == 2
    assert "partners.yaml:" in result.stderr and "unknown delivery type 'sftpp'" in result.stderr
    assert "sftp" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_checking_a_partner_whose_package_stays_in_out_has_nothing_to_reach(
    newsroom: Newsroom,
) -> None:
    """delivery: {type: directory} without a path (as the shipped partners file has it):
    `deliver` leaves the package where export wrote it, and `partners check` says there is
    nothing to reach instead of asking for a path (found by a reader of the README)."""
    newsroom.set_delivery({"type": "directory"})
    result = run("--config", str(newsroom.config), "partners", "check", PARTNER)
    assert result.exit_code == 0, result.stderr
    assert f"{PARTNER}: ok: nothing to reach" in result.stdout


def test_a_literal_password_in_the_partners_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "partners.yaml"
    path.write_text(
        "partners:\n  - id: p\n    name: P\n    locales: [en]\n    formats: [ninjs]\n"
        "    delivery: {type: sftp, host: h, password: hunter22}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"partners.yaml:6: .*literal secret"):
        load_partners(path)


def test_a_transport_whose_library_is_missing_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the `delivery` extra the tool runs; a partner that needs it gets the pip line."""
    monkeypatch.setitem(sys.modules, "asyncssh", None)  # as if it were not installed
    monkeypatch.delitem(sys.modules, "syndicate.delivery.sftp", raising=False)
    with pytest.raises(ConfigError) as caught:
        create_transport("sftp", {"host": "h"}, partner="p", source="partners.yaml:3", env={})
    assert "needs asyncssh" in str(caught.value)
    assert install_hint("delivery") in str(caught.value)


def test_built_in_transports_are_registered_through_the_entry_point_group() -> None:
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="syndicate.transports")}
    assert {"directory", "zip", "sftp", "ftp", "ftps", "s3", "https"} <= names
    assert set(available_transports()) >= names


def test_backoff_grows_is_capped_jittered_and_repeatable_with_a_seed() -> None:
    """Capped exponential backoff with jitter; the same seed gives the same waits."""

    def waits(seed: int) -> list[float]:
        policy = RetryPolicy(backoff=1.0, cap=10.0, rng=random.Random(seed))
        return [policy.wait(n) for n in range(1, 8)]

    first = waits(7)
    assert first == waits(7) and first != waits(8)
    for n, wait in enumerate(first, start=1):
        full = min(10.0, 2 ** (n - 1))
        assert full / 2 <= wait <= full
    policy = RetryPolicy(backoff=1.0, cap=10.0, rng=random.Random(1))
    assert policy.wait(1, retry_after=4.0) == 4.0 and policy.wait(1, retry_after=60) == 10.0


def test_a_websub_hub_is_told_which_feeds_changed(newsroom: Newsroom) -> None:
    """After a delivery that changed feeds, one `hub.mode=publish` POST per delivery names
    them; a delivery that sends nothing pings nobody."""
    import threading
    import urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pings: list[dict[str, list[str]]] = []

    class Hub(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            pings.append(urllib.parse.parse_qs(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return None

    hub = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
    thread = threading.Thread(target=hub.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        newsroom.set_delivery(
            {
                "type": "directory",
                "path": str(newsroom.root / "drop"),
                "websub_hub": f"http://127.0.0.1:{hub.server_address[1]}/",
            }
        )
        partners = (newsroom.root / "partners.yaml").read_text()
        (newsroom.root / "partners.yaml").write_text(
            partners.replace("id: wire", "id: wire\n  feed_url: https://feeds.example/wire")
        )
        entry = newsroom.deliver()
        assert entry["pinged"] == ["https://feeds.example/wire/en-US/feed.json"]
        assert pings == [
            {"hub.mode": ["publish"], "hub.url": ["https://feeds.example/wire/en-US/feed.json"]}
        ]
        assert newsroom.deliver()["pinged"] == [] and len(pings) == 1
    finally:
        hub.shutdown()
        hub.server_close()
        thread.join(10)


def test_batch_deliver_sends_the_packages_it_built(tmp_path: Path) -> None:
    """`batch --deliver`: translate, build the package, send it; the report says so."""
    import json

    from tests.helpers import EXAMPLES

    (tmp_path / "partners.yaml").write_text(
        "partners:\n  - id: wire\n    name: Wire\n    locales: [en-US]\n"
        "    formats: [ninjs, jsonfeed]\n"
        f"    delivery: {{type: directory, path: {tmp_path / 'drop'}}}\n"
        "  - id: local\n    name: Local\n    locales: [en-US]\n    formats: [ninjs]\n",
        encoding="utf-8",
    )
    (tmp_path / "syndicate.yaml").write_text("partners: partners.yaml\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "--config", str(tmp_path / "syndicate.yaml"), "batch", str(EXAMPLES[0]),
        "--partner", "wire", "--partner", "local", "--engine", "pseudo", "--no-tm",
        "--out", str(out), "--now", NOW, "--deliver", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    delivery = {p["partner"]: p for p in json.loads(result.stdout)["delivery"]["partners"]}
    assert delivery["wire"]["status"] == "delivered" and delivery["local"]["status"] == "local"
    assert tree(tmp_path / "drop") == tree(out / "wire")


def test_a_partner_that_moves_gets_the_whole_package_at_the_new_place(
    newsroom: Newsroom,
) -> None:
    """What was sent counts only where it went: a new path (or server) gets every file."""
    newsroom.deliver()
    newsroom.set_delivery({"type": "directory", "path": str(newsroom.root / "new-drop")})
    entry = newsroom.deliver()
    assert entry["status"] == "delivered" and len(entry["sent"]) == len(newsroom.files())
    assert tree(newsroom.root / "new-drop") == newsroom.files()
    assert newsroom.deliver()["sent"] == []

"""The sftp transport against asyncssh's SFTP server on 127.0.0.1, host key pinned."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from syndicate.delivery.base import PART_SUFFIX
from tests.delivery import contract
from tests.delivery.newsroom import Newsroom, tree
from tests.delivery.sftpserver import PASSWORD, USER, SFTPServer, sftp_server
from tests.helpers import run


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SFTPServer]:
    with sftp_server(tmp_path) as s:
        yield s


def _delivery(server: SFTPServer, **extra: Any) -> dict[str, Any]:
    return {
        "type": "sftp",
        "host": "127.0.0.1",
        "port": server.port,
        "user": USER,
        "key_file": str(server.key_file),
        "known_hosts": str(server.known_hosts),
        "path": "incoming",
        "backoff": 0.01,
        **extra,
    }


@pytest.fixture
def newsroom(tmp_path: Path, translated: Path, server: SFTPServer) -> Newsroom:
    return Newsroom(tmp_path, translated, _delivery(server))


def _arrived(server: SFTPServer) -> dict[str, bytes]:
    return tree(server.root / "incoming")


def _order(server: SFTPServer) -> list[str]:
    return [r.removeprefix("incoming/") for r in server.faults.renames]


def test_a_full_package_arrives_byte_identical_manifest_last(
    newsroom: Newsroom, server: SFTPServer
) -> None:
    """Every file is renamed into place once complete, the manifest last."""
    contract.full_package_arrives_byte_identical_manifest_last(
        newsroom, lambda: _arrived(server), lambda: _order(server)
    )
    assert newsroom.journal()["manifest.json"]["receipt"].endswith("incoming/manifest.json")


def test_a_second_delivery_sends_nothing(newsroom: Newsroom, server: SFTPServer) -> None:
    contract.second_delivery_sends_nothing(newsroom, lambda: _order(server))


def test_one_changed_article_sends_its_files_and_the_manifest(
    newsroom: Newsroom, server: SFTPServer
) -> None:
    contract.changed_article_sends_its_files_and_the_manifest(
        newsroom, lambda: _arrived(server), lambda: _order(server)
    )


def test_password_login_and_partners_check(
    newsroom: Newsroom, server: SFTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`partners check` logs in with the password from the environment, writes and removes
    a probe."""
    monkeypatch.setenv("WIRE_SFTP_PASSWORD", PASSWORD)
    delivery = _delivery(server, password={"$env": "WIRE_SFTP_PASSWORD"})
    del delivery["key_file"]
    newsroom.set_delivery(delivery)
    result = run("--config", str(newsroom.config), "partners", "check", "wire")
    assert result.exit_code == 0, result.stderr
    assert "wrote and removed a probe" in result.stdout
    assert server.faults.renames == ["incoming/.syndicate-probe"]
    assert not (server.root / "incoming" / ".syndicate-probe").exists()
    assert PASSWORD not in result.stdout + result.stderr


def test_a_refused_login_stops_the_partner_with_one_line_and_no_retry(
    newsroom: Newsroom, server: SFTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRE_SFTP_PASSWORD", "wrong-password-123")
    delivery = _delivery(server, password={"$env": "WIRE_SFTP_PASSWORD"}, retries=5)
    del delivery["key_file"]
    newsroom.set_delivery(delivery)
    contract.refused_login_is_one_line(
        newsroom, "refused the login of 'wire'", "wrong-password-123"
    )
    assert server.faults.logins == 1  # asked once, not retried
    assert not (server.root / "incoming").exists()
    result = run("--config", str(newsroom.config), "partners", "check", "wire")
    assert result.exit_code == 1 and "refused the login" in result.stderr


def test_an_unknown_host_key_is_never_accepted(newsroom: Newsroom, server: SFTPServer) -> None:
    """A known_hosts that does not hold the server's key stops the partner, no retry."""
    server.known_hosts.write_text(
        f"[127.0.0.1]:{server.port} ssh-ed25519 "
        "AAAAC3NzaC1lZDI1NTE5AAAAIBwVrrk3mW2F6FmC2x0Hn5v7b4hb6fHk0yqkJ0Q9mY1d\n",
        encoding="utf-8",
    )
    entry = newsroom.deliver(code=1)
    assert entry["status"] == "stopped" and "host key is not the one in" in entry["error"]
    assert not (server.root / "incoming").exists()


def test_a_busy_server_is_tried_again(newsroom: Newsroom, server: SFTPServer) -> None:
    """SSH's 503: the server turns connections away twice ("too many connections"), then
    lets us in; the package arrives."""
    server.faults.busy = 2
    entry = newsroom.deliver()
    assert entry["status"] == "delivered" and _arrived(server) == newsroom.files()
    assert server.faults.busy == 0


def test_a_connection_dropped_mid_file_is_resumed_on_a_new_connection(
    newsroom: Newsroom, server: SFTPServer
) -> None:
    server.faults.drop_on_write = 3
    contract.resumed_after_a_drop(newsroom, lambda: _arrived(server))


def test_a_full_disk_fails_the_partner_without_partial_files_then_completes(
    newsroom: Newsroom, server: SFTPServer
) -> None:
    """Files that fit arrive whole; the rest fail, the manifest is held back; --retry-failed
    sends them once there is room."""
    server.faults.quota = 12_000
    entry = newsroom.deliver(code=1)
    assert entry["status"] == "failed" and "No space left" in entry["error"]
    arrived = _arrived(server)
    assert "manifest.json" not in arrived and arrived
    assert all(data == newsroom.files()[p] for p, data in arrived.items())
    journal = newsroom.journal()
    assert {r["state"] for r in journal.values()} == {"success", "failed"}
    assert "manifest.json" not in journal
    server.faults.quota = None
    assert newsroom.deliver()["status"] == "waiting"  # failed files wait for --retry-failed
    entry = newsroom.deliver("--retry-failed")
    assert entry["status"] == "delivered" and _arrived(server) == newsroom.files()


def test_sigkill_mid_upload_leaves_no_partial_file_and_a_rerun_completes(
    newsroom: Newsroom, server: SFTPServer
) -> None:
    server.faults.hang_on_write = 3

    def release() -> None:
        [temporary] = set(_arrived(server)) - set(contract.visible(_arrived(server)))
        assert temporary.endswith(PART_SUFFIX)  # hidden, beside its final name
        server.faults.hang_on_write = None
        server.faults.released.set()

    contract.killed_mid_upload_then_rerun(
        newsroom, server.faults.hanging, release, lambda: _arrived(server), {}
    )


def test_a_dead_partner_does_not_hold_up_the_others(
    newsroom: Newsroom, server: SFTPServer, tmp_path: Path
) -> None:
    """A server that accepts and never answers holds its own partner only: the live
    partner's package is complete while the dead one still hangs; then the dead server
    hangs up, and that partner alone fails."""
    import yaml

    dead = socket.create_server(("127.0.0.1", 0))
    hung_up = threading.Event()

    def hang() -> None:
        conn, _ = dead.accept()
        hung_up.wait(60)  # silent until the test has seen the other partner served
        conn.close()

    threading.Thread(target=hang, daemon=True).start()
    partners = yaml.safe_load((tmp_path / "partners.yaml").read_text())
    other = dict(partners["partners"][0], id="dead")
    other["delivery"] = _delivery(server, port=dead.getsockname()[1], timeout=60, retries=0)
    partners["partners"].insert(0, other)  # first: served in turn, it would hold up wire
    (tmp_path / "partners.yaml").write_text(yaml.safe_dump(partners), encoding="utf-8")
    articles = sorted(str(p) for p in newsroom.src.glob("*.md"))
    exported = run(
        "--config", str(newsroom.config), "export", *articles, "--partner", "dead",
        "--out", str(newsroom.out), "--now", "2025-07-03T12:00:00Z",
    )  # fmt: skip
    assert exported.exit_code == 0
    results: list[Any] = []
    worker = threading.Thread(
        target=lambda: results.append(
            run("--config", str(newsroom.config), "deliver", "--out", str(newsroom.out), "--json")
        )
    )
    worker.start()
    try:
        for _ in range(3000):
            if "incoming/manifest.json" in server.faults.renames:
                break
            hung_up.wait(0.01)
        assert "incoming/manifest.json" in server.faults.renames  # served meanwhile
        assert worker.is_alive()  # the dead partner is still hanging
    finally:
        hung_up.set()
        worker.join(30)
        dead.close()
    assert results[0].exit_code == 3
    report = {p["partner"]: p for p in json.loads(results[0].stdout)["partners"]}
    assert report["wire"]["status"] == "delivered" and report["dead"]["status"] == "failed"
    assert report["dead"]["error"].startswith("dead: connecting to sftp://")

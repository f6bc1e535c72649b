"""The ftp and ftps transports against pyftpdlib on 127.0.0.1 (FTPS with a self-signed
certificate made by the test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from syndicate.delivery.base import PART_SUFFIX
from tests.delivery import contract
from tests.delivery.ftpserver import PASSWORD, USER, FTPTestServer, ftp_server
from tests.delivery.newsroom import Newsroom, tree
from tests.helpers import run


@pytest.fixture(params=["ftp", "ftps"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FTPTestServer]:
    with ftp_server(tmp_path, tls=request.param == "ftps") as s:
        yield s


def _delivery(server: FTPTestServer, **extra: Any) -> dict[str, Any]:
    delivery: dict[str, Any] = {
        "type": "ftps" if server.ca_file else "ftp",
        "host": "127.0.0.1",
        "port": server.port,
        "user": USER,
        "password": {"$env": "WIRE_FTP_PASSWORD"},
        "path": "incoming",
        "timeout": 5,
        "backoff": 0.01,
    }
    if server.ca_file:
        delivery["ca_file"] = str(server.ca_file)
    return delivery | extra


@pytest.fixture
def newsroom(
    tmp_path: Path, translated: Path, server: FTPTestServer, monkeypatch: pytest.MonkeyPatch
) -> Newsroom:
    monkeypatch.setenv("WIRE_FTP_PASSWORD", PASSWORD)
    return Newsroom(tmp_path, translated, _delivery(server))


def _arrived(server: FTPTestServer) -> dict[str, bytes]:
    return tree(server.root / "incoming") if (server.root / "incoming").exists() else {}


def _order(server: FTPTestServer) -> list[str]:
    return [r.removeprefix("incoming/") for r in server.faults.renames]


def test_a_full_package_arrives_byte_identical_manifest_last(
    newsroom: Newsroom, server: FTPTestServer
) -> None:
    contract.full_package_arrives_byte_identical_manifest_last(
        newsroom, lambda: _arrived(server), lambda: _order(server)
    )
    assert "226" in newsroom.journal()["manifest.json"]["receipt"]


def test_a_second_delivery_sends_nothing(newsroom: Newsroom, server: FTPTestServer) -> None:
    contract.second_delivery_sends_nothing(newsroom, lambda: _order(server))


def test_one_changed_article_sends_its_files_and_the_manifest(
    newsroom: Newsroom, server: FTPTestServer
) -> None:
    contract.changed_article_sends_its_files_and_the_manifest(
        newsroom, lambda: _arrived(server), lambda: _order(server)
    )


def test_partners_check_writes_and_removes_a_probe(
    newsroom: Newsroom, server: FTPTestServer
) -> None:
    result = run("--config", str(newsroom.config), "partners", "check", "wire")
    assert result.exit_code == 0, result.stderr
    assert _order(server) == [".syndicate-probe"] and _arrived(server) == {}


def test_a_refused_login_stops_the_partner_with_one_line_and_no_retry(
    newsroom: Newsroom, server: FTPTestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRE_FTP_PASSWORD", "wrong-password-123")
    contract.refused_login_is_one_line(
        newsroom, "refused the login of 'wire'", "wrong-password-123"
    )
    assert server.faults.logins == 1


def test_a_service_unavailable_answer_is_retried(newsroom: Newsroom, server: FTPTestServer) -> None:
    """421 (the FTP 503) twice, then the server answers: the package arrives."""
    server.faults.unavailable = 2
    entry = newsroom.deliver()
    assert entry["status"] == "delivered" and _arrived(server) == newsroom.files()
    assert server.faults.unavailable == 0


def test_a_connection_dropped_mid_file_is_resumed_on_a_new_connection(
    newsroom: Newsroom, server: FTPTestServer
) -> None:
    server.faults.drop_on_store = 2
    contract.resumed_after_a_drop(newsroom, lambda: _arrived(server))


def test_a_full_disk_leaves_no_partial_file_then_completes(
    newsroom: Newsroom, server: FTPTestServer
) -> None:
    """A failed write is a 4xx reply in FTP (the server may free space): the file is retried,
    then waits for its next retry time; a run with --retry-failed does not wait."""
    server.faults.quota = 12_000
    entry = newsroom.deliver(code=1)
    # pyftpdlib answers 426 (plain) or resets the connection (TLS): both may pass
    assert entry["status"] == "failed" and entry["error"].startswith("wire: uploading incoming/")
    arrived = _arrived(server)
    assert arrived and "manifest.json" not in arrived
    assert all(data == newsroom.files()[p] for p, data in arrived.items())  # no temp left
    rows = newsroom.journal()
    assert {r["state"] for r in rows.values()} == {"success", "retrying"}
    [tried] = [r for r in rows.values() if r["attempts"] == 4]  # 1 + 3 retries
    waiting = [r for r in rows.values() if r["state"] == "retrying"]
    assert {r["next_retry"] for r in waiting} == {tried["next_retry"]}  # the rest wait too
    server.faults.quota = None
    entry = newsroom.deliver("--retry-failed")
    assert entry["status"] == "delivered" and _arrived(server) == newsroom.files()


def test_sigkill_mid_upload_leaves_no_partial_file_and_a_rerun_completes(
    newsroom: Newsroom, server: FTPTestServer
) -> None:
    server.faults.hold_reply_on_store = 3

    def release() -> None:
        [temporary] = set(_arrived(server)) - set(contract.visible(_arrived(server)))
        assert temporary.endswith(PART_SUFFIX)  # stored, never renamed
        server.faults.hold_reply_on_store = None

    contract.killed_mid_upload_then_rerun(
        newsroom, server.faults.holding, release, lambda: _arrived(server),
        {"WIRE_FTP_PASSWORD": PASSWORD},
    )  # fmt: skip


def test_ftps_never_trusts_a_certificate_it_cannot_verify(
    tmp_path: Path, translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the partner's CA, the self-signed certificate stops the partner: one line,
    and the password is never sent to an unverified server."""
    monkeypatch.setenv("WIRE_FTP_PASSWORD", PASSWORD)
    with ftp_server(tmp_path, tls=True) as server:
        delivery = _delivery(server)
        del delivery["ca_file"]
        newsroom = Newsroom(tmp_path, translated, delivery)
        entry = newsroom.deliver(code=1)
        assert entry["status"] == "stopped"
        assert "certificate cannot be verified" in entry["error"]
        assert server.faults.logins == 0 and _arrived(server) == {}

"""The https push transport against a local TLS receiver that checks the HMAC signature."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from syndicate.delivery.base import RetryPolicy
from syndicate.delivery.https import signature
from syndicate.delivery.run import Options, deliver_out
from syndicate.syndication.partners import load_partners
from tests.delivery import contract
from tests.delivery.newsroom import Newsroom, tree
from tests.delivery.receiver import SECRET, Receiver, https_receiver
from tests.helpers import run


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    with https_receiver(tmp_path) as r:
        yield r


def _delivery(receiver: Receiver, **extra: Any) -> dict[str, Any]:
    return {
        "type": "https",
        "url": receiver.url,
        "secret": {"$env": "WIRE_PUSH_SECRET"},
        "ca_file": str(receiver.ca_file),
        "timeout": 5,
        "backoff": 0.01,
        **extra,
    }


@pytest.fixture
def newsroom(
    tmp_path: Path, translated: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> Newsroom:
    monkeypatch.setenv("WIRE_PUSH_SECRET", SECRET)
    return Newsroom(tmp_path, translated, _delivery(receiver))


def _arrived(receiver: Receiver) -> dict[str, bytes]:
    return contract.visible(tree(receiver.root))


def _order(receiver: Receiver) -> list[str]:
    return list(receiver.faults.stored)


def test_the_signature_is_hmac_sha256_of_timestamp_and_body() -> None:
    """The documented X-Signature; the value is from
    `printf '1700000000body' | openssl dgst -sha256 -hmac key`."""
    assert signature("key", "1700000000", b"body") == (
        "sha256=bc6653008f0c68541a9fed57dc6cedac30a2ba4a95579a93e025e107b77b698d"
    )


def test_a_full_package_arrives_byte_identical_manifest_last(
    newsroom: Newsroom, receiver: Receiver
) -> None:
    """Every POST is signed and carries the manifest digest as its idempotency key."""
    contract.full_package_arrives_byte_identical_manifest_last(
        newsroom, lambda: _arrived(receiver), lambda: _order(receiver)
    )
    digest = newsroom.journal()["manifest.json"]["sha256"]
    assert {key for key, _ in receiver.faults.keys} == {digest}
    assert newsroom.journal()["manifest.json"]["receipt"] == "HTTP 200: stored manifest.json"


def test_a_second_delivery_sends_nothing(newsroom: Newsroom, receiver: Receiver) -> None:
    contract.second_delivery_sends_nothing(newsroom, lambda: _order(receiver))


def test_one_changed_article_sends_its_files_and_the_manifest(
    newsroom: Newsroom, receiver: Receiver
) -> None:
    contract.changed_article_sends_its_files_and_the_manifest(
        newsroom, lambda: _arrived(receiver), lambda: _order(receiver)
    )


def test_partners_check_posts_and_deletes_a_probe(newsroom: Newsroom, receiver: Receiver) -> None:
    result = run("--config", str(newsroom.config), "partners", "check", "wire")
    assert result.exit_code == 0, result.stderr
    assert _order(receiver) == [".syndicate-probe"] and tree(receiver.root) == {}


def test_a_wrong_secret_stops_the_partner_with_one_line_and_no_retry(
    newsroom: Newsroom, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRE_PUSH_SECRET", "not-the-partner-secret")
    contract.refused_login_is_one_line(newsroom, "refused our signature", "not-the-partner-secret")
    assert receiver.faults.refused == 1 and receiver.faults.stored == []
    monkeypatch.setenv("WIRE_PUSH_SECRET", SECRET)
    assert newsroom.deliver()["status"] == "delivered"


def test_503_then_200_honours_retry_after(newsroom: Newsroom, receiver: Receiver) -> None:
    """The waits (recorded, not slept) are at least the receiver's Retry-After."""
    receiver.faults.unavailable, receiver.faults.retry_after = 2, "7"
    waits: list[float] = []
    options = Options(
        env={"WIRE_PUSH_SECRET": SECRET},
        sleep=waits.append,
        policy=RetryPolicy(backoff=0.01, rng=random.Random(3)),
    )
    partners = load_partners(newsroom.root / "partners.yaml")
    [result] = deliver_out(newsroom.out, partners, [], options).results
    assert result.status == "delivered" and _arrived(receiver) == newsroom.files()
    assert waits == [7.0, 7.0]


def test_429_is_retried_but_another_4xx_never(newsroom: Newsroom, receiver: Receiver) -> None:
    receiver.faults.unavailable, receiver.faults.status = 1, 429
    receiver.faults.bad_request_on_post = 4
    entry = newsroom.deliver(code=1)
    assert entry["status"] == "failed" and "HTTP 400" in entry["error"]
    assert receiver.faults.posts == len(newsroom.files())  # 429 once more, 400 never again
    rows = newsroom.journal()
    failed = [p for p, r in rows.items() if r["state"] == "failed"]
    assert len(failed) == 1 and rows[failed[0]]["attempts"] == 1
    assert "manifest.json" not in _arrived(receiver)


def test_a_connection_dropped_mid_body_is_resumed(newsroom: Newsroom, receiver: Receiver) -> None:
    receiver.faults.drop_on_post = 2
    contract.resumed_after_a_drop(newsroom, lambda: _arrived(receiver))


def test_a_full_receiver_fails_without_partial_files_then_completes(
    newsroom: Newsroom, receiver: Receiver
) -> None:
    receiver.faults.full_from_post = 3
    entry = newsroom.deliver(code=1)
    assert entry["status"] == "failed" and "HTTP 507" in entry["error"]
    arrived = _arrived(receiver)
    assert len(arrived) == 2 and all(d == newsroom.files()[p] for p, d in arrived.items())
    receiver.faults.full_from_post = None
    entry = newsroom.deliver("--retry-failed")
    assert entry["status"] == "delivered" and _arrived(receiver) == newsroom.files()


def test_sigkill_mid_upload_leaves_no_partial_file_and_a_rerun_completes(
    newsroom: Newsroom, receiver: Receiver
) -> None:
    receiver.faults.hold_on_post = 3
    contract.killed_mid_upload_then_rerun(
        newsroom, receiver.faults.holding, receiver.faults.released.set,
        lambda: tree(receiver.root), {"WIRE_PUSH_SECRET": SECRET},
    )  # fmt: skip


def test_a_file_waits_for_its_next_retry_time_then_fails_after_max_attempts(
    newsroom: Newsroom, receiver: Receiver
) -> None:
    """Retries spent: the journal holds a next retry time, and runs before it send nothing;
    after max_attempts across runs the file is failed (the clock is the test's)."""
    import datetime as dt

    receiver.faults.unavailable = 1_000
    newsroom.set_delivery(_delivery(receiver, backoff=60, retries=1, max_attempts=3))
    clock = [dt.datetime(2025, 7, 3, 12, 0, tzinfo=dt.UTC)]
    options = Options(
        env={"WIRE_PUSH_SECRET": SECRET},
        clock=lambda: clock[0],
        sleep=lambda seconds: None,
        policy=RetryPolicy(rng=random.Random(5)),
    )
    partners = load_partners(newsroom.root / "partners.yaml")

    def once() -> Any:
        [result] = deliver_out(newsroom.out, partners, [], options).results
        return result

    first = once()
    assert first.status == "failed" and receiver.faults.posts == 2  # one try, one retry
    rows = newsroom.journal()
    [tried] = [r for r in rows.values() if r["attempts"] == 2]
    due = dt.datetime.fromisoformat(tried["next_retry"])
    assert dt.timedelta(seconds=60) <= due - clock[0] <= dt.timedelta(seconds=120)
    # The partner is down: every file waits for that time, none is knocked on before it.
    assert {(r["state"], r["next_retry"]) for r in rows.values()} == {
        ("retrying", tried["next_retry"])
    }
    assert once().status == "waiting" and receiver.faults.posts == 2
    clock[0] = due
    assert once().status == "failed"
    assert newsroom.journal()[tried["path"]]["state"] == "failed"  # attempt 3 of 3
    assert newsroom.journal()[tried["path"]]["attempts"] == 3

"""The s3 transport against moto's S3 server, run as a process of its own by the fixture."""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.delivery import contract
from tests.delivery.newsroom import Newsroom
from tests.delivery.s3server import KEY_ID, SECRET, S3Front, moto_process, s3_front
from tests.helpers import run

_buckets = itertools.count(1)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    with moto_process() as url:
        yield url


@pytest.fixture
def moto(moto_url: str) -> Any:
    """A client that talks to moto directly, to see what it holds."""
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
    )
    yield client
    client.close()


@pytest.fixture
def front(moto_url: str) -> Iterator[S3Front]:
    with s3_front(moto_url) as f:
        yield f


@pytest.fixture
def bucket(moto: Any) -> str:
    name = f"wire-drop-{next(_buckets)}"
    moto.create_bucket(Bucket=name)
    return name


@pytest.fixture
def newsroom(
    tmp_path: Path,
    translated: Path,
    front: S3Front,
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Newsroom:
    monkeypatch.setenv("WIRE_S3_SECRET", SECRET)
    delivery = {
        "type": "s3",
        "bucket": bucket,
        "prefix": "{partner}/",
        "endpoint_url": front.url,
        "access_key_id": KEY_ID,
        "secret_access_key": {"$env": "WIRE_S3_SECRET"},
        "timeout": 5,
        "backoff": 0.01,
    }
    return Newsroom(tmp_path, translated, delivery)


def _arrived(moto: Any, bucket: str) -> dict[str, bytes]:
    """Every object under the partner's prefix; each one's stored SHA-256 matches its bytes."""
    found = {}
    for entry in moto.list_objects_v2(Bucket=bucket).get("Contents", []):
        obj = moto.get_object(Bucket=bucket, Key=entry["Key"], ChecksumMode="ENABLED")
        data = obj["Body"].read()
        assert obj["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
        found[entry["Key"].removeprefix("wire/")] = data
    return found


def _order(front: S3Front) -> list[str]:
    return [key.removeprefix("wire/") for key in front.faults.stored]


def test_a_full_package_arrives_byte_identical_manifest_last(
    newsroom: Newsroom, front: S3Front, moto: Any, bucket: str
) -> None:
    """Each object is stored with its SHA-256 checksum, under the partner's prefix."""
    contract.full_package_arrives_byte_identical_manifest_last(
        newsroom, lambda: _arrived(moto, bucket), lambda: _order(front)
    )
    receipt = newsroom.journal()["manifest.json"]["receipt"]
    assert receipt.startswith("ETag ") and "sha256 " in receipt


def test_a_second_delivery_sends_nothing(newsroom: Newsroom, front: S3Front) -> None:
    contract.second_delivery_sends_nothing(newsroom, lambda: _order(front))


def test_one_changed_article_sends_its_files_and_the_manifest(
    newsroom: Newsroom, front: S3Front, moto: Any, bucket: str
) -> None:
    contract.changed_article_sends_its_files_and_the_manifest(
        newsroom, lambda: _arrived(moto, bucket), lambda: _order(front)
    )


def test_partners_check_writes_and_removes_a_probe(
    newsroom: Newsroom, front: S3Front, moto: Any, bucket: str
) -> None:
    result = run("--config", str(newsroom.config), "partners", "check", "wire")
    assert result.exit_code == 0, result.stderr
    assert front.faults.stored == ["wire/.syndicate-probe"] and _arrived(moto, bucket) == {}


def test_a_refused_access_key_stops_the_partner_with_one_line_and_no_retry(
    newsroom: Newsroom, front: S3Front, monkeypatch: pytest.MonkeyPatch
) -> None:
    newsroom.set_delivery(
        {
            "type": "s3",
            "bucket": "any",
            "endpoint_url": front.url,
            "access_key_id": {"$env": "WIRE_S3_KEY_ID"},
            "secret_access_key": {"$env": "WIRE_S3_SECRET"},
            "retries": 5,
        }
    )
    monkeypatch.setenv("WIRE_S3_KEY_ID", "AKIAWRONGKEY00000000")
    contract.refused_login_is_one_line(newsroom, "refused our credentials", "AKIAWRONGKEY00000000")
    assert front.faults.refused == 1  # asked once, not retried


def test_503_slow_down_then_200(newsroom: Newsroom, front: S3Front, moto: Any, bucket: str) -> None:
    """A 503 with Retry-After is waited out and tried again; then the package arrives."""
    front.faults.unavailable = 3
    entry = newsroom.deliver()
    assert entry["status"] == "delivered" and _arrived(moto, bucket) == newsroom.files()
    assert front.faults.unavailable == 0


def test_a_connection_dropped_mid_object_is_resumed(
    newsroom: Newsroom, front: S3Front, moto: Any, bucket: str
) -> None:
    front.faults.drop_on_put = 2
    contract.resumed_after_a_drop(newsroom, lambda: _arrived(moto, bucket))


def test_a_full_storage_fails_without_partial_objects_then_completes(
    newsroom: Newsroom, front: S3Front, moto: Any, bucket: str
) -> None:
    front.faults.full_from_put = 3
    entry = newsroom.deliver(code=1)
    assert entry["status"] == "failed" and "507 XMinioStorageFull" in entry["error"]
    arrived = _arrived(moto, bucket)
    assert len(arrived) == 2 and all(d == newsroom.files()[p] for p, d in arrived.items())
    rows = newsroom.journal()
    states = sorted(r["state"] for r in rows.values())
    assert states == ["retrying"] * (len(newsroom.files()) - 2) + ["success", "success"]
    front.faults.full_from_put = None
    entry = newsroom.deliver("--retry-failed")
    assert entry["status"] == "delivered" and _arrived(moto, bucket) == newsroom.files()


def test_sigkill_mid_upload_leaves_no_partial_object_and_a_rerun_completes(
    newsroom: Newsroom, front: S3Front, moto: Any, bucket: str
) -> None:
    front.faults.hold_on_put = 3
    contract.killed_mid_upload_then_rerun(
        newsroom, front.faults.holding, front.faults.released.set,
        lambda: _arrived(moto, bucket), {"WIRE_S3_SECRET": SECRET},
    )  # fmt: skip

"""What every network transport must show, written once; each transport's tests call these
with a way to read what the server holds and the order in which files became visible."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Callable

from tests.delivery.newsroom import Newsroom
from tests.helpers import run, syndicate_command

Arrived = Callable[[], dict[str, bytes]]  # the files under their final names on the server
Order = Callable[[], list[str]]  # package paths in the order they became visible


def full_package_arrives_byte_identical_manifest_last(
    newsroom: Newsroom, arrived: Arrived, order: Order
) -> None:
    entry = newsroom.deliver()
    assert entry["status"] == "delivered", entry
    assert arrived() == newsroom.files()
    assert order()[-1] == "manifest.json" and sorted(order()) == sorted(newsroom.files())
    assert {r["state"] for r in newsroom.journal().values()} == {"success"}


def second_delivery_sends_nothing(newsroom: Newsroom, order: Order) -> None:
    newsroom.deliver()
    before = list(order())
    again = newsroom.deliver()
    assert again["status"] == "unchanged" and again["sent"] == [] and order() == before


def changed_article_sends_its_files_and_the_manifest(
    newsroom: Newsroom, arrived: Arrived, order: Order
) -> None:
    newsroom.deliver()
    before = len(order())
    changed = newsroom.change_one()
    entry = newsroom.deliver()
    assert set(entry["sent"]) == changed and len(changed) < len(newsroom.files())
    assert order()[before:] == entry["sent"] and entry["sent"][-1] == "manifest.json"
    assert arrived() == newsroom.files()


def visible(files: dict[str, bytes]) -> dict[str, bytes]:
    """Files under final names: temporary uploads are hidden (their names start with a dot)."""
    return {p: d for p, d in files.items() if not p.rsplit("/", 1)[-1].startswith(".")}


def resumed_after_a_drop(newsroom: Newsroom, arrived: Arrived) -> None:
    """The server dropped the connection in one file: that file alone took two attempts,
    on a new connection, and everything arrived (no temporary file left either)."""
    entry = newsroom.deliver()
    assert entry["status"] == "delivered" and arrived() == newsroom.files()
    attempts = sorted(r["attempts"] for r in newsroom.journal().values())
    assert attempts[-1] == 2 and attempts[:-1] == [1] * (len(attempts) - 1)


def killed_mid_upload_then_rerun(
    newsroom: Newsroom,
    holding: threading.Event,
    release: Callable[[], None],
    arrived: Arrived,
    env: dict[str, str],
) -> None:
    """`deliver` in a process of its own is SIGKILLed while the server holds the third file:
    the two files before it are complete under their final names, nothing else is visible
    under a final name, the journal shows the third in progress, and a re-run completes
    (replacing any temporary leftover)."""
    command = syndicate_command(
        "--config", str(newsroom.config), "deliver", "--out", str(newsroom.out)
    )
    process = subprocess.Popen(
        command, env=os.environ | env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        assert holding.wait(30)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    release()
    final = visible(arrived())
    assert len(final) == 2 and all(data == newsroom.files()[p] for p, data in final.items())
    states = sorted(r["state"] for r in newsroom.journal().values())
    assert states == ["in_progress", "success", "success"]
    entry = newsroom.deliver()
    assert entry["status"] == "delivered" and len(entry["sent"]) == len(newsroom.files()) - 2
    assert arrived() == newsroom.files()


def refused_login_is_one_line(newsroom: Newsroom, why: str, wrong: str) -> None:
    """A refused login (or signature): exit 1, one warning line saying ``why`` (and the
    summary line), the wrong credential nowhere, every file pending for the next run."""
    result = run("--config", str(newsroom.config), "deliver", "--out", str(newsroom.out))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and why in lines[0] and lines[0].startswith("syndicate: warning: wire")
    assert wrong not in result.stdout + result.stderr
    rows = newsroom.journal().values()
    assert {r["state"] for r in rows} == {"pending"} and all(why in r["error"] for r in rows)

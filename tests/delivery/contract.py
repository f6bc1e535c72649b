"""What every network transport must show, written once; each transport's tests call these
with a way to read what the server holds and the order in which files became visible."""

from __future__ import annotations

from collections.abc import Callable

from tests.delivery.newsroom import Newsroom

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

"""Shared fixtures: the shared data folder, local engine servers, a fixed clock."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syndicate.testing import GoogleMobileServer, LibreTranslateServer

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.md"))
NOW = datetime(2025, 6, 25, 7, 0, tzinfo=UTC)


def syndicate_command(*args: str) -> list[str]:
    """The command line that runs syndicate in a process of its own, as a user would."""
    return [sys.executable, "-m", "syndicate", *args]


def shared_dir() -> Path | None:
    """The shared data folder: $SYNDICATE_SHARED, else ../shared beside the checkout."""
    env = os.environ.get("SYNDICATE_SHARED")
    path = Path(env) if env else ROOT.parent / "shared"
    return path if path.is_dir() else None


def shared_file(relative: str) -> Path:
    """A file of the shared folder, or a skip saying why it is missing."""
    base = shared_dir()
    if base is None:
        pytest.skip("shared data folder not found: set SYNDICATE_SHARED or put it at ../shared")
    path = base / relative
    if not path.is_file():
        pytest.skip(f"{relative} not found in the shared folder {base}")
    return path


@pytest.fixture
def seed_page() -> Path:
    return shared_file("seeds/nuntianews-openai-microsoft-2025-06-25.txt")


@pytest.fixture
def libre() -> Iterator[LibreTranslateServer]:
    with LibreTranslateServer() as server:
        yield server


@pytest.fixture
def google() -> Iterator[GoogleMobileServer]:
    with GoogleMobileServer() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test sees the developer's SYNDICATE_* settings or ./config of the checkout."""
    for name in list(os.environ):
        if name.startswith("SYNDICATE_") and name != "SYNDICATE_SHARED":
            monkeypatch.delenv(name)
    # The translation memory of a test lives in its own folder, never in the user's.
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("SYNDICATE_TM", str(state / "tm.sqlite3"))
    monkeypatch.setenv("XDG_DATA_HOME", str(state / "data"))
    monkeypatch.chdir(tmp_path)

"""Helpers the tests share: paths, a fixed clock, the shared data folder, the CLI runner."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

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


def run(*args: str, input: bytes | str | None = None) -> Result:
    """Run the command line in this process, as click's test runner does; errors propagate."""
    from syndicate.cli import cli

    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

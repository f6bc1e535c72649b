"""Fixtures of the delivery tests: articles translated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, run


@pytest.fixture(scope="session")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples translated into en-US by the pseudo engine, once for all delivery tests."""
    out = tmp_path_factory.mktemp("translated")
    result = run(
        "-q", "translate", *map(str, EXAMPLES), "--to", "en-US", "--engine", "pseudo",
        "--out", str(out), "--no-tm", "--now", "2025-07-01T00:00:00Z",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out

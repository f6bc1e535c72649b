"""Fixtures of the delivery tests: articles translated once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.delivery.newsroom import translate_examples


@pytest.fixture(scope="session")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples translated into en-US, once for all delivery tests."""
    return translate_examples(tmp_path_factory.mktemp("translated"))

"""Shared fixtures: local engine servers, the environment a test runs in."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from syndicate.testing import GoogleMobileServer, LibreTranslateServer
from tests.helpers import shared_file
from tests.servers import PG_BIN, REDIS, PostgreSQL, Redis, missing


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


def _isolate(patch: pytest.MonkeyPatch, factory: pytest.TempPathFactory, name: str) -> None:
    """No SYNDICATE_* setting of the developer's; the memory, journal and review states in
    a folder of their own, never the user's; caches (langdetect's compact profiles) shared
    by the session, never the user's."""
    for variable in list(os.environ):
        if variable.startswith("SYNDICATE_") and variable != "SYNDICATE_SHARED":
            patch.delenv(variable)
    state = factory.mktemp(name)
    patch.setenv("SYNDICATE_TM", str(state / "tm.sqlite3"))
    patch.setenv("XDG_DATA_HOME", str(state / "data"))
    patch.setenv("XDG_CACHE_HOME", str(factory.getbasetemp() / "cache"))


@pytest.fixture(scope="session", autouse=True)
def _session_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """For fixtures shared by a module or the session (examples translated once), which
    run before any test's own environment is set."""
    with pytest.MonkeyPatch.context() as patch:
        _isolate(patch, tmp_path_factory, "session-state")
        yield


@pytest.fixture(autouse=True)
def _clean_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each test: isolated as above, in its own folders, run from its tmp_path (so that no
    ./config of the checkout is read)."""
    _isolate(monkeypatch, tmp_path_factory, "state")
    monkeypatch.chdir(tmp_path)
    # The command line, run in this process by an earlier test, gave the package's logger
    # a handler of its own and stopped it propagating: caplog would see nothing.
    package = logging.getLogger("syndicate")
    monkeypatch.setattr(package, "handlers", [])
    monkeypatch.setattr(package, "propagate", True)
    monkeypatch.setattr(package, "level", logging.NOTSET)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgreSQL]:
    """One PostgreSQL cluster for the session (started on first use)."""
    if not (PG_BIN / "initdb").is_file():
        missing("PostgreSQL")
    server = PostgreSQL()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a test's memory and journal live: an SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
        return
    server: PostgreSQL = request.getfixturevalue("postgresql_server")
    with server.schema() as url:
        yield url


@pytest.fixture
def redis_server() -> Iterator[Redis]:
    """A Redis broker of the test's own."""
    if not REDIS.is_file():
        missing("Redis")
    server = Redis()
    try:
        yield server.start()
    finally:
        server.stop()

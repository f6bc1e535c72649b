"""Real servers for the tests, from the system's packages: PostgreSQL (and Redis).

Each runs from a temporary folder, listens on 127.0.0.1 on a free port, and is stopped
and removed at the end. PostgreSQL refuses to run as root: as root, the server runs as
the ``postgres`` user Debian's package creates. Missing binaries skip the tests that need
them on a developer's machine, and fail them in CI (``CI`` set), where nothing may skip.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest


def _postgresql_bin() -> Path:
    """SYNDICATE_PG_BIN, else the newest of Debian's /usr/lib/postgresql/<major>/bin."""
    if chosen := os.environ.get("SYNDICATE_PG_BIN"):
        return Path(chosen)
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda initdb: (
            int(initdb.parent.parent.name) if initdb.parent.parent.name.isdigit() else 0
        ),
    )
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _postgresql_bin()
INSTALL = "apt-get install postgresql redis-server"


def missing(what: str) -> None:
    """Skip (or, in CI, fail) a test whose server cannot be started here."""
    message = f"{what} is not installed: {INSTALL}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class PostgreSQL:
    """A PostgreSQL cluster of its own: initdb, pg_ctl start, and a schema per test."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="syndicate-pg-"))
        self.port = free_port()
        self._schemas = itertools.count()

    def start(self) -> PostgreSQL:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        data = self.folder / "data"
        user = _as_server_user()
        subprocess.run(
            [*user, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"],
            check=True,
            capture_output=True,
            env={**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"},
        )
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F -c fsync=off"
        subprocess.run(
            [*user, str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-s",
             "-l", str(self.folder / "log"), "start"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, FileNotFoundError):
            subprocess.run(
                [*_as_server_user(), str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"),
                 "-m", "immediate", "-w", "-s", "stop"],
                check=True,
                capture_output=True,
            )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @contextlib.contextmanager
    def schema(self) -> Iterator[str]:
        """A URL whose tables live in a fresh schema, dropped afterwards."""
        import psycopg

        name = f"test_{os.getpid()}_{next(self._schemas)}"
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f"CREATE SCHEMA {name}")
        try:
            yield f"{self.url}?options=-csearch_path%3D{name}"
        finally:
            with psycopg.connect(self.url, autocommit=True) as db:
                db.execute(f"DROP SCHEMA {name} CASCADE")

    def end_connections(self, application_name: str) -> None:
        """End the connections of one application, as a restart or a network cut would."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (application_name,),
            )


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


REDIS = Path(os.environ.get("SYNDICATE_REDIS_SERVER", "/usr/bin/redis-server"))


class Redis:
    """A redis-server of its own, without persistence, in a temporary folder."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="syndicate-redis-"))
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Redis:
        self._process = subprocess.Popen(
            [str(REDIS), "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

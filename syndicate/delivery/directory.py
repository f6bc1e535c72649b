"""The ``directory`` transport: a folder (a mounted share, a web server's document root).

Each file is written beside its final name and renamed into place (``write_atomic``), so a
partner reading the folder never sees half a file.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from syndicate.delivery.base import TransportSettings
from syndicate.errors import DeliveryError, OutputError
from syndicate.files import contained, write_atomic


class DirectoryTransport:
    kind = "directory"
    whole_package = False

    def __init__(self, settings: TransportSettings) -> None:
        settings.check({"path"})
        self.partner = settings.partner
        self.root = Path(settings.get("path", str))

    def describe(self) -> str:
        return str(self.root)

    def connect(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DeliveryError(self.partner, f"{self.root}: {exc.strerror or exc}") from None

    def put(self, path: str, data: bytes, *, package: str) -> str:
        try:
            write_atomic(contained(self.root, path), data)
        except OutputError as exc:
            raise DeliveryError(self.partner, exc.message) from None
        return f"{len(data)} bytes"

    def remove(self, path: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            contained(self.root, path).unlink()

    def close(self) -> None:
        return None

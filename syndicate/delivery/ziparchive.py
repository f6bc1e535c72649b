"""The ``zip`` transport: the whole package as one ``<partner>.zip`` in a folder.

A zip cannot be patched file by file, so this transport asks for every file whenever one
changed (``whole_package``); the archive is written when the manifest, the last file,
arrives, through a temporary file and a rename.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from syndicate.delivery.base import TransportSettings
from syndicate.errors import DeliveryError, OutputError
from syndicate.files import contained, write_atomic
from syndicate.syndication.package import MANIFEST, Package, zip_bytes


class ZipTransport:
    kind = "zip"
    whole_package = True

    def __init__(self, settings: TransportSettings) -> None:
        settings.check({"path"})
        self.partner = settings.partner
        self.root = Path(settings.get("path", str))
        self._files: dict[str, bytes] = {}

    def describe(self) -> str:
        return str(self.root / f"{self.partner}.zip")

    def connect(self) -> None:
        self._files = {}

    def put(self, path: str, data: bytes, *, package: str = "") -> str:
        self._files[path] = data
        if path != MANIFEST:
            return "queued in the archive"
        # Members are stamped with the manifest's time, as `export --zip` does: same bytes.
        stamp = dt.datetime.fromisoformat(json.loads(data)["generated_at"])
        whole = Package(self.partner, tuple(sorted(self._files.items())), ())
        archive = zip_bytes(whole, stamp)
        try:
            write_atomic(contained(self.root, f"{self.partner}.zip"), archive)
        except OutputError as exc:
            raise DeliveryError(self.partner, exc.message) from None
        return f"{self.partner}.zip: {len(archive)} bytes"

    def remove(self, path: str) -> None:
        self._files.pop(path, None)

    def close(self) -> None:
        self._files = {}

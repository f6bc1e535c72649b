"""A partner's package as ``export`` or ``batch`` left it: read back and checked.

``<out>/<partner>/manifest.json`` and the files it lists, or ``<out>/<partner>.zip``. Every
file's size and SHA-256 must match the manifest, so what goes out is what was built; a
path that would leave the package (``..``, absolute) is refused.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from syndicate.errors import InputError, MissingInputError
from syndicate.files import contained
from syndicate.syndication.package import MANIFEST


@dataclass(frozen=True, slots=True)
class LocalFile:
    path: str  # inside the package, POSIX
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class LocalPackage:
    partner: str
    where: Path
    files: tuple[LocalFile, ...]  # the manifest last
    digest: str  # the manifest's SHA-256: the package's identity

    @property
    def manifest(self) -> LocalFile:
        return self.files[-1]


def read_package(out: Path, partner: str) -> LocalPackage:
    """The package built for ``partner`` under ``out``."""
    folder, archive = out / partner, out / f"{partner}.zip"
    if (folder / MANIFEST).is_file():
        return _checked(partner, folder / MANIFEST, lambda p: contained(folder, p).read_bytes())
    if archive.is_file():
        with zipfile.ZipFile(archive) as z:
            names = set(z.namelist())

            def member(p: str) -> bytes:
                if f"{partner}/{p}" not in names:
                    raise FileNotFoundError(p)
                return z.read(f"{partner}/{p}")

            return _checked(partner, archive, member)
    raise MissingInputError(
        folder / MANIFEST,
        f"no package built for {partner}",
        hint=f"run `syndicate export --partner {partner}` (or batch) with this --out first",
    )


def _checked(partner: str, where: Path, read: Callable[[str], bytes]) -> LocalPackage:
    try:
        manifest = read(MANIFEST)
        listed = json.loads(manifest)["files"]
        files = []
        for entry in listed:
            path = str(entry["path"])
            if path.startswith("/") or ".." in path.split("/") or path != posixpath.normpath(path):
                raise InputError(where, f"the manifest lists an unsafe path {path!r}")
            data = read(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry["sha256"]:
                raise InputError(
                    where,
                    f"{path} changed since the package was built",
                    hint="export the package again",
                )
            files.append(LocalFile(path, data, digest))
    except (OSError, KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            where, f"not a complete package: {exc}", hint="export the package again"
        ) from None
    digest = hashlib.sha256(manifest).hexdigest()
    files.append(LocalFile(MANIFEST, manifest, digest))
    return LocalPackage(partner, where, tuple(files), digest)

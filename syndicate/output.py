"""Writing outputs: atomically, and only inside the directory they belong to."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from syndicate.errors import OutputError

TEMP_SUFFIX = ".syndicate-tmp"


def remove_stale_temporaries(directory: Path) -> int:
    """Delete the temporary files a killed run left behind (call it holding the folder's lock)."""
    removed = 0
    if directory.is_dir():
        for path in directory.rglob(f".*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=directory)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None


def contained(directory: Path, name: str) -> Path:
    """``directory / name``, refusing names that would land outside the directory."""
    if not name or "\0" in name or os.path.isabs(name) or name in (".", ".."):
        raise OutputError(directory / name.replace("\0", "\\0"), "is not a valid output name")
    target = (directory / name).resolve()
    root = directory.resolve()
    if target != root and root not in target.parents:
        raise OutputError(name, f"would be written outside {directory}")
    return directory / name


class Claims:
    """Which source each output of a run is the translation of: two articles with the same
    name in different folders must not overwrite each other's translation in one --out."""

    def __init__(self) -> None:
        self._owners: dict[Path, tuple[Path, Path]] = {}  # output -> (source, as given)

    def claim(self, output: Path, source: Path) -> None:
        """Raise OutputError when ``output`` is already another source's."""
        real = source.resolve()
        owner, given = self._owners.setdefault(output.resolve(), (real, source))
        if owner != real:
            raise OutputError(
                output,
                f"is the translation of {given}; {source} would overwrite it",
                hint="rename one of the two, or translate them into separate --out folders",
            )

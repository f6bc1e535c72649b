"""Files in and out: bounded, decoded reads that name the file; atomic, contained writes.

Reading refuses what is not a UTF-8 text of sane size with an error naming the file and
line; writing goes through a temporary file and a rename, so no half-written output is
ever seen. Many outputs at once (a batch run) go through ``BatchedWrites``: temporary
files, one file-system sync for all of them, the renames, one sync of each folder, so
that durability costs a few syscalls a batch instead of two waits on the disk a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, cast

from syndicate.errors import InputError, MissingInputError, OutputError
from syndicate.placeholders import CONTROL_RE  # C0 controls: XML cannot hold them

TEMP_SUFFIX = ".syndicate-tmp"


def remove_stale_temporaries(directory: Path, owner: str = "") -> int:
    """Delete the temporary files a killed run left behind: every one, or only those of
    ``owner`` (a shard, while other shards may be writing theirs in the same folder).
    Call it holding the lock of the folder, or of the owner's part of it."""
    removed = 0
    if directory.is_dir():
        for path in directory.rglob(
            f".*{_tag(owner)}*{TEMP_SUFFIX}" if owner else f".*{TEMP_SUFFIX}"
        ):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def _tag(owner: str) -> str:
    """What a temporary file's name carries of its owner (nothing for a whole run)."""
    return f"~{owner}~" if owner else ""


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@cache
def _umask() -> int:
    """The process's umask, read without changing it (os.umask can only set it, and setting
    it to read it races with other threads creating files). Read once: a batch creates
    hundreds of files, and a program does not change its umask between them."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022  # the usual default where /proc is not there


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
        # mkstemp makes the file private (0600); an output is for partners and web servers:
        # it gets the mode a plain open() would give, or keeps the mode of the file it replaces.
        os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None


class BatchedWrites:
    """Files written together: each to a temporary file now, all made durable and put in
    place by ``commit``. A process killed before ``commit`` leaves only temporary files
    (``remove_stale_temporaries``), never a half-written output."""

    def __init__(self, owner: str = "") -> None:
        self._pending: dict[Path, str] = {}  # final path -> its temporary file
        self._prefix = _tag(owner)  # whose temporaries: see remove_stale_temporaries

    def __len__(self) -> int:
        return len(self._pending)

    def write(self, path: Path, data: str | bytes) -> None:
        """Write ``data`` to a temporary file beside ``path``; raises OutputError."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{path.name}.{self._prefix}", suffix=TEMP_SUFFIX, dir=path.parent
            )
        except OSError as exc:
            raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        try:
            os.fchmod(fd, _mode_for(path))  # as write_atomic: not mkstemp's private 0600
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise OutputError(path, f"cannot write: {exc.strerror or exc}") from None
        previous = self._pending.pop(path, None)
        if previous is not None:  # written twice in one batch: the later one counts
            with contextlib.suppress(OSError):
                os.unlink(previous)
        self._pending[path] = tmp

    def commit(self) -> dict[Path, OutputError]:
        """Sync the temporary files' data, rename each into place, sync their folders.

        Returns the files that could not be put in place, each with its error; the
        others are durable when this returns.
        """
        pending, self._pending = self._pending, {}
        failed: dict[Path, OutputError] = {}
        _sync(list(pending.values()))
        folders: set[Path] = set()
        for path, tmp in pending.items():
            try:
                os.replace(tmp, path)
                folders.add(path.parent)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                failed[path] = OutputError(path, f"cannot write: {exc.strerror or exc}")
        for folder in sorted(folders):
            with contextlib.suppress(OSError):  # a folder that cannot be opened: renames stand
                fd = os.open(folder, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        return failed

    def discard(self) -> None:
        """Remove the temporary files not committed."""
        pending, self._pending = self._pending, {}
        for tmp in pending.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _sync(paths: list[str]) -> None:
    """Make the data of ``paths`` durable: one ``syncfs`` per file system where the C
    library has it (Linux), else an ``fsync`` per file."""
    syncfs = _syncfs()
    done: set[int] = set()
    for tmp in paths:
        try:
            fd = os.open(tmp, os.O_RDONLY)
        except OSError:
            continue  # gone: its rename fails and says so
        try:
            device = os.fstat(fd).st_dev
            if syncfs is not None and (device in done or syncfs(fd) == 0):
                done.add(device)
            else:
                os.fsync(fd)
        except OSError:
            pass  # the rename decides; a sync that failed leaves the old state durable
        finally:
            os.close(fd)


@cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2): Python has no binding for it."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(name, use_errno=True), "syncfs", None)
    if function is None:
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return cast("Callable[[int], int]", function)


def contained(directory: Path, name: str) -> Path:
    """``directory / name``, refusing names that would land outside the directory."""
    if not name or "\0" in name or os.path.isabs(name) or name in (".", ".."):
        raise OutputError(directory / name.replace("\0", "\\0"), "is not a valid output name")
    if os.path.basename(name) == name and _entry(directory / name) == "other":
        return directory / name  # a plain name in the folder, and no link: inside it
    try:
        target = (directory / name).resolve()
        # A remembered place that no longer holds is found again before a name is refused.
        inside = _inside(target, _root(directory)) or _inside(target, _root(directory, True))
    except RuntimeError:  # pathlib's "Symlink loop from ..."
        raise OutputError(directory / name, "cannot be written: its links form a loop") from None
    if not inside:
        raise OutputError(name, f"would be written outside {directory}")
    return directory / name


def _entry(path: Path) -> str:
    """What ``path`` is, without following it: "link", "other" (anything else, or nothing
    in a folder that is there), or "unknown" (it cannot be told: a folder on the way is a
    file, a loop, no permission)."""
    try:
        return "link" if stat.S_ISLNK(os.lstat(path).st_mode) else "other"
    except FileNotFoundError:
        return "other"
    except OSError:
        return "unknown"


def real_path(path: Path, folders: dict[Path, Path] | None = None) -> Path:
    """``path.resolve()``, for the many files of a few folders: ``folders`` (the caller's,
    folder as named -> where it really is) keeps each folder's real place, so that only a
    file's own name is looked at, where ``resolve`` looks at every part of the path (a batch
    resolves thousands of names; each part is a system call). A folder renamed or linked
    elsewhere while the caller holds ``folders`` is not seen: hold it for one run, no
    longer. A name that is a link, or a path with ``..``, is resolved in full."""
    name = path.name
    parent = path.parent
    if folders is None or name in ("", ".", "..") or ".." in parent.parts:
        return path.resolve()
    if _entry(path) != "other":
        return path.resolve()
    real = folders.get(parent)
    if real is None:
        try:
            real = parent.resolve()
        except (OSError, RuntimeError):  # a loop: the error names the path, as resolve's
            return path.resolve()
        folders[parent] = real
    return real / name


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


# Output folder (absolute, as named) -> (device, inode, where it really is).
_ROOTS: dict[Path, tuple[int, int, Path]] = {}


def _root(directory: Path, fresh: bool = False) -> Path:
    """Where an output folder really is: remembered per folder, as a batch checks
    thousands of names in a few folders, while the name still leads to the same directory
    and the place remembered is still that directory (a chdir, a link pointed elsewhere, a
    folder renamed and a link pointed at its new name: each is found again). ``fresh``
    finds it again in any case."""
    key = directory.absolute()
    try:
        here = os.stat(key)
        known = _ROOTS.get(key)
        if not fresh and known is not None and known[:2] == (here.st_dev, here.st_ino):
            there = os.stat(known[2])
            if (there.st_dev, there.st_ino) == known[:2]:
                return known[2]
        root = key.resolve()
    except OSError:  # not there (yet): nothing to remember
        return directory.resolve()
    if len(_ROOTS) >= 256:  # a long-lived process that wrote into many folders
        _ROOTS.clear()
    _ROOTS[key] = (here.st_dev, here.st_ino, root)
    return root


class Claims:
    """Which source each output of a run is the translation of: two articles with the same
    name in different folders must not overwrite each other's translation in one --out."""

    def __init__(self) -> None:
        self._owners: dict[Path, tuple[Path, Path]] = {}  # output -> (source, as given)
        self._folders: dict[Path, Path] = {}  # for real_path: a Claims lives for one run

    def claim(self, output: Path, source: Path, real: Path | None = None) -> None:
        """Raise OutputError when ``output`` is already another source's; ``real`` is
        where the source really is, when the caller knows it."""
        real = real or source.resolve()
        owner, given = self._owners.setdefault(real_path(output, self._folders), (real, source))
        if owner != real:
            raise OutputError(
                output,
                f"is the translation of {given}; {source} would overwrite it",
                hint="rename one of the two, or translate them into separate --out folders",
            )


# The longest news articles are a few hundred kilobytes and a few thousand lines; a file far
# beyond that is a data dump or a mistake, and reading it whole would cost memory and money.
MAX_ARTICLE_BYTES = 10 * 2**20


MAX_ARTICLE_LINES = 50_000


def read_bytes(path: Path | str, *, limit: int | None = MAX_ARTICLE_BYTES) -> bytes:
    """Read a file (or ``-`` for stdin), with errors that name it; refuse more than ``limit``."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1 if limit is not None else -1)
        _check_limit(len(data), limit, "<stdin>")
        return data
    p = Path(path)
    try:
        if limit is not None:
            _check_limit(p.stat().st_size, limit, p)  # before reading: memory stays bounded
        return p.read_bytes()
    except FileNotFoundError:
        raise MissingInputError(p, "no such file") from None
    except IsADirectoryError:
        raise MissingInputError(p, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None


def _check_limit(size: int, limit: int | None, name: Path | str) -> None:
    if limit is not None and size > limit:
        # Only so much of stdin is read, so its full size is not known.
        known = f"{size / 2**20:.1f} MiB, " if name != "<stdin>" else ""
        raise InputError(
            name,
            f"is too large ({known}over the {limit / 2**20:g} MiB limit)",
            hint="split it into several files",
        )


def read_text(path: Path | str) -> str:
    """Read a UTF-8 article or page (or ``-`` for stdin), refusing what is not one."""
    name = "<stdin>" if str(path) == "-" else Path(path)
    text = decode(read_bytes(path), name)
    lines = text.count("\n") or text.count("\r")
    if lines > MAX_ARTICLE_LINES:
        raise InputError(
            name,
            f"has {lines:,} lines; an article may have at most {MAX_ARTICLE_LINES:,}",
            hint="split it into several articles",
        )
    return text


def decode(data: bytes, path: Path | str) -> str:
    """Decode bytes as UTF-8 text, with errors that say what the file is instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "is UTF-16 text", hint="re-save it as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, "is a binary file (NUL byte)", line=line, hint="give a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"is not UTF-8 (byte 0x{data[exc.start]:02x})",
            line=line,
            hint="re-save it as UTF-8",
        ) from None
    if not text.lstrip("\ufeff").strip():
        raise InputError(path, "is empty", hint="give an article with some text")
    control = CONTROL_RE.search(text)
    if control:
        raise InputError(
            path,
            f"holds a control character (U+{ord(control.group()):04X})",
            line=text.count("\n", 0, control.start()) + 1,
            hint="remove it: no text format this tool writes (XML above all) can carry it",
        )
    return text


def parse_xml(
    data: bytes,
    name: Path | str,
    *,
    refuse_dtd: str | None = None,
    comments: bool = True,
    instructions: bool = True,
) -> Any:
    """An XML document parsed the safe way: no DTD loaded, no entity resolved, no network.

    ``refuse_dtd`` (the format's name) also refuses a document that declares a DTD or
    entities, which that format never needs; ``comments`` and ``instructions`` (processing
    instructions) are kept in the tree or dropped. Raises ``InputError`` naming ``name``.
    """
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=not comments,
        remove_pis=not instructions,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(name, f"is not valid XML ({exc.msg})", line=exc.lineno) from None
    if refuse_dtd and (root.getroottree().docinfo.internalDTD is not None or b"<!ENTITY" in data):
        raise InputError(
            name, f"declares a DTD or entities, which {refuse_dtd} never needs; refused"
        )
    return root

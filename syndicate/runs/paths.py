"""Where a translation is written: one naming rule for the ``translate`` and ``batch`` runners.

``berita.md`` and ``berita.id.md`` both become ``berita.en-GB.md``: a last dotted part of
the stem that is a language tag names the source's language and gives way to the target's.
The rule reads only the file name, so a batch can name (and claim) every output before it
detects any language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from syndicate.errors import UsageError
from syndicate.files import contained
from syndicate.langtags import parse_tag


def output_name(source: Path | str, target: str) -> str:
    """The file name of ``source``'s translation into ``target``."""
    path = Path(source)
    stem, suffix = path.stem, path.suffix or ".md"
    head, dot, last = stem.rpartition(".")
    if dot and head and _is_language(last):
        stem = head
    return f"{stem}.{target}{suffix}"


def output_path(source: Path | str, target: str, out_dir: Path | None = None) -> Path:
    """Beside the source, or inside ``out_dir`` (never outside it: see ``files.contained``)."""
    name = output_name(source, target)
    if out_dir is None:
        return Path(source).parent / name
    return contained(out_dir, name)


def names_a_language(path: Path | str) -> str | None:
    """The language tag a file name carries before its suffix (``x.en-GB.md``), if any."""
    head, dot, last = Path(path).stem.rpartition(".")
    return last if dot and head and _is_language(last) else None


@cache
def _is_language(part: str) -> bool:
    # Only ISO 639 codes (two or three letters), with a script or region: a stem such as
    # "rapat.2025" or "laporan.final" keeps its last part.
    first = part.split("-", 1)[0]
    if not (2 <= len(first) <= 3 and first.isascii() and first.isalpha()):
        return False
    try:
        parse_tag(part)
    except UsageError:
        return False
    return True

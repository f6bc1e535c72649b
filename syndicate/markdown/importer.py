"""A scraped plain-text news page -> a Markdown article with front matter.

Scrapers of Indonesian news sites give a page as lines: the title, the lead, the
category labels glued together (``AIBISNISKERJA SAMA``), a date glued to a reading time
(``6/25/20252 min read``), the title again with ``| SiteName``, the body paragraphs with
``•`` bullets and short subheadings, then a trailing "Berita Lainnya" block of related
links. This module recovers what it can and reports what it could not; no library knows
this shape, hence hand-written rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from syndicate.markdown.frontmatter import yaml_scalar

# Section names common on Indonesian news sites, used to split glued category lines.
CATEGORIES = (
    "AI",
    "BISNIS",
    "KERJA SAMA",
    "TEKNOLOGI",
    "TEKNO",
    "EKONOMI",
    "KEUANGAN",
    "FINANSIAL",
    "POLITIK",
    "HUKUM",
    "NASIONAL",
    "INTERNASIONAL",
    "DUNIA",
    "OLAHRAGA",
    "HIBURAN",
    "GAYA HIDUP",
    "KESEHATAN",
    "PENDIDIKAN",
    "OTOMOTIF",
    "SAINS",
    "STARTUP",
    "INVESTASI",
    "REGULASI",
    "MEGAPOLITAN",
    "DAERAH",
    "OPINI",
    "BUDAYA",
    "PROPERTI",
    "ENERGI",
    "DIGITAL",
    "KRIPTO",
    "PASAR MODAL",
    "PERBANKAN",
    "INFRASTRUKTUR",
    "KEAMANAN SIBER",
    "INOVASI",
    "RISET",
    "PRODUK",
    "EDUKASI",
    "CLOUD",
    "KECERDASAN BUATAN",
    "GADGET",
    "INDUSTRI",
    "PEMERINTAHAN",
    "LINGKUNGAN",
    "PARIWISATA",
    "KULINER",
    "TRAVEL",
    "SOSIAL",
)
_TRAILERS = ("Berita Lainnya", "Baca Juga", "Artikel Terkait", "Berita Terkait")
_DATE_LINE = re.compile(
    r"^(\d{1,2})/(\d{1,2})/(\d{4})\s*(?:(\d{1,3})\s*(?:min(?:ute)?s?|menit)\s*(?:read|baca))?$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[•·●▪◦‣\-*–]\s*")
_TERMINAL = tuple('.!?…:;,"”’)')
_ESCAPE = re.compile(r"([\\`*_\[\]<])")
_LINE_START = re.compile(r"^(#|>|[-+=]|\d+[.)]\s)")


@dataclass(frozen=True, slots=True)
class ImportedPage:
    """The Markdown article made from a page, and what could not be recovered."""

    markdown: str
    meta: dict[str, object] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def import_page(text: str) -> ImportedPage:
    """Turn a scraped page into a Markdown article."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    problems: list[str] = []
    meta: dict[str, object] = {}
    if not lines:
        return ImportedPage("", {}, ("the page has no text",))

    title = lines[0]
    meta["title"] = title
    rest = lines[1:]
    rest = _cut_trailer(rest)

    site = None
    kept: list[str] = []
    for line in rest:
        name = _site_of(line, title)
        if name:
            site = site or name
        else:
            kept.append(line)
    rest = kept

    date_index = next((i for i, ln in enumerate(rest) if _DATE_LINE.match(ln)), None)
    header, body = (
        (rest[:date_index], rest[date_index + 1 :]) if date_index is not None else ([], rest)
    )
    if date_index is not None:
        m = _DATE_LINE.match(rest[date_index])
        assert m is not None
        published = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if published:
            meta["date"] = published.isoformat()
        else:
            problems.append(f"date {rest[date_index]!r} is not a valid date")
        if m.group(4):
            meta["reading_time"] = int(m.group(4))
    else:
        problems.append("no date line (like '6/25/2025') found")

    lead = next((ln for ln in header if _is_sentence(ln)), None)
    if lead:
        meta["summary"] = lead
    else:
        problems.append("no lead paragraph found before the date line")
    category_line = next((ln for ln in header if _is_category_line(ln)), None)
    if category_line:
        categories, leftover = split_categories(
            category_line, vocabulary_from(text.replace(category_line, " "))
        )
        if categories:
            meta["categories"] = categories
        if leftover:
            problems.append(
                f"could not split {leftover!r} of the category line into known categories"
            )
    else:
        problems.append("no category line found")
    if site:
        meta["site"] = site
    else:
        problems.append("no site name (a 'title | Site' line) found")
    if not body:
        problems.append("no body paragraphs found")
    return ImportedPage(_front_matter(meta) + _body(body), meta, tuple(problems))


def _cut_trailer(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        for trailer in _TRAILERS:
            if line == trailer:
                return lines[:i]
            if line.endswith(trailer) and i == len(lines) - 1:
                return [*lines[:i], line[: -len(trailer)].rstrip()]
    return lines


def _site_of(line: str, title: str) -> str | None:
    if "|" not in line:
        return None
    head, _, tail = line.rpartition("|")
    if head.strip().casefold() == title.casefold() and tail.strip():
        return tail.strip()
    return None


def _date(month: int, day: int, year: int) -> date | None:
    if month > 12 and day <= 12:
        month, day = day, month  # written day first
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _is_sentence(line: str) -> bool:
    return len(line) >= 60 and line.endswith(_TERMINAL)


def _is_category_line(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and len(line) <= 120 and all(ch.isupper() for ch in letters)


def vocabulary_from(text: str) -> set[str]:
    """Words and word pairs of the page itself, upper-cased: labels often repeat them."""
    words = re.findall(r"[^\W\d_]{2,}", text)
    upper = [w.upper() for w in words]
    return set(upper) | {f"{a} {b}" for a, b in pairwise(upper)}


def split_categories(line: str, extra: set[str] = frozenset()) -> tuple[list[str], str]:  # type: ignore[assignment]
    """Split a glued category line into names; returns the names and what could not be split.

    Dynamic programming over the line without spaces: fewest pieces, known section names
    preferred over words that merely occur in the page.
    """
    known = {c.replace(" ", ""): c for c in extra} | {c.replace(" ", ""): c for c in CATEGORIES}
    builtin = {c.replace(" ", "") for c in CATEGORIES}
    squeezed = re.sub(r"\s+", "", line.upper())
    n = len(squeezed)
    inf = (10**9, 0)
    best: list[tuple[int, int]] = [inf] * (n + 1)  # (pieces, -builtin pieces)
    back: list[int] = [-1] * (n + 1)
    best[0] = (0, 0)
    for end in range(1, n + 1):
        for start in range(max(0, end - 40), end):
            piece = squeezed[start:end]
            if best[start] == inf or piece not in known:
                continue
            cost = (best[start][0] + 1, best[start][1] - (piece in builtin))
            if cost < best[end]:
                best[end], back[end] = cost, start
    if best[n] == inf:
        return ([line.strip()] if line.strip() else []), line.strip()
    names: list[str] = []
    end = n
    while end > 0:
        start = back[end]
        names.append(_display(known[squeezed[start:end]]))
        end = start
    return names[::-1], ""


def _display(name: str) -> str:
    """``KERJA SAMA`` -> ``Kerja Sama``; short acronyms such as ``AI`` stay as they are."""
    return " ".join(w if len(w) <= 2 else w.capitalize() for w in name.split())


def _front_matter(meta: dict[str, object]) -> str:
    out = ["---"]
    for key in ("title", "summary", "date", "categories", "site", "reading_time"):
        if key not in meta:
            continue
        value = meta[key]
        if isinstance(value, list):
            out.append(f"{key}:")
            out.extend(f"  - {yaml_scalar(str(v))}" for v in value)
        elif isinstance(value, int) or key == "date":
            out.append(f"{key}: {value}")  # an ISO date stays a YAML date
        else:
            out.append(f"{key}: {yaml_scalar(str(value))}")
    out.append("---")
    return "\n".join(out) + "\n"


def _body(lines: Sequence[str]) -> str:
    blocks: list[str] = []
    bullets: list[str] = []
    for i, line in enumerate(lines):
        if _BULLET.match(line) and len(line) > 2:
            bullets.append("- " + escape(_BULLET.sub("", line, count=1)))
            continue
        if bullets:
            blocks.append("\n".join(bullets))
            bullets = []
        following = lines[i + 1] if i + 1 < len(lines) else None
        if _is_subheading(line, following):
            blocks.append("## " + escape(line))
        else:
            blocks.append(escape(line))
    if bullets:
        blocks.append("\n".join(bullets))
    return "".join(f"\n{block}\n" for block in blocks)


def _is_subheading(line: str, following: str | None) -> bool:
    words = line.split()
    return (
        following is not None
        and 1 <= len(words) <= 12
        and len(line) <= 90
        and line[0].isupper()
        and not line.endswith(_TERMINAL)
        and not _BULLET.match(following)
        and len(following) > len(line)
    )


def escape(text: str) -> str:
    """Plain text as Markdown that renders as the same text."""
    text = _ESCAPE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    return _LINE_START.sub(r"\\\1", text)

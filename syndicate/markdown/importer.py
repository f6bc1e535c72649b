"""A scraped plain-text news page -> a Markdown article with front matter.

Scrapers of Indonesian news sites give a page as lines: the title, the lead, the
category labels glued together (``AIBISNISKERJA SAMA``), a date glued to a reading time
(``6/25/20252 min read``), the title again with ``| SiteName``, the body paragraphs with
``•`` bullets and short subheadings, then a trailing "Berita Lainnya" block of related
links. Pages also carry bylines (``Penulis: …``, ``Editor: …``, a name under the title),
"Baca juga" insets between paragraphs, share widgets and ad labels, and the site's date
stamp (``Senin, 14 Jul 2025 10:30 WIB``). This module recovers what it can, lists what
it removed and reports what it could not; no library knows this shape, hence hand-written
rules.
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
# A block of related links that ends the article: everything from it on goes.
_TRAILERS = ("Berita Lainnya", "Artikel Terkait", "Berita Terkait", "Artikel Lainnya")
# "Baca juga" is an inset between paragraphs: the line (and the title under a bare one) go.
_READ_ALSO = re.compile(
    r"^(?:baca\s+juga|lihat\s+juga|simak\s+juga)\b\s*[:：-]?\s*(?P<rest>.*)$", re.I
)
# Share widgets and ad labels scrapers keep as lines of their own.
_WIDGETS = re.compile(
    r"^(?:bagikan|share|bagikan artikel ini|twitter|x|facebook|whatsapp|telegram|line|linkedin"
    r"|salin tautan|salin link|copy link|iklan|advertisement|scroll to continue with content"
    r"|gulir untuk melanjutkan|tutup iklan)\s*:?$",
    re.I,
)
_BYLINE = re.compile(
    r"^(?P<role>penulis|reporter|pewarta|editor|penyunting|redaktur|oleh)\s*:?\s+(?P<name>\S.{0,80})$",
    re.I,
)
_ROLES = {
    "penulis": "author",
    "reporter": "author",
    "pewarta": "author",
    "oleh": "author",
    "editor": "editor",
    "penyunting": "editor",
    "redaktur": "editor",
}
_NAME_LINE = re.compile(r"^(?:[A-Z][\w'.-]*)(?:\s+[A-Z][\w'.-]*){1,3}$")
# The site's stamp: "Senin, 14 Jul 2025 10:30 WIB" (weekday, month name, zone optional).
_MONTHS3 = {
    **dict.fromkeys(("jan",), 1),
    **dict.fromkeys(("feb", "peb"), 2),
    **dict.fromkeys(("mar",), 3),
    **dict.fromkeys(("apr",), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun",), 6),
    **dict.fromkeys(("jul",), 7),
    **dict.fromkeys(("agu", "agt", "ags", "aug"), 8),
    **dict.fromkeys(("sep",), 9),
    **dict.fromkeys(("okt", "oct"), 10),
    **dict.fromkeys(("nov", "nop"), 11),
    **dict.fromkeys(("des", "dec"), 12),
}
_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
_STAMP = re.compile(
    r"^(?:[A-Za-z']+,?\s+)?(?P<d>\d{1,2})\s+(?P<m>[A-Za-z]{3,9})\.?\s+(?P<y>\d{4})"
    r"(?:\s*[,|]?\s*(?:pukul\s+)?(?P<hh>\d{1,2})[:.](?P<mm>\d{2})\s*(?P<z>WIB|WITA|WIT)?)?$",
    re.I,
)
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
    removed: tuple[str, ...] = ()  # what was taken out of the page, and why


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
    removed: list[str] = []
    rest = _cut_trailer(lines[1:], removed)
    rest = _without_clutter(rest, removed)
    rest = _bylines(rest, meta, removed)

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
    stamp_index = next((i for i, ln in enumerate(rest) if _stamp(ln)), None)
    split_at = date_index if date_index is not None else stamp_index
    header, body = (rest[:split_at], rest[split_at + 1 :]) if split_at is not None else ([], rest)
    m = _DATE_LINE.match(rest[date_index]) if date_index is not None else None
    if m is not None:
        published = _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if published:
            meta["date"] = published.isoformat()
        else:
            problems.append(f"date {m.group(0)!r} is not a valid date")
        if m.group(4):
            meta["reading_time"] = int(m.group(4))
    elif stamp_index is not None:
        meta["date"] = _stamp(rest[stamp_index])
    else:
        problems.append("no date line (like '6/25/2025' or 'Senin, 14 Jul 2025 10:30 WIB') found")

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
    return ImportedPage(_front_matter(meta) + _body(body), meta, tuple(problems), tuple(removed))


def _cut_trailer(lines: list[str], removed: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        for trailer in _TRAILERS:
            if line.casefold() == trailer.casefold():
                removed.append(f"the related links from {line!r} on ({len(lines) - i} lines)")
                return lines[:i]
            if line.endswith(trailer) and i == len(lines) - 1:
                removed.append(f"the trailing {trailer!r}")
                return [*lines[:i], line[: -len(trailer)].rstrip()]
    return lines


def _without_clutter(lines: list[str], removed: list[str]) -> list[str]:
    """Lines without "Baca juga" insets (and the title under a bare one), share widgets and
    ad labels; the paragraphs after them stay."""
    kept: list[str] = []
    skip_next = False
    for line in lines:
        if skip_next:
            skip_next = False
            removed.append(f"the 'Baca juga' link {line!r}")
            continue
        inset = _READ_ALSO.match(line)
        if inset:
            removed.append(f"the inset {line!r}")
            skip_next = not inset.group("rest")
            continue
        if _WIDGETS.match(line):
            removed.append(f"the widget or ad label {line!r}")
            continue
        kept.append(line)
    return kept


def _bylines(lines: list[str], meta: dict[str, object], removed: list[str]) -> list[str]:
    """``Penulis: …``, ``Editor: …`` and a name line right under the title, into the front
    matter (``author``, ``editor``)."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        m = _BYLINE.match(line)
        # "Oleh karena itu, …" opens a sentence: "oleh" is a byline only before a name.
        if (
            m
            and not line.endswith((".", "!", "?"))
            and (m.group("role").lower() != "oleh" or _NAME_LINE.match(m.group("name")))
        ):
            key = _ROLES[m.group("role").lower()]
            meta.setdefault(key, m.group("name").strip())
            continue
        if i == 0 and _NAME_LINE.match(line) and not _is_category_line(line):
            meta.setdefault("author", line)
            continue
        kept.append(line)
    return kept


def _stamp(line: str) -> str | None:
    """The ISO date (or date-time with its offset) of a stamp such as ``Senin, 14 Jul 2025
    10:30 WIB``; None when the line is not one."""
    m = _STAMP.match(line)
    if m is None:
        return None
    month = _MONTHS3.get(m.group("m")[:3].lower())
    if month is None:
        return None
    try:
        day = date(int(m.group("y")), month, int(m.group("d")))
    except ValueError:
        return None
    if m.group("hh") is None or m.group("z") is None:
        return day.isoformat()  # a time without a zone would be a guess: the day only
    hour, minute = int(m.group("hh")), int(m.group("mm"))
    if hour > 23 or minute > 59:
        return day.isoformat()
    offset = _ZONES[m.group("z").upper()]
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00+{offset:02d}:00"


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
    for key in (
        "title",
        "summary",
        "date",
        "author",
        "editor",
        "categories",
        "site",
        "reading_time",
    ):
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

"""TMX 1.4b in and out, so that a newsroom's memories and human translations travel.

Placeholders are written as TMX inline codes (``⟦3⟧`` <-> ``<ph x="3"/>``) and read back
from ``<ph>``, ``<bpt>``, ``<ept>``, ``<it>`` and ``<x>``; other inline markup keeps its
text. Files are parsed with lxml with entity resolution, DTD loading and network access
off, and a file that declares a DTD is refused outright: TMX needs none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndicate import __version__
from syndicate.errors import InputError
from syndicate.files import parse_xml, write_atomic
from syndicate.langtags import canonical
from syndicate.placeholders import TOKEN_RE
from syndicate.resources.memory import HUMAN, TranslationMemory

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_FILE_LIMIT = 512 * 2**20  # a big newsroom memory; parsed whole, so bounded
_CODES = ("ph", "bpt", "ept", "it", "x")


def export_tmx(memory: TranslationMemory, path: Path) -> int:
    """Write every unit of the memory as TMX 1.4b; returns how many."""
    from lxml import etree

    units = list(memory.units())
    root = etree.Element("tmx", version="1.4")
    srclang = units[0].source_lang if len({u.source_lang for u in units}) == 1 else "*all*"
    etree.SubElement(
        root,
        "header",
        creationtool="syndicate",
        creationtoolversion=__version__,
        segtype="paragraph",
        **{"o-tmf": "syndicate-sqlite"},
        adminlang="en",
        srclang=srclang,
        datatype="plaintext",
    )
    body = etree.SubElement(root, "body")
    for unit in units:
        tu = etree.SubElement(
            body,
            "tu",
            creationdate=_tmx_date(unit.created),
            usagecount=str(unit.uses),
            srclang=unit.source_lang,
        )
        prop = etree.SubElement(tu, "prop", type="x-syndicate-engine")
        prop.text = unit.engine
        for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
            _write_seg(etree.SubElement(tuv, "seg"), text)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    write_atomic(path, data)
    return len(units)


@dataclass(frozen=True, slots=True)
class UnitGroup:
    """The pairs of one engine and language pair read from a TMX file."""

    engine: str
    source_lang: str
    target_lang: str
    created: str
    pairs: Mapping[str, str]


def import_tmx(memory: TranslationMemory, path: Path, data: bytes) -> int:
    """Add a TMX file's translation units to the memory; returns how many pairs."""
    return store_units(memory, parse_tmx(path, data))


def store_units(memory: TranslationMemory, groups: Sequence[UnitGroup]) -> int:
    for group in groups:
        memory.store(
            group.pairs,
            engine=group.engine,
            source_lang=group.source_lang,
            target_lang=group.target_lang,
            created=group.created,
        )
    return sum(len(group.pairs) for group in groups)


def parse_tmx(path: Path, data: bytes) -> list[UnitGroup]:
    """Read a TMX file's translation units, refusing DTDs, entities and what is not TMX."""
    root = parse_xml(data, path, refuse_dtd="TMX", comments=False)
    if root.tag != "tmx":
        raise InputError(path, f"is not TMX (root element <{root.tag}>)")
    header = root.find("header")
    default_src = header.get("srclang") if header is not None else None
    grouped: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    created: dict[tuple[str, str, str], str] = {}
    for tu in root.iter("tu"):
        engine = next(
            (p.text or HUMAN for p in tu.findall("prop") if p.get("type") == "x-syndicate-engine"),
            HUMAN,
        )
        variants = {}
        for tuv in tu.findall("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if lang and seg is not None:
                variants[_lang(lang, path, tuv)] = _read_seg(seg)
        src = tu.get("srclang") or default_src
        if not src or src == "*all*":
            src = next(iter(variants), None)
        if src is None:
            continue
        src = _lang(src, path, tu)
        if src not in variants:
            continue
        for lang, text in variants.items():
            if lang != src and text.strip() and variants[src].strip():
                key = (engine, src, lang)
                grouped[key][variants[src]] = text
                created.setdefault(key, _iso(tu.get("creationdate")))
    return [
        UnitGroup(engine, src, tgt, created[(engine, src, tgt)], pairs)
        for (engine, src, tgt), pairs in grouped.items()
    ]


def _write_seg(seg: Any, text: str) -> None:
    from lxml import etree

    pos = 0
    last = None
    for m in TOKEN_RE.finditer(text):
        chunk = text[pos : m.start()]
        if last is None:
            seg.text = (seg.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        last = etree.SubElement(seg, "ph", x=m.group(1))
        pos = m.end()
    rest = text[pos:]
    if last is None:
        seg.text = (seg.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


def _read_seg(seg: Any) -> str:
    parts = [seg.text or ""]
    for child in seg:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _CODES:
            number = child.get("x") or child.get("i") or child.get("id")
            parts.append(
                f"⟦{number}⟧" if number and number.isdigit() else "".join(child.itertext())
            )
        else:
            parts.append(_read_seg(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(value: str, path: Path, node: Any) -> str:
    try:
        return canonical(value)
    except Exception:
        raise InputError(path, f"unknown language {value!r}", line=node.sourceline) from None


def _tmx_date(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).strftime("%Y%m%dT%H%M%SZ")
    except ValueError:
        return iso


def _iso(tmx_date: str | None) -> str:
    if not tmx_date:
        return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    try:
        return dt.datetime.strptime(tmx_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC).isoformat()
    except ValueError:
        return tmx_date

"""TMX 1.1-1.4b in and out, so that a newsroom's memories and CAT tools' translations travel.

Files are parsed with lxml with entity resolution, DTD loading and network access off. An
external DOCTYPE identifier (``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, which most tools write)
is accepted and never loaded; an internal subset (entities, attribute defaults) is refused.

Inline codes become the project's placeholders, numbered as the segmenter numbers them: in
order of appearance in the source, a pair taking two numbers (``<bpt i="1">`` ... ``<ept
i="1">`` -> ``⟦1⟧ ... ⟦2⟧``). A target's codes map to the source's by ``x`` where the file
gives it, else by position among codes of the same kind; an ``<ept>`` follows its ``<bpt>``
through ``i``. Their native code (``<bpt i="1">&lt;b&gt;</bpt>``) stays out of the text and
is kept with the unit, so that an export writes it back; ``<hi>`` keeps its text.

Everything else a unit carries (``tuid``, attributes such as ``creationid`` and
``changedate``, ``<prop>`` and ``<note>`` at both levels, alternative translations, the
language tags as written) is kept verbatim in the unit's ``tmx`` field (JSON) and written
back on export. A unit that cannot be read (an unknown language, no source variant, a code
without a counterpart) is skipped and counted; a file that is not TMX is refused whole.

This is written here rather than with translate-toolkit's ``translate.storage.tmx``: that
one loads a file whole into its own unit model, drops inline codes' native content and
the attributes above, and is GPL; the tests use it only to write files as its tools do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from syndicate import __version__
from syndicate.errors import InputError, UsageError
from syndicate.files import parse_xml, write_atomic
from syndicate.langtags import canonical, match_rank
from syndicate.placeholders import TOKEN_RE, token
from syndicate.resources.memory import HUMAN, TranslationMemory, Unit, normalize

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_FILE_LIMIT = 512 * 2**20  # a big newsroom memory; parsed whole, so bounded
ENGINE_PROP = "x-syndicate-engine"
# When a unit was imported, for a file that dates none: an export gives the date back.
CREATED_PROP = "x-syndicate-created"
_OURS = "x-syndicate-"  # our own props: read into the unit, not kept as the file's
_DATES = ("creationdate", "changedate")
_CODES = ("bpt", "ept", "ph", "it", "ut", "x")
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[")


@dataclass(frozen=True, slots=True)
class TmxFile:
    """What a TMX file gave: the units to store and the ones skipped (with why)."""

    units: tuple[Unit, ...]
    skipped: tuple[str, ...] = ()
    read: int = 0  # how many <tu> elements the file had


@dataclass(slots=True)
class _Code:
    tag: str
    i: str | None
    x: str | None
    xml: str  # the element as written, without its tail


@dataclass(slots=True)
class _Variant:
    lang: str  # as written
    canonical: str
    attrs: dict[str, str]
    extra: list[str]  # <prop> and <note> children, as written
    text: str  # the template, its codes as NUL until numbered
    found: list[_Code]  # its inline codes, in order
    codes: dict[int, str] = field(default_factory=dict)  # token number -> native code


class _BadUnit(ValueError):
    pass


# --- import -----------------------------------------------------------------------------------


def import_tmx(memory: TranslationMemory, path: Path, data: bytes) -> int:
    """Add a TMX file's translation units to the memory; returns how many were stored."""
    return store_units(memory, parse_tmx(path, data))


def store_units(memory: TranslationMemory, tmx: TmxFile) -> int:
    """Store units read from TMX; alternatives already in the memory stay as alternatives."""
    merged = []
    for unit in tmx.units:
        old = memory.unit(
            unit.source,
            engine=unit.engine,
            source_lang=unit.source_lang,
            target_lang=unit.target_lang,
        )
        merged.append(_merge(unit, old) if old is not None and old.tmx else unit)
    memory.add_units(merged)
    return len(merged)


def _merge(new: Unit, old: Unit) -> Unit:
    """The new file's variants first (its translation is used), the older ones after."""
    variants = json.loads(new.tmx or "{}").get("variants", [])
    for variant in json.loads(old.tmx or "{}").get("variants", []):
        if variant not in variants:
            variants.append(variant)
    return Unit(
        new.engine,
        new.source_lang,
        new.target_lang,
        new.source,
        new.target,
        new.created,
        old.uses,
        json.dumps({"variants": variants}, ensure_ascii=False, sort_keys=True),
    )


def parse_tmx(path: Path, data: bytes) -> TmxFile:
    """Read a TMX file's units, refusing internal DTD subsets and what is not TMX."""
    # The document type TMX files declare (<!DOCTYPE tmx SYSTEM "tmx14.dtd">) is allowed;
    # an internal subset or entities are refused below.
    root = parse_xml(data, path, comments=False, instructions=False)
    info = root.getroottree().docinfo
    dtd = info.internalDTD
    if dtd is not None and (
        list(dtd.iterentities()) or list(dtd.iterelements()) or _has_internal_subset(data, info)
    ):
        raise InputError(
            path,
            "declares a DTD subset or entities, which TMX never needs; refused",
            hint='keep at most <!DOCTYPE tmx SYSTEM "tmx14.dtd">',
        )
    if root.tag != "tmx" or root.find("body") is None:
        raise InputError(
            path,
            f"is not TMX (root element <{root.tag}>, not <tmx> with a <body>)",
            hint="export the memory from the CAT tool as TMX",
        )
    header = root.find("header")
    default_src = header.get("srclang") if header is not None else None
    grouped: dict[tuple[str, str, str, str], list[tuple[Unit, dict[str, Any]]]] = {}
    skipped: list[str] = []
    read = 0
    for tu in root.iter("tu"):
        read += 1
        try:
            found = list(_read_tu(tu, default_src))  # a bad variant skips the whole <tu>
        except _BadUnit as exc:
            skipped.append(f"line {tu.sourceline}: {exc}")
            continue
        for unit, variant in found:
            key = (unit.engine, unit.source_lang, unit.target_lang, normalize(unit.source))
            grouped.setdefault(key, []).append((unit, variant))
    units = []
    for same in grouped.values():
        first = same[0][0]
        variants = [v for _, v in same]
        tmx = json.dumps({"variants": variants}, ensure_ascii=False, sort_keys=True)
        units.append(
            Unit(
                first.engine,
                first.source_lang,
                first.target_lang,
                first.source,
                first.target,
                first.created,
                tmx=tmx if variants[0] else None,
            )
        )
    return TmxFile(tuple(units), tuple(skipped), read)


def _has_internal_subset(data: bytes, info: Any) -> bool:
    head = data[: 64 * 1024]
    try:
        text = head.decode(info.encoding or "utf-8", errors="replace")
    except LookupError:
        text = head.decode("utf-8", errors="replace")
    return bool(_INTERNAL_SUBSET.search(text))


def _read_tu(tu: Any, default_src: str | None) -> Iterator[tuple[Unit, dict[str, Any]]]:
    """The units of one <tu>: one per target variant; raises _BadUnit if it is unreadable."""
    from lxml import etree

    props = [c for c in tu if c.tag in ("prop", "note")]
    ours = {p.get("type"): p.text or "" for p in props if p.get("type", "").startswith(_OURS)}
    props = [p for p in props if not p.get("type", "").startswith(_OURS)]
    engine = ours.get(ENGINE_PROP) or HUMAN
    from_engine = engine != HUMAN  # syndicate's export of an engine's unit: nothing to keep
    variants = [_variant(tuv) for tuv in tu.findall("tuv")]
    if len(variants) < 2:
        return  # a source not translated yet: nothing to import, nothing wrong
    src_tag = tu.get("srclang") or default_src
    source = _source(variants, src_tag)
    source_codes = _number_source(source)
    if not source.text.strip():
        return  # nothing to translate from
    tu_meta = {
        "attrs": dict(tu.attrib),
        "extra": [_xml(c, etree) for c in props],
    }
    for variant in variants:
        if variant is source or not variant.text.strip():
            continue
        if variant.canonical == source.canonical:
            raise _BadUnit(f"two variants in the source language {source.lang!r}")
        _number_target(variant, source_codes)
        created = _iso(
            tu.get("creationdate")
            or variant.attrs.get("creationdate")
            or variant.attrs.get("changedate")
            or tu.get("changedate")
            or ours.get(CREATED_PROP)
        )
        meta = (
            {}
            if from_engine
            else {
                "tu": tu_meta,
                "source": _variant_meta(source),
                "target": _variant_meta(variant) | {"text": variant.text},
            }
        )
        yield (
            Unit(
                engine,
                source.canonical,
                variant.canonical,
                source.text,
                variant.text,
                created,
                int(tu.get("usagecount", ""))
                if from_engine and tu.get("usagecount", "").isdigit()
                else 0,
            ),
            meta,
        )


def _variant(tuv: Any) -> _Variant:
    from lxml import etree

    lang = tuv.get(XML_LANG) or tuv.get("lang")
    if not lang:
        raise _BadUnit("a <tuv> without xml:lang")
    try:
        tag = canonical(lang)
    except UsageError:
        raise _BadUnit(f"unknown language {lang!r}") from None
    seg = tuv.find("seg")
    if seg is None:
        raise _BadUnit("a <tuv> without <seg>")
    attrs = {k: v for k, v in tuv.attrib.items() if k not in (XML_LANG, "lang")}
    extra = [_xml(c, etree) for c in tuv if c.tag in ("prop", "note")]
    parts: list[str] = []
    codes: list[_Code] = []
    _read_seg(seg, parts, codes, etree)
    return _Variant(lang, tag, attrs, extra, "".join(parts), codes)


def _read_seg(el: Any, parts: list[str], codes: list[_Code], etree: Any) -> None:
    parts.append(el.text or "")
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _CODES:
            codes.append(_Code(tag, child.get("i"), child.get("x"), _xml(child, etree)))
            parts.append("\0")  # numbered once the source's codes are known
        elif tag:
            _read_seg(child, parts, codes, etree)  # <hi>: its text is text
        parts.append(child.tail or "")


def _xml(el: Any, etree: Any) -> str:
    return str(etree.tostring(el, encoding="unicode", with_tail=False))


def _source(variants: Sequence[_Variant], src_tag: str | None) -> _Variant:
    if not src_tag or src_tag == "*all*":
        return variants[0]
    try:
        wanted = canonical(src_tag)
    except UsageError:
        raise _BadUnit(f"unknown source language {src_tag!r}") from None
    # BCP 47 lookup: a header's ``en`` finds the ``en-US`` variant, ``en-us`` the ``EN-US`` one.
    ranked = [
        (rank, n)
        for n, v in enumerate(variants)
        if (rank := match_rank(v.canonical, wanted)) is not None
    ]
    if ranked:
        return variants[min(ranked)[1]]
    raise _BadUnit(f"no variant in the source language {src_tag!r}")


def _number_source(source: _Variant) -> list[_Code]:
    codes = source.found
    source.codes = {n: c.xml for n, c in enumerate(codes, start=1)}
    source.text = _fill(source.text, list(range(1, len(codes) + 1)))
    return codes


def _number_target(target: _Variant, source: Sequence[_Code]) -> None:
    """Give each of the target's codes the number of its counterpart in the source."""
    codes = target.found
    used: set[int] = set()
    pair_of: dict[str, str | None] = {}  # target bpt i -> source bpt i
    numbers: list[int] = []
    for code in codes:
        n = None
        if code.tag == "ept" and code.i in pair_of:
            src_i = pair_of[code.i]
            n = next((k for k, s in enumerate(source, 1) if s.tag == "ept" and s.i == src_i), None)
        if n is None and code.x is not None:
            n = next(
                (
                    k
                    for k, s in enumerate(source, 1)
                    if s.tag == code.tag and s.x == code.x and k not in used
                ),
                None,
            )
        if n is None:
            n = next(
                (k for k, s in enumerate(source, 1) if s.tag == code.tag and k not in used), None
            )
        if n is None or n in used:
            raise _BadUnit(f"<{code.tag}> in the {target.lang!r} variant has no source match")
        used.add(n)
        if code.tag == "bpt":
            pair_of[code.i or ""] = source[n - 1].i
        numbers.append(n)
    target.codes = {n: c.xml for n, c in zip(numbers, codes, strict=True)}
    target.text = _fill(target.text, numbers)


def _fill(text: str, numbers: Sequence[int]) -> str:
    it = iter(numbers)
    return re.sub("\0", lambda _m: token(next(it)), text)


def _variant_meta(v: _Variant) -> dict[str, Any]:
    codes = {str(n): xml for n, xml in v.codes.items()}
    return {"lang": v.lang, "attrs": v.attrs, "extra": v.extra, "codes": codes}


# --- export -----------------------------------------------------------------------------------


def export_tmx(memory: TranslationMemory, path: Path) -> int:
    """Write every unit of the memory as TMX 1.4b; returns how many <tu> elements."""
    from lxml import etree

    units = list(memory.units())
    root = etree.Element("tmx", version="1.4")
    langs = {_source_tag(u) for u in units}
    etree.SubElement(
        root,
        "header",
        creationtool="syndicate",
        creationtoolversion=__version__,
        segtype="paragraph",
        **{"o-tmf": "syndicate-sqlite"},
        adminlang="en",
        srclang=langs.pop() if len(langs) == 1 else "*all*",
        datatype="plaintext",
    )
    body = etree.SubElement(root, "body")
    tus: dict[str, Any] = {}
    for unit in units:
        if not unit.tmx:
            _engine_tu(body, unit, etree)
            continue
        for variant in json.loads(unit.tmx)["variants"]:
            key = json.dumps([variant["tu"], variant["source"], unit.source], sort_keys=True)
            tu = tus.get(key)
            if tu is None:
                tu = tus[key] = etree.SubElement(body, "tu", variant["tu"]["attrs"])
                _append_extra(tu, variant["tu"]["extra"], etree)
                if not any(
                    d in variant["tu"]["attrs"] or d in variant["target"]["attrs"] for d in _DATES
                ):
                    prop = etree.SubElement(tu, "prop", type=CREATED_PROP)
                    prop.text = unit.created
                _tuv(tu, variant["source"], unit.source, etree)
            _tuv(tu, variant["target"], variant["target"]["text"], etree)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    write_atomic(path, data)
    return len(body)


def _source_tag(unit: Unit) -> str:
    if unit.tmx:
        return str(json.loads(unit.tmx)["variants"][0]["source"]["lang"])
    return unit.source_lang


def _engine_tu(body: Any, unit: Unit, etree: Any) -> None:
    tu = etree.SubElement(
        body,
        "tu",
        creationdate=_tmx_date(unit.created),
        usagecount=str(unit.uses),
        srclang=unit.source_lang,
    )
    prop = etree.SubElement(tu, "prop", type=ENGINE_PROP)
    prop.text = unit.engine
    for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        _write_seg(etree.SubElement(tuv, "seg"), text, {}, etree)


def _tuv(tu: Any, meta: Mapping[str, Any], text: str, etree: Any) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: meta["lang"], **meta["attrs"]})
    _append_extra(tuv, meta["extra"], etree)
    codes = {int(n): xml for n, xml in meta["codes"].items()}
    _write_seg(etree.SubElement(tuv, "seg"), text, codes, etree)


def _append_extra(parent: Any, extra: Sequence[str], etree: Any) -> None:
    for xml in extra:
        parent.append(_element(xml, etree))


def _element(xml: str, etree: Any) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(xml.encode("utf-8"), parser)


def _write_seg(seg: Any, text: str, codes: Mapping[int, str], etree: Any) -> None:
    pos = 0
    last = None
    for m in TOKEN_RE.finditer(text):
        chunk = text[pos : m.start()]
        if last is None:
            seg.text = (seg.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        number = int(m.group(1))
        if number in codes:
            last = _element(codes[number], etree)
            seg.append(last)
        else:
            last = etree.SubElement(seg, "ph", x=str(number))
        pos = m.end()
    rest = text[pos:]
    if last is None:
        seg.text = (seg.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


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

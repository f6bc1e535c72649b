"""XLIFF 2.1 for CAT tools and agencies: export translations, import what came back.

One ``<file>`` per translation, one ``<unit>`` per translatable segment. A segment's
placeholders become XLIFF inline codes that CAT tools lock: paired markup (emphasis, a
link around its text) as ``<pc>``, other markup as ``<ph>``, both with the Markdown they
stand for in ``<originalData>``; amounts, dates and numbers as ``<ph>`` whose ``disp``
shows them as the locale reads them (``IDR 154 trillion``); names the glossary keeps as
``<mrk translate="no">``. The state maps onto XLIFF's: machine ``translated`` (``subState
syndicate:mt-ENGINE``), edited ``translated`` (``syndicate:edited``), approved ``final``,
stale ``initial`` (``syndicate:stale``). QA findings go into notes, the memory's near
matches into the matches module, and which translation file each ``<file>`` is into the
metadata module.

Import refuses, unit by unit and naming the unit, a unit whose source no longer matches
the article, whose codes are missing, unknown, repeated or out of order (an end before its
start), or whose text fails the checks engine output goes through; it applies the rest,
rewrites each translation atomically, and puts approved units (``final`` or ``reviewed``)
into the memory as human translations. Written and read with lxml; parsing loads no DTD,
resolves no entity and touches no network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from syndicate.errors import InputError, UsageError
from syndicate.files import parse_xml, read_bytes
from syndicate.localize.renderer import LocalizeOptions
from syndicate.placeholders import TOKEN_RE, PlaceholderDamage, check_tokens, token
from syndicate.resources.glossary import Glossary
from syndicate.resources.memory import TranslationMemory
from syndicate.review.bitext import Bitext, Pair, digest, load_bitext
from syndicate.review.changes import Change, save
from syndicate.review.edits import take
from syndicate.review.store import ReviewStore, State
from syndicate.types import Placeholder

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MTC_NS = "urn:oasis:names:tc:xliff:matches:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
NSMAP = {None: XLIFF_NS, "mtc": MTC_NS, "mda": MDA_NS}
_X = f"{{{XLIFF_NS}}}"
_M = f"{{{MTC_NS}}}"
_D = f"{{{MDA_NS}}}"

_TO_XLIFF: Mapping[State, tuple[str, str | None]] = {
    "machine": ("translated", "syndicate:mt-{engine}"),
    "edited": ("translated", "syndicate:edited"),
    "approved": ("final", None),
    "stale": ("initial", "syndicate:stale"),
}
_APPROVED = frozenset({"final", "reviewed"})
_ENGINE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


# --- export -------------------------------------------------------------------------------


def export_xliff(
    bitexts: Sequence[Bitext],
    *,
    store: ReviewStore,
    memory: TranslationMemory | None = None,
) -> bytes:
    """An XLIFF 2.1 document holding the given translations (all into one locale)."""
    from lxml import etree

    if not bitexts:
        raise UsageError("nothing to export")
    langs = {(b.source_lang, b.locale) for b in bitexts}
    if len(langs) > 1:
        raise UsageError(
            "an XLIFF file holds one language pair; these translations have "
            + ", ".join(f"{s}->{t}" for s, t in sorted(langs)),
            hint="export each pair to a file of its own",
        )
    source_lang, target_lang = langs.pop()
    root = etree.Element(
        _X + "xliff", nsmap=NSMAP, version="2.1", srcLang=source_lang, trgLang=target_lang
    )
    for n, bitext in enumerate(bitexts, start=1):
        state = take(store, bitext, how="read")
        states = {s.position: s.state for s in state.segments}
        _file(root, f"f{n}", bitext, states, memory)
    _lines(root)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


_MIXED = frozenset(_X + tag for tag in ("source", "target", "data", "note", "pc", "mrk"))


def _lines(root: Any) -> None:
    """One structural element a line. lxml's pretty printer would also indent inside a
    ``<source>`` that starts with a code, adding text to what is translated."""
    for element in root.iter():
        parent = element.getparent()
        if element.tag in _MIXED or (parent is not None and parent.tag in _MIXED):
            continue
        if len(element) and element.text is None:
            element.text = "\n"
        element.tail = "\n"


def _file(
    root: Any,
    fid: str,
    bitext: Bitext,
    states: Mapping[int, State],
    memory: TranslationMemory | None,
) -> None:
    from lxml import etree

    source = bitext.source.path
    element = etree.SubElement(root, _X + "file", id=fid, original=str(source or "-"))
    meta = etree.SubElement(
        etree.SubElement(element, _D + "metadata"), _D + "metaGroup", category="syndicate"
    )
    for kind, value in (
        ("translation", str(bitext.path)),
        ("source", str(source or "-")),
        ("engine", bitext.engine),
    ):
        etree.SubElement(meta, _D + "meta", type=kind).text = value
    for pair in bitext.pairs:
        _unit(element, pair, bitext, states.get(pair.position, "machine"), memory)


def _unit(
    parent: Any,
    pair: Pair,
    bitext: Bitext,
    state: State,
    memory: TranslationMemory | None,
) -> None:
    from lxml import etree

    unit = etree.SubElement(parent, _X + "unit", id=f"u{pair.position}", name=pair.where)
    # The unit as exported, so that an import can tell a unit the CAT tool left alone
    # from one it changed, and a unit changed here since the export from one that was not.
    group = etree.SubElement(
        etree.SubElement(unit, _D + "metadata"), _D + "metaGroup", category="syndicate"
    )
    etree.SubElement(group, _D + "meta", type="exported-state").text = state
    etree.SubElement(group, _D + "meta", type="exported-target").text = _seen(pair.target_template)
    matches = bitext.near_matches(memory, pair)
    if matches:
        box = etree.SubElement(unit, _M + "matches")
        for k, match in enumerate(matches, start=1):
            m = etree.SubElement(
                box,
                _M + "match",
                id=f"m{k}",
                ref=f"#s{pair.position}",
                similarity=f"{match.score:.1f}",
                origin="syndicate:memory",
            )
            _plain(etree.SubElement(m, _X + "source"), match.source)
            _plain(etree.SubElement(m, _X + "target"), match.target)
    notes = _notes(pair, bitext)
    if notes:
        box = etree.SubElement(unit, _X + "notes")
        for category, text in notes:
            etree.SubElement(box, _X + "note", category=category).text = text
    data = [p for p in pair.placeholders if not _kept_name(p)]
    if data:
        original = etree.SubElement(unit, _X + "originalData")
        for p in data:
            etree.SubElement(original, _X + "data", id=f"d{p.index}").text = p.source
    xliff_state, sub = _xliff_state(state, lost=pair.target_template is None)
    segment = etree.SubElement(unit, _X + "segment", id=f"s{pair.position}", state=xliff_state)
    if sub:
        engine = _ENGINE_CHARS.sub("-", bitext.engine) or "unknown"
        segment.set("subState", sub.format(engine=engine))
    _inline(etree.SubElement(segment, _X + "source"), pair.source_template, pair, source=True)
    if pair.target_template is not None:
        _inline(etree.SubElement(segment, _X + "target"), pair.target_template, pair)


def _xliff_state(state: str, *, lost: bool) -> tuple[str, str | None]:
    """XLIFF's state and subState for a segment's: a target whose codes were lost is
    left out, and the segment is ``initial``."""
    if lost or state not in _TO_XLIFF:
        return "initial", "syndicate:codes-lost" if lost else None
    return _TO_XLIFF[cast(State, state)]


def _seen(template: str | None) -> str:
    """A target as an export records it: its digest, or ``none`` for a lost one."""
    return digest(template)[:32] if template is not None else "none"


def _notes(pair: Pair, bitext: Bitext) -> list[tuple[str, str]]:
    """The QA findings of a segment, as notes (a lost code: the target is left out)."""
    return [("syndicate:qa", f"{f.severity}: {f.code}: {f.message}") for f in bitext.findings(pair)]


def _kept_name(p: Placeholder) -> bool:
    return p.entity is None and p.replacement is not None and p.replacement == p.source


def _inline(element: Any, template: str, pair: Pair, *, source: bool = False) -> None:
    """Write a template into ``element`` with its tokens as XLIFF inline codes."""
    from lxml import etree

    by_index = {p.index: p for p in pair.placeholders}
    stack = [element]
    last: Any = None  # the element whose tail takes the next text

    def text(value: str) -> None:
        if not value:
            return
        if last is None:
            stack[-1].text = (stack[-1].text or "") + value
        else:
            last.tail = (last.tail or "") + value

    pos = 0
    for m in TOKEN_RE.finditer(template):
        text(template[pos : m.start()])
        pos = m.end()
        p = by_index[int(m.group(1))]
        if p.kind == "close" and p.partner is not None:
            last = stack.pop()
            continue
        if p.kind == "open" and p.partner is not None:
            pc = etree.SubElement(
                stack[-1],
                _X + "pc",
                id=str(p.index),
                dataRefStart=f"d{p.index}",
                dataRefEnd=f"d{p.partner}",
                canCopy="no",
                canDelete="no",
                type="image" if p.source.startswith("![") else "link" if p.source == "[" else "fmt",
                dispStart=p.source,
                dispEnd=by_index[p.partner].source,
            )
            stack.append(pc)
            last = None
            continue
        if _kept_name(p):
            mrk = etree.SubElement(stack[-1], _X + "mrk", id=f"m{p.index}", translate="no")
            mrk.text = p.source
            last = mrk
            continue
        ph = etree.SubElement(
            stack[-1], _X + "ph", id=str(p.index), dataRef=f"d{p.index}", canCopy="no"
        )
        ph.set("canDelete", "no")
        shown = pair.forms.get(p.index, p.source)
        if p.entity is not None or p.replacement is not None:
            kind = p.entity.kind if p.entity is not None else "term"
            if p.entity is None and any(ch.isdigit() for ch in p.source):
                kind = "number"
            ph.set("type", "other")
            ph.set("subType", f"syndicate:{kind}")
            ph.set("disp", shown)
            ph.set("equiv", shown)
        else:
            ph.set("type", "image" if p.source.startswith("![") else "fmt")
            ph.set("disp", p.source)
        last = ph
    text(template[pos:])


def _plain(element: Any, template: str) -> None:
    """A memory unit's template, its tokens as bare ``<ph>`` codes."""
    from lxml import etree

    parts = TOKEN_RE.split(template)
    element.text = parts[0]
    for i in range(1, len(parts), 2):
        ph = etree.SubElement(element, _X + "ph", id=f"p{parts[i]}")
        ph.tail = parts[i + 1]


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    """A unit left out of the import, and why."""

    file: str
    unit: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: unit {self.unit}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did."""

    written: tuple[str, ...] = ()  # translation files rewritten
    applied: int = 0  # units whose target or state changed
    approved: int = 0  # units approved (and put into the memory)
    refused: tuple[Refusal, ...] = field(default_factory=tuple)


def import_xliff(
    path: Path,
    *,
    store: ReviewStore,
    who: str,
    localize: LocalizeOptions | None = None,
    glossary: Glossary | None = None,
    memory: TranslationMemory | None = None,
) -> Imported:
    """Apply an XLIFF file's targets and states to the translations it names."""
    root = _parse(path, read_bytes(path, limit=50 * 1024 * 1024))
    written: list[str] = []
    refused: list[Refusal] = []
    applied = approved = 0
    for file in root.iter(_X + "file"):
        fid = file.get("id", "?")
        meta = {m.get("type"): (m.text or "") for m in file.iter(_D + "meta")}
        translation = meta.get("translation")
        if not translation:
            raise InputError(path, f"file {fid} does not say which translation it holds")
        # Only a translation syndicate wrote is rewritten, from the source it recorded: a
        # file naming another path (../../somewhere) cannot make the import write there.
        known = store.get(Path(translation))
        if known is None:
            refused.append(Refusal(fid, "*", f"{translation} is no translation syndicate wrote"))
            continue
        try:
            bitext = load_bitext(
                known.source, translation, locale=known.locale, localize=localize, glossary=glossary
            )
        except InputError as exc:
            refused.append(Refusal(fid, "*", str(exc)))
            continue
        now = {s.position: s.state for s in take(store, bitext, how="read").segments}
        changes = _changes(fid, file, bitext, now, refused)
        if not changes:
            continue
        saved = save(bitext, changes, store=store, who=who, memory=memory)
        refused += [Refusal(fid, f"u{p}", why) for p, why in saved.refused.items()]
        if saved.text != bitext.output.text:
            written.append(str(bitext.path))
        done = [p for p in changes if p not in saved.refused]
        applied += len(done)
        approved += sum(changes[p].state == "approved" for p in done)
    return Imported(tuple(written), applied, approved, tuple(refused))


def _changes(
    fid: str, file: Any, bitext: Bitext, now: Mapping[int, State], refused: list[Refusal]
) -> dict[int, Change]:
    """The changes a ``<file>`` brings to its translation; units that cannot be read,
    whose source no longer matches, or that would undo what was done here since the
    export go into ``refused``. A unit the CAT tool left as exported brings none."""
    changes: dict[int, Change] = {}
    for unit in file.iter(_X + "unit"):
        uid = unit.get("id", "?")
        segment = unit.find(_X + "segment")
        try:
            position = int(uid.removeprefix("u"))
            pair = bitext.pair(position)
        except (ValueError, KeyError):
            refused.append(Refusal(fid, uid, "no such segment in the article"))
            continue
        if segment is None or segment.find(_X + "source") is None:
            refused.append(Refusal(fid, uid, "has no segment with a source"))
            continue
        try:
            source = _template(segment.find(_X + "source"), pair)
        except _Bad as exc:
            refused.append(Refusal(fid, uid, f"source: {exc}"))
            continue
        if source != pair.source_template:
            refused.append(Refusal(fid, uid, "its source no longer matches the article"))
            continue
        target_el = segment.find(_X + "target")
        if target_el is None:
            continue  # nothing translated here
        try:
            target = _template(target_el, pair)
            _check_codes(target, pair)
        except _Bad as exc:
            refused.append(Refusal(fid, uid, str(exc)))
            continue
        state = segment.get("state", "initial")
        if state in _APPROVED:
            change = Change(target, "approved")
        elif target != pair.target_template:
            change = Change(target, "edited")
        else:
            continue
        if change.state == now.get(position) and target == pair.target_template:
            continue  # what it says is what is here already
        exported = {
            m.get("type"): (m.text or "")
            for m in unit.iterfind(f"{_D}metadata/{_D}metaGroup/{_D}meta")
        }
        was, seen = exported.get("exported-state"), exported.get("exported-target")
        if was is not None and seen is not None:
            written = _xliff_state(was, lost=seen == "none")[0]
            if state == written and _seen(target) == seen:
                continue  # left as exported: whatever was done here since stands
            if (now.get(position), _seen(pair.target_template)) != (was, seen):
                refused.append(Refusal(fid, uid, _since(now.get(position))))
                continue
        elif now.get(position) == "approved" and change.state != "approved":
            # From an export that did not record the unit: an approved translation is
            # not replaced by a text nobody approved.
            refused.append(Refusal(fid, uid, _since("approved")))
            continue
        changes[position] = change
    return changes


def _since(state: State | None) -> str:
    return (
        f"it was changed here since the export (now {state or 'unknown'}); "
        "export it again and redo the change there"
    )


class _Bad(ValueError):
    """A unit's inline content cannot be read back into a template."""


def _template(element: Any, pair: Pair) -> str:
    """The template an XLIFF ``<source>`` or ``<target>`` holds."""
    by_index = {p.index: p for p in pair.placeholders}
    out: list[str] = []

    def index_of(value: str | None, prefix: str = "") -> int:
        try:
            index = int((value or "").removeprefix(prefix))
        except ValueError:
            raise _Bad(f"unknown code {value!r}") from None
        if index not in by_index:
            raise _Bad(f"unknown code {value!r}")
        return index

    def closing(index: int) -> int:
        """The code that closes the paired code ``index`` opens."""
        partner = by_index[index].partner
        if partner is None:
            raise _Bad(f"code {index} is not a pair")
        return partner

    def walk(node: Any) -> None:
        out.append(node.text or "")
        for child in node:
            tag = child.tag.removeprefix(_X) if isinstance(child.tag, str) else ""
            if tag == "ph":
                out.append(token(index_of(child.get("id"))))
            elif tag == "pc":
                index = index_of(child.get("id"))
                end = closing(index)
                out.append(token(index))
                walk(child)
                out.append(token(end))
            elif tag == "sc":
                out.append(token(index_of(child.get("id"))))
            elif tag == "ec":
                out.append(token(closing(index_of(child.get("startRef")))))
            elif tag == "mrk" and child.get("translate") == "no":
                index = index_of(child.get("id"), "m")
                if (child.text or "") != by_index[index].source or len(child):
                    raise _Bad(f"the kept name {by_index[index].source!r} was changed")
                out.append(token(index))
            elif tag == "mrk":
                walk(child)  # a CAT tool's own annotation: its text counts
            else:
                raise _Bad(f"unexpected <{tag or child.tag}>")
            out.append(child.tail or "")

    walk(element)
    return "".join(out)


def _check_codes(template: str, pair: Pair) -> None:
    """Refuse a target whose codes are missing, unknown, repeated or out of order."""
    kinds = {p.index: (p.kind, p.partner) for p in pair.placeholders}
    try:
        check_tokens(template, kinds)
    except PlaceholderDamage as exc:
        found = [int(m.group(1)) for m in TOKEN_RE.finditer(template)]
        missing = sorted(set(kinds) - set(found))
        if missing:
            raise _Bad(
                "missing code"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(_name(pair, i) for i in missing)
            ) from None
        raise _Bad(f"codes out of order or repeated ({exc})") from None


def _name(pair: Pair, index: int) -> str:
    p = next(p for p in pair.placeholders if p.index == index)
    return f"{'m' if _kept_name(p) else ''}{index} ({pair.forms.get(index, p.source)})"


def _parse(path: Path, data: bytes) -> Any:
    root = parse_xml(data, path, refuse_dtd="XLIFF")
    if root.tag != _X + "xliff" or not str(root.get("version", "")).startswith("2."):
        raise InputError(path, "is not an XLIFF 2 document", hint="export one with xliff export")
    return root

"""XLIFF 2.1 round trip: export, validate against the official schemas, edit as a CAT tool
would, import; the outputs, the memory and the states show it; broken units are refused."""

from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

from syndicate.resources.memory import HUMAN, TranslationMemory
from tests.helpers import EXAMPLES, run, shared_file

NOW = "2025-06-25T07:00:00Z"
X = "{urn:oasis:names:tc:xliff:document:2.0}"
MTC = "{urn:oasis:names:tc:xliff:matches:2.0}"
MDA = "{urn:oasis:names:tc:xliff:metadata:2.0}"
LOCALES = ("en-GB", "ja-JP")


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(shared_file(f"schemas/xliff2/{name}"))))


def validate(data: bytes) -> None:
    """The core schema for the document, each module's schema for its elements, and the
    Schematron rules of the core and matches that XSD cannot say (lxml runs no XSLT 2
    Schematron, so they are checked here: ids unique in a unit, every data reference and
    match reference pointing at something there, target codes those of the source)."""
    doc = etree.fromstring(data)
    core = schema("xliff_core_2.0.xsd")
    assert core.validate(doc), core.error_log
    for tag, name in ((MTC + "matches", "matches.xsd"), (MDA + "metadata", "metadata.xsd")):
        module = schema(name)
        for element in doc.iter(tag):
            assert module.validate(etree.ElementTree(copy.deepcopy(element))), module.error_log
    codes = (X + "ph", X + "pc", X + "sc", X + "ec", X + "mrk")
    for unit in doc.iter(X + "unit"):
        data_ids = {d.get("id") for d in unit.iterfind(f"{X}originalData/{X}data")}
        segment_ids = {s.get("id") for s in unit.iter(X + "segment")}
        for match in unit.iter(MTC + "match"):
            assert match.get("ref", "").removeprefix("#") in segment_ids
        for segment in unit.iter(X + "segment"):
            source, target = segment.find(X + "source"), segment.find(X + "target")
            ids = [e.get("id") for e in source.iter(*codes)]
            assert len(ids) == len(set(ids)), unit.get("id")
            for element in source.iter(*codes):
                for ref in ("dataRef", "dataRefStart", "dataRefEnd"):
                    assert element.get(ref) is None or element.get(ref) in data_ids
            if target is not None:
                assert sorted(e.get("id") for e in target.iter(*codes)) == sorted(ids)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, list[Path]]:
    """The examples (plus a near copy of one, for the memory's near matches) translated
    into two locales with the pseudo engine and a glossary that keeps names."""
    (tmp_path / "glossary.yaml").write_text("keep: [KataKita, OpenAI, Microsoft, Copilot]\n")
    cfg = tmp_path / "syndicate.yaml"
    cfg.write_text("engine: pseudo\nglossary: glossary.yaml\n")
    sources = []
    for example in EXAMPLES:
        sources.append(tmp_path / example.name)
        shutil.copy(example, sources[-1])
    near = tmp_path / "near-copy.md"
    near.write_text(
        sources[0].read_text(encoding="utf-8").replace(" dan ", " serta ", 3), encoding="utf-8"
    )
    translated = run(
        "--config", str(cfg), "translate", str(near), *map(str, sources),
        "--to", ",".join(LOCALES), "--now", NOW,
    )  # fmt: skip
    assert translated.exit_code == 0, translated.output
    return cfg, sources


def export(cfg: Path, sources: list[Path], locale: str, out: Path) -> bytes:
    result = run(
        "--config", str(cfg), "xliff", "export", *map(str, sources), "--to", locale,
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_every_example_round_trips_through_a_cat_tool(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """Exported files validate; targets a CAT tool changed come back into the outputs, the
    states and (approved ones) the memory as human units."""
    cfg, sources = project
    for locale in LOCALES:
        out = tmp_path / f"{locale}.xlf"
        validate(export(cfg, sources, locale, out))
        doc = etree.parse(str(out))
        units = [u for u in doc.iter(X + "unit") if u.find(f"{X}segment/{X}target") is not None]
        assert len(units) > 20
        kinds = {ph.get("subType") for ph in doc.iter(X + "ph")}
        assert {"syndicate:money", "syndicate:date"} <= kinds
        assert any(m.get("translate") == "no" for m in doc.iter(X + "mrk"))
        assert any(True for _ in doc.iter(X + "pc"))
        assert any(s.get("subState") == "syndicate:mt-pseudo" for s in doc.iter(X + "segment"))
        for k, unit in enumerate(units):
            segment = unit.find(X + "segment")
            target = segment.find(X + "target")
            target.text = f"EDITED{k} " + (target.text or "")
            segment.set("state", "final" if k % 2 == 0 else "translated")
            segment.attrib.pop("subState", None)
        doc.write(str(out), xml_declaration=True, encoding="UTF-8")
        result = run("--config", str(cfg), "xliff", "import", str(out), "--who", "agency")
        assert result.exit_code == 0, result.output
        outputs = "".join(
            s.with_name(f"{s.stem}.{locale}.md").read_text(encoding="utf-8") for s in sources
        )
        assert all(f"EDITED{k} " in outputs for k in range(len(units)))
        report = json.loads(run("--config", str(cfg), "status", "--json").stdout)
        mine = [t for t in report["translations"] if t["locale"] == locale]
        approved = sum(t["segments"]["approved"] for t in mine)
        edited = sum(t["segments"]["edited"] for t in mine)
        assert approved == (len(units) + 1) // 2 and edited == len(units) // 2
    with TranslationMemory(Path(os.environ["SYNDICATE_TM"])) as memory:
        human = [u for u in memory.units() if u.engine == HUMAN]
    assert {u.target_lang for u in human} == set(LOCALES)
    assert all(u.target.startswith("EDITED") for u in human)


def test_the_memory_near_matches_go_into_the_matches_module(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """A segment the memory knows approximately carries its near matches, with a score."""
    cfg, sources = project
    doc = etree.fromstring(export(cfg, sources[:1], "en-GB", tmp_path / "a.xlf"))
    matches = list(doc.iter(MTC + "match"))
    assert matches and all(75 <= float(m.get("similarity")) < 100 for m in matches)


def test_a_unit_with_a_deleted_ph_is_refused_naming_it_and_the_rest_applied(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """A target that lost an amount's <ph> is refused, named; the other units are applied."""
    cfg, sources = project
    out = tmp_path / "en.xlf"
    export(cfg, sources[:1], "en-GB", out)
    doc = etree.parse(str(out))
    victim = next(
        u for u in doc.iter(X + "unit")
        if u.find(f"{X}segment/{X}target/{X}ph[@subType='syndicate:money']") is not None
    )  # fmt: skip
    ph = victim.find(f"{X}segment/{X}target/{X}ph[@subType='syndicate:money']")
    previous = ph.getprevious()
    if previous is not None:  # keep the text after it, as a CAT tool deleting a code does
        previous.tail = (previous.tail or "") + (ph.tail or "")
    else:
        ph.getparent().text = (ph.getparent().text or "") + (ph.tail or "")
    ph.getparent().remove(ph)
    other = next(u for u in doc.iter(X + "unit") if u is not victim)
    other.find(f"{X}segment/{X}target").text = "CHANGED "
    other.find(X + "segment").set("state", "final")
    doc.write(str(out))
    before = sources[0].with_name(f"{sources[0].stem}.en-GB.md").read_text(encoding="utf-8")
    result = run("--config", str(cfg), "xliff", "import", str(out))
    assert result.exit_code == 1
    assert f"unit {victim.get('id')}: missing code" in result.stderr
    after = sources[0].with_name(f"{sources[0].stem}.en-GB.md").read_text(encoding="utf-8")
    assert after != before and "CHANGED " in after


def test_a_unit_whose_source_changed_is_refused(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """After the article's text changed, a unit made from the old text is refused."""
    cfg, sources = project
    out = tmp_path / "en.xlf"
    export(cfg, sources[:1], "en-GB", out)
    text = sources[0].read_text(encoding="utf-8")
    assert " yang " in text
    sources[0].write_text(text.replace(" yang ", " yang benar-benar ", 1), encoding="utf-8")
    result = run("--config", str(cfg), "xliff", "import", str(out))
    assert result.exit_code == 1
    assert "its source no longer matches the article" in result.stderr


def test_an_xliff_with_a_dtd_is_refused(tmp_path: Path) -> None:
    """A file declaring entities is refused before anything is read from it."""
    bad = tmp_path / "bad.xlf"
    bad.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="id">&e;</xliff>'
    )
    result = run("xliff", "import", str(bad))
    assert result.exit_code == 1 and "DTD or entities" in result.stderr


def test_a_file_naming_a_translation_syndicate_did_not_write_is_refused(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """An XLIFF cannot make the import write anywhere but a recorded translation."""
    cfg, sources = project
    out = tmp_path / "en.xlf"
    export(cfg, sources[:1], "en-GB", out)
    victim = tmp_path / "elsewhere.md"
    victim.write_text(sources[0].with_name(f"{sources[0].stem}.en-GB.md").read_text())
    before = victim.read_bytes()
    doc = etree.parse(str(out))
    for meta in doc.iter(MDA + "meta"):
        if meta.get("type") == "translation":
            meta.text = str(victim)
    for target in doc.iter(X + "target"):
        target.text = "CHANGED " + (target.text or "")
    doc.write(str(out))
    result = run("--config", str(cfg), "xliff", "import", str(out))
    assert result.exit_code == 1 and "is no translation syndicate wrote" in result.stderr
    assert victim.read_bytes() == before


def test_codes_out_of_order_are_refused_naming_the_unit(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """A pair a CAT tool wrote as <ec/> before its <sc/> (reordered) is refused; in order,
    the same <sc/> and <ec/> are taken."""
    cfg, sources = project
    out = tmp_path / "en.xlf"
    export(cfg, sources[:1], "en-GB", out)
    doc = etree.parse(str(out))
    pc = next(doc.iter(X + "pc"))
    unit = next(u for u in doc.iter(X + "unit") if pc in u.iter(X + "pc"))
    target_pc = unit.find(f"{X}segment/{X}target").find(f".//{X}pc[@id='{pc.get('id')}']")
    parent, index = target_pc.getparent(), target_pc.getparent().index(target_pc)
    end = etree.Element(X + "ec", startRef=pc.get("id"))
    start = etree.Element(X + "sc", id=pc.get("id"))
    children, end.tail, start.tail = list(target_pc), target_pc.text, target_pc.tail
    parent.remove(target_pc)
    for k, element in enumerate([end, *children, start]):
        parent.insert(index + k, element)
    doc.write(str(out))
    result = run("--config", str(cfg), "xliff", "import", str(out))
    assert result.exit_code == 1
    assert f"unit {unit.get('id')}: codes out of order" in result.stderr
    # The same codes in order, as CAT tools that split <pc> into <sc/>…<ec/> write them.
    inner, after = end.tail, start.tail
    for element in (end, start):
        parent.remove(element)
    start.tail, end.tail = inner, after
    parent.insert(index, start)
    parent.insert(index + 1 + len(children), end)
    unit.find(X + "segment").set("state", "final")
    doc.write(str(out))
    assert run("--config", str(cfg), "xliff", "import", str(out)).exit_code == 0


def test_an_old_export_does_not_undo_what_was_done_since(
    project: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    """Two copies of one export: the first comes back with a unit approved; the second,
    imported after it, leaves that unit as exported (nothing happens to it, where it used
    to put the machine text back over the approved one) and changes another unit that was
    left alone here (applied), while a third unit it changes was approved here since the
    export: refused, naming the unit, the approved text kept."""
    cfg, sources = project
    first, second = tmp_path / "first.xlf", tmp_path / "second.xlf"
    export(cfg, sources[:1], "en-GB", first)
    shutil.copy(first, second)
    output = sources[0].with_name(f"{sources[0].stem}.en-GB.md")
    doc = etree.parse(str(first))
    units = [u for u in doc.iter(X + "unit") if u.find(f"{X}segment/{X}target") is not None]
    approved, other, clash = units[0], units[1], units[2]
    for unit in (approved, clash):
        unit.find(f"{X}segment/{X}target").text = "APPROVED "
        unit.find(X + "segment").set("state", "final")
    doc.write(str(first))
    assert run("--config", str(cfg), "xliff", "import", str(first), "--who", "ayu").exit_code == 0
    doc = etree.parse(str(second))
    for unit in doc.iter(X + "unit"):
        if unit.get("id") == other.get("id"):
            unit.find(f"{X}segment/{X}target").text = "LATER "
        if unit.get("id") == clash.get("id"):
            unit.find(f"{X}segment/{X}target").text = "CLASHING "
    doc.write(str(second))
    result = run("--config", str(cfg), "xliff", "import", str(second), "--who", "budi")
    assert result.exit_code == 1
    assert f"unit {clash.get('id')}: it was changed here since the export (now approved)" in (
        result.stderr
    )
    assert f"unit {approved.get('id')}" not in result.stderr
    text = output.read_text(encoding="utf-8")
    assert text.count("APPROVED ") == 2 and "LATER " in text and "CLASHING " not in text
    report = json.loads(run("--config", str(cfg), "status", "--json").stdout)
    [mine] = [t for t in report["translations"] if t["locale"] == "en-GB" and
              t["translation"].endswith(output.name)]  # fmt: skip
    assert mine["segments"]["approved"] == 2 and mine["segments"]["edited"] == 1

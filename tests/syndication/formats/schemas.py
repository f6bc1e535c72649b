"""Offline validators for the export formats, from the schemas in the shared folder.

The recipe is the syndication note's (section 7): ninjs and JSON Feed with jsonschema and a
local registry (no network), NewsML-G2 with its XSD (and NITF's), Atom with RELAX NG plus
the RFC's Schematron rules, RSS with feedparser's structural checks.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from lxml import etree, isoschematron

from tests.helpers import shared_file

XML_PARSER = etree.XMLParser(no_network=True, resolve_entities=False)


def _json(relative: str) -> Any:
    return json.loads(shared_file(f"schemas/{relative}").read_text(encoding="utf-8"))


@cache
def ninjs(version: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    registry = Registry().with_resource(
        "https://geojson.org/schema/GeoJSON.json",
        Resource.from_contents(_json("geojson/GeoJSON.json"), default_specification=DRAFT7),
    )
    schema = _json(f"ninjs/ninjs-schema_{version}.json")
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def jsonfeed() -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(
        _json("jsonfeed/jsonfeed-schema-v1.1.json"), format_checker=Draft7Validator.FORMAT_CHECKER
    )


def json_errors(validator: Any, doc: Any) -> list[str]:
    return sorted(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    )


@cache
def newsml_g2() -> Any:
    return etree.XMLSchema(
        etree.parse(
            str(shared_file("schemas/newsml-g2/NewsML-G2_2.35-spec-All-Power.xsd")), XML_PARSER
        )
    )


@cache
def _atom() -> tuple[Any, Any]:
    rng_path = str(shared_file("schemas/atom/atom.rng"))
    rng = etree.RelaxNG(etree.parse(rng_path, XML_PARSER))
    atom, old, iso = (
        "http://www.w3.org/2005/Atom",
        "http://www.ascc.net/xml/schematron",
        "http://purl.oclc.org/dsdl/schematron",
    )
    sch = etree.Element(f"{{{iso}}}schema", nsmap={"sch": iso})
    etree.SubElement(sch, f"{{{iso}}}ns", prefix="atom", uri=atom)
    for rule in etree.parse(rng_path, XML_PARSER).iter(f"{{{old}}}rule"):
        pattern = etree.SubElement(sch, f"{{{iso}}}pattern")
        new = etree.SubElement(pattern, f"{{{iso}}}rule", context=rule.get("context"))
        for check in rule.iter(f"{{{old}}}assert"):
            etree.SubElement(new, f"{{{iso}}}assert", test=check.get("test")).text = check.text
    return rng, isoschematron.Schematron(sch)


def xml_errors(schema: Any, data: bytes) -> list[str]:
    doc = etree.fromstring(data, XML_PARSER)
    return [] if schema.validate(doc) else [str(e) for e in schema.error_log]


def atom_errors(data: bytes) -> list[str]:
    rng, sch = _atom()
    doc = etree.fromstring(data, XML_PARSER)
    errors = [] if rng.validate(doc) else [str(e) for e in rng.error_log]
    if not sch.validate(doc):
        errors += ["schematron: " + e.message for e in sch.error_log]
    return errors


def rss_errors(data: bytes) -> list[str]:
    import feedparser

    parsed = feedparser.parse(data)
    errors = [f"bozo: {parsed.bozo_exception}"] if parsed.bozo else []
    if parsed.version != "rss20":
        errors.append(f"not rss20: {parsed.version!r}")
    for i, entry in enumerate(parsed.entries):
        if not (entry.get("title") or entry.get("summary")):
            errors.append(f"item {i}: needs a title or a description")
    return errors


def errors_for(path: str, data: bytes, ninjs_version: str = "3.1") -> list[str]:
    """Validate one exported file by its name."""
    if path.endswith(".ninjs.json"):
        return json_errors(ninjs(ninjs_version), json.loads(data))
    if path.endswith("feed.json"):
        return json_errors(jsonfeed(), json.loads(data))
    if path.endswith(".newsml.xml"):
        return xml_errors(newsml_g2(), data)
    if path.endswith(".atom.xml"):
        return atom_errors(data)
    if path.endswith(".rss.xml"):
        return rss_errors(data)
    if path.endswith(".html"):
        etree.fromstring(data, etree.HTMLParser(no_network=True))
    return []

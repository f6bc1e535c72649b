"""Helpers shared by the XML writers: sanitized HTML as XHTML elements, stable serialization."""

from __future__ import annotations

from typing import Any

XHTML = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def sub(
    parent: Any, tag: str, text: str | None = None, /, *, ns: str | None = None, **attrs: str
) -> Any:
    """A child element ``{ns}tag`` of ``parent`` with ``attrs`` (``tag`` may be one of them:
    the first three are positional) and ``text``; each writer binds its namespace once
    (``el = partial(sub, ns=ATOM)``)."""
    from lxml import etree

    node = etree.SubElement(parent, f"{{{ns}}}{tag}" if ns else tag, attrs)
    if text is not None:
        node.text = text
    return node


def xhtml(body_html: str) -> list[Any]:
    """Sanitized HTML as XHTML elements (namespaced, well-formed) for inline XML bodies."""
    from lxml import etree, html

    out = []
    for fragment in html.fragments_fromstring(body_html):
        if isinstance(fragment, str):
            if fragment.strip():
                p = etree.Element(f"{{{XHTML}}}p")
                p.text = fragment
                out.append(p)
            continue
        out.append(_namespaced(fragment))
    return out


def _namespaced(element: Any) -> Any:
    from lxml import etree

    copy = etree.Element(f"{{{XHTML}}}{element.tag}", {k: v for k, v in element.attrib.items()})
    copy.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_namespaced(child))
            copy[-1].tail = child.tail
    return copy


def serialize(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))

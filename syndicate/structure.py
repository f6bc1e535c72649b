"""The Markdown structure of a text: what a translation must leave unchanged.

The structure is the sequence of rendered elements (headings, lists, emphasis, links
with their targets, code with its content...), without the words. Soft line breaks are
left out: translated paragraphs are written on one line.
"""

from __future__ import annotations

from collections.abc import Iterable

from syndicate.segment import markdown_parser

_WORDS = frozenset({"text", "softbreak"})
_KEPT_ATTRS = ("href", "src")
_VERBATIM = frozenset({"code_inline", "code_block", "fence", "html_block", "html_inline"})


def markdown_structure(markdown: str) -> list[tuple[str, ...]]:
    """The elements of a Markdown text, in order, with link targets and code content."""
    out: list[tuple[str, ...]] = []
    _walk(markdown_parser(record=False).parse(markdown), out)
    return out


def _walk(tokens: Iterable[object], out: list[tuple[str, ...]]) -> None:
    for tok in tokens:
        kind = getattr(tok, "type", "")
        if kind in _WORDS:
            continue
        attrs = getattr(tok, "attrs", {}) or {}
        entry = [kind, getattr(tok, "tag", "")]
        entry += [f"{k}={attrs[k]}" for k in _KEPT_ATTRS if k in attrs]
        if kind in _VERBATIM:
            entry.append(getattr(tok, "content", ""))
        out.append(tuple(entry))
        children = getattr(tok, "children", None)
        if children:
            _walk(children, out)

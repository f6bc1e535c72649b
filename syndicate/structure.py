"""The Markdown structure of a text: what a translation must leave unchanged.

The structure is the sequence of rendered elements (headings, lists, emphasis, links
with their targets, code with its content...), without the words. Soft line breaks are
left out: translated paragraphs are written on one line.
"""

from __future__ import annotations

from syndicate.segment import markdown_parser, structure_of


def markdown_structure(markdown: str) -> list[tuple[str, ...]]:
    """The elements of a Markdown text, in order, with link targets and code content."""
    return structure_of(markdown_parser(record=False).parse(markdown))

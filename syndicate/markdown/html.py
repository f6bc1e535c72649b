"""Markdown -> HTML that is safe to hand to partners, and plain text.

markdown-it renders (raw HTML passes through CommonMark by design), then nh3 (the Rust
ammonia sanitizer) keeps only an allow-list of tags and attributes, drops scripts, event
handlers and ``javascript:`` links, and adds ``rel="noopener noreferrer"`` to links.
"""

from __future__ import annotations

import re

from syndicate.markdown.segment import markdown_parser

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "s",
    "del",
    "a",
    "img",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "sup",
    "sub",
    "input",  # a GFM task's check box (disabled)
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "id"},  # ids: GFM footnotes link back and forth
    "li": {"id"},
    "input": {"checked"},  # and type="checkbox" only, always disabled: see to_html
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def to_html(markdown: str) -> str:
    """The body as sanitized HTML."""
    import nh3

    raw = markdown_parser(record=False).render(markdown)
    return str(
        nh3.clean(
            raw,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            # A GFM task's check box; any <input> is disabled: never a live form field. (One
            # attribute set: nh3 orders several set ones differently from run to run.)
            tag_attribute_values={"input": {"type": {"checkbox"}}},
            set_tag_attribute_values={"input": {"disabled": ""}},
            link_rel="noopener noreferrer",
        )
    )


def to_text(html: str) -> str:
    """Plain text of sanitized HTML, whitespace collapsed."""
    import html as html_lib

    return _SPACES.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()

"""Markdown -> HTML that is safe to hand to partners, and plain text.

markdown-it renders (raw HTML passes through CommonMark by design), then nh3 (the Rust
ammonia sanitizer) keeps only an allow-list of tags and attributes, drops scripts, event
handlers and ``javascript:`` links, and adds ``rel="noopener noreferrer"`` to links.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def to_html(markdown: str) -> str:
    """The body as sanitized HTML."""
    return _clean(markdown_parser(record=False).render(markdown))


def _clean(html: str, attribute_filter: Callable[[str, str, str], str | None] | None = None) -> str:
    import nh3

    return str(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
            attribute_filter=attribute_filter,
        )
    )


def resolve_links(html: str, absolute: Callable[[str], str]) -> str:
    """Sanitized HTML with every link and image address passed through ``absolute``; what
    ``absolute`` raises is raised here (nh3 would swallow it inside its callback)."""
    failures: list[Exception] = []

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if (tag, attribute) in (("a", "href"), ("img", "src")):
            try:
                return absolute(value)
            except Exception as exc:  # raised again below, outside nh3
                failures.append(exc)
        return value

    resolved = _clean(html, rewrite)
    if failures:
        raise failures[0]
    return resolved


def to_text(html: str) -> str:
    """Plain text of sanitized HTML, whitespace collapsed."""
    import html as html_lib

    return _SPACES.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()

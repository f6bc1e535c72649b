"""Markdown -> HTML that is safe to hand to partners, and plain text.

markdown-it renders (raw HTML passes through CommonMark by design), then nh3 (the Rust
ammonia sanitizer) keeps only an allow-list of tags and attributes, drops scripts, event
handlers and ``javascript:`` links, and adds ``rel="noopener noreferrer"`` to links.

One policy for every format a partner receives: the raw HTML of a Markdown delivery goes
through the same allow-list (``sanitize_markdown``), and ``removed`` says what the policy
took out of an article (an embedded video's iframe included), so that nobody loses it
without a word.
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
    "input",  # a GFM task's check box (disabled)
    "section",  # GFM footnotes: their list
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang", "id"},  # ids: GFM footnotes link back and forth
    "li": {"id"},
    "input": {"checked"},  # and type="checkbox" only, always disabled: see to_html
    "img": {"src", "alt", "title", "width", "height"},
    # A GFM column's alignment: markdown-it writes style="text-align:right"; only that
    # declaration passes (``alignment``), so a style cannot position, hide or load.
    "th": {"align", "style"},
    "td": {"align", "style"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
# nh3 keeps these CSS properties of an allowed style attribute and drops the others...
STYLE_PROPERTIES = {"text-align"}
# ...and of text-align, these values only (the ones a GFM delimiter row can say).
ALIGNMENTS = ("left", "center", "right")
# The classes markdown-it gives GFM footnotes and task lists: kept so that a partner's style
# sheet can tell them apart; any other class is dropped (nh3's allowed_classes).
ALLOWED_CLASSES = {
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "ul": {"contains-task-list"},
    "li": {"footnote-item", "task-list-item"},
    "input": {"task-list-item-checkbox"},
}
URL_SCHEMES = {"http", "https", "mailto"}
INPUT_TYPES = {"checkbox"}  # a GFM task's check box; an <input> is always disabled
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def to_html(markdown: str) -> str:
    """The body as sanitized HTML."""
    return _clean(markdown_parser(record=False).render(markdown))


def _clean(html: str, attribute_filter: Callable[[str, str, str], str | None] | None = None) -> str:
    import nh3

    def policy(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "style":
            return alignment(value)
        return attribute_filter(tag, attribute, value) if attribute_filter else value

    return str(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            # A GFM task's check box; any <input> is disabled: never a live form field. (One
            # attribute set: nh3 orders several set ones differently from run to run.)
            tag_attribute_values={"input": {"type": INPUT_TYPES}},
            set_tag_attribute_values={"input": {"disabled": ""}},
            link_rel="noopener noreferrer",
            allowed_classes=ALLOWED_CLASSES,
            filter_style_properties=STYLE_PROPERTIES,
            attribute_filter=policy,
        )
    )


def alignment(style: str) -> str | None:
    """A style attribute as the policy keeps it: a table cell's alignment alone, written as
    markdown-it writes it (``text-align:right``), or nothing."""
    for name, value in _declarations(style):
        if name == "text-align" and value in ALIGNMENTS:
            return f"text-align:{value}"
    return None


def _declarations(style: str) -> list[tuple[str, str]]:
    """A style attribute's (property, value) pairs, lowercased: enough to tell alignment."""
    pairs = (d.partition(":") for d in style.split(";") if d.strip())
    return [(name.strip().lower(), value.strip().lower()) for name, _, value in pairs]


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


def sanitize_markdown(markdown: str) -> str:
    """Markdown whose raw HTML (blocks and inline tags) keeps only what ``to_html`` keeps;
    the rest of the text, code included, is left byte for byte."""
    if "<" not in markdown:
        return markdown  # no raw HTML: most articles; spare them a parse
    lines = markdown.splitlines(keepends=True)
    changed = False
    for tok in markdown_parser(record=False).parse(markdown):
        if tok.map is None:
            continue
        first, last = tok.map
        if tok.type == "html_block":
            if "".join(lines[first:last]) == tok.content:  # at the top: the block at once
                cleaned = [_clean(tok.content)] + [""] * (last - first - 1)
            else:  # in a list or a quote: each line after its container's prefix
                cleaned = [
                    _clean_line(line, c)
                    for line, c in zip(
                        lines[first:last], tok.content.splitlines(keepends=True), strict=False
                    )
                ]
                cleaned += lines[first + len(cleaned) : last]
            if cleaned != lines[first:last]:
                lines[first:last] = cleaned
                changed = True
        elif tok.type == "inline" and any(c.type == "html_inline" for c in tok.children or ()):
            text = "".join(lines[first:last])
            out, cursor = [], 0
            for child in tok.children or ():
                if child.type not in ("html_inline", "code_inline") or not child.content:
                    continue
                at = text.find(child.content, cursor)
                if at < 0:
                    continue
                out.append(text[cursor:at])
                kept = _inline_tag(child.content) if child.type == "html_inline" else None
                out.append(child.content if kept is None else kept)
                cursor = at + len(child.content)
            out.append(text[cursor:])
            joined = "".join(out)
            if joined != text:
                lines[first:last] = [joined] + [""] * (last - first - 1)
                changed = True
    return "".join(lines) if changed else markdown


def _clean_line(line: str, content: str) -> str:
    stripped = content.rstrip("\r\n")
    at = line.rfind(stripped) if stripped else -1
    if at < 0:
        return line
    return line[:at] + _clean(stripped) + line[at + len(stripped) :]


_TAG_NAME = re.compile(r"^</?([A-Za-z][A-Za-z0-9-]*)")


def _inline_tag(raw: str) -> str:
    """An inline raw HTML tag as the allow-list keeps it: itself, rebuilt, or nothing."""
    name = _TAG_NAME.match(raw)
    if name is None or name.group(1).lower() not in ALLOWED_TAGS:
        return ""  # a tag not allowed, a comment, a declaration: its text content stays
    if raw.startswith("</"):
        return f"</{name.group(1).lower()}>"
    rebuilt = re.match(r"^<[^>]*>", _clean(raw))
    return rebuilt.group(0) if rebuilt else ""


def removed(markdown: str) -> tuple[str, ...]:
    """What the policy takes out of an article's HTML: elements, attributes, links."""
    from lxml import html as lhtml

    if "<" not in markdown:
        return ()
    raw = markdown_parser(record=False).render(markdown)
    if "<" not in raw:
        return ()
    found: dict[str, None] = {}
    for element in lhtml.fragment_fromstring(raw, create_parent="div").iter():
        tag = element.tag if isinstance(element.tag, str) else "comment"
        if tag == "div" and element.getparent() is None:
            continue
        if tag not in ALLOWED_TAGS:
            source = element.get("src") or element.get("data") or ""
            found[f"<{tag} src={source}>" if source else f"<{tag}>"] = None
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for key, value in element.attrib.items():
            if key in ("href", "src") and key in allowed:
                scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
                if scheme and scheme not in URL_SCHEMES and "/" not in scheme:
                    found[f"{scheme}: {key} on <{tag}>"] = None
            elif key == "class":
                if set(value.split()) - ALLOWED_CLASSES.get(tag, set()):
                    found[f"class on <{tag}>"] = None
            elif key == "style" and key in allowed:
                kept = alignment(value)
                if len(_declarations(value)) > (kept is not None):  # more than the alignment
                    found[f"style on <{tag}>"] = None
            elif (tag, key) == ("input", "type"):
                if value.lower() not in INPUT_TYPES:
                    found[f"type={value} on <input>"] = None
            elif key not in allowed and (tag, key) != ("input", "disabled"):  # always set
                found[f"{key} on <{tag}>"] = None
    return tuple(found)


def to_text(html: str) -> str:
    """Plain text of sanitized HTML, whitespace collapsed."""
    import html as html_lib

    return _SPACES.sub(" ", html_lib.unescape(_TAG.sub(" ", html))).strip()

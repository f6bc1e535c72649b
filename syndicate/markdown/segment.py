"""Article text <-> segments with placeholders, byte-faithfully.

markdown-it-py gives the blocks, but not where inline markup sits in the source: its
tokens hold decoded text (escapes and entities resolved, soft breaks trimmed). So the
inline rules are wrapped to record the source span each one consumed, and a post-rule
snapshots which emphasis delimiters became markup before ``fragments_join`` merges them
away. Nothing else in the ecosystem does this byte-faithfully (mdpo and translate-toolkit
re-render the document), hence this module. It relies on markdown-it-py internals and on
the names of mdit-py-plugins' GFM rules, so both minor versions are pinned and the
CommonMark and cmark-gfm corpus tests guard them.

A document is literal text plus segment slots: every byte outside a segment is copied as
is, and a segment not translated is copied from the source, so the identity round trip is
exact by construction. Inside a segment, code spans, images, autolinks (GFM's bare
addresses and URLs too), footnote references, raw HTML, entities, escapes, hard breaks,
URLs and shortcut references are opaque placeholders; links and emphasis become open/close
pairs around text the engine translates; soft line breaks become spaces (engines cannot be
trusted with line breaks). Task list marks and footnote labels of definitions are outside
the inline text, so they stay literal.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from syndicate.errors import InputError
from syndicate.placeholders import TOKEN_RE, fill, token
from syndicate.types import Article, Placeholder, Segment

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

_RECORDED = (
    "escape",
    "backticks",
    "strikethrough",
    "emphasis",
    "link",
    "image",
    "autolink",
    "html_inline",
    "entity",
    "newline",
    # GitHub-flavoured Markdown (mdit-py-plugins' gfm plugin): autolinks and footnote labels
    # are opaque like CommonMark's autolinks.
    "gfm_autolink_www",
    "gfm_autolink_protocol",
    "gfm_autolink_email",
    "footnote_ref",
)
# These find their start by taking back text the text rule had already consumed.
_BACK_SCANNING = frozenset({"gfm_autolink_protocol", "gfm_autolink_email"})
_DELIMITER_RULES = ("emphasis", "strikethrough")
_MARKUP_TYPES = frozenset(
    {"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"}
)
# "[label](destination)" left as text: a destination with balanced parentheses, one deep.
_LINK_TEXT_RE = re.compile(r"!?\[[^\[\]\ufffc]*\]\(((?:[^()\s\ufffc]|\([^()\s\ufffc]*\))*)\)")
# Bare URLs the parser left as text (front matter; ``ftp://``, which cmark-gfm links and
# mdit-py-plugins does not), and ``&name;`` that is no entity: GitHub ends an autolink
# before it, and a translated name would join the link.
_URL_RE = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>⟦⟧\ufffc]*[^\s<>⟦⟧\ufffc.,;:!?)\]'\"”’]|&[A-Za-z0-9]+;"
)
# A bare e-mail address whose local part has escapes in it (tokens, masked).
_ESCAPED_ADDRESS_RE = re.compile(
    r"[A-Za-z0-9._+-]*\ufffc[A-Za-z0-9._+\-\ufffc]*@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+"
)
_ALT_MARKUP = re.compile(r"[\\`*_\[\]<>&!~\n]")
_TAIL_RE = re.compile(r"[ \t]*\Z")
_ATX_TAIL_RE = re.compile(r"(?:[ \t]+#+)?[ \t]*\Z")
# A brace block ending a heading's text, after a space, with no markup inside (tokens are
# masked): a candidate attribute block (``## Peta {#peta}``).
_HEADING_ATTRS_RE = re.compile(r"(?:\A|[ \t])(\{[^{}\ufffc\n]*\})[ \t]*\Z")


@dataclass(slots=True)
class _Span:
    rule: str
    start: int  # offsets into the inline content
    end: int
    label_end: int = -1
    tokens: list[tuple[Token, str]] = field(default_factory=list)  # with content at push time
    markup: list[bool] = field(default_factory=list)  # per token, after post-processing


@dataclass(frozen=True, slots=True)
class Document:
    """An article's text and its segments, in order and without overlaps."""

    text: str
    segments: tuple[Segment, ...]
    # The body's Markdown structure (``structure.markdown_structure``), from the parse
    # that found the segments: the QA check compares the translation's with it.
    structure: tuple[tuple[str, ...], ...] = ()

    def reassemble(self, translations: Mapping[int, str]) -> str:
        """The text with segment ``i`` replaced by ``translations[i]`` (a template).

        Segments without a translation are copied from the source, byte for byte.
        """
        return self._joined(self.written(translations))

    def written(self, translations: Mapping[int, str]) -> dict[int, str]:
        """Each translated segment as it is written into the text (``render``)."""
        return {
            i: render(seg, translations[i])
            for i, seg in enumerate(self.segments)
            if i in translations
        }

    def _joined(self, rendered: Mapping[int, str]) -> str:
        out: list[str] = []
        pos = 0
        for i, seg in enumerate(self.segments):
            out.append(self.text[pos : seg.start])
            out.append(rendered.get(i, seg.source))
            pos = seg.end
        out.append(self.text[pos:])
        return "".join(out)

    def reassembled(
        self,
        article: Article,
        translations: Mapping[int, str],
        written: Mapping[int, str] | None = None,
    ) -> Article:
        """``reassemble`` as an article: the new text, its front matter's spans moved
        along the edits and its translated values set, as ``parse_article`` of the new text
        gives them, without parsing that YAML again (``test_reassembled_article_...``).
        ``written`` is ``written(translations)``, when the caller has it already."""
        rendered = self.written(translations) if written is None else written
        text = self._joined(rendered)
        front = article.front_matter
        if front is None:
            return Article(text, 0, None, article.path)
        moved: list[tuple[int, int]] = []  # (old end of an edit, shift from there on)
        new_spans: dict[tuple[int, int], tuple[int, int, str]] = {}
        shift = 0
        for i, seg in enumerate(self.segments):
            new = rendered.get(i)
            if new is None:
                continue
            value = new[: len(new) - len(seg.suffix)] if seg.suffix else new
            start = seg.start + shift
            new_spans[(seg.start, seg.end)] = (start, start + len(value), value)
            shift += len(new) - (seg.end - seg.start)
            moved.append((seg.end, shift))
        ends = [end for end, _ in moved]

        def at(pos: int) -> int:
            k = bisect.bisect_right(ends, pos)
            return pos + (moved[k - 1][1] if k else 0)

        data: dict[str, Any] = dict(front.data)
        fields = []
        for f in front.fields:
            span = new_spans.get((f.start, f.end))
            if span is None:
                fields.append(replace(f, start=at(f.start), end=at(f.end)))
                continue
            value = json.loads(span[2])
            if value.strip():  # an empty value is no field to translate
                fields.append(replace(f, value=value, start=span[0], end=span[1], suffix=""))
            data = _with_value(data, f.key.split("."), value)
        scalars = {key: (at(start), at(end)) for key, (start, end) in front.scalars.items()}
        for f in front.fields:
            if "." not in f.key and (f.start, f.end) in new_spans:
                scalars[f.key] = new_spans[(f.start, f.end)][:2]
        new_front = replace(
            front,
            end=at(front.end),
            data=data,
            fields=tuple(fields),
            scalars=scalars,
        )
        return Article(text, at(article.body_start), new_front, article.path)


def _with_value(data: Any, path: list[str], value: str) -> Any:
    """``data`` with the value at ``path`` (keys, list indices) replaced, copied along it."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, list):
        copy = list(data)
        copy[int(head)] = _with_value(copy[int(head)], rest, value)
        return copy
    return {**data, head: _with_value(data[head], rest, value)}


def filled(seg: Segment, template: str) -> str:
    """A translated template with its tokens written back as their markup."""
    return fill(template, {p.index: p.source for p in seg.placeholders})


def render(seg: Segment, template: str) -> str:
    """A translated template as it is written into the document (``filled``, and quoted
    for a front matter value)."""
    text = filled(seg, template)
    if seg.quoted:
        return json.dumps(text, ensure_ascii=False) + seg.suffix
    return text


def segment_article(article: Article) -> Document:
    """Find every translatable segment of an article: front matter fields and body text."""
    segments: list[Segment] = []
    if article.front_matter:
        for f in article.front_matter.fields:
            template, placeholders = _protect_urls(f.value, [])
            segments.append(
                Segment(
                    start=f.start,
                    end=f.end,
                    source=article.text[f.start : f.end],
                    template=template,
                    placeholders=tuple(placeholders),
                    where=f"front matter {f.key}",
                    quoted=True,
                    suffix=f.suffix,
                )
            )
    body, tokens = _segments(
        article.body,
        offset=article.body_start,
        name=article.path or "<stdin>",
        line_offset=article.text.count("\n", 0, article.body_start),
    )
    segments.extend(body)
    return Document(article.text, tuple(segments), tuple(structure_of(tokens)))


def segment_markdown(
    text: str, *, offset: int = 0, name: Path | str = "<input>", line_offset: int = 0
) -> list[Segment]:
    """Segments of a Markdown text; their offsets are into ``text`` plus ``offset``.

    Raises ``InputError`` (naming ``name`` and the line) for blocks nested deeper than the
    parser follows: markdown-it stops there and the text inside would silently go untranslated.
    """
    return _segments(text, offset=offset, name=name, line_offset=line_offset)[0]


def _segments(
    text: str, *, offset: int, name: Path | str, line_offset: int
) -> tuple[list[Segment], list[Token]]:
    norm, to_orig = _normalize(text)
    env: dict[str, Any] = {}
    md = _markdown()
    tokens = md.parse(norm, env)
    _check_nesting(tokens, md.options["maxNesting"], name, line_offset)
    # Keyed by inline token: the footnote rule moves definitions to the end of the token
    # stream after inline parsing, so the order is not the parse order.
    per_inline: dict[int, list[_Span]] = env.get("_per_inline", {})
    lines = _LineIndex(norm)
    segments: list[Segment] = []
    columns: dict[int, int] = {}  # table row line -> the cells met on it so far
    rows: dict[int, int] = env.get("_rows", {})  # table row line -> where the row starts
    for i, tok in enumerate(tokens):
        if tok.type != "inline":
            continue
        parent = tokens[i - 1].type if i else ""
        column = -1
        if parent in ("td_open", "th_open") and tok.map:  # every cell counts, empty or not
            column = columns.get(tok.map[0], 0)
            columns[tok.map[0]] = column + 1
        spans = per_inline.get(id(tok), [])
        if not tok.map or not tok.content.strip():
            continue
        if column >= 0:
            row = rows.get(tok.map[0])
            starts = _locate_cell(tok.content, tok.map[0], lines, column, row)
        else:
            starts = _locate_lines(tok.content, tok.map[0], lines, parent == "heading_open")
        if starts is None:
            continue  # content not found literally (tabs expanded, escaped pipes): keep as is
        seg = _build_segment(text, tok.content, spans, starts, to_orig, offset)
        if seg is not None and parent == "heading_open":
            seg = _protect_heading_attributes(seg)
        if seg is not None:
            segments.append(seg)
    # Footnote definitions come last in the token stream, wherever they are in the text.
    segments.sort(key=lambda seg: seg.start)
    return segments, tokens


def _check_nesting(tokens: Sequence[Token], limit: int, name: Path | str, line_offset: int) -> None:
    for tok in tokens:
        if tok.nesting == 1 and tok.level >= limit - 1:
            raise InputError(
                name,
                f"has lists or quotes nested more than {limit - 1} levels deep",
                line=line_offset + (tok.map[0] + 1 if tok.map else 1),
                hint="flatten them; text nested deeper would be left untranslated",
            )


# --- structure ------------------------------------------------------------------------

_WORDS = frozenset({"text", "softbreak"})
_KEPT_ATTRS = ("href", "src")
# GFM: a task's check mark and a footnote's label (the key that joins reference and
# definition) are structure too.
_KEPT_META = ("checked", "label")
_VERBATIM = frozenset({"code_inline", "code_block", "fence", "html_block", "html_inline"})


def structure_of(tokens: Iterable[Token]) -> list[tuple[str, ...]]:
    """The elements of parsed Markdown, in order, with link targets and code content (see
    ``structure.markdown_structure``); the recording parser's tokens are the plain one's."""
    out: list[tuple[str, ...]] = []
    for tok in tokens:
        if tok.type in _WORDS:
            continue
        attrs = tok.attrs or {}
        entry = [tok.type, tok.tag]
        entry += [f"{k}={attrs[k]}" for k in _KEPT_ATTRS if k in attrs]
        meta = tok.meta or {}
        entry += [f"{k}={meta[k]}" for k in _KEPT_META if k in meta]
        if tok.type in _VERBATIM:
            entry.append(tok.content)
        out.append(tuple(entry))
        if tok.children:
            out += structure_of(tok.children)
    return out


# --- parser with span recording -------------------------------------------------------


@cache
def markdown_parser(*, record: bool = False) -> MarkdownIt:
    """The Markdown dialect syndicate reads: CommonMark plus GitHub's extensions (tables,
    strikethrough, task lists, extended autolinks, footnotes, alerts), as mdit-py-plugins'
    ``gfm_plugin`` implements them."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark").use(gfm_plugin)
    md.inline.ruler.before("emphasis", "syndicate_email_underscore", _email_underscore)
    return _with_recording(md) if record else md


# The local part of an e-mail address up to an underscore, and what follows it to the domain.
_LOCAL_TAIL_RE = re.compile(r"[A-Za-z0-9._+-]*@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+")
_LOCAL_CHAR_RE = re.compile(r"[A-Za-z0-9.+-]\Z")


def _email_underscore(state: StateInline, silent: bool) -> bool:
    """An underscore inside an e-mail address's local part is text (``humas_bi@bi.go.id``).

    gfm_autolink's e-mail rule takes the local part back from the pending text, but the
    emphasis rule has already taken ``_`` as a delimiter, so the link would start after it
    and the rest be translated; cmark-gfm links the whole address. Only an underscore
    between address characters is kept for the e-mail rule: emphasis around an address
    (``_a@b.example_``) is untouched.
    """
    src, pos = state.src, state.pos
    if src[pos] != "_" or not _LOCAL_CHAR_RE.search(state.pending):
        return False
    if not _LOCAL_TAIL_RE.match(src, pos, state.posMax):
        return False
    if not silent:
        state.pending += "_"
    state.pos += 1
    return True


def _markdown() -> MarkdownIt:
    return markdown_parser(record=True)


def _with_recording(md: MarkdownIt) -> MarkdownIt:
    for rule in md.inline.ruler.__rules__:
        if rule.name in _RECORDED:
            rule.fn = _recording(rule.name, rule.fn)
    md.inline.ruler.__cache__ = None  # the rule chain caches functions: rebuild it
    for block in md.block.ruler.__rules__:
        if block.name == "table":
            block.fn = _recording_rows(block.fn)
    md.block.ruler.__cache__ = None
    md.inline.ruler2.before("fragments_join", "syndicate_snapshot", _snapshot)
    inner_parse = md.inline.parse

    def parse(src: str, md_: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        stack: list[list[_Span]] = env.setdefault("_stack", [])
        stack.append([])
        try:
            return inner_parse(src, md_, env, tokens)
        finally:
            recorded = stack.pop()
            if not stack:  # nested parses (image alt text) are not segments of their own
                env["_recorded"] = recorded

    def core_inline(state: StateCore) -> None:
        # markdown-it's own core rule, which also files each inline token's spans under the
        # token: core rules after it replace children lists and move tokens (footnotes).
        for tok in state.tokens:
            if tok.type == "inline":
                if tok.children is None:
                    tok.children = []
                state.md.inline.parse(tok.content, state.md, state.env, tok.children)
                state.env.setdefault("_per_inline", {})[id(tok)] = state.env.pop("_recorded")

    md.inline.parse = parse  # type: ignore[method-assign,assignment]
    md.core.ruler.at("inline", core_inline)
    return md


def _recording_rows(
    fn: Callable[[StateBlock, int, int, bool], bool],
) -> Callable[[StateBlock, int, int, bool], bool]:
    """The table rule, also filing where each of its rows starts (after the markers of the
    quotes, list items or footnotes it is inside): cells are split from there."""

    def table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        found = fn(state, start, end, silent)
        if found and not silent:
            rows: dict[int, int] = state.env.setdefault("_rows", {})
            for line in range(start, state.line):
                rows[line] = state.bMarks[line] + state.tShift[line]
        return found

    return table


def _recording(
    name: str, fn: Callable[[StateInline, bool], bool]
) -> Callable[[StateInline, bool], bool]:
    def wrapped(state: StateInline, silent: bool) -> bool:
        if silent:
            return fn(state, silent)
        start, before, pending = state.pos, len(state.tokens), len(state.pending)
        label_end = -1
        # Only where a label can start: parseLinkLabel scans to the end of the text, so
        # calling it at every position made long paragraphs quadratic (found by fuzzing).
        if name == "link" and state.src.startswith("[", start):
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
        elif name == "image" and state.src.startswith("![", start) and start + 1 < state.posMax:
            label_end = state.md.helpers.parseLinkLabel(state, start + 1, False)
        ok = fn(state, silent)
        if ok:
            if name in _BACK_SCANNING and pending:
                # The rule took its start (``https``, an address's local part) back from
                # the pending text and flushed the rest into a text token: the span starts
                # where that text ends.
                first = state.tokens[before] if len(state.tokens) > before else None
                flushed = len(first.content) if first is not None and first.type == "text" else 0
                start -= pending - flushed
            # The first push() flushes pending text into a token of its own: not ours.
            skip = 1 if pending and name in _DELIMITER_RULES else 0
            pushed = [(t, t.content) for t in state.tokens[before + skip :]]
            state.env["_stack"][-1].append(_Span(name, start, state.pos, label_end, pushed))
        return ok

    return wrapped


def _snapshot(state: StateInline) -> None:
    # Runs after emphasis post-processing, before fragments_join rewrites token contents.
    for span in state.env["_stack"][-1]:
        if span.rule in _DELIMITER_RULES:
            span.markup = [t.type in _MARKUP_TYPES or t.content == "" for t, _ in span.tokens]


# --- locating inline content in the source ----------------------------------------------


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, n: int) -> tuple[int, str]:
        if n >= len(self.starts):
            return len(self.text), ""
        start = self.starts[n]
        end = self.text.find("\n", start)
        return start, self.text[start : end if end >= 0 else len(self.text)]


def _protect_heading_attributes(seg: Segment) -> Segment:
    """A heading's trailing attribute block (Pandoc's and Hugo's ``## Peta {#peta .a}``) as
    one placeholder: it is an anchor that links point to, never words to translate.

    mdit-py-plugins' attrs plugins read attributes after inline elements and on a line of
    their own before a block, not at the end of a heading, and enabling them would change
    how other text parses; its attribute parser decides what is a valid block here."""
    from mdit_py_plugins.attrs.parse import ParseError, parse

    found = _HEADING_ATTRS_RE.search(masked(seg.template))
    if found is None:
        return seg
    block = seg.template[found.start(1) : found.end(1)]
    try:
        end, _ = parse(block)
    except ParseError:
        return seg
    if end != len(block) - 1:  # the block must be all of the braces' text
        return seg
    span = (found.start(1), found.end(1), Placeholder(0, "standalone", block))
    template, placeholders = protect_spans(seg.template, seg.placeholders, [span])
    return seg.with_template(template, tuple(placeholders))


def _locate_lines(
    content: str, first_line: int, lines: _LineIndex, heading: bool
) -> list[int] | None:
    """Where each line of a paragraph's or heading's content starts in the source."""
    starts = []
    parts = content.split("\n")
    for n, part in enumerate(parts):
        line_start, line = lines.line(first_line + n)
        tail = _ATX_TAIL_RE if heading and n == len(parts) - 1 else _TAIL_RE
        end = len(line)
        while True:
            j = line.rfind(part, 0, end)
            if j < 0:
                return None
            if tail.fullmatch(line, j + len(part)):
                break
            end = j + len(part) - 1
        starts.append(line_start + j)
    return starts


def _locate_cell(
    content: str, line_no: int, lines: _LineIndex, column: int, row: int | None
) -> list[int] | None:
    """Where a table cell's content starts in the source: searched for inside its own
    column of the row that starts at ``row`` (an offset into the text). (Searched from
    the end of the cell before, a cell's text was found inside an earlier cell that had
    not been located, an escaped pipe in it, and its translation written there.)"""
    if "\n" in content or row is None:
        return None
    line_start, line = lines.line(line_no)
    bounds = _cell_bounds(line, row - line_start)
    if column >= len(bounds):
        return None
    begin, end = bounds[column]
    j = line.find(content, begin, end)
    return None if j < 0 else [line_start + j]


def _cell_bounds(line: str, begin: int) -> list[tuple[int, int]]:
    """Where each cell of a table row is in its line, as markdown-it's table rule splits
    it: the row (from ``begin``) trimmed, split at pipes not after a backslash, an empty
    first and last part dropped."""
    from markdown_it.common.utils import MD_TRIM_CHARS

    text = line[begin:].strip(MD_TRIM_CHARS)
    offset = line.index(text, begin) if text else begin
    bounds: list[tuple[int, int]] = []
    start = 0
    for pos, ch in enumerate(text):
        if ch == "|" and (pos == 0 or text[pos - 1] != "\\"):
            bounds.append((start, pos))
            start = pos + 1
    bounds.append((start, len(text)))
    if bounds and bounds[0][0] == bounds[0][1]:
        bounds.pop(0)
    if bounds and bounds[-1][0] == bounds[-1][1]:
        bounds.pop()
    return [(offset + a, offset + b) for a, b in bounds]


# --- building one segment -----------------------------------------------------------------


def _build_segment(
    text: str,
    content: str,
    spans: Sequence[_Span],
    starts: Sequence[int],
    to_orig: Callable[[int], int],
    offset: int,
) -> Segment | None:
    line_offsets = [0]
    for part in content.split("\n")[:-1]:
        line_offsets.append(line_offsets[-1] + len(part) + 1)

    def src(pos: int) -> int:  # content offset -> original text offset
        n = bisect.bisect_right(line_offsets, pos) - 1
        return to_orig(starts[n] + pos - line_offsets[n])

    pieces = list(_pieces(content, spans))
    template: list[str] = []
    placeholders: list[Placeholder] = []
    cursor = 0
    for start, end, kind in pieces:
        template.append(content[cursor:start])
        if kind == "soft":
            template.append(" ")
        else:
            index = len(placeholders) + 1
            placeholders.append(Placeholder(index, kind, text[src(start) : src(end)]))
            template.append(token(index))
        cursor = end
    template.append(content[cursor:])
    joined, placeholders = _protect_urls("".join(template), placeholders)
    begin, finish = src(0), src(len(content))
    return Segment(
        start=offset + begin,
        end=offset + finish,
        source=text[begin:finish],
        template=joined,
        placeholders=tuple(_pair(placeholders)),
    )


def _pieces(content: str, spans: Sequence[_Span]) -> Iterator[tuple[int, int, Any]]:
    """The markup pieces of an inline content, in order: (start, end, kind)."""
    raw: list[tuple[int, int, str]] = []
    for span in spans:
        raw.extend(_span_pieces(content, span))
    raw.sort(key=lambda p: (p[0], -p[1]))
    covered = 0
    for start, end, kind in raw:
        if start < covered:
            continue  # inside an opaque piece (a shortcut reference's label, say)
        if kind in ("standalone", "break", "soft"):
            covered = end
        yield start, end, kind


def _span_pieces(content: str, span: _Span) -> Iterator[tuple[int, int, str]]:
    rule, start, end = span.rule, span.start, span.end
    if rule == "newline":
        hard = any(t.type == "hardbreak" for t, _ in span.tokens)
        while start > 0 and content[start - 1] == " ":
            start -= 1
        yield start, end, "break" if hard else "soft"
    elif rule == "escape":
        hard = any(t.type == "hardbreak" for t, _ in span.tokens)
        yield start, end, "break" if hard else "standalone"
    elif rule in _DELIMITER_RULES:
        yield from _delimiter_pieces(span)
    elif rule in ("link", "image"):
        label_end = span.label_end
        after = content[label_end + 1 : end] if label_end >= 0 else ""
        inline = after.startswith("(") and after.endswith(")")
        full_ref = after.startswith("[") and after != "[]"
        label_start = start + (2 if rule == "image" else 1)
        simple_alt = rule == "link" or not _ALT_MARKUP.search(content, label_start, label_end)
        if (inline or full_ref) and simple_alt and label_end > label_start:
            yield start, label_start, "open"
            yield label_end, end, "close"
        else:
            yield start, end, "standalone"
    else:
        yield start, end, "standalone"


def _delimiter_pieces(span: _Span) -> Iterator[tuple[int, int, str]]:
    pos = span.start
    run_start: int | None = None
    kinds: set[str] = set()
    for (tok, pushed), markup in zip(
        span.tokens, span.markup or [False] * len(span.tokens), strict=True
    ):
        if markup:
            if run_start is None:
                run_start, kinds = pos, set()
            if tok.type.endswith("_open"):
                kinds.add("open")
            elif tok.type.endswith("_close"):
                kinds.add("close")
        elif run_start is not None:
            yield run_start, pos, kinds.pop() if len(kinds) == 1 else "standalone"
            run_start = None
        pos += len(pushed)
    if run_start is not None:
        yield run_start, pos, kinds.pop() if len(kinds) == 1 else "standalone"


def _pair(placeholders: list[Placeholder]) -> list[Placeholder]:
    """Match opens with closes; a segment whose runs do not pair one to one gets no partners.

    Kinds stay as they are: an open run still loses the spaces an engine puts after it.
    """
    partner: dict[int, int] = {}
    stack: list[int] = []
    for p in placeholders:
        if p.kind == "open":
            stack.append(p.index)
        elif p.kind == "close":
            if not stack:
                break
            opener = stack.pop()
            partner[opener], partner[p.index] = p.index, opener
    else:
        if not stack:
            return [
                Placeholder(p.index, p.kind, p.source, partner.get(p.index)) for p in placeholders
            ]
    return [Placeholder(p.index, p.kind, p.source) for p in placeholders]


def _protect_urls(template: str, placeholders: list[Placeholder]) -> tuple[str, list[Placeholder]]:
    """Bare URLs in the text travel as placeholders too, and so does text the parser refused
    as a link (``[tautan](javascript:alert(1))``): an engine that translated its scheme
    would make a working link of it."""
    template, placeholders = _escaped_addresses(template, placeholders)
    text = masked(template)
    validate = _markdown().validateLink
    spans = [
        (m.start(), m.end(), Placeholder(0, "standalone", m.group(0)))
        for m in _LINK_TEXT_RE.finditer(text)
        if not validate(m.group(1).strip())
    ]
    taken = [(start, end) for start, end, _ in spans]
    spans += [
        (m.start(), m.end(), Placeholder(0, "standalone", m.group(0)))
        for m in _URL_RE.finditer(text)
        if not any(start < m.end() and m.start() < end for start, end in taken)
    ]
    return protect_spans(template, placeholders, sorted(spans, key=lambda span: span[0]))


def _escaped_addresses(
    template: str, placeholders: list[Placeholder]
) -> tuple[str, list[Placeholder]]:
    """An address with an escape in it (``foo\\+@bar.example.com``) as one placeholder.

    markdown-it leaves it text (the escape interrupts the address); GitHub's renderer
    resolves the escape first and links the address, so its local part must not be
    translated either.
    """
    for m in _ESCAPED_ADDRESS_RE.finditer(masked(template)):
        by_index = {p.index: p for p in placeholders}
        inside = [
            by_index[int(t.group(1))] for t in TOKEN_RE.finditer(template, m.start(), m.end())
        ]
        if not all(p.kind == "standalone" and p.source.startswith("\\") for p in inside):
            continue
        source = fill(template[m.start() : m.end()], {p.index: p.source for p in inside})
        # The escapes' tokens give way to one placeholder whose source holds them.
        text = template[: m.start()] + "\ufffc" * len(source) + template[m.end() :]
        span = (m.start(), m.start() + len(source), Placeholder(0, "standalone", source))
        kept = [p for p in placeholders if p not in inside]
        return _escaped_addresses(*protect_spans(text, kept, [span]))
    return template, placeholders


def protect_spans(
    template: str,
    placeholders: Sequence[Placeholder],
    spans: Sequence[tuple[int, int, Placeholder]],
) -> tuple[str, list[Placeholder]]:
    """Turn spans of a template's text into the given placeholders, renumbering all in order.

    The new placeholders' indexes are assigned here; partners are renumbered to match.
    """
    if not spans:
        return template, list(placeholders)
    by_index = {p.index: p for p in placeholders}
    items = [
        (m.start(), m.end(), by_index[int(m.group(1))], True) for m in TOKEN_RE.finditer(template)
    ]
    items += [(start, end, p, False) for start, end, p in spans]
    items.sort(key=lambda item: item[0])
    out: list[str] = []
    result: list[Placeholder] = []
    renumber: dict[int, int] = {}
    pos = 0
    for start, end, placeholder, existing in items:
        out.append(template[pos:start])
        index = len(result) + 1
        if existing:
            renumber[placeholder.index] = index
        result.append(placeholder)
        out.append(token(index))
        pos = end
    out.append(template[pos:])
    final = []
    for i, p in enumerate(result, start=1):
        partner = renumber.get(p.partner) if p.partner is not None else None
        # Most keep their number (entities come after few markup tokens): no copy then,
        # the placeholder is frozen.
        final.append(p if p.index == i and p.partner == partner else p.renumbered(i, partner))
    return "".join(out), final


def masked(template: str) -> str:
    """The template with its tokens blanked out (same length), for searching its text."""
    if "⟦" not in template:  # most paragraphs: no markup, no entity yet
        return template
    return TOKEN_RE.sub(lambda m: "\ufffc" * len(m.group(0)), template)


def _normalize(text: str) -> tuple[str, Callable[[int], int]]:
    """What markdown-it parses (LF line ends, no NUL) and a map back to the original."""
    if "\r" not in text and "\0" not in text:
        return text, lambda pos: pos
    norm: list[str] = []
    back: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        back.append(i)
        if ch == "\r":
            norm.append("\n")
            i += 2 if text.startswith("\r\n", i) else 1
            continue
        norm.append("\ufffd" if ch == "\0" else ch)
        i += 1
    back.append(len(text))
    return "".join(norm), back.__getitem__


def markdown_structure(markdown: str) -> list[tuple[str, ...]]:
    """The elements of a Markdown text, in order, with link targets and code content."""
    return structure_of(markdown_parser(record=False).parse(markdown))

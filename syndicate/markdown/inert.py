"""Whether written segments provably leave an article's Markdown structure as it was.

QA compares the Markdown structure of every output with its source's, and parsing the
output again cost about a fifth of a batch job's CPU. Most translated segments only
change plain words between the same markup, and for those the answer is known without a
parse: this module says "unchanged" only when it can show it, and the QA check parses
the output whenever it cannot (``keeps_structure`` returning False is no finding).

The argument, for a body segment written as a template (``⟦n⟧`` tokens, each standing for
its placeholder's source bytes, which are written back as they were):

1. The segment has no soft line break (its template, filled, is its source bytes):
   joining lines can change a line-level construct (``| x`` and ``y`` above ``---``
   become a table's header), so such segments are always parsed.
2. The markup tokens come in the same order, and the text between two of them is empty
   exactly where the source's is.
3. The source's text between tokens is plain, and so is the written text that differs:
   no character that starts or ends an inline rule of this parser (``markdown_parser``;
   ``tests/markdown/test_inert.py`` pins its rules) or a line-level construct, no control
   or line separator, no start of a GFM autolink (the source's text may hold a ``|``
   that is a paragraph's, not a table row's). Nothing outside the tokens can then pair
   with anything, and what tokens are made of is parsed as before, provided that:
   - emphasis and strikethrough runs open or close by the class (white space,
     punctuation, other) of the characters either side, so those classes must match;
   - an autolink or a bare URL extends over what follows it, up to an ASCII space, and
     takes back what precedes it (an address's local part): that text must be the
     source's; a bare URL the parser left as text must hold no bracket, angle bracket
     or backtick (they may join text beyond the space);
   - a reference or footnote label followed by ``(``, ``[`` or ``:`` may become a link,
     an image or a definition once the text after it changes: no such label;
   - text that starts a line (the segment's first, or after any token holding a line
     break), changed or not, must not start a block or anything a change further on
     could complete: a letter, a harmless sign, a number that is no list's (``2025年``,
     not ``1.``), and a quote or parenthesis only after a blank line (on the line
     after a reference definition it opens the definition's title);
   - written text is never only white space: the parser trims a line's ends, and the
     token before would then end its line (``<b>`` alone is an HTML block).
   Placeholders rendered as text (entities, glossary terms) are text on both sides.

The property tests write random translations into cmark-gfm's spec examples and the
articles and check every "unchanged" against a parse; ``bench/fuzz/fuzz_inert.py``, a
seeded fuzzer of random documents and translations, found most of the rules above (and a
segmenter bug: a table cell's text looked for in the wrong cell), then checked about two
million "unchanged" without a wrong one. No library decides this (it is a question about
this tool's segments), hence this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from markdown_it.common.utils import MD_TRIM_CHARS, isMdAsciiPunct, isPunctChar, isWhiteSpace

from syndicate.placeholders import OPEN, TOKEN_RE, fill
from syndicate.types import Placeholder, Segment

if TYPE_CHECKING:
    from syndicate.markdown.segment import Document

# What text must not hold: a character that starts or takes part in an inline rule or a
# line-level construct, a control character (Cc), a line or paragraph separator.
_NOT_PLAIN = re.compile(r"[!#&*<>@\[\\\]^_`{|}~\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Nor the start of a GFM autolink: ``www.``, or a scheme that the rule at ``:`` takes back
# from the text before it (both compared case-sensitively by mdit-py-plugins).
_WWW = "www."
_SCHEMES = ("http", "https", "mailto", "xmpp")
# What may start a line: not white space, an ordered list's number (``1.``), a block
# marker; what opens a reference definition's title only after a blank line.
_LINE_START_SIGNS = frozenset("),./;?$%")
_TITLE_OPENERS = frozenset("\"'(")
_ORDERED = re.compile(r"[0-9]{1,9}[.)]")
_DELIMITERS = frozenset("*_~")
# A standalone placeholder starting with one of these is not an autolink or a bare URL.
_NOT_LINK_START = frozenset("`<&\\[!{*_~")
# In a bare URL the parser left as text (``ftp://``, which it does not link), what may
# join text beyond it: a label or an HTML tag or a code span begun inside it.
_CROSSING = re.compile(r"[\[\]<>`]")
# Where GFM's autolinks end (mdit-py-plugins' ``_SPACE_CHARS``): ASCII space only.
_LINK_END = frozenset(" \t\r\n\x00\x0b\x0c")
_LONGEST_INDEX = 9  # digits of a token's index that can name a placeholder


def keeps_structure(document: Document, written: Mapping[int, str]) -> bool:
    """True when writing ``written`` (segment index -> template as it is written, its
    remaining tokens filled with their placeholders' sources) into ``document`` leaves
    its body's Markdown structure as the source's; False when only a parse can tell.
    Front matter segments (quoted YAML) do not touch the body."""
    text = document.text
    for index, template in written.items():
        seg = document.segments[index]
        if seg.quoted:
            continue
        if not _inert(seg, template, _after_blank(text, seg.start), _pipes_are_text(seg, text)):
            return False
    return True


def _pipes_are_text(seg: Segment, text: str) -> bool:
    """Whether a ``|`` in the segment is a paragraph's text, not a table row's: none on
    its line outside it, none after a backslash (a cell holds a pipe only escaped, and the
    backslash may be outside the cell's text). Removing such a pipe changes nothing: a
    line without soft breaks around it was no table's header."""
    if "|" not in seg.source:
        return True
    first = text.rfind("\n", 0, seg.start) + 1
    last = text.find("\n", seg.end)
    if "|" in text[first : seg.start] or "|" in text[seg.end : last if last >= 0 else None]:
        return False
    pipe = text.find("|", seg.start, seg.end)
    while pipe >= 0:
        if text[pipe - 1] == "\\":
            return False
        pipe = text.find("|", pipe + 1, seg.end)
    return True


def _after_blank(text: str, start: int) -> bool:
    """Whether the line ``start`` is on opens the text or follows a blank line: then a
    quote or a parenthesis first on it cannot continue a reference definition's title."""
    line = text.rfind("\n", 0, start)
    if line < 0:
        return True
    previous = text.rfind("\n", 0, line) + 1
    return not text[previous:line].strip(MD_TRIM_CHARS)


def _inert(seg: Segment, template: str, after_blank: bool, pipes: bool) -> bool:
    source_template = seg.template
    if not seg.placeholders:  # most paragraphs: one run of text, no markup
        if source_template != seg.source or OPEN in template:
            return False  # soft line breaks joined; a token that names nothing
        return template == source_template or (
            bool(template.strip(MD_TRIM_CHARS))
            and _plain(template)
            and _plain(source_template, pipes=pipes)
            and _line_start(template, titles=after_blank)
        )
    by_index = {p.index: p for p in seg.placeholders}
    if fill(source_template, {i: p.source for i, p in by_index.items()}) != seg.source:
        return False  # soft line breaks joined
    source = _split(source_template, by_index)
    target = _split(template, by_index)
    if source is None or target is None:
        return False
    was_runs, tokens = source
    runs, written_tokens = target
    if written_tokens != tokens:
        return False
    if runs == was_runs:
        return True
    if not all(_plain(run, pipes=pipes) for run in was_runs):
        return False
    marks = [by_index[t] for t in tokens]
    for k, (run, was) in enumerate(zip(runs, was_runs, strict=True)):
        before = marks[k - 1] if k else None
        after = marks[k] if k < len(marks) else None
        # What starts a line, and what follows a label, decide what a later change can
        # complete (a definition's title, a link's destination): changed here or not.
        at_line_start = before is None or "\n" in before.source
        if run and at_line_start and not _line_start(run, titles=after_blank and k == 0):
            return False
        if before is not None and _label(before):
            following = run[:1] or (after.source[:1] if after is not None else "")
            if following and following in "([:":
                return False
        if run == was:
            continue
        if not run or not was or not _plain(run) or not run.strip(MD_TRIM_CHARS):
            return False
        if before is not None and _delimiter(before) and _flank(run[0]) != _flank(was[0]):
            return False
        if after is not None and _delimiter(after) and _flank(run[-1]) != _flank(was[-1]):
            return False
    for k, p in enumerate(marks):
        if _link_like(p) and (
            _CROSSING.search(p.source)
            or not _same_to_space(runs[k + 1 :], was_runs[k + 1 :], forward=True)
            or not _same_to_space(runs[k::-1], was_runs[k::-1], forward=False)
        ):
            return False
    return True


def _same_to_space(runs: Sequence[str], was: Sequence[str], *, forward: bool) -> bool:
    """Whether the text beside a bare link, up to the first ASCII space (the tokens in
    between are the same), is the source's: what it extends over or takes back."""
    for run, before in zip(runs, was, strict=True):
        if not forward:
            run, before = run[::-1], before[::-1]
        cut, cut_before = _to_space(run), _to_space(before)
        if cut != cut_before:
            return False
        reached, reached_before = len(cut) < len(run), len(cut_before) < len(before)
        if reached != reached_before:
            return False
        if reached:
            return True
    return True  # the segment's end: what follows is the source's


def _to_space(text: str) -> str:
    for i, ch in enumerate(text):
        if ch in _LINK_END:
            return text[:i]
    return text


def _delimiter(p: Placeholder) -> bool:
    return _DELIMITERS.issuperset(p.source)


def _link_like(p: Placeholder) -> bool:
    """An autolink, an address or a bare URL: its ends depend on the text around it."""
    return p.kind == "standalone" and p.source[:1] not in _NOT_LINK_START


def _label(p: Placeholder) -> bool:
    """A reference or footnote label (``[x]``, ``[^1]``), which what follows may join."""
    return p.source.endswith("]") and not _delimiter(p)


def _split(
    template: str, by_index: Mapping[int, Placeholder]
) -> tuple[list[str], list[int]] | None:
    """The text runs and markup tokens of a template, placeholders that are text
    (entities, glossary terms) written as their source; None for an unknown token."""
    runs: list[str] = []
    tokens: list[int] = []
    run: list[str] = []
    pos = 0
    for m in TOKEN_RE.finditer(template):
        digits = m.group(1)
        p = by_index.get(int(digits)) if len(digits) <= _LONGEST_INDEX else None
        if p is None:
            return None
        run.append(template[pos : m.start()])
        pos = m.end()
        if p.entity is not None or p.replacement:
            run.append(p.source)
            continue
        runs.append("".join(run))
        run = []
        tokens.append(p.index)
    run.append(template[pos:])
    runs.append("".join(run))
    return runs, tokens


def _plain(run: str, *, pipes: bool = False) -> bool:
    """No markup in ``run`` (a ``|`` allowed when ``pipes`` says the source's are text)."""
    found = _NOT_PLAIN.search(run)
    while found is not None and pipes and found.group() == "|":
        found = _NOT_PLAIN.search(run, found.end())
    if found is not None or _WWW in run:
        return False
    colon = run.find(":")
    while colon >= 0:
        if run.endswith(_SCHEMES, 0, colon):
            return False
        colon = run.find(":", colon + 1)
    return True


def _line_start(run: str, *, titles: bool) -> bool:
    """Whether ``run`` may start a line: it starts no block (``1.`` does, ``2025年`` does
    not), and no definition's title unless ``titles`` says none can be open above."""
    ch = run[0]
    if ch.isdigit() and ch.isascii():
        return _ORDERED.match(run) is None
    if ch in _TITLE_OPENERS:
        return titles
    if ch.isascii():
        return ch.isalpha() or ch in _LINE_START_SIGNS
    return not isWhiteSpace(ord(ch)) and not ch.isspace()


def _flank(ch: str) -> int:
    """What decides whether an emphasis run beside ``ch`` opens or closes (markdown-it's
    ``scanDelims``): white space, punctuation, anything else."""
    code = ord(ch)
    if isWhiteSpace(code):
        return 0
    return 1 if isMdAsciiPunct(code) or isPunctChar(ch) else 2

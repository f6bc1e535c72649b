"""Whether written segments provably leave an article's Markdown structure as it was.

QA compares the Markdown structure of every output with its source's, and parsing the
output again cost about a fifth of a batch job's CPU. Most translated segments only
change plain words between the same markup, and for those the answer is known without a
parse: this module says "unchanged" only when it can show it, and the QA check parses
the output whenever it cannot (``keeps_structure`` returning False is no finding).

The argument, for a body segment written as a template (``⟦n⟧`` tokens, each standing for
its placeholder's source bytes, which are written back as they were):

1. Writing the source's own template (soft line breaks as spaces, the only difference
   from its bytes) keeps the structure: the lines joined were continuation lines of one
   inline content, which a parser reads as one line with a space.
2. Writing another template keeps it when (a) the markup tokens come in the same order,
   (b) the text between two of them is empty exactly where the source's is, and (c) that
   text is inert: no character that starts or ends an inline rule of this parser
   (``markdown_parser``; ``tests/markdown/test_inert.py`` pins its rules) nor a
   line-level construct, and where markup is sensitive to its neighbours, neighbours of
   the same kind:
   - emphasis and strikethrough runs open or close by the class (white space,
     punctuation, other) of the characters either side, so those classes must match;
   - an autolink or bare URL extends over what follows it and takes back what precedes
     it (an address's local part): white space on both sides, or no text there;
   - a reference or footnote label followed by ``(`` or ``:`` may become a link or a
     definition;
   - text that starts a line (the segment's first, or after a hard break or any token
     holding a line break) must not start a block: a letter or a harmless sign first.
   Placeholders rendered as text (entities, glossary terms) are text on both sides.

A property test writes thousands of random translations into real articles and checks
every "unchanged" against a parse; no library decides this (it is a question about this
tool's segments), hence this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

from syndicate.placeholders import TOKEN_RE
from syndicate.types import Placeholder, Segment

# What text must not hold: a character that starts or takes part in an inline rule or a
# line-level construct, a control character (Cc), a line or paragraph separator.
_NOT_PLAIN = re.compile(r"[!#&*<>@\[\\\]^_`{|}~\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Nor the start of a GFM autolink: ``www.``, or a scheme that the rule at ``:`` takes back
# from the text before it (both compared case-sensitively by mdit-py-plugins).
_WWW = "www."
_SCHEMES = ("http", "https", "mailto", "xmpp")
# What may start a line: not white space, a digit (``1.``), or a block marker.
_LINE_START_SIGNS = frozenset("\"'(),./;?$%")
_DELIMITERS = frozenset("*_~")
# A standalone placeholder starting with one of these is not an autolink or a bare URL.
_NOT_LINK_START = frozenset("`<&\\[!{*_~")


def keeps_structure(segments: Sequence[Segment], written: Mapping[int, str]) -> bool:
    """True when writing ``written`` (segment index -> template as it is written, its
    remaining tokens filled with their placeholders' sources) into the document leaves
    its body's Markdown structure as the source's; False when only a parse can tell.
    Front matter segments (quoted YAML) do not touch the body."""
    for index, template in written.items():
        seg = segments[index]
        if not seg.quoted and not _inert(seg, template):
            return False
    return True


def _inert(seg: Segment, template: str) -> bool:
    source_template = seg.template
    if template == source_template:
        return True
    if not seg.placeholders:  # most paragraphs: one run of text, no markup
        return (
            bool(template and source_template)
            and _plain(template)
            and _plain(source_template)
            and _line_start(template[0])
        )
    by_index = {p.index: p for p in seg.placeholders}
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
    marks = [by_index[t] for t in tokens]
    for k, (run, was) in enumerate(zip(runs, was_runs, strict=True)):
        before = marks[k - 1] if k else None
        after = marks[k] if k < len(marks) else None
        if run != was:
            if not run or not was or not _plain(run) or not _plain(was):
                return False
            if (before is None or "\n" in before.source) and not _line_start(run[0]):
                return False
            if before is not None and _delimiter(before) and _flank(run[0]) != _flank(was[0]):
                return False
            if after is not None and _delimiter(after) and _flank(run[-1]) != _flank(was[-1]):
                return False
        if before is not None and _label(before):
            following = run[:1] or (after.source[:1] if after is not None else "")
            if following in ("(", "[", ":"):
                return False
    return all(
        _same_to_space(runs[k + 1 :], was_runs[k + 1 :], forward=True)
        and _same_to_space(runs[k::-1], was_runs[k::-1], forward=False)
        for k, p in enumerate(marks)
        if _link_like(p)
    )


def _same_to_space(runs: Sequence[str], was: Sequence[str], *, forward: bool) -> bool:
    """Whether the text beside a bare link, up to the first white space (the tokens in
    between are the same), is the source's: what it extends over or takes back."""
    for run, before in zip(runs, was, strict=True):
        if not forward:
            run, before = run[::-1], before[::-1]
        cut, cut_before = _to_space(run), _to_space(before)
        if cut != cut_before:
            return False
        if len(cut) < len(run):  # white space reached
            return True
    return True  # the segment's end: what follows is the source's


def _to_space(text: str) -> str:
    for i, ch in enumerate(text):
        if isWhiteSpace(ord(ch)):
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
        p = by_index.get(int(m.group(1)))
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


def _plain(run: str) -> bool:
    if _NOT_PLAIN.search(run) is not None or _WWW in run:
        return False
    colon = run.find(":")
    while colon >= 0:
        if run.endswith(_SCHEMES, 0, colon):
            return False
        colon = run.find(":", colon + 1)
    return True


def _line_start(ch: str) -> bool:
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

"""Splitting text that is too long for an engine, at sentence boundaries.

Segments are paragraphs, and only pathological paragraphs exceed an engine's limit, so a
regular-expression splitter is enough: it breaks after ``.``, ``!``, ``?`` (and closing
quotes) followed by a space, then at any space, and never inside a placeholder token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from syndicate.placeholders import TOKEN_RE

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*[ \u00a0]+")
_SPACE = re.compile(r"[ \u00a0]+")


def split_text(text: str, max_chars: int) -> list[str]:
    """Pieces of at most ``max_chars`` that join back (with ``"".join``) into ``text``."""
    if len(text) <= max_chars:
        return [text]
    pieces: list[str] = []
    rest = text
    while len(rest) > max_chars:
        cut = _last_cut(_SENTENCE_END, rest, max_chars) or _last_cut(_SPACE, rest, max_chars)
        if not cut:
            cut = max_chars
            for m in TOKEN_RE.finditer(rest, 0, max_chars + 12):
                if m.start() < cut < m.end():
                    cut = m.start() or m.end()
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:  # a token that runs to the end leaves nothing after it
        pieces.append(rest)
    return pieces


def _last_cut(pattern: re.Pattern[str], text: str, limit: int) -> int:
    best = 0
    for m in pattern.finditer(text, 0, limit):
        if m.end() <= limit:
            best = m.end()
    return best


def translate_in_pieces(
    translate: Callable[[list[str]], list[str]], texts: Sequence[str], max_chars: int
) -> list[str]:
    """Translate texts through ``translate``, splitting those longer than ``max_chars``.

    Pieces keep their edge whitespace out of the engine (engines strip it) and it is put
    back when the pieces are joined.
    """
    flat: list[str] = []
    shape: list[list[tuple[str, str]]] = []
    for text in texts:
        edges = []
        for piece in split_text(text, max_chars):
            core = piece.strip()
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :] if core else ""
            edges.append((lead, trail))
            flat.append(core)
        shape.append(edges)
    translated = iter(translate(flat))
    out = []
    for edges in shape:
        out.append("".join(lead + next(translated) + trail for lead, trail in edges))
    return out

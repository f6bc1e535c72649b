"""Pseudo-localization: an offline engine for tests, demos and layout checks.

Every letter is swapped for an accented look-alike and every third vowel doubled (about
30% longer text, as German or Malay runs), so that untranslated strings, truncation and
broken markup are easy to see. Placeholders, digits, punctuation and whitespace pass
through untouched, which keeps the Markdown structure of the output identical.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from syndicate.engines.base import EngineBase
from syndicate.placeholders import TOKEN_RE

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçđéƒĝĥíĵķĺɱñóþǫŕšťúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŤÚṼŴẊÝŽ"
_TABLE = str.maketrans(_PLAIN, _ACCENTED)
# One vowel at a time: a pattern for three at once rescans the text's end from every
# position once fewer than three vowels are left (quadratic on text without vowels).
_VOWEL = re.compile("[aeiouAEIOU]")


def pseudo_localize(text: str, *, expand: bool = True) -> str:
    """The pseudo-localized form of a text; placeholder tokens are kept as they are."""
    out: list[str] = []
    pos = 0
    for m in TOKEN_RE.finditer(text):
        out.append(_run(text[pos : m.start()], expand))
        out.append(m.group(0))
        pos = m.end()
    out.append(_run(text[pos:], expand))
    return "".join(out)


def _run(text: str, expand: bool) -> str:
    # The table maps a character to one character: the mapped text lines up with the text.
    mapped = text.translate(_TABLE)
    if not expand:
        return mapped
    out: list[str] = []
    pos = 0
    for m in islice(_VOWEL.finditer(text), 2, None, 3):  # every third vowel, doubled
        out += (mapped[pos : m.end()], mapped[m.start()])
        pos = m.end()
    out.append(mapped[pos:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class PseudoSettings:
    """``engines.pseudo``: whether to lengthen texts as a longer language would."""

    expand: bool = True


class PseudoEngine(EngineBase):
    """Pseudo-localizes instead of translating; needs no network."""

    name = "pseudo"
    max_chars = 1_000_000
    Settings = PseudoSettings

    def __init__(self, settings: PseudoSettings | None = None) -> None:
        self.expand = (settings or PseudoSettings()).expand

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return [pseudo_localize(t, expand=self.expand) for t in texts]

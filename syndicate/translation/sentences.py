"""Sentence-level use of the translation memory: CAT tools store sentences, syndicate paragraphs.

A paragraph whose sentences are all in the memory (a CAT tool's sentence units, imported
from TMX) is assembled from their translations, with the whitespace between them as the
paragraph has it. Each sentence is looked up as a unit of its own: its placeholders are
numbered from 1, as the TMX importer numbers a sentence's inline codes, and the hit's are
mapped back to the paragraph's. Engines still get whole paragraphs: a paragraph with one
unknown sentence is sent whole.

Sentences are found by sentencex (Wikimedia's rule-based segmenter, abbreviation lists for
some 300 languages, Indonesian among them); a split that does not give the text back
exactly is not used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from syndicate.langtags import parse_tag
from syndicate.placeholders import TOKEN_RE, token
from syndicate.resources.memory import TranslationMemory


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a paragraph template, as a unit on its own."""

    template: str  # placeholders renumbered from 1
    numbers: tuple[int, ...]  # placeholder k of the sentence is the paragraph's numbers[k - 1]
    lead: str  # whitespace before it in the paragraph
    trail: str  # and after it


# A batch asks for an article's paragraphs once per target locale.
@lru_cache(maxsize=1024)
def split(template: str, lang: str) -> tuple[Sentence, ...]:
    """The sentences of a paragraph template; empty when it has one sentence or none."""
    from sentencex import segment

    parts = [p for p in segment(parse_tag(lang).language, template) if p]
    if len(parts) < 2 or "".join(parts) != template:
        return ()
    out = []
    for part in parts:
        core = part.strip()
        if not core:
            return ()
        start = part.index(core)
        numbers = tuple(int(m.group(1)) for m in TOKEN_RE.finditer(core))
        count = iter(range(1, len(numbers) + 1))
        text = TOKEN_RE.sub(lambda _m, c=count: token(next(c)), core)  # type: ignore[misc]
        out.append(Sentence(text, numbers, part[:start], part[start + len(core) :]))
    return tuple(out)


def assemble(sentences: Sequence[Sentence], hits: Mapping[str, str]) -> str | None:
    """The paragraph's translation from its sentences' hits, or None if one is missing or
    has placeholders its sentence has not."""
    out: list[str] = []
    for sentence in sentences:
        target = hits.get(sentence.template)
        if target is None:
            return None
        wrong = [
            m
            for m in TOKEN_RE.finditer(target)
            if not 1 <= int(m.group(1)) <= len(sentence.numbers)
        ]
        if wrong:
            return None
        mapped = TOKEN_RE.sub(
            lambda m, n=sentence.numbers: token(n[int(m.group(1)) - 1]),  # type: ignore[misc]
            target,
        )
        out.append(sentence.lead + mapped.strip() + sentence.trail)
    return "".join(out)


def known(
    template: str, memory: TranslationMemory, *, engine: str, source: str, target: str
) -> list[tuple[str, str | None]]:
    """For editors: each sentence of a paragraph and its translation in the memory, if any
    (empty for a paragraph of one sentence)."""
    parts = split(template, source)
    hits = memory.lookup(
        [s.template for s in parts],
        engine=engine,
        source_lang=source,
        target_lang=target,
        touch=False,
    )
    return [(s.template, hits.get(s.template)) for s in parts]

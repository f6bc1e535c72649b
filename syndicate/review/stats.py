"""How much editors change each engine's output: the number a newsroom picks an engine by.

Per engine and language pair: the segments approved as the engine wrote them, those
approved after an edit, and the distance between the engine's text and the approved one
over all approved segments: HTER (TER with the approved text as the reference: the share of
words an editor had to insert, delete, replace or move) and chrF (character n-gram
F-score, 100 = identical), both from sacrebleu, the reference implementation, rather
than written here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from syndicate.errors import UsageError, install_hint
from syndicate.review.store import ReviewStore

EXTRA_HINT = f"install the review extra: {install_hint('review')}"


@dataclass(frozen=True, slots=True)
class EngineStats:
    """One engine on one language pair, as reviewed."""

    engine: str
    source_lang: str
    target_lang: str
    segments: int  # every segment recorded
    approved: int
    unchanged: int  # approved as the engine wrote it
    edited: int  # approved after a person changed it
    pending: int  # not approved yet (machine, edited, stale)
    hter: float | None  # over the approved segments; None without any
    chrf: float | None

    def as_dict(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "source": self.source_lang,
            "target": self.target_lang,
            "segments": self.segments,
            "approved": self.approved,
            "approved_unchanged": self.unchanged,
            "approved_edited": self.edited,
            "pending": self.pending,
            "hter": self.hter,
            "chrf": self.chrf,
        }


def edit_stats(store: ReviewStore) -> list[EngineStats]:
    """Every engine and language pair the store has segments of, sorted."""
    try:
        from sacrebleu.metrics.chrf import CHRF
        from sacrebleu.metrics.ter import TER
    except ImportError:
        raise UsageError("edit statistics need sacrebleu", hint=EXTRA_HINT) from None
    groups: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for engine, source_lang, locale, state, machine, target in store.segment_rows():
        groups[(engine, source_lang, locale)].append((state, machine, target))
    out = []
    for (engine, source_lang, locale), rows in sorted(groups.items()):
        approved = [(m, t) for state, m, t in rows if state == "approved"]
        unchanged = sum(m == t for m, t in approved)
        hter = chrf = None
        if approved:
            hypotheses = [m for m, _ in approved]
            references = [[t for _, t in approved]]
            hter = round(TER().corpus_score(hypotheses, references).score, 2)
            chrf = round(CHRF().corpus_score(hypotheses, references).score, 2)
        out.append(
            EngineStats(
                engine=engine,
                source_lang=source_lang,
                target_lang=locale,
                segments=len(rows),
                approved=len(approved),
                unchanged=unchanged,
                edited=len(approved) - unchanged,
                pending=len(rows) - len(approved),
                hter=hter,
                chrf=chrf,
            )
        )
    return out

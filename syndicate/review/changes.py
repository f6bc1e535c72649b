"""Saving what a reviewer did: new texts and states, checked, written, remembered.

The one way a reviewed change reaches a translation, whether it comes from the review page
or an XLIFF file: each segment's new text (a template, placeholders as tokens) goes
through the checks engine output goes through (placeholders, numbers, glossary, Markdown
structure), one after the other, so that a change that would break the article is refused
with the reason and the others still apply; the translation file is rewritten atomically;
the states are set for who made the change; approved segments go into the translation
memory as human units (engine ``tmx``), which every later run prefers to any engine's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from syndicate.files import write_atomic
from syndicate.placeholders import PlaceholderDamage, check_tokens
from syndicate.resources.memory import HUMAN, TranslationMemory
from syndicate.review.bitext import Bitext, digest
from syndicate.review.store import ReviewStore, State, TranslationState


@dataclass(frozen=True, slots=True)
class Change:
    """What to do to one segment: a new text (or None to keep it), and its new state."""

    template: str | None
    state: State


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save did: the translation's states after it, and the changes refused."""

    state: TranslationState
    refused: Mapping[int, str] = field(default_factory=dict)  # position -> why
    text: str = ""  # the translation's text after the save


def save(
    bitext: Bitext,
    changes: Mapping[int, Change],
    *,
    store: ReviewStore,
    who: str,
    memory: TranslationMemory | None = None,
) -> Saved:
    """Apply ``changes`` (by segment position) to a translation, checked one by one."""
    accepted: dict[int, str] = {}
    refused: dict[int, str] = {}
    text = bitext.output.text
    for position, change in changes.items():
        pair = bitext.pair(position)
        if change.template is None or change.template == pair.target_template:
            continue
        kinds = {p.index: (p.kind, p.partner) for p in pair.placeholders}
        try:
            check_tokens(change.template, kinds)
        except PlaceholderDamage as exc:
            refused[position] = f"markup and amounts are locked: {exc}"
            continue
        trial = {**accepted, position: change.template}
        new_text, findings = bitext.rewrite(trial)
        if findings:
            refused[position] = "; ".join(f"{f.code}: {f.message}" for f in findings)
            continue
        accepted, text = trial, new_text
    if text != bitext.output.text:
        write_atomic(bitext.path, text)
    states: list[tuple[int, State, str | None]] = []
    human: dict[str, str] = {}
    for position, change in changes.items():
        if position in refused:
            continue
        pair = bitext.pair(position)
        template = accepted.get(position, pair.target_template)
        target = bitext.render(position, accepted[position]) if position in accepted else None
        states.append((position, change.state, target))
        if change.state == "approved" and template is not None:
            human[pair.source_template] = template
    state = store.set_states(bitext.path, states, who=who, sha256=digest(text))
    if memory is not None and human:
        memory.store(human, engine=HUMAN, source_lang=bitext.source_lang, target_lang=bitext.locale)
    return Saved(state, refused, text)

"""What localizing an article would do, without translating it: ``syndicate localize``.

Every amount, percent, date and time the recognizer finds, where it is, its value, and how
it reads in the target locale, with the rates it would use and what it noticed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from syndicate.localize.renderer import LocalizeOptions
from syndicate.translation.protect import locate_entities
from syndicate.translation.translate import article_date
from syndicate.types import Article, Finding


@dataclass(frozen=True, slots=True)
class Spot:
    """One entity of the article and its rendering."""

    kind: str
    span: str  # as the article writes it
    start: int | None  # offsets into the article's text (None: inside front matter values)
    end: int | None
    value: dict[str, Any]  # the typed value's JSON (README: entity values)
    rendered: str
    where: str


@dataclass(frozen=True, slots=True)
class Preview:
    """An article's entities rendered for one locale."""

    target: str
    date: dt.date | None  # the article's date: the rates on or before it are used
    spots: tuple[Spot, ...]
    rates: tuple[str, ...]  # each rate used, cited
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "date": self.date.isoformat() if self.date else None,
            "entities": [
                {
                    "kind": s.kind,
                    "span": s.span,
                    "start": s.start,
                    "end": s.end,
                    "value": s.value,
                    "rendered": s.rendered,
                    "where": s.where,
                }
                for s in self.spots
            ],
            "rates": list(self.rates),
            "findings": [
                {"code": f.code, "message": f.message, "where": f.where} for f in self.findings
            ],
        }


def preview(article: Article, target: str, options: LocalizeOptions) -> Preview:
    """How the article's amounts, dates and times read in ``target``; no engine involved."""
    on = article_date(article)
    renderer = options.renderer(target, on, article=article.name)
    spots = []
    for found in locate_entities(article):
        e = found.entity
        span = article.text[found.start : found.end] if found.start is not None else e.text
        spots.append(
            Spot(
                e.kind,
                span,
                found.start,
                found.end,
                e.value.to_json(),
                renderer.render(e),
                found.where,
            )
        )
    rates = tuple(r.cite(options.rates.sources) for r in renderer.used.values())
    return Preview(renderer.profile.tag, on, tuple(spots), rates, tuple(renderer.findings))

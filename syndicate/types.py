"""The data syndicate works on: frozen values, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from syndicate.placeholders import strip_tokens

PlaceholderKind = Literal["open", "close", "standalone", "break"]


@dataclass(frozen=True, slots=True)
class ScalarField:
    """A translatable string value in the front matter, with its exact span in the article."""

    key: str  # dotted path, e.g. "title" or "image.caption" or "images.0.caption"
    value: str
    start: int  # offsets into Article.text
    end: int
    suffix: str = ""  # line breaks a block scalar's span swallows, written back after the new value


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML block at the top of an article, parsed, with its position in the text."""

    start: int  # offset of the first YAML character (after the opening fence line)
    end: int  # offset just past the last YAML character (the closing fence line starts here)
    data: Mapping[str, Any]
    fields: tuple[ScalarField, ...] = ()
    newline: str = "\n"
    # Top-level keys whose values are scalars: key -> (start, end) of the value in the text.
    scalars: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    keys: frozenset[str] = frozenset()  # every top-level key


@dataclass(frozen=True, slots=True)
class Article:
    """An article as read: the exact text, its front matter and where its body starts."""

    text: str
    body_start: int
    front_matter: FrontMatter | None = None
    path: Path | None = None

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.front_matter.data if self.front_matter else {}

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "<stdin>"


@dataclass(frozen=True, slots=True)
class Entity:
    """A money amount, percent, date, time or datetime found in text, with its span."""

    kind: str  # "money", "percent", "date", "time", "datetime"
    start: int
    end: int
    text: str
    value: Any  # a value of syndicate.localize.entities.values (Money, DateValue, Range...)
    # False for amounts the text already converts or that are rates ("Rp16.450 per dolar AS").
    convertible: bool = True


@dataclass(frozen=True, slots=True)
class Placeholder:
    """Markup that travels through the engine as an opaque numbered token."""

    index: int
    kind: PlaceholderKind
    source: str
    partner: int | None = None  # the index of the other half of a pair (open <-> close)
    entity: Entity | None = None  # rendered for the target locale instead of copied
    replacement: str | None = None  # written instead of the source (a glossary translation)

    def renumbered(self, index: int, partner: int | None) -> Placeholder:
        """This placeholder under another number (and its pair's): what
        ``dataclasses.replace`` gives, at a fifth of its cost (every field, in order)."""
        return Placeholder(index, self.kind, self.source, partner, self.entity, self.replacement)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of translatable text: the span it replaces and its template with placeholders.

    ``template`` holds tokens like ``⟦1⟧`` for each placeholder; replacing them with their
    ``source`` text gives back the original run (soft line breaks aside, which become spaces).
    """

    start: int
    end: int
    source: str
    template: str
    placeholders: tuple[Placeholder, ...] = ()
    where: str = "body"  # "body" or "front matter <key>"
    quoted: bool = False  # a front matter scalar: written back as a quoted YAML string
    suffix: str = ""

    @property
    def translatable(self) -> bool:
        """Whether there is any text for an engine: letters outside the placeholders."""
        return _has_letters(self.template)

    def with_template(self, template: str, placeholders: tuple[Placeholder, ...]) -> Segment:
        """This segment with another template and placeholders: what
        ``dataclasses.replace`` gives, at a fifth of its cost (every field, in order)."""
        return Segment(
            self.start,
            self.end,
            self.source,
            template,
            placeholders,
            self.where,
            self.quoted,
            self.suffix,
        )


# A run asks it of every segment dozens of times a job, of templates it has seen.
@lru_cache(maxsize=1024)
def _has_letters(template: str) -> bool:
    return any(map(str.isalpha, strip_tokens(template)))


@dataclass(frozen=True, slots=True)
class Detection:
    """A language decision and how it was reached."""

    lang: str  # BCP 47 tag, e.g. "id", "ms", "en", "zh-Hans"
    confidence: float
    method: str  # "detected", "front matter", "option"
    candidates: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a translation run noticed: where, what, and how serious."""

    severity: Literal["warning", "critical"]
    code: str
    message: str
    where: str = ""

    def as_dict(self) -> dict[str, str]:
        """``dataclasses.asdict(self)``, spelled out: a run reports thousands of findings,
        and ``asdict`` deep-copies field by field."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "where": self.where,
        }


@dataclass(frozen=True, slots=True)
class Translation:
    """One article translated into one target locale, ready to be written."""

    source: Article
    target: str
    text: str
    source_lang: str
    engine: str
    segments: int  # translatable segments in the article
    sent: int  # segments sent to the engine (after removing duplicates)
    characters: int  # characters sent to the engine
    findings: tuple[Finding, ...] = ()
    # Segment index -> the text written for it (amounts rendered, markup restored), for the
    # segments translated: what review records, without reading the output back.
    texts: Mapping[int, str] = field(default_factory=dict)

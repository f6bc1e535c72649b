"""The glossary: names never translated, and translations forced per target language.

``config/glossary.yaml``::

    keep: [OpenAI, Microsoft, Azure, Copilot, NuntiaNews]
    translate:
      en: {"Kerja Sama": Partnership}

Terms are case-sensitive whole words. They travel through the engine as placeholders, so
the engine cannot touch them, and the QA checks that each is in the output.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from syndicate.errors import ConfigError, InputError
from syndicate.files import decode, read_bytes
from syndicate.langtags import parse_tag
from syndicate.safeyaml import config_errors, read_yaml_file


@dataclass(frozen=True)
class Glossary:
    """Names kept as written in every language, and terms forced per target language."""

    keep: tuple[str, ...] = ()
    translate: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def terms(self, target: str) -> dict[str, str]:
        """Source term -> what the output must say, for one target locale."""
        tag = parse_tag(target)
        out = {term: term for term in self.keep}
        for key in (tag.language, f"{tag.language}-{tag.region}" if tag.region else "", tag.text):
            out.update(self.translate.get(key, {}))
        return out


def term_pattern(terms: Mapping[str, str]) -> re.Pattern[str] | None:
    """A regex finding the terms as whole words, longest first."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t)))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def missing_terms(
    source: str, output: str, terms: Mapping[str, str]
) -> list[tuple[str, str, int, int]]:
    """The terms ``output`` has fewer times than ``source`` (whole words) as they must be
    written: (term, what it must be, times in the source, times in the output). An engine
    may glue a suffix on a term: it is still kept."""
    out = []
    for term, expected in terms.items():
        if term not in source:  # most terms of a glossary are in no given segment
            continue
        wanted = len(re.findall(rf"(?<![\w-]){re.escape(term)}(?![\w-])", source))
        if wanted and (found := output.count(expected)) < wanted:
            out.append((term, expected, wanted, found))
    return out


def load_glossary(path: Path) -> Glossary:
    """Read a glossary file (YAML, or CSV with columns term,lang,translation); none is empty."""
    if not path.is_file():
        return Glossary()
    if path.suffix.lower() == ".csv":
        with config_errors(path):
            # A glossary is not an article: the byte limit, not the article line limit.
            return parse_csv(decode(read_bytes(path), path), path)
    data = read_yaml_file(path, "glossary") or {}
    if not isinstance(data, dict) or set(data) - {"keep", "translate"}:
        raise ConfigError(
            "a glossary has the keys 'keep' (a list) and 'translate' (per language)",
            source=str(path),
        )
    keep = data.get("keep") or []
    translate = data.get("translate") or {}
    if not isinstance(keep, list) or not all(isinstance(t, str) and t.strip() for t in keep):
        raise ConfigError("'keep' must be a list of terms", source=str(path))
    if not isinstance(translate, dict) or not all(
        isinstance(v, dict) and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
        for v in translate.values()
    ):
        raise ConfigError("'translate' maps a language to {term: translation}", source=str(path))
    return Glossary(tuple(keep), {str(k): dict(v) for k, v in translate.items()})


def parse_csv(text: str, path: Path | str = "<csv>") -> Glossary:
    """Rows ``term,lang,translation``; an empty translation (or lang) means keep as is."""
    keep: list[str] = []
    translate: dict[str, dict[str, str]] = {}
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or (n == 1 and row[0].strip().lower() == "term"):
            continue
        if len(row) == 1 and any(sep in row[0] for sep in ";\t|"):
            # A spreadsheet exported with another separator: every row would become one
            # "term" with the separator in it, silently kept untranslated.
            raise InputError(
                path,
                f"row {row[0]!r} is not comma-separated",
                line=n,
                hint="save the CSV with commas: term,lang,translation",
            )
        term = row[0].strip()
        lang = row[1].strip() if len(row) > 1 else ""
        target = row[2].strip() if len(row) > 2 else ""
        if not target:
            keep.append(term)
        elif not lang:
            raise InputError(path, f"the translation of {term!r} needs a language", line=n)
        else:
            translate.setdefault(lang, {})[term] = target
    return Glossary(tuple(keep), translate)


def dump_glossary(glossary: Glossary) -> str:
    return yaml.safe_dump(
        {
            "keep": list(glossary.keep),
            "translate": {k: dict(v) for k, v in glossary.translate.items()},
        },
        allow_unicode=True,
        sort_keys=True,
    )

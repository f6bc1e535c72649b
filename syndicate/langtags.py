"""Language tags: what users write (``en``, ``en-gb``, ``zh-CN``, ``in``) -> canonical BCP 47.

Babel (CLDR) does the parsing and fills in the script where a region implies it
(``zh-CN`` -> ``zh-Hans-CN``); this module only adds the legacy codes CLDR does not
accept and formats the result the BCP 47 way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from syndicate.errors import UsageError

# Legacy or engine-specific codes people still write.
_ALIASES = {
    "in": "id",
    "iw": "he",
    "jw": "jv",
    "tl": "fil",
    "zh-cn": "zh-Hans-CN",
    "zh-tw": "zh-Hant-TW",
    "zh-hk": "zh-Hant-HK",
    "zt": "zh-Hant",
    "pb": "pt-BR",
}


@dataclass(frozen=True, slots=True)
class Tag:
    """A parsed language tag."""

    language: str  # "en"
    script: str | None  # "Hans"
    region: str | None  # "GB"
    text: str  # the canonical tag as users see it: "en-GB", "zh-Hans"

    def __str__(self) -> str:
        return self.text


@cache
def parse_tag(value: str) -> Tag:
    """Parse and check a language tag; unknown languages are a usage error."""
    from babel import Locale, UnknownLocaleError

    raw = value.strip().replace("_", "-")
    raw = _ALIASES.get(raw.lower(), raw)
    try:
        loc = Locale.parse(raw, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(
            f"unknown language or locale {value!r}", hint="use a BCP 47 tag such as en, en-GB, ja"
        ) from None
    parts = raw.split("-")
    script = (
        loc.script if (loc.script and any(p.lower() == loc.script.lower() for p in parts)) else None
    )
    if loc.language == "zh" and not script:
        script = loc.script or "Hans"  # Chinese always carries its script: engines need it
    region = loc.territory if any(p.upper() == loc.territory for p in parts[1:]) else None
    text = "-".join(p for p in (loc.language, script, region) if p)
    return Tag(loc.language, script, region, text)


def canonical(value: str) -> str:
    """The canonical form of a tag (``en-gb`` -> ``en-GB``); unknown ones are a usage error."""
    return parse_tag(value).text


def locale_list(values: Iterable[str] | None) -> list[str]:
    """Canonical locales from ``--to`` values, repeated or comma-separated, each kept once."""
    tags = (tag.strip() for value in values or () for tag in value.split(","))
    return list(dict.fromkeys(canonical(tag) for tag in tags if tag))


def same_language(a: str, b: str) -> bool:
    """Whether two tags are the same language (``en`` and ``en-GB`` are; zh scripts differ)."""
    ta, tb = parse_tag(a), parse_tag(b)
    return ta.language == tb.language and (ta.script or "") == (tb.script or "")

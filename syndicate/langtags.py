"""Language tags: what users write (``en``, ``en-gb``, ``zh-CN``, ``in``) -> canonical BCP 47.

A tag keeps the subtags its user wrote, in BCP 47's canonical case (``en-gb`` -> ``en-GB``,
``zh-cn`` -> ``zh-CN``): that is the name in file names, ``lang:`` and partner folders.
Babel (CLDR) checks it and supplies what the tag leaves implicit (the script of ``zh-TW``
is Hant), which engines and locale data use inside; this module only adds the legacy codes
CLDR does not accept, and the lookup (RFC 4647, section 3.4) that matches a partner's
locale with the translations there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from syndicate.errors import UsageError

# Legacy or engine-specific codes people still write: replaced, as BCP 47 replaces
# deprecated subtags.
_ALIASES = {
    "in": "id",
    "iw": "he",
    "jw": "jv",
    "tl": "fil",
    "zt": "zh-Hant",
    "pb": "pt-BR",
}


@dataclass(frozen=True, slots=True)
class Tag:
    """A parsed language tag."""

    language: str  # "en"
    script: str | None  # "Hans": written, or implied where the script matters (Chinese)
    region: str | None  # "GB"
    text: str  # the tag as its user wrote it, in canonical case: "en-GB", "zh-CN"

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
    written_script = next(
        (loc.script for p in parts[1:] if loc.script and p.lower() == loc.script.lower()), None
    )
    region = loc.territory if any(p.upper() == loc.territory for p in parts[1:]) else None
    script = written_script
    if loc.language == "zh" and not script:
        script = loc.script or "Hans"  # Chinese always has a script inside: engines need it
    text = "-".join(p for p in (loc.language, written_script, region) if p)
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


def match_rank(unit: str, wanted: str) -> int | None:
    """Whether text tagged ``unit`` serves text wanted in ``wanted``, and how closely.

    0: the same tag; 1: the unit's tag is less specific (``en`` for ``en-GB``); 2: more
    specific (``id-ID`` for ``id``); None: another language, script or region.
    """
    try:
        a, b = parse_tag(unit), parse_tag(wanted)
    except UsageError:
        return None
    if a.language != b.language or (a.script or "") != (b.script or ""):
        return None
    if a.region == b.region:
        return 0
    if a.region is None:
        return 1
    if b.region is None:
        return 2
    return None


def serves(available: str, wanted: str) -> bool:
    """Whether a translation tagged ``available`` may go to a reader who wants ``wanted``:
    the same tag, or a less specific one of the same language and script (``ja`` for
    ``ja-JP``, ``zh-Hans`` for ``zh-CN``); never another region (``en-US`` for ``en-SG``)."""
    return match_rank(available, wanted) in (0, 1)


def lookup(wanted: str, available: Iterable[str]) -> str | None:
    """The best of ``available`` for ``wanted`` (RFC 4647 lookup): the same tag first, then
    the most specific one that serves it; None when none does."""
    fits = [a for a in available if serves(a, wanted)]
    if not fits:
        return None
    w = parse_tag(wanted)
    return max(fits, key=lambda a: (canonical(a) == w.text, parse_tag(a).region is not None, a))

"""CLDR skeletons and intervals with the field widths asked for, as ICU gives them.

UTS #35 says that when a skeleton is matched to a locale's nearest available format, the
widths of its fields are adjusted to the ones asked for (``MMMMd`` from ``MMMd`` gives
``June 24``, not ``Jun 24``; ``MMMMEEEEd`` gives ``Thursday 6 November``, not ``Thu 6
November``). Babel matches skeletons but does not adjust widths (``format_skeleton`` and
``format_interval`` return the abbreviated forms), so this module adjusts the matched
patterns and formats them with Babel's own pattern engine.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

# Text fields whose width is adjusted (month, weekday; format and stand-alone forms).
_TEXT_FIELDS = {"M": "ML", "L": "ML", "E": "Ec", "c": "Ec"}
_RUN = re.compile(r"'(?:[^']|'')*'|([A-Za-z])\1*")


def widen(pattern: str, wanted_in: str) -> str:
    """``pattern`` with its month and weekday names as wide as ``wanted_in`` (a skeleton
    or a pattern) has them; numeric fields and literals stay as CLDR has them."""
    wanted = {
        m.group(0)[0]: len(m.group(0))
        for m in _RUN.finditer(wanted_in)
        if not m.group(0).startswith("'") and _is_text(m.group(0))
    }

    def one(m: re.Match[str]) -> str:
        run = m.group(0)
        letter = run[0]
        if run.startswith("'") or letter not in _TEXT_FIELDS or not _is_text(run):
            return run
        width = next((wanted[k] for k in _TEXT_FIELDS[letter] if k in wanted), None)
        return letter * width if width else run

    return _RUN.sub(one, pattern)


def _is_text(run: str) -> bool:
    """Whether a field is a name (``MMM``, ``E``) rather than a number (``M``, ``c``)."""
    return run[0] == "E" or (run[0] in _TEXT_FIELDS and len(run) >= 3)


def skeleton_pattern(skeleton: str, locale: Any) -> str:
    """The locale's pattern for a skeleton, widths adjusted."""
    from babel.dates import match_skeleton

    formats = locale.datetime_skeletons
    best = skeleton if skeleton in formats else match_skeleton(skeleton, formats)
    if best is None:
        return str(locale.date_formats["long"].pattern)
    return widen(str(formats[best].pattern), skeleton)


def format_pattern(pattern: str, value: dt.date | dt.time | dt.datetime, locale: Any) -> str:
    from babel.dates import parse_pattern

    moment: Any = value
    if isinstance(value, dt.time):
        moment = dt.datetime.combine(dt.date(2000, 1, 1), value)
    elif not isinstance(value, dt.datetime):
        moment = dt.datetime.combine(value, dt.time())
    return str(parse_pattern(pattern).apply(moment, locale))


def format_skeleton(skeleton: str, value: dt.date | dt.time, locale: Any) -> str:
    return format_pattern(skeleton_pattern(skeleton, locale), value, locale)


def interval(start: dt.date | dt.time, end: dt.date | dt.time, skeleton: str, locale: Any) -> str:
    """The locale's interval format for two instants (``24.–25. Juni``, ``July–September
    2025``, ``08:00–12:00 Uhr``), widths adjusted; CLDR's fallback when none fits."""
    from babel.dates import PATTERN_CHAR_ORDER, match_skeleton

    if start == end:
        return format_skeleton(skeleton, start, locale)
    formats = locale.interval_formats
    best = skeleton if skeleton in formats else match_skeleton(skeleton, formats)
    if best:
        parts = formats[best]
        # Widths as the locale writes the whole skeleton (zh keeps 6月, en widens Jun).
        reference = skeleton_pattern(skeleton, locale)
        for field in PATTERN_CHAR_ORDER:
            if field in parts and _field(start, field) != _field(end, field):
                first, second = parts[field]
                return format_pattern(widen(first, reference), start, locale) + format_pattern(
                    widen(second, reference), end, locale
                )
    fallback = str(formats.get(None, "{0} – {1}"))
    return fallback.replace("{0}", format_skeleton(skeleton, start, locale)).replace(
        "{1}", format_skeleton(skeleton, end, locale)
    )


def _field(value: dt.date | dt.time, field: str) -> int | None:
    """The calendar field CLDR compares to pick an interval pattern (y, M, d, a, h/H, m)."""
    if isinstance(value, dt.time):
        return {
            "a": value.hour // 12,
            "h": value.hour,
            "H": value.hour,
            "m": value.minute,
        }.get(field)
    return {"G": 0, "y": value.year, "M": value.month, "d": value.day}.get(field)

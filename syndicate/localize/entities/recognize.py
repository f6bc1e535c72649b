"""Recognizing money, percents, dates, times and datetimes in Indonesian text.

No library finds these in Indonesian sentences (dateparser's search_dates turns decimals
and years into dates, price-parser ignores scale words and ranges; see the notes), so this
is a table-driven grammar of regular expressions. Candidates of every kind are collected,
the longest wins where they overlap, and a date directly followed by a time becomes one
datetime. Ranges written with ``-`` or ``–`` are one entity whose left end inherits what
only the right end writes (currency, scale, zone, month, year). A regex is scanned over a
text only when the text holds something every match of it needs (see the prefilters).

What is not an entity by design: bare numbers, years, head counts, quantities, legal
references, phone numbers, codes (``GPT-4``, ``FR0026``), coordinates and magnitudes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from itertools import pairwise
from typing import Any

from syndicate.localize.entities.tables import (
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    ENGLISH_MONTHS,
    ENGLISH_WEEKDAYS,
    GROUP_WORDS,
    MONTHS,
    NUMBER_WORDS,
    SCALE_LETTERS,
    SCALE_WORDS,
    WEEKDAYS,
    ZONES,
    alternation,
    parse_number,
    parse_number_words,
)
from syndicate.localize.entities.values import (
    DateTimeValue,
    DateValue,
    Money,
    Percent,
    Range,
    TimeValue,
    Value,
)
from syndicate.types import Entity

_S = r"[ \u00a0]"  # one space or no-break space
_DASH = rf"{_S}?[-–—]{_S}?"
_NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d+(?:[.,]\d+)?)"
_SCALE = (
    rf"(?:{alternation(SCALE_WORDS, capital=True)}(?![^\W\d_])"
    rf"|{alternation(SCALE_LETTERS)}(?![^\W\d_]))"
)
_PREFIX = alternation([k for k in CURRENCY_PREFIXES if k != "$"]) + r"|(?<![A-Za-z])\$"
_CURWORD = "(?i:" + alternation(CURRENCY_WORDS).replace(r"\ ", r"\s+") + ")"
_START = r"(?<![\w.,$])"  # a number or currency never starts inside another token
_END = r"(?![\w])"

_MONEY_PREFIX = re.compile(
    rf"{_START}(?P<c1>{_PREFIX}){_S}?(?P<n1>{_NUM})(?:{_S}?(?P<s1>{_SCALE}))?"
    rf"(?:{_DASH}(?:(?P<c2>{_PREFIX}){_S}?)?(?P<n2>{_NUM})(?:{_S}?(?P<s2>{_SCALE}))?)?"
    rf"(?!\d)(?:{_S}(?P<w>{_CURWORD}){_END})?(?:,-)?"
)
_MONEY_SUFFIX = re.compile(
    rf"{_START}(?P<n1>{_NUM})(?:{_S}?(?P<s1>{_SCALE}))?(?:{_DASH}(?P<n2>{_NUM}))?"
    rf"(?:{_S}(?P<s2>{_SCALE}))?{_S}(?P<w>{_CURWORD}){_END}"
)
_PERCENT = re.compile(
    rf"(?<![\w.,])(?P<g1>-|−|(?<![Pp]lus )[Mm]inus{_S})?(?P<n1>{_NUM})"
    rf"(?:%?{_DASH}(?P<g2>-|−|minus{_S})?(?P<n2>{_NUM}))?{_S}?(?P<p>%|[Pp]ersen{_END}|per{_S}sen{_END})"
)

_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_MONTH = (
    "(?:"
    + alternation([m for m in MONTHS if len(m) > 3], capital=True)
    + "|"
    + alternation(
        [m.capitalize() for m in MONTHS if len(m) <= 3] + [m.upper() for m in MONTHS if len(m) <= 3]
    )
    + r")(?![^\W\d_])"
)
_YEAR = r"(?:1[89]\d{2}|2[01]\d{2})"
_WEEKDAY = alternation(
    [w.capitalize() for w in [*WEEKDAYS, *ENGLISH_WEEKDAYS]] + [w.upper() for w in WEEKDAYS]
)
_EN_MONTHS = [*ENGLISH_MONTHS, *(m[:3] for m in ENGLISH_MONTHS)]  # "June" and "Jun"
_EN_MONTH = alternation([m.capitalize() for m in _EN_MONTHS]) + r"\.?(?![^\W\d_])"
_DAYPART = rf"(?:{_S}(?:pagi|siang|sore|malam|dini{_S}hari))?"

_DATE_PAREN = re.compile(
    rf"(?<!\w)(?P<wd>{_WEEKDAY}){_DAYPART}{_S}?\({_S}?(?P<d>{_DAY})/(?P<m>1[0-2]|0?[1-9])"
    rf"(?:/(?P<y>{_YEAR}|\d{{2}}))?{_S}?\)"
)
_DATE_WORDS = re.compile(
    rf"(?<![\w/])(?:(?P<wd>{_WEEKDAY}),?{_S})?(?:(?P<d0>{_DAY})(?:{_S}(?P<m0>{_MONTH}))?(?:{_S}(?P<y0>{_YEAR}))?{_DASH})?"
    rf"(?P<d>{_DAY}){_S}(?P<m>{_MONTH})(?:{_S}(?P<y>{_YEAR}))?(?![\w/])"
)
# English order, as wire copy and bylines write it: "June 12, 2021", "Monday, June 12, 2021".
_DATE_ENGLISH = re.compile(
    rf"(?<![\w/])(?:(?P<wd>{_WEEKDAY}),?{_S})?(?P<m>{_EN_MONTH}){_S}(?P<d>{_DAY})(?:,?{_S}(?P<y>{_YEAR}))?(?![\w/])"
)
_MONTH_YEAR = re.compile(
    rf"(?<![\w/])(?:(?P<m0>{_MONTH})(?:{_S}(?P<y0>{_YEAR}))?{_DASH})?(?P<m>{_MONTH}){_S}(?P<y>{_YEAR})(?![\w/])"
)
_DATE_NUMERIC = re.compile(
    rf"(?<![\w/.,])(?:(?P<wd>{_WEEKDAY}),?{_S})?(?P<d>{_DAY})/(?P<m>1[0-2]|0?[1-9])/(?P<y>{_YEAR})(?![\w/])"
)
_DATE_BYLINE = re.compile(rf"(?<![\w-])(?P<d>{_DAY})-(?P<m>{_MONTH})-(?P<y>\d{{2}})(?![\w-])")

_CLOCK_WORDS = ("pukul", "jam")
_CLOCK_WORD = "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in _CLOCK_WORDS)  # [Pp]ukul|[Jj]am
_CLOCK = r"(?:2[0-3]|[01]?\d)[.:][0-5]\d(?:[.:][0-5]\d)?"
_ZONE = alternation(ZONES) + _END
_TIME = re.compile(
    rf"(?<![\w.,:])(?:(?P<kw>{_CLOCK_WORD}){_S}+)?(?P<t0>{_CLOCK}){_DASH}(?P<t1>{_CLOCK})(?![\d]|[.:]\d)(?:{_S}(?P<z>{_ZONE}))?"
    rf"|(?<![\w.,:])(?:(?P<kw2>{_CLOCK_WORD}){_S}+)?(?P<t>{_CLOCK})(?![\d]|[.:]\d)(?:{_S}(?P<z2>{_ZONE}))?"
)
_DATETIME_GAP = re.compile(
    rf"(?:,{_S}*|{_S}+|{_S}*\|{_S}*|{_S}+[-–]{_S}+)(?:(?:{_CLOCK_WORD}){_S}+)?"
)
# A clock right after a full date is its time even without "pukul" or a zone
# ("12 June 2021 14:05", "Senin, 14 Jul 2025 10:30").
_BARE_CLOCK = re.compile(rf"(?:,?{_S}+|{_S}*\|{_S}*)(?P<t>{_CLOCK})(?![\d]|[.:]\d|%|{_S}?persen)")
# Coordinated times and dates: "09.00 hingga 17.00 WITA", "3 Maret hingga 12 April 2024".
# Each end is an entity of its own; the left one inherits what only the right one writes.
_CONJ = rf"{_S}+(?:hingga|sampai(?:{_S}+dengan)?|s\.d\.?|s/d|dan|atau){_S}+"
_KEYWORD = rf"(?:(?:{_CLOCK_WORD}){_S}+)?"
_LEFT_CLOCK = re.compile(rf"(?<![\w.,:])(?P<t>{_CLOCK}){_CONJ}{_KEYWORD}$")
_LEFT_DAY = re.compile(rf"(?<![\w.,/])(?P<d>{_DAY}){_CONJ}$")
_LEFT_MONTH = re.compile(rf"(?<![\w.,/])(?P<m>{_MONTH}){_CONJ}$")
_LEFT_ENTITY = re.compile(rf"{_CONJ}{_KEYWORD}$")
# Amounts written in words: "lima ratus ribu rupiah", "setengah miliar rupiah".
_AMOUNT_WORDS = [*NUMBER_WORDS, *GROUP_WORDS, "setengah", *(w for w in SCALE_WORDS if len(w) > 2)]
_NUMBER_WORD = alternation(_AMOUNT_WORDS, capital=True) + r"(?!\w)"
_MONEY_WORDS = re.compile(
    rf"(?<![\w.,])(?P<words>{_NUMBER_WORD}(?:{_S}+{_NUMBER_WORD})*){_S}+(?P<w>{_CURWORD}){_END}"
)
_PER_UNIT = re.compile(rf"{_S}?(?:/|[Pp]er{_S})(?:{_PREFIX}|{_CURWORD})")
_CONVERSION_GAP = re.compile(
    rf"{_S}*\({_S}*(?:(?:sekitar|setara(?:{_S}dengan)?|kira-kira|atau|±|~|≈){_S}*)?"
    rf"|{_S}*,?{_S}+(?:atau{_S}+)?(?:sekitar|setara(?:{_S}dengan)?|senilai){_S}+"
)


def recognize(text: str) -> list[Entity]:
    """Every entity in a text, in order, without overlaps."""
    return _resolve(text, _needed_scans(text))


def _recognize_all(text: str) -> list[Entity]:
    """``recognize`` without the prefilters: every scan on every text. The prefilters only
    skip scans that cannot find anything, so the two agree on every text (the test of the
    prefilters and bench/recognize.py compare them)."""
    return _resolve(text, [(scan, 0) for scan in _SCANS])


def _resolve(text: str, scans: Iterable[tuple[Scan, int]]) -> list[Entity]:
    candidates = [e for scan, pos in scans for e in scan(text, pos)]
    if not candidates:
        return []
    candidates.sort(key=lambda e: (e.start, -(e.end - e.start)))
    chosen: list[Entity] = []
    end = -1
    for entity in candidates:
        if entity.start >= end:
            chosen.append(entity)
            end = entity.end
    return _mark_unconvertible(text, _merge_datetimes(text, _coordinated(text, chosen)))


def _mark_unconvertible(text: str, entities: list[Entity]) -> list[Entity]:
    """Amounts the text already converts (both sides), and exchange rates, are not converted."""
    fixed: set[int] = set()
    for i, (a, b) in enumerate(pairwise(entities)):
        if a.kind == b.kind == "money" and _CONVERSION_GAP.fullmatch(text, a.end, b.start):
            fixed.update((i, i + 1))
    for i, e in enumerate(entities):
        if e.kind == "money" and _PER_UNIT.match(text, e.end):
            fixed.add(i)
    return [replace(e, convertible=False) if i in fixed else e for i, e in enumerate(entities)]


# The scans, in the order their candidates are collected (on a tie, the earlier one wins). A
# scan looks for matches from ``pos`` on (lookbehinds still see the text before it): the
# prefilters start a scan later only where no match can start before.
Scan = Callable[[str, int], Iterator[Entity]]


def _scan_money_prefix(text: str, pos: int) -> Iterator[Entity]:
    for m in _MONEY_PREFIX.finditer(text, pos):
        yield from _money(text, m, prefix=True)


def _scan_money_suffix(text: str, pos: int) -> Iterator[Entity]:
    for m in _MONEY_SUFFIX.finditer(text, pos):
        yield from _money(text, m, prefix=False)


def _scan_money_words(text: str, pos: int) -> Iterator[Entity]:
    for m in _MONEY_WORDS.finditer(text, pos):
        yield from _money_words(text, m)


def _scan_percent(text: str, pos: int) -> Iterator[Entity]:
    for m in _PERCENT.finditer(text, pos):
        yield _entity(text, m, "percent", _percent(m))


def _scan_date_paren(text: str, pos: int) -> Iterator[Entity]:
    for m in _DATE_PAREN.finditer(text, pos):
        year = _year(m.group("y"))
        yield from _date(
            text, m, DateValue(year, int(m.group("m")), int(m.group("d")), _weekday(m.group("wd")))
        )


def _scan_date_numeric(text: str, pos: int) -> Iterator[Entity]:
    for m in _DATE_NUMERIC.finditer(text, pos):
        yield from _date(
            text,
            m,
            DateValue(
                int(m.group("y")), int(m.group("m")), int(m.group("d")), _weekday(m.group("wd"))
            ),
        )


def _scan_date_byline(text: str, pos: int) -> Iterator[Entity]:
    for m in _DATE_BYLINE.finditer(text, pos):
        yield from _date(
            text, m, DateValue(_year(m.group("y")), _month(m.group("m")), int(m.group("d")))
        )


def _scan_date_words(text: str, pos: int) -> Iterator[Entity]:
    for m in _DATE_WORDS.finditer(text, pos):
        end = DateValue(
            _year(m.group("y")), _month(m.group("m")), int(m.group("d")), _weekday(m.group("wd"))
        )
        if m.group("d0"):
            start = DateValue(
                _year(m.group("y0")) or end.year,
                _month(m.group("m0")) if m.group("m0") else end.month,
                int(m.group("d0")),
                end.weekday,
            )
            yield from _date(text, m, Range(replace(start), replace(end, weekday=None)))
        else:
            yield from _date(text, m, end)


def _scan_date_english(text: str, pos: int) -> Iterator[Entity]:
    for m in _DATE_ENGLISH.finditer(text, pos):
        yield from _date(
            text,
            m,
            DateValue(
                _year(m.group("y")),
                _month(m.group("m")),
                int(m.group("d")),
                _weekday(m.group("wd")),
            ),
        )


def _scan_month_year(text: str, pos: int) -> Iterator[Entity]:
    for m in _MONTH_YEAR.finditer(text, pos):
        end = DateValue(int(m.group("y")), _month(m.group("m")), None)
        if m.group("m0"):
            start = DateValue(_year(m.group("y0")) or end.year, _month(m.group("m0")), None)
            yield _entity(text, m, "date", Range(start, end))
        else:
            yield _entity(text, m, "date", end)


def _scan_time(text: str, pos: int) -> Iterator[Entity]:
    for m in _TIME.finditer(text, pos):
        yield from _time(text, m)


_SCANS: tuple[Scan, ...] = (
    _scan_money_prefix,
    _scan_money_suffix,
    _scan_money_words,
    _scan_percent,
    _scan_date_paren,
    _scan_date_numeric,
    _scan_date_byline,
    _scan_date_words,
    _scan_date_english,
    _scan_month_year,
    _scan_time,
)


# Prefilters. A scan is a pass of a big regex over the whole text, tried at every position,
# and most segments hold no entity of most kinds; so each scan first asks the text for
# something that every match of its regex contains, and is skipped when it is missing. Each
# test below is a necessary condition of its regex matching, argued beside it, and built
# from the tables and pattern fragments the regex is built from. Skipping a scan, or
# starting it where no match can start before, never loses a candidate, so recognize(text)
# == _recognize_all(text) on every text (tests/localize/entities/test_prefilters.py).
#
# Word tests look at the text's maximal runs of letters ([^\W\d_]+), lowercased. Every word
# a regex requires (a month, the first word of a currency, a number word, a zone, "pukul",
# "persen") is matched between two non-letters or the text's edges: before it a space, a
# dash, a digit or a lookbehind excluding \w; after it whitespace, a dash or a lookahead
# excluding \w or a letter. So the word is a whole run, and that run lowercased is in the
# set. Case-sensitive words are matched in ASCII forms of a table's entry (as written,
# Capitalized or in capitals), which lowercase to the entry lowercased. Currency words match
# ignoring case, and re then also matches a few non-ASCII letters to ASCII ones (ı and İ to
# i, ſ to s, K to k): a run holding one lowercases to a string that is not ASCII, or to the
# very letter it matches (K to k); so in a text with a run that is not ASCII lowercased, the
# currency scans run anyway (test_prefilters checks this premise on every code point).
_LETTERS = re.compile(r"[^\W\d_]+")
_ASCII_LETTERS = re.compile(r"[a-z]+")  # the same runs, in an ASCII text lowercased
# Every regex but _MONEY_WORDS requires a digit: a number (_NUM), a day, a year or a clock.
_DIGIT = re.compile(r"\d")
# _MONEY_PREFIX requires a currency prefix (_PREFIX: a key of the table), and its matches
# start with it (c1): none starts before the first key written in the text.
_CURRENCY_PREFIX = re.compile(alternation(CURRENCY_PREFIXES))
# _MONEY_SUFFIX and _MONEY_WORDS require a currency word (_CURWORD), hence its first word.
_CURRENCY_HEADS = frozenset(w.split()[0] for w in CURRENCY_WORDS)
# _MONEY_WORDS requires a number word (_NUMBER_WORD).
_AMOUNT_WORD_SET = frozenset(w.lower() for w in _AMOUNT_WORDS)
# _PERCENT requires its sign (p): "%", "persen"/"Persen" (after a space or the number's
# last digit) or "per sen", followed by _END; that is "%", or the run "persen" or "sen".
_PERCENT_WORDS = frozenset(["persen", "sen"])
# _DATE_BYLINE, _DATE_WORDS and _MONTH_YEAR require a month (_MONTH, group m); matches of
# _MONTH_YEAR start with one (m0 or m).
_MONTH_WORDS = frozenset(MONTHS)
# _DATE_ENGLISH requires an English month (_EN_MONTH).
_ENGLISH_MONTH_WORDS = frozenset(w.lower() for w in _EN_MONTHS)
# A match of _TIME is an entity only with "pukul"/"jam" (kw) or a zone (see _time), and it
# requires a clock (_CLOCK: a digit, "." or ":", a digit).
_TIME_WORDS = frozenset([*_CLOCK_WORDS, *(z.lower() for z in ZONES)])
_CLOCK_DIGITS = re.compile(r"\d[.:]\d")


def _needed_scans(text: str) -> list[tuple[Scan, int]]:
    """The scans that may find something in the text, in the order of _SCANS, each with a
    position no match of it starts before."""
    low = None
    if text.isascii():  # lowercasing keeps every character in its place and class
        low = text.lower()
        words = set(_ASCII_LETTERS.findall(low))
        currency_word = not words.isdisjoint(_CURRENCY_HEADS)
    else:
        words = {w.lower() for w in _LETTERS.findall(text)}
        currency_word = not (words.isdisjoint(_CURRENCY_HEADS) and all(map(str.isascii, words)))
    scans: list[tuple[Scan, int]] = []
    digit = _DIGIT.search(text)
    if digit is None:
        if currency_word and not words.isdisjoint(_AMOUNT_WORD_SET):
            scans.append((_scan_money_words, 0))
        return scans
    # Matches of _MONEY_SUFFIX and _DATE_BYLINE start with a digit (n1, d).
    first_digit = digit.start()
    prefix = _CURRENCY_PREFIX.search(text)
    if prefix is not None:
        scans.append((_scan_money_prefix, prefix.start()))
    if currency_word:
        scans.append((_scan_money_suffix, first_digit))
        if not words.isdisjoint(_AMOUNT_WORD_SET):
            scans.append((_scan_money_words, 0))
    if "%" in text or not words.isdisjoint(_PERCENT_WORDS):
        scans.append((_scan_percent, 0))
    # _DATE_PAREN requires "(" and the "/" after the day; _DATE_NUMERIC requires "/".
    if "/" in text:
        if "(" in text:
            scans.append((_scan_date_paren, 0))
        scans.append((_scan_date_numeric, 0))
    months = words & _MONTH_WORDS
    if months and "-" in text:  # _DATE_BYLINE also requires the "-" before the month
        scans.append((_scan_date_byline, first_digit))
    if months:
        scans.append((_scan_date_words, 0))
    if not words.isdisjoint(_ENGLISH_MONTH_WORDS):
        scans.append((_scan_date_english, 0))
    if months:
        # In an ASCII text, a month written at i is its entry at i of the lowercased text:
        # finding each entry present gives a position no month starts before.
        start = min(low.find(m) for m in months) if low is not None else 0
        scans.append((_scan_month_year, start))
    if not words.isdisjoint(_TIME_WORDS) and _CLOCK_DIGITS.search(text):
        scans.append((_scan_time, 0))
    return scans


def _entity(text: str, m: re.Match[str], kind: str, value: Value | Range[Any]) -> Entity:
    return Entity(kind, m.start(), m.end(), text[m.start() : m.end()], value)


def _money(text: str, m: re.Match[str], *, prefix: bool) -> Iterator[Entity]:
    written = m.group("c1") if prefix else None
    word = m.group("w")
    named = _currency_word(word) if word else None
    currency = CURRENCY_PREFIXES[written] if written else named
    if currency is None or (prefix and word and named != currency):
        return  # "Rp 5 dolar": contradictory, not an amount we can read
    s1, s2 = m.group("s1"), m.group("s2")
    scale2 = _scale(s2) if s2 else _scale(s1) if (s1 and not m.group("n2")) else None
    right = _amount(
        m.group("n2") or m.group("n1"), scale2 if m.group("n2") else _scale(s1), currency
    )
    if not m.group("n2"):
        if right.amount == 0 and not right.scaled:
            return
        yield _entity(text, m, "money", right)
        return
    left = _amount(m.group("n1"), _scale(s1) if s1 else scale2, currency)
    if prefix and m.group("c2") and CURRENCY_PREFIXES[m.group("c2")] != currency:
        return
    yield _entity(text, m, "money", Range(left, right))


def _money_words(text: str, m: re.Match[str]) -> Iterator[Entity]:
    tokens = list(re.finditer(r"\S+", m.group("words")))
    # Leading words that do not start a number ("juta" of "5 juta rupiah") are dropped.
    for i in range(len(tokens)):
        parsed = parse_number_words([t.group(0) for t in tokens[i:]])
        if parsed is not None:
            break
    else:
        return
    start = m.start("words") + tokens[i].start()
    if _AFTER_FIGURE.search(text, 0, start):
        return  # the scale word of a figure, which the figure's own entity covers
    value, scale = parsed
    currency = _currency_word(m.group("w"))
    if currency is None:
        return
    amount = Money(value, currency, scaled=scale >= 6)
    yield Entity("money", start, m.end(), text[start : m.end()], amount)


def _currency_word(word: str) -> str | None:
    """The currency a matched currency word names; None for a look-alike the
    case-insensitive pattern let through ("rupıah" with a dotless ı matches "rupiah" but is
    not a word the table has): not an amount."""
    return CURRENCY_WORDS.get(" ".join(word.lower().split()))


_AFTER_FIGURE = re.compile(rf"\d{_S}?$")


def _amount(number: str, scale: int | None, currency: str) -> Money:
    value, decimals = parse_number(number)
    if scale:
        value = value.scaleb(scale)
    return Money(value, currency, scaled=bool(scale), decimals=decimals)


def _scale(word: str | None) -> int | None:
    if not word:
        return None
    return SCALE_WORDS.get(word.lower(), SCALE_LETTERS.get(word))


def _percent(m: re.Match[str]) -> Percent | Range[Any]:
    def one(number: str, sign: str | None) -> Percent:
        value, decimals = parse_number(number)
        return Percent(-value if sign else value, decimals)

    right = one(m.group("n2") or m.group("n1"), m.group("g2") if m.group("n2") else m.group("g1"))
    if not m.group("n2"):
        return right
    return Range(one(m.group("n1"), m.group("g1")), right)


def _date(text: str, m: re.Match[str], value: DateValue | Range[Any]) -> Iterator[Entity]:
    values = [value.start, value.end] if isinstance(value, Range) else [value]
    for v in values:
        assert isinstance(v, DateValue)
        if v.month is None or v.day is None:
            continue
        try:
            import datetime as dt

            dt.date(v.year or 2000, v.month, v.day)  # 29 February of an unknown year is fine
        except ValueError:
            return
    yield _entity(text, m, "date", value)


def _time(text: str, m: re.Match[str]) -> Iterator[Entity]:
    zone_text = m.group("z") or m.group("z2")
    keyword = m.group("kw") or m.group("kw2")
    if not zone_text and not keyword:
        return  # "14.00" alone could be anything; a time needs "pukul" or a zone
    zone = ZONES[zone_text] if zone_text else None
    # "pukul" stays outside the span: it is a word the engine translates ("at", "um"...).
    start = m.start("t0") if m.group("t0") else m.start("t")
    value: TimeValue | Range[Any]
    if m.group("t0"):
        value = Range(_clock(m.group("t0"), zone), _clock(m.group("t1"), zone))
    else:
        value = _clock(m.group("t"), zone)
    yield Entity("time", start, m.end(), text[start : m.end()], value)


def _clock(text: str, zone: str | None) -> TimeValue:
    parts = [int(p) for p in re.split(r"[.:]", text)]
    return TimeValue(parts[0], parts[1], parts[2] if len(parts) > 2 else None, zone)


def _coordinated(text: str, entities: list[Entity]) -> list[Entity]:
    """Left ends of coordinated times and dates, inheriting what only the right end writes."""
    out: list[Entity] = []
    for e in entities:
        if e.kind == "time" and isinstance(e.value, TimeValue) and e.value.zone:
            _left_time(text, e, out)
        elif e.kind == "date" and isinstance(e.value, DateValue) and e.value.year:
            _left_date(text, e, out)
        out.append(e)
    return out


def _left_time(text: str, right: Entity, out: list[Entity]) -> None:
    assert isinstance(right.value, TimeValue)
    zone = right.value.zone
    before = out[-1] if out else None
    gap = _LEFT_ENTITY.search(text, before.end if before else 0, right.start)
    if (
        before is not None
        and gap is not None
        and gap.start() == before.end
        and before.kind == "time"
        and isinstance(before.value, TimeValue)
    ):
        if before.value.zone is None:
            out[-1] = replace(before, value=replace(before.value, zone=zone))
        return
    m = _LEFT_CLOCK.search(text, before.end if before else 0, right.start)
    if m is not None:
        left = _clock(m.group("t"), zone)
        out.append(Entity("time", m.start("t"), m.end("t"), m.group("t"), left))


def _left_date(text: str, right: Entity, out: list[Entity]) -> None:
    value = right.value
    assert isinstance(value, DateValue)
    before = out[-1] if out else None
    floor = before.end if before else 0
    gap = _LEFT_ENTITY.search(text, floor, right.start)
    if (
        before is not None
        and gap is not None
        and gap.start() == before.end
        and before.kind == "date"
        and isinstance(before.value, DateValue)
    ):
        left = before.value
        if left.year is None and (left.day is None) == (value.day is None):
            out[-1] = replace(before, value=replace(left, year=value.year))
        return
    if value.day is not None:
        m = _LEFT_DAY.search(text, floor, right.start)
        if m is not None and int(m.group("d")) < value.day:
            left = DateValue(value.year, value.month, int(m.group("d")))
            out.append(Entity("date", m.start("d"), m.end("d"), m.group("d"), left))
        return
    m = _LEFT_MONTH.search(text, floor, right.start)
    if m is not None:
        left = DateValue(value.year, _month(m.group("m")), None)
        out.append(Entity("date", m.start("m"), m.end("m"), m.group("m"), left))


def _merge_datetimes(text: str, entities: list[Entity]) -> list[Entity]:
    out: list[Entity] = []
    i = 0
    while i < len(entities):
        e = entities[i]
        nxt = entities[i + 1] if i + 1 < len(entities) else None
        if e.kind == "date" and isinstance(e.value, DateValue):
            if (
                nxt is not None
                and nxt.kind == "time"
                and not (isinstance(nxt.value, Range) and e.value.day is None)
                and _DATETIME_GAP.fullmatch(text, e.end, nxt.start)
            ):
                time: Any = nxt.value
                out.append(
                    Entity(
                        "datetime",
                        e.start,
                        nxt.end,
                        text[e.start : nxt.end],
                        DateTimeValue(e.value, time),
                    )
                )
                i += 2
                continue
            bare = _BARE_CLOCK.match(text, e.end)
            if (
                bare is not None
                and e.value.date is not None
                and (nxt is None or nxt.start >= bare.end())
            ):
                clock = _clock(bare.group("t"), None)
                out.append(
                    Entity(
                        "datetime",
                        e.start,
                        bare.end(),
                        text[e.start : bare.end()],
                        DateTimeValue(e.value, clock),
                    )
                )
                i += 1
                continue
        out.append(e)
        i += 1
    return out


def _weekday(word: str | None) -> int | None:
    if not word:
        return None
    return WEEKDAYS.get(word.lower(), ENGLISH_WEEKDAYS.get(word.lower()))


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year

"""Rendering entities for a target locale, with Babel (CLDR) and the locale profiles.

CLDR gives month names, date patterns, digit grouping, percent patterns and the compact
number words (``9.6 billion``, ``96億``); what it lacks is composed here: long compact
currency amounts (``IDR 154 trillion``; Babel has no long compact currency format),
compact ranges (``IDR 10–15 million``), Indonesian zones in other languages
(``2:00 p.m. WIB (UTC+7)``), and conversion at a dated, cited rate. Ranges of dates and
times use CLDR's interval formats (``24.–25. Juni``, ``July – September 2025``). Where a
profile departs from CLDR on purpose, its ``house_style`` says where and why. Nothing here
reads the process locale or timezone: the locale and the article's date are always passed
in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from syndicate.errors import InputError
from syndicate.localize import cldr
from syndicate.localize.entities.values import DateValue, Money, Percent, Range, TimeValue
from syndicate.localize.profiles import Profile, load_profile
from syndicate.localize.rates import Rate, RateTable
from syndicate.types import Entity, Finding


@dataclass(frozen=True, slots=True)
class LocalizeOptions:
    """Where profiles and rates come from, and the policy overrides of a run."""

    rates: RateTable = field(default_factory=RateTable)
    profiles_dir: Path | None = None
    money_policy: str | None = None
    missing_rate: str | None = None
    rate_max_age: int = 7  # days between a rate and the article's date before a warning

    def profile(self, tag: str) -> Profile:
        return self._shared(tag).profile

    def renderer(self, tag: str, on: dt.date | None, *, article: str = "") -> Renderer:
        shared = self._shared(tag)
        return Renderer(
            shared.profile,
            self.rates,
            on,
            rate_max_age=self.rate_max_age,
            article=article,
            texts=shared.texts,
        )

    def _shared(self, tag: str) -> _Shared:
        return _cached_profile(tag, self.profiles_dir, self.money_policy, self.missing_rate)


@dataclass(frozen=True, slots=True)
class _Shared:
    """A profile and the texts rendered with it, for every renderer of a run to reuse."""

    profile: Profile
    texts: _Texts


@lru_cache(maxsize=256)
def _cached_profile(
    tag: str, profiles_dir: Path | None, money: str | None, missing: str | None
) -> _Shared:
    # Profiles are small files read for every job of a batch: read each once per run. The
    # texts rendered with one go with it: a batch renders the same dates and amounts for
    # article after article, and CLDR formatting costs tens of microseconds a value.
    profile = load_profile(
        tag, extra_dir=profiles_dir, overrides={"money_policy": money, "missing_rate": missing}
    )
    return _Shared(profile, _Texts())


class _Texts:
    """Memoized pure formatting for one profile: (what, repr of the value) -> its text.

    Only what depends on nothing but the profile and the value is kept here: findings,
    rates used and zones already given their offset are the renderer's own, per article.
    Keys are ``repr``s, not the values: ``Decimal("9.6") == Decimal("9.60")``, yet a
    pattern may write them differently.
    """

    LIMIT = 8192  # distinct values kept; past it, start again (memory stays bounded)

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], str] = {}
        self.locale: Any = None  # Babel's Locale for the profile, parsed once

    def get(self, what: str, value: Any, make: Callable[[], str]) -> str:
        key = (what, repr(value))
        text = self.known.get(key)
        if text is None:
            if len(self.known) >= self.LIMIT:
                self.known.clear()
            text = self.known[key] = make()
        return text


@dataclass
class Renderer:
    """Renders entities for one profile; collects the rates it used and what it noticed."""

    profile: Profile
    rates: RateTable = field(default_factory=RateTable)
    on: dt.date | None = None  # the article's date: rates are looked up for it
    used: dict[str, Rate] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rate_max_age: int = 7
    article: str = ""  # named in errors
    offsets_shown: set[str] = field(default_factory=set)  # zones whose UTC offset was given
    # Texts already formatted with this profile (``LocalizeOptions.renderer`` shares them
    # between the renderers of a run).
    texts: _Texts = field(default_factory=lambda: _Texts(), repr=False, compare=False)

    def __post_init__(self) -> None:
        from babel import Locale

        if self.texts.locale is None:
            self.texts.locale = Locale.parse(self.profile.babel)
        self.locale = self.texts.locale

    # --- entities -------------------------------------------------------------------------

    def render(self, entity: Entity) -> str:
        value = entity.value
        if entity.kind == "money":
            return self.money(value, convert=entity.convertible, where=entity.text)
        if entity.kind == "percent":
            return self._range(value, self.percent)
        if entity.kind == "date":
            if isinstance(value, Range):
                return self.date_range(value.start, value.end)
            return self.date(value, where=entity.text)
        if entity.kind == "time":
            if isinstance(value, Range):
                return self.time_range(value.start, value.end)
            return self.time(value)
        if entity.kind == "datetime":
            pattern = str(self.locale.datetime_formats["medium"]).replace("'", "")
            time = value.time
            clock = (
                self.time_range(time.start, time.end)
                if isinstance(time, Range)
                else self.time(time)
            )
            return pattern.replace("{1}", self.date(value.date, where=entity.text)).replace(
                "{0}", clock
            )
        raise ValueError(f"unknown entity kind {entity.kind}")

    # --- money -----------------------------------------------------------------------------

    def money(self, value: Money | Range[Any], *, convert: bool = True, where: str = "") -> str:
        original = (
            self._range(value, self.amount) if isinstance(value, Range) else self.amount(value)
        )
        policy = self.profile.money_policy
        first = value.start if isinstance(value, Range) else value
        if policy == "keep" or not convert or first.currency == self.profile.currency:
            return original
        rate = self._rate(first.currency, where)
        if rate is None:
            return original
        if isinstance(value, Range):
            converted = self._range(
                Range(_convert(value.start, rate), _convert(value.end, rate)), self.amount
            )
        else:
            converted = self.amount(_convert(value, rate))
        template = self.profile.converted if policy == "append" else self.profile.replaced
        return template.format(original=original, converted=converted)

    def amount(self, money: Money) -> str:
        return self.texts.get(
            "amount", money, lambda: self._with_symbol(money.currency, self._number(money))
        )

    def _number(self, money: Money) -> str:
        from babel.numbers import format_decimal

        if money.scaled and abs(money.amount) >= 1_000_000:
            return self.compact(money.amount)
        decimals = "0" * money.decimals
        pattern = f"#,##0.{decimals}" if decimals else "#,##0"
        return format_decimal(money.amount, format=pattern, locale=self.locale)

    def _with_symbol(self, currency: str, number: str) -> str:
        from babel.numbers import get_currency_symbol

        named = self.profile.symbols.get(currency)
        if named is None:
            # A currency the profile does not name is written where CLDR puts its symbol
            # (before the number in Japanese: €5億, not 5億€).
            return _cldr_currency(
                self.locale, get_currency_symbol(currency, locale=self.locale), number
            )
        pattern = self.profile.money_pattern
        if pattern is None:
            pattern = "{symbol} {amount}" if named[-1:].isalpha() else "{symbol}{amount}"
        return pattern.format(symbol=named, amount=number)

    def compact(self, value: Decimal) -> str:
        """``9.6 billion``, ``1,207.2 trillion``, ``96億``: CLDR compact words, exact digits."""
        mantissa, pattern = self._compact_parts(value)
        return _fill(pattern, self._decimal(mantissa))

    def _compact_parts(self, value: Decimal) -> tuple[Decimal, str]:
        formats = self.locale.compact_decimal_formats
        table = formats.get("long") or formats["short"]
        other = table["other"]
        magnitudes = sorted(int(k) for k in other)
        fitting = [m for m in magnitudes if m <= abs(value)] or [magnitudes[0]]
        magnitude = str(fitting[-1])
        zeros = str(other[magnitude].pattern).count("0")
        divisor = Decimal(int(magnitude) // 10 ** (zeros - 1))
        mantissa = value / divisor
        plural = self.locale.plural_form(float(mantissa))
        pattern = str(table.get(plural, other).get(magnitude, other[magnitude]).pattern)
        if pattern.strip("0") == "":
            return value, "0"  # no compact word at this magnitude (ja: 1000)
        return mantissa, pattern

    def _decimal(self, value: Decimal) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def _range(self, value: Any, one: Any) -> str:
        if not isinstance(value, Range):
            return str(one(value))
        if isinstance(value.start, Money) and isinstance(value.end, Money):
            joined = self._money_range(value.start, value.end)
            if joined:
                return joined
        return f"{one(value.start)}–{one(value.end)}"

    def _money_range(self, left: Money, right: Money) -> str | None:
        """``IDR 10–15 million`` rather than ``IDR 10 million–IDR 15 million``."""
        if left.currency != right.currency:
            return None
        if right.scaled and abs(right.amount) >= 1_000_000:
            mantissa, pattern = self._compact_parts(right.amount)
            if pattern == "0":
                return None
            divisor = right.amount / mantissa
            low = left.amount / divisor
            numbers = f"{self._decimal(low)}–{self._decimal(mantissa)}"
            return self._with_symbol(right.currency, _fill(pattern, numbers))
        return self._with_symbol(right.currency, f"{self._number(left)}–{self._number(right)}")

    def _rate(self, currency: str, where: str) -> Rate | None:
        target = self.profile.currency
        problem = None
        if self.on is None:
            problem = "the article has no date, so no rate can be chosen"
        else:
            rate = self.rates.lookup(currency, target, self.on)
            if rate is not None:
                pair = f"{currency}/{target}"
                age = (self.on - rate.date).days
                if age > self.rate_max_age and pair not in self.used:
                    self.findings.append(
                        Finding(
                            "warning",
                            "rate-stale",
                            f"converted at the {pair} rate of {rate.date.isoformat()}, "
                            f"{age} days before the article's date {self.on.isoformat()} "
                            f"(rate_max_age: {self.rate_max_age})",
                            where,
                        )
                    )
                self.used[pair] = rate
                return rate
            problem = f"no {currency}/{target} rate on or before {self.on.isoformat()}"
            empty = self.rates.why_empty()
            if empty:
                problem = f"no {currency}/{target} rate: {empty}"
        if self.profile.missing_rate == "error":
            raise InputError(
                self.article or None,
                f"cannot convert {where!r}: {problem} (missing_rate: error)",
                hint="import rates with `syndicate rates import`, or set missing_rate: warn",
            )
        self.findings.append(Finding("warning", "rate-missing", f"not converted: {problem}", where))
        return None

    # --- percent ----------------------------------------------------------------------------

    def percent(self, value: Percent) -> str:
        return self.texts.get("percent", value, lambda: self._percent(value))

    def _percent(self, value: Percent) -> str:
        from babel.numbers import format_percent

        pattern = str(self.locale.percent_formats[None].pattern)
        if value.decimals:
            pattern = pattern.replace("0", "0." + "0" * value.decimals, 1)
        # Babel writes the pattern's ASCII "-" and "%"; CLDR's symbols carry the direction
        # marks right-to-left text needs (ar: U+200E before the minus sign).
        symbols = self.locale.number_symbols["latn"]
        text = str(format_percent(abs(value.value) / 100, format=pattern, locale=self.locale))
        text = text.replace("%", symbols.get("percentSign", "%"))
        return symbols.get("minusSign", "-") + text if value.value < 0 else text

    # --- dates and times --------------------------------------------------------------------

    def date(self, value: DateValue, *, where: str = "") -> str:
        if value.weekday_mismatch:
            assert value.date is not None
            self.findings.append(
                Finding(
                    "warning",
                    "weekday-mismatch",
                    f"the weekday written does not match the date ({value.date.isoformat()} "
                    f"is a {value.date.strftime('%A')}); kept as written",
                    where,
                )
            )
        return self.texts.get("date", value, lambda: self._date(value))

    def _date(self, value: DateValue) -> str:
        if value.day is None and value.month is not None:
            skeleton = "yMMMM" if value.year else "MMMM"
            return cldr.format_skeleton(
                skeleton, dt.date(value.year or 2000, value.month, 1), self.locale
            )
        assert value.month is not None and value.day is not None
        day = dt.date(value.year or 2000, value.month, value.day)
        if value.weekday is None:
            return cldr.format_skeleton("yMMMMd" if value.year else "MMMMd", day, self.locale)
        from babel.dates import get_day_names

        # The weekday as written, even when it does not match the date (the warning says so).
        weekday = str(get_day_names("wide", locale=self.locale)[value.weekday])
        if self.profile.weekday_date:
            text = cldr.format_skeleton("yMMMMd" if value.year else "MMMMd", day, self.locale)
            return self.profile.weekday_date.format(weekday=weekday, date=text)
        if value.year:
            pattern = str(self.locale.date_formats["full"].pattern)
        else:
            pattern = cldr.skeleton_pattern("MMMMEEEEd", self.locale)
        literal = "'" + weekday.replace("'", "''") + "'"
        return cldr.format_pattern(re.sub(r"(?<!')E+|c{4}", literal, pattern), day, self.locale)

    def date_range(self, start: DateValue, end: DateValue) -> str:
        if (
            start.month is None
            or end.month is None
            or (start.day is None) != (end.day is None)
            or (start.year is None) != (end.year is None)
        ):
            return f"{self.date(start)}–{self.date(end)}"
        skeleton = ("y" if end.year else "") + "MMMM" + ("d" if end.day else "")
        return self.texts.get(
            "date range",
            (start, end),
            lambda: cldr.interval(_day(start), _day(end), skeleton, self.locale),
        )

    def time(self, value: TimeValue) -> str:
        return self._zoned(self._clock(value) + self.profile.time_suffix, value)

    def time_range(self, start: TimeValue, end: TimeValue) -> str:
        skeleton = self._time_skeleton(start.second is not None or end.second is not None)
        text = self.texts.get(
            "time range",
            (start, end),
            lambda: self._house_clock(
                cldr.interval(_moment(start), _moment(end), skeleton, self.locale)
            ),
        )
        return self._zoned(text, end)

    def _time_skeleton(self, seconds: bool) -> str:
        pattern = self.profile.time_format or str(self.locale.time_formats["short"].pattern)
        hours = "h" if "h" in pattern else "H"
        return hours + "m" + ("s" if seconds else "")

    def _clock(self, value: TimeValue) -> str:
        return self.texts.get("clock", value, lambda: self._format_clock(value))

    def _format_clock(self, value: TimeValue) -> str:
        from babel.dates import format_time

        pattern = self.profile.time_format or "short"
        if value.second is not None and self.profile.time_format:
            pattern = pattern.replace("mm", "mm:ss")
        return self._house_clock(str(format_time(_moment(value), pattern, locale=self.locale)))

    def _house_clock(self, text: str) -> str:
        text = text.replace("\u202f", " ")
        for marker, replacement in self.profile.am_pm.items():
            text = text.replace(marker, replacement)
        return text

    def _zoned(self, clock: str, value: TimeValue) -> str:
        if value.zone is None or value.offset_hours is None:
            return clock
        when = self.profile.utc_offset
        if when == "never" or (when == "first" and value.zone in self.offsets_shown):
            return f"{clock} {value.zone}"
        self.offsets_shown.add(value.zone)
        return f"{clock} {value.zone} (UTC+{value.offset_hours})"


def _day(value: DateValue) -> dt.date:
    assert value.month is not None
    return dt.date(value.year or 2000, value.month, value.day or 1)


def _moment(value: TimeValue) -> dt.time:
    return dt.time(value.hour, value.minute, value.second or 0)


def _cldr_currency(locale: Any, symbol: str, number: str) -> str:
    """The number with the symbol where the locale's currency pattern puts it."""
    pattern = str(locale.currency_formats["standard"].pattern).split(";")[0]
    before, _, after = pattern.partition("¤")
    if not _:
        return f"{number} {symbol}"
    number_first = bool(re.search(r"[#0]", before))
    gap = "\u00a0" if re.search(r"\s$", before) or re.search(r"^\s", after) else ""
    if number_first:
        return f"{number}{gap}{symbol}"
    # CLDR's currencySpacing: a letter symbol next to a digit gets a space (IDR 5, not IDR5).
    if not gap and symbol[-1:].isalpha():
        gap = "\u00a0"
    return f"{symbol}{gap}{number}"


def _convert(money: Money, rate: Rate) -> Money:
    """The amount in the rate's quote currency, to three significant figures."""
    amount = money.amount * rate.value
    if amount == 0:
        return Money(Decimal(0), rate.quote, scaled=money.scaled)
    exponent = amount.adjusted() - 2
    rounded = (
        amount.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_EVEN).scaleb(exponent)
    )
    # Small sums keep their significant digits: US$0.000537, never US$0.00.
    decimals = max(0, -exponent) if abs(rounded) < 1_000_000 else 0
    return Money(rounded, rate.quote, scaled=abs(rounded) >= 1_000_000, decimals=decimals)


def _fill(pattern: str, number: str) -> str:
    return re.sub(r"0+", lambda m: number, pattern, count=1)

"""Every shipped profile against CLDR (Babel): where it differs, the profile says why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_compact_currency, format_currency, format_percent

from syndicate.localize.profiles import builtin_profiles, load_profile
from syndicate.vocabulary import ASPECTS
from tests.localize.test_renderer import rendered

SHIPPED = ["en-US", "en-GB", "en-SG", "en-AU", "ms-MY", "ja-JP", "zh-CN", "de-DE", "nl-NL", "ar-SA"]


def _cldr_percent(value: str, locale: Locale) -> str:
    # Babel writes the pattern's ASCII signs; CLDR's (ICU's) output uses the locale's symbols.
    symbols = locale.number_symbols["latn"]
    pattern = str(locale.percent_formats[None].pattern).replace("0", "0.0", 1)
    text = format_percent(abs(Decimal(value)) / 100, format=pattern, locale=locale)
    text = text.replace("%", symbols["percentSign"])
    return symbols["minusSign"] + text if value.startswith("-") else text


def _pairs(tag: str) -> dict[str, list[tuple[str, str]]]:
    """Per aspect: (ours, CLDR's) for the same entities."""
    profile = load_profile(tag)
    loc = Locale.parse(profile.babel)
    day = dt.date(2025, 6, 25)
    hours = "h" if "h" in str(loc.time_formats["short"].pattern) else "H"

    def one(text: str) -> str:
        [out] = rendered(text, tag, money_policy="keep")
        return out

    def cldr_time(value: str) -> str:
        return value.replace("\u202f", " ")

    return {
        "dates": [
            (one("25 Juni 2025"), format_date(day, "long", locale=loc)),
            (one("Rabu (25/6/2025)"), format_date(day, "full", locale=loc)),
        ],
        "times": [(one("pukul 14.00"), cldr_time(format_time(dt.time(14), "short", locale=loc)))],
        "intervals": [
            (
                one("Juli - September 2025"),
                format_interval(dt.date(2025, 7, 1), dt.date(2025, 9, 1), "yMMMM", locale=loc),
            ),
            (
                one("pukul 08.00-09.45"),
                cldr_time(format_interval(dt.time(8), dt.time(9, 45), hours + "m", locale=loc)),
            ),
        ],
        "percents": [
            (one("minus 5,2 persen"), _cldr_percent("-5.2", loc)),
            (one("12,5%"), _cldr_percent("12.5", loc)),
        ],
        "amounts": [
            (
                one("USD 9,6 miliar"),
                format_compact_currency(Decimal("9.6e9"), "USD", locale=loc, fraction_digits=1),
            ),
            (one("EUR 1.234,50"), format_currency(Decimal("1234.50"), "EUR", locale=loc)),
        ],
    }


def test_the_ten_locales_are_shipped() -> None:
    """The profiles checked here are the ones the package ships."""
    assert sorted(SHIPPED) == builtin_profiles()


@pytest.mark.parametrize("tag", SHIPPED)
def test_rendering_matches_cldr_except_declared_house_style(tag: str) -> None:
    """Dates, times, intervals, percents and amounts read as CLDR has them, unless the
    profile's house_style lists that aspect with a reason; and it lists nothing it keeps."""
    profile = load_profile(tag)
    assert set(profile.house_style) <= set(ASPECTS)
    for aspect, pairs in _pairs(tag).items():
        differs = [(ours, cldr) for ours, cldr in pairs if ours != cldr]
        if aspect in profile.house_style:
            assert profile.house_style[aspect].strip(), (tag, aspect)
            assert differs, f"{tag}: house_style lists {aspect}, which matches CLDR"
        else:
            assert not differs, f"{tag}: {aspect} differs from CLDR: {differs}"

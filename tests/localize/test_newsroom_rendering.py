"""What a reader sees, from newsroom use: ranges, weekdays, percents, small sums, zones, rates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from syndicate.errors import InputError
from syndicate.localize.entities import recognize
from syndicate.localize.entities.values import DateTimeValue, Range
from syndicate.localize.rates import Quote, RateTable, load_rates
from syndicate.localize.renderer import LocalizeOptions
from tests.localize.test_renderer import DAY, RATES, rendered

THIN = "\u2009–\u2009"


@pytest.mark.parametrize(
    ("text", "tag", "expected"),
    [
        ("08.00–12.00 WITA", "de-DE", "08:00–12:00 Uhr WITA (UTC+8)"),
        ("Juli–September 2025", "en-US", f"July{THIN}September 2025"),
        ("Juli–September 2025", "de-DE", "Juli–September 2025"),
        ("24-25 Juni", "de-DE", "24.–25. Juni"),
        ("24-25 Juni 2025", "ja-JP", "2025年6月24日～25日"),
        (
            "Jumat (4/7) pukul 08.00–12.00 WITA",
            "en-US",
            f"Friday, July 4, 8:00 a.m.{THIN}12:00 p.m. WITA (UTC+8)",
        ),
    ],
)
def test_ranges_use_cldr_interval_formats(text: str, tag: str, expected: str) -> None:
    """Ranges of dates and times read as CLDR's interval formats, not two joined renderings."""
    assert rendered(text, tag) == [expected]


def test_a_date_with_a_time_range_is_one_datetime() -> None:
    """Jumat (4/7) pukul 08.00–12.00 WITA is one entity, like Sabtu (5/7) pukul 09.00 WITA."""
    [e] = recognize("Jumat (4/7) pukul 08.00–12.00 WITA")
    assert e.kind == "datetime" and isinstance(e.value, DateTimeValue)
    assert isinstance(e.value.time, Range)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("nl-NL", "donderdag 6 november"),
        ("ar-SA", "الخميس، 6 نوفمبر"),
        ("de-DE", "Donnerstag, 6. November"),
        ("en-GB", "Thursday 6 November"),
        ("en-US", "Thursday, November 6"),
        ("ja-JP", "11月6日木曜日"),
    ],
)
def test_weekday_dates_without_a_year_follow_cldr(tag: str, expected: str) -> None:
    """No hard-coded comma: each locale's own pattern for a weekday and a day."""
    assert rendered("Kamis (6/11)", tag) == [expected]


def test_arabic_negative_percent_carries_the_direction_mark() -> None:
    """ar-SA: CLDR's minus sign (U+200E LEFT-TO-RIGHT MARK, hyphen) and percent sign."""
    assert rendered("minus 0,73 persen", "ar-SA") == ["\u200e-0.73٪"]
    assert rendered("5,2 persen", "ar-SA") == ["5.2٪"]


def test_currency_without_a_profile_name_goes_where_cldr_puts_it() -> None:
    """ja/zh: €5億, not 5億€; a currency the profile names keeps the house style."""
    assert rendered("EUR 500 juta", "ja-JP", money_policy="keep") == ["€5億"]
    assert rendered("EUR 500 juta", "zh-CN", money_policy="keep") == ["€5亿"]
    assert rendered("USD 9,6 miliar", "ja-JP", money_policy="keep") == ["96億米ドル"]


def test_small_conversions_keep_significant_digits() -> None:
    """IDR 8.75 is about US$0.000537, never US$0.00."""
    [out] = rendered("Rp 8,75", "en-US")
    assert out == "IDR 8.75 (about US$0.000537)"


def test_utc_offset_once_per_article_by_default() -> None:
    """(UTC+7) at the first mention of WIB only; every or never when the profile says so."""
    text = "pukul 09.00 WIB, lalu pukul 14.00 WIB dan pukul 10.00 WITA"
    assert rendered(text, "en-GB") == ["09:00 WIB (UTC+7)", "14:00 WIB", "10:00 WITA (UTC+8)"]


def test_utc_offset_setting(tmp_path: Path) -> None:
    """utc_offset: every repeats it, never leaves it out."""
    base = "babel: en_GB\n"
    for policy, first, second in (
        ("every", "09:00 WIB (UTC+7)", "14:00 WIB (UTC+7)"),
        ("never", "09:00 WIB", "14:00 WIB"),
    ):
        folder = tmp_path / policy
        folder.mkdir()
        (folder / "en-GB.yaml").write_text(base + f"utc_offset: {policy}\n", encoding="utf-8")
        out = rendered("pukul 09.00 WIB, pukul 14.00 WIB", "en-GB", profiles_dir=folder)
        assert out == [first, second]


def test_a_stale_rate_is_a_warning_naming_its_date() -> None:
    """An article of 2026-09-30 converted at a rate of 2025-07-31 is flagged."""
    table = RateTable(
        (Quote(dt.date(2025, 7, 31), "USD", "ecb", {"IDR": Decimal("16300")}),), {"ecb": "ECB"}
    )
    renderer = LocalizeOptions(rates=table).renderer("en-US", dt.date(2026, 9, 30))
    [e] = recognize("Rp 800 miliar")
    assert "about US$" in renderer.render(e)
    [finding] = renderer.findings
    assert finding.code == "rate-stale" and "2025-07-31" in finding.message
    fresh = LocalizeOptions(rates=table).renderer("en-US", dt.date(2025, 8, 5))
    fresh.render(e)
    assert fresh.findings == []
    lenient = LocalizeOptions(rates=table, rate_max_age=1000).renderer(
        "en-US", dt.date(2026, 9, 30)
    )
    lenient.render(e)
    assert lenient.findings == []


def test_a_missing_rates_file_is_named(tmp_path: Path) -> None:
    """No rates file: the warning says which file was looked for."""
    table = load_rates(tmp_path / "config" / "rates.yaml")
    renderer = LocalizeOptions(rates=table).renderer("en-US", DAY)
    [e] = recognize("Rp 800 miliar")
    assert renderer.render(e) == "IDR 800 billion"
    assert str(tmp_path / "config" / "rates.yaml") in renderer.findings[0].message


def test_missing_rate_error_names_the_article() -> None:
    """missing_rate: error is an article failure (exit 1) naming the article."""
    options = LocalizeOptions(rates=RATES, missing_rate="error")
    renderer = options.renderer("en-US", dt.date(2020, 1, 1), article="berita.md")
    [e] = recognize("Rp 5 triliun")
    with pytest.raises(InputError, match=r"^berita\.md: cannot convert") as info:
        renderer.render(e)
    assert info.value.exit_code == 1


def test_missing_rate_error_fails_the_article_with_exit_1(tmp_path: Path) -> None:
    """From the command line: exit 1, the article and the missing rates file named, no output."""
    from tests.helpers import EXAMPLES, run

    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("missing_rate: error\n", encoding="utf-8")
    article = EXAMPLES[0]
    out = tmp_path / "out"
    result = run("--config", str(cfg), "translate", str(article), "--to", "en", "--engine", "pseudo", "--out", str(out))  # fmt: skip
    assert result.exit_code == 1
    assert (
        f"{article}: cannot convert" in result.stderr
        and "rates.yaml does not exist" in result.stderr
    )
    assert not out.exists() or not any(out.iterdir())

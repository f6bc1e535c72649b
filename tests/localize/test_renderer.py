"""Rendering entities for target locales, and converting money at dated rates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from syndicate.errors import InputError
from syndicate.localize.entities import recognize
from syndicate.localize.profiles import Profile, builtin_profiles, load_profile
from syndicate.localize.rates import ECB, RateTable, load_rates, parse_ecb, with_source
from syndicate.localize.renderer import LocalizeOptions, Renderer
from tests.localize.test_rates import ECB_XML

RATES = with_source(RateTable().merged(parse_ecb(ECB_XML)), ECB, "ECB reference rates")
DAY = dt.date(2025, 6, 25)


def rendered(text: str, tag: str, **overrides: object) -> list[str]:
    options = LocalizeOptions(rates=RATES, **overrides)  # type: ignore[arg-type]
    renderer = options.renderer(tag, DAY)
    return [renderer.render(e) for e in recognize(text)]


@pytest.mark.parametrize(
    ("text", "us", "gb"),
    [
        ("25 Juni 2025", "June 25, 2025", "25 June 2025"),
        ("Rabu (25/6/2025)", "Wednesday, June 25, 2025", "Wednesday, 25 June 2025"),
        ("pukul 14.00 WIB", "2:00 p.m. WIB (UTC+7)", "14:00 WIB (UTC+7)"),
        ("09:30 WITA", "9:30 a.m. WITA (UTC+8)", "09:30 WITA (UTC+8)"),
        ("5,2 persen", "5.2%", "5.2%"),
        ("-0,7%", "-0.7%", "-0.7%"),
        ("Mei 2023", "May 2023", "May 2023"),
        # CLDR's interval formats: English puts thin spaces around the dash.
        ("16-17 Juli 2025", "July 16\u2009–\u200917, 2025", "16\u2009–\u200917 July 2025"),
        ("08.00-09.45 WIB", "8:00\u2009–\u20099:45 a.m. WIB (UTC+7)", "08:00–09:45 WIB (UTC+7)"),
        ("Kamis (6/10)", "Thursday, October 6", "Thursday 6 October"),
        (
            "25 Juni 2025 pukul 14.00 WIB",
            "June 25, 2025, 2:00 p.m. WIB (UTC+7)",
            "25 June 2025, 14:00 WIB (UTC+7)",
        ),
    ],
)
def test_dates_times_percents_in_english(text: str, us: str, gb: str) -> None:
    """US and British English read dates, times and percents their own way."""
    assert rendered(text, "en-US") == [us]
    assert rendered(text, "en-GB") == [gb]


def test_the_design_example() -> None:
    """Rp 154 triliun (sekitar USD 9,6 miliar): both localized, neither converted again."""
    assert rendered("Rp 154 triliun (sekitar USD 9,6 miliar)", "en-US") == [
        "IDR 154 trillion",
        "US$9.6 billion",
    ]


def test_conversion_appends_at_the_dated_rate_and_is_cited() -> None:
    """An amount in rupiah gets its dollar figure, three significant digits, rate recorded."""
    renderer = LocalizeOptions(rates=RATES).renderer("en-US", DAY)
    [e] = recognize("Rp 800 miliar")
    assert renderer.render(e) == "IDR 800 billion (about US$49.1 million)"
    assert "IDR/USD" in renderer.used


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("append", "IDR 10–15 million (about US$613–920)"),
        ("replace", "about US$613–920"),
        ("keep", "IDR 10–15 million"),
    ],
)
def test_money_policies_and_ranges(policy: str, expected: str) -> None:
    """append, replace and keep; a range keeps one currency and one scale word."""
    assert rendered("Rp10-15 juta", "en-US", money_policy=policy) == [expected]


def test_missing_rate_warns_or_fails_per_policy() -> None:
    """No rate for the date: a warning and the original figure, or an error if asked."""
    renderer = Renderer(load_profile("en-US"), RATES, dt.date(2020, 1, 1))
    [e] = recognize("Rp 5 triliun")
    assert renderer.render(e) == "IDR 5 trillion"
    assert [f.code for f in renderer.findings] == ["rate-missing"]
    strict = LocalizeOptions(rates=RATES, missing_rate="error").renderer(
        "en-US", dt.date(2020, 1, 1)
    )
    with pytest.raises(InputError, match="no IDR/USD rate on or before 2020-01-01"):
        strict.render(e)
    undated = Renderer(load_profile("en-US"), RATES, None)
    assert undated.render(e) == "IDR 5 trillion"
    assert "no date" in undated.findings[0].message


def test_no_rates_at_all_is_not_a_gap_in_the_rates(tmp_path: Path) -> None:
    """With no rates loaded, or a rates file that is missing or holds none, the finding
    says so instead of "no rate on or before" a date, which reads as a day missing."""
    empty = tmp_path / "rates.yaml"
    empty.write_text("rates: []\n")
    tables = {
        "no rates loaded: set 'rates' in the settings": RateTable(),
        f"the rates file {tmp_path / 'none.yaml'} does not exist": load_rates(
            tmp_path / "none.yaml"
        ),
        f"the rates file {empty} holds no rates": load_rates(empty),
    }
    [e] = recognize("Rp 5 triliun")
    for said, table in tables.items():
        renderer = Renderer(load_profile("en-US"), table, DAY)
        assert renderer.render(e) == "IDR 5 trillion"
        [finding] = renderer.findings
        assert finding.code == "rate-missing" and said in finding.message
        assert "on or before" not in finding.message


def test_compact_forms_in_cjk_and_german() -> None:
    """CLDR's own compact words: 億 in Japanese, Milliarden in German."""
    assert rendered("USD 9,6 miliar", "ja-JP", money_policy="keep") == ["96億米ドル"]
    assert rendered("USD 9,6 miliar", "de-DE", money_policy="keep") == ["9,6 Milliarden US-Dollar"]
    assert rendered("Rp1.207,2 triliun", "en-GB", money_policy="keep") == ["IDR 1,207.2 trillion"]


def test_weekday_mismatch_is_reported_not_fixed() -> None:
    """Rabu, 3 Januari 2021 was a Sunday: the weekday is kept as written, and flagged."""
    renderer = LocalizeOptions().renderer("en-GB", DAY)
    [e] = recognize("Rabu, 3 Januari 2021")
    assert renderer.render(e) == "Wednesday, 3 January 2021"
    assert [f.code for f in renderer.findings] == ["weekday-mismatch"]
    assert "2021-01-03 is a Sunday" in renderer.findings[0].message
    [short] = recognize("Rabu (3/1)")  # no year: nothing to check against
    assert renderer.render(short) == "Wednesday 3 January"


@pytest.mark.parametrize(
    "tag",
    ["en-US", "en-GB", "en-SG", "en-AU", "ms-MY", "ja-JP", "zh-CN", "de-DE", "nl-NL", "ar-SA"],
)
def test_every_profile_renders_everything(tag: str) -> None:
    """Each shipped profile renders every kind of entity."""
    text = (
        "Rabu (25/6/2025) pukul 14.00 WIB, Rp 154 triliun (sekitar USD 9,6 miliar), Rp10-15 juta, "
        "5,2 persen, 08.00-09.45 WIB, Januari - Oktober 2021, 28 Juni, Rp 60 ribu"
    )
    out = rendered(text, tag)
    assert len(out) == 9 and all(out)
    assert tag in builtin_profiles()


def test_profiles_fall_back_and_refuse_unknowns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """en picks en-US; a locale without profile uses CLDR and keeps amounts; bad profiles name the key."""
    assert load_profile("en").babel == "en_US"
    fr = load_profile("fr-FR")
    assert fr == Profile(tag="fr-FR", babel="fr_FR", money_policy="keep")
    (tmp_path / "en-US.yaml").write_text("babel: en_US\ncurrency: EUR\nmoney_polcy: keep\n")
    with pytest.raises(Exception, match="unknown key 'money_polcy'"):
        load_profile("en-US", extra_dir=tmp_path)


def test_the_example_locale_of_the_project_folder() -> None:
    """locales/en-NZ.yaml, the example a newsroom copies, adds a locale the package lacks."""
    from tests.helpers import ROOT

    assert "en-NZ" not in builtin_profiles()
    profile = load_profile("en-NZ", extra_dir=ROOT / "locales")
    assert (profile.currency, profile.symbols["NZD"], profile.babel) == ("NZD", "NZ$", "en_NZ")

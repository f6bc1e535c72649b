"""Language tags keep the user's spelling (canonical case); lookup matches partner locales."""

from __future__ import annotations

import pytest

from syndicate.langtags import canonical, lookup, parse_tag, serves


@pytest.mark.parametrize(
    ("written", "kept"),
    [("zh-CN", "zh-CN"), ("zh-cn", "zh-CN"), ("zh", "zh"), ("en-gb", "en-GB"), ("in", "id")],
)
def test_a_tag_keeps_what_its_user_wrote(written: str, kept: str) -> None:
    """zh-CN stays zh-CN (not zh-Hans-CN) in names; only deprecated codes are replaced."""
    assert canonical(written) == kept


def test_the_script_stays_known_inside() -> None:
    """Engines still learn the script a Chinese tag implies."""
    assert parse_tag("zh-CN").script == "Hans" and parse_tag("zh-TW").script == "Hant"
    assert parse_tag("zh").script == "Hans"


@pytest.mark.parametrize(
    ("wanted", "available", "found"),
    [
        ("ja-JP", ["ja", "en"], "ja"),
        ("ja-JP", ["ja", "ja-JP"], "ja-JP"),
        ("en-SG", ["en-US"], None),
        ("en-SG", ["en-US", "en"], "en"),
        ("zh-TW", ["zh", "zh-Hant"], "zh-Hant"),
        ("zh-CN", ["zh-TW"], None),
    ],
)
def test_lookup_takes_a_less_specific_tag_never_another_region(
    wanted: str, available: list[str], found: str | None
) -> None:
    """BCP 47 lookup: the exact tag, else a less specific one of the same language and script."""
    assert lookup(wanted, available) == found
    assert serves(found, wanted) if found else not any(serves(a, wanted) for a in available)

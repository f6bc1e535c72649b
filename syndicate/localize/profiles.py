"""Locale profiles: how a target locale writes amounts, dates and times, and converts money.

A profile is a small YAML file (``locales/<tag>.yaml``); the shipped ones are package data,
a newsroom's own folder (the ``locales`` setting) overrides them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from syndicate.errors import ConfigError, UsageError
from syndicate.langtags import parse_tag
from syndicate.vocabulary import (
    ASPECTS,
    MISSING_RATES,
    MONEY_POLICIES,
    OFFSET_POLICIES,
    MissingRate,
    MoneyPolicy,
    OffsetPolicy,
)

_PROFILE_KEYS = {
    "babel": str,
    "currency": str,
    "money_policy": str,
    "symbols": dict,
    "converted": str,
    "replaced": str,
    "time_format": str,
    "am_pm": dict,
    "money_pattern": str,
    "weekday_date": str,
    "time_suffix": str,
    "translated_from": str,
    "missing_rate": str,
    "utc_offset": str,
    "house_style": dict,
}


@dataclass(frozen=True, slots=True)
class Profile:
    """How a target locale writes amounts, dates and times, and converts money."""

    tag: str
    babel: str
    currency: str = "USD"
    money_policy: MoneyPolicy = "append"
    symbols: Mapping[str, str] = field(default_factory=dict)
    converted: str = "{original} (about {converted})"
    replaced: str = "about {converted}"
    time_format: str | None = None
    am_pm: Mapping[str, str] = field(default_factory=dict)
    money_pattern: str | None = None
    weekday_date: str | None = None  # None: CLDR's pattern for a weekday and a date
    time_suffix: str = ""
    translated_from: str = "Translated from Indonesian"
    missing_rate: MissingRate = "warn"
    # The zone's UTC offset, "(UTC+7)": at its first mention in an article (news style),
    # at every one, or never.
    utc_offset: OffsetPolicy = "first"
    # Each deliberate departure from CLDR: aspect -> the reason.
    house_style: Mapping[str, str] = field(default_factory=dict)


def builtin_profiles() -> list[str]:
    return sorted(
        p.name[:-5]
        for p in resources.files("syndicate.localize.locales").iterdir()
        if p.name.endswith(".yaml")
    )


def load_profile(
    tag: str, *, extra_dir: Path | None = None, overrides: Mapping[str, Any] | None = None
) -> Profile:
    """The profile for a target locale: exact tag first, then the language's default one."""
    parsed = parse_tag(tag)
    candidates = [parsed.text]
    if parsed.region:
        candidates.append(f"{parsed.language}-{parsed.region}")
    candidates.append(_DEFAULT_REGION.get(parsed.language, ""))
    for name in [c for c in candidates if c]:
        if extra_dir and (extra_dir / f"{name}.yaml").is_file():
            return _profile(
                parsed.text,
                (extra_dir / f"{name}.yaml").read_text(encoding="utf-8"),
                str(extra_dir / f"{name}.yaml"),
                overrides,
            )
        builtin = resources.files("syndicate.localize.locales") / f"{name}.yaml"
        if builtin.is_file():
            return _profile(
                parsed.text, builtin.read_text(encoding="utf-8"), f"locales/{name}.yaml", overrides
            )
    # No profile: CLDR's conventions for the locale, and amounts left in their currency.
    babel_id = parsed.text.replace("-", "_")
    try:
        from babel import Locale

        Locale.parse(babel_id)
    except (ValueError, LookupError):
        raise UsageError(
            f"no locale profile for {tag!r}",
            hint=f"write locales/{parsed.text}.yaml or use one of: {', '.join(builtin_profiles())}",
        ) from None
    return Profile(tag=parsed.text, babel=babel_id, money_policy="keep")


_DEFAULT_REGION = {
    "en": "en-US",
    "ms": "ms-MY",
    "ja": "ja-JP",
    "zh": "zh-CN",
    "de": "de-DE",
    "nl": "nl-NL",
    "ar": "ar-SA",
}


def _profile(tag: str, text: str, source: str, overrides: Mapping[str, Any] | None) -> Profile:
    from syndicate.safeyaml import compose_yaml, config_errors

    with config_errors(source):
        data = compose_yaml(text, source, subject="locale profile")[0] or {}
    if not isinstance(data, dict):
        raise ConfigError("a locale profile is a mapping", source=source)
    data = {**data, **{k: v for k, v in (overrides or {}).items() if v is not None}}
    for key, value in data.items():
        if key not in _PROFILE_KEYS:
            raise ConfigError(
                f"unknown key {key!r} in a locale profile",
                source=source,
                hint=f"known: {', '.join(sorted(_PROFILE_KEYS))}",
            )
        if not isinstance(value, _PROFILE_KEYS[key]):
            raise ConfigError(f"{key} must be a {_PROFILE_KEYS[key].__name__}", source=source)
    if data.get("money_policy", "append") not in MONEY_POLICIES:
        raise ConfigError(f"money_policy must be one of {', '.join(MONEY_POLICIES)}", source=source)
    if data.get("missing_rate", "warn") not in MISSING_RATES:
        raise ConfigError("missing_rate must be warn or error", source=source)
    if data.get("utc_offset", "first") not in OFFSET_POLICIES:
        raise ConfigError(f"utc_offset must be one of {', '.join(OFFSET_POLICIES)}", source=source)
    unknown = [k for k in data.get("house_style", {}) if k not in ASPECTS]
    if unknown:
        raise ConfigError(
            f"unknown house_style aspect {unknown[0]!r}",
            source=source,
            hint=f"known: {', '.join(ASPECTS)}",
        )
    if "babel" not in data:
        raise ConfigError(
            "a locale profile needs 'babel' (a CLDR locale such as en_US)", source=source
        )
    _check_profile_codes(data, source)
    return Profile(tag=tag, **data)


def _check_profile_codes(data: Mapping[str, Any], source: str) -> None:
    from babel import Locale, UnknownLocaleError

    from syndicate.localize.rates import unknown_currencies

    try:
        Locale.parse(data["babel"])
    except (ValueError, UnknownLocaleError):
        raise ConfigError(
            f"babel {data['babel']!r} is not a CLDR locale", source=source, hint="write e.g. en_US"
        ) from None
    unknown = unknown_currencies([data.get("currency", "USD"), *data.get("symbols", {})])
    if unknown:
        raise ConfigError(
            f"{unknown[0]!r} is not an ISO 4217 currency code",
            source=source,
            hint="write a code such as USD, SGD or JPY",
        )

"""Partner outlets: who gets which locales, in which formats, under which terms.

``config/partners.yaml`` holds a list of partners; every key is checked, and a wrong one
is named with its partner, its line and the closest known key.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from syndicate.config import URL_FIELDS, Outlet, outlet_from, url_template_problem
from syndicate.errors import ConfigError, UsageError
from syndicate.langtags import canonical
from syndicate.safeyaml import key_lines, read_yaml_document
from syndicate.vocabulary import (
    EMBARGOES,
    FORMATS,
    MONEY_POLICIES,
    NINJS_VERSIONS,
    REVIEWS,
    Embargo,
    NinjsVersion,
    Review,
)

_KEYS = {
    "id",
    "name",
    "locales",
    "formats",
    "money_policy",
    "outlet",
    "item_url",
    "feed_url",
    "attribution",
    "rights",
    "embargo",
    "delivery",
    "ninjs_version",
    "review",
}
_RIGHTS = {"holder", "notice", "usage_terms", "url"}
# Delivery settings that hold secrets: only ever {$env: NAME} references in the file.
SECRET_OPTIONS = frozenset({"password", "passphrase", "secret", "secret_access_key", "token"})


@dataclass(frozen=True, slots=True)
class Rights:
    holder: str = ""
    notice: str = ""
    usage_terms: str = ""
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Partner:
    """A partner outlet: its locales, formats, terms (rights, embargo) and delivery."""

    id: str
    name: str
    locales: tuple[str, ...]
    formats: tuple[str, ...]  # each one of vocabulary.FORMATS (checked when read)
    money_policy: str | None = None
    outlet: Outlet = field(default_factory=Outlet)  # what this partner is told instead
    item_url: str | None = None  # "{locale}" and "{slug}" are filled in
    feed_url: str | None = None  # where the package is served: feeds' paging links
    attribution: Mapping[str, str] = field(default_factory=dict)
    rights: Rights = field(default_factory=Rights)
    embargo: Embargo = "hold"
    # The transport type (directory, zip, sftp, ftp, ftps, s3, https or a plugin's) and its
    # settings, secrets still as {$env: NAME} references; syndicate.delivery checks them.
    delivery: str = "directory"
    delivery_options: Mapping[str, Any] = field(default_factory=dict)
    delivery_source: str = ""  # file:line of the 'delivery' key, for errors
    ninjs_version: NinjsVersion = "3.1"
    # required: only translations an editor approved go into the package and feeds.
    review: Review = "optional"

    def attribution_for(self, locale: str) -> str:
        return (
            self.attribution.get(locale)
            or self.attribution.get(locale.split("-")[0])
            or self.attribution.get("default", "")
        )


def load_partners(path: Path) -> dict[str, Partner]:
    """Read and check the partners file; a missing file means no partners (and a warning,
    since whoever asks for partners expected some)."""
    if not path.is_file():
        logging.getLogger(__name__).warning(
            "no partners file at %s (the 'partners' setting): no partners are known", path
        )
        return {}
    data, root = read_yaml_document(path, "partners file")
    data = data or {}
    if not isinstance(data, dict) or not isinstance(data.get("partners"), list):
        raise ConfigError("a partners file has a list under 'partners'", source=str(path))
    places = _places(root, str(path))
    partners: dict[str, Partner] = {}
    for i, entry in enumerate(data["partners"]):
        place = places[i] if i < len(places) else _Place(str(path))
        partner = _partner(entry, f"partners[{i}]", place)
        if partner.id in partners:
            raise ConfigError(f"partner id {partner.id!r} appears twice", source=place.at("id"))
        partners[partner.id] = partner
    return partners


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a partner is in its file, for errors: its first line and each key's line."""

    path: str
    line: int | None = None
    keys: Mapping[str, int] = field(default_factory=dict)

    def at(self, key: str | None = None) -> str:
        line = self.keys.get(key, self.line) if key else self.line
        return f"{self.path}:{line}" if line else self.path


def _places(root: yaml.Node | None, path: str) -> list[_Place]:
    if not isinstance(root, yaml.MappingNode):
        return []
    lists = [v for k, v in root.value if k.value == "partners" and isinstance(v, yaml.SequenceNode)]
    items: list[yaml.Node] = lists[0].value if lists else []
    places = []
    for item in items:
        keys = key_lines(item) if isinstance(item, yaml.MappingNode) else {}
        places.append(_Place(path, item.start_mark.line + 1, keys))
    return places


def find_partner(partners: Mapping[str, Partner], wanted: str) -> Partner:
    if wanted not in partners:
        close = difflib.get_close_matches(wanted, list(partners), n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else f"known: {', '.join(sorted(partners)) or 'none'}"
        )
        raise UsageError(f"unknown partner {wanted!r}", hint=hint)
    return partners[wanted]


def _partner(entry: Any, where: str, place: _Place) -> Partner:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a mapping", source=place.at())
    pid = entry.get("id")
    label = f"partner {pid!r}" if isinstance(pid, str) else where
    for key in entry:
        if key == "base_url":
            raise ConfigError(
                f"{label}: 'base_url' is now the outlet's address",
                source=place.at(key),
                hint="write 'url:' under 'outlet:' in the settings (or under the partner's "
                "'outlet:' to override it for this partner)",
            )
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), sorted(_KEYS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else None
            raise ConfigError(f"{label}: unknown key {key!r}", source=place.at(key), hint=hint)
    for key in ("id", "name"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise ConfigError(f"{label}: '{key}' must be a non-empty string", source=place.at(key))
    if not all(ch.isalnum() or ch in "-_" for ch in entry["id"]):
        raise ConfigError(
            f"{label}: 'id' may hold letters, digits, - and _ only", source=place.at("id")
        )
    locales = _strings(entry.get("locales"), "locales", label, place)
    formats = _strings(entry.get("formats"), "formats", label, place)
    for fmt in formats:
        if fmt not in FORMATS:
            close = difflib.get_close_matches(fmt, FORMATS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(FORMATS)}"
            raise ConfigError(
                f"{label}: unknown format {fmt!r}", source=place.at("formats"), hint=hint
            )
    try:
        locales = tuple(canonical(loc) for loc in locales)
    except UsageError as exc:
        raise ConfigError(f"{label}: {exc.message}", source=place.at("locales")) from None
    rights = entry.get("rights") or {}
    if not isinstance(rights, dict) or set(rights) - _RIGHTS:
        raise ConfigError(
            f"{label}: 'rights' takes {', '.join(sorted(_RIGHTS))}", source=place.at("rights")
        )
    attribution = entry.get("attribution") or {}
    if isinstance(attribution, str):
        attribution = {"default": attribution}
    if not isinstance(attribution, dict) or not all(
        isinstance(v, str) for v in attribution.values()
    ):
        raise ConfigError(
            f"{label}: 'attribution' is a text, or texts per locale",
            source=place.at("attribution"),
        )
    delivery = entry.get("delivery") or {"type": "directory"}
    dtype = delivery.get("type") if isinstance(delivery, dict) else delivery
    options = dict(delivery) if isinstance(delivery, dict) else {}
    options.pop("type", None)
    choices = {
        "embargo": EMBARGOES,
        "money_policy": (*MONEY_POLICIES, None),
        "ninjs_version": NINJS_VERSIONS,
        "review": REVIEWS,
    }
    for key, allowed in choices.items():
        if key in entry and entry[key] not in allowed:
            raise ConfigError(
                f"{label}: '{key}' must be one of {', '.join(a for a in allowed if a)}",
                source=place.at(key),
            )
    if not isinstance(dtype, str) or not dtype or not all(c.isalnum() or c in "-_" for c in dtype):
        raise ConfigError(
            f"{label}: 'delivery' needs a 'type' (directory, zip, sftp, ftp, ftps, s3, https)",
            source=place.at("delivery"),
        )
    for key, value in options.items():
        if key in SECRET_OPTIONS and not (
            isinstance(value, dict) and set(value) == {"$env"} and isinstance(value["$env"], str)
        ):
            raise ConfigError(
                f"{label}: delivery.{key} is a literal secret",
                source=place.at("delivery"),
                hint="write {$env: NAME} and export NAME instead",
            )
    item_url = entry.get("item_url")
    if item_url is not None:
        problem = url_template_problem(item_url, URL_FIELDS)
        if problem is None and len(locales) > 1 and "{locale}" not in item_url:
            problem = "has no {locale}: every locale of this partner would get the same URL"
        if problem:
            raise ConfigError(f"{label}: 'item_url' {problem}", source=place.at("item_url"))
    feed_url = entry.get("feed_url")
    if feed_url is not None and not (
        isinstance(feed_url, str) and feed_url.startswith(("http://", "https://"))
    ):
        raise ConfigError(
            f"{label}: 'feed_url' must be an http(s) URL", source=place.at("feed_url")
        )
    try:
        outlet = outlet_from(entry.get("outlet") or {}, "outlet")
    except ValueError as exc:
        raise ConfigError(f"{label}: {exc}", source=place.at("outlet")) from None
    return Partner(
        id=entry["id"],
        name=entry["name"],
        locales=locales,
        formats=tuple(formats),
        money_policy=entry.get("money_policy"),
        outlet=outlet,
        item_url=item_url,
        feed_url=feed_url,
        attribution={str(k): v for k, v in attribution.items()},
        rights=Rights(**{k: str(v) for k, v in rights.items()}),
        embargo=entry.get("embargo", "hold"),
        delivery=dtype,
        delivery_options=options,
        delivery_source=place.at("delivery"),
        ninjs_version=str(entry.get("ninjs_version", "3.1")),  # type: ignore[arg-type]
        review=entry.get("review", "optional"),
    )


def _strings(value: Any, key: str, label: str, place: _Place) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{label}: '{key}' must be a non-empty list", source=place.at(key))
    return tuple(value)

"""Settings and where each came from: defaults < config file < SYNDICATE_* environment < flags.

The config file is ``--config FILE``, else ``$SYNDICATE_CONFIG``, else
``./config/syndicate.yaml`` when it exists. Environment variables nest with a double
underscore (``SYNDICATE_ENGINES__LIBRE__URL``) and their values are read as YAML
scalars. Secrets are never literals in a file: ``api_key: {$env: LIBRE_API_KEY}``.
Library callers pass ``environ={}`` to keep the environment out.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from syndicate.errors import ConfigError
from syndicate.redact import register, url_secrets, without_password
from syndicate.vocabulary import MISSING_RATES, MONEY_POLICIES

DEFAULT_CONFIG = Path("config") / "syndicate.yaml"


@dataclass(frozen=True, slots=True)
class UnsetSecret:
    """A ``{$env: NAME}`` reference whose variable is not set.

    Resolved when the setting is used, not when the file is read: an unset key for DeepL
    must not stop ``config show``, ``localize`` or a run with another engine. Whoever uses
    the value calls ``check_secrets`` and gets the error then.
    """

    name: str  # the environment variable
    path: str  # the setting, e.g. engines.deepl.api_key
    source: str  # the file that refers to it

    def __str__(self) -> str:
        return f"not configured ({self.name} not set)"


def unset_secrets(node: Any) -> list[UnsetSecret]:
    """Every unset secret reference in a settings subtree."""
    if isinstance(node, UnsetSecret):
        return [node]
    if isinstance(node, dict):
        return [u for v in node.values() for u in unset_secrets(v)]
    if isinstance(node, list):
        return [u for v in node for u in unset_secrets(v)]
    return []


def check_secrets(node: Any) -> None:
    """Raise the configuration error of the first unset secret a subtree refers to."""
    for unset in unset_secrets(node)[:1]:
        raise ConfigError(
            f"{unset.path} refers to the environment variable {unset.name}, which is not set",
            source=unset.source,
            hint=f"export {unset.name}=...",
        )


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: Any
    help: str


SETTINGS = (
    Setting("engine", "google", "engine used when --engine is not given"),
    Setting("engines", {}, "per-engine settings: engines.<name>.<setting> (url, api_key...)"),
    Setting(
        "rates", "config/rates.yaml", "dated exchange rates file (relative to the config file)"
    ),
    Setting("locales", "locales", "folder of your own locale profiles, <tag>.yaml"),
    Setting(
        "tm", None, "translation memory file (default: in the user data folder); off to disable"
    ),
    Setting("tm_wait", 30, "seconds to wait for a memory or journal locked by another process"),
    Setting(
        "queue_visibility",
        3600,
        "seconds before a shard whose worker died is handed out again: longer than any shard",
    ),
    Setting(
        "store",
        None,
        "postgresql://... : memory, batch journal, review states and delivery journal in a "
        "shared PostgreSQL database (default: SQLite files)",
    ),
    Setting(
        "glossary", "config/glossary.yaml", "glossary file, YAML or CSV (relative to the config)"
    ),
    Setting(
        "partners", "config/partners.yaml", "partner outlets file (relative to the config file)"
    ),
    Setting(
        "outlet",
        {},
        "who publishes the originals: name, url, provider_id (NewsML-G2, ninjs), translations",
    ),
    Setting("money_policy", None, "append, replace or keep: overrides every locale profile"),
    Setting("missing_rate", None, "warn or error when no rate exists: overrides the profiles"),
    Setting("rate_max_age", 7, "days a rate may be older than the article before a warning"),
)
_KNOWN = {s.key for s in SETTINGS}
_SECRET_WORDS = ("key", "secret", "token", "password")


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective settings, with the source of every leaf value."""

    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict)  # dotted key -> its line in ``path``

    def where(self, dotted: str) -> dict[str, Any]:
        """Where a key is written, as a ``ConfigError``'s ``path`` and ``line``: a problem
        with a setting names the file and the line to fix (nothing for one not in the file)."""
        if self.path is None or dotted not in self.lines:
            return {}
        return {"path": self.path, "line": self.lines[dotted]}

    @property
    def engine(self) -> str:
        return str(self.values["engine"])

    def engine_options(self, name: str) -> dict[str, Any]:
        options = self.values.get("engines", {}).get(name, {})
        return dict(options) if isinstance(options, dict) else {}

    def resolve_path(self, key: str) -> Path:
        """A path setting: relative to the config file it came from, else to the working folder."""
        value = Path(str(self.values[key]))
        if not value.is_absolute() and self.sources.get(key, "").startswith("file:") and self.path:
            return self.path.parent / value
        return value

    def tm_path(self) -> Path | None:
        """Where the translation memory lives, or None when it is switched off."""
        value = self.values.get("tm")
        if value is False or str(value).lower() in ("off", "false", "none", ""):
            return None if value is not None else _default_tm()
        return self.resolve_path("tm")

    def store_url(self) -> str | None:
        """The shared PostgreSQL store's URL, or None for the embedded SQLite files."""
        value = self.values.get("store")
        return str(value) if value else None

    def outlet(self) -> Outlet:
        """The outlet settings, with what the environment and options changed in them."""
        try:
            return outlet_from(self.values.get("outlet") or {}, "outlet")
        except ValueError as exc:
            raise ConfigError(str(exc), source=str(self.path) if self.path else None) from None

    def describe_file(self) -> str:
        """Which config file is in use, or that none is (then only defaults and SYNDICATE_*)."""
        if self.path is not None:
            return f"config file: {self.path}"
        return (
            f"no config file (no --config, no SYNDICATE_CONFIG, no ./{DEFAULT_CONFIG.as_posix()}):"
            " built-in defaults and SYNDICATE_* variables only"
        )

    @property
    def tm_wait(self) -> float:
        return float(self.values["tm_wait"])

    def with_engine(self, name: str | None) -> Settings:
        """These settings with another engine chosen (``--engine``, a plan's ``engine:``)."""
        if not name:
            return self
        return replace(
            self,
            values={**self.values, "engine": name},
            sources={**self.sources, "engine": "option"},
        )

    def redacted(self) -> dict[str, Any]:
        """The settings with every secret-looking value hidden, for display."""
        redacted: dict[str, Any] = _redact(dict(self.values))
        return redacted


def load_settings(
    config: Path | str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Build the settings from all their layers."""
    env = dict(os.environ) if environ is None else dict(environ)
    values: dict[str, Any] = {s.key: _copy(s.default) for s in SETTINGS}
    sources: dict[str, str] = {s.key: "default" for s in SETTINGS}

    path = _find_config(config, env)
    lines: dict[str, int] = {}
    if path is not None:
        data, lines = _read_config(path)
        _check_keys(data, str(path), lines)
        _merge(values, sources, _resolve_secrets(data, env, str(path)), f"file:{path}")

    from_env: dict[str, Any] = {}
    env_sources: dict[str, str] = {}
    for name in sorted(env):
        if not name.startswith("SYNDICATE_") or name == "SYNDICATE_CONFIG" or name in _NOT_SETTINGS:
            continue
        parts = name[len("SYNDICATE_") :].lower().split("__")
        value = _parse_scalar(env[name], name)
        node = from_env
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ConfigError(f"{name} conflicts with another SYNDICATE_ variable")
        node[parts[-1]] = value
        if any(word in parts[-1] for word in _SECRET_WORDS):
            register(str(value))
        if parts == ["store"]:
            without_password(str(value))  # registers the URL's password (SYNDICATE_STORE)
        env_sources[".".join(parts)] = f"env:{name}"
    _check_keys(from_env, "environment", variables={k: v[4:] for k, v in env_sources.items()})
    _merge(values, sources, from_env, "env")
    sources.update(env_sources)

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        node = values
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
        sources[key] = "option"
    _check_store(values.get("store"), sources.get("store", ""))
    return Settings(values=values, sources=sources, path=path, lines=lines)


def _check_store(store: Any, source: str) -> None:
    """The store, once its ``{$env: NAME}`` reference is resolved: a PostgreSQL URL."""
    where = source.removeprefix("file:").removeprefix("env:")
    # Now, not when used: every command opens the store, and the advice for a value that
    # is not a URL (leave it out) would put a machine of a shared backfill on its own files.
    check_secrets(store)
    if store is not None and not (
        isinstance(store, str) and store.startswith(("postgresql://", "postgres://"))
    ):
        raise ConfigError(
            "'store' must be a postgresql:// URL",
            source=where,
            hint="leave it out to keep the memory and journal in SQLite files",
        )


def _default_tm() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("syndicate")) / "memory.sqlite3"


# Variables that share the prefix but are not settings.
_NOT_SETTINGS = frozenset({"SYNDICATE_SHARED", "SYNDICATE_DEBUG"})


def _find_config(config: Path | str | None, env: Mapping[str, str]) -> Path | None:
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError("no such config file", source=str(path))
        return path
    if env.get("SYNDICATE_CONFIG"):
        path = Path(env["SYNDICATE_CONFIG"])
        if not path.is_file():
            raise ConfigError("no such config file (from SYNDICATE_CONFIG)", source=str(path))
        return path
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def _read_config(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The settings file's data, and the line of each of its keys (dotted: engines.libre.url)."""
    from syndicate.safeyaml import key_lines, read_yaml_document

    data, node = read_yaml_document(path, "settings file")
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError("must be a mapping of settings", source=str(path))
    lines: dict[str, int] = {}
    stack: list[tuple[str, yaml.Node | None]] = [("", node)]
    while stack:
        prefix, current = stack.pop()
        if not isinstance(current, yaml.MappingNode):
            continue
        lines |= {f"{prefix}{k}": line for k, line in key_lines(current).items()}
        stack += [(f"{prefix}{k.value}.", v) for k, v in current.value if prefix.count(".") < 2]
    return data, lines


def _check_keys(
    data: Mapping[str, Any],
    source: str,
    lines: Mapping[str, int] | None = None,
    variables: Mapping[str, str] | None = None,
) -> None:
    """Refuse an unknown or ill-typed setting, naming the file and the key's line (or the
    environment, ``source``), with the closest known key."""

    def at(key: str) -> dict[str, Any]:
        if lines is None:  # the environment: the variable that set it, or one below it
            named = [v for k, v in (variables or {}).items() if f"{k}.".startswith(f"{key}.")]
            return {"source": min(named) if named else "environment"}
        return {"path": source, "line": lines.get(key)}

    for key in data:
        if key not in _KNOWN:
            close = difflib.get_close_matches(str(key), sorted(_KNOWN), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(_KNOWN))}"
            raise ConfigError(f"unknown setting {key!r}", hint=hint, **at(str(key)))
    engines = data.get("engines")
    if engines is not None and not (
        isinstance(engines, dict) and all(isinstance(v, dict | None) for v in engines.values())
    ):
        raise ConfigError("'engines' must map engine names to their settings", **at("engines"))
    if "engine" in data and not isinstance(data["engine"], str):
        raise ConfigError("'engine' must be an engine name", **at("engine"))
    choices = {"money_policy": MONEY_POLICIES, "missing_rate": MISSING_RATES}
    for key, allowed in choices.items():
        if data.get(key) is not None and data[key] not in allowed:
            raise ConfigError(f"'{key}' must be one of {', '.join(allowed)}", **at(key))
    age = data.get("rate_max_age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or age < 0):
        raise ConfigError("'rate_max_age' must be a whole number of days", **at("rate_max_age"))
    wait = data.get("tm_wait")
    if wait is not None and (
        isinstance(wait, bool) or not isinstance(wait, int | float) or wait < 0
    ):
        raise ConfigError("'tm_wait' must be a number of seconds", **at("tm_wait"))
    visible = data.get("queue_visibility")
    if visible is not None and (
        isinstance(visible, bool) or not isinstance(visible, int) or visible < 1
    ):
        raise ConfigError(
            "'queue_visibility' must be a whole number of seconds, longer than any shard",
            **at("queue_visibility"),
        )
    for key in ("rates", "locales", "glossary", "partners"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"'{key}' must be a path", **at(key))
    if data.get("outlet") is not None:
        try:
            outlet_from(data["outlet"], "outlet")
        except ValueError as exc:
            named = re.search(r"'(outlet[\w.]*)'", str(exc))  # the key the message names
            raise ConfigError(str(exc), **at(named[1] if named else "outlet")) from None


@dataclass(frozen=True, slots=True)
class Outlet:
    """Who publishes the originals: named in every format instead of a placeholder."""

    name: str = ""
    url: str | None = None  # its home page; relative links in articles resolve against it
    provider_id: str = ""  # NewsML-G2 provider (a QCode such as nprov:X, or a literal), ninjs
    # Translations it publishes on its own site: locale -> URL template ({slug}, {locale}).
    translations: Mapping[str, str] = field(default_factory=dict)

    def over(self, other: Outlet) -> Outlet:
        """These settings, with what ``other`` (a partner's override) sets instead."""
        return Outlet(
            other.name or self.name,
            other.url or self.url,
            other.provider_id or self.provider_id,
            {**self.translations, **other.translations},
        )


OUTLET_KEYS = ("name", "url", "provider_id", "translations")
URL_FIELDS = ("locale", "slug")


def outlet_from(data: Any, where: str) -> Outlet:
    """Outlet settings from a mapping; ValueError names the key that is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"'{where}' takes {', '.join(OUTLET_KEYS)}")
    for key in data:
        if key not in OUTLET_KEYS:
            close = difflib.get_close_matches(str(key), OUTLET_KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown key '{where}.{key}'{hint}")
    for key in ("name", "provider_id"):
        if not isinstance(data.get(key, ""), str):
            raise ValueError(f"'{where}.{key}' must be a text")
    url = data.get("url")
    if url is not None and not is_http_url(url):
        raise ValueError(f"'{where}.url' must be an http(s) URL")
    translations = data.get("translations") or {}
    if not isinstance(translations, dict):
        raise ValueError(f"'{where}.translations' maps locales to URL templates")
    for locale, template in translations.items():
        problem = url_template_problem(template, URL_FIELDS)
        if problem:
            raise ValueError(f"'{where}.translations.{locale}' {problem}")
    return Outlet(
        str(data.get("name") or ""),
        url,
        str(data.get("provider_id") or ""),
        {str(k): str(v) for k, v in translations.items()},
    )


def is_http_url(value: object) -> bool:
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def url_template_problem(template: object, fields: tuple[str, ...]) -> str | None:
    """What is wrong with a URL template whose ``{field}`` placeholders get filled, or None."""
    import string

    if not isinstance(template, str) or not is_http_url(template.split("{", 1)[0] + "x"):
        return "must be an http(s) URL"
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"is not a template: {exc} (write {{{{ and }}}} for a literal brace)"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in fields or spec or conversion:
            close = difflib.get_close_matches(name, fields, n=1)
            hint = f"; did you mean {{{close[0]}}}?" if close else ""
            known = ", ".join(f"{{{f}}}" for f in fields)
            return f"has an unknown placeholder {{{name}}} (known: {known}){hint}"
    return None


def resolve_references(node: Any, env: Mapping[str, str], source: str) -> Any:
    """``node`` with every ``{$env: NAME}`` replaced by its value, registered as a secret;
    an unset variable is the configuration error ``check_secrets`` gives."""
    resolved = _resolve_secrets(node, env, source)
    check_secrets(resolved)
    return resolved


def _resolve_secrets(node: Any, env: Mapping[str, str], source: str, path: str = "") -> Any:
    if isinstance(node, dict):
        if set(node) == {"$env"}:
            name = node["$env"]
            if not isinstance(name, str):
                raise ConfigError(f"{path}: $env takes a variable name", source=source)
            if name not in env:
                return UnsetSecret(name, path, source)
            if path == "store":
                # Its secrets, not the whole URL: a message that quotes the URL still
                # names the host and database it could not reach.
                without_password(env[name])
            else:
                register(env[name])
            return env[name]
        return {
            k: _resolve_secrets(v, env, source, f"{path}.{k}" if path else str(k))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_resolve_secrets(v, env, source, path) for v in node]
    if isinstance(node, str) and path.rsplit(".", 1)[-1] == "api_key" and node:
        raise ConfigError(
            f"{path} is a literal secret",
            source=source,
            hint="write {$env: NAME} and export NAME instead",
        )
    if path == "store" and isinstance(node, str) and url_secrets(node):
        raise ConfigError(
            "store holds a literal password",
            source=source,
            hint="write store: {$env: NAME} for the whole URL, or leave the password out "
            "and use PGPASSWORD or ~/.pgpass",
        )
    return node


def _merge(
    values: dict[str, Any],
    sources: dict[str, str],
    new: Mapping[str, Any],
    source: str,
    prefix: str = "",
) -> None:
    for key, value in new.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            if not isinstance(values.get(key), dict):
                values[key] = {}
            sources.pop(dotted, None)
            _merge(values[key], sources, value, source, f"{dotted}.")
        else:
            values[key] = _copy(value)
            sources[dotted] = source


def _parse_scalar(text: str, name: str) -> Any:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(value, dict | list):
        raise ConfigError(f"{name} must be a single value")
    return text if value is None else value


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return value


def _redact(node: Any, key: str = "") -> Any:
    if isinstance(node, UnsetSecret):
        return str(node)
    if isinstance(node, dict):
        return {k: _redact(v, str(k)) for k, v in node.items()}
    if node and any(word in key.lower() for word in _SECRET_WORDS):
        return "***"
    if isinstance(node, str) and "://" in node:
        return without_password(node)  # store: postgresql://user:secret@host/db?password=...
    return node

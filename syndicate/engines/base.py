"""The engine protocol, the registry of engines, and the retry policy they share.

Engines are found through the ``syndicate.engines`` entry-point group, the built-ins
included, so a third-party engine is a package away. Only the chosen engine's module is
imported.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from syndicate.errors import (
    ConfigError,
    EngineError,
    RateLimited,
    SyndicateError,
    UnknownEngineError,
)

logger = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "syndicate.engines"
# Used only when the package metadata is missing (running from a source tree).
_BUILTIN = {
    "google": "syndicate.engines.google:GoogleEngine",
    "libre": "syndicate.engines.libre:LibreEngine",
    "pseudo": "syndicate.engines.pseudo:PseudoEngine",
    "deepl": "syndicate.engines.deepl:DeepLEngine",
    "openai": "syndicate.engines.openai:OpenAIEngine",
    "ct2": "syndicate.engines.ct2:CT2Engine",
}

T = TypeVar("T")


@runtime_checkable
class Engine(Protocol):
    """**Protocol**: translates batches of plain-text segments.

    Placeholder tokens such as ``⟦1⟧`` in the texts must come back; the caller checks and
    repairs them. ``translate`` returns one string per input, in order, and raises an
    ``EngineError`` subclass on failure. Texts are never longer than ``max_chars``
    unless the engine splits them itself.
    """

    name: str
    max_chars: int

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class EngineInfo:
    name: str
    target: str  # "module:attribute"
    distribution: str | None


def available_engines() -> dict[str, EngineInfo]:
    """Every registered engine by name."""
    found: dict[str, EngineInfo] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else None
        found.setdefault(ep.name, EngineInfo(ep.name, ep.value, dist))
    for name, target in _BUILTIN.items():
        found.setdefault(name, EngineInfo(name, target, None))
    return found


def create_engine(name: str, options: Mapping[str, Any] | None = None) -> Engine:
    """Build the engine registered as ``name`` with its settings."""
    from syndicate.config import check_secrets

    engines = available_engines()
    if name not in engines:
        raise UnknownEngineError(name, list(engines))
    check_secrets(dict(options or {}))  # a secret is needed now that the engine is built
    module_name, _, attr = engines[name].target.partition(":")
    factory = getattr(import_module(module_name), attr)
    opts = dict(options or {})
    build = factory.from_options if hasattr(factory, "from_options") else lambda o: factory(**o)
    engine = build(opts)
    if not isinstance(engine, Engine):
        raise ConfigError(f"engine {name!r} does not implement the Engine protocol")
    return engine


@cache
def _engine_class(name: str) -> Any:
    info = available_engines().get(name)
    if info is None:
        return None
    module_name, _, attr = info.target.partition(":")
    try:
        return getattr(import_module(module_name), attr, None)
    except ImportError:
        return None


def engine_language(name: str, tag: str) -> str:
    """The language engine ``name`` really translates into for the locale ``tag``.

    LibreTranslate and Google have one English: en-GB, en-US, en-SG and en-AU get the
    same answer, so they share one request and one memory unit, and each locale's way of
    writing amounts and dates is rendered afterwards. An engine says so with a
    ``language_code(tag)`` static method; without one, every locale is its own language.
    """
    from syndicate.langtags import canonical

    code = getattr(_engine_class(name), "language_code", None)
    if code is None:
        return canonical(tag)
    mapped = str(code(tag))
    try:
        return canonical(mapped)
    except (ValueError, SyndicateError):  # an engine's own code (LibreTranslate's "zt")
        return mapped


def check_engine_settings(engines: Mapping[str, Any]) -> None:
    """Refuse a typo under ``engines:`` when the settings are read, not when (or if) that
    engine is used: an unknown engine name, or a key its ``SETTINGS`` do not have."""
    known = available_engines()
    for name, values in engines.items():
        _known_or_refused(str(name), known, f"settings for an unknown engine: engines.{name}")
        settings = getattr(_engine_class(name), "SETTINGS", None)
        if not isinstance(settings, dict) or not isinstance(values, dict):
            continue  # a plugin that does not list its settings checks them itself
        for key in values:
            _known_or_refused(str(key), settings, f"unknown setting engines.{name}.{key}")


def _known_or_refused(word: str, known: Mapping[str, Any], message: str) -> None:
    import difflib

    if word in known:
        return
    close = difflib.get_close_matches(word, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
    raise ConfigError(message, hint=hint)


def engine_status(name: str, options: Mapping[str, Any], *, reach: bool = False) -> dict[str, str]:
    """Whether an engine can be built from its settings and, asked to, whether it answers."""
    from syndicate.config import unset_secrets

    unset = unset_secrets(dict(options))
    if unset:
        return {"configured": str(unset[0]), "reachable": "no"}
    try:
        engine = create_engine(name, options)
    except ImportError as exc:
        return {"configured": f"not installed ({exc.name or exc})", "reachable": "no"}
    except SyndicateError as exc:
        return {"configured": f"no: {exc.message}", "reachable": "no"}
    if not reach:
        return {"configured": "yes", "reachable": "not checked"}
    try:
        engine.translate(["Selamat pagi"], source="id", target="en")
    except SyndicateError as exc:
        return {"configured": "yes", "reachable": f"no: {exc}"}
    return {"configured": "yes", "reachable": "yes"}


class Options:
    """Reads an engine's settings, refusing unknown keys and wrong types with the key's name."""

    def __init__(self, engine: str, values: Mapping[str, Any], known: Mapping[str, type]) -> None:
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"unknown setting engines.{engine}.{unknown[0]}",
                hint=f"known settings: {', '.join(sorted(known))}",
            )
        for key, value in values.items():
            expected = known[key]
            if expected in (int, float):
                ok = isinstance(value, int | float) and not isinstance(value, bool)
                ok = ok and (expected is float or isinstance(value, int))
            else:
                ok = isinstance(value, expected)
            if value is not None and not ok:
                raise ConfigError(
                    f"engines.{engine}.{key} must be {expected.__name__}, not {value!r}"
                )
        self._values = values

    def get(self, key: str, default: T) -> T:
        value = self._values.get(key)
        return default if value is None else value


def request_limits(engine: object) -> tuple[int, int]:
    """How many texts and characters one request to ``engine`` carries: its ``batch_size``
    and ``batch_chars`` (read each time, since an engine may learn a server's limits),
    else 20 and 50,000."""
    return int(getattr(engine, "batch_size", 20)), int(getattr(engine, "batch_chars", 50_000))


def batches(texts: Sequence[str], *, size: int, chars: int) -> Iterator[list[str]]:
    """Texts in request-sized groups: at most ``size`` texts and ``chars`` characters each
    (a longer text goes alone)."""
    batch: list[str] = []
    total = 0
    for text in texts:
        if batch and (len(batch) >= size or total + len(text) > chars):
            yield batch
            batch, total = [], 0
        batch.append(text)
        total += len(text)
    if batch:
        yield batch


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter on retryable errors, honouring Retry-After."""

    retries: int = 3
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_wait: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    _rng: ClassVar[random.Random] = random.Random()

    def call(self, fn: Callable[[], T]) -> T:
        attempt = 0
        while True:
            try:
                return fn()
            except EngineError as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                wait = self.backoff * (2**attempt) * (0.5 + self._rng.random())
                if isinstance(exc, RateLimited) and exc.retry_after is not None:
                    wait = max(wait, exc.retry_after)
                wait = min(wait, self.max_wait)
                logger.info("%s; retrying in %.1f s", exc, wait)
                self.sleep(wait)
                attempt += 1

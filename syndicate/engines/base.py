"""The engine protocol, the registry of engines, and the retry policy they share.

Engines are found through the ``syndicate.engines`` entry-point group, the built-ins
included, so a third-party engine is a package away. Only the chosen engine's module is
imported.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import (
    Any,
    ClassVar,
    Protocol,
    Self,
    TypeGuard,
    TypeVar,
    get_type_hints,
    runtime_checkable,
)

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
    return dict(_registered())


@cache
def _registered() -> tuple[tuple[str, EngineInfo], ...]:
    """The plugins' entry points, then the built-in engines: read once a process (reading
    entry points scans every installed package's metadata, tens of milliseconds, and a
    command used to do it three times)."""
    found: dict[str, EngineInfo] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else None
        found.setdefault(ep.name, EngineInfo(ep.name, ep.value, dist))
    for name, target in _BUILTIN.items():
        found.setdefault(name, EngineInfo(name, target, None))
    return tuple(found.items())


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
    # A plugin that implements the protocol alone takes its settings as keyword arguments.
    engine = factory.from_options(opts) if _declares(factory) else factory(**opts)
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


def engine_language(engine: str | Engine, tag: str) -> str:
    """The language ``engine`` (a registered name, or the engine itself) really translates
    into for the locale ``tag``.

    LibreTranslate and Google have one English: en-GB, en-US, en-SG and en-AU get the
    same answer, so they share one request and one memory unit, and each locale's way of
    writing amounts and dates is rendered afterwards. An engine says so with a
    ``language_code(tag)`` static method; without one, every locale is its own language.
    An engine given itself answers from its own class when that declares (the registry is
    not read: reading it scans every installed package's metadata, and the registry could
    map the name to another class); otherwise by its name.
    """
    from syndicate.langtags import canonical

    if isinstance(engine, str):
        cls = _engine_class(engine)
    else:
        cls = type(engine) if _declares(type(engine)) else _engine_class(engine.name)
    mapped = cls.language_code(tag) if _declares(cls) else None
    if mapped is None:
        return canonical(tag)
    try:
        return canonical(mapped)
    except (ValueError, SyndicateError):  # an engine's own code (LibreTranslate's "zt")
        return mapped


def check_engine_settings(
    engines: Mapping[str, Any],
    *,
    where: Callable[[str], Mapping[str, Any]] = lambda dotted: {},
) -> None:
    """Refuse a typo under ``engines:`` when the settings are read, not when (or if) that
    engine is used: an unknown engine name, or a key its ``Settings`` do not have.
    ``where`` gives a dotted key's file and line (``Settings.where``)."""
    registered = available_engines()
    for name, values in engines.items():
        dotted = f"engines.{name}"
        message = f"settings for an unknown engine: {dotted}"
        _known_or_refused(str(name), registered, message, where(dotted))
        cls = _engine_class(name)
        if not _declares(cls) or not isinstance(values, dict):
            continue  # a plugin that does not declare its settings checks them itself
        settings = {f.name: f for f in dataclasses.fields(cls.Settings)}
        for key in values:
            message = f"unknown setting {dotted}.{key}"
            _known_or_refused(str(key), settings, message, where(f"{dotted}.{key}"))


def _known_or_refused(
    word: str, known: Mapping[str, Any], message: str, where: Mapping[str, Any]
) -> None:
    import difflib

    if word in known:
        return
    close = difflib.get_close_matches(word, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(sorted(known))}"
    raise ConfigError(message, hint=hint, **where)


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


DEFAULT_BATCH_SIZE = 20  # texts in one request, for an engine that does not say
DEFAULT_BATCH_CHARS = 50_000  # characters in one request, likewise
DEFAULT_CONCURRENCY = 4  # requests at once, likewise


class EngineBase:
    """What an engine may declare besides the protocol, declared rather than probed for.

    A subclass sets ``name``, ``max_chars`` and ``Settings``: a frozen dataclass, its
    fields the engine's settings (``engines.<name>.*``) and their defaults, written once.
    ``from_options`` reads and checks the settings into it (unknown keys and wrong types are
    refused naming the key). The class attributes below are the optional features; an
    engine that does not derive from this base gets their defaults.
    """

    name: ClassVar[str]
    max_chars: int
    Settings: ClassVar[type[Any]]
    batch_size: int = DEFAULT_BATCH_SIZE  # texts the dispatcher puts in one request
    batch_chars: int = DEFAULT_BATCH_CHARS  # and characters
    concurrency: int = DEFAULT_CONCURRENCY  # requests at once the service takes

    @staticmethod
    def language_code(tag: str) -> str | None:
        """The engine's own code for a locale, when several locales share one (LibreTranslate
        has one English for en-GB and en-US): they then share a request and a memory unit.
        None: every locale is a language of its own."""
        return None

    @classmethod
    def from_options(cls, values: Mapping[str, Any]) -> Self:
        """The engine, built from its ``engines.<name>`` settings."""
        return cls(read_settings(cls.name, cls.Settings, values))  # type: ignore[call-arg]

    @classmethod
    def with_settings(cls, *, retry: RetryPolicy | None = None, **settings: Any) -> Self:
        """The engine with these settings, the others at their defaults; ``retry`` replaces
        the policy its ``retries`` and ``backoff`` make (tests pass a quick one)."""
        extra = {"retry": retry} if retry is not None else {}
        return cls(cls.Settings(**settings), **extra)  # type: ignore[call-arg]


def _declares(factory: object) -> TypeGuard[type[EngineBase]]:
    return isinstance(factory, type) and issubclass(factory, EngineBase)


S = TypeVar("S")


def read_settings(engine: str, settings: type[S], values: Mapping[str, Any]) -> S:
    """An engine's settings from the configuration: ``settings``, a frozen dataclass, filled
    from ``values``; an unknown key or a wrong type is a ``ConfigError`` naming the key."""
    hints = get_type_hints(settings)
    known = {f.name for f in dataclasses.fields(settings)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(
            f"unknown setting engines.{engine}.{unknown[0]}",
            hint=f"known settings: {', '.join(sorted(known))}",
        )
    given: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue  # not set: the default
        expected = hints[key]
        if expected in (int, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            ok = ok and (expected is float or isinstance(value, int))
            value = expected(value) if ok else value
        else:
            ok = isinstance(value, expected)
        if not ok:
            raise ConfigError(f"engines.{engine}.{key} must be {expected.__name__}, not {value!r}")
        given[key] = value
    return settings(**given)


def retry_policy(settings: Any) -> RetryPolicy:
    """The retry policy an engine's ``retries`` and ``backoff`` settings ask for."""
    return RetryPolicy(retries=settings.retries, backoff=settings.backoff)


def request_limits(engine: Engine) -> tuple[int, int]:
    """How many texts and characters one request to ``engine`` carries (read each time,
    since an engine may learn a server's limits)."""
    if isinstance(engine, EngineBase):
        return engine.batch_size, engine.batch_chars
    return DEFAULT_BATCH_SIZE, DEFAULT_BATCH_CHARS


def concurrency_of(engine: Engine) -> int:
    """How many requests ``engine`` takes at once."""
    return engine.concurrency if isinstance(engine, EngineBase) else DEFAULT_CONCURRENCY


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

"""The transport protocol, the registry of transports, their settings and the retry policy.

Transports are found through the ``syndicate.transports`` entry-point group, the built-ins
included (as engines are), so a third-party transport is a package away. Only the chosen
transport's module is imported, and a transport whose library is missing (asyncssh, boto3)
says which extra to install.
"""

from __future__ import annotations

import hashlib
import posixpath
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Protocol, TypeVar, runtime_checkable

from syndicate.config import resolve_references
from syndicate.errors import ConfigError, DeliveryError, install_hint

ENTRY_POINT_GROUP = "syndicate.transports"
# Used only when the package metadata is missing (running from a source tree).
_BUILTIN = {
    "directory": "syndicate.delivery.directory:DirectoryTransport",
    "zip": "syndicate.delivery.ziparchive:ZipTransport",
    "sftp": "syndicate.delivery.sftp:SFTPTransport",
    "ftp": "syndicate.delivery.ftp:FTPTransport",
    "ftps": "syndicate.delivery.ftp:FTPSTransport",
    "s3": "syndicate.delivery.s3:S3Transport",
    "https": "syndicate.delivery.https:HTTPSTransport",
}
PART_SUFFIX = ".syndicate-part"
T = TypeVar("T")


@runtime_checkable
class Transport(Protocol):
    """**Protocol**: sends the files of one partner's package to where the partner reads them.

    ``connect`` opens and authenticates (raising ``DeliveryAuthError`` on a refused login);
    ``put`` stores one file so that the partner sees it under its final name only once it
    is complete, and returns a receipt (an ETag, the server's reply); ``remove`` deletes a
    file (the probe of ``partners check``); ``close`` may be called twice. Failures are
    ``DeliveryError`` with ``retryable`` set when trying again may help. ``whole_package``
    transports (a zip) are given every file whenever one changed, the manifest last.
    """

    kind: str
    whole_package: bool

    def describe(self) -> str: ...

    def connect(self) -> None: ...

    def put(self, path: str, data: bytes, *, package: str) -> str: ...

    def remove(self, path: str) -> None: ...

    def close(self) -> None: ...


def available_transports() -> dict[str, str]:
    """Every registered transport type and its ``module:attribute``."""
    found = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    for name, target in _BUILTIN.items():
        found.setdefault(name, target)
    return found


def create_transport(
    kind: str, options: Mapping[str, Any], *, partner: str, source: str, env: Mapping[str, str]
) -> Transport:
    """The transport ``kind`` for a partner, its ``{$env: NAME}`` settings resolved."""
    known = available_transports()
    if kind not in known:
        raise ConfigError(
            f"partner {partner!r}: unknown delivery type {kind!r}",
            source=source or None,
            hint=f"choose one of: {', '.join(sorted(known))}",
        )
    module_name, _, attr = known[kind].partition(":")
    try:
        factory = getattr(import_module(module_name), attr)
    except ImportError as exc:
        raise ConfigError(
            f"partner {partner!r}: the {kind} transport needs {exc.name or exc}, "
            "which is not installed",
            source=source or None,
            hint=install_hint("delivery"),
        ) from None
    resolved = resolve_references(dict(options), env, source)
    settings = TransportSettings(kind, partner, source, resolved)
    transport = factory(settings)
    if not isinstance(transport, Transport):
        raise ConfigError(f"transport {kind!r} does not implement the Transport protocol")
    return transport


@dataclass(frozen=True, slots=True)
class TransportSettings:
    """A partner's ``delivery:`` settings with the means to read them strictly."""

    kind: str
    partner: str
    source: str  # file:line, for errors
    values: Mapping[str, Any] = field(default_factory=dict)

    def check(self, known: set[str]) -> None:
        """Refuse keys the transport does not know, naming the closest."""
        unknown = sorted(set(self.values) - known)
        if unknown:
            raise self.error(
                f"unknown setting delivery.{unknown[0]}",
                hint=f"{self.kind} takes: {', '.join(sorted(known))}",
            )

    def get(self, key: str, kind: type[T], default: T | None = None) -> T:
        value = self.values.get(key, default)
        if value is None:
            raise self.error(f"delivery.{key} is required for {self.kind}")
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(f"delivery.{key} must be {kind.__name__}, not {value!r}")
        return value

    def optional(self, key: str, kind: type[T]) -> T | None:
        return self.get(key, kind) if self.values.get(key) is not None else None

    def error(self, message: str, *, hint: str | None = None) -> ConfigError:
        return ConfigError(f"partner {self.partner!r}: {message}", source=self.source, hint=hint)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Capped exponential backoff with jitter; seed ``rng`` for repeatable waits.

    ``retries`` is how many times one run tries a file again; ``max_attempts`` how many
    attempts, across runs, before the file is marked failed for good (Superdesk's 10).
    """

    retries: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    cap: float = 300.0
    max_attempts: int = 10
    rng: random.Random = field(default_factory=random.Random)

    def wait(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        full = min(self.cap, self.backoff * 2 ** max(0, attempt - 1))
        wait = full / 2 + self.rng.random() * full / 2  # "equal jitter": never near zero
        if retry_after is not None:
            wait = max(wait, retry_after)
        return float(min(wait, self.cap))


def remote_join(base: str, path: str) -> str:
    """A package path under the partner's remote folder (POSIX separators)."""
    return posixpath.join(base, path) if base else path


def part_name(final: str, data: bytes) -> str:
    """The temporary name a file is uploaded under before its rename: hidden, beside the final
    name, and the same for the same content, so a re-run after a kill overwrites the leftover
    of the killed upload instead of adding another."""
    folder, name = posixpath.split(final)
    digest = hashlib.sha256(data).hexdigest()[:12]
    return posixpath.join(folder, f".{name}.{digest}{PART_SUFFIX}")


def dropped(partner: str, what: str, exc: BaseException) -> DeliveryError:
    """A connection that failed or broke: worth another try."""
    detail = str(exc) or type(exc).__name__
    return DeliveryError(partner, f"{what}: {detail}", retryable=True)

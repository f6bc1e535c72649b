"""The exception tree of syndicate.

Every error a user can cause or meet is one of these; the CLI turns them into a
one-line message and an exit code in one place (``cli/app.py``). Exceptions carry
fields, not only text, so that callers can react to them: every one has ``problem`` (what
is wrong), ``path`` and ``line`` (where, when known), ``hint`` (the fix) and
``exit_code``; ``message`` is the located text ("file:line: problem"); ``others`` are the
problems found with it when every input is checked first (each is reported). Re-raising an error
as another class keeps its context (``ConfigError.of(exc)``), never only its text.

    SyndicateError (exit 1)
    ├── UsageError (exit 2)                  bad option value, unknown locale, missing input file
    │   ├── ConfigError                      bad configuration file or environment value
    │   └── UnknownEngineError               engine name not registered (lists the known ones)
    ├── InputError (path, line)              an article or page that cannot be read
    ├── DetectionError                       text too short or too mixed to tell its language
    ├── EngineError (engine, retryable)      a translation engine failed
    │   ├── EngineUnavailable                network down, connection refused, 5xx (retryable)
    │   ├── EngineTimeout                    no answer within the deadline (retryable)
    │   ├── RateLimited (retry_after)        429 (retryable)
    │   ├── EngineAuthError                  401/403: key missing or wrong
    │   ├── EngineQuotaError                 the account's quota is used up (DeepL 456)
    │   └── EngineResponseError              an answer we cannot use (wrong shape, lost text)
    ├── QAError (findings)                   a translation failed a critical check: not written
    ├── OutputError (path)                   an output file cannot be written
    ├── StorageError (path)                  a store is locked, full, damaged or gone
    └── DeliveryError (partner, retryable)   a package could not be sent to a partner
        └── DeliveryAuthError                the partner's server refused our credentials
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3


def install_hint(extra: str) -> str:
    """How to install an optional extra (``review``, ``delivery``...), for an error's hint.

    One text for every hint: the package is not on PyPI, so the form a user can run is
    pip's on the checkout, not the distribution's name with the extra.
    """
    return f"pip install -e '.[{extra}]' (from the syndicate checkout)"


class SyndicateError(Exception):
    """Base class: a failure with a message meant for the user and an exit code."""

    exit_code = EXIT_FAILURE

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = message
        self.path = path
        self.line = line
        self.hint = hint
        self.message = f"{self.where}: {message}" if self.where else message
        # Problems found with this one when a command checks all its inputs before it
        # starts (``translate a.md b.md``): each is reported, one line each.
        self.others: tuple[SyndicateError, ...] = ()
        super().__init__(self.message)

    @staticmethod
    def all_of(errors: Sequence[SyndicateError]) -> SyndicateError:
        """One error to raise for several: the first, carrying the others."""
        first = errors[0]
        first.others = tuple(errors[1:])
        return first

    @property
    def where(self) -> str:
        """``file:line``, ``file``, or empty: where the problem is."""
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def __str__(self) -> str:
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Whole across processes (a batch's worker sends its run's failure home): the
        # subclasses' arguments are not the ``args`` pickle would call them with.
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(cls: type[SyndicateError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class UsageError(SyndicateError):
    """The command was asked for something that cannot be done as asked."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A configuration file, key or environment variable is wrong.

    ``source`` names where, when it is not a file and line (``environment``, a partner's key).
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        hint: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(
            f"{source}: {message}" if source else message, hint=hint, path=path, line=line
        )
        self.source = source

    @classmethod
    def of(cls, error: SyndicateError) -> ConfigError:
        """The same problem, at the same place, as a configuration error (exit 2)."""
        return cls(error.problem, hint=error.hint, path=error.path, line=error.line)


class UnknownEngineError(UsageError, LookupError):
    """No engine of that name is registered."""

    def __init__(self, name: str, available: list[str]) -> None:
        close = difflib.get_close_matches(name, available, n=1)
        super().__init__(
            f"unknown engine {name!r}",
            hint=(f"did you mean {close[0]!r}? " if close else "")
            + f"choose one of: {', '.join(sorted(available))}",
        )
        self.name = name
        self.available = available


class InputError(SyndicateError, ValueError):
    """An input file cannot be used; names the file and, where known, the line."""

    def __init__(
        self,
        path: Path | str | None,
        message: str,
        *,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint, path="<input>" if path is None else path, line=line)


class MissingInputError(InputError, UsageError):
    """A named input file does not exist (a usage error: exit 2)."""

    exit_code = EXIT_USAGE


class DetectionError(SyndicateError):
    """The language of a text cannot be told."""


class EngineError(SyndicateError):
    """A translation engine failed. ``retryable`` says whether trying again may help."""

    retryable = False

    def __init__(self, engine: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{engine}: {message}", hint=hint)
        self.engine = engine
        self.problem = message


class EngineUnavailable(EngineError):
    """The engine cannot be reached or answered with a server error."""

    retryable = True


class EngineTimeout(EngineError):
    """The engine did not answer within the deadline."""

    retryable = True


class RateLimited(EngineError):
    """The engine asked us to slow down (HTTP 429)."""

    retryable = True

    def __init__(
        self,
        engine: str,
        message: str,
        *,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(engine, message, hint=hint)
        self.retry_after = retry_after


class EngineAuthError(EngineError):
    """The engine refused our credentials."""


class EngineQuotaError(EngineError):
    """The engine's quota is used up; trying again will not help until it renews."""


class EngineResponseError(EngineError):
    """The engine answered, but with something we cannot use."""


class QAError(SyndicateError):
    """A translation failed a critical QA check, so it was not written."""

    def __init__(self, source: str, target: str, findings: list[Any]) -> None:
        # The message names the critical findings; ``findings`` keeps the warnings too.
        critical = [f for f in findings if f.severity == "critical"] or findings
        first = critical[0]
        where = f" in {first.where}" if first.where else ""
        more = f" (and {len(critical) - 1} more)" if len(critical) > 1 else ""
        super().__init__(
            f"{source}: {target}: not written: {first.code}{where}: {first.message}{more}",
            hint="see the findings with --json, or fix the source or the glossary",
        )
        self.findings = findings


class OutputError(SyndicateError):
    """An output file cannot be written."""

    def __init__(self, path: Path | str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint, path=path)


class StorageError(SyndicateError):
    """A store (memory, journal, review states, delivery journal; an SQLite file or the
    shared PostgreSQL database) cannot be used now: locked, on a full disk, damaged, or
    its server gone.

    ``reason`` is one of locked, full, readonly, damaged, unavailable; ``detail`` is the
    database's message.
    """

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        reason: str = "damaged",
        detail: str = "",
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint, path=path)
        self.reason = reason
        self.detail = detail


class DeliveryError(SyndicateError):
    """A transport failed to send to a partner. ``retryable`` says whether trying again may
    help (a dropped connection, a 5xx); ``retry_after`` is the server's wish, in seconds."""

    def __init__(
        self,
        partner: str,
        message: str,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(f"{partner}: {message}", hint=hint)
        self.partner = partner
        self.retryable = retryable
        self.retry_after = retry_after


class DeliveryAuthError(DeliveryError):
    """The partner's server refused the login: that partner stops at once, without retries."""

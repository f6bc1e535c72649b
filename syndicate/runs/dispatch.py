"""Many jobs' segments through one engine: batched, several requests at once, as they come.

A batch run hands each job's segments in as soon as the job is planned; a request leaves
as soon as a batch of them is full, so the engine works while the rest of the run is still
being planned, and jobs are finished (checked, written) as soon as their last segment is
back rather than after the last request. Identical segments of different jobs go once.

Requests run on a thread pool (the work there is waiting on the network); everything else,
the memory and the journal included, stays on the caller's thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from syndicate.engines.base import Engine, batches, request_limits
from syndicate.errors import EngineError, EngineResponseError
from syndicate.redact import redact

BREAKER = 5  # consecutive failed requests after which the engine is left alone

Pair = tuple[str, str]  # (source language, target language)


class Counters(Protocol):
    """Where the dispatcher counts what it sent (a batch run's statistics)."""

    lock: threading.Lock
    unique: int
    requests: int
    characters: int
    failed_requests: int


class Dispatcher:
    """Collects the segments jobs wait for, sends them, and says which jobs are ready."""

    def __init__(
        self,
        engine: Engine,
        *,
        workers: int,
        counters: Counters,
        on_request: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.workers = max(1, workers)
        self.counters = counters
        self.on_request = on_request
        # (source, target, text) -> translation, or why it failed. Written under the lock;
        # an entry never changes once there, so a ready job's entries can be read freely.
        self.answers: dict[tuple[str, str, str], str] = {}
        self.failures: dict[tuple[str, str, str], str] = {}
        self.stopped: str | None = None  # why sending stopped, once the breaker trips
        self._lock = threading.Condition()
        self._pending: dict[Pair, list[str]] = {}
        self._waiters: dict[tuple[str, str, str], list[str]] = {}
        self._outstanding: dict[str, int] = {}
        self._ready: deque[str] = deque()
        self._in_flight = 0
        self._consecutive = 0
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="engine")

    def want(self, job: str, pair: Pair, texts: Sequence[str]) -> None:
        """Job ``job`` needs ``texts`` translated for ``pair``; it is ready once all are back."""
        with self._lock:
            outstanding = 0
            pending = self._pending.setdefault(pair, [])
            for text in dict.fromkeys(texts):
                key = (*pair, text)
                if key in self.answers or key in self.failures:
                    continue
                outstanding += 1
                waiters = self._waiters.get(key)
                if waiters is None:
                    self._waiters[key] = [job]
                    pending.append(text)
                    self.counters.unique += 1
                else:
                    waiters.append(job)
            self._outstanding[job] = outstanding
            if not outstanding:
                self._ready.append(job)
            size, chars = request_limits(self.engine)
            full = list(batches(pending, size=size, chars=chars))
            keep = full.pop() if full and len(full[-1]) < size else []
            self._pending[pair] = keep
        for chunk in full:
            self._submit(pair, chunk)

    def flush(self) -> None:
        """Send what is still waiting for a batch to fill: no more segments are coming."""
        with self._lock:
            pending, self._pending = self._pending, {}
        size, chars = request_limits(self.engine)
        for pair, texts in pending.items():
            for chunk in batches(texts, size=size, chars=chars):
                self._submit(pair, chunk)

    @property
    def saturated(self) -> bool:
        """Whether every worker has a request: work done now costs the engine nothing."""
        with self._lock:
            return self._in_flight >= self.workers

    def ready(self, *, wait: bool) -> str | None:
        """A job whose segments are all back (translated or failed), or None.

        With ``wait``, blocks until there is one, unless nothing is on its way.
        """
        with self._lock:
            while not self._ready and wait and (self._in_flight or self._has_pending()):
                self._lock.wait()
            return self._ready.popleft() if self._ready else None

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the requests on their way (or, with ``cancel``, drop those not started)."""
        self._pool.shutdown(wait=True, cancel_futures=cancel)

    def _has_pending(self) -> bool:
        return any(self._pending.values())

    def _submit(self, pair: Pair, chunk: list[str]) -> None:
        with self._lock:
            self._in_flight += 1
        self._pool.submit(self._send, pair, chunk)

    def _send(self, pair: Pair, chunk: list[str]) -> None:
        try:
            if self.stopped:
                self._settle(pair, chunk, failed=self.stopped)
                return
            try:
                out = self.engine.translate(chunk, source=pair[0], target=pair[1])
                if len(out) != len(chunk):
                    raise EngineResponseError(
                        self.engine.name,
                        f"returned {len(out)} translations for {len(chunk)} texts",
                    )
            except EngineError as exc:
                self._failed(exc)
                self._settle(pair, chunk, failed=redact(str(exc)))
                return
            with self.counters.lock:
                self.counters.requests += 1
                self.counters.characters += sum(len(t) for t in chunk)
            self._settle(pair, chunk, answers=zip(chunk, out, strict=True))
        except Exception as exc:  # a bug must fail its jobs, not leave them waiting forever
            self._settle(
                pair, chunk, failed=redact(f"{self.engine.name}: {type(exc).__name__}: {exc}")
            )
        finally:
            with self._lock:
                self._in_flight -= 1
                self._lock.notify_all()
            if self.on_request:
                self.on_request()

    def _settle(
        self,
        pair: Pair,
        chunk: Sequence[str],
        *,
        answers: Iterable[tuple[str, str]] = (),
        failed: str | None = None,
    ) -> None:
        with self._lock:
            if failed is None:
                self._consecutive = 0
                self.answers.update(((*pair, t), tr) for t, tr in answers)
            else:
                self.failures.update(((*pair, t), failed) for t in chunk)
            for text in chunk:
                for job in self._waiters.pop((*pair, text), ()):
                    self._outstanding[job] -= 1
                    if not self._outstanding[job]:
                        self._ready.append(job)
            self._lock.notify_all()

    def _failed(self, exc: EngineError) -> None:
        with self.counters.lock:
            self.counters.failed_requests += 1
        with self._lock:
            self._consecutive += 1
            if self._consecutive >= BREAKER and self.stopped is None:
                why = f"{BREAKER} requests in a row failed; the run stopped sending"
                self.stopped = f"{self.engine.name}: {why} ({redact(str(exc))})"

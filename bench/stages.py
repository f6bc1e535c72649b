"""Our CPU per stage of a batch run, measured on the run itself.

``timed(stages)`` wraps the library functions each stage is made of, wherever they were
imported, with a timer of the calling thread's CPU; a call inside another timed call
counts for its own stage only, never for both. What no stage claims (planning and
dispatch, the report, packages) is the run's total CPU minus the stages': "other".
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
import types
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

_local = threading.local()


class Stages:
    """CPU seconds per stage, exclusive of timed calls nested inside."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.lock = threading.Lock()

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            stack: list[list[float]] = _local.__dict__.setdefault("stack", [])
            stack.append([0.0])  # CPU spent in nested timed calls
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.thread_time() - start
                nested = stack.pop()[0]
                if stack:
                    stack[-1][0] += elapsed
                with self.lock:
                    self.seconds[stage] += elapsed - nested

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed


@contextlib.contextmanager
def timed(stages: Stages, plan: Mapping[str, Sequence[tuple[Any, str]]]) -> Iterator[None]:
    """While inside, each (owner, name) of ``plan[stage]`` counts for that stage. A module
    function is replaced in every ``syndicate`` module that imported it."""
    undo: list[tuple[Any, str, Any]] = []
    for stage, targets in plan.items():
        for owner, name in targets:
            original = getattr(owner, name)
            wrapped = stages.wrap(stage, original)
            holders = (
                [owner]
                if not isinstance(owner, types.ModuleType)
                else [
                    m
                    for n, m in list(sys.modules.items())
                    if n.startswith("syndicate") and getattr(m, name, None) is original
                ]
            )
            for holder in holders:
                undo.append((holder, name, original))
                setattr(holder, name, wrapped)
    try:
        yield
    finally:
        for holder, name, original in reversed(undo):
            setattr(holder, name, original)

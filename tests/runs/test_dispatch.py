"""The dispatcher: segments of many jobs batched as they come, several requests at once."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from syndicate.engines.base import EngineBase
from syndicate.errors import EngineUnavailable
from syndicate.runs.batch import Stats
from syndicate.runs.dispatch import BREAKER, Dispatcher

PAIR = ("id", "en")


class FakeEngine(EngineBase):
    """Upper-cases texts; records each request; can hold requests back or fail them."""

    name = "fake"
    max_chars = 1000

    def __init__(self, batch_size: int = 5, batch_chars: int = 1000) -> None:
        self.batch_size = batch_size
        self.batch_chars = batch_chars
        self.requests: list[list[str]] = []
        self.gate = threading.Event()
        self.gate.set()
        self.fail_with: Exception | None = None
        self.answer_count: int | None = None
        self.lock = threading.Lock()

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        with self.lock:
            self.requests.append(list(texts))
        assert self.gate.wait(5), "a request was held too long"
        if self.fail_with is not None:
            raise self.fail_with
        out = [t.upper() for t in texts]
        return out[: self.answer_count] if self.answer_count is not None else out


def dispatcher(engine: FakeEngine, workers: int = 2) -> tuple[Dispatcher, Stats]:
    stats = Stats()
    return Dispatcher(engine, workers=workers, counters=stats), stats


def drain(d: Dispatcher) -> list[str]:
    d.flush()
    ready = []
    while (job := d.ready(wait=True)) is not None:
        ready.append(job)
    d.close()
    return ready


def test_jobs_share_requests_and_identical_segments_go_once() -> None:
    engine = FakeEngine(batch_size=4)
    d, stats = dispatcher(engine)
    d.want("a", PAIR, ["one", "two", "three"])
    d.want("b", PAIR, ["two", "four", "five"])
    d.want("c", PAIR, ["one", "six"])
    assert sorted(drain(d)) == ["a", "b", "c"]
    sent = [t for r in engine.requests for t in r]
    assert sorted(sent) == sorted(["one", "two", "three", "four", "five", "six"])
    assert all(len(r) <= 4 for r in engine.requests)
    assert stats.unique == 6 and stats.requests == len(engine.requests) == 2
    assert d.answers[(*PAIR, "two")] == "TWO"


def test_a_full_batch_leaves_before_planning_ends_and_a_partial_one_waits() -> None:
    engine = FakeEngine(batch_size=3)
    d, _ = dispatcher(engine)
    d.want("a", PAIR, ["1 a", "1 b"])
    assert d.ready(wait=False) is None and engine.requests == []  # not full: waits
    d.want("b", PAIR, ["2 a", "2 b"])
    assert d.ready(wait=True) == "a"  # its batch filled and came back without a flush
    assert engine.requests == [["1 a", "1 b", "2 a"]]
    assert drain(d) == ["b"]
    assert engine.requests[1] == ["2 b"]


def test_batches_respect_the_character_limit() -> None:
    engine = FakeEngine(batch_size=50, batch_chars=10)
    d, _ = dispatcher(engine)
    d.want("a", PAIR, ["aaaa", "bbbb", "cccc", "dddd", "e" * 25])
    drain(d)
    assert all(sum(map(len, r)) <= 10 or len(r) == 1 for r in engine.requests)
    assert len(engine.requests) == 3
    assert ["e" * 25] in engine.requests  # a text longer than the limit goes alone


def test_a_job_with_nothing_to_send_or_only_known_segments_is_ready_at_once() -> None:
    engine = FakeEngine(batch_size=1)
    d, _ = dispatcher(engine)
    d.want("empty", PAIR, [])
    assert d.ready(wait=False) == "empty"
    d.want("a", PAIR, ["x"])
    assert d.ready(wait=True) == "a"
    d.want("again", PAIR, ["x"])
    assert d.ready(wait=False) == "again"
    assert len(engine.requests) == 1
    d.close()


def test_the_same_text_for_another_pair_is_sent_again() -> None:
    engine = FakeEngine(batch_size=1)
    d, _ = dispatcher(engine)
    d.want("en", ("id", "en"), ["halo"])
    d.want("ja", ("id", "ja"), ["halo"])
    assert sorted(drain(d)) == ["en", "ja"]
    assert len(engine.requests) == 2


def test_while_every_worker_waits_on_the_engine_the_dispatcher_is_saturated() -> None:
    engine = FakeEngine(batch_size=1)
    engine.gate.clear()
    d, _ = dispatcher(engine, workers=2)
    d.want("a", PAIR, ["x"])
    assert not d.saturated
    d.want("b", PAIR, ["y"])
    assert d.saturated
    engine.gate.set()
    assert sorted(drain(d)) == ["a", "b"]
    assert not d.saturated


def test_a_failed_request_fails_its_segments_and_every_job_waiting_for_them() -> None:
    engine = FakeEngine(batch_size=2)
    engine.fail_with = EngineUnavailable("fake", "HTTP 503 from the server")
    d, stats = dispatcher(engine)
    d.want("a", PAIR, ["x", "y"])
    d.want("b", PAIR, ["y"])
    assert sorted(drain(d)) == ["a", "b"]
    assert d.failures[(*PAIR, "y")] == "fake: HTTP 503 from the server"
    assert not d.answers and stats.failed_requests == 1 and stats.requests == 0
    assert d.stopped is None


def test_after_too_many_failures_in_a_row_the_engine_is_left_alone() -> None:
    engine = FakeEngine(batch_size=1)
    engine.fail_with = EngineUnavailable("fake", "HTTP 502")
    d, stats = dispatcher(engine, workers=1)
    for n in range(BREAKER + 5):
        d.want(f"job {n}", PAIR, [f"text {n}"])
    assert len(drain(d)) == BREAKER + 5
    assert len(engine.requests) == stats.failed_requests == BREAKER  # the rest were never sent
    assert d.stopped is not None and "5 requests in a row failed" in d.stopped
    assert d.failures[(*PAIR, f"text {BREAKER + 4}")] == d.stopped


def test_a_success_resets_the_count_of_failures_in_a_row() -> None:
    engine = FakeEngine(batch_size=1)
    d, _ = dispatcher(engine, workers=1)
    for round_ in range(3):
        engine.fail_with = EngineUnavailable("fake", "HTTP 502")
        for n in range(BREAKER - 1):
            d.want(f"fail {round_} {n}", PAIR, [f"f {round_} {n}"])
        for _ in range(BREAKER - 1):
            assert d.ready(wait=True) is not None
        engine.fail_with = None
        d.want(f"ok {round_}", PAIR, [f"ok {round_}"])
        assert d.ready(wait=True) == f"ok {round_}"
    assert d.stopped is None
    d.close()


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("count", "fake: returned 1 translations for 2 texts"),
        ("bug", "fake: ZeroDivisionError: division by zero"),
    ],
)
def test_an_unusable_answer_or_a_bug_fails_the_jobs_instead_of_hanging(
    fault: str, message: str
) -> None:
    engine = FakeEngine(batch_size=2)
    if fault == "count":
        engine.answer_count = 1
    else:
        engine.fail_with = ZeroDivisionError("division by zero")
    d, _ = dispatcher(engine)
    d.want("a", PAIR, ["x", "y"])
    assert drain(d) == ["a"]
    assert d.failures[(*PAIR, "x")] == message


def test_waiting_with_nothing_on_its_way_returns_at_once() -> None:
    d, _ = dispatcher(FakeEngine())
    assert d.ready(wait=True) is None
    d.close()

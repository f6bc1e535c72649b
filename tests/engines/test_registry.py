"""Engines are found by name through entry points; retries follow the policy."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from syndicate.engines.base import Engine, RetryPolicy, available_engines, create_engine
from syndicate.engines.pseudo import PseudoEngine, pseudo_localize
from syndicate.errors import (
    ConfigError,
    EngineAuthError,
    EngineUnavailable,
    RateLimited,
    UnknownEngineError,
)


def test_builtins_are_registered() -> None:
    """google, libre and pseudo are all available by name."""
    assert {"google", "libre", "pseudo", "deepl", "openai", "ct2"} <= set(available_engines())


def test_create_engine_checks_the_protocol() -> None:
    """A created engine satisfies the Engine protocol."""
    engine = create_engine("pseudo")
    assert isinstance(engine, Engine)
    assert isinstance(engine, PseudoEngine)


def test_unknown_engine_lists_the_known_ones() -> None:
    """A typo is a usage error naming the closest engine and the choices (a user's plan
    said `engine: psuedo`)."""
    with pytest.raises(
        UnknownEngineError,
        match=r"did you mean 'google'\? choose one of: ct2, deepl, google, libre, openai, pseudo",
    ):
        create_engine("gogle")
    with pytest.raises(UnknownEngineError, match="did you mean 'pseudo'"):
        create_engine("psuedo")
    with pytest.raises(UnknownEngineError, match=r"'babelfish'; choose one of"):
        create_engine("babelfish")


def test_pseudo_keeps_tokens_digits_and_punctuation() -> None:
    """Only letters change; the text grows."""
    out = pseudo_localize("Rp 154 triliun, ⟦1⟧naik⟦2⟧!")
    assert "154" in out and "⟦1⟧" in out and "⟦2⟧!" in out and "," in out
    assert len(out) > len("Rp 154 triliun, ⟦1⟧naik⟦2⟧!")
    assert not any(ch in out for ch in "triliun")


def test_retry_policy_backs_off_and_stops() -> None:
    """Retryable errors are retried with growing waits; others are not."""
    waits: list[float] = []
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise EngineUnavailable("x", "down")
        return "ok"

    assert RetryPolicy(retries=3, backoff=1, sleep=waits.append).call(flaky) == "ok"
    assert len(waits) == 2 and waits[1] > waits[0] * 0.6

    def refused() -> str:
        calls.append(1)
        raise EngineAuthError("x", "no")

    calls.clear()
    with pytest.raises(EngineAuthError):
        RetryPolicy(retries=3, sleep=waits.append).call(refused)
    assert len(calls) == 1

    def limited() -> str:
        raise RateLimited("x", "slow", retry_after=7)

    waits.clear()
    with pytest.raises(RateLimited):
        RetryPolicy(retries=1, backoff=0.1, sleep=waits.append).call(limited)
    assert waits == [7]


def test_an_engine_declares_its_features_and_a_plugin_gets_the_defaults() -> None:
    """Batch sizes and concurrency are declared on EngineBase, never probed for; an engine
    that only implements the protocol gets the defaults."""
    from syndicate.engines.base import (
        DEFAULT_BATCH_CHARS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_CONCURRENCY,
        concurrency_of,
        request_limits,
    )
    from syndicate.engines.openai import OpenAIEngine

    class Plain:
        name = "plain"
        max_chars = 100
        batch_size = 3  # not an EngineBase: not read

        def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
            return list(texts)

    assert request_limits(Plain()) == (DEFAULT_BATCH_SIZE, DEFAULT_BATCH_CHARS)
    assert concurrency_of(Plain()) == DEFAULT_CONCURRENCY
    openai = OpenAIEngine.from_options(
        {"url": "http://127.0.0.1:9/v1", "model": "m", "batch_size": 8}
    )
    assert request_limits(openai) == (8, 6000)  # the dispatcher sends what the engine sends


def test_engine_settings_are_one_dataclass_checked_by_type() -> None:
    """Unknown keys and wrong types are refused naming the key; ints are taken as floats."""
    from syndicate.engines.libre import LibreEngine

    engine = LibreEngine.from_options({"url": "http://127.0.0.1:9", "timeout": 5, "retries": 0})
    assert engine.retry.retries == 0 and engine.client.timeout == 5.0
    with pytest.raises(ConfigError, match=r"engines\.libre\.retries must be int"):
        LibreEngine.from_options({"url": "http://x", "retries": 1.5})

"""Engines are found by name through entry points; retries follow the policy."""

from __future__ import annotations

import pytest

from syndicate.engines.base import Engine, RetryPolicy, available_engines, create_engine
from syndicate.engines.pseudo import PseudoEngine, pseudo_localize
from syndicate.errors import EngineAuthError, EngineUnavailable, RateLimited, UnknownEngineError


def test_builtins_are_registered() -> None:
    """google, libre and pseudo are all available by name."""
    assert {"google", "libre", "pseudo", "deepl", "openai", "ct2"} <= set(available_engines())


def test_create_engine_checks_the_protocol() -> None:
    """A created engine satisfies the Engine protocol."""
    engine = create_engine("pseudo")
    assert isinstance(engine, Engine)
    assert isinstance(engine, PseudoEngine)


def test_unknown_engine_lists_the_known_ones() -> None:
    """A typo is a usage error naming the choices."""
    with pytest.raises(
        UnknownEngineError, match="choose one of: ct2, deepl, google, libre, openai, pseudo"
    ):
        create_engine("gogle")


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

"""OpenAI-compatible chat completions (and Azure OpenAI): prompt, JSON, malformed answers."""

from __future__ import annotations

import pytest

from syndicate.engines.base import RetryPolicy
from syndicate.engines.openai import OpenAIEngine
from syndicate.errors import ConfigError, EngineResponseError
from syndicate.testing import OpenAIServer

QUICK = RetryPolicy(retries=2, backoff=0.01, sleep=lambda s: None)


def test_prompt_rules_and_temperature() -> None:
    """The system prompt fixes the rules and the house style; temperature is 0."""
    with OpenAIServer() as server:
        engine = OpenAIEngine.with_settings(
            url=f"{server.url}/v1",
            model="gpt-test",
            api_key="sk-test",
            retry=QUICK,
            style="Use British spelling.",
        )
        assert (
            engine.translate(["Halo ⟦1⟧dunia⟦2⟧", "Halo ⟦1⟧dunia⟦2⟧"], source="id", target="en-GB")
            == ["hALO ⟦1⟧DUNIA⟦2⟧"] * 2
        )
        [request] = server.requests
        assert request["q"] == ["Halo ⟦1⟧dunia⟦2⟧"]  # identical segments asked once
        assert request["temperature"] == 0 and request["model"] == "gpt-test"
        system = request["system"]
        assert "Indonesian (id)" in system and "English (United Kingdom) (en-GB)" in system
        assert "⟦1⟧" in system and "Use British spelling." in system


def test_malformed_answer_is_asked_again_then_reported() -> None:
    """Prose instead of JSON is retried; when it persists, it is an error."""
    with OpenAIServer() as server:
        server.malformed = 1
        engine = OpenAIEngine.with_settings(
            url=f"{server.url}/v1", model="m", api_key="sk-test", retry=QUICK
        )
        assert engine.translate(["a b"], source="id", target="en") == ["A B"]
        server.malformed = 10
        with pytest.raises(EngineResponseError, match="expected JSON with 1 translations"):
            engine.translate(["c d"], source="id", target="en")


def test_azure_url_shape() -> None:
    """Azure: /openai/deployments/<name>/chat/completions?api-version=..., key in api-key."""
    with OpenAIServer() as server:
        engine = OpenAIEngine.with_settings(
            azure_endpoint=server.url,
            deployment="news",
            api_key="sk-test",
            api_version="2024-10-21",
            retry=QUICK,
        )
        assert engine.url.endswith(
            "/openai/deployments/news/chat/completions?api-version=2024-10-21"
        )
        assert engine.translate(["a"], source="id", target="ja") == ["A"]


def test_batches_respect_the_token_budget() -> None:
    """Segments are cut into requests that fit max_tokens."""
    with OpenAIServer() as server:
        engine = OpenAIEngine.with_settings(
            url=f"{server.url}/v1", model="m", api_key="sk-test", retry=QUICK, max_tokens=100
        )
        texts = [f"kalimat nomor {i} " * 4 for i in range(20)]
        assert engine.translate(texts, source="id", target="en") == [t.swapcase() for t in texts]
        assert len(server.requests) > 1 and all(
            sum(len(q) for q in r["q"]) <= 200 for r in server.requests
        )


def test_settings_are_checked() -> None:
    """Missing URL, model or deployment are configuration errors naming the setting."""
    with pytest.raises(ConfigError, match=r"engines\.openai\.url"):
        OpenAIEngine.from_options({"model": "m"})
    with pytest.raises(ConfigError, match=r"engines\.openai\.model"):
        OpenAIEngine.from_options({"url": "http://localhost:8080/v1"})
    with pytest.raises(ConfigError, match="deployment"):
        OpenAIEngine.from_options({"azure_endpoint": "https://x.openai.azure.com", "api_key": "k"})

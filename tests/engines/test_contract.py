"""What every HTTP engine promises, checked against a local server speaking its protocol."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from syndicate.engines.base import Engine, RetryPolicy
from syndicate.engines.deepl import DeepLEngine
from syndicate.engines.google import GoogleEngine
from syndicate.engines.libre import LibreEngine
from syndicate.engines.openai import OpenAIEngine
from syndicate.errors import EngineAuthError, EngineTimeout, EngineUnavailable, RateLimited
from syndicate.testing import DeepLServer, GoogleMobileServer, LibreTranslateServer, OpenAIServer

Build = Callable[..., Engine]
QUICK = RetryPolicy(retries=1, backoff=0.01, sleep=lambda s: None)
SETUPS: dict[str, tuple[type[Any], Callable[..., Engine]]] = {
    "libre": (LibreTranslateServer, lambda url, **kw: LibreEngine.with_settings(url=url, **kw)),
    "google": (GoogleMobileServer, lambda url, **kw: GoogleEngine.with_settings(url=url, **kw)),
    "deepl": (
        DeepLServer,
        lambda url, **kw: DeepLEngine.with_settings(api_key="key:fx", url=url, **kw),
    ),
    "openai": (
        OpenAIServer,
        lambda url, **kw: OpenAIEngine.with_settings(
            url=f"{url}/v1", model="gpt-test", api_key="sk-test", **kw
        ),
    ),
    "azure": (
        OpenAIServer,
        lambda url, **kw: OpenAIEngine.with_settings(
            azure_endpoint=url, deployment="news", api_key="sk-test", **kw
        ),
    ),
}
WRONG_KEY: dict[str, Callable[..., Engine]] = {
    "deepl": lambda url: DeepLEngine.with_settings(api_key="wrong:fx", url=url, retry=QUICK),
    "openai": lambda url: OpenAIEngine.with_settings(
        url=f"{url}/v1", model="m", api_key="sk-wrong", retry=QUICK
    ),
    "azure": lambda url: OpenAIEngine.with_settings(
        azure_endpoint=url, deployment="news", api_key="sk-wrong", retry=QUICK
    ),
}


@pytest.fixture(params=sorted(SETUPS))
def setup(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Build]]:
    server_class, factory = SETUPS[request.param]
    with server_class() as server:

        def build(**kw: Any) -> Engine:
            kw.setdefault("retry", QUICK)
            return factory(server.url, **kw)

        build.kind = request.param  # type: ignore[attr-defined]
        yield server, build


def test_translates_in_order_keeping_placeholders(setup: tuple[Any, Build]) -> None:
    """Texts come back one for one, in order, tokens intact."""
    _, build = setup
    texts = [f"Kalimat {i} ⟦1⟧tebal⟦2⟧" for i in range(12)]
    assert build().translate(texts, source="id", target="en") == [t.swapcase() for t in texts]


def test_empty_batch_sends_nothing(setup: tuple[Any, Build]) -> None:
    """No texts, no request."""
    server, build = setup
    assert build().translate([], source="id", target="en") == []
    assert server.requests == []


def test_rate_limit_after_retries(setup: tuple[Any, Build]) -> None:
    """A server that keeps answering 429 ends in RateLimited."""
    server, build = setup
    server.fail(429, times=10)
    with pytest.raises(RateLimited):
        build().translate(["a"], source="id", target="en")


def test_server_error_after_retries(setup: tuple[Any, Build]) -> None:
    """A server that keeps answering 500 ends in EngineUnavailable."""
    server, build = setup
    server.fail(500, times=10)
    with pytest.raises(EngineUnavailable):
        build().translate(["a"], source="id", target="en")


def test_transient_failure_is_retried(setup: tuple[Any, Build]) -> None:
    """One 503 then success: the caller sees only the translation."""
    server, build = setup
    server.fail(503)
    assert build().translate(["a"], source="id", target="en") == ["A"]


def test_deadline(setup: tuple[Any, Build]) -> None:
    """A stalled server is abandoned after the timeout."""
    server, build = setup
    server.hang = 1.0
    with pytest.raises(EngineTimeout):
        build(timeout=0.2, retry=RetryPolicy(retries=0)).translate(["a"], source="id", target="en")


def test_nothing_listening(setup: tuple[Any, Build]) -> None:
    """A closed port is EngineUnavailable with a hint, not a raw requests error."""
    server, build = setup
    engine = build(retry=RetryPolicy(retries=0))
    server.stop()
    with pytest.raises(EngineUnavailable) as info:
        engine.translate(["a"], source="id", target="en")
    assert info.value.hint


def test_empty_and_whitespace_segments_come_back_as_they_are(setup: tuple[Any, Build]) -> None:
    """Nothing to translate is not sent, and keeps its whitespace."""
    _, build = setup
    assert build().translate(["", "  ", "Halo dunia"], source="id", target="en") == [
        "",
        "  ",
        "hALO DUNIA",
    ]


def test_long_segment(setup: tuple[Any, Build]) -> None:
    """A segment longer than the engine's limit still comes back whole."""
    _, build = setup
    engine = build()
    text = " ".join(
        f"Kalimat panjang nomor {i} tentang anggaran negara."
        for i in range(engine.max_chars // 40 + 20)
    )
    assert engine.translate([text], source="id", target="en") == [text.swapcase()]


@pytest.mark.parametrize("kind", sorted(WRONG_KEY))
def test_wrong_key_is_an_auth_error(kind: str) -> None:
    """A refused key is EngineAuthError, not retried."""
    server_class, _ = SETUPS[kind]
    with server_class() as server:
        with pytest.raises(EngineAuthError):
            WRONG_KEY[kind](server.url).translate(["a"], source="id", target="en")
        assert server.requests == []

"""The LibreTranslate engine against a local server speaking the real protocol."""

from __future__ import annotations

import pytest

from syndicate.engines.base import RetryPolicy
from syndicate.engines.libre import LibreEngine, libre_code
from syndicate.errors import (
    ConfigError,
    EngineAuthError,
    EngineError,
    EngineResponseError,
)
from syndicate.testing import LibreTranslateServer


def engine(server: LibreTranslateServer, **kw: object) -> LibreEngine:
    waits: list[float] = []
    kw.setdefault("retry", RetryPolicy(retries=2, backoff=0.01, sleep=waits.append))
    return LibreEngine.with_settings(url=server.url, **kw)  # type: ignore[arg-type]


def test_one_request_carries_many_segments(libre: LibreTranslateServer) -> None:
    """A batch is one POST with q as a JSON list, in order."""
    texts = [f"Kalimat {i} ⟦1⟧" for i in range(30)]
    out = engine(libre).translate(texts, source="id", target="en-GB")
    assert out == [t.swapcase() for t in texts]
    assert len(libre.requests) == 1
    assert libre.requests[0]["json"] is True
    assert libre.requests[0]["source"] == "id" and libre.requests[0]["target"] == "en"


def test_batches_respect_size_and_character_limits(libre: LibreTranslateServer) -> None:
    """Requests are split so no batch exceeds the count or character limits."""
    texts = ["x" * 40] * 10
    engine(libre, batch_size=4, batch_chars=100).translate(texts, source="id", target="en")
    sizes = [len(r["q"]) for r in libre.requests]
    assert sizes == [2, 2, 2, 2, 2]
    engine(libre, batch_size=3).translate(["a"] * 7, source="id", target="en")
    assert [len(r["q"]) for r in libre.requests[5:]] == [3, 3, 1]


def test_api_key_is_sent(libre: LibreTranslateServer) -> None:
    """A server that requires a key gets it; a wrong key is an auth error."""
    libre.api_key = "rahasia"
    assert engine(libre, api_key="rahasia").translate(["a"], source="id", target="en") == ["A"]
    with pytest.raises(EngineAuthError, match="Invalid API key"):
        engine(libre, api_key="salah").translate(["a"], source="id", target="en")


def test_429_is_retried_honouring_retry_after(libre: LibreTranslateServer) -> None:
    """A 429 with Retry-After waits at least that long, then succeeds."""
    waits: list[float] = []
    libre.fail(429, body='{"error": "Slowdown: 1 per 1 second"}', **{"Retry-After": "2"})
    e = LibreEngine.with_settings(
        url=libre.url, retry=RetryPolicy(retries=2, backoff=0.01, sleep=waits.append)
    )
    assert e.translate(["a"], source="id", target="en") == ["A"]
    assert waits and waits[0] >= 2


def test_bad_request_is_not_retried(libre: LibreTranslateServer) -> None:
    """A 400 (unsupported language) fails at once with the server's message."""
    libre.fail(400, body='{"error": "xx is not supported"}')
    with pytest.raises(Exception, match="xx is not supported"):
        engine(libre).translate(["a"], source="id", target="en")


def test_a_servers_batch_limit_is_learned(
    libre: LibreTranslateServer, caplog: pytest.LogCaptureFixture
) -> None:
    """A server with --batch-limit 3 refuses the first request; the engine takes the limit
    from the refusal, splits, and every later request fits at once."""
    libre.batch_limit = 3
    e = engine(libre)
    texts = [f"kalimat {i}" for i in range(8)]
    assert e.translate(texts, source="id", target="en") == [t.swapcase() for t in texts]
    assert [len(r["q"]) for r in libre.requests] == [3, 3, 2]
    assert e.batch_size == 3
    assert "at most 3 texts a request" in caplog.text and "batch_size: 3" in caplog.text
    e.translate(texts, source="id", target="en")
    assert [len(r["q"]) for r in libre.requests[3:]] == [3, 3, 2]


def test_a_servers_char_limit_is_learned_and_long_texts_go_in_pieces(
    libre: LibreTranslateServer,
) -> None:
    """--char-limit 60: requests of at most 60 characters; a longer paragraph is sent in
    sentence-sized pieces and comes back whole."""
    libre.char_limit = 60
    long = "Kalimat pertama cukup panjang. Kalimat kedua juga panjang. Dan yang ketiga."
    texts = ["satu dua tiga", long, "empat lima"]
    out = engine(libre).translate(texts, source="id", target="en")
    assert out == [t.swapcase() for t in texts]
    assert all(sum(map(len, r["q"])) <= 60 for r in libre.requests)
    assert len(libre.requests) >= 3


def test_a_limit_refusal_that_teaches_nothing_fails(libre: LibreTranslateServer) -> None:
    """A limit at or above what was sent (a misconfigured proxy) is an error, not a loop."""
    libre.fail(400, body='{"error": "Invalid request: request (2) exceeds text limit (5)"}')
    with pytest.raises(EngineError, match=r"exceeds text limit \(5\)"):
        engine(libre).translate(["a", "b"], source="id", target="en")
    assert libre.requests == []
    libre.char_limit = 5  # a placeholder token is never cut: no piece of it fits
    with pytest.raises(EngineError, match=r"request \(7\) exceeds text limit \(5\)"):
        engine(libre).translate(["⟦12345⟧"], source="id", target="en")


def test_wrong_shape_answer_is_reported(libre: LibreTranslateServer) -> None:
    """An answer with the wrong number of translations is refused."""
    libre.fail(200, body='{"translatedText": ["only one"]}')
    with pytest.raises(EngineResponseError, match="expected 2 translations"):
        engine(libre).translate(["a", "b"], source="id", target="en")


def test_html_error_page_is_reported(libre: LibreTranslateServer) -> None:
    """A proxy's HTML page instead of JSON is an error, not a crash."""
    libre.fail(200, body="<html>gateway</html>")
    with pytest.raises(EngineResponseError, match="not JSON"):
        engine(libre).translate(["a"], source="id", target="en")


def test_options_need_a_url_and_known_keys() -> None:
    """Settings are checked with the key named."""
    with pytest.raises(ConfigError, match="needs a server URL"):
        LibreEngine.from_options({})
    with pytest.raises(ConfigError, match=r"engines\.libre\.urll"):
        LibreEngine.from_options({"urll": "http://x"})
    with pytest.raises(ConfigError, match=r"engines\.libre\.timeout must be float"):
        LibreEngine.from_options({"url": "http://x", "timeout": "soon"})


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("id", "id"),
        ("en-GB", "en"),
        ("zh-CN", "zh"),
        ("zh-TW", "zt"),
        ("pt-BR", "pb"),
        ("ja-JP", "ja"),
    ],
)
def test_language_codes(tag: str, code: str) -> None:
    """Tags map to LibreTranslate's codes."""
    assert libre_code(tag) == code

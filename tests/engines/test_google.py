"""The Google engine (deep-translator) against a local page speaking Google's /m protocol."""

from __future__ import annotations

import pytest

from syndicate.engines.base import RetryPolicy
from syndicate.engines.google import GoogleEngine, google_code
from syndicate.errors import EngineUnavailable
from syndicate.testing import GoogleMobileServer


def engine(server: GoogleMobileServer, **kw: object) -> GoogleEngine:
    kw.setdefault("retry", RetryPolicy(retries=1, backoff=0.01, sleep=lambda s: None))
    return GoogleEngine.with_settings(url=server.url, **kw)  # type: ignore[arg-type]


def test_translates_each_text_keeping_edges(google: GoogleMobileServer) -> None:
    """Each text is one GET; edge whitespace stripped by Google is put back."""
    out = engine(google).translate(["Halo ⟦1⟧dunia⟦2⟧", " spasi "], source="id", target="zh-CN")
    assert out == ["hALO ⟦1⟧DUNIA⟦2⟧", " SPASI "]
    assert sorted(r["q"][0] for r in google.requests) == ["Halo ⟦1⟧dunia⟦2⟧", "spasi"]
    assert {r["target"] for r in google.requests} == {"zh-CN"}


def test_long_text_is_split_under_the_limit(google: GoogleMobileServer) -> None:
    """A text over 5,000 characters goes in pieces, each under the limit, joined back."""
    text = " ".join(f"Ini kalimat nomor {i} dalam paragraf panjang." for i in range(300))
    assert len(text) > 12_000
    out = engine(google).translate([text], source="id", target="en")
    assert out == [text.swapcase()]
    assert len(google.requests) >= 3
    assert all(len(r["q"][0]) < 5000 for r in google.requests)


def test_punctuation_only_needs_no_translation(google: GoogleMobileServer) -> None:
    """deep-translator returns None for punctuation; the text is kept."""
    google.translator = lambda text, s, t: text
    assert engine(google).translate(["!!!"], source="id", target="en") == ["!!!"]


def test_no_network_says_what_to_do() -> None:
    """Nothing listening: the error suggests offline and self-hosted engines."""
    with GoogleMobileServer() as server:
        url = server.url
    e = GoogleEngine.with_settings(url=url, retry=RetryPolicy(retries=0))
    with pytest.raises(EngineUnavailable, match="--engine pseudo"):
        e.translate(["a"], source="id", target="en")


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("he", "iw"),
        ("jv", "jw"),
        ("fil", "tl"),
        ("zh-Hans", "zh-CN"),
        ("zh-TW", "zh-TW"),
        ("en-US", "en"),
        ("in", "id"),
    ],
)
def test_language_codes(tag: str, code: str) -> None:
    """Tags map to Google's legacy codes."""
    assert google_code(tag) == code


@pytest.mark.network
def test_live_google() -> None:
    """Against the real endpoint (run with -m network)."""
    out = GoogleEngine().translate(["Selamat pagi ⟦1⟧Jakarta⟦2⟧"], source="id", target="en")
    assert "Jakarta" in out[0]


def test_first_failure_stops_the_other_workers(google: GoogleMobileServer) -> None:
    """With several requests at once, a failing endpoint is reported with its own error."""
    google.fail(500, times=100)
    e = engine(
        google, concurrency=4, retry=RetryPolicy(retries=1, backoff=0.01, sleep=lambda s: None)
    )
    with pytest.raises(EngineUnavailable, match=r"request to .* failed"):
        e.translate([f"kalimat {i}" for i in range(40)], source="id", target="en")
    assert google.failures and google.failures[0].times > 100 - 40  # most were never sent

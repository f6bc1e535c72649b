"""LibreTranslate: the self-hosted (or public) HTTP API, with real batching.

One ``POST /translate`` carries many segments (``q`` as a JSON list), up to
``batch_size`` segments and ``batch_chars`` characters, so that a server started with
``--batch-limit`` or ``--char-limit`` is respected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from syndicate.engines.base import Options, RetryPolicy, batches
from syndicate.engines.http import HttpClient
from syndicate.errors import ConfigError, EngineResponseError
from syndicate.langtags import parse_tag

_SPECIAL = {"zh-Hans": "zh", "zh-Hant": "zt", "pt-BR": "pb"}


def libre_code(tag: str) -> str:
    """LibreTranslate's code for a language tag (its aliases work on old and new servers)."""
    t = parse_tag(tag)
    for key in (f"{t.language}-{t.script}" if t.script else "", f"{t.language}-{t.region}"):
        if key in _SPECIAL:
            return _SPECIAL[key]
    return t.language


class LibreEngine:
    """Translates through a LibreTranslate server."""

    name = "libre"
    max_chars = 10_000
    SETTINGS: ClassVar[dict[str, type]] = {
        "url": str,
        "api_key": str,
        "timeout": float,
        "retries": int,
        "backoff": float,
        "batch_size": int,
        "batch_chars": int,
    }

    def __init__(
        self,
        url: str,
        *,
        api_key: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        batch_size: int = 50,
        batch_chars: int = 20_000,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"engines.libre.url must be an http(s) URL, not {url!r}")
        self.url = url.rstrip("/") + "/translate"
        self.api_key = api_key
        self.client = HttpClient(self.name, timeout=timeout)
        self.retry = retry or RetryPolicy()
        self.batch_size = max(1, batch_size)
        self.batch_chars = max(1, batch_chars)
        self.max_chars = min(self.max_chars, self.batch_chars)

    @classmethod
    def from_options(cls, values: dict[str, Any]) -> LibreEngine:
        opts = Options(cls.name, values, cls.SETTINGS)
        url = opts.get("url", "")
        if not url:
            raise ConfigError(
                "the libre engine needs a server URL",
                hint="set engines.libre.url in the config file or SYNDICATE_ENGINES__LIBRE__URL",
            )
        return cls(
            url,
            api_key=opts.get("api_key", "") or None,
            timeout=float(opts.get("timeout", 30.0)),
            retry=RetryPolicy(
                retries=opts.get("retries", 3), backoff=float(opts.get("backoff", 0.5))
            ),
            batch_size=opts.get("batch_size", 50),
            batch_chars=opts.get("batch_chars", 20_000),
        )

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        out: list[str] = []
        src, tgt = libre_code(source), libre_code(target)
        for batch in batches(texts, size=self.batch_size, chars=self.batch_chars):
            out.extend(self.retry.call(lambda b=batch: self._request(b, src, tgt)))  # type: ignore[misc]
        return out

    def _request(self, batch: list[str], source: str, target: str) -> list[str]:
        payload: dict[str, Any] = {"q": batch, "source": source, "target": target, "format": "text"}
        if self.api_key:
            payload["api_key"] = self.api_key
        body = self.client.post_json(self.url, payload)
        result = body.get("translatedText") if isinstance(body, dict) else None
        if not isinstance(result, list) or len(result) != len(batch):
            raise EngineResponseError(
                self.name,
                f"expected {len(batch)} translations from {self.url}, got {_describe(result)}",
            )
        if not all(isinstance(r, str) for r in result):
            raise EngineResponseError(self.name, "a translation in the answer is not text")
        return result


def _describe(value: object) -> str:
    if isinstance(value, list):
        return f"{len(value)}"
    return type(value).__name__

"""LibreTranslate: the self-hosted (or public) HTTP API, with real batching.

One ``POST /translate`` carries many segments (``q`` as a JSON list), up to
``batch_size`` segments and ``batch_chars`` characters. A server started with
``--batch-limit`` or ``--char-limit`` below those refuses a request with the limit in its
message; the engine then takes the limit as its own, splits the request and sends it
again (a paragraph longer than the character limit goes in sentence-sized pieces), so a
run goes through without the limits being configured here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from syndicate.engines.base import EngineBase, RetryPolicy, batches, retry_policy
from syndicate.engines.http import HttpClient
from syndicate.engines.sentences import split_text, translate_in_pieces
from syndicate.errors import ConfigError, EngineError, EngineResponseError
from syndicate.langtags import parse_tag

logger = logging.getLogger(__name__)
# LibreTranslate's 400 for a request over --batch-limit (N texts) or --char-limit (N chars).
_LIMIT = re.compile(r"request \((\d+)\) exceeds text limit \((\d+)\)")

_SPECIAL = {"zh-Hans": "zh", "zh-Hant": "zt", "pt-BR": "pb"}


def libre_code(tag: str) -> str:
    """LibreTranslate's code for a language tag (its aliases work on old and new servers)."""
    t = parse_tag(tag)
    for key in (f"{t.language}-{t.script}" if t.script else "", f"{t.language}-{t.region}"):
        if key in _SPECIAL:
            return _SPECIAL[key]
    return t.language


@dataclass(frozen=True, slots=True)
class LibreSettings:
    """``engines.libre``: a LibreTranslate server."""

    url: str = ""
    api_key: str = ""
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5
    batch_size: int = 50
    batch_chars: int = 20_000


class LibreEngine(EngineBase):
    """Translates through a LibreTranslate server."""

    name = "libre"
    max_chars = 10_000
    Settings = LibreSettings

    @staticmethod
    def language_code(tag: str) -> str:
        return libre_code(tag)  # locales sharing a code share a translation

    def __init__(self, settings: LibreSettings, *, retry: RetryPolicy | None = None) -> None:
        url = settings.url
        if not url:
            raise ConfigError(
                "the libre engine needs a server URL",
                hint="set engines.libre.url in the config file or SYNDICATE_ENGINES__LIBRE__URL",
            )
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"engines.libre.url must be an http(s) URL, not {url!r}")
        self.url = url.rstrip("/") + "/translate"
        self.api_key = settings.api_key or None
        self.client = HttpClient(self.name, timeout=settings.timeout)
        self.retry = retry or retry_policy(settings)
        self.batch_size = max(1, settings.batch_size)
        self.batch_chars = max(1, settings.batch_chars)
        self.max_chars = min(self.max_chars, self.batch_chars)

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        return self._send_all(list(texts), libre_code(source), libre_code(target))

    def _send_all(self, texts: list[str], source: str, target: str) -> list[str]:
        out: list[str] = []
        for batch in batches(texts, size=self.batch_size, chars=self.batch_chars):
            out.extend(self._send(batch, source, target))
        return out

    def _send(self, batch: list[str], source: str, target: str) -> list[str]:
        if len(batch) == 1 and _divisible(batch[0], self.batch_chars):
            # A paragraph longer than a request may be: in sentence-sized pieces.
            return translate_in_pieces(
                lambda pieces: self._send_all(pieces, source, target), batch, self.batch_chars
            )
        try:
            return self.retry.call(lambda: self._request(batch, source, target))
        except EngineError as exc:
            if not self._learn_limit(exc, batch):
                raise
        return self._send_all(batch, source, target)

    def _learn_limit(self, exc: EngineError, batch: list[str]) -> bool:
        """Take the limit a refusal names as ours. False when the refusal is not about
        this request's size (sending it again in parts would not help)."""
        found = _LIMIT.search(exc.message)
        if not found:
            return False
        size, limit = int(found.group(1)), max(1, int(found.group(2)))
        if limit >= size:
            return False
        # The server checks the number of texts first, then the characters; other
        # requests on their way may have taught the same limit already.
        if size == len(batch) != sum(map(len, batch)):
            learned = limit < self.batch_size
            self.batch_size = min(self.batch_size, limit)
            what, setting = "texts", "batch_size"
        elif size == sum(map(len, batch)) and (len(batch) > 1 or _divisible(batch[0], limit)):
            learned = limit < self.batch_chars
            self.batch_chars = min(self.batch_chars, limit)
            self.max_chars = min(self.max_chars, limit)
            what, setting = "characters", "batch_chars"
        else:
            return False
        if learned:
            logger.warning(
                "%s: the server takes at most %d %s a request; sending smaller requests "
                "(set engines.libre.%s: %d to skip this)",
                self.name,
                limit,
                what,
                setting,
                limit,
            )
        return True

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


def _divisible(text: str, limit: int) -> bool:
    """Whether a text longer than ``limit`` splits into shorter pieces (a placeholder token
    is never cut, so a text that is mostly one may not)."""
    return len(text) > limit and all(len(p) < len(text) for p in split_text(text, limit))


def _describe(value: object) -> str:
    if isinstance(value, list):
        return f"{len(value)}"
    return type(value).__name__

"""Google Translate's free web endpoint, through deep-translator, with the gaps filled.

deep-translator's ``GoogleTranslator`` makes its request with no timeout, rejects 5,000
characters or more, can return ``None``, strips edge whitespace, and raises exceptions
with no common base. This wrapper puts a deadline on every call (the call runs in a
daemon thread the wrapper stops waiting for), splits long texts at sentence
boundaries, checks every result, maps the exceptions to ours and runs a few requests at
once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from syndicate.engines.base import EngineBase, RetryPolicy, retry_policy
from syndicate.engines.sentences import translate_in_pieces
from syndicate.errors import (
    EngineError,
    EngineResponseError,
    EngineTimeout,
    EngineUnavailable,
    RateLimited,
)
from syndicate.langtags import parse_tag

DEFAULT_URL = "https://translate.google.com/m"
_SPECIAL = {"he": "iw", "jv": "jw", "fil": "tl", "zh-Hans": "zh-CN", "zh-Hant": "zh-TW"}
_NO_NETWORK_HINT = (
    "check the internet connection, or translate offline with --engine pseudo, "
    "or use a LibreTranslate server with --engine libre"
)


def google_code(tag: str) -> str:
    """Google's code for a language tag (``iw`` for Hebrew, ``zh-CN`` for Simplified...)."""
    t = parse_tag(tag)
    key = f"{t.language}-{t.script}" if t.script else t.language
    return _SPECIAL.get(key, _SPECIAL.get(t.language, t.language))


@dataclass(frozen=True, slots=True)
class GoogleSettings:
    """``engines.google``: translate.google.com's mobile page."""

    url: str = DEFAULT_URL
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 0.5
    concurrency: int = 4


class GoogleEngine(EngineBase):
    """Translates through translate.google.com's mobile page (free, no key)."""

    name = "google"
    max_chars = 4_999  # deep-translator rejects len(text) >= 5000
    Settings = GoogleSettings

    @staticmethod
    def language_code(tag: str) -> str:
        return google_code(tag)  # locales sharing a code share a translation

    def __init__(
        self, settings: GoogleSettings | None = None, *, retry: RetryPolicy | None = None
    ) -> None:
        settings = settings or GoogleSettings()
        self.url = settings.url
        self.timeout = settings.timeout
        self.retry = retry or retry_policy(settings)
        self.concurrency = max(1, settings.concurrency)

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        src, tgt = google_code(source), google_code(target)

        halt = threading.Event()  # set on the first failure: the other workers stop retrying
        first: list[EngineError] = []

        def attempt(text: str) -> str:
            if halt.is_set():
                raise EngineError(self.name, "stopped after another request failed")
            return self._one(text, src, tgt)

        def run(batch: list[str]) -> list[str]:
            def one(text: str) -> str:
                try:
                    return self.retry.call(lambda: attempt(text))
                except EngineError as exc:
                    if not halt.is_set():
                        first.append(exc)
                        halt.set()
                    raise

            if len(batch) <= 1 or self.concurrency == 1:
                return [one(t) for t in batch]
            pool = ThreadPoolExecutor(max_workers=self.concurrency)
            futures = [pool.submit(one, t) for t in batch]
            try:
                return [f.result() for f in futures]
            except EngineError as exc:
                raise (first[0] if first else exc) from None
            finally:
                # On the first failure, the texts not yet sent are not sent at all.
                pool.shutdown(wait=False, cancel_futures=True)

        return translate_in_pieces(run, texts, self.max_chars)

    def _one(self, text: str, source: str, target: str) -> str:
        if not text.strip():
            return text
        from deep_translator import GoogleTranslator

        def call() -> Any:
            translator = GoogleTranslator(source=source, target=target)
            translator._base_url = self.url  # no public setting for the endpoint
            return translator.translate(text)

        result = _with_deadline(call, self.timeout, self.url)
        if result is None:
            if not any(ch.isalnum() for ch in text):
                return text  # punctuation only: deep-translator returns None for these
            raise EngineResponseError(self.name, "Google returned no translation")
        if not isinstance(result, str):
            raise EngineResponseError(self.name, f"Google returned {type(result).__name__}")
        return result


def _with_deadline(call: Callable[[], Any], timeout: float, url: str) -> Any:
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed to the waiting thread below
            box["error"] = exc

    worker = threading.Thread(target=run, name="syndicate-google", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise EngineTimeout("google", f"no answer from {url} within {timeout:g} s")
    if "error" in box:
        raise _map_error(box["error"], url) from None
    return box.get("value")


def _map_error(exc: BaseException, url: str) -> EngineError:
    import requests
    from deep_translator import exceptions as dt

    if isinstance(exc, dt.TooManyRequests):
        return RateLimited("google", "too many requests (HTTP 429)")
    if isinstance(exc, requests.ConnectionError):
        return EngineUnavailable("google", f"cannot reach {url}", hint=_NO_NETWORK_HINT)
    if isinstance(exc, requests.Timeout):
        return EngineTimeout("google", f"no answer from {url}")
    if isinstance(exc, dt.RequestError | dt.ServerException):
        return EngineUnavailable("google", f"request to {url} failed")
    if isinstance(exc, dt.LanguageNotSupportedException | dt.InvalidSourceOrTargetLanguage):
        return EngineError("google", f"language not supported: {exc}")
    if isinstance(exc, dt.TranslationNotFound):
        return EngineResponseError("google", "no translation found in the page")
    if isinstance(exc, dt.NotValidLength | dt.NotValidPayload):
        return EngineError("google", f"text refused: {exc}")
    if isinstance(exc, requests.RequestException):
        return EngineUnavailable("google", f"request to {url} failed: {exc}")
    return EngineError("google", f"unexpected failure: {type(exc).__name__}: {exc}")

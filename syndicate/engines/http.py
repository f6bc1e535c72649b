"""HTTP for engines that speak an API: a session, timeouts, and HTTP failures as our errors."""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any

import requests
import urllib3

from syndicate import __version__
from syndicate.errors import (
    EngineAuthError,
    EngineError,
    EngineQuotaError,
    EngineResponseError,
    EngineTimeout,
    EngineUnavailable,
    RateLimited,
)

MAX_ANSWER_BYTES = 32 * 2**20  # far beyond any batch of translations; guards memory


class HttpClient:
    """A requests session bound to one engine: every call has a deadline, every failure a type.

    requests' ``timeout`` bounds each socket read, not the whole answer: a server that
    drips a byte a second would never time out. The body is therefore read in chunks
    against a total deadline of ``timeout`` seconds from the request's start.
    """

    def __init__(self, engine: str, *, timeout: float) -> None:
        self.engine = engine
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"syndicate/{__version__}"

    def post_json(
        self, url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> Any:
        """POST JSON, answer JSON; every failure an EngineError. Headers are never logged."""
        deadline = time.monotonic() + self.timeout
        try:
            response = self.session.post(
                url, json=payload, headers=headers, timeout=self.timeout, stream=True
            )
        except requests.Timeout:
            raise self._timeout(url) from None
        except requests.ConnectionError:
            raise EngineUnavailable(
                self.engine,
                f"cannot connect to {url}",
                hint="check that the server is running and the URL is right",
            ) from None
        except requests.RequestException as exc:
            raise EngineUnavailable(self.engine, f"request to {url} failed: {exc}") from None
        try:
            body = self._read(response, url, deadline)
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            raise self._timeout(url) from None
        except (requests.RequestException, urllib3.exceptions.HTTPError):
            if time.monotonic() >= deadline:  # a read timeout, which requests reports as this
                raise self._timeout(url) from None
            raise EngineUnavailable(self.engine, f"{url} cut its answer off") from None
        finally:
            response.close()
        check_status(self.engine, response.status_code, response.headers, body)
        return _json(self.engine, url, body, response.headers.get("Content-Type", ""))

    def _read(self, response: requests.Response, url: str, deadline: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        # read1, not iter_content: iter_content waits for a whole chunk, however slowly it
        # comes, while read1 returns what one socket read brought, so the deadline is seen.
        while chunk := response.raw.read1(65536, decode_content=True):
            chunks.append(chunk)
            size += len(chunk)
            if time.monotonic() > deadline:
                raise self._timeout(url)
            if size > MAX_ANSWER_BYTES:
                raise EngineResponseError(
                    self.engine, f"{url} answered with more than {MAX_ANSWER_BYTES >> 20} MiB"
                )
        return b"".join(chunks)

    def _timeout(self, url: str) -> EngineTimeout:
        return EngineTimeout(
            self.engine, f"no complete answer from {url} within {self.timeout:g} s"
        )


def _json(engine: str, url: str, body: bytes, content_type: str) -> Any:
    if not body.strip():
        # Proxies and overloaded servers answer 200 with nothing: worth another try.
        raise EngineUnavailable(engine, f"{url} answered with an empty body")
    try:
        return json.loads(body)
    except ValueError:
        pass
    if "html" in content_type.lower() or body.lstrip()[:1] == b"<":
        raise EngineResponseError(
            engine,
            f"{url} answered with an HTML page, not JSON",
            hint="check that the URL is the API's, not a web page or a login portal",
        ) from None
    raise EngineResponseError(engine, f"{url} answered with something that is not JSON") from None


def check_status(engine: str, status: int, headers: Any, body: bytes) -> None:
    """Raise the error that an HTTP status means, if it is one (with the body's message)."""
    if status < 400:
        return  # the body of a success is read once, as the answer, not here
    text = _error_text(body)
    detail = f": {text}" if text else ""
    if status == 456:
        raise EngineQuotaError(
            engine,
            f"quota exceeded (HTTP 456){detail}",
            hint="wait for the quota to renew, or raise it with the provider",
        )
    if status == 429:
        raise RateLimited(
            engine, f"too many requests (HTTP 429){detail}", retry_after=retry_after(headers)
        )
    if status in (401, 403):
        raise EngineAuthError(
            engine, f"refused (HTTP {status}){detail}", hint=f"check engines.{engine}.api_key"
        )
    if status >= 500 or status == 408:
        raise EngineUnavailable(engine, f"server error (HTTP {status}){detail}")
    raise EngineError(engine, f"request refused (HTTP {status}){detail}")


def retry_after(headers: Any) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_text(body: bytes) -> str:
    try:
        data = json.loads(body)
    except ValueError:
        return ""  # an HTML error page says nothing a user can act on
    if isinstance(data, dict):
        error = data.get("error") if "error" in data else data.get("message")
        if isinstance(error, dict):  # OpenAI: {"error": {"message": ...}}
            error = error.get("message")
        if isinstance(error, str):
            return " ".join(error.split())[:200]
    return ""

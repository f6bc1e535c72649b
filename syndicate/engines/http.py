"""HTTP for engines that speak an API: a session, timeouts, and HTTP failures as our errors."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import requests

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


class HttpClient:
    """A requests session bound to one engine: every call has a timeout, every failure a type."""

    def __init__(self, engine: str, *, timeout: float) -> None:
        self.engine = engine
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"syndicate/{__version__}"

    def post_json(
        self, url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> Any:
        """POST JSON, answer JSON; every failure an EngineError. Headers are never logged."""
        try:
            response = self.session.post(url, json=payload, headers=headers, timeout=self.timeout)
        except requests.Timeout:
            raise EngineTimeout(
                self.engine, f"no answer from {url} within {self.timeout:g} s"
            ) from None
        except requests.ConnectionError:
            raise EngineUnavailable(
                self.engine,
                f"cannot connect to {url}",
                hint="check that the server is running and the URL is right",
            ) from None
        except requests.RequestException as exc:
            raise EngineUnavailable(self.engine, f"request to {url} failed: {exc}") from None
        check_status(self.engine, response.status_code, response.headers, _error_text(response))
        try:
            return response.json()
        except ValueError:
            raise EngineResponseError(
                self.engine, f"{url} answered with something that is not JSON"
            ) from None


def check_status(engine: str, status: int, headers: Any, detail: str) -> None:
    """Raise the error that an HTTP status means, if it is one."""
    if status < 400:
        return
    detail = f": {detail}" if detail else ""
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


def _error_text(response: requests.Response) -> str:
    if response.status_code < 400:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""  # an HTML error page says nothing a user can act on
    if isinstance(body, dict):
        error = body.get("error") if "error" in body else body.get("message")
        if isinstance(error, dict):  # OpenAI: {"error": {"message": ...}}
            error = error.get("message")
        if isinstance(error, str):
            return error[:200]
    return ""

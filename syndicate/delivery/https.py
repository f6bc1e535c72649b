"""The ``https`` push transport: one signed POST per file to the partner's endpoint, on requests.

Each request carries the file as its body and says what it is in headers:
``X-Syndicate-Path`` (its path in the package, the manifest last), ``X-Syndicate-Partner``,
``X-Timestamp`` (Unix seconds), ``X-Signature: sha256=<hex HMAC-SHA256(secret, timestamp +
body)>`` and ``Idempotency-Key`` (the manifest's SHA-256: with the path, it names one file
of one package, so a receiver can drop a replay). 429 and 5xx answers are tried again,
waiting at least their ``Retry-After``; 401/403 stop the partner; any other 4xx fails the
file at once (the same request would be refused again). A receiver sees a whole body or
none: the length is declared and the signature covers every byte.
"""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import time
from collections.abc import Callable

import requests

from syndicate.delivery.base import TransportSettings, dropped
from syndicate.engines.http import retry_after
from syndicate.errors import DeliveryAuthError, DeliveryError

_TYPES = {".md": "text/markdown; charset=utf-8", ".json": "application/json"}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Signature`` value: ``sha256=`` and the hex HMAC of timestamp + body."""
    digest = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class HTTPSTransport:
    kind = "https"
    whole_package = False
    clock: Callable[[], float] = time.time  # the X-Timestamp source

    def __init__(self, settings: TransportSettings) -> None:
        settings.check({"url", "secret", "ca_file", "timeout"})
        self.partner = settings.partner
        self.url = settings.get("url", str)
        if not self.url.startswith("https://"):
            raise settings.error("delivery.url must be an https:// URL")
        self.secret = settings.get("secret", str)
        self.verify: str | bool = settings.optional("ca_file", str) or True
        self.timeout = settings.get("timeout", float, 30.0)
        self._session: requests.Session | None = None

    def describe(self) -> str:
        return self.url

    def connect(self) -> None:
        self.close()
        self._session = requests.Session()

    def _send(self, method: str, path: str, body: bytes, package: str) -> requests.Response:
        session = self._session
        if session is None:
            raise DeliveryError(self.partner, "not connected", retryable=True)
        stamp = str(int(self.clock()))
        headers = {
            "Content-Type": _TYPES.get(_suffix(path))
            or (mimetypes.guess_type(path)[0] or "application/octet-stream"),
            "X-Syndicate-Path": path,
            "X-Syndicate-Partner": self.partner,
            "X-Timestamp": stamp,
            "X-Signature": signature(self.secret, stamp, body),
            "Idempotency-Key": package,
        }
        try:
            return session.request(
                method, self.url, data=body, headers=headers, timeout=self.timeout,
                verify=self.verify,
            )  # fmt: skip
        except requests.exceptions.SSLError as exc:
            raise DeliveryAuthError(
                self.partner,
                f"{self.url}: the server's certificate cannot be verified: {exc}",
                hint="give the partner's CA as delivery.ca_file",
            ) from None
        except (requests.RequestException, OSError) as exc:
            raise dropped(self.partner, f"sending {path}", exc) from None

    def put(self, path: str, data: bytes, *, package: str) -> str:
        reply = self._send("POST", path, data, package)
        self._check(reply, path)
        text = " ".join(reply.text.split())[:200]
        return f"HTTP {reply.status_code}" + (f": {text}" if text else "")

    def _check(self, reply: requests.Response, path: str) -> None:
        status = reply.status_code
        if 200 <= status < 300:
            return
        detail = " ".join(reply.text.split())[:200]
        message = f"sending {path}: HTTP {status}" + (f": {detail}" if detail else "")
        if status in (401, 403):
            raise DeliveryAuthError(
                self.partner,
                f"{self.url}: the receiver refused our signature: {message}",
                hint="check the partner's shared secret",
            )
        if status == 429 or status >= 500:
            raise DeliveryError(
                self.partner,
                message,
                retryable=True,
                retry_after=retry_after(reply.headers),
            )
        raise DeliveryError(self.partner, message)

    def remove(self, path: str) -> None:
        reply = self._send("DELETE", path, b"", "probe")
        if reply.status_code not in (404, 405):  # a receiver may not take deletions
            self._check(reply, path)

    def close(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            session.close()


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[name.rfind(".") :] if "." in name else ""

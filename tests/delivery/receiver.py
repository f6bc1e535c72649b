"""An HTTPS push receiver on 127.0.0.1 (TLS with a self-signed certificate made by the test)
that checks each request's HMAC signature, as a partner's endpoint would, and stores the
files it accepts; with faults on demand (503 or 429 with Retry-After, a 4xx, a drop in the
middle of a body, 507 storage full, a reply kept back so that a test can kill the client)."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.delivery.certs import self_signed

SECRET = "whsec-wire-0123456789abcdef"


@dataclass
class Faults:
    unavailable: int = 0  # answer this many requests with `status` and Retry-After
    status: int = 503
    retry_after: str = "0"
    bad_request_on_post: int | None = None  # answer 400 to the n-th POST
    drop_on_post: int | None = None  # the n-th POST loses its connection mid-body, once
    full_from_post: int | None = None  # from the n-th POST on, 507
    hold_on_post: int | None = None  # the n-th POST is never answered until released
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    leak: bool = False  # error answers quote the shared secret, as a careless server might
    posts: int = 0
    refused: int = 0  # requests whose signature did not match
    stored: list[str] = field(default_factory=list)  # paths, in order
    keys: list[tuple[str, str]] = field(default_factory=list)  # (Idempotency-Key, path)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _answer(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        body = text.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _signed(self, body: bytes) -> bool:
        stamp = self.headers.get("X-Timestamp", "")
        expected = hmac.new(SECRET.encode(), stamp.encode() + body, hashlib.sha256).hexdigest()
        given = self.headers.get("X-Signature", "")
        return stamp.isdigit() and hmac.compare_digest(given, f"sha256={expected}")

    def do_POST(self) -> None:
        f, root = self.server.faults, self.server.root
        f.posts += 1
        length = int(self.headers["Content-Length"])
        if f.drop_on_post == f.posts:
            f.drop_on_post = None
            self.rfile.read(length // 2)
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        body = self.rfile.read(length)
        path = self.headers.get("X-Syndicate-Path", "")
        if not self._signed(body):
            f.refused += 1
            self._answer(401, "bad signature")
            return
        if f.unavailable > 0:
            f.unavailable -= 1
            busy = f"busy (secret {SECRET})" if f.leak else "busy"
            self._answer(f.status, busy, {"Retry-After": f.retry_after})
            return
        if f.bad_request_on_post == f.posts:
            why = f" with the secret {SECRET}" if f.leak else ""
            self._answer(400, f"{path}: we do not take this file{why}")
            return
        if f.full_from_post is not None and f.posts >= f.full_from_post:
            self._answer(507, "insufficient storage")
            return
        if f.hold_on_post == f.posts:
            f.holding.set()
            f.released.wait(60)
            self.close_connection = True
            return
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.receiving")
        temporary.write_bytes(body)
        os.replace(temporary, target)
        f.stored.append(path)
        f.keys.append((self.headers.get("Idempotency-Key", ""), path))
        self._answer(200, f"stored {path}")

    def do_DELETE(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if not self._signed(body):
            self._answer(401, "bad signature")
            return
        (self.server.root / self.headers["X-Syndicate-Path"]).unlink(missing_ok=True)
        self._answer(204, "")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    faults: Faults
    root: Path

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up or is killed: nothing to report (stderr is captured)."""


@dataclass
class Receiver:
    url: str
    root: Path
    ca_file: Path
    faults: Faults


@contextmanager
def https_receiver(base: Path) -> Iterator[Receiver]:
    root = base / "received"
    root.mkdir()
    cert, key = self_signed(base)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.faults, server.root = Faults(), root
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/syndication/inbox"
        yield Receiver(url, root, cert, server.faults)
    finally:
        server.faults.released.set()
        server.shutdown()
        server.server_close()
        thread.join(10)

"""moto's S3 server in a process of its own, and a fault-injecting HTTP front for it.

The front is a real HTTP server on 127.0.0.1 that forwards every request to moto and passes
the answer back, unless told to misbehave as a load balancer or a storage node would:
answer 503 SlowDown (with Retry-After), refuse an access key (403 InvalidAccessKeyId),
drop the connection in the middle of an object's body, answer 507 when the storage is
full (as MinIO's XMinioStorageFull does), or keep an upload's answer back (so that a test
can kill the client mid-upload). It records the objects moto stored, in order.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

KEY_ID = "AKIAWIRETEST0000001"
SECRET = "wire/secret/access/key/0123456789abcdef"
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def moto_process() -> Iterator[str]:
    """`python -m moto.server` on a free port; yields its URL."""
    for _ in range(3):  # the free port may be taken between choosing and binding
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        if process.poll() is None:
            try:
                yield f"http://127.0.0.1:{port}"
            finally:
                process.terminate()
                process.wait(10)
            return
    raise RuntimeError("moto's server did not start")


@dataclass
class Faults:
    unavailable: int = 0  # answer 503 SlowDown to this many requests
    retry_after: str = "0"
    drop_on_put: int | None = None  # the n-th object upload loses its connection mid-body
    full_from_put: int | None = None  # from the n-th object upload on, 507 storage full
    hold_on_put: int | None = None  # the n-th upload gets no answer until released
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    puts: int = 0
    refused: int = 0  # requests answered 403
    stored: list[str] = field(default_factory=list)  # keys moto stored, in order


def _error(code: str, message: str) -> bytes:
    return f"<?xml version='1.0'?><Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()


class _Front(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _FrontServer

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":  # a body after a HEAD answer would garble the next one
            self.wfile.write(body)

    def _handle(self) -> None:
        f = self.server.faults
        length = int(self.headers.get("Content-Length", 0))
        is_put = self.command == "PUT" and self.path.count("/") >= 2
        if is_put:
            f.puts += 1
        if is_put and f.drop_on_put == f.puts:
            f.drop_on_put = None
            self.rfile.read(length // 2)
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        key_id = re.search(r"Credential=([^/]+)/", self.headers.get("Authorization", ""))
        if key_id is None or key_id.group(1) != KEY_ID:
            f.refused += 1
            self._answer(403, _error("InvalidAccessKeyId", "The key id does not exist."))
            return
        if f.unavailable > 0:
            f.unavailable -= 1
            self._answer(
                503, _error("SlowDown", "Please reduce your request rate."),
                {"Retry-After": f.retry_after},
            )  # fmt: skip
            return
        if is_put and f.full_from_put is not None and f.puts >= f.full_from_put:
            self._answer(507, _error("XMinioStorageFull", "Storage backend is full."))
            return
        if is_put and f.hold_on_put == f.puts:
            f.holding.set()
            f.released.wait(60)
            self.close_connection = True
            return
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
            upstream.request(self.command, self.path, body=body, headers=headers)
            reply = upstream.getresponse()
            data = reply.read()
            passed = {k: v for k, v in reply.getheaders() if k.lower() not in _HOP}
        finally:
            upstream.close()
        if is_put and reply.status == 200:
            f.stored.append(self.path.split("/", 2)[2])
        self._answer(reply.status, data if self.command != "HEAD" else b"", passed)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle


class _FrontServer(ThreadingHTTPServer):
    daemon_threads = True
    faults: Faults
    upstream: str

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (or is killed) is no error of the front's; stay quiet,
        since the CLI runner captures this process's stderr."""


@dataclass
class S3Front:
    url: str
    faults: Faults


@contextmanager
def s3_front(moto_url: str) -> Iterator[S3Front]:
    server = _FrontServer(("127.0.0.1", 0), _Front)
    server.faults = Faults()
    server.upstream = moto_url.removeprefix("http://")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield S3Front(f"http://127.0.0.1:{server.server_address[1]}", server.faults)
    finally:
        server.faults.released.set()
        server.shutdown()
        server.server_close()
        thread.join(10)

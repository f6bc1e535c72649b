"""pyftpdlib's FTP server (plain or explicit TLS) on 127.0.0.1, with faults on demand.

Faults: answer 421 (service unavailable) to the first connections, drop the connection in
the middle of a file, refuse writes past a quota (a full disk), or keep a finished upload's
"226" reply back (so that a test can kill the client mid-upload).
"""

from __future__ import annotations

import errno
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.delivery.certs import self_signed

with warnings.catch_warnings():
    # pyftpdlib is built on asynchat/asyncore, deprecated in Python 3.11; a test-only server.
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.filesystems import AbstractedFS
    from pyftpdlib.handlers import DTPHandler, FTPHandler, TLS_DTPHandler, TLS_FTPHandler
    from pyftpdlib.servers import FTPServer

USER = "wire"
PASSWORD = "s3cret-ftp-passw0rd"


@dataclass
class Faults:
    unavailable: int = 0  # answer 421 to this many connections
    drop_on_store: int | None = None  # drop the connection in this upload (1-based), once
    quota: int | None = None
    hold_reply_on_store: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    stores: int = 0
    written: int = 0
    logins: int = 0
    renames: list[str] = field(default_factory=list)


class _File:
    """A file object that counts what the disk takes and fails past the quota."""

    def __init__(self, inner: Any, faults: Faults) -> None:
        self._inner, self._faults = inner, faults
        self.name = inner.name
        self.closed = False

    def write(self, data: bytes) -> int:
        f = self._faults
        if f.quota is not None and f.written + len(data) > f.quota:
            raise OSError(errno.ENOSPC, "No space left on device")
        f.written += len(data)
        return int(self._inner.write(data))

    def close(self) -> None:
        self.closed = True
        self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _handlers(faults: Faults, tls: bool, cert: tuple[Path, Path] | None) -> type[FTPHandler]:
    class FS(AbstractedFS):  # type: ignore[misc]
        def open(self, filename: str, mode: str) -> Any:
            inner = super().open(filename, mode)
            return _File(inner, faults) if "w" in mode else inner

        def rename(self, src: str, dst: str) -> None:
            super().rename(src, dst)
            faults.renames.append(self.fs2ftp(dst).lstrip("/"))

    base_dtp = TLS_DTPHandler if tls else DTPHandler
    base_ftp = TLS_FTPHandler if tls else FTPHandler

    class DTP(base_dtp):  # type: ignore[misc, valid-type]
        def handle_read_event(self) -> None:
            super().handle_read_event()
            if faults.drop_on_store == faults.stores and self.tot_bytes_received > 0:
                faults.drop_on_store = None
                self.cmd_channel.close()

    class Handler(base_ftp):  # type: ignore[misc, valid-type]
        dtp_handler = DTP
        abstracted_fs = FS
        auth_failed_timeout = 0.01  # pyftpdlib waits 3 s before saying no, against guessing
        if cert is not None:
            certfile, keyfile = str(cert[0]), str(cert[1])
            tls_control_required = tls_data_required = True

        def handle(self) -> None:
            if faults.unavailable > 0:
                faults.unavailable -= 1
                self.respond("421 Service not available, try again later.")
                self.close_when_done()
                return
            super().handle()

        def on_login(self, username: str) -> None:
            faults.logins += 1

        def on_login_failed(self, username: str, password: str) -> None:
            faults.logins += 1

        def ftp_STOR(self, file: str, mode: str = "w") -> Any:
            faults.stores += 1
            return super().ftp_STOR(file, mode)

        def respond(self, resp: str, logfun: Any = None) -> None:
            if resp.startswith("226") and faults.hold_reply_on_store == faults.stores:
                faults.holding.set()  # the file is stored; the client never hears so
                return
            if logfun is None:
                super().respond(resp)
            else:
                super().respond(resp, logfun)

    return Handler


@dataclass
class FTPTestServer:
    root: Path
    port: int
    faults: Faults
    ca_file: Path | None


@contextmanager
def ftp_server(base: Path, *, tls: bool = False) -> Iterator[FTPTestServer]:
    root = base / "ftp-root"
    root.mkdir()
    cert = self_signed(base) if tls else None
    faults = Faults()
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, str(root), perm="elradfmwMT")
    handler = _handlers(faults, tls, cert)
    handler.authorizer = authorizer
    handler.passive_ports = None
    server = FTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.05}, daemon=True)
    thread.start()
    try:
        yield FTPTestServer(root, server.address[1], faults, cert[0] if cert else None)
    finally:
        server.close_all()
        thread.join(10)

"""asyncssh's SFTP server on 127.0.0.1, rooted in a temporary folder, with faults on demand.

Its host key is made here and written to a known_hosts file for the client to pin; the
client logs in with a key of its own or a password. ``faults`` makes the server drop the
connection in the middle of a file, run out of disk space, or hang in a write (so that a
test can kill the delivering process mid-upload).
"""

from __future__ import annotations

import asyncio
import errno
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncssh

USER = "wire"
PASSWORD = "s3cret-sftp-passw0rd"


@dataclass
class Faults:
    busy: int = 0  # turn this many connections away ("too many connections", as MaxStartups)
    drop_on_write: int | None = None  # drop the connection at this write (1-based), once
    quota: int | None = None  # bytes the disk takes before ENOSPC
    hang_on_write: int | None = None  # block at this write until released
    writes: int = 0
    written: int = 0
    hanging: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    logins: int = 0
    renames: list[str] = field(default_factory=list)  # final names, in order of arrival


class _Server(asyncssh.SSHServer):
    def __init__(self, faults: Faults) -> None:
        self.faults = faults

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        if self.faults.busy > 0:
            self.faults.busy -= 1
            conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, "too many connections")

    def begin_auth(self, username: str) -> bool:
        self.faults.logins += 1
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return username == USER and password == PASSWORD


class _SFTP(asyncssh.SFTPServer):
    faults: Faults

    async def write(self, file_obj: object, offset: int, data: bytes) -> int:
        f = self.faults
        f.writes += 1
        if f.drop_on_write == f.writes:
            f.drop_on_write = None
            self._chan.get_connection().abort()
            raise asyncssh.SFTPConnectionLost("dropped by the test")
        if f.hang_on_write == f.writes:
            f.hanging.set()
            while not f.released.is_set():  # the test kills the client meanwhile
                await asyncio.sleep(0.02)
            raise asyncssh.SFTPFailure("released by the test")
        if f.quota is not None and f.written + len(data) > f.quota:
            raise OSError(errno.ENOSPC, "No space left on device")
        f.written += len(data)
        result = super().write(file_obj, offset, data)
        return len(data) if result is None else int(result)  # type: ignore[arg-type]

    def posix_rename(self, oldpath: bytes, newpath: bytes) -> None:
        super().posix_rename(oldpath, newpath)
        self.faults.renames.append(newpath.decode())


@dataclass
class SFTPServer:
    root: Path
    port: int
    known_hosts: Path
    key_file: Path
    faults: Faults


@contextmanager
def sftp_server(base: Path) -> Iterator[SFTPServer]:
    """Start the server in a thread of its own; stop it at the end."""
    root = base / "sftp-root"
    root.mkdir()
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    key_file = base / "id_wire"
    key_file.write_bytes(client_key.export_private_key())
    key_file.chmod(0o600)
    faults = Faults()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, Any] = {}

    def sftp_factory(chan: asyncssh.SSHServerChannel) -> _SFTP:
        server = _SFTP(chan, chroot=str(root).encode())
        server.faults = faults
        return server

    async def start() -> None:
        holder["acceptor"] = await asyncssh.listen(
            "127.0.0.1",
            0,
            server_host_keys=[host_key],
            authorized_client_keys=asyncssh.import_authorized_keys(
                client_key.export_public_key().decode()
            ),
            server_factory=lambda: _Server(faults),
            sftp_factory=sftp_factory,
        )
        started.set()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    port = holder["acceptor"].get_port()
    known_hosts = base / "known_hosts"
    public = host_key.export_public_key().decode().strip()
    known_hosts.write_text(f"[127.0.0.1]:{port} {public}\n", encoding="utf-8")
    try:
        yield SFTPServer(root, port, known_hosts, key_file, faults)
    finally:
        faults.released.set()

        async def stop() -> None:
            holder["acceptor"].close()
            await holder["acceptor"].wait_closed()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()

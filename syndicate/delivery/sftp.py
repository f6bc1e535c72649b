"""The ``sftp`` transport, on asyncssh.

The server's host key must be in the ``known_hosts`` file given (never accepted on first
sight); login is by key file (with an optional passphrase) or password, both by reference.
Each file is written under a hidden temporary name beside its final one and moved into place
with the OpenSSH ``posix-rename`` extension (an atomic replace), or, on servers without it,
a plain rename after removing the old file. asyncssh is asynchronous; each transport runs
its own event loop in the partner's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import posixpath
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from syndicate.delivery.base import TransportSettings, dropped, part_name, remote_join
from syndicate.errors import DeliveryAuthError, DeliveryError

T = TypeVar("T")


class SFTPTransport:
    kind = "sftp"
    whole_package = False

    def __init__(self, settings: TransportSettings) -> None:
        settings.check(
            {
                "host",
                "port",
                "user",
                "password",
                "key_file",
                "passphrase",
                "known_hosts",
                "path",
                "timeout",
            }
        )
        self.partner = settings.partner
        self.host = settings.get("host", str)
        self.port = settings.get("port", int, 22)
        self.user = settings.get("user", str)
        self.password = settings.optional("password", str)
        self.key_file = settings.optional("key_file", str)
        self.passphrase = settings.optional("passphrase", str)
        self.path = settings.get("path", str, "")
        self.timeout = settings.get("timeout", float, 30.0)
        known = settings.optional("known_hosts", str)
        if known is None:
            raise settings.error(
                "delivery.known_hosts is required: the server's host key is never accepted unseen",
                hint="put the partner's host key line in a known_hosts file and name it",
            )
        self.known_hosts = Path(known).expanduser()
        if not self.known_hosts.is_file():
            raise settings.error(f"delivery.known_hosts: {self.known_hosts} does not exist")
        if self.password is None and self.key_file is None:
            raise settings.error("sftp needs delivery.key_file or delivery.password")
        self._loop: asyncio.AbstractEventLoop | None = None  # made by connect, closed by close
        self._conn: asyncssh.SSHClientConnection | None = None
        self._sftp: asyncssh.SFTPClient | None = None

    def describe(self) -> str:
        return f"sftp://{self.user}@{self.host}:{self.port}/{self.path.lstrip('/')}"

    def _run(self, coro: Coroutine[Any, Any, T], what: str) -> T:
        assert self._loop is not None
        try:
            return self._loop.run_until_complete(asyncio.wait_for(coro, self.timeout))
        except asyncssh.PermissionDenied:
            raise DeliveryAuthError(
                self.partner,
                f"{self.describe()}: the server refused the login of {self.user!r}",
                hint="check the partner's user, key or password",
            ) from None
        except asyncssh.HostKeyNotVerifiable:
            raise DeliveryAuthError(
                self.partner,
                f"{self.describe()}: the server's host key is not the one in {self.known_hosts}",
                hint="check the key with the partner before changing known_hosts",
            ) from None
        except asyncssh.SFTPNoSpaceOnFilesystem as exc:
            raise DeliveryError(self.partner, f"{what}: the server's disk is full: {exc}") from None
        except asyncssh.SFTPError as exc:
            # A server out of space answers a plain failure on the oldest protocol version.
            text = str(exc.reason or exc)
            raise DeliveryError(self.partner, f"{what}: {text}") from None
        except (OSError, asyncssh.Error, TimeoutError, EOFError) as exc:
            raise dropped(self.partner, what, exc) from None

    def connect(self) -> None:
        self.close()
        self._loop = asyncio.new_event_loop()

        async def start() -> tuple[asyncssh.SSHClientConnection, asyncssh.SFTPClient]:
            conn = await asyncssh.connect(
                self.host,
                self.port,
                username=self.user,
                password=self.password,
                client_keys=[self.key_file] if self.key_file else None,
                passphrase=self.passphrase,
                known_hosts=str(self.known_hosts),
                agent_path=None,
                config=None,
                preferred_auth="publickey,password" if self.key_file else "password",
            )
            return conn, await conn.start_sftp_client()

        self._conn, self._sftp = self._run(start(), f"connecting to {self.describe()}")

    def put(self, path: str, data: bytes, *, package: str) -> str:
        sftp = self._client()
        final = remote_join(self.path, path)
        temporary = part_name(final, data)

        async def upload() -> int:
            folder = posixpath.dirname(final)
            if folder:
                await sftp.makedirs(folder, exist_ok=True)
            try:
                async with sftp.open(temporary, "wb") as handle:
                    await handle.write(data)
            except BaseException:
                with contextlib.suppress(asyncssh.Error, OSError):
                    await sftp.remove(temporary)
                raise
            await self._replace(sftp, temporary, final)
            return int((await sftp.stat(final)).size or 0)

        size = self._run(upload(), f"uploading {final}")
        if size != len(data):
            raise DeliveryError(
                self.partner, f"{final}: {size} bytes arrived, not {len(data)}", retryable=True
            )
        return f"{size} bytes at {final}"

    @staticmethod
    async def _replace(sftp: asyncssh.SFTPClient, temporary: str, final: str) -> None:
        try:
            await sftp.posix_rename(temporary, final)
        except asyncssh.SFTPOpUnsupported:
            with contextlib.suppress(asyncssh.SFTPNoSuchFile):
                await sftp.remove(final)
            await sftp.rename(temporary, final)

    def remove(self, path: str) -> None:
        sftp = self._client()
        self._run(sftp.remove(remote_join(self.path, path)), f"removing {path}")

    def _client(self) -> asyncssh.SFTPClient:
        if self._sftp is None:
            raise DeliveryError(self.partner, "not connected", retryable=True)
        return self._sftp

    def close(self) -> None:
        if self._loop is None:
            return
        if self._conn is not None:
            conn = self._conn
            self._sftp, self._conn = None, None

            async def shut() -> None:
                conn.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.wait_closed(), 5)

            with contextlib.suppress(Exception):
                self._loop.run_until_complete(shut())
        self._loop.close()
        self._loop = None

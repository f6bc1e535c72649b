"""The ``ftp`` and ``ftps`` transports, on the standard library's ftplib.

Passive mode; ``ftps`` is explicit TLS (``AUTH TLS``) with the data channel protected too
(``PROT P``), the server's certificate checked against the system's CAs or the ``ca_file``
given. Each file is stored under a hidden temporary name and renamed (``RNFR``/``RNTO``);
a server that will not rename over an existing file gets the old one deleted first. The
size that arrived is checked with ``SIZE`` before the file counts as delivered.
"""

from __future__ import annotations

import contextlib
import ftplib
import io
import posixpath
import ssl

from syndicate.delivery.base import TransportSettings, dropped, part_name, remote_join
from syndicate.errors import DeliveryAuthError, DeliveryError

_KEYS = {"host", "port", "user", "password", "path", "timeout", "passive"}


class FTPTransport:
    kind = "ftp"
    whole_package = False

    def __init__(self, settings: TransportSettings) -> None:
        settings.check(_KEYS | self._extra_keys())
        self.partner = settings.partner
        self.host = settings.get("host", str)
        self.port = settings.get("port", int, 21)
        self.user = settings.get("user", str, "anonymous")
        self.password = settings.get("password", str, "")
        self.path = settings.get("path", str, "")
        self.timeout = settings.get("timeout", float, 30.0)
        self.passive = settings.get("passive", bool, True)
        self._ftp: ftplib.FTP | None = None
        self._folders: set[str] = set()
        self._configure(settings)

    def _extra_keys(self) -> set[str]:
        return set()

    def _configure(self, settings: TransportSettings) -> None:
        return None

    def _client(self) -> ftplib.FTP:
        return ftplib.FTP(timeout=self.timeout)

    def _secure(self, ftp: ftplib.FTP) -> None:
        return None

    def describe(self) -> str:
        return f"{self.kind}://{self.user}@{self.host}:{self.port}/{self.path.lstrip('/')}"

    def connect(self) -> None:
        self.close()
        ftp = self._client()
        try:
            ftp.connect(self.host, self.port)
            try:
                ftp.login(self.user, self.password)
            except ftplib.error_perm as exc:
                raise DeliveryAuthError(
                    self.partner,
                    f"{self.describe()}: the server refused the login of {self.user!r}: {exc}",
                    hint="check the partner's user and password",
                ) from None
            self._secure(ftp)
            ftp.set_pasv(self.passive)
            ftp.voidcmd("TYPE I")
        except DeliveryError:
            _quietly_close(ftp)
            raise
        except (ftplib.Error, OSError, EOFError) as exc:
            _quietly_close(ftp)
            raise self._error(f"connecting to {self.describe()}", exc) from None
        self._ftp, self._folders = ftp, set()

    def _error(self, what: str, exc: BaseException) -> DeliveryError:
        """4xx replies and broken connections may pass; 5xx replies will not."""
        if isinstance(exc, ftplib.error_perm):
            return DeliveryError(self.partner, f"{what}: {exc}")
        return dropped(self.partner, what, exc)

    def put(self, path: str, data: bytes, *, package: str) -> str:
        ftp = self._connected()
        final = remote_join(self.path, path)
        temporary = part_name(final, data)
        try:
            self._makedirs(ftp, posixpath.dirname(final))
            try:
                reply = ftp.storbinary(f"STOR {temporary}", io.BytesIO(data))
            except BaseException:
                with contextlib.suppress(ftplib.Error, OSError, EOFError):
                    ftp.delete(temporary)
                raise
            try:
                ftp.rename(temporary, final)
            except ftplib.error_perm:  # a server that will not replace an existing file
                with contextlib.suppress(ftplib.error_perm):
                    ftp.delete(final)
                ftp.rename(temporary, final)
            size = ftp.size(final)
        except (ftplib.Error, OSError, EOFError) as exc:
            raise self._error(f"uploading {final}", exc) from None
        if size != len(data):
            raise DeliveryError(
                self.partner, f"{final}: {size} bytes arrived, not {len(data)}", retryable=True
            )
        return f"{reply}; {size} bytes at {final}"

    def _makedirs(self, ftp: ftplib.FTP, folder: str) -> None:
        parts = [p for p in folder.split("/") if p]
        for i in range(1, len(parts) + 1):
            step = ("/" if folder.startswith("/") else "") + "/".join(parts[:i])
            if step in self._folders:
                continue
            with contextlib.suppress(ftplib.error_perm):  # it exists already
                ftp.mkd(step)
            self._folders.add(step)

    def remove(self, path: str) -> None:
        ftp = self._connected()
        try:
            ftp.delete(remote_join(self.path, path))
        except (ftplib.Error, OSError, EOFError) as exc:
            raise self._error(f"removing {path}", exc) from None

    def _connected(self) -> ftplib.FTP:
        if self._ftp is None:
            raise DeliveryError(self.partner, "not connected", retryable=True)
        return self._ftp

    def close(self) -> None:
        if self._ftp is not None:
            ftp, self._ftp = self._ftp, None
            try:
                ftp.quit()
            except (ftplib.Error, OSError, EOFError):
                _quietly_close(ftp)


class FTPSTransport(FTPTransport):
    kind = "ftps"

    def _extra_keys(self) -> set[str]:
        return {"ca_file"}

    def _configure(self, settings: TransportSettings) -> None:
        self.context = ssl.create_default_context(cafile=settings.optional("ca_file", str))

    def _client(self) -> ftplib.FTP:
        return ftplib.FTP_TLS(timeout=self.timeout, context=self.context)

    def _secure(self, ftp: ftplib.FTP) -> None:
        assert isinstance(ftp, ftplib.FTP_TLS)
        ftp.prot_p()

    def connect(self) -> None:
        try:
            super().connect()
        except DeliveryError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):
                raise DeliveryAuthError(
                    self.partner,
                    f"{self.describe()}: the server's certificate cannot be verified",
                    hint="give the partner's CA as delivery.ca_file",
                ) from None
            raise


def _quietly_close(ftp: ftplib.FTP) -> None:
    with contextlib.suppress(OSError):
        ftp.close()

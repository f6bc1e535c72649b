"""Secret values never leave the process in a message, a log line, a report or an output.

Every value that came from a ``{$env: NAME}`` reference, or from a setting whose name says
it is a secret (``api_key``, ``token``...), is registered here when the settings are
loaded; ``redact`` replaces each of them with ``***``. A process-wide registry, because a
secret can surface anywhere an engine's error text does (a server that echoes the key in
its 403 message), and the places that print are few: the CLI's error and warning lines,
the log handler, and the batch report and journal.
"""

from __future__ import annotations

import logging

MASK = "***"
_MIN_LENGTH = 4  # shorter values would mask ordinary words
_secrets: set[str] = set()


def register(value: object) -> None:
    """Remember a secret value so that ``redact`` hides it."""
    if isinstance(value, str) and len(value.strip()) >= _MIN_LENGTH:
        _secrets.add(value.strip())


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message of every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


# libpq's connection keywords that hold a secret, which a URL may carry in its query
# (``postgresql://user@host/db?password=...``) as well as in its user information.
_QUERY_SECRETS = frozenset({"password", "sslpassword"})


def _libpq_parts(url: str) -> tuple[str | None, str | None, str, str | None]:
    """A URL cut as libpq cuts a postgresql:// one: (user or None, password as written or
    None, host, port and database, query or None). libpq ends the user information at the
    first ``@`` before any ``/``, the user at its first ``:``, and takes all that follows
    the first ``?`` as ``&``-separated keywords, so a password may hold ``#``, ``?``, ``[``
    or ``:``, which urllib reads as other parts of a URL (and then shows the password)."""
    body = url.split("://", 1)[1]
    at, slash = body.find("@"), body.find("/")
    user = password = None
    if at != -1 and (slash == -1 or at < slash):
        userinfo, body = body[:at], body[at + 1 :]
        user, sep, secret = userinfo.partition(":")
        password = secret if sep else None
    where, sep, query = body.partition("?")
    return user, password, where, query if sep else None


def url_secrets(url: str) -> list[str]:
    """The secrets a URL carries, as written in it: the password of its user information
    and the values of libpq's ``password`` and ``sslpassword`` query keywords. Any URL is
    read as libpq reads one (``_libpq_parts``), the widest reading of where a password
    ends: a Redis broker's password holding ``#`` or ``?`` is masked whole too."""
    if "://" not in url:
        return []
    _, password, _, query = _libpq_parts(url)
    found = [password] if password else []
    return found + [v for f in (query or "").split("&") if (v := _query_secret(f))]


def _query_secret(field: str) -> str:
    """The value of a query field (``key=value``, as written) if its key is a secret's."""
    from urllib.parse import unquote_plus

    key, sep, value = field.partition("=")
    return value if sep and unquote_plus(key) in _QUERY_SECRETS else ""


def without_password(url: str, *, query: bool = True) -> str:
    """A URL with each of its secrets (``url_secrets``) shown as ``***`` and registered,
    as written and decoded, so that no later message can carry them either, and without
    its query unless ``query``."""
    from urllib.parse import unquote, unquote_plus

    secrets = url_secrets(url)
    for secret in secrets:
        for form in (secret, unquote(secret), unquote_plus(secret)):
            register(form)  # libpq decodes it, and a driver's message may quote it so
    if "://" not in url or (not secrets and query):
        return url
    user, password, where, fields = _libpq_parts(url)
    head = url.split("://", 1)[0] + "://"
    if user is not None:
        head += f"{user}:{MASK}@" if password is not None else f"{user}@"
    masked = "&".join(
        f"{f.partition('=')[0]}={MASK}" if _query_secret(f) else f
        for f in (fields or "").split("&")
    )
    return head + where + (f"?{masked}" if query and fields is not None else "")

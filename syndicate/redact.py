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


def without_password(url: str) -> str:
    """A URL with its password (``scheme://user:secret@host``) shown as ``***`` and
    registered as a secret, so that no later message can carry it either."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not a URL after all
        return url
    if not password:
        return url
    register(password)
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{password}@", ":***@", 1)))

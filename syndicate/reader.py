"""Markdown articles with optional YAML front matter -> Article, byte-faithfully.

The text is kept exactly as read (BOM, line endings and all); the front matter is parsed
with ``yaml.safe_load`` for its values and with ``yaml.compose`` for the exact spans of the
string values that get translated, so that they can be replaced in place later instead of
re-dumping the YAML (which would lose comments, quoting and key order).
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from syndicate.errors import ConfigError, InputError, MissingInputError, UsageError
from syndicate.langtags import canonical
from syndicate.model import Article, FrontMatter, ScalarField
from syndicate.placeholders import CONTROL_RE  # C0 controls: XML cannot hold them

# String values translated when found at the top level of the front matter...
TOP_LEVEL_KEYS = frozenset({"title", "subtitle", "summary", "description", "excerpt", "caption"})
# ...and inside these containers (a mapping, or a list of mappings): image captions.
MEDIA_CONTAINERS = frozenset({"image", "images", "media", "photo", "photos", "figure"})
MEDIA_KEYS = frozenset({"caption", "alt", "title"})
# Keys whose values must be strings when present.
STRING_KEYS = frozenset({"title", "subtitle", "summary", "description", "lang", "slug"})

_FENCE_OPEN = re.compile(r"\A(\ufeff?)---[ \t]*(\r\n|\n|\r)")
_FENCE_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|\Z)", re.MULTILINE)
MAX_YAML_NODES = 10_000  # after alias expansion: refuses "billion laughs" front matter
# The longest news articles are a few hundred kilobytes and a few thousand lines; a file far
# beyond that is a data dump or a mistake, and reading it whole would cost memory and money.
MAX_ARTICLE_BYTES = 10 * 2**20
MAX_ARTICLE_LINES = 50_000
# Front matter keys read as timestamps (exports, rates): a date, or a date and time with a zone.
TIMESTAMP_KEYS = frozenset({"date", "published", "updated", "embargo", "translated_at"})
# The safe loader (no Python objects, ever), in its libyaml version when available: the
# same rules, several times faster. The document is composed once, checked, then built.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_bytes(path: Path | str, *, limit: int | None = MAX_ARTICLE_BYTES) -> bytes:
    """Read a file (or ``-`` for stdin), with errors that name it; refuse more than ``limit``."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1 if limit is not None else -1)
        _check_limit(len(data), limit, "<stdin>")
        return data
    p = Path(path)
    try:
        if limit is not None:
            _check_limit(p.stat().st_size, limit, p)  # before reading: memory stays bounded
        return p.read_bytes()
    except FileNotFoundError:
        raise MissingInputError(p, "no such file") from None
    except IsADirectoryError:
        raise MissingInputError(p, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None


def _check_limit(size: int, limit: int | None, name: Path | str) -> None:
    if limit is not None and size > limit:
        # Only so much of stdin is read, so its full size is not known.
        known = f"{size / 2**20:.1f} MiB, " if name != "<stdin>" else ""
        raise InputError(
            name,
            f"is too large ({known}over the {limit / 2**20:g} MiB limit)",
            hint="split it into several files",
        )


def read_text(path: Path | str) -> str:
    """Read a UTF-8 article or page (or ``-`` for stdin), refusing what is not one."""
    name = "<stdin>" if str(path) == "-" else Path(path)
    text = decode(read_bytes(path), name)
    lines = text.count("\n") or text.count("\r")
    if lines > MAX_ARTICLE_LINES:
        raise InputError(
            name,
            f"has {lines:,} lines; an article may have at most {MAX_ARTICLE_LINES:,}",
            hint="split it into several articles",
        )
    return text


def decode(data: bytes, path: Path | str) -> str:
    """Decode bytes as UTF-8 text, with errors that say what the file is instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "is UTF-16 text", hint="re-save it as UTF-8")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError(path, "is a binary file (NUL byte)", line=line, hint="give a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path,
            f"is not UTF-8 (byte 0x{data[exc.start]:02x})",
            line=line,
            hint="re-save it as UTF-8",
        ) from None
    if not text.lstrip("\ufeff").strip():
        raise InputError(path, "is empty", hint="give an article with some text")
    control = CONTROL_RE.search(text)
    if control:
        raise InputError(
            path,
            f"holds a control character (U+{ord(control.group()):04X})",
            line=text.count("\n", 0, control.start()) + 1,
            hint="remove it: no text format this tool writes (XML above all) can carry it",
        )
    return text


def read_article(path: Path | str) -> Article:
    """Read an article from a file, or from stdin with ``-``."""
    text = read_text(path)
    return parse_article(text, path=None if str(path) == "-" else Path(path))


def parse_article(text: str, *, path: Path | None = None) -> Article:
    """Split front matter and body; parse and check the front matter."""
    name: Path | str = path if path is not None else "<stdin>"
    opening = _FENCE_OPEN.match(text)
    if not opening:
        return Article(text=text, body_start=0, front_matter=None, path=path)
    yaml_start = opening.end()
    closing = _FENCE_CLOSE.search(text, yaml_start)
    if not closing:
        raise InputError(
            name, "front matter is not closed", line=1, hint="end it with a line '---'"
        )
    yaml_text = text[yaml_start : closing.start()]
    line_offset = text[:yaml_start].count("\n") + (1 if "\n" not in opening.group(2) else 0)
    data, fields, scalars = _parse_yaml(yaml_text, name, line_offset, yaml_start)
    front = FrontMatter(
        start=yaml_start,
        end=closing.start(),
        data=data,
        fields=tuple(fields),
        newline=opening.group(2),
        scalars=scalars,
        keys=frozenset(str(k) for k in data),
    )
    return Article(text=text, body_start=closing.end(), front_matter=front, path=path)


def compose_yaml(
    text: str, name: Path | str, *, subject: str, line_offset: int = 0
) -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely: no Python objects, no alias bombs, no duplicate keys.

    Returns the data and its node tree (for exact spans and lines). Every problem is an
    ``InputError`` naming ``name``, the line (``line_offset`` lines before the text) and the
    ``subject`` ("front matter", "partners file"...).
    """
    try:
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_size(node, name, subject, line_offset)
                _check_duplicates(node, name, subject, line_offset)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = line_offset + mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(name, f"{subject} is not valid YAML ({problem})", line=line) from None
    except InputError:
        raise  # our own checks' errors (InputError is a ValueError too)
    except (ValueError, OverflowError, RecursionError) as exc:
        # PyYAML's constructors raise these for values that look typed but are not
        # (a date with month 46); its deep recursion for absurd nesting.
        raise InputError(name, f"{subject} has a value YAML cannot read ({exc})") from None
    return data, node


def read_yaml_file(path: Path, subject: str, *, limit: int = MAX_ARTICLE_BYTES) -> Any:
    """A configuration file (settings, partners, glossary, rates, plan, profile) as data.

    The same checks as front matter; every problem is a ``ConfigError`` (exit 2) naming the
    file and the line.
    """
    return read_yaml_document(path, subject, limit=limit)[0]


def read_yaml_document(
    path: Path, subject: str, *, limit: int = MAX_ARTICLE_BYTES
) -> tuple[Any, yaml.Node | None]:
    """``read_yaml_file`` with the node tree too, for callers that name lines in errors."""
    with config_errors(path):
        data = read_bytes(path, limit=limit)
        if not data.lstrip(b"\xef\xbb\xbf").strip():
            return None, None  # an empty file: no settings
        return compose_yaml(decode(data, path), path, subject=subject)


@contextmanager
def config_errors(path: Path | str) -> Iterator[None]:
    """Reading a settings file: its problems are ``ConfigError`` (exit 2), not ``InputError``."""
    try:
        yield
    except MissingInputError:
        raise ConfigError(f"{path}: no such file") from None
    except InputError as exc:
        raise ConfigError(exc.message, hint=exc.hint) from None


def key_lines(node: yaml.MappingNode, line_offset: int = 0) -> dict[str, int]:
    """The line of each key of a YAML mapping (``line_offset`` lines before its text)."""
    return {
        str(k.value): line_offset + k.start_mark.line + 1
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }


def _parse_yaml(
    yaml_text: str, name: Path | str, line_offset: int, offset: int
) -> tuple[dict[str, Any], list[ScalarField], dict[str, tuple[int, int]]]:
    data, node = compose_yaml(yaml_text, name, subject="front matter", line_offset=line_offset)
    if data is None:
        return {}, [], {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise InputError(
            name,
            f"front matter must be a mapping of keys to values, not a {type(data).__name__}",
            line=line_offset + 1,
        )
    _check_known_keys(data, node, name, line_offset)
    _check_controls(node, name, line_offset)
    fields = [
        _field(key, value_node, yaml_text, offset)
        for key, value_node in _translatable_nodes(node)
        if value_node.value.strip()
    ]
    scalars = {
        str(k.value): (offset + v.start_mark.index, offset + v.end_mark.index)
        for k, v in node.value
        if isinstance(v, yaml.ScalarNode)
        and v.style not in ("|", ">")
        and v.end_mark.index > v.start_mark.index
    }
    return data, fields, scalars


def _check_controls(node: yaml.Node, name: Path | str, line_offset: int) -> None:
    """YAML escapes ("\\0", "\\x1b") can put what decode() refused back into a value."""
    for current in _walk(node):
        control = CONTROL_RE.search(current.value) if isinstance(current, yaml.ScalarNode) else None
        if control:
            raise InputError(
                name,
                f"front matter holds a control character (U+{ord(control.group()):04X})",
                line=line_offset + current.start_mark.line + 1,
                hint="remove the escape",
            )


def _walk(node: yaml.Node) -> Iterator[yaml.Node]:
    """Every node of a tree, aliases followed (so a "billion laughs" tree is long)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.extend((k, v))


def _check_known_keys(
    data: dict[Any, Any], node: yaml.MappingNode, name: Path | str, line_offset: int
) -> None:
    """Known keys must hold what the rest of the tool reads from them."""
    lines = key_lines(node, line_offset)
    for key in sorted(STRING_KEYS & data.keys()):
        if data[key] is not None and not isinstance(data[key], str):
            raise InputError(
                name,
                f"front matter key {key!r} must be a string, not {type(data[key]).__name__}",
                line=lines.get(key),
                hint="quote the value",
            )
    if isinstance(data.get("lang"), str) and data["lang"].strip():
        try:
            canonical(data["lang"])
        except UsageError:
            raise InputError(
                name,
                f"front matter 'lang' {data['lang']!r} is not a language tag",
                line=lines.get("lang"),
                hint="write a BCP 47 tag such as id, en or ms",
            ) from None
    for key in sorted(TIMESTAMP_KEYS & data.keys()):
        problem = _timestamp_problem(data[key])
        if problem:
            raise InputError(
                name,
                f"front matter key {key!r} {problem}",
                line=lines.get(key),
                hint="write 2025-06-25, or 2025-06-25T14:00:00+07:00 with its zone (WIB is +07:00)",
            )


def parse_timestamp(value: object) -> dt.date | None:
    """A front matter timestamp: None, a date, or a date and time (with a zone or not).

    ISO 8601 strings are parsed, ``Z`` included; ``ValueError`` says what is wrong.
    """
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"is not an ISO 8601 date ({value!r})") from None
    if value is None or isinstance(value, dt.date):
        return value
    raise ValueError(f"must be a date, not {type(value).__name__}")


def _timestamp_problem(value: object) -> str | None:
    try:
        parsed = parse_timestamp(value)
    except ValueError as exc:
        return str(exc)
    if isinstance(parsed, dt.datetime) and parsed.tzinfo is None:
        return f"has a time but no timezone ({parsed})"
    return None


def _translatable_nodes(root: yaml.MappingNode) -> Iterator[tuple[str, yaml.ScalarNode]]:
    for key_node, value_node in root.value:
        key = key_node.value
        if key in TOP_LEVEL_KEYS and _is_string(value_node):
            yield key, value_node
        elif key in MEDIA_CONTAINERS:
            items: list[tuple[str, yaml.Node]] = []
            if isinstance(value_node, yaml.MappingNode):
                items = [(key, value_node)]
            elif isinstance(value_node, yaml.SequenceNode):
                items = [(f"{key}.{i}", n) for i, n in enumerate(value_node.value)]
            for prefix, item in items:
                if not isinstance(item, yaml.MappingNode):
                    continue
                for sub_key, sub_value in item.value:
                    if sub_key.value in MEDIA_KEYS and _is_string(sub_value):
                        yield f"{prefix}.{sub_key.value}", sub_value


def _is_string(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


def _field(key: str, node: yaml.ScalarNode, yaml_text: str, offset: int) -> ScalarField:
    start, end = node.start_mark.index, node.end_mark.index
    raw = yaml_text[start:end]
    suffix = ""
    if node.style in ("|", ">"):
        # A block scalar's span swallows the line breaks after it; they must be written back.
        stripped = raw.rstrip("\r\n")
        suffix = raw[len(stripped) :]
        end = start + len(stripped)
    return ScalarField(
        key=key, value=node.value, start=offset + start, end=offset + end, suffix=suffix
    )


def _check_size(node: yaml.Node, name: Path | str, subject: str, line_offset: int) -> None:
    for count, _ in enumerate(_walk(node), start=1):
        if count > MAX_YAML_NODES:
            raise InputError(
                name,
                f"{subject} expands to more than {MAX_YAML_NODES} values (aliases?)",
                line=line_offset + 1,
                hint="remove the YAML anchors and aliases",
            )


def _check_duplicates(node: yaml.Node, name: Path | str, subject: str, line_offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise InputError(
                        name,
                        f"{subject} key {key_node.value!r} appears twice",
                        line=line_offset + key_node.start_mark.line + 1,
                    )
                seen.add(key_node.value)
            _check_duplicates(value_node, name, subject, line_offset)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, name, subject, line_offset)

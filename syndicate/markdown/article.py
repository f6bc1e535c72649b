"""Markdown articles with optional YAML front matter -> Article, byte-faithfully.

The text is kept exactly as read (BOM, line endings and all); the front matter is parsed
with ``yaml.safe_load`` for its values and with ``yaml.compose`` for the exact spans of the
string values that get translated, so that they can be replaced in place later instead of
re-dumping the YAML (which would lose comments, quoting and key order).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from syndicate.errors import InputError, UsageError
from syndicate.files import read_text
from syndicate.langtags import canonical
from syndicate.placeholders import CONTROL_RE  # C0 controls: XML cannot hold them
from syndicate.safeyaml import compose_yaml, key_lines, walk
from syndicate.types import Article, FrontMatter, ScalarField

# String values translated when found at the top level of the front matter...
TOP_LEVEL_KEYS = frozenset({"title", "subtitle", "summary", "description", "excerpt", "caption"})
# ...and inside these containers (a mapping, or a list of mappings): image captions.
MEDIA_CONTAINERS = frozenset({"image", "images", "media", "photo", "photos", "figure"})
MEDIA_KEYS = frozenset({"caption", "alt", "title"})
# Keys whose values must be strings when present.
STRING_KEYS = frozenset({"title", "subtitle", "summary", "description", "lang", "slug"})

_FENCE_OPEN = re.compile(r"\A(\ufeff?)---[ \t]*(\r\n|\n|\r)")
_FENCE_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|\Z)", re.MULTILINE)
# Front matter keys read as timestamps (exports, rates): a date, or a date and time with a zone.
TIMESTAMP_KEYS = frozenset({"date", "published", "updated", "embargo", "translated_at"})


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
    for current in walk(node):
        control = CONTROL_RE.search(current.value) if isinstance(current, yaml.ScalarNode) else None
        if control:
            raise InputError(
                name,
                f"front matter holds a control character (U+{ord(control.group()):04X})",
                line=line_offset + current.start_mark.line + 1,
                hint="remove the escape",
            )


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
                hint=_timestamp_hint(data[key]),
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


def _timestamp_hint(value: object) -> str:
    """How to write the value, with the writer's own date and time where there are some."""
    with contextlib.suppress(ValueError):
        parsed = parse_timestamp(value)
        if isinstance(parsed, dt.datetime):
            stamp = parsed.replace(tzinfo=None).isoformat()
            return f"write {stamp}+07:00 for WIB (WITA +08:00, WIT +09:00, Z for UTC)"
    return "write 2025-06-25, or 2025-06-25T14:00:00+07:00 with its zone (WIB is +07:00)"


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

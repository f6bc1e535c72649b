"""YAML read safely: no Python objects, no alias bombs, no duplicate keys, lines in errors.

Every YAML the tool reads (front matter, settings, partners, glossary, rates, plans,
locale profiles) goes through ``compose_yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from syndicate.errors import ConfigError, InputError, MissingInputError
from syndicate.files import MAX_ARTICLE_BYTES, decode, read_bytes

MAX_YAML_NODES = 10_000  # after alias expansion: refuses "billion laughs" front matter


# The safe loader (no Python objects, ever), in its libyaml version when available: the
# same rules, several times faster. The document is composed once, checked, then built.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
            data = None
            if node is not None:
                _check_size(node, name, subject, line_offset)
                _check_duplicates(node, name, subject, line_offset)
                try:
                    data = loader.construct_document(node)
                except _UNREADABLE as exc:
                    # PyYAML's constructors raise these for values that look typed but are
                    # not (a date with month 46, ``!!bool maybe``, ``!!int`` with nothing):
                    # said of the value's key and line.
                    raise _unreadable(node, exc, name, subject, line_offset, text) from None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        at, problem, hint = _explain(exc, text)
        line = line_offset + at + 1 if at is not None else None
        raise InputError(
            name, f"{subject} is not valid YAML ({problem})", line=line, hint=hint
        ) from None
    except InputError:
        raise  # our own checks' errors (InputError is a ValueError too)
    except RecursionError:  # PyYAML's deep recursion, for absurd nesting
        raise InputError(name, f"{subject} is nested too deeply to read") from None
    except (ValueError, OverflowError) as exc:  # the reader's own (a lone surrogate)
        raise InputError(name, f"{subject} has text YAML cannot read ({exc})") from None
    return data, node


# What PyYAML's constructors raise for a typed value they cannot build (an AttributeError
# or a KeyError for an explicitly tagged one that does not match its tag).
_UNREADABLE = (ValueError, OverflowError, AttributeError, KeyError, TypeError, IndexError)


def _unreadable(
    node: yaml.Node | None,
    exc: Exception,
    name: Path | str,
    subject: str,
    line_offset: int,
    text: str,
) -> InputError:
    """The error for the first value of ``node`` that cannot be built: its key and line."""
    found = _first_unreadable(node, ()) if node is not None else None
    if found is None:
        return InputError(name, f"{subject} has a value YAML cannot read ({exc})")
    keys, bad, why = found
    where = f"{subject}: '{'.'.join(keys)}'" if keys else subject
    value = bad.value if isinstance(bad.value, str) else ""
    return InputError(
        name,
        f"{where} has a value YAML cannot read: {value!r} ({why})",
        line=line_offset + bad.start_mark.line + 1,
        hint="remove the tag: only plain YAML values are read"
        if _tagged(bad, text)
        else "write a date as 2025-07-03 and a time as 2025-07-03T10:00:00+07:00, "
        "or quote the value to keep it as text",
    )


def _tagged(node: yaml.Node, text: str) -> bool:
    """Whether the value is written with an explicit tag (``!!bool maybe``)."""
    lines = text.splitlines()
    mark = node.start_mark
    return mark.line < len(lines) and lines[mark.line][mark.column :].startswith("!")


def _first_unreadable(
    node: yaml.Node, keys: tuple[str, ...]
) -> tuple[tuple[str, ...], yaml.Node, str] | None:
    """The keys to the first value under ``node`` that PyYAML cannot build, that value's
    node and why; each scalar built alone, by a loader of its own."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            label = key.value if isinstance(key, yaml.ScalarNode) else "?"
            found = _first_unreadable(key, keys) or _first_unreadable(value, (*keys, label))
            if found is not None:
                return found
        return None
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found = _first_unreadable(item, (*keys, str(i)))
            if found is not None:
                return found
        return None
    loader = _LOADER("")
    try:
        loader.construct_document(node)
    except _UNREADABLE as exc:
        why = (
            f"no such value for {node.tag.rsplit(':', 1)[-1]}"
            if isinstance(exc, KeyError | AttributeError | IndexError)
            else str(exc)
        )
        return keys, node, why
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


# What PyYAML was reading when it failed, for the constructs that stay open until they are
# closed: it notices only where the text ends or the next key starts, lines later, while
# the mistake is where the construct opened (its context mark). Each: what, and the fix.
_OPENED = {
    "quoted scalar": (
        "a quoted value starts on this line and is never closed",
        "end it with the quote it starts with (inside '...' write a ' as '', "
        'inside "..." write a " as \\")',
    ),
    "flow sequence": ("a [ list opens on this line and is never closed", "close it with ]"),
    "flow mapping": ("a { mapping opens on this line and is never closed", "close it with }"),
}


def _explain(exc: yaml.YAMLError, text: str) -> tuple[int | None, str, str]:
    """Where a YAML error is (a line of ``text``, from 0), what it is, and how to fix it."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    opened = next((what for what in _OPENED if what in context), None)
    if opened is not None and context_mark is not None and "escape" not in problem:
        return context_mark.line, *_OPENED[opened]
    mark = problem_mark or context_mark
    if mark is None:
        return None, problem, "check the indentation and the quoting"
    at: int = mark.line
    lines = text.splitlines()
    if at < len(lines) and "\t" in lines[at][: mark.column + 1]:
        return at, problem, "indent with spaces: YAML does not allow tabs there"
    if "escape" in problem:
        return at, problem, "in \"...\" a backslash starts an escape: write \\\\, or use '...'"
    if "constructor for the tag" in problem:
        return at, problem, "remove the tag: only plain YAML values are read"
    if "undefined alias" in problem:
        return at, problem, "define the anchor (&name) before the alias (*name), or quote the value"
    if "mapping values are not allowed" in problem:
        line = lines[at] if at < len(lines) else ""
        if line[:1] in (" ", "\t") and ": " in line:  # a key indented under a value
            hint = "the line above has its value already: remove this line's indentation"
            return at, problem, hint
        return at, problem, 'quote a value that contains ": " (title: "Harga: naik")'
    return at, problem, "check the indentation and the quoting on this line"


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
        raise ConfigError("no such file", path=path) from None
    except InputError as exc:
        raise ConfigError.of(exc) from None


def key_lines(node: yaml.MappingNode, line_offset: int = 0) -> dict[str, int]:
    """The line of each key of a YAML mapping (``line_offset`` lines before its text)."""
    return {
        str(k.value): line_offset + k.start_mark.line + 1
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }


def walk(node: yaml.Node) -> Iterator[yaml.Node]:
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


def _check_size(node: yaml.Node, name: Path | str, subject: str, line_offset: int) -> None:
    for count, _ in enumerate(walk(node), start=1):
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
                        hint="keep one of them",
                    )
                seen.add(key_node.value)
            _check_duplicates(value_node, name, subject, line_offset)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, name, subject, line_offset)

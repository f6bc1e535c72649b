"""Setting top-level front matter keys in an article's text without re-dumping the YAML.

An existing scalar is replaced in place; a new key is appended just before the closing
fence; an article without front matter gets one. Everything else stays byte-identical.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache

import yaml

from syndicate.errors import InputError
from syndicate.types import Article


def set_keys(article: Article, updates: Mapping[str, str]) -> str:
    """The article's text with ``updates`` written into its front matter."""
    text = article.text
    front = article.front_matter
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    if front is None:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        lines = "".join(f"{k}: {yaml_scalar(v)}{newline}" for k, v in updates.items())
        return f"{bom}---{newline}{lines}---{newline}{text[len(bom) :]}"
    newline = front.newline
    edits: list[tuple[int, int, str]] = []
    appended: list[str] = []
    for key, value in updates.items():
        if key in front.scalars:
            start, end = front.scalars[key]
            edits.append((start, end, yaml_scalar(value)))
        elif key in front.keys:
            raise InputError(
                article.name,
                f"front matter key {key!r} must be a single value to be updated",
                hint=f"remove {key!r} from the front matter",
            )
        else:
            appended.append(f"{key}: {yaml_scalar(value)}{newline}")
    if appended:
        edits.append((front.end, front.end, "".join(appended)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


@lru_cache(maxsize=1024)  # a batch writes the same engine, languages and dates many times
def yaml_scalar(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value``: plain when safe, else quoted."""
    if value and "\n" not in value and value.strip() == value and ": " not in value:
        try:
            if yaml.safe_load(value) == value and not value.startswith(("'", '"', "{", "[")):
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)

"""Markdown: the translated article as written, front matter included, attribution at the end."""

from __future__ import annotations

from collections.abc import Sequence

from syndicate.syndication.formats import Context, Output
from syndicate.syndication.items import Item


def write(items: Sequence[Item], ctx: Context) -> list[Output]:
    return [
        Output(f"{i.slug}.md", i.document.encode("utf-8"), "text/markdown; charset=utf-8")
        for i in items
    ]

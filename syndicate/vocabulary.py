"""The fixed vocabularies of settings and options, each written once.

Each is a ``Literal`` for the type checker and a tuple made from it for choices and checks,
so that a new value is added in one place. Kept apart from ``types`` so that the command
line can offer the choices without loading the data model.
"""

from __future__ import annotations

from typing import Literal, get_args

MoneyPolicy = Literal["append", "replace", "keep"]  # what a converted amount does
MONEY_POLICIES: tuple[MoneyPolicy, ...] = get_args(MoneyPolicy)

Format = Literal["markdown", "html", "ninjs", "newsml-g2", "atom", "rss", "jsonfeed"]
FORMATS: tuple[Format, ...] = get_args(Format)

"""The shared value types."""

from __future__ import annotations

import dataclasses

from syndicate.types import Entity, Placeholder, Segment


def test_the_fast_copies_carry_every_field() -> None:
    """``renumbered`` and ``with_template`` write their fields out (``dataclasses.replace``
    costs five times as much, and a batch makes thousands of copies a run): each must
    equal ``replace`` on a value whose every field differs from its default, so that a
    field added to the class and forgotten there fails here."""
    entity = Entity("money", 0, 5, "Rp 5", None, convertible=False)
    placeholder = Placeholder(3, "open", "**", partner=4, entity=entity, replacement="x")
    assert [f.name for f in dataclasses.fields(Placeholder)] == [
        "index", "kind", "source", "partner", "entity", "replacement",
    ]  # fmt: skip
    assert placeholder.renumbered(1, 2) == dataclasses.replace(placeholder, index=1, partner=2)
    segment = Segment(
        1, 9, "**Rp 5**", "⟦1⟧x⟦2⟧", (placeholder,), where="title", quoted=True, suffix="\n"
    )
    assert [f.name for f in dataclasses.fields(Segment)] == [
        "start", "end", "source", "template", "placeholders", "where", "quoted", "suffix",
    ]  # fmt: skip
    assert segment.with_template("⟦1⟧", ()) == dataclasses.replace(
        segment, template="⟦1⟧", placeholders=()
    )
    assert segment.translatable and not segment.with_template("⟦1⟧ 5", ()).translatable

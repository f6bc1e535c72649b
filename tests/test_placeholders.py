"""Placeholder repair: whitespace damage undone, real loss reported."""

from __future__ import annotations

import pytest

from syndicate.placeholders import PlaceholderDamage, fill, repair, shapes, strip_tokens

TEMPLATE = "Harga ⟦1⟧naik⟦2⟧ di ⟦3⟧."
KINDS = {1: ("open", 2), 2: ("close", 1), 3: ("standalone", None)}


def fix(translated: str, template: str = TEMPLATE) -> str:
    return repair(translated, template, shapes(template, KINDS))


def test_spaces_inside_pairs_and_tokens_are_removed() -> None:
    """Spaces an engine adds inside brackets and inside a pair go away."""
    assert fix("Prices ⟦ 1 ⟧ rise ⟦2 ⟧ at ⟦3⟧.") == "Prices ⟦1⟧rise⟦2⟧ at ⟦3⟧."


def test_glue_to_punctuation_is_restored() -> None:
    """A token glued to punctuation in the source is glued again."""
    assert fix("Prices ⟦1⟧rise⟦2⟧ at ⟦3⟧ .") == "Prices ⟦1⟧rise⟦2⟧ at ⟦3⟧."


def test_tokens_may_move() -> None:
    """Word order changes are fine as long as pairs still nest."""
    assert fix("At ⟦3⟧, prices ⟦1⟧rose⟦2⟧.") == "At ⟦3⟧, prices ⟦1⟧rose⟦2⟧."


def test_edge_whitespace_follows_the_source() -> None:
    """Leading and trailing whitespace come from the source, not the engine."""
    assert repair("  Hello ", " Halo\n", {}) == " Hello\n"


@pytest.mark.parametrize(
    ("translated", "problem"),
    [
        ("Prices ⟦1⟧rise at ⟦3⟧.", "lost ⟦2⟧"),
        ("Prices ⟦1⟧rise⟦2⟧ at ⟦3⟧ ⟦4⟧.", "invented ⟦4⟧"),
        ("Prices ⟦1⟧rise⟦2⟧ at ⟦3⟧ ⟦3⟧.", "repeated ⟦3⟧"),
        ("Prices ⟦2⟧rise⟦1⟧ at ⟦3⟧.", "broken"),
        # As many tokens as the source has, yet damaged: each named, in this order.
        ("Prices ⟦1⟧rise⟦1⟧ at ⟦3⟧.", "^lost ⟦2⟧; repeated ⟦1⟧$"),
        ("Prices ⟦1⟧rise⟦2⟧ at ⟦4⟧.", "^lost ⟦3⟧; invented ⟦4⟧$"),
        ("Prices ⟦1⟧rise⟦2⟧ at ⟦4⟧ ⟦4⟧.", "^lost ⟦3⟧; invented ⟦4⟧; repeated ⟦4⟧$"),
        ("Prices ⟦1⟧rise⟦2⟧.", "^lost ⟦3⟧$"),
    ],
)
def test_real_damage_is_reported(translated: str, problem: str) -> None:
    """Lost, invented, repeated or reversed tokens cannot be repaired."""
    with pytest.raises(PlaceholderDamage, match=problem):
        fix(translated)


def test_fill_and_strip() -> None:
    """Tokens are replaced by their markup, or removed to get the bare text."""
    assert fill("a ⟦1⟧b⟦2⟧", {1: "**", 2: "**"}) == "a **b**"
    assert strip_tokens("a ⟦ 1 ⟧b⟦2⟧") == "a b"

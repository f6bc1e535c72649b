"""The entity recognizer: the team's corpus, the tricky notations, and any text at all."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.localize.entities import recognize
from syndicate.localize.entities.tables import parse_number
from syndicate.localize.entities.values import Money, Range

CORPUS = Path(__file__).resolve().parents[2] / "data" / "entities.yaml"
KINDS = ("money", "percent", "date", "time", "datetime")


def cases() -> list[dict]:  # type: ignore[type-arg]
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def test_corpus_f1_per_kind_and_no_entity_on_traps() -> None:
    """Exact-match F1 is at least 0.97 for every kind, and traps yield nothing."""
    all_cases = cases()
    assert len(all_cases) >= 150
    traps = [c for c in all_cases if not c["entities"]]
    assert len(traps) >= 30
    for kind in KINDS:
        tp = predicted = expected = 0
        for case in all_cases:
            want = {(e["span"], repr(e["value"])) for e in case["entities"] if e["kind"] == kind}
            got = {
                (e.text, repr(e.value.to_json())) for e in recognize(case["text"]) if e.kind == kind
            }
            tp, predicted, expected = (
                tp + len(want & got),
                predicted + len(got),
                expected + len(want),
            )
        assert expected > 0, kind
        precision, recall = tp / predicted, tp / expected
        assert 2 * precision * recall / (precision + recall) >= 0.97, kind
    assert [recognize(c["text"]) for c in traps] == [[] for _ in traps]


@pytest.mark.parametrize(
    ("text", "value", "decimals"),
    [
        ("1.500.000", "1500000", 0),
        ("9,6", "9.6", 1),
        ("1.207,2", "1207.2", 1),
        ("522.7", "522.7", 1),
        ("1,065", "1.065", 3),
        ("1,000,000", "1000000", 0),
        ("7.8161", "7.8161", 4),
        ("1.500", "1500", 0),
    ],
)
def test_numbers(text: str, value: str, decimals: int) -> None:
    """Indonesian grouping and decimals, and the English forms real news also uses."""
    assert parse_number(text) == (Decimal(value), decimals)


def test_m_is_miliar_not_million() -> None:
    """Rp5 M is five billion rupiah."""
    [e] = recognize("Pinjaman Rp5 M")
    assert e.value == Money(Decimal("5e9"), "IDR", scaled=True)


def test_range_left_end_inherits_scale_and_currency() -> None:
    """Rp10-15 juta: the left end is ten million rupiah too."""
    [e] = recognize("Biaya Rp10-15 juta per rumah")
    assert isinstance(e.value, Range)
    assert e.value.start.amount == Decimal("1e7") and e.value.start.currency == "IDR"


def test_stated_conversion_and_rates_are_not_converted() -> None:
    """Amounts the text converts itself, and exchange rates, are marked as such."""
    a, b = recognize("Rp 154 triliun (sekitar USD 9,6 miliar)")
    assert not a.convertible and not b.convertible
    [rate] = recognize("melemah ke Rp16.450 per dolar AS")
    assert not rate.convertible
    [price] = recognize("harga Rp 450 juta per unit")
    assert price.convertible


def test_offsets_point_at_the_span() -> None:
    """Every entity's offsets cut its text out of the input."""
    text = "Pada Rabu (25/6/2025) pukul 14.00 WIB harga naik 5,2 persen menjadi Rp 1,5 juta."
    for e in recognize(text):
        assert text[e.start : e.end] == e.text


_pieces = st.sampled_from(
    [
        "Rp",
        "Rp.",
        "US$",
        "$",
        " ",
        "-",
        "–",
        "(",
        ")",
        "/",
        ",",
        ".",
        ":",
        "1",
        "25",
        "2025",
        "9,6",
        "1.500",
        "juta",
        "miliar",
        "M",
        "T",
        "persen",
        "%",
        "Juni",
        "Rabu",
        "pukul",
        "14.00",
        "WIB",
        "dolar AS",
        "rupiah",
        "minus",
        "sekitar",
        "per",
        "⟦1⟧",
        "\n",
        "é",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=25).map("".join) | st.text(max_size=60))
def test_never_raises_overlaps_or_leaves_the_text(text: str) -> None:
    """On any text: no exception, spans in bounds, in order and never overlapping."""
    found = recognize(text)
    for e in found:
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        e.value.to_json()
    for a, b in pairwise(found):
        assert a.end <= b.start


@pytest.mark.parametrize(
    "text",
    ["harga 5 rupıah", "Rp 5 RUPİAH", "lima juta rupıah", "lima ratus dolar amerıka"],
)
def test_a_currency_word_with_look_alike_letters_is_not_an_amount(text: str) -> None:
    """A dotless ı (or a dotted İ) matches i in a case-insensitive pattern, but "rupıah" is
    not a currency word of the tables: no amount, and no KeyError ending the article's
    translation (found by the prefilter equivalence test's generated texts)."""
    assert [e.text for e in recognize(text) if e.kind == "money"] == []

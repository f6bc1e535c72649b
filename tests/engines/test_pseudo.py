"""The offline pseudo engine: what it writes, letter by letter."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from syndicate.engines.pseudo import PseudoEngine, pseudo_localize

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçđéƒĝĥíĵķĺɱñóþǫŕšťúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŤÚṼŴẊÝŽ"


def _spelled_out(text: str, expand: bool) -> str:
    """The rule as the module says it, a character at a time: every ASCII letter swapped
    for its look-alike, every third vowel (counted afresh after each token) doubled,
    tokens and everything else kept."""
    out: list[str] = []
    vowels = 0
    i = 0
    while i < len(text):
        if text.startswith("⟦", i) and "⟧" in text[i:]:
            end = text.index("⟧", i) + 1
            if text[i + 1 : end - 1].strip().isdigit():
                out.append(text[i:end])
                vowels, i = 0, end
                continue
        ch = text[i]
        mapped = _ACCENTED[_PLAIN.index(ch)] if ch in _PLAIN else ch
        out.append(mapped)
        if expand and ch in "aeiouAEIOU":
            vowels += 1
            if vowels % 3 == 0:
                out.append(mapped)
        i += 1
    return "".join(out)


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="aeiouAEIOUbcdxyzBKR ,.-\n\t0123456789éñ⟦⟧ə", max_size=30),
            st.integers(1, 99).map(lambda n: f"⟦{n}⟧"),
        ),
        max_size=8,
    ),
    st.booleans(),
)
def test_every_letter_is_swapped_and_every_third_vowel_doubled(
    parts: list[str], expand: bool
) -> None:
    text = "".join(parts)
    assert pseudo_localize(text, expand=expand) == _spelled_out(text, expand)


def test_the_engine_keeps_tokens_and_lengthens_the_text() -> None:
    texts = ["Harga beras naik.", "Harga ⟦1⟧beras⟦2⟧ naik."]
    assert PseudoEngine().translate(texts, source="id", target="en") == [
        "Ĥáŕĝá ƀééŕáš ñáííķ.",  # the third and sixth vowels doubled
        "Ĥáŕĝá ⟦1⟧ƀéŕáš⟦2⟧ ñáíķ.",  # counted afresh after each token
    ]

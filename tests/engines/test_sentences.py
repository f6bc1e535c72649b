"""Splitting long texts for engines with a length limit."""

from __future__ import annotations

from syndicate.engines.sentences import split_text, translate_in_pieces


def test_short_text_is_one_piece() -> None:
    """Text within the limit is not split."""
    assert split_text("Satu. Dua.", 100) == ["Satu. Dua."]


def test_splits_at_sentence_ends_and_joins_back() -> None:
    """Pieces end at sentence boundaries, respect the limit and join to the original."""
    text = " ".join(f"Kalimat nomor {i} cukup panjang." for i in range(200))
    pieces = split_text(text, 500)
    assert "".join(pieces) == text
    assert all(len(p) <= 500 for p in pieces)
    assert all(p.rstrip().endswith(".") for p in pieces[:-1])


def test_never_cuts_inside_a_token() -> None:
    """Without any space to cut at, the cut moves off a placeholder token."""
    text = "x" * 8 + "⟦12⟧" + "y" * 8
    pieces = split_text(text, 10)
    assert "".join(pieces) == text
    assert not any("⟦" in p and "⟧" not in p for p in pieces)


def test_a_token_longer_than_the_limit_stays_whole() -> None:
    """No empty piece after a token that runs to the end of the text."""
    assert split_text("⟦12345⟧", 5) == ["⟦12345⟧"]
    assert split_text("ab⟦12345⟧", 5) == ["ab", "⟦12345⟧"]


def test_translate_in_pieces_reattaches_edges() -> None:
    """Each piece goes to the engine stripped; whitespace comes back around it."""
    seen: list[str] = []

    def engine(texts: list[str]) -> list[str]:
        seen.extend(texts)
        return [t.upper() for t in texts]

    text = "Satu dua. " * 60
    out = translate_in_pieces(engine, [text, " halo "], 100)
    assert out == [text.upper(), " HALO "]
    assert all(len(t) <= 100 and t == t.strip() for t in seen)

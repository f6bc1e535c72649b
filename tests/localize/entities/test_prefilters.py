"""The recognizer's prefilters skip only scans that cannot find anything.

``recognize`` runs a regex scan only when the text holds something every match of it needs
(and starts it where a match can start at the earliest); ``_recognize_all`` runs every
scan over every text from its start, as the recognizer did before it had prefilters. The
two must give the same entities on every text: the team's corpus, the examples, the
articles the batch benchmark generates, and generated texts dense in what the prefilters
look for (digits, months, currency and number words, in every case the regexes accept).
"""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Iterator
from pathlib import Path
from string import ascii_lowercase

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.localize.entities.recognize import (
    _AMOUNT_WORDS,
    _CLOCK_WORDS,
    _EN_MONTHS,
    _recognize_all,
    recognize,
)
from syndicate.localize.entities.tables import (
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    ENGLISH_WEEKDAYS,
    MONTHS,
    SCALE_LETTERS,
    SCALE_WORDS,
    WEEKDAYS,
    ZONES,
)
from syndicate.markdown.article import read_article
from syndicate.markdown.segment import segment_article
from tests.helpers import EXAMPLES, ROOT

CORPUS = ROOT / "tests" / "data" / "entities.yaml"


def _same(texts: list[str]) -> None:
    assert texts
    for text in texts:
        assert recognize(text) == _recognize_all(text), text


def _segments(paths: list[Path]) -> list[str]:
    return [s.template for p in paths for s in segment_article(read_article(p)).segments]


def test_same_entities_on_the_corpus() -> None:
    _same([case["text"] for case in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))])


def test_same_entities_on_the_examples() -> None:
    _same(_segments(EXAMPLES))


@pytest.fixture(scope="module")
def generated_segments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Every segment of 60 articles made as bench/batch.py makes a night's articles."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(ROOT / "bench"))
        batch = importlib.import_module("batch")
        paths = batch.make_articles(tmp_path_factory.mktemp("articles"), 60, random.Random(7))
        yield _segments(paths)


def test_same_entities_on_generated_articles(generated_segments: list[str]) -> None:
    assert len(generated_segments) > 500
    _same(generated_segments)


def _of(*words: str) -> st.SearchStrategy[str]:
    """The words as written, Capitalized and UPPER: so some the regexes refuse too ("jan")."""
    return st.sampled_from(sorted({f for w in words for f in (w, w.capitalize(), w.upper())}))


# The words the regexes and the prefilters know, by kind and from the same tables; currency
# words also with the non-ASCII letters a case-insensitive match takes for ASCII ones.
_CONFUSABLE = str.maketrans({"i": "ı", "s": "ſ", "k": "\u212a", "I": "İ"})
_month = _of(*MONTHS, "mEi")
_en_month = _of(*_EN_MONTHS)
_weekday = _of(*WEEKDAYS, *ENGLISH_WEEKDAYS)
_currency = _of(*CURRENCY_WORDS) | _of(*CURRENCY_WORDS).map(lambda w: w.translate(_CONFUSABLE))
_prefix = st.sampled_from(list(CURRENCY_PREFIXES))
_number_word = _of(*_AMOUNT_WORDS)
_scale = _of(*SCALE_WORDS) | st.sampled_from(list(SCALE_LETTERS))
_time_word = _of(*ZONES, *_CLOCK_WORDS)
_percent = st.sampled_from(["%", "persen", "Persen", "PERSEN", "per sen", "sen"])
_other = _of("minus", "plus", "hingga", "s.d.", "s/d", "dan", "atau", "sekitar", "setara dengan")
_other |= _of("senilai", "pagi", "malam", "dini hari", "harga", "naik", "per", "x", "é", "⟦1⟧")
_day = st.sampled_from(["0", "1", "5", "09", "12", "25", "29", "31", "32", "٣"])
_year = st.sampled_from(["25", "99", "1899", "1998", "2025", "2199", "2200"])
_amount = st.sampled_from(["5", "0", "1.500", "9,6", "1.207,2", "1,000,000", "522.7", "12.345,6"])
_clock = st.sampled_from(["14.00", "08:30", "23.59.59", "24.00", "9.5", "7.45"])
_slashed = st.sampled_from(["25/6", "25/6/2025", "25/6/25", "31/12/1998", "1/13", "30/2"])
_symbol = st.sampled_from(["%", "(", ")", "/", "-", "–", "—", "−", ".", ",", ":", "|", ",-", "±"])
_gap = st.sampled_from(
    [" ", " ", " ", " ", "\u00a0", "", "-", " - ", "–", "/", "(", ")", ", ", "."]
)
_dash = st.sampled_from(["-", "-", "–", " - ", "/"])


def _shape(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The parts in a row, each followed by a gap (a space most often)."""
    return st.tuples(*(st.tuples(part, _gap).map("".join) for part in parts)).map("".join)


# Entities ("25 Juni 2025", "14.00 WIB", "Rp 5 juta", "Rabu (25/6)", "lima ratus ribu
# rupiah"), and near misses of them, made of those words.
_entity = st.one_of(
    _shape(_day, _month, _year),
    _shape(_day, _month),
    _shape(_month, _year),
    _shape(_month, _dash, _month, _year),
    _shape(_day, _dash, _day, _month, _year),
    st.tuples(_day, _dash, _month, _dash, _year).map("".join),
    _shape(_weekday, st.just("("), _slashed, st.just(")")),
    _shape(_weekday, _slashed),
    _shape(_weekday, _en_month, _day, _year),
    _shape(_time_word, _clock, _time_word),
    _shape(_clock, _dash, _clock, _time_word),
    _shape(_prefix, _amount, _scale, _dash, _amount, _scale),
    _shape(_amount, _scale, _currency),
    _shape(_amount, _dash, _amount, _currency),
    _shape(_number_word, _number_word, _scale, _currency),
    _shape(_other, _amount, _percent),
)
_piece = st.one_of(
    *(_entity,) * 4,
    *(_month, _en_month, _weekday, _currency, _prefix, _number_word, _scale, _time_word),
    *(_percent, _other, _day, _year, _amount, _clock, _slashed, _symbol),
)
# Texts without a digit too, where only amounts in words ("setengah miliar rupiah") are.
_wording = st.one_of(
    _shape(_number_word, _number_word, _scale, _currency),
    _shape(_number_word, _scale, _currency),
    _shape(_number_word, _currency),
    *(_month, _weekday, _currency, _prefix, _number_word, _scale, _time_word, _percent, _other),
)
_texts = st.one_of(
    st.lists(st.tuples(_piece, _gap).map("".join), max_size=10).map("".join),
    st.lists(st.tuples(_wording, _gap).map("".join), max_size=6).map("".join),
    _shape(_prefix, _amount, _other),
    _entity,
)


@settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_texts)
def test_same_entities_on_generated_texts(text: str) -> None:
    _same([text])


def test_non_ascii_letters_matched_as_ascii_ones_lowercase_to_them_or_to_non_ascii() -> None:
    """The premise of the currency-word prefilter on a text that is not ASCII: a letter that
    matches an ASCII letter ignoring case (ı, İ, ſ, K) is a letter (so it stays inside its
    word's run), and lowercased it is that ASCII letter or no ASCII at all."""
    everything = "".join(map(chr, range(0x110000)))
    letter = re.compile(r"[^\W\d_]")
    seen = 0
    for a in ascii_lowercase:
        for ch in re.findall(f"(?i){a}", everything):
            seen += 1
            assert letter.fullmatch(ch), (a, ch)
            assert ch.lower() == a or not ch.lower().isascii(), (a, ch)
    assert seen > 2 * 26  # each letter in both cases, and ı, İ, ſ, K

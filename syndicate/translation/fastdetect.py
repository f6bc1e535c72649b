"""langdetect's ``Detector`` with its hot loops rewritten: the same probabilities, bit for
bit, for about half the CPU on an article's sample (``bench/detect.py``).

Written by hand because nothing else fits: langdetect has no faster path (it detects in
pure Python, a character and a language at a time), and its faster rivals (CLD2/CLD3,
fastText, lingua, langdetect's ports to C or Rust) detect differently: other models,
other answers on short or mixed text, not the probabilities the translation choices and
the tests were made with.

This is langdetect's algorithm (version 1.0.9), step for step; only how Python runs it
changes, never what is computed:

- ``append`` cuts the text and collapses runs of spaces with a slice and a regular
  expression instead of adding a character at a time;
- ``cleaning_text`` looks at each distinct character once (``Counter``), with
  langdetect's own tests;
- the n-grams: ``grams`` is ``NGram.add_char`` and ``_extract_ngrams``' loop written out
  on local variables, on text normalized by one ``str.translate`` (``NGram.normalize``
  depends on the character alone: its Unicode block, the Latin-1 exclusions, the CJK map,
  all constants). A space resets ``NGram``, so a word (the text between two spaces) and
  the space after it give the same n-grams wherever they are (``_word_grams`` slices
  them out): each word's profile rows are looked up once and remembered (``_Rows``), and
  ``_detect_block`` draws rows instead of n-grams (the same list, position for position,
  so ``choice`` picks the same one);
- ``_detect_block`` does ``_update_lang_prob``'s and ``_normalize_prob``'s arithmetic in
  one list comprehension per five steps (the steps between two normalizations), the same
  floating-point operations on the same operands in the same order:
  ``p / total * (weight + q1) * ... * (weight + q5)`` is, left to right, exactly what
  langdetect stores after each of those steps; ``total`` is ``sum`` over the list in
  language order, as there; the convergence test takes ``max(p) / total``, which equals
  the largest ``p / total`` (a correctly rounded division by a positive number keeps the
  order). The random numbers come from the same ``random.Random``, seeded the same way
  and called in the same order (a ``gauss`` per trial, a ``choice`` per step).

``tests/translation/test_fastdetect.py`` checks the equality (every language's
probability compared with ``==``) against langdetect's own ``Detector`` and profiles, on
the test corpus, the examples, texts in many languages and scripts, and random text.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain
from typing import Any

from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram
from langdetect.utils.unicode_block import unicode_block

_SPACES = re.compile("  +")  # langdetect keeps the first space of a run, drops the rest
_LONGEST_KEPT = 40  # longer "words" (Chinese or Japanese runs) are not worth remembering
_KEPT = 20_000  # distinct words remembered, at most (a few MB)


def grams(word: str) -> tuple[str, ...]:
    """The n-grams langdetect's ``_extract_ngrams`` takes from a normalized text, before it
    looks them up in the profiles: ``NGram.add_char`` and the loop, written out. Given a
    word and the space after it (or the text's last word), it gives what that word gives
    anywhere in a text: a space resets the machine."""
    found: list[str] = []
    buffer = " "  # NGram.grams, as after a space
    capital = False  # NGram.capitalword
    for ch in word:
        last = buffer[-1]
        if last == " ":
            buffer = " "
            capital = False
            if ch == " ":
                continue
        elif len(buffer) >= NGram.N_GRAM:
            buffer = buffer[1:]
        buffer += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in range(1, NGram.N_GRAM + 1):
            if len(buffer) < n:
                break
            w = buffer[-n:]
            if w and w != " ":
                found.append(w)
    return tuple(found)


def _word_grams(word: str) -> tuple[str, ...]:
    """``grams(word + " ")`` for a word without spaces, by slicing: the character at ``k``
    of `` word `` ends its 1-, 2- and 3-gram (``NGram`` holds `` c`` after a space, so no
    3-gram then), unless it and the one before are both upper case (``capitalword``);
    the space after the word ends a 2- and a 3-gram."""
    if not word:
        return ()
    padded = f" {word} "
    upper = list(map(str.isupper, padded))
    found: list[str] = []
    for k in range(1, len(word) + 1):
        if upper[k] and upper[k - 1]:
            continue
        found += (padded[k], padded[k - 1 : k + 1])
        if k > 1:
            found.append(padded[k - 2 : k + 1])
    end = len(word)
    found += (padded[end : end + 2], padded[end - 1 : end + 2])
    return tuple(found)


class _Normalized(dict[int, str]):
    """A code point -> ``NGram.normalize`` of its character, for ``str.translate``."""

    def __missing__(self, code: int) -> str:
        normal: str = NGram.normalize(chr(code))
        self[code] = normal
        return normal


class _Rows(dict[str, tuple[Any, ...]]):
    """A word of the text (between two spaces, not normalized) -> the profile rows
    (``word_lang_prob_map[w]``) of the n-grams in the profiles that it gives, with the
    space after it, in order: what ``_detect_block`` draws from. One per profile map."""

    def __init__(self, table: Any) -> None:
        super().__init__()
        self.table = table
        self.size = len(table)  # a map that grew (add_profile) starts a new one

    def __missing__(self, word: str) -> tuple[Any, ...]:
        table = self.table
        # Signs become spaces: "harga," is "harga " (a space resets NGram here too).
        parts = word.translate(_NORMALIZED).split(" ")
        found = tuple(table[w] for part in parts for w in _word_grams(part) if w in table)
        if len(word) <= _LONGEST_KEPT:
            if len(self) >= _KEPT:
                self.clear()
            self[word] = found
        return found


_NORMALIZED = _Normalized()
_ROWS: dict[int, _Rows] = {}  # id(profile map) -> its rows; holds the map, so ids stay unique


def _rows(table: Any) -> _Rows:
    found = _ROWS.get(id(table))
    if found is None or found.table is not table or found.size != len(table):
        if len(_ROWS) >= 4:
            _ROWS.clear()
        found = _ROWS[id(table)] = _Rows(table)
    return found


def clear_memory() -> None:
    """Forget the words seen so far (a benchmark's cold start)."""
    _ROWS.clear()


class FastDetector(Detector):  # type: ignore[misc]  # langdetect has no type information
    """A drop-in ``Detector``: ``FastDetector(factory)`` where langdetect has
    ``factory.create()``; the same profiles, seed, parameters and results."""

    text: str  # what langdetect has read (Detector sets it)

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        # langdetect reads min(len(text), max_text_length) characters, none if negative.
        part = text[: max(0, min(len(text), self.max_text_length))]
        self.text += _SPACES.sub(" ", part)

    def cleaning_text(self) -> None:
        latin_count, non_latin_count = 0, 0
        for ch, count in Counter(self.text).items():
            if "A" <= ch <= "z":
                latin_count += count
            # As langdetect writes it: unicode_block gives a number, never this name, so
            # Latin Extended Additional letters (Vietnamese) count as non-Latin there too.
            elif ch >= "\u0300" and unicode_block(ch) != "Latin Extended Additional":
                non_latin_count += count
        if latin_count * 2 < non_latin_count:
            self.text = "".join(ch for ch in self.text if ch < "A" or ch > "z")

    def _extract_ngrams(self) -> list[str]:
        table = self.word_lang_prob_map
        return [w for w in grams(self.text.translate(_NORMALIZED)) if w in table]

    def _extract_rows(self) -> list[Any]:
        """``[word_lang_prob_map[w] for w in self._extract_ngrams()]``, word by word: a
        space (normalized, a space still) resets ``NGram``, so each word's rows are
        remembered."""
        memo = _rows(self.word_lang_prob_map)
        words = self.text.split(" ")
        end = words.pop()  # the text's last word: no space after it
        found = list(chain.from_iterable(map(memo.__getitem__, words)))
        table = memo.table
        return found + [table[w] for w in grams(end.translate(_NORMALIZED)) if w in table]

    def _detect_block(self) -> None:
        if self.verbose:  # langdetect prints as it goes
            super()._detect_block()
            return
        self.cleaning_text()
        rows = self._extract_rows()
        if not rows:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        n_trial = self.n_trial
        limit, converged = self.ITERATION_LIMIT, self.CONV_THRESHOLD
        langprob = [0.0] * len(self.langlist)
        rng = self.random
        rng.seed(self.seed)
        choice = rng.choice
        for _ in range(n_trial):
            prob: list[float] = self._init_probability()
            alpha = self.alpha + rng.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ  # _update_lang_prob's, the same at every step
            # Step 0, then normalized: langdetect normalizes after steps 0, 5, 10...
            row: Any = choice(rows)
            # A row may be longer than prob (langdetect's load_profile sizes rows by the
            # directory's entries, loaded or not); langdetect reads len(prob) of it.
            prob = [p * (weight + q) for p, q in zip(prob, row, strict=False)]
            total = sum(prob)
            i = 0
            # The probabilities are finite and not negative: max(p) / total is the largest
            # p / total, which is what _normalize_prob returns.
            while not (max(prob) / total > converged or i >= limit):
                # Steps i+1 to i+5 on the normalized probabilities (p / total), drawn in order.
                a: Any = choice(rows)
                b: Any = choice(rows)
                c: Any = choice(rows)
                d: Any = choice(rows)
                e: Any = choice(rows)
                prob = [
                    p / total * (weight + qa) * (weight + qb) * (weight + qc) * (weight + qd)
                    * (weight + qe)
                    for p, qa, qb, qc, qd, qe in zip(prob, a, b, c, d, e, strict=False)
                ]  # fmt: skip
                total = sum(prob)
                i += 5
            langprob = [s + p / total / n_trial for s, p in zip(langprob, prob, strict=True)]
        self.langprob = langprob

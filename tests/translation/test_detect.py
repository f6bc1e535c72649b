"""Language detection on a bounded sample, from compact profiles loaded once."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
import yaml

from syndicate.errors import SyndicateError
from syndicate.files import read_text
from syndicate.markdown.article import parse_article
from syndicate.markdown.importer import import_page
from syndicate.markdown.segment import segment_article
from syndicate.translation import langprofiles
from syndicate.translation.detect import DETECT_CHARS, detect_text, document_text, sample
from tests.helpers import EXAMPLES, ROOT

WHOLE = 10**9  # a limit no text reaches: the whole text is read


def corpus() -> list[str]:
    cases = yaml.safe_load((ROOT / "tests/data/entities.yaml").read_text(encoding="utf-8"))
    return [case["text"] for case in cases]


def texts(seed_page: Path) -> list[str]:
    """What detection reads of every article of the tests, and of 60 articles made of the
    entity corpus's sentences (seeded), each well over the sample's length."""
    found = []
    pages = [read_text(p) for p in EXAMPLES] + [import_page(read_text(seed_page)).markdown]
    for path in sorted((ROOT / "tests/data/bad").glob("*.md")):
        with contextlib.suppress(SyndicateError):  # some are bad on purpose: never detected
            pages.append(read_text(path))
    for page in pages:
        with contextlib.suppress(SyndicateError):
            found.append(document_text(segment_article(parse_article(page))))
    sentences = corpus()
    for i in range(60):
        rng = random.Random(i)
        found.append(" ".join(rng.sample(sentences, rng.randint(25, 40))))
    return [t for t in found if sum(ch.isalpha() for ch in t) >= 40]


def test_the_sample_gives_the_whole_texts_answer(seed_page: Path) -> None:
    """On every test article and corpus-made article, the first DETECT_CHARS characters
    give the language the whole text gives."""
    checked = texts(seed_page)
    long = [t for t in checked if len(t) > 2 * DETECT_CHARS]
    assert len(long) >= 60
    for text in checked:
        assert detect_text(text).lang == detect_text(text, limit=WHOLE).lang, text[:80]


def test_the_sample_gives_each_corpus_sentences_answer() -> None:
    """Each corpus sentence long enough to tell is detected as from its whole text."""
    for text in corpus():
        if sum(ch.isalpha() for ch in text) >= 40:
            assert detect_text(text).lang == detect_text(text, limit=WHOLE).lang


def test_the_sample_ends_at_a_word_boundary() -> None:
    """A sample does not cut a word in two: the word it would cut is kept whole."""
    text = "a" * (DETECT_CHARS - 2) + " kemarin pagi"
    assert sample(text) == "a" * (DETECT_CHARS - 2) + " kemarin"
    assert sample("pendek") == "pendek"


def test_compact_profiles_are_langdetects_bit_for_bit(tmp_path: Path) -> None:
    """Every n-gram's probabilities equal those langdetect's own loader computes."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    theirs = DetectorFactory()
    theirs.load_profile(PROFILES_DIRECTORY)
    langs, ours = langprofiles.load(tmp_path / "profiles.bin")
    order = [langs.index(lang) for lang in theirs.langlist]
    assert len(ours) == len(theirs.word_lang_prob_map)
    for word, probabilities in theirs.word_lang_prob_map.items():
        mine = ours[word]
        assert [mine[i] for i in order] == probabilities, word


@pytest.mark.parametrize("damage", [b"", b"not a cache", None])
def test_a_missing_or_damaged_cache_is_rebuilt(tmp_path: Path, damage: bytes | None) -> None:
    """The cache file is written on first use; a torn or foreign one is rebuilt, same data."""
    path = tmp_path / "profiles.bin"
    langs, first = langprofiles.load(path)
    good = path.read_bytes()
    if damage is None:
        path.write_bytes(good[: len(good) // 2])  # torn
    else:
        path.write_bytes(damage)
    again_langs, again = langprofiles.load(path)
    assert again_langs == langs and again["ber"] == first["ber"]
    assert path.read_bytes() == good

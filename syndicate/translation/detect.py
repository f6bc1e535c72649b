"""Language detection: langdetect, seeded, plus the Indonesian/Malay call it cannot make.

langdetect is accurate on news-length text but random unless seeded (a private factory
with ``seed = 0`` keeps the global one untouched; its profiles come compact from a cache,
see ``langprofiles``; its ``Detector`` runs as ``fastdetect.FastDetector``, the same
probabilities for about half the CPU) and has no Malay profile: Malay text comes back as
Indonesian.
Spelling-distinct words tell the two apart (``kerana`` / ``karena``, ``bilion`` /
``miliar``...), which is what a reader would check.

langdetect reads a bounded sample, the first ``DETECT_CHARS`` characters: its cost grows
with the text, and the sample gives the same answer as the whole text on every text of
the tests and on articles made of the entity corpus's sentences (``test_detect``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from syndicate.errors import DetectionError
from syndicate.langtags import canonical
from syndicate.placeholders import letter_count, strip_tokens
from syndicate.types import Article, Detection

if TYPE_CHECKING:
    from syndicate.markdown.segment import Document

MIN_LETTERS = 40
DETECT_CHARS = 500  # a paragraph or two tells the language as well as a whole article
_MALAY = [
    "kerana",
    "iaitu",
    "sahaja",
    "baharu",
    "syarikat",
    "wang",
    "polis",
    "universiti",
    "bilion",
    "trilion",
    "kerajaan",
    "ringgit",
    "peratus",
    "pelaburan",
    "perniagaan",
    "akhbar",
    "pejabat",
    "bahawa",
]
_INDONESIAN = [
    "karena",
    "yaitu",
    "saja",
    "perusahaan",
    "miliar",
    "triliun",
    "uang",
    "polisi",
    "universitas",
    "pemerintah",
    "rupiah",
    "persen",
    "investasi",
    "bisnis",
    "kemarin",
    "kantor",
    "bahwa",
]
_WORD = re.compile(r"\w+")
# The commonest Indonesian and Malay words: a cheap first look before asking langdetect.
_ID_WORDS = (
    "yang dan di ini itu dengan untuk dari pada akan tidak adalah ke dalam juga atau oleh "
    "karena bahwa sebagai telah sudah mereka kami kita ada bisa lebih para saat tersebut menjadi"
)
_MS_WORDS = (
    "yang dan di ini itu dengan untuk dari pada akan tidak adalah ke dalam juga atau oleh "
    "kerana bahawa sebagai telah sudah mereka kami kita ada boleh lebih para ketika "
    "tersebut menjadi"
)
_EN_WORDS = (
    "the of and to in a is that for on with as by at from it was are be has have this will "
    "said its an were which not but or their they he she had been would who after"
)
FUNCTION_WORDS = {
    "id": frozenset(_ID_WORDS.split()),
    "ms": frozenset(_MS_WORDS.split()),
    "en": frozenset(_EN_WORDS.split()),
}
# Letters that text in these languages cannot do without (kana or hanzi, hangul).
_SCRIPTS = {
    "ja": re.compile(r"[\u3040-\u30ff\u3400-\u9fff]"),
    "zh": re.compile(r"[\u3400-\u9fff]"),
    "ko": re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"),
}
_URL = re.compile(r"(?:https?://|www\.)\S+")


def detect_language(
    article: Article, *, override: str | None = None, document: Document | None = None
) -> Detection:
    """The language of an article: ``override`` (``--from``) wins, then front matter ``lang``.

    ``document`` is the article's segmentation, if the caller has it already.
    """
    if override:
        return Detection(canonical(override), 1.0, "option")
    declared = article.meta.get("lang")
    if isinstance(declared, str) and declared.strip():
        return Detection(canonical(declared), 1.0, "front matter")
    if document is None:
        from syndicate.markdown.segment import segment_article

        document = segment_article(article)
    try:
        return detect_text(document_text(document))
    except DetectionError as exc:
        raise DetectionError(
            exc.problem,
            hint="give the language with --from LANG or a 'lang:' front matter key",
            path=article.name,
        ) from None


def document_text(document: Document) -> str:
    """What detection reads of an article: its segments' text, without markup."""
    return "\n".join(strip_tokens(s.template) for s in document.segments)


def declared_mismatch(declared: Detection, text: str) -> Detection | None:
    """What the text reads as, when that strongly disagrees with the declared language.

    A front matter ``lang: en`` on an Indonesian article would otherwise ship the
    Indonesian text as English. Text plainly in the declared language costs one word count;
    langdetect runs only when that cheap look has doubts.
    """
    if declared.method != "front matter" or probably_in(text, declared.lang) is True:
        return None
    try:
        found = detect_text(text)
    except DetectionError:
        return None
    # langdetect's own probability: the Indonesian/Malay split lowers ``confidence``,
    # not how surely the text is in neither the declared language.
    strength = max(found.confidence, found.candidates.get(found.lang, 0.0))
    if strength < MISMATCH_CONFIDENCE or _same(found.lang, declared.lang):
        return None
    return found


MISMATCH_CONFIDENCE = 0.9


def _same(a: str, b: str) -> bool:
    from syndicate.langtags import same_language

    # langdetect cannot tell Malay from Indonesian on its own: not a disagreement.
    return same_language(a, b) or {a.split("-")[0], b.split("-")[0]} == {"id", "ms"}


def function_word_share(text: str, lang: str) -> float | None:
    """The share of a text's words that are common function words of ``lang`` (None: unknown)."""
    words = FUNCTION_WORDS.get(lang.split("-")[0])
    if words is None:
        return None
    tokens = _WORD.findall(text)
    return sum(map(words.__contains__, map(str.lower, tokens))) / len(tokens) if tokens else 0.0


def probably_in(text: str, lang: str) -> bool | None:
    """A quick guess whether a text is in ``lang`` (id, ms): True, False, or None (cannot say).

    Running prose has about one function word in five; a text with none in fifteen words
    is not in that language. This spares langdetect (a few milliseconds a call) on most
    segments of a batch.
    """
    share = function_word_share(text, lang)
    if share is None:
        return None
    return share >= 0.07


def could_be_in(text: str, lang: str) -> bool:
    """False when a text plainly is not in ``lang``: without its script's letters, or
    without its commonest words; True when only langdetect can tell."""
    base = lang.split("-")[0]
    script = _SCRIPTS.get(base)
    if script is not None and not script.search(text):
        return False
    return probably_in(text, base) is not False


def sample(text: str, limit: int = DETECT_CHARS) -> str:
    """The first ``limit`` characters of a text, and the rest of the word it cuts."""
    if len(text) <= limit:
        return text
    end = _WORD.match(text, limit)
    return text[: end.end() if end else limit]


@lru_cache(maxsize=2048)
def detect_text(text: str, *, limit: int = DETECT_CHARS) -> Detection:
    """The language of a text, read from its first ``limit`` characters (URLs left out);
    raises DetectionError when it is too short to tell.

    Cached: an article translated into several locales is detected once.
    """
    from langdetect.lang_detect_exception import LangDetectException

    from syndicate.translation.fastdetect import FastDetector
    from syndicate.translation.langprofiles import factory

    text = _URL.sub(" ", text)
    # Whether it has MIN_LETTERS is told by its start, unless that is short of them; the
    # whole text is counted only then, for the message.
    letters = letter_count(text[: 8 * MIN_LETTERS])
    if letters < MIN_LETTERS:
        letters = letter_count(text)
    if letters < MIN_LETTERS:
        raise DetectionError(f"too little text to tell its language ({letters} letters)")
    detector = FastDetector(factory())
    part = sample(text, limit)
    detector.set_max_text_length(len(part))
    detector.append(part)
    try:
        probabilities = detector.get_probabilities()
    except LangDetectException as exc:
        raise DetectionError(f"cannot tell the language ({exc})") from None
    candidates = {canonical(p.lang): round(float(p.prob), 4) for p in probabilities}
    best = max(candidates, key=lambda k: candidates[k])
    confidence = candidates[best]
    if best == "id":
        # The whole text: spelling that tells Malay from Indonesian may come late.
        words = Counter(map(str.lower, _WORD.findall(text)))
        malay = sum(words[w] for w in _MALAY)
        indonesian = sum(words[w] for w in _INDONESIAN)
        if malay > indonesian:
            best, confidence = "ms", confidence * malay / (malay + indonesian)
            candidates = {"ms": round(confidence, 4), **candidates}
            candidates["id"] = round(candidates["id"] - confidence, 4)
        else:
            confidence = confidence * (indonesian + 1) / (indonesian + malay + 1)
    return Detection(best, round(confidence, 4), "detected", candidates)

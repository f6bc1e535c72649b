"""langdetect's language profiles, compact and loaded once from a cache file.

langdetect keeps, for each of its 87,598 n-grams, a list of 55 floats (one per language),
96% of them zero: 58 MB of Python objects, built from 55 JSON files in 0.3-0.5 s in every
process that detects a language. Here each n-gram keeps only its non-zero probabilities,
packed, and they are unpacked into langdetect's list the first time a detection uses the
n-gram. The packed form is built once from langdetect's own files and saved in the user's
cache folder (keyed by langdetect's version); a process then loads it in ~30 ms and holds
a few MB. The probabilities are langdetect's, bit for bit: a detector (langdetect's own
``Detector``, or ``fastdetect.FastDetector``) is given this mapping instead of the
factory's dict. No library offers this: langdetect has no other loader, and its faster
rivals detect differently. Languages come in file name order; langdetect's own loader
takes ``os.listdir``'s, which depends on the file system: the same probability per
language and n-gram, but a detection's sums then run in another order, and its results
may differ in their last bits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from array import array
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from syndicate.files import write_atomic

_PAIR = struct.Struct("<Bd")  # a language's index, the n-gram's probability in it
FORMAT = "1"


class Probabilities(dict[str, int]):
    """n-gram -> a probability per language, as langdetect's ``word_lang_prob_map`` has it.

    A dict of n-gram -> its row, so that langdetect's ``in`` tests (hundreds of thousands a
    batch) run in C; reading an n-gram unpacks its row into a list, once.
    """

    def __init__(self, langs: int, words: list[str], ends: array[int], packed: bytes) -> None:
        super().__init__(zip(words, range(len(words)), strict=True))
        self.langs = langs
        self._ends = ends  # where each word's pairs end in ``packed``
        self._packed = packed
        self._open: dict[str, list[float]] = {}  # n-grams a detection has used

    def __getitem__(self, word: str) -> list[float]:  # type: ignore[override]
        found = self._open.get(word)
        if found is None:
            i = super().__getitem__(word)
            found = [0.0] * self.langs
            start = self._ends[i - 1] if i else 0
            for index, prob in _PAIR.iter_unpack(self._packed[start : self._ends[i]]):
                found[index] = prob
            self._open[word] = found
        return found


def build(directory: Path) -> bytes:
    """Languages and packed probabilities from langdetect's profile files, as its
    ``DetectorFactory.add_profile`` computes them (languages in file name order)."""
    names = sorted(n for n in os.listdir(directory) if not n.startswith("."))
    langs: list[str] = []
    pairs: dict[str, list[bytes]] = {}
    for index, name in enumerate(names):
        profile = json.loads((directory / name).read_text(encoding="utf-8"))
        langs.append(profile["name"])
        totals = profile["n_words"]
        for word, count in profile["freq"].items():
            packed = pairs.setdefault(word, [])
            if 1 <= len(word) <= 3:
                packed.append(_PAIR.pack(index, 1.0 * count / totals[len(word) - 1]))
    ends = array("I")
    blob = bytearray()
    for parts in pairs.values():
        blob += b"".join(parts)
        ends.append(len(blob))
    head = json.dumps({"langs": langs, "words": list(pairs)}, ensure_ascii=False)
    return b"".join([head.encode("utf-8"), b"\n", ends.tobytes(), bytes(blob)])


def parse(body: bytes) -> tuple[list[str], Probabilities]:
    """The profiles from what ``build`` made."""
    newline = body.index(b"\n")
    head = json.loads(body[:newline])
    langs, words = head["langs"], head["words"]
    ends = array("I")
    split = newline + 1 + ends.itemsize * len(words)
    ends.frombytes(body[newline + 1 : split])
    return langs, Probabilities(len(langs), words, ends, body[split:])


def cache_path() -> Path:
    import platformdirs

    version = metadata.version("langdetect")
    return Path(platformdirs.user_cache_dir("syndicate")) / f"langdetect-{version}-{FORMAT}.bin"


def load(path: Path | None = None) -> tuple[list[str], Probabilities]:
    """The profiles from the cache file, built and saved there first if it is missing or
    unreadable. A cache that cannot be written only costs the build next time."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    path = path or cache_path()
    with contextlib.suppress(OSError, ValueError, KeyError):
        data = path.read_bytes()
        digest, body = data[:32], data[32:]
        if hashlib.sha256(body).digest() == digest:  # a torn or foreign file is rebuilt
            return parse(body)
    body = build(Path(PROFILES_DIRECTORY))
    with contextlib.suppress(Exception):
        write_atomic(path, hashlib.sha256(body).digest() + body)
    return parse(body)


@cache
def factory() -> Any:
    """A langdetect ``DetectorFactory`` on the compact profiles, seeded (langdetect samples
    at random; a fixed seed makes it repeatable); one per process."""
    from langdetect.detector_factory import DetectorFactory

    made = DetectorFactory()
    made.langlist, made.word_lang_prob_map = load()
    made.seed = 0
    return made

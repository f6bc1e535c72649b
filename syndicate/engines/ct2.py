"""Offline translation with CTranslate2 and Argos Translate model packages (optional extra).

Nothing leaves the machine, which is what embargoed articles need. Packages are installed
with ``syndicate models install``; a pair without a direct model pivots through English
(id -> en -> ja). Text is split into sentences here (Argos would download a splitter),
encoded with the package's SentencePiece model and decoded with ``sp.decode`` (Argos's own
decoder turns every ``_`` into a space). Placeholders travel as ``⟦n⟧``: no underscore,
no bare digits, and a model trained with them as symbols keeps them whole.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from syndicate.engines.argos import ModelPackage, list_models
from syndicate.engines.base import EngineBase
from syndicate.errors import ConfigError, EngineError, install_hint
from syndicate.langtags import parse_tag

_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9⟦])")


def default_models_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("syndicate")) / "models"


@dataclass(frozen=True, slots=True)
class CT2Settings:
    """``engines.ct2``: offline translation with Argos Translate model packages."""

    models: str = ""  # the folder of installed packages; default: the user's data folder
    threads: int = 2
    beam_size: int = 2
    max_decoding_length: int = 256


class CT2Engine(EngineBase):
    """Translates offline with installed Argos Translate packages."""

    name = "ct2"
    max_chars = 4_000
    batch_size = 64
    Settings = CT2Settings

    def __init__(self, settings: CT2Settings | None = None) -> None:
        settings = settings or CT2Settings()
        try:
            import ctranslate2  # noqa: F401
            import sentencepiece  # noqa: F401
        except ImportError:
            raise ConfigError(
                "the ct2 engine needs the offline extra",
                hint=install_hint("offline"),
            ) from None
        self.models = Path(settings.models) if settings.models else default_models_dir()
        self.threads = settings.threads
        self.beam_size = settings.beam_size
        self.max_decoding_length = settings.max_decoding_length
        self._lock = threading.Lock()

    def translate(self, texts: Sequence[str], *, source: str, target: str) -> list[str]:
        route = self._route(parse_tag(source).language, parse_tag(target).language)
        out = list(texts)
        for package in route:
            out = self._hop(package, out)
        return out

    def _route(self, source: str, target: str) -> list[ModelPackage]:
        installed = {(p.source, p.target): p for p in list_models(self.models)}
        if (source, target) in installed:
            return [installed[(source, target)]]
        if (source, "en") in installed and ("en", target) in installed:
            return [installed[(source, "en")], installed[("en", target)]]
        raise EngineError(
            self.name,
            f"no offline model for {source} -> {target} in {self.models}",
            hint="install one with `syndicate models install FILE_OR_URL`",
        )

    def _hop(self, package: ModelPackage, texts: list[str]) -> list[str]:
        translator, sp = _load(str(package.path), self.threads)
        sentences: list[str] = []
        shape: list[list[tuple[str, int]]] = []
        for text in texts:
            parts = []
            for sentence in _SENTENCE.split(text.strip()) if text.strip() else []:
                parts.append((sentence, len(sentences)))
                sentences.append(sentence)
            shape.append(parts)
        if not sentences:
            return texts
        tokens = [sp.encode(s, out_type=str) for s in sentences]
        with self._lock:
            results = translator.translate_batch(
                tokens,
                beam_size=self.beam_size,
                max_batch_size=self.batch_size,
                max_decoding_length=min(
                    self.max_decoding_length, 2 * max(len(t) for t in tokens) + 10
                ),
                replace_unknowns=True,
            )
        decoded = [sp.decode(r.hypotheses[0]) if r.hypotheses else "" for r in results]
        out = []
        for text, parts in zip(texts, shape, strict=True):
            if not parts:
                out.append(text)
                continue
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(lead + " ".join(decoded[i] for _, i in parts).strip() + trail)
        return out


@lru_cache(maxsize=8)
def _load(path: str, threads: int) -> tuple[Any, Any]:
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(
        f"{path}/model", device="cpu", inter_threads=1, intra_threads=threads
    )
    sp = sentencepiece.SentencePieceProcessor(model_file=f"{path}/sentencepiece.model")
    return translator, sp

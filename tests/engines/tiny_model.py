"""A tiny Argos-shaped package with random weights, built in-process (the engines note, §2.4).

The output is deterministic nonsense: enough to test loading, tokenizing, batching,
decoding and packaging, with no download. SentencePiece knows the placeholder tokens as
symbols of their own.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

SENTENCES = [
    "Pemerintah mengumumkan program baru untuk petani di seluruh Indonesia.",
    "Bank Indonesia menahan suku bunga acuan pada rapat bulan ini.",
    "Harga beras naik di pasar tradisional Jakarta pekan lalu.",
    "The government announced a new programme for farmers across Indonesia.",
]


def _sentencepiece(symbols: list[str]) -> bytes:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(SENTENCES * 20),
        model_writer=buffer,
        vocab_size=400,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=True,
        hard_vocab_limit=False,
        user_defined_symbols=symbols,
        minloglevel=2,
        num_threads=1,
    )
    return buffer.getvalue()


def _spec(vocab: list[str], d: int = 32, ffn: int = 64) -> object:
    import numpy as np
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(0)

    def w(*shape: int) -> object:
        return (rng.standard_normal(shape) * 0.1).astype(np.float32)

    def ln(s: object) -> None:
        s.gamma = np.ones(d, np.float32)  # type: ignore[attr-defined]
        s.beta = np.zeros(d, np.float32)  # type: ignore[attr-defined]

    def lin(s: object, out: int, inp: int) -> None:
        s.weight = w(out, inp)  # type: ignore[attr-defined]
        s.bias = np.zeros(out, np.float32)  # type: ignore[attr-defined]

    spec = transformer_spec.TransformerSpec.from_config(1, 2)
    size = len(vocab)
    spec.encoder.embeddings[0].weight = w(size, d)
    spec.decoder.embeddings.weight = w(size, d)
    ln(spec.encoder.layer_norm)
    ln(spec.decoder.layer_norm)
    for layer in spec.encoder.layer:
        ln(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * d, d)
        lin(layer.self_attention.linear[1], d, d)
        ln(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, ffn, d)
        lin(layer.ffn.linear_1, d, ffn)
    for layer in spec.decoder.layer:
        ln(layer.self_attention.layer_norm)
        lin(layer.self_attention.linear[0], 3 * d, d)
        lin(layer.self_attention.linear[1], d, d)
        ln(layer.attention.layer_norm)
        lin(layer.attention.linear[0], d, d)
        lin(layer.attention.linear[1], 2 * d, d)
        lin(layer.attention.linear[2], d, d)
        ln(layer.ffn.layer_norm)
        lin(layer.ffn.linear_0, ffn, d)
        lin(layer.ffn.linear_1, d, ffn)
    lin(spec.decoder.projection, size, d)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


def build_package(root: Path, source: str = "id", target: str = "en") -> Path:
    """An unpacked package folder under ``root``."""
    import sentencepiece as spm

    sp_bytes = _sentencepiece([f"⟦{i}⟧" for i in range(1, 30)])
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    spec = _spec(vocab)
    spec.validate()  # type: ignore[attr-defined]
    spec.optimize(quantization=None)  # type: ignore[attr-defined]
    folder = root / f"translate-{source}_{target}"
    (folder / "model").mkdir(parents=True)
    spec.save(str(folder / "model"))  # type: ignore[attr-defined]
    (folder / "sentencepiece.model").write_bytes(sp_bytes)
    meta = {
        "package_version": "0.0.1",
        "argos_version": "1.9.0",
        "from_code": source,
        "to_code": target,
        "from_name": source,
        "to_name": target,
        "links": [],
    }
    (folder / "metadata.json").write_text(json.dumps(meta))
    return folder


def build_argosmodel(root: Path, source: str = "id", target: str = "en") -> Path:
    """The same package zipped as an .argosmodel file."""
    folder = build_package(root / "build", source, target)
    archive = root / f"translate-{source}_{target}.argosmodel"
    with zipfile.ZipFile(archive, "w") as z:
        for path in sorted(folder.rglob("*")):
            z.write(path, path.relative_to(folder.parent).as_posix())
    return archive

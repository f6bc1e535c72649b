"""Offline translation models: Argos Translate packages installed, listed and removed.

A package (``.argosmodel``: a zip of one folder) holds ``metadata.json`` (``from_code``,
``to_code``, ``package_version``), a CTranslate2 model in ``model/`` and a SentencePiece
model ``sentencepiece.model``. We read these ourselves instead of depending on the
argostranslate package, which pulls in torch (through stanza), spaCy and onnxruntime and
downloads sentence splitters at run time (see the engines note).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from syndicate.errors import InputError, UsageError

MAX_PACKAGE_BYTES = 2 * 1024**3


@dataclass(frozen=True, slots=True)
class ModelPackage:
    path: Path
    source: str  # language codes, e.g. "id"
    target: str
    version: str

    @property
    def name(self) -> str:
        return self.path.name


def list_models(models_dir: Path) -> list[ModelPackage]:
    if not models_dir.is_dir():
        return []
    found = []
    for path in sorted(
        p for p in models_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        try:
            found.append(_read(path))
        except InputError:
            continue  # a damaged folder is skipped here and reported by install
    return found


def install_model(source: str, models_dir: Path) -> ModelPackage:
    """Install a package from a file, a folder or an http(s) URL; replaces the same pair."""
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".install-") as tmp:
        work = Path(tmp)
        if source.startswith(("http://", "https://")):
            archive = _download(source, work / "package.argosmodel")
            folder = _unzip(archive, work / "unpacked")
        elif Path(source).is_dir():
            folder = work / "unpacked" / Path(source).name
            shutil.copytree(source, folder)
        elif Path(source).is_file():
            folder = _unzip(Path(source), work / "unpacked")
        else:
            raise UsageError(f"{source}: no such model file, folder or URL")
        package = _read(folder)
        final = models_dir / f"{package.source}_{package.target}"
        if final.exists():
            shutil.rmtree(final)
        folder.rename(final)
        return _read(final)


def remove_model(name: str, models_dir: Path) -> None:
    target = models_dir / name
    if "/" in name or name.startswith(".") or not target.is_dir():
        raise UsageError(f"no installed model {name!r}", hint="see `syndicate models list`")
    shutil.rmtree(target)


def _read(folder: Path) -> ModelPackage:
    meta_path = folder / "metadata.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        source, target = str(meta["from_code"]), str(meta["to_code"])
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(
            folder, "is not an Argos Translate package (metadata.json with from_code and to_code)"
        ) from None
    for needed in ("model/model.bin", "sentencepiece.model"):
        if not (folder / needed).is_file():
            raise InputError(folder, f"is not a usable package: {needed} is missing")
    return ModelPackage(folder, source, target, str(meta.get("package_version", "")))


def _unzip(archive: Path, into: Path) -> Path:
    try:
        with zipfile.ZipFile(archive) as z:
            members = z.infolist()
            if sum(m.file_size for m in members) > MAX_PACKAGE_BYTES:
                raise InputError(archive, "unpacks to more than 2 GB; refused")
            tops = set()
            for m in members:
                parts = PurePosixPath(m.filename).parts
                if not parts or m.filename.startswith("/") or ".." in parts or "\\" in m.filename:
                    raise InputError(archive, f"has an unsafe member name {m.filename!r}; refused")
                tops.add(parts[0])
            if len(tops) != 1:
                raise InputError(archive, "must hold exactly one folder (an .argosmodel package)")
            z.extractall(into)
    except zipfile.BadZipFile:
        raise InputError(archive, "is not a zip archive (.argosmodel)") from None
    return into / tops.pop()


def _download(url: str, to: Path) -> Path:
    import requests

    try:
        with requests.get(url, stream=True, timeout=60) as response:
            response.raise_for_status()
            size = 0
            with to.open("wb") as handle:
                for chunk in response.iter_content(1 << 20):
                    size += len(chunk)
                    if size > MAX_PACKAGE_BYTES:
                        raise InputError(url, "is larger than 2 GB; refused")
                    handle.write(chunk)
    except requests.RequestException as exc:
        raise InputError(url, f"cannot be downloaded ({type(exc).__name__})") from None
    return to

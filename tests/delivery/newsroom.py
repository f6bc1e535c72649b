"""A newsroom for delivery tests: translated articles, a partner with a transport, its package.

Shared by the transport tests: every transport must show the same things (a full package
arrives byte-identical, the manifest last; a second delivery sends nothing; one changed
article sends that article's files and the manifest).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import EXAMPLES, run

PARTNER = "wire"
NOW = "2025-07-03T12:00:00Z"


def translate_examples(out: Path) -> Path:
    """The examples translated into en-US by the pseudo engine: what packages are built from."""
    result = run(
        "-q", "translate", *map(str, EXAMPLES), "--to", "en-US", "--engine", "pseudo",
        "--out", str(out), "--no-tm", "--now", "2025-07-01T00:00:00Z",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return out


class Newsroom:
    def __init__(self, root: Path, translated: Path, delivery: dict[str, Any]) -> None:
        self.root = root
        self.src = root / "tr"
        shutil.copytree(translated, self.src)
        self.out = root / "out"
        self.config = root / "syndicate.yaml"
        self.config.write_text("partners: partners.yaml\n", encoding="utf-8")
        self.set_delivery(delivery)
        self.export()

    @property
    def package(self) -> Path:
        return self.out / PARTNER

    def set_delivery(self, delivery: dict[str, Any]) -> None:
        partner = {
            "id": PARTNER,
            "name": "Wire Service",
            "locales": ["en-US"],
            "formats": ["markdown", "ninjs", "jsonfeed"],
            "delivery": delivery,
        }
        (self.root / "partners.yaml").write_text(
            yaml.safe_dump({"partners": [partner]}), encoding="utf-8"
        )

    def export(self, now: str = NOW) -> None:
        articles = sorted(str(p) for p in self.src.glob("*.md"))
        result = run(
            "--config", str(self.config), "-q", "export", *articles,
            "--partner", PARTNER, "--out", str(self.out), "--now", now,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr

    def change_one(self) -> set[str]:
        """Edit one article and export again; the package files whose bytes changed."""
        before = self.files()
        article = sorted(self.src.glob("*.md"))[0]
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("\n\n", "\n\nA correction was made.\n\n", 1), "utf-8")
        self.export()
        after = self.files()
        return {p for p in after if before.get(p) != after[p]}

    def files(self) -> dict[str, bytes]:
        """Every file of the local package, by its path in the package."""
        return {
            p.relative_to(self.package).as_posix(): p.read_bytes()
            for p in sorted(self.package.rglob("*"))
            if p.is_file()
        }

    def deliver(self, *args: str, code: int = 0) -> dict[str, Any]:
        """`syndicate deliver --json`; the partner's entry of its report."""
        result = run(
            "--config", str(self.config), "-q", "deliver", "--out", str(self.out), "--json", *args
        )
        assert result.exit_code == code, result.stdout + result.stderr
        doc: dict[str, Any] = json.loads(result.stdout)
        [entry] = doc["partners"]
        return entry  # type: ignore[no-any-return]

    def journal(self) -> dict[str, dict[str, Any]]:
        """`syndicate deliveries --json`, by path."""
        result = run("deliveries", "--out", str(self.out), "--json")
        assert result.exit_code == 0, result.stderr
        return {r["path"]: r for r in json.loads(result.stdout)["deliveries"]}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative POSIX path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }

"""Imports flow one way: lower layers never import higher ones; the CLI stays light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "syndicate"
# Each module may import only modules on its own layer or below.
LAYERS = [
    {"errors", "placeholders", "langtags", "sentences", "output", "storage", "redact"},
    {"model"},
    {
        "reader",
        "frontmatter",
        "importer",
        "entities",
        "rates",
        "glossary",
        "memory",
        "journal",
        "models",
    },
    {"segment", "structure", "tmx"},
    {"detect", "engines", "localize", "protect", "qa"},
    {"translate", "dispatch", "config", "testing", "partners", "render"},
    {"items", "exporters", "jobs"},
    {"package"},
    {"batch"},
    {"cli", "__main__", "__init__"},
]


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"module {module} is not in any layer")


def test_imports_flow_downwards() -> None:
    """No module imports from a layer above its own."""
    problems = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = layer_of(module if module != "__init__" else "__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("syndicate.")
            ):
                target = node.module.removeprefix("syndicate.")
                if layer_of(target) > own:
                    problems.append(f"{module} imports {target}")
    assert problems == []


def test_help_does_not_import_heavy_modules() -> None:
    """syndicate --help loads neither requests, babel, markdown-it, langdetect nor yaml."""
    code = (
        "import sys\nfrom syndicate.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('requests','babel','markdown_it','langdetect','yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"

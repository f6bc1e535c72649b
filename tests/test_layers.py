"""Imports flow one way: lower layers never import higher ones; the CLI stays light.

The layers are the pipeline's stages, in the order the README's Architecture section draws
them; a module may import from its own layer or from below, never from above.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "syndicate"
# Each entry is a top-level module or subpackage of syndicate; first the foundation modules,
# in their own order, then the stages.
LAYERS = [
    {"errors", "placeholders", "langtags", "redact", "testing", "vocabulary"},
    {"types", "files"},
    {"safeyaml", "storage"},
    {"config"},
    {"markdown"},
    {"localize", "resources", "engines"},
    {"translation"},
    {"review"},
    {"syndication"},
    {"delivery"},
    {"runs"},
    {"cli", "__main__", "__init__"},
]
FOUNDATION = {name for layer in LAYERS[:4] for name in layer}


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"module {module} is not in any layer")


def _imports(tree: ast.AST) -> list[str]:
    """Every syndicate module a file imports, ``from syndicate import x`` included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "syndicate":
            found += [alias.name for alias in node.names if alias.name != "__version__"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("syndicate."):
            found.append(node.module.removeprefix("syndicate."))  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            found += [
                a.name.removeprefix("syndicate.")
                for a in node.names
                if a.name.startswith("syndicate.")
            ]
    return found


def test_imports_flow_downwards() -> None:
    """No module imports from a layer above its own."""
    problems = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        own = layer_of(module)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target in _imports(tree):
            if module != "__init__" and layer_of(target) > own:
                problems.append(f"{module} imports {target}")
    assert problems == []


def test_only_foundation_modules_at_the_top() -> None:
    """Every module but the foundation ones lives in the subpackage of its stage."""
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert top <= FOUNDATION, sorted(top - FOUNDATION)
    for sub in (p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        if any(sub.rglob("*.py")):
            assert (sub / "__init__.py").exists(), f"{sub.name} is a namespace package"


def test_help_does_not_import_heavy_modules() -> None:
    """syndicate --help loads neither requests, babel, markdown-it, langdetect nor yaml."""
    code = (
        "import sys\nfrom syndicate.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('requests','babel','markdown_it','langdetect','yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"

"""Imports only point left (DESIGN.md): a module may import only from layers below it."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

LAYERS = {
    "apidiff.core.errors": 0, "apidiff._version": 0,
    "apidiff.model": 1,
    "apidiff.core.sources": 2, "apidiff.core.git": 2,
    "apidiff.loaders": 3,
    "apidiff.diff": 4,
    "apidiff.rules": 5,
    "apidiff.core.config": 6,
    "apidiff.core.usage": 4,  # pure data the Report holds
    "apidiff.usage": 6,  # what clients use (operations, traffic) and what the changes break for them
    "apidiff.api": 7,
    "apidiff.report": 8,
    "apidiff.cli": 9, "apidiff.ci": 9,
    "apidiff": 10,  # the package root re-exports
}


def layer(module: str) -> int:
    best = ""
    for prefix in LAYERS:
        if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
            best = prefix
    return LAYERS[best]


def test_no_upward_imports() -> None:
    problems = []
    for path in sorted((ROOT / "apidiff").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(p for p in rel.parts if p != "__init__")
        own = layer(module)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("apidiff"):
                target = node.module
            elif isinstance(node, ast.Import):
                target = next((a.name for a in node.names if a.name.startswith("apidiff")), "")
            else:
                continue
            if target and module != "apidiff" and layer(target) > own:
                problems.append(f"{module} (layer {own}) imports {target} (layer {layer(target)})")
    assert problems == []


def test_rich_only_in_text_report_and_cli() -> None:
    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "apidiff").rglob("*.py") if "import rich" in
                   p.read_text() or "from rich" in p.read_text())
    assert users == ["apidiff/report/text.py"]


def test_layer_table_covers_every_module() -> None:
    for path in (ROOT / "apidiff").rglob("*.py"):
        assert layer(".".join(path.relative_to(ROOT).with_suffix("").parts)) >= 0
    assert Path(ROOT / "apidiff" / "py.typed").exists()

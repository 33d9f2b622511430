"""The house rules (docs/architecture.md), checked on the source:

- the core imports no format, no renderer and no front end;
- a format imports the core, its own package and the shared schema-language packages it
  declares in ``uses``, never another format;
- ``report/`` only renders: it imports the core and the registry's rule metadata, never a
  format's package nor the API layer;
- nothing outside a format's package names that format (no ``kind == "graphql"`` elsewhere);
- rich only renders text (``import apidiff`` pulling neither click nor rich: test_public_api).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from apidiff.formats import formats
from tests.conftest import ROOT

PACKAGE = ROOT / "apidiff"
FORMATS = {f.name: f for f in formats()}
SHARED = sorted(p.name for p in (PACKAGE / "formats").iterdir()
                if p.is_dir() and (p / "__init__.py").exists() and p.name not in FORMATS)
FRONT = ("apidiff.api", "apidiff.usage", "apidiff.cli", "apidiff.ci", "apidiff.__main__")


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        yield ".".join(p for p in rel.parts if p != "__init__"), path


def imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("apidiff"):
            yield node.module
            for alias in node.names:  # "from apidiff.formats import graphql" imports a package
                yield f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("apidiff"))


def under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def existing(module: str) -> bool:
    """Whether a dotted name is a module or package (``from x import name`` yields names too)."""
    base = ROOT / module.replace(".", "/")
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def home(module: str) -> str | None:
    """The formats/ package a module belongs to (``graphql``, ``jsonschema``), if any."""
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "formats" else None


def test_the_core_imports_no_format_no_renderer_no_front_end() -> None:
    bad = [f"{m} imports {t}" for m, p in modules() if under(m, "apidiff.core")
           for t in imports(p) if existing(t) and not under(t, "apidiff.core", "apidiff._version")]
    assert bad == []


def test_a_format_imports_the_core_itself_and_what_it_uses_never_another_format() -> None:
    bad = []
    for module, path in modules():
        own = home(module)
        if own is None:
            continue
        allowed = ["apidiff.core", "apidiff._version", f"apidiff.formats.{own}"]
        allowed += [f"apidiff.formats.{u}" for u in (FORMATS[own].uses if own in FORMATS else ())]
        bad += [f"{module} imports {t}" for t in imports(path) if existing(t) and not under(t, *allowed)]
    assert bad == []


def test_shared_schema_languages_are_declared_by_the_formats_that_use_them() -> None:
    assert SHARED == ["jsonschema"]
    assert all(u in SHARED for f in FORMATS.values() for u in f.uses)


def test_reports_only_render() -> None:
    bad = []
    for module, path in modules():
        if not under(module, "apidiff.report"):
            continue
        for target in imports(path):
            if not existing(target) or under(target, "apidiff.core", "apidiff.report", "apidiff._version"):
                continue
            if target == "apidiff.formats":  # the registry: rule metadata (SARIF's descriptions)
                continue
            bad.append(f"{module} imports {target}")
    assert bad == []


def test_front_ends_are_imported_by_nobody_below_them() -> None:
    bad = [f"{m} imports {t}" for m, p in modules() if not under(m, *FRONT) and m != "apidiff"
           for t in imports(p) if existing(t) and under(t, *FRONT)]
    assert bad == []


def test_nothing_outside_a_format_names_it() -> None:
    """No string that is a format's name or label outside that format's package (docstrings and
    messages that mention it in prose are longer strings and do not count)."""
    names = {label: f.name for f in FORMATS.values() for label in (f.name, *f.labels)}
    bad = []
    for module, path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in names
                    and home(module) != names[node.value]):
                bad.append(f"{module}:{node.lineno}: {node.value!r}")
    assert bad == []


def test_every_format_is_a_package_in_the_registry_and_every_package_is_a_format_or_shared() -> None:
    packages = {p.name for p in (PACKAGE / "formats").iterdir() if (p / "__init__.py").exists()}
    assert packages == set(FORMATS) | set(SHARED)
    for fmt in FORMATS.values():
        assert type(fmt).__module__ == f"apidiff.formats.{fmt.name}"


def test_rich_only_in_text_report() -> None:
    users = sorted(str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if "import rich" in
                   p.read_text() or "from rich" in p.read_text())
    assert users == ["apidiff/report/text.py"]


def test_layer_rules_see_every_module() -> None:
    seen = {m for m, _ in modules()}
    assert {"apidiff.core.engine", "apidiff.formats", "apidiff.api", "apidiff.report"} <= seen
    assert Path(PACKAGE / "py.typed").exists()

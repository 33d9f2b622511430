"""The public surface: ``__all__`` is sorted and complete, and ``import apidiff`` stays light."""

from __future__ import annotations

import subprocess
import sys

import apidiff


def test_all_is_sorted_and_equals_the_public_names() -> None:
    public = {name for name in dir(apidiff) if not name.startswith("_")} - {
        "api", "core", "formats", "report", "cli", "usage", "ci"}
    assert apidiff.__all__ == sorted(apidiff.__all__, key=str.lower) or apidiff.__all__ == sorted(apidiff.__all__)
    assert set(apidiff.__all__) - {"__version__"} == public


def test_import_pulls_neither_click_nor_rich() -> None:
    code = "import sys, apidiff; print(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_compare_accepts_loaded_schemas_and_text() -> None:
    old = apidiff.load("type Query { a: String }")
    report = apidiff.compare(old, "type Query { a: String b: String }", mode="full")
    (change,) = report.changes
    assert change.id == "field-added" and change.severity is apidiff.Severity.BREAKING  # full: forward breaks
    assert not apidiff.compare(old, old).changes
    assert apidiff.Report.from_json(report.to_json()) == report


def test_long_one_line_sdl_is_text_not_a_path() -> None:
    sdl = "type Query { a: String } " + " ".join(f"scalar S{i}" for i in range(40))
    assert len(sdl) > 255 and "S39" in apidiff.load(sdl).types

"""A new format costs one package and one registry line (docs/architecture.md, "Adding a format").

``tests/tinyformat`` is a format of its own (constants files, two rules) that apidiff knows
nothing of. Registered with one line, it gets ``apidiff diff`` in every output format, a
changelog, a plan, a guide and generated rule docs.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from apidiff import compare, formats, load
from apidiff.cli import FORMATS, main
from apidiff.core.errors import ApidiffError
from tests.conftest import ROOT

OLD = "# consts 1.0\nRED = 1\nGREEN = 2\nBLUE = 3\n"
NEW = "# consts 1.1\nRED = 1\nBLUE = 3\nCYAN = 4\n"


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(formats, "REGISTRY", list(formats.REGISTRY))
    formats.register("tests.tinyformat")  # the one registry line
    yield
    monkeypatch.undo()
    formats._clear()


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    (tmp_path / "v1.consts").write_text(OLD)
    (tmp_path / "v2.consts").write_text(NEW)
    monkeypatch.chdir(tmp_path)
    return "v1.consts", "v2.consts"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_unregistered_it_is_not_a_schema_apidiff_reads(files: tuple[str, str]) -> None:
    with pytest.raises(ApidiffError):
        compare(*files)


def test_it_is_detected_loaded_and_compared_with_its_rules(registered: None, files: tuple[str, str]) -> None:
    report = compare(*files)
    assert report.old.kind == report.new.kind == "consts"
    assert [(c.id, c.subject, c.backward.value, c.forward.value, c.direction.value) for c in report.changes] == [
        ("constant-added", "CYAN", "safe", "breaking", "output"),
        ("constant-removed", "GREEN", "breaking", "safe", "output"),
    ]
    removed = report.changes[1]
    assert str(removed.old_location) == "v1.consts:3:1" and removed.new_location is None
    assert not compare(*files[:1], files[0]).changes
    assert load(OLD).kind == "consts"


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_in_every_output_format(registered: None, files: tuple[str, str], fmt: str) -> None:
    code, out = run("diff", *files, "--format", fmt, "--no-color", "--no-config")
    assert code == 1  # a breaking change
    assert "GREEN" in out and "CYAN" in out
    if fmt == "json":
        data = json.loads(out)
        assert data["old"]["kind"] == "consts" and data["summary"] == {"breaking": 1, "dangerous": 0, "safe": 1}
    if fmt == "sarif":
        rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
        assert {r["id"]: r["shortDescription"]["text"] for r in rules} == {
            "constant-added": "A constant was added.", "constant-removed": "A constant was removed."}


def test_changelog(registered: None, files: tuple[str, str]) -> None:
    code, out = run("changelog", *files, "--today", "2026-12-01")
    assert code == 0
    assert out.startswith("## [1.1] - 2026-12-01\n\nCompared with 1.0.\n")
    assert "### Breaking\n\n- constant GREEN was removed (`constant-removed`)" in out
    assert "### Added\n\n- constant CYAN was added with value 4 (`constant-added`)" in out


def test_plan(registered: None, files: tuple[str, str]) -> None:
    code, out = run("plan", *files, "--today", "2026-12-01", "--format", "json", "--no-config")
    assert code == 0
    plan = json.loads(out)
    (item,) = plan["items"]
    assert item["change"]["id"] == "constant-removed" and item["strategy"] == "announce-then-apply"
    assert [p["name"] for p in item["phases"]] == ["expand", "migrate", "contract"]
    assert item["sunset_date"] == "2027-03-01"
    code, md = run("plan", *files, "--today", "2026-12-01", "--no-config")
    assert code == 0 and "GREEN" in md and "Sunset: Mon, 01 Mar 2027 00:00:00 GMT" in md


def test_guide(registered: None, files: tuple[str, str]) -> None:
    code, out = run("guide", *files, "--today", "2026-12-01", "--no-config")
    assert code == 0 and "GREEN" in out and "CYAN" not in out  # safe changes need no migration
    code, html = run("guide", *files, "--today", "2026-12-01", "--format", "html", "--no-config")
    assert code == 0 and html.startswith("<!DOCTYPE html>") and "GREEN" in html


def _gen_rule_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_docs_are_generated_from_its_declarations(registered: None, tmp_path: Path) -> None:
    rules = tuple(r for r in formats.all_rules() if r.id.startswith("constant-"))
    assert [r.id for r in rules] == ["constant-added", "constant-removed"]
    pages = _gen_rule_docs().pages(rules, tmp_path)
    page = pages[tmp_path / "constant-removed.md"]
    assert page.startswith("# `constant-removed`\n\nA constant was removed.\n")
    assert "```consts\n# consts\nRED = 1\nGREEN = 2\n\n```" in page
    assert "apidiff reports: `constant-removed` on `GREEN`, direction output, backward **breaking**, " \
           "forward **safe**" in page
    assert "[`constant-added`](constant-added.md)" in pages[tmp_path / "README.md"]


def test_bad_input_is_one_located_line(registered: None, tmp_path: Path) -> None:
    (tmp_path / "bad.consts").write_text("# consts\nRED = 1\nnot a constant\n")
    (tmp_path / "ok.consts").write_text(OLD)
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "ok.consts"), str(tmp_path / "bad.consts")])
    assert result.exit_code == 2
    assert result.output.strip().endswith("bad.consts:3:1: expected NAME = value")

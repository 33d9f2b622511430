"""The command line: formats, modes, exit codes 0/1/2, and no traceback on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from apidiff.cli import main
from tests.conftest import ROOT

V1 = str(ROOT / "examples" / "graphql" / "v1.graphql")
V2 = str(ROOT / "examples" / "graphql" / "v2.graphql")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_breaking_changes_exit_1_and_json_is_the_contract() -> None:
    code, out, _ = run("diff", V1, V2, "--format", "json", "--today", "2026-01-01")
    assert code == 1
    report = json.loads(out)
    assert report["schema_version"] == 1 and report["mode"] == "backward"
    assert report["summary"] == {"breaking": 2, "dangerous": 3, "safe": 10}
    keys = {"id", "severity", "backward", "forward", "direction", "subject", "message", "old_location",
            "new_location", "args", "group"}
    assert all(set(c) == keys for c in report["changes"])
    assert [c["subject"] for c in report["changes"]] == sorted(c["subject"] for c in report["changes"])


@pytest.mark.parametrize(("fail_on", "code"), [("breaking", 1), ("dangerous", 1), ("safe", 1), ("never", 0)])
def test_fail_on(fail_on: str, code: int) -> None:
    assert run("diff", V1, V2, "--fail-on", fail_on)[0] == code


def test_fail_on_dangerous_without_breaking(tmp_path: Path) -> None:
    old, new = tmp_path / "a.graphql", tmp_path / "b.graphql"
    old.write_text("enum E { A } type Query { e: E }")
    new.write_text("enum E { A B } type Query { e: E }")
    assert run("diff", str(old), str(new))[0] == 0
    assert run("diff", str(old), str(new), "--fail-on", "dangerous")[0] == 1


def test_identical_schemas_exit_0() -> None:
    code, out, _ = run("diff", V1, V1)
    assert code == 0
    assert "no changes" in out


def test_modes_pick_the_severity() -> None:
    forward = json.loads(run("diff", V1, V2, "--format", "json", "--mode", "forward")[1])
    full = json.loads(run("diff", V1, V2, "--format", "json", "--mode", "full")[1])
    assert all(c["severity"] == c["forward"] for c in forward["changes"])
    order = ["safe", "dangerous", "breaking"]
    assert all(c["severity"] == max(c["backward"], c["forward"], key=order.index) for c in full["changes"])
    backward = json.loads(run("diff", V1, V2, "--format", "json")[1])
    assert full["summary"]["breaking"] >= max(backward["summary"]["breaking"], forward["summary"]["breaking"])
    assert forward["summary"]["breaking"] > backward["summary"]["breaking"]  # additions break a rollback


def test_markdown_and_text() -> None:
    md = run("diff", V1, V2, "--format", "markdown")[1]
    assert md.startswith("## apidiff: 2 breaking")
    assert "| breaking | dangerous | safe |" in md and "<details open>" in md
    text = run("diff", V1, V2)[1]
    assert "BREAKING (2)" in text and "\x1b[" not in text  # no colour when not a terminal


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    assert run("diff", V1, V2, "-f", "json", "-o", str(out))[0] == 1
    assert json.loads(out.read_text())["summary"]["breaking"] == 2


def test_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text("type Query {\n  a: String\n  b: Int(\n}\n")
    code, out, err = run("diff", str(bad), V2)
    assert code == 2 and out == ""
    assert err == f"apidiff: error: {bad}:3:9: GraphQL syntax error: Expected Name, found '('.\n"
    code, _, err = run("diff", str(tmp_path / "missing.graphql"), V2)
    assert code == 2 and "missing.graphql: no such file or folder" in err


def test_bad_usage_exit_2() -> None:
    assert run("diff", V1)[0] == 2
    assert run("diff", V1, V2, "--format", "yaml")[0] == 2


def test_rules_lists_every_rule() -> None:
    from apidiff.formats import all_rules

    code, out, _ = run("rules")
    assert code == 0
    assert all(r.id in out for r in all_rules())
    data = json.loads(run("rules", "--format", "json")[1])
    assert {r["id"] for r in data} == {r.id for r in all_rules()}
    enum_added = next(r for r in data if r["id"] == "enum-value-added")
    assert (enum_added["input"], enum_added["output"]) == ("safe", "dangerous")


@pytest.mark.parametrize("content", ["type Query {", "\x00\x01", "{\"__schema\": 3}", "query { a }"])
def test_no_traceback_in_a_real_process(tmp_path: Path, content: str) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text(content)
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", str(bad), V1],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("apidiff: error: ")


def test_json_report_matches_the_published_schema() -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "json-report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for mode in ("backward", "forward", "full"):
        report = json.loads(run("diff", V1, V2, "--format", "json", "--mode", mode)[1])
        jsonschema.validate(report, schema, cls=jsonschema.Draft202012Validator)
    empty = json.loads(run("diff", V1, V1, "--format", "json")[1])
    jsonschema.validate(empty, schema, cls=jsonschema.Draft202012Validator)


def test_cli_offers_every_report_format() -> None:
    from apidiff import cli, report

    assert cli.FORMATS == report.FORMATS


def test_plan_command_prints_rfc_headers_for_the_example() -> None:
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "plan", "examples/petstore/v1.yaml",
                           "examples/petstore/v2.yaml", "--today", "2026-01-01", "--sunset-days", "59"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Deprecation: @1767225600" in proc.stdout and "Sunset: Sun, 01 Mar 2026 00:00:00 GMT" in proc.stdout


def test_guide_command_groups_by_operation() -> None:
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "guide", "examples/petstore/v1.yaml",
                           "examples/petstore/v2.yaml", "--today", "2026-01-01", "-f", "html"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<!DOCTYPE html>") and "GET /pets" in proc.stdout

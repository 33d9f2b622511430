"""Deprecation policy, sunsets, x-stability-level, JSON Schema 2020-12 keywords, and --validate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from apidiff import compare, load
from tests.conftest import TODAY


def doc(op: dict[str, Any] | None = None, *, param: dict[str, Any] | None = None,
        schema: dict[str, Any] | None = None, version: str = "3.0.3") -> str:
    operation: dict[str, Any] = {"responses": {"200": {"description": "ok"}}, **(op or {})}
    if param is not None:
        operation["parameters"] = [{"name": "q", "in": "query", "schema": {"type": "string"}, **param}]
    if schema is not None:
        operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    return json.dumps({"openapi": version, "info": {"title": "t", "version": "1"},
                       "paths": {"/a": {"post": operation}}}, indent=2)


def ids(old: str, new: str, **kwargs: Any) -> list[tuple[str, str, str]]:
    report = compare(old, new, today=kwargs.pop("today", TODAY), **kwargs)
    return [(c.id, c.backward.value, c.forward.value) for c in report.changes]


def test_deprecation_variants_follow_the_sunset_and_the_policy() -> None:
    plain = doc()
    assert ids(plain, doc({"deprecated": True})) == [("operation-deprecated-without-sunset", "safe", "safe")]
    assert ids(plain, doc({"deprecated": True, "x-sunset": "2026-06-01"})) == [
        ("operation-deprecated", "safe", "safe")]
    # 2026-06-01 is 151 days after TODAY: too soon for a 180-day policy
    assert ids(plain, doc({"deprecated": True, "x-sunset": "2026-06-01"}), min_deprecation_days=180) == [
        ("operation-deprecated-sunset-too-soon", "dangerous", "safe")]
    # the deprecation date, when given, starts the clock instead of today
    assert ids(plain, doc({"deprecated": True, "x-sunset": "2026-06-01", "x-deprecated-at": "2025-12-01"}),
               min_deprecation_days=180) == [("operation-deprecated", "safe", "safe")]
    # undeprecating mirrors whichever variant deprecating was
    assert ids(doc({"deprecated": True}), plain) == [("operation-undeprecated", "safe", "safe")]


@pytest.mark.parametrize(("where", "prefix"), [
    ("op", "operation"), ("param", "parameter"), ("schema", "property")])
def test_sunset_moves(where: str, prefix: str) -> None:
    def build(sunset: str | None) -> str:
        mark: dict[str, Any] = {"deprecated": True, **({"x-sunset": sunset} if sunset else {})}
        if where == "op":
            return doc(mark)
        if where == "param":
            return doc(param=mark)
        return doc(schema={"type": "object", "properties": {"p": {"type": "string", **mark}}})

    assert ids(build("2027-06-01"), build("2027-03-01")) == [(f"{prefix}-sunset-moved-earlier", "dangerous", "safe")]
    assert ids(build("2027-03-01"), build("2027-06-01")) == [(f"{prefix}-sunset-changed", "safe", "dangerous")]
    assert ids(build("2027-03-01"), build(None)) == [(f"{prefix}-sunset-changed", "safe", "safe")]


def test_removal_respects_min_deprecation_days() -> None:
    old = doc(param={"deprecated": True, "x-sunset": "2025-12-01", "x-deprecated-at": "2025-11-01"})
    new = doc()
    assert ids(old, new)[0][0] == "parameter-removed-after-sunset"
    assert ids(old, new, min_deprecation_days=90)[0][0] == "parameter-removed-before-sunset"


def test_invalid_sunset_and_stability_are_located_warnings(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
                    "      deprecated: true\n      x-sunset: next spring\n      x-stability-level: gamma\n"
                    "      responses:\n        '200': {description: ok}\n")
    warnings = load(path).warnings
    assert f"{path}:7:7: x-sunset 'next spring' is not a date (YYYY-MM-DD); the sunset is ignored" in warnings
    assert any(w.startswith(f"{path}:8:7: x-stability-level 'gamma'") for w in warnings)


def test_unstable_operations_relax_their_changes() -> None:
    def op(level: str | None, required: bool) -> str:
        extra = {"x-stability-level": level} if level else {}
        return doc(extra, param={"required": required})

    assert ids(op(None, False), op(None, True)) == [("parameter-became-required", "breaking", "safe")]
    assert ids(op("beta", False), op("beta", True)) == [("parameter-became-required", "dangerous", "safe")]
    assert ids(op("alpha", False), op("alpha", True)) == [("parameter-became-required", "safe", "safe")]
    report = compare(op("draft", False), op("draft", True), today=TODAY)
    assert report.changes[0].message.endswith("(x-stability-level: draft)")
    assert not report.breaking
    # lowering the level itself is judged as usual
    assert ids(op("stable", False), op("beta", False)) == [("operation-stability-decreased", "dangerous", "safe")]
    # removing an alpha operation is allowed
    alpha = doc({"x-stability-level": "alpha"})
    gone = json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}})
    assert [c.backward.value for c in compare(alpha, gone, today=TODAY).changes] == ["safe"]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ({}, {"propertyNames": {"maxLength": 3}}, ("constraint-keyword-added", "breaking", "safe")),
    ({"dependentRequired": {"a": ["b"]}}, {}, ("constraint-keyword-removed", "safe", "breaking")),
    ({"if": {"minProperties": 1}, "then": {"required": ["a"]}},
     {"if": {"minProperties": 2}, "then": {"required": ["a"]}}, ("constraint-keyword-changed", "breaking", "breaking")),
    ({"prefixItems": [{"type": "string"}]}, {}, ("encoding-keyword-changed", "breaking", "breaking")),
    ({"minContains": 1, "contains": {"type": "string"}}, {"minContains": 2, "contains": {"type": "string"}},
     ("min-contains-increased", "breaking", "safe")),
])
def test_json_schema_2020_keywords_in_requests(old: dict[str, Any], new: dict[str, Any],
                                               expected: tuple[str, str, str]) -> None:
    before = doc(schema={"type": "object", **old}, version="3.1.0")
    after = doc(schema={"type": "object", **new}, version="3.1.0")
    assert ids(before, after) == [expected]


def test_keywords_moved_between_all_of_members_are_no_change() -> None:
    one = {"allOf": [{"type": "object", "propertyNames": {"maxLength": 3}}, {"minProperties": 1}]}
    two = {"allOf": [{"type": "object"}, {"minProperties": 1, "propertyNames": {"maxLength": 3}}]}
    assert ids(doc(schema=one, version="3.1.0"), doc(schema=two, version="3.1.0")) == []


def test_extensible_enum_values() -> None:
    old = doc(param={"schema": {"type": "string", "x-extensible-enum": ["a", "b"]}})
    new = doc(param={"schema": {"type": "string", "x-extensible-enum": ["a"]}})
    assert ids(old, new) == [("extensible-enum-value-removed", "breaking", "safe")]
    assert ids(new, old) == [("extensible-enum-value-added", "safe", "breaking")]


def test_validate_reports_problems_with_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo:\n  title: t\npaths:\n  /a:\n    get:\n      responses:\n"
                   "        '200':\n          description: ok\n          content:\n            application/json:\n"
                   "              schema: {type: strin}\n")
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", str(bad), str(bad), "--validate"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert f"apidiff: invalid: {bad}:2:1: info: required key 'version' is missing" in proc.stderr
    # the keyword that failed and why, at its line (not the failing schema dumped, not 1:1)
    assert f"apidiff: invalid: {bad}:12:24: type: 'strin' is not one of 'array', 'boolean'" in proc.stderr
    assert "Traceback" not in proc.stderr
    good = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", "examples/petstore/v1.yaml",
                           "examples/petstore/v2.yaml", "--validate", "--fail-on", "never"],
                          capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stderr


def test_min_deprecation_days_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(doc())
    (tmp_path / "new.json").write_text(doc({"deprecated": True, "x-sunset": "2026-02-01"}))
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", str(tmp_path / "old.json"),
                           str(tmp_path / "new.json"), "--format", "json", "--today", "2026-01-01",
                           "--min-deprecation-days", "90", "--fail-on", "dangerous"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert [c["id"] for c in json.loads(proc.stdout)["changes"]] == ["operation-deprecated-sunset-too-soon"]

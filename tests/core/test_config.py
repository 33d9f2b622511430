"""Configuration: discovery, validation with one-line errors, overrides, ignores with reasons and expiry."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from apidiff import ConfigError, compare, load_config
from apidiff.core.config import find_config, parse_config
from apidiff.formats import all_rules
from tests.conftest import TODAY

OLD = "type Query { a: String legacy: String t: T }\nenum Color { RED }\ntype T { c: Color }"
NEW = "type Query { a: String t: T }\nenum Color { RED GREEN }\ntype T { c: Color }"


def ids(report: object) -> list[tuple[str, str, str]]:
    return [(c.id, c.backward.value, c.forward.value) for c in report.changes]  # type: ignore[attr-defined]


def test_defaults_change_nothing() -> None:
    assert ids(compare(OLD, NEW, config=parse_config({}))) == ids(compare(OLD, NEW))


@pytest.mark.parametrize(("data", "words"), [
    ({"fail_onn": "breaking"}, "unknown key 'fail_onn'"),
    ({"mode": "sideways"}, "mode: 'sideways' is not one of"),
    ({"fail_on": "everything"}, "fail_on: 'everything'"),
    ({"min_deprecation_days": -1}, "min_deprecation_days: -1"),
    ({"severity": {"no-such-rule": "safe"}}, "unknown rule id 'no-such-rule'"),
    ({"severity": {"field-removed": "fatal"}}, "severity.field-removed: 'fatal'"),
    ({"severity": {"field-removed": {"input": "safe"}}}, "give both input and output"),
    ({"stability": {"gamma": "safe"}}, "unknown level 'gamma'"),
    ({"ignore": [{"rule": "field-removed"}]}, "ignore #1: 'reason' is required"),
    ({"ignore": [{"rule": "x", "reason": "r", "message": "m"}]}, "ignore #1: unknown key 'message'"),
    ({"ignore": [{"rule": "x", "reason": "r", "until": "soon"}]}, "until: 'soon' is not a date"),
    ({"sunset_extension": "sunset"}, "sunset_extension: 'sunset'"),
])
def test_bad_configuration_is_a_one_line_error_naming_the_key(data: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(data, where="pyproject.toml: [tool.apidiff]", rule_ids={r.id for r in all_rules()})
    message = str(info.value)
    assert words in message and message.startswith("pyproject.toml: [tool.apidiff]: ") and "\n" not in message


def test_severity_override_changes_backward_and_the_mirrored_forward() -> None:
    assert ("enum-value-added", "dangerous", "breaking") in ids(compare(OLD, NEW))
    config = parse_config({"severity": {"enum-value-added": "safe"}})
    assert ("enum-value-added", "safe", "breaking") in ids(compare(OLD, NEW, config=config))
    # removing the value mirrors an addition: its forward verdict is the overridden one
    assert ("enum-value-removed-without-deprecation", "breaking", "dangerous") in ids(compare(NEW, OLD))
    assert ("enum-value-removed-without-deprecation", "breaking", "safe") in ids(compare(NEW, OLD, config=config))


def test_ignores_need_a_reason_match_the_change_and_expire() -> None:
    config = parse_config({"ignore": [{"rule": "field-removed*", "subject": "Query.leg*", "reason": "INC-42",
                                       "until": date(2026, 6, 1)}]})
    report = compare(OLD, NEW, config=config, today=TODAY)
    assert [c.id for c in report.changes] == ["enum-value-added"]
    assert [dict(i) for i in report.ignored] == [{"id": "field-removed-without-deprecation",
                                                  "subject": "Query.legacy", "reason": "INC-42"}]
    assert json.loads(report.to_json())["ignored"][0]["reason"] == "INC-42"
    expired = compare(OLD, NEW, config=config, today=date(2026, 6, 2))
    assert "field-removed-without-deprecation" in [c.id for c in expired.changes]
    assert any("expired on 2026-06-01" in w for w in expired.warnings)
    other = parse_config({"ignore": [{"rule": "field-removed*", "subject": "Query.a", "reason": "r"}]})
    assert "field-removed-without-deprecation" in [c.id for c in compare(OLD, NEW, config=other).changes]


def test_stability_policy_and_sunset_extension() -> None:
    def doc(required: bool, extra: str = "") -> str:
        return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "x-stability-level": "beta", "parameters": [{"name": "q", "in": "query", "required": required,
                                                          "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}}}}})

    strict = parse_config({"stability": {"beta": "breaking"}})
    assert ids(compare(doc(False), doc(True), config=strict))[0][1] == "breaking"
    assert ids(compare(doc(False), doc(True)))[0][1] == "dangerous"

    def dep(key: str) -> str:
        return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
            "deprecated": True, key: "2027-01-01", "responses": {"200": {"description": "ok"}}}}}})

    plain = json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {
        "responses": {"200": {"description": "ok"}}}}}})
    custom = parse_config({"sunset_extension": "x-removal-date"})
    assert ids(compare(plain, dep("x-removal-date"), config=custom, today=TODAY))[0][0] == "operation-deprecated"
    assert ids(compare(plain, dep("x-removal-date"), today=TODAY))[0][0] == "operation-deprecated-without-sunset"


def test_found_from_the_working_directory_upwards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.apidiff]\nfail_on = "dangerous"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == tmp_path / "pyproject.toml"
    assert load_config().fail_on == "dangerous"
    (tmp_path / "a" / ".apidiff.toml").write_text('mode = "full"\n')
    assert find_config() == tmp_path / "a" / ".apidiff.toml"
    assert load_config().mode.value == "full" and load_config().fail_on == "breaking"


def test_cli_reads_configuration_and_flags_win(tmp_path: Path) -> None:
    (tmp_path / "old.graphql").write_text(OLD)
    (tmp_path / "new.graphql").write_text(NEW)
    (tmp_path / ".apidiff.toml").write_text(
        '[[ignore]]\nrule = "field-removed-without-deprecation"\nsubject = "Query.legacy"\nreason = "INC-42"\n')

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", "old.graphql", "new.graphql", *args],
                              capture_output=True, text=True, cwd=tmp_path, check=False)

    assert run().returncode == 0  # the only breaking change is ignored
    assert run("--no-config").returncode == 1
    assert run("--fail-on", "dangerous").returncode == 1  # the enum value added is dangerous
    (tmp_path / "bad.toml").write_text("fail_on = 3\n")
    bad = run("--config", "bad.toml")
    assert bad.returncode == 2 and bad.stderr.strip() == "apidiff: error: bad.toml: fail_on: 3 is not one of " \
        "breaking, dangerous, safe, never"
    broken = tmp_path / "broken.toml"
    broken.write_text("fail_on = \n")
    proc = run("--config", str(broken))
    assert proc.returncode == 2 and "invalid TOML" in proc.stderr and "Traceback" not in proc.stderr

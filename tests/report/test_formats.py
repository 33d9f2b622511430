"""The CI report formats and the basic ones: a snapshot of every format for the two examples, each format
checked against its own contract (SARIF against the SARIF 2.1.0 schema, JUnit counts, the JSON report
against docs/json-report.schema.json, GitHub workflow commands parsed back), and escaping of hostile text.

The snapshots are ``tests/report/snapshots/<example>.<format>``, compared byte for byte. After a
deliberate change, rewrite them with ``APIDIFF_UPDATE_SNAPSHOTS=1 pytest tests/report/test_formats.py``
and review the diff before committing it.

``sarif-2.1.0.schema.json`` beside this file is ``sarif-2.1.0.json`` from the npm package
``@microsoft/sarif-multitool-linux`` 5.7.0 (microsoft/sarif-sdk, MIT licence), copied unchanged:
the SARIF 2.1.0 schema (JSON Schema 2020-12) that the SARIF SDK's own validator uses.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from apidiff import __version__, compare
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.location import Location
from apidiff.core.result import FAIL_ON, Report, SourceInfo
from apidiff.formats import get_rule as get
from apidiff.report import github, json_, junit, markdown, sarif, text
from apidiff.report._common import headline
from tests.conftest import ROOT, TODAY

HERE = Path(__file__).parent
SNAPSHOTS = HERE / "snapshots"
SARIF_SCHEMA = json.loads((HERE / "sarif-2.1.0.schema.json").read_text(encoding="utf-8"))
JSON_SCHEMA = json.loads((ROOT / "docs" / "json-report.schema.json").read_text(encoding="utf-8"))
EXAMPLES = {"graphql": ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql"),
            "petstore": ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml")}
RENDERERS: dict[str, Any] = {"text": text.render, "markdown": markdown.render, "json": json_.render,
                             "sarif": sarif.render, "junit": junit.render, "github": github.render}
SNAPSHOT_VERSION = "0.0.0+snapshot"  # the tool version in the SARIF snapshots, so that a release does not touch them
HOSTILE = "100% <sure>, \"quoted\" & 'single': a:b\r\nnext line\n::error::injected"


def _report(name: str, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(ROOT)  # the inputs are given relative, so the locations are the same on every machine
    return compare(*EXAMPLES[name], today=TODAY)


def _render(fmt: str, report: Report) -> str:
    return str(RENDERERS[fmt](report, color=False))


def _change(**overrides: Any) -> Change:
    fields: dict[str, Any] = {
        "id": "field-removed-without-deprecation", "severity": Severity.BREAKING, "backward": Severity.BREAKING,
        "forward": Severity.SAFE, "direction": Direction.OUTPUT, "subject": "Query.a", "message": "field Query.a "
        "was removed without deprecation", "old_location": Location("old.graphql", 2, 3, "Query.a"),
        "new_location": None}
    fields.update(overrides)
    return Change(**fields)


def _synthetic(*changes: Change, warnings: tuple[str, ...] = ()) -> Report:
    return Report(mode=Mode.BACKWARD, old=SourceInfo("old.graphql", "graphql"),
                  new=SourceInfo("new.graphql", "graphql"), changes=changes, warnings=warnings)


# -- snapshots ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_snapshot(name: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    monkeypatch.setattr(sarif, "__version__", SNAPSHOT_VERSION)
    out = _render(fmt, report)
    assert out == _render(fmt, compare(*EXAMPLES[name], today=TODAY)), "output is not deterministic"
    path = SNAPSHOTS / f"{name}.{fmt}"
    if os.environ.get("APIDIFF_UPDATE_SNAPSHOTS") == "1":
        path.write_text(out, encoding="utf-8", newline="\n")
    assert path.exists(), f"no snapshot {path.name}: run with APIDIFF_UPDATE_SNAPSHOTS=1 and review it"
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_unknown_options_are_ignored(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("graphql", monkeypatch)
    assert RENDERERS[fmt](report, color=False, width=100, no_such_option=object()) == _render(fmt, report)


# -- JSON -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_json_matches_the_published_schema(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    data = json.loads(json_.render(report))
    jsonschema.validators.validator_for(JSON_SCHEMA)(JSON_SCHEMA).validate(data)
    assert Report.from_json(json_.render(report)) == report


# -- SARIF ----------------------------------------------------------------------------------------------

def _sarif_valid(log: dict[str, Any]) -> None:
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator.check_schema(SARIF_SCHEMA)
    errors = sorted(validator(SARIF_SCHEMA).iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_the_sarif_schema_is_the_2_1_0_one() -> None:
    assert SARIF_SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SARIF_SCHEMA["properties"]["version"]["enum"] == ["2.1.0"]
    with pytest.raises(jsonschema.ValidationError):  # the schema does reject things
        jsonschema.validators.validator_for(SARIF_SCHEMA)(SARIF_SCHEMA).validate({"version": "2.1.0", "runs": [{}]})


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_sarif_is_valid_and_says_what_the_report_says(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    log = json.loads(sarif.render(report))
    _sarif_valid(log)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("apidiff", __version__)
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)) and set(ids) == {c.id for c in report.changes}  # only the rules that fired
    for rule in rules:
        assert rule["shortDescription"]["text"] == get(rule["id"]).summary
        assert urlsplit(rule["helpUri"]).scheme == "https" and rule["helpUri"].endswith(f"/{rule['id']}.md")
        assert (ROOT / "docs" / "rules" / f"{rule['id']}.md").exists()
    levels = {Severity.BREAKING: "error", Severity.DANGEROUS: "warning", Severity.SAFE: "note"}
    assert len(run["results"]) == len(report.changes)
    for result, change in zip(run["results"], report.changes, strict=True):
        assert result["ruleId"] == change.id == rules[result["ruleIndex"]]["id"]
        assert result["level"] == levels[change.severity]
        assert result["message"]["text"] == change.message
        assert result["properties"] == {"backward": change.backward.value, "forward": change.forward.value,
                                        "direction": change.direction.value}
        [location] = result["locations"]
        assert location["logicalLocations"] == [{"fullyQualifiedName": change.subject}]
        where = change.new_location or change.old_location
        assert where is not None
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == where.file  # relative, forward slashes, nothing to encode
        assert physical["region"] == {"startLine": where.line, "startColumn": where.column}


def test_sarif_edge_cases_stay_valid() -> None:
    report = _synthetic(
        _change(subject=HOSTILE, message=HOSTILE),  # control characters and quotes in strings
        _change(id="no-such-rule-yet", severity=Severity.DANGEROUS, backward=Severity.DANGEROUS,
                old_location=Location("specs/my api.yaml", 0, 0, "/paths")),  # line unknown, a space in the path
        _change(id="field-added", severity=Severity.SAFE, backward=Severity.SAFE, old_location=None,
                new_location=Location("/abs/path/new api.graphql", 7, 0)),  # absolute, no column
        _change(id="field-added", severity=Severity.SAFE, backward=Severity.SAFE, old_location=None,
                new_location=Location("dir\\win.graphql", 1, 1)),  # a Windows relative path
        _change(old_location=Location("<text>", 1, 1)),  # a pseudo file: no physical location
        warnings=("a warning with a\nnewline",))
    log = json.loads(sarif.render(report))
    _sarif_valid(log)
    [run] = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["field-removed-without-deprecation", "no-such-rule-yet", "field-added"]
    assert rules[1]["defaultConfiguration"] == {"level": "warning"}  # unknown to the catalogue: its results' level
    results = run["results"]
    assert [r["ruleIndex"] for r in results] == [0, 1, 2, 2, 0]
    assert results[0]["message"]["text"] == HOSTILE
    assert results[0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == HOSTILE
    assert results[1]["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "specs/my%20api.yaml"}}
    assert results[2]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///abs/path/new%20api.graphql"}, "region": {"startLine": 7}}
    assert results[3]["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "dir/win.graphql"}
    assert "physicalLocation" not in results[4]["locations"][0]
    assert results[4]["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "Query.a"}]
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert notifications == [{"level": "warning", "message": {"text": "a warning with a\nnewline"}}]


def test_sarif_of_no_change() -> None:
    log = json.loads(sarif.render(_synthetic()))
    _sarif_valid(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


# -- JUnit ----------------------------------------------------------------------------------------------

def _junit(report: Report, **options: Any) -> ET.Element:
    out = junit.render(report, **options)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(out.encode("utf-8"))


@pytest.mark.parametrize("fail_on", FAIL_ON)
@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_junit_counts(name: str, fail_on: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    root = _junit(report, fail_on=fail_on)
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "apidiff"
    cases = suite.findall("testcase")
    failing = [c for c in cases if c.find("failure") is not None]
    expected = [ch for ch in report.changes if fail_on != "never" and ch.severity >= Severity(fail_on)]
    for element in (root, suite):
        assert element.get("tests") == str(len(cases)) == str(len(report.changes))
        assert element.get("failures") == str(len(failing)) == str(len(expected))
        assert element.get("errors") == "0"
    assert bool(failing) == report.fails(fail_on)
    for case, change in zip(cases, report.changes, strict=True):
        assert (case.get("classname"), case.get("name")) == (change.id, change.subject)
        failure = case.find("failure")
        if failure is not None:
            assert failure.get("message") == change.message and failure.get("type") == change.severity.value
            assert change.message in (failure.text or "")
            assert str(change.new_location or change.old_location) in (failure.text or "")
        else:
            out = case.find("system-out")
            assert out is not None and change.message in (out.text or "")


def test_junit_default_fails_on_breaking_and_rejects_an_unknown_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("petstore", monkeypatch)
    assert junit.render(report) == junit.render(report, fail_on="breaking")
    with pytest.raises(ValueError, match="fail_on"):
        junit.render(report, fail_on="sometimes")


def test_junit_escapes_hostile_text() -> None:
    hostile = HOSTILE + "\x00\x1b[31m\ud800"  # NUL, ESC and a lone surrogate cannot be in XML 1.0
    report = _synthetic(_change(subject=hostile, message=hostile, id="a&b<c>"), warnings=("<warning> & more",))
    root = _junit(report)
    case = root.find("testsuite/testcase")
    assert case is not None
    cleaned = HOSTILE.replace("\r\n", "\n") + "\ufffd\ufffd[31m\ufffd"  # XML turns CR LF in text into LF
    assert case.get("classname") == "a&b<c>"
    assert case.get("name") == HOSTILE + "\ufffd\ufffd[31m\ufffd"  # attribute values keep CR and LF (&#13; &#10;)
    failure = case.find("failure")
    assert failure is not None and failure.get("message") == HOSTILE + "\ufffd\ufffd[31m\ufffd"
    assert (failure.text or "").startswith(cleaned)
    out = root.find("testsuite/system-out")
    assert out is not None and out.text == "warning: <warning> & more\n"


# -- GitHub workflow commands ---------------------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<name>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(text: str, *, property: bool = False) -> str:
    """What the runner does (actions/runner ``ActionCommand``): the escapes undone, ``%25`` last."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if property else []) + [("%25", "%")]
    for escaped, plain in pairs:
        text = text.replace(escaped, plain)
    return text


def _parse(line: str) -> tuple[str, dict[str, str], str]:
    m = COMMAND.match(line)
    assert m is not None, line
    props = {}
    for item in (m["props"] or "").split(","):
        if item:
            key, _, value = item.partition("=")
            props[key] = _unescape(value, property=True)
    return m["name"], props, _unescape(m["data"])


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_github_one_annotation_per_group_then_a_summary(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    lines = github.render(report).splitlines()
    groups = report.change_groups()
    assert len(lines) == len(groups) + 1
    commands = {Severity.BREAKING: "error", Severity.DANGEROUS: "warning", Severity.SAFE: "notice"}
    for line, group in zip(lines[:-1], groups, strict=True):
        change = report.changes[group.changes[0]]  # a group is annotated where its first change is
        command, props, data = _parse(line)
        where = change.new_location or change.old_location
        assert where is not None
        assert command == commands[change.severity]
        assert props == {"file": where.file, "line": str(where.line), "col": str(where.column), "title": change.id}
        message = change.message if group.count == 1 else headline(report, group)
        assert data == f"{message} (backward {change.backward.value}, forward {change.forward.value})"
    assert sum(g.count for g in groups) == len(report.changes)
    s = report.summary
    assert lines[-1].startswith(f"apidiff: {s['breaking']} breaking, {s['dangerous']} dangerous, {s['safe']} safe")
    assert not lines[-1].startswith("::")


def test_github_escaping() -> None:
    report = _synthetic(
        _change(message=HOSTILE, old_location=Location("dir/a,b:c%d.graphql", 3, 0)),
        _change(severity=Severity.SAFE, backward=Severity.SAFE, old_location=Location("x.graphql", 0, 0)),
        _change(severity=Severity.DANGEROUS, backward=Severity.DANGEROUS, old_location=Location("<text>", 1, 1)),
        warnings=("look: 50%, then\nmore",))
    lines = github.render(report).splitlines()
    assert len(lines) == 5  # the newlines are escaped: no line of ours starts a command
    assert lines[0] == ("::error file=dir/a%2Cb%3Ac%25d.graphql,line=3,title=field-removed-without-deprecation::"
                        "100%25 <sure>, \"quoted\" & 'single': a:b%0D%0Anext line%0A::error::injected "
                        "(backward breaking, forward safe)")
    command, props, data = _parse(lines[0])
    assert (command, props) == ("error", {"file": "dir/a,b:c%d.graphql", "line": "3",
                                          "title": "field-removed-without-deprecation"})
    assert data == HOSTILE + " (backward breaking, forward safe)"
    # most severe first (each its own group: the same rule on the same element, but not the same verdict)
    assert _parse(lines[1])[:2] == ("warning", {"title": "field-removed-without-deprecation"})
    assert _parse(lines[2])[:2] == ("notice", {"file": "x.graphql", "title": "field-removed-without-deprecation"})
    assert _parse(lines[3]) == ("warning", {"title": "apidiff"}, "look: 50%, then\nmore")
    assert lines[4] == "apidiff: 1 breaking, 1 dangerous, 1 safe (old.graphql → new.graphql, mode backward)"
    assert github.escape_property("a%b\r\n:,") == "a%25b%0D%0A%3A%2C"
    assert github.escape_data("a%b\r\n:,") == "a%25b%0D%0A:,"

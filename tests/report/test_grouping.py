"""Groups in the reports: many changes that say one thing shown as one line, and a summary first.

The fixtures (``fixtures/grouping/{graphql,openapi}``) hold the three shapes that make reports on real
schemas unreadable: an enum that gains 200 values, a shared thing reached from 30 operations (GraphQL: a
type returned by 30 root fields; OpenAPI: a component schema in 30 responses, and a shared error response
whose schema changes under each of the 30), and one parameter change repeated on six operations.

The snapshots are ``tests/report/snapshots/grouping/<fixture>.<format>``, compared byte for byte; rewrite
them after a deliberate change with ``APIDIFF_UPDATE_SNAPSHOTS=1 pytest tests/report/test_grouping.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff import compare
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.groups import Group, default_facet, facet_for, group_changes, phrase
from apidiff.core.result import Report, SourceInfo
from apidiff.report import render
from apidiff.report.markdown import render as markdown
from tests.conftest import ROOT, TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots" / "grouping"
FIXTURES = {"graphql": ("fixtures/grouping/graphql/old.graphql", "fixtures/grouping/graphql/new.graphql"),
            "openapi": ("fixtures/grouping/openapi/old.yaml", "fixtures/grouping/openapi/new.yaml")}
EXAMPLES = {"petstore": ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml"),
            "graphql-example": ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql")}
JSON_SCHEMA = json.loads((ROOT / "docs" / "json-report.schema.json").read_text(encoding="utf-8"))
FORMATS = {"text": "text", "markdown": "markdown", "html": "html"}


def _report(name: str, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(ROOT)  # relative source paths, the same on every machine
    return compare(*{**FIXTURES, **EXAMPLES}[name], today=TODAY)


def _groups(report: Report) -> list[Group]:
    return group_changes(report.changes, facet_for(report.new.kind))


# -- what becomes one group ------------------------------------------------------------------------

def test_two_hundred_enum_values_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, rule in (("graphql", "enum-value-added"), ("openapi", "schema-enum-value-added")):
        report = _report(name, monkeypatch)
        (group,) = [g for g in _groups(report) if g.rule == rule]
        assert (group.kind, group.element, group.count, len(group.members)) == ("element", "Country", 200, 200)
        text = render(report, "text")
        line = next(line for line in text.splitlines() if "Country: 200" in line)
        assert "… 194 more)" in line
        assert sum("AD" in line for line in text.splitlines()) == 1  # no line of its own for a value


def test_the_same_event_on_six_operations_is_one_group_with_its_places(monkeypatch: pytest.MonkeyPatch) -> None:
    openapi = _report("openapi", monkeypatch)
    (group,) = [g for g in _groups(openapi) if g.rule == "maximum-decreased"]
    assert group.kind == "event" and group.places == tuple(f"GET /lists/{n}" for n in range(1, 7))
    assert "maximum of query parameter limit decreased from 100 to 50 on 6 operations (GET /lists/1, " \
           in render(openapi, "text")
    graphql = _report("graphql", monkeypatch)
    (group,) = [g for g in _groups(graphql) if g.rule == "argument-default-changed"]
    assert group.kind == "event" and group.places == tuple(f"Query.list{n}" for n in range(1, 7))
    assert "default value of argument limit changed from 20 to 50 on 6 root fields (Query.list1, " \
           in render(graphql, "text")


def test_a_shared_thing_reached_from_thirty_operations_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # OpenAPI: the shared error response's schema changes under each of the 30 operations: one event
    openapi = _report("openapi", monkeypatch)
    (group,) = [g for g in _groups(openapi) if g.rule == "type-changed"]
    assert group.kind == "event" and group.count == 30 and len(group.places) == 30
    assert group.element == "response 404 application/json.detail"
    # breaking: every place listed, none hidden behind "… more"
    line = next(line for line in render(openapi, "text").splitlines() if "type of response 404" in line)
    assert "GET /items30" in line and "more" not in line
    # the component schema used by the 30 responses is one change on the schema, not 30
    assert [c.subject for c in openapi.changes if c.id == "property-removed-without-deprecation"] == ["Item.legacy"]
    # GraphQL: a type returned by 30 root fields changes once
    graphql = _report("graphql", monkeypatch)
    assert [g.kind for g in _groups(graphql) if g.rule == "field-removed-without-deprecation"] == ["change"]
    assert sum("Item.legacy" in line for line in render(graphql, "text").splitlines()) == 1


def test_a_group_of_one_is_just_the_change(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("graphql-example", monkeypatch)
    singles = [g for g in _groups(report) if g.kind == "change"]
    assert singles and all(g.count == 1 for g in singles)
    text = render(report, "text")
    for g in singles:
        assert report.changes[g.changes[0]].message in text


def test_rule_phrases() -> None:
    assert phrase("enum-value-added", 236) == "enum values added"
    assert phrase("property-added-optional", 3) == "optional properties added"
    assert phrase("property-became-optional", 2) == "properties became optional"
    assert phrase("response-status-added", 2) == "response statuses added"
    assert phrase("branch-removed", 2) == "branches removed"
    assert phrase("type-added", 1) == "type added"


def test_the_default_facet_splits_type_member_subjects() -> None:
    change = _change("Country.AD")
    assert (default_facet(change).element, default_facet(change).member) == ("Country", "AD")
    assert (default_facet(_change("Country")).element, default_facet(_change("Country")).member) == ("", "Country")


# -- the summary first, and the limits ------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_every_human_report_opens_with_the_summary(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    text = render(report, "text")
    assert text.index("BY RULE") < text.index("BY AREA") < text.index("BREAKING (") < text.index("DANGEROUS (")
    md = render(report, "markdown")
    assert md.index("| breaking | dangerous | safe |") < md.index("| rule |") < md.index("| area |") \
        < md.index("<details open><summary>✖ Breaking") < md.index("<details open><summary>⚠ Dangerous")
    html = render(report, "html")
    assert html.index('id="summary"') < html.index('id="counts"') < html.index('id="h-breaking"') \
        < html.index('id="h-dangerous"')


def test_safe_changes_are_collapsed(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("petstore", monkeypatch)
    md = render(report, "markdown")
    assert "<details><summary>✔ Safe (4)</summary>" in md
    assert "<details><summary>Show the 4 safe changes</summary>" in render(report, "html")
    safe = render(report, "text").split("SAFE (4)\n", 1)[1]
    assert all(line.startswith("  ✔ ") for line in safe.splitlines())  # one line per group, no details


@pytest.mark.parametrize("limit", [2_500, 4_000, 8_000])
def test_a_cut_keeps_the_summary_and_every_breaking_change(limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("openapi", monkeypatch)
    md = markdown(report, limit=limit)
    assert len(md) <= limit
    assert "| type-changed | 30 |" in md and "| schema-enum-value-added |  | 200 |" in md
    for n in range(1, 31):
        assert f"GET /items{n:02d}" in md
    assert "GET /lists/6" in md
    if "dangerous groups" in md:
        assert "not shown" in md and "of 2 dangerous groups" in md
    full = markdown(report)
    assert "Cut to fit" not in full and "Item.legacy" in full


def test_safe_detail_is_cut_before_dangerous(monkeypatch: pytest.MonkeyPatch) -> None:
    changes = [_change(f"T{n:03d}.f{n}", id="field-description-changed", severity=Severity.SAFE,
                       message=f"description of field T{n:03d}.f{n} changed with a long explanation " + "x" * 80,
                       args={"change": "changed", "old": f"a{n}", "new": f"b{n}"}) for n in range(300)]
    changes += [_change(f"Query.f{n}", id="field-removed-after-sunset", severity=Severity.DANGEROUS,
                        message=f"field Query.f{n} was removed after its sunset date") for n in range(3)]
    changes += [_change("Query.gone", message="field Query.gone was removed without deprecation")]
    report = _synthetic(*changes)
    md = markdown(report, limit=6_000)
    assert len(md) <= 6_000
    assert "field Query.gone was removed without deprecation" in md
    assert "Query: 3 fields removed after sunset (f0, f1, f2)" in md
    assert "safe groups" in md and "not shown" in md and "dangerous groups" not in md


def test_the_job_summary_counts_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report("openapi", monkeypatch)
    md = markdown(report, limit=3_000, size=lambda t: len(t.encode("utf-8")))
    assert len(md.encode("utf-8")) <= 3_000


# -- JSON: one entry per change, each with its group ------------------------------------------------

@pytest.mark.parametrize("name", sorted({**FIXTURES, **EXAMPLES}))
def test_json_has_groups_validates_and_round_trips(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = _report(name, monkeypatch)
    text = render(report, "json")
    data = json.loads(text)
    jsonschema.validators.validator_for(JSON_SCHEMA)(JSON_SCHEMA).validate(data)
    assert len(data["changes"]) == len(report.changes)  # the contract: one entry per change
    ids = {g["id"] for g in data["groups"]}
    assert len(ids) == len(data["groups"])
    assert all(c["group"] in ids for c in data["changes"])
    for g in data["groups"]:
        assert g["count"] == len(g["changes"])
        assert all(data["changes"][i]["group"] == g["id"] for i in g["changes"])
    again = Report.from_json(text)
    assert again.groups is not None and [g.to_dict() for g in again.groups] == data["groups"]
    assert again.to_json() + "\n" == text
    for fmt in FORMATS:  # a report read back renders the same
        assert render(again, fmt) == render(report, fmt)


def test_stored_groups_are_ignored_when_they_no_longer_fit_the_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    report = Report.from_json(render(_report("openapi", monkeypatch), "json"))
    fewer = replace(report, changes=report.changes[:5])
    assert sorted(i for g in fewer.change_groups() for i in g.changes) == list(range(5))


# -- properties ------------------------------------------------------------------------------------

def _canonical(changes: list[Change], groups: list[Group]) -> list[tuple[str, tuple[tuple[str, str, str], ...]]]:
    return [(g.id, tuple(changes[i].sort_key for i in g.changes)) for g in groups]


@pytest.fixture(scope="module")
def corpus() -> list[Report]:
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return [compare(*pair, today=TODAY) for pair in (*FIXTURES.values(), *EXAMPLES.values())]
    finally:
        os.chdir(here)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_change_in_exactly_one_group_and_order_independent_of_input(corpus: list[Report],
                                                                         data: st.DataObject) -> None:
    report = data.draw(st.sampled_from(corpus))
    changes = list(report.changes)
    picked = data.draw(st.lists(st.sampled_from(range(len(changes))), unique=True, max_size=len(changes)))
    subset = [changes[i] for i in sorted(picked)] if picked else changes
    facet = facet_for(report.new.kind)
    groups = group_changes(subset, facet)
    assert sorted(i for g in groups for i in g.changes) == list(range(len(subset)))
    shuffled = data.draw(st.permutations(subset))
    assert _canonical(list(shuffled), group_changes(list(shuffled), facet)) == _canonical(subset, groups)
    ranks = [-g.severity.rank for g in groups]
    assert ranks == sorted(ranks)


def test_order_independent_on_a_large_shuffle(corpus: list[Report]) -> None:
    report = corpus[1]
    facet = facet_for(report.new.kind)
    expected = _canonical(list(report.changes), group_changes(report.changes, facet))
    rng = random.Random(17)
    for _ in range(5):
        shuffled = list(report.changes)
        rng.shuffle(shuffled)
        assert _canonical(shuffled, group_changes(shuffled, facet)) == expected


# -- snapshots -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_snapshot(name: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    out = render(_report(name, monkeypatch), FORMATS[fmt])
    assert out == render(compare(*FIXTURES[name], today=TODAY), FORMATS[fmt]), "output is not deterministic"
    path = SNAPSHOTS / f"{name}.{fmt}"
    if os.environ.get("APIDIFF_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8", newline="\n")
    assert path.exists(), f"no snapshot {path.name}: run with APIDIFF_UPDATE_SNAPSHOTS=1 and review it"
    assert out == path.read_text(encoding="utf-8")


# -- helpers ---------------------------------------------------------------------------------------

def _change(subject: str, **overrides: object) -> Change:
    fields: dict[str, object] = {
        "id": "field-removed-without-deprecation", "severity": Severity.BREAKING, "backward": Severity.BREAKING,
        "forward": Severity.SAFE, "direction": Direction.OUTPUT, "subject": subject,
        "message": f"{subject} changed", "old_location": None, "new_location": None}
    fields.update(overrides)
    if "backward" not in overrides:
        fields["backward"] = fields["severity"]
    return Change(**fields)  # type: ignore[arg-type]


def _synthetic(*changes: Change) -> Report:
    return Report(mode=Mode.BACKWARD, old=SourceInfo("old.graphql", "graphql"),
                  new=SourceInfo("new.graphql", "graphql"), changes=changes)

"""Deprecation plans: RFC header grammars, expand snippets that diff as safe, JSON keys, snapshots.

Rewrite the snapshots after a deliberate change with ``APIDIFF_UPDATE_SNAPSHOTS=1``."""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from graphql import build_ast_schema, parse
from hypothesis import given
from hypothesis import strategies as st

from apidiff import compare, load
from apidiff.api import apply_expand, build_plan, plan
from apidiff.core.headers import deprecation_header, link_header, response_headers, sunset_header
from apidiff.core.plan import PHASES, Plan, PlanItem
from apidiff.report.plan import render_json
from tests.conftest import ROOT, TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots"
PETSTORE = ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml")
GRAPHQL = ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql")
DOCS = "https://petstore.example.com/docs/deprecations"

# -- the grammars, written from the RFCs ---------------------------------------------------------------
# RFC 9110 §5.6.7: IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
#   day-name = "Mon" / "Tue" / ...; date1 = day SP month SP year (2DIGIT SP month SP 4DIGIT)
#   time-of-day = hour ":" minute ":" second (2DIGIT each); GMT = %s"GMT"
IMF_FIXDATE = re.compile(
    r"^(?P<day_name>Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?P<day>\d{2}) "
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<year>\d{4}) "
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2}) GMT$")
# RFC 9745 §2.1: Deprecation = sf-date; RFC 9651 §3.3.7: sf-date = "@" sf-integer;
#   §3.3.1: sf-integer = ["-"] 1*15DIGIT
SF_DATE = re.compile(r"^@(?P<seconds>-?\d{1,15})$")
# RFC 8288 §3: link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ); RFC 3986 excludes
#   spaces, <, >, " and braces from a URI reference
LINK = re.compile(r'^<(?P<uri>[^<>"{}\s]+)>(?:\s*;\s*(?P<name>[a-z]+)="(?P<value>[^"]*)")+$')


def imf_fixdate(value: str) -> datetime:
    m = IMF_FIXDATE.match(value)
    assert m is not None, value
    parsed = parsedate_to_datetime(value)
    assert parsed.strftime("%a") == m["day_name"]  # the day name agrees with the date
    return parsed


def sf_date(value: str) -> datetime:
    m = SF_DATE.match(value)
    assert m is not None, value
    return datetime.fromtimestamp(int(m["seconds"]), tz=timezone.utc)


def check_headers(headers: Any, *, successor: bool = False) -> None:
    names = [n for n, _ in headers]
    assert names[:2] == ["Deprecation", "Sunset"]
    deprecation = sf_date(headers[0][1])
    sunset = imf_fixdate(headers[1][1])
    assert sunset >= deprecation  # RFC 9745 §4
    rels = []
    for name, value in headers[2:]:
        assert name == "Link"
        m = LINK.match(value)
        assert m is not None, value
        rels.append(m["value"])
    assert ("successor-version" in rels) == successor


def test_header_values_are_exact() -> None:
    assert deprecation_header(date(2026, 1, 1)) == "@1767225600"
    assert sunset_header(date(2027, 3, 1)) == "Mon, 01 Mar 2027 00:00:00 GMT"
    assert link_header("https://example.com/d", "deprecation") == '<https://example.com/d>; rel="deprecation"'
    assert link_header("/pets/{id}", "successor-version", template=True) == '</pets/{id}>; rel="successor-version"'
    with pytest.raises(ValueError):
        link_header("/pets/{id}", "successor-version")
    with pytest.raises(ValueError):
        link_header("https://example.com/a b", "sunset")
    with pytest.raises(ValueError):
        link_header("https://example.com/", "alternate")
    with pytest.raises(ValueError):
        response_headers(date(2026, 2, 1), date(2026, 1, 1))


@given(st.dates(min_value=date(1970, 1, 1), max_value=date(9000, 12, 31)), st.integers(0, 3650),
       st.sampled_from([None, DOCS]))
def test_headers_follow_the_grammars(start: date, days: int, docs: str | None) -> None:
    end = start + timedelta(days=days)
    headers = response_headers(start, end, docs_url=docs)
    check_headers(headers)
    assert sf_date(headers[0][1]).date() == start
    assert imf_fixdate(headers[1][1]).date() == end
    assert len(headers) == (4 if docs else 2)


# -- the OpenAPI example ---------------------------------------------------------------------------------


def petstore_plan(**options: Any) -> Plan:
    old, new = (str(ROOT / p) for p in PETSTORE)
    old_api, new_api = load(old), load(new)
    report = compare(old_api, new_api, today=TODAY)
    return build_plan(report, old_api, new_api, today=TODAY, docs_url=DOCS, **options)


def item(p: Plan, subject: str) -> PlanItem:
    return next(i for i in p.items if i.change.subject == subject)


def assert_expand_is_safe(old_text: str, expanded: str) -> None:
    report = compare(old_text, expanded, today=TODAY)
    assert [c.id for c in report.changes if c.backward.value != "safe"] == []


def validate_openapi(text: str) -> None:
    from openapi_spec_validator import validate

    from apidiff.core._yaml import parse_document

    validate(parse_document(text, "<doc>"))


def test_removed_property_gets_a_three_phase_plan_whose_expand_is_safe() -> None:
    p = petstore_plan()
    owner = item(p, "Pet.owner")
    assert owner.strategy == "deprecate-then-remove"
    assert [ph.name for ph in owner.phases] == list(PHASES)
    expand = owner.phase("expand")
    (snippet,) = expand.snippets
    assert snippet.language == "yaml" and snippet.target == "/components/schemas/Pet/properties/owner"
    assert snippet.line == 95 and snippet.file is not None and snippet.file.endswith("v1.yaml")
    assert snippet.code == "owner:\n  type: string\n  deprecated: true\n  x-sunset: '2026-04-01'"
    assert owner.phase("migrate").snippets[0].language == "http"
    assert set(owner.operations) == {"GET /pets", "POST /pets", "GET /pets/{petId}"}
    assert owner.after_sunset_id == "property-removed-after-sunset"
    old_text = (ROOT / PETSTORE[0]).read_text()
    expanded = apply_expand(old_text, owner)
    validate_openapi(old_text)
    validate_openapi(expanded)
    report = compare(old_text, expanded, today=TODAY)
    assert [(c.id, c.backward.value) for c in report.changes] == [("property-deprecated", "safe")]
    # the contract phase, judged after the sunset: not breaking any more
    later = compare(expanded, (ROOT / PETSTORE[1]).read_text(), today=owner.sunset_date)
    removal = next(c for c in later.changes if c.subject == "Pet.owner")
    assert removal.id == "property-removed-after-sunset" and removal.backward.value != "breaking"


def test_every_expand_phase_of_the_petstore_plan_is_safe_and_valid() -> None:
    p = petstore_plan()
    assert {i.change.id for i in p.items} == {"maximum-decreased", "property-added-required",
                                              "property-removed-without-deprecation", "became-nullable"}
    old_text = (ROOT / PETSTORE[0]).read_text()
    combined = old_text
    for i in p.items:
        assert [ph.name for ph in i.phases] == list(PHASES)
        assert all(ph.rollback.strip() and ph.steps for ph in i.phases)
        check_headers(i.headers)
        expanded = apply_expand(old_text, i)
        validate_openapi(expanded)
        assert_expand_is_safe(old_text, expanded)
        combined = apply_expand(combined, i)
    assert_expand_is_safe(old_text, combined)
    assert [c.subject for c in p.completed] == ["DELETE /pets/{petId}"]


def test_type_changes_add_the_new_beside_the_old() -> None:
    tag = item(petstore_plan(), "Pet.tag")
    assert tag.strategy == "add-new-then-remove-old" and tag.replacement == "Pet.tagV2"
    ops = [(e.op, e.target) for e in tag.edits]
    assert ops == [("set", "/components/schemas/Pet/properties/tagV2"),
                   ("merge", "/components/schemas/Pet/properties/tag")]
    assert tag.edits[1].value["deprecated"] is True and tag.edits[1].value["x-sunset"] == "2026-04-01"
    # the contract phase: removing the old property after the sunset is no longer breaking
    from apidiff.core._yaml import parse_document

    expanded = apply_expand((ROOT / PETSTORE[0]).read_text(), tag)
    doc = parse_document(expanded, "<expanded>")
    del doc["components"]["schemas"]["Pet"]["properties"]["tag"]
    later = compare(expanded, json.dumps(doc), today=tag.sunset_date)
    assert [(c.id, c.backward.value) for c in later.changes] == [("property-removed-after-sunset", "dangerous")]
    assert tag.after_sunset_id == "property-removed-after-sunset"


def test_dates_come_from_the_policy() -> None:
    p = petstore_plan(since=date(2026, 2, 1), sunset_days=30)
    owner = item(p, "Pet.owner")
    assert (owner.deprecation_date, owner.sunset_date) == (date(2026, 2, 1), date(2026, 3, 3))
    assert dict(owner.headers[:2]) == {"Deprecation": "@1769904000", "Sunset": "Tue, 03 Mar 2026 00:00:00 GMT"}
    with pytest.raises(ValueError):
        petstore_plan(sunset_days=-1)
    assert petstore_plan().warnings == ()
    (warning,) = petstore_plan(sunset_days=30, min_deprecation_days=90).warnings
    assert "sooner than the minimum deprecation period (90 days)" in warning


def _openapi(paths: dict[str, Any], schemas: dict[str, Any] | None = None, version: str = "3.0.3") -> str:
    doc: dict[str, Any] = {"openapi": version, "info": {"title": "t", "version": "1"},
                           "servers": [{"url": "https://api.example.com"}], "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    return json.dumps(doc, indent=2)


def _get(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": schema}}}}, **extra}}


def _plan_for(old: str, new: str, **options: Any) -> Plan:
    old_api, new_api = load(old), load(new)
    return build_plan(compare(old_api, new_api, today=TODAY), old_api, new_api, today=TODAY, **options)


def test_a_renamed_endpoint_is_linked_as_the_successor_version() -> None:
    user = {"type": "object", "properties": {"id": {"type": "string"}}}
    old = _openapi({"/organizations/users": _get({"$ref": "#/components/schemas/User"})}, {"User": user})
    new = _openapi({"/orgs/users": _get({"$ref": "#/components/schemas/User"})}, {"User": user})
    p = _plan_for(old, new, docs_url=DOCS)
    (moved,) = [i for i in p.items if i.change.subject == "GET /organizations/users"]
    assert moved.strategy == "add-new-then-remove-old" and moved.replacement == "GET /orgs/users"
    assert moved.successor == "https://api.example.com/orgs/users"
    check_headers(moved.headers, successor=True)
    assert ("Link", '<https://api.example.com/orgs/users>; rel="successor-version"') in moved.headers
    expanded = apply_expand(old, moved)
    assert set(json.loads(expanded)["paths"]) == {"/organizations/users", "/orgs/users"}
    validate_openapi(expanded)
    assert_expand_is_safe(old, expanded)
    assert moved.after_sunset_id == "operation-removed-after-sunset"


def test_a_type_change_brings_the_new_components_along() -> None:
    money = {"type": "object", "properties": {"amount": {"type": "number"}}}
    old = _openapi({"/pets": _get({"$ref": "#/components/schemas/Pet"})},
                   {"Pet": {"type": "object", "properties": {"price": {"type": "number"}}}})
    new = _openapi({"/pets": _get({"$ref": "#/components/schemas/Pet"})},
                   {"Pet": {"type": "object", "properties": {"price": {"$ref": "#/components/schemas/Money"}}},
                    "Money": money})
    p = _plan_for(old, new)
    (changed,) = [i for i in p.items if i.change.subject.startswith("Pet.price")]
    assert changed.strategy == "add-new-then-remove-old" and changed.replacement == "Pet.priceV2"
    expanded = json.loads(apply_expand(old, changed))
    assert expanded["components"]["schemas"]["Money"] == money
    assert expanded["components"]["schemas"]["Pet"]["properties"]["priceV2"] == {
        "$ref": "#/components/schemas/Money"}
    validate_openapi(json.dumps(expanded))
    assert_expand_is_safe(old, json.dumps(expanded))


def test_a_property_that_is_a_ref_is_wrapped_in_all_of_on_openapi_3_0() -> None:
    pet = {"type": "object", "properties": {"name": {"type": "string"}, "kind": {"$ref": "#/components/schemas/K"}}}
    kind = {"type": "string"}
    old = _openapi({"/pets": _get({"$ref": "#/components/schemas/Pet"})}, {"Pet": pet, "K": kind})
    new = _openapi({"/pets": _get({"$ref": "#/components/schemas/Pet"})},
                   {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}, "K": kind})
    (removed,) = _plan_for(old, new).items
    (edit,) = removed.edits
    assert edit.op == "set" and edit.value["allOf"] == [{"$ref": "#/components/schemas/K"}]
    expanded = apply_expand(old, removed)
    validate_openapi(expanded)
    assert_expand_is_safe(old, expanded)
    assert removed.after_sunset_id is None  # apidiff reads no deprecation beside a $ref: no promise made


def test_edits_land_in_the_file_that_holds_the_element(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.chdir(ROOT)
    base = ROOT / "fixtures" / "openapi" / "multifile"
    shutil.copytree(base / "v1", tmp_path / "v1")
    old, new = str(base / "v1" / "openapi.yaml"), str(base / "v2" / "openapi.yaml")
    p = _plan_for(old, new)
    assert p.items and all(e.file != old for i in p.items for e in i.edits)
    for i in p.items:
        for file in {e.file for e in i.edits}:
            copy = tmp_path / "v1" / Path(file).resolve().relative_to(base / "v1")
            copy.write_text(apply_expand(copy.read_text(), i, file=file))
    report = compare(old, str(tmp_path / "v1" / "openapi.yaml"), today=TODAY)
    assert report.changes and all(c.backward.value == "safe" for c in report.changes)


def test_an_element_already_deprecated_keeps_its_sunset() -> None:
    old = _openapi({"/pets": _get({"type": "string"}, deprecated=True, **{"x-sunset": "2026-06-30"}),
                    "/cats": _get({"type": "string"})})
    new = _openapi({"/cats": _get({"type": "string"})})
    (removed,) = _plan_for(old, new).items
    assert removed.change.id == "operation-removed-before-sunset"
    assert removed.sunset_date == date(2026, 6, 30) and removed.edits == ()
    assert "already deprecated with the sunset 2026-06-30" in removed.phase("expand").steps[0]
    assert "410 Gone" in " ".join(removed.phase("contract").steps)


def test_a_new_required_parameter_is_added_optional_first() -> None:
    old = _openapi({"/pets": _get({"type": "string"})})
    new_doc = json.loads(old)
    new_doc["paths"]["/pets"]["get"]["parameters"] = [{"name": "kind", "in": "query", "required": True,
                                                       "schema": {"type": "string"}}]
    (added,) = _plan_for(old, json.dumps(new_doc, indent=2)).items
    assert added.strategy == "optional-then-required"
    expanded = json.loads(apply_expand(old, added))
    assert expanded["paths"]["/pets"]["get"]["parameters"][0]["required"] is False
    assert_expand_is_safe(old, apply_expand(old, added))


# -- the GraphQL example ---------------------------------------------------------------------------------


def graphql_plan(old: str, new: str) -> Plan:
    old_api, new_api = load(old), load(new)
    return build_plan(compare(old_api, new_api, today=TODAY), old_api, new_api, today=TODAY)


def test_graphql_plan_snippets_parse_and_the_expand_phase_is_safe() -> None:
    old_text = (ROOT / GRAPHQL[0]).read_text()
    p = graphql_plan(*(str(ROOT / f) for f in GRAPHQL))
    assert {i.change.id for i in p.items} == {"field-type-changed", "input-field-added-required"}
    price = item(p, "Book.price")
    assert price.strategy == "add-new-then-remove-old" and price.replacement == "Book.priceV2"
    code = "\n".join(s.code for s in price.phase("expand").snippets)
    assert 'price: Float @deprecated(reason: "Use `priceV2`. Removal after 2026-04-01.")' in code
    assert "priceV2: Money" in code and "type Money {" in code
    combined = old_text
    for i in p.items:
        for phase in i.phases:
            for snippet in phase.snippets:
                if snippet.language == "graphql":
                    parse(snippet.code)
        expanded = apply_expand(old_text, i)
        build_ast_schema(parse(expanded))  # a valid schema, not just valid syntax
        assert_expand_is_safe(old_text, expanded)
        combined = apply_expand(combined, i)
    assert_expand_is_safe(old_text, combined)
    assert [c.subject for c in p.completed] == ["Book.legacyCode"]
    # the contract phase: the old field goes, after the sunset, and that is no longer breaking
    expanded = apply_expand(old_text, price)
    contracted = re.sub(r"\n  price: Float @deprecated\(.*\)", "", expanded)
    later = compare(expanded, contracted, today=price.sunset_date)
    assert [(c.id, c.backward.value) for c in later.changes] == [("field-removed-after-sunset", "dangerous")]
    assert price.after_sunset_id == "field-removed-after-sunset"


def test_graphql_removals_renames_and_required_arguments() -> None:
    old = ('type Query { user(id: ID!, legacy: String!): User }\n'
           'type User {\n  "The name."\n  name: String\n  age: Int\n}\n'
           'enum Color { RED GREEN }\ntype Palette { color: Color }\n'
           'extend type Query { palette: Palette count: Int }\n')
    new = ('type Query { user(id: ID!): User }\ntype User {\n  fullName: String\n}\n'
           'enum Color { RED }\ntype Palette { color: Color }\nextend type Query { palette: Palette count: Int }\n')
    p = graphql_plan(old, new)
    by_subject = {i.change.subject: i for i in p.items}
    assert set(by_subject) == {"Query.user(legacy:)", "User.name", "User.age", "Color.GREEN"}
    rename = by_subject["User.name"]
    assert rename.strategy == "add-new-then-remove-old" and rename.replacement == "User.fullName"
    legacy = by_subject["Query.user(legacy:)"]
    assert any("nullable" in step for step in legacy.phase("expand").steps)
    combined = old
    for i in p.items:
        for snippet in i.phase("expand").snippets:
            parse(snippet.code)
        expanded = apply_expand(old, i)
        build_ast_schema(parse(expanded))
        assert_expand_is_safe(old, expanded)
        combined = apply_expand(combined, i)
    build_ast_schema(parse(combined))
    assert_expand_is_safe(old, combined)
    assert 'legacy: String @deprecated(reason: "No longer supported. Removal after 2026-04-01.")' in combined
    assert '"The name."\n  name: String @deprecated(reason: "Use `fullName`. Removal after 2026-04-01.")\n' \
           '  age: Int @deprecated' in combined
    assert "fullName: String\n}" in combined
    assert by_subject["Color.GREEN"].operations == ("Query.palette",)


# -- every rule's own example ------------------------------------------------------------------------------


def _examples() -> list[Any]:
    from apidiff.formats import all_rules

    return [pytest.param(r.example.old, r.example.new, id=r.id) for r in all_rules()]


@pytest.mark.parametrize(("old", "new"), _examples())
def test_the_expand_phase_of_every_rule_example_is_safe_and_valid(old: str, new: str) -> None:
    p = _plan_for(old, new)
    for i in p.items:
        assert [ph.name for ph in i.phases] == list(PHASES)
        if i.strategy == "staged-rollout":  # between a federated graph's subgraphs: nothing for clients to see
            assert i.headers == () and all(ph.steps for ph in i.phases)
        else:
            check_headers(i.headers)
        expanded = apply_expand(old, i)
        assert_expand_is_safe(old, expanded)
        if i.kind == "graphql":
            for snippet in i.phase("expand").snippets:
                parse(snippet.code)
            if "specs.apollo.dev/federation" in expanded:
                load(expanded)  # a subgraph: apidiff validates it with federation's definitions
            else:
                build_ast_schema(parse(expanded))
        elif _valid_openapi(old):
            validate_openapi(expanded)


def _valid_openapi(text: str) -> bool:
    try:
        validate_openapi(text)
    except Exception:
        return False
    return True


# -- output ------------------------------------------------------------------------------------------------

TOP_KEYS = {"plan_version", "old", "new", "policy", "items", "completed", "warnings"}
ITEM_KEYS = {"change", "strategy", "element", "replacement", "successor", "operations", "deprecation_date",
             "sunset_date", "headers", "after_sunset_id", "phases", "edits"}
PHASE_KEYS = {"name", "starts", "ends", "steps", "snippets", "rollback"}
SNIPPET_KEYS = {"language", "caption", "file", "target", "line", "code"}


def test_json_has_the_documented_keys() -> None:
    data = json.loads(render_json(petstore_plan()))
    assert set(data) == TOP_KEYS and data["plan_version"] == 1
    assert set(data["policy"]) == {"today", "deprecation_date", "sunset_date", "sunset_days", "docs_url"}
    for it in data["items"]:
        assert set(it) == ITEM_KEYS
        assert [ph["name"] for ph in it["phases"]] == list(PHASES)
        for ph in it["phases"]:
            assert set(ph) == PHASE_KEYS and ph["rollback"]
            for snippet in ph["snippets"]:
                assert set(snippet) == SNIPPET_KEYS and snippet["language"] in {"yaml", "json", "graphql", "http"}
        assert all(set(e) == {"file", "op", "target", "value"} for e in it["edits"])
        assert all(set(h) == {"name", "value"} for h in it["headers"])


@pytest.mark.parametrize(("name", "files", "fmt"), [("petstore", PETSTORE, "markdown"),
                                                     ("graphql", GRAPHQL, "markdown"),
                                                     ("petstore", PETSTORE, "json")])
def test_plan_snapshot(name: str, files: tuple[str, str], fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths in the output
    docs = DOCS if name == "petstore" else None
    text = plan(*files, format=fmt, today=TODAY, docs_url=docs)
    assert text == plan(*files, format=fmt, today=TODAY, docs_url=docs)  # deterministic
    path = SNAPSHOTS / f"{name}.plan.{'md' if fmt == 'markdown' else 'json'}"
    if os.environ.get("APIDIFF_UPDATE_SNAPSHOTS"):
        path.write_text(text)
    assert text == path.read_text()


def test_no_changes_no_plan() -> None:
    old = str(ROOT / PETSTORE[0])
    assert "No change needs a staged rollout." in plan(old, old, today=TODAY)
    with pytest.raises(ValueError):
        plan(old, old, format="html", today=TODAY)


def test_a_plan_names_a_few_of_many_operations_and_counts_the_rest() -> None:
    """A removal reached from 30 root fields: the text names 10 and counts the rest; the JSON lists all."""
    from apidiff.report.plan import render_markdown

    fields = "\n".join(f"  item{i}(id: ID!): Item" for i in range(30))
    old = f"type Query {{\n{fields}\n}}\ntype Item {{ id: ID!\n  code: String }}\n"
    new = old.replace("\n  code: String", "")
    old_api, new_api = load(old), load(new)
    built = build_plan(compare(old_api, new_api, today=TODAY), old_api, new_api, today=TODAY)
    (item,) = built.items
    assert item.operations == tuple(f"Query.item{i}" for i in range(30))
    assert len(json.loads(render_json(built))["items"][0]["operations"]) == 30
    text = render_markdown(built)
    assert "Affected (30): `Query.item0`, `Query.item1`," in text
    assert text.count(", … 20 more") == 2  # the item's facts and the migrate step
    assert "the 30 root fields that can reach `Item.code`" in text
    assert text.count("Query.item2") < 10  # not all of them, in every phase

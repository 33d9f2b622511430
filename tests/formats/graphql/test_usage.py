"""GraphQL operations as usage: reading, what a comparison touches, validation, and errors."""

from __future__ import annotations

import random

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    find_breaking_changes,
    find_dangerous_changes,
    get_named_type,
    is_required_argument,
    is_required_input_field,
    parse,
    validate,
)
from graphql import build_schema as core_build_schema
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from apidiff import compare, load
from apidiff.core.change import Change, Severity
from apidiff.core.direction import Direction
from apidiff.core.errors import UsageError
from apidiff.core.sources import Text, read_text
from apidiff.core.usage import Impact
from apidiff.formats.graphql import usage as reader
from apidiff.formats.graphql._schema import _EXTRA_DIRECTIVES, build_schema
from apidiff.usage import UsageFile, default_consumer, detect
from tests.conftest import FIXTURES, TODAY
from tests.strategies import GSchema, graphql_pairs, render_sdl

FIXTURE = FIXTURES / "usage" / "graphql"
CLIENTS = FIXTURE / "clients"


def fixture_files() -> list[UsageFile]:
    """The fixture's client files, as ``--usage clients`` would read them (names relative to the fixture)."""
    files = []
    for path in sorted(CLIENTS.rglob("*")):
        if path.is_file():
            text = read_text(path, display=path.relative_to(FIXTURE).as_posix())
            files.append(UsageFile(text, detect(text), default_consumer(path, CLIENTS)))
    return files


def assess_fixture() -> tuple[reader.GraphQLUsage, list[Impact]]:
    usage = reader.read(fixture_files())
    old, new = load(FIXTURE / "old.graphql"), load(FIXTURE / "new.graphql")
    report = compare(old, new, today=TODAY)
    return usage, usage.assess(report.changes, old, new)


def ufile(name: str, text: str, consumer: str = "web") -> UsageFile:
    t = Text(name, text)
    return UsageFile(t, detect(t), consumer)


def impacts_of(old_sdl: str, new_sdl: str, *documents: str) -> dict[str, list[str]]:
    """{operation: [change ids]} for the operations of ``documents`` (one file each) that are affected."""
    old, new = load(old_sdl), load(new_sdl)
    changes = compare(old, new, today=TODAY).changes
    usage = reader.read([ufile(f"op{i}.graphql", d) for i, d in enumerate(documents)])
    return {i.usage.operation: [c.id for c in i.changes] for i in usage.assess(changes, old, new)}


# -- the fixture: three consumers, .graphql files, a persisted-query map and a manifest ---------------

USAGES = [  # (consumer, operation, file, line), in the order read
    ("billing", "OpenOrders", "clients/billing/billing.graphql", 1),
    ("billing", "InvoiceTotals", "clients/billing/billing.graphql", 8),
    ("billing", "Pay", "clients/billing/billing.graphql", 14),
    ("billing", "PayByCard", "clients/billing/billing.graphql", 21),
    ("billing", "BillingBook", "clients/billing/manifest.json", 6),
    ("billing", "BillingPing", "clients/billing/manifest.json", 12),
    ("billing", "PlaceOrderCheap", "clients/billing/manifest.json", 18),
    ("partners", "PartnerSearch", "clients/billing/search.graphql", 4),
    ("ios", "TopBooks", "clients/ios/persisted-queries.json", 2),
    ("ios", "d4e5f6", "clients/ios/persisted-queries.json", 3),
    ("ios", "Ping", "clients/ios/persisted-queries.json", 4),
    ("ios", "Reviews", "clients/ios/queries.graphql", 1),
    ("ios", "LegacyBook", "clients/ios/queries.graphql", 11),
    ("ios", "Orders", "clients/ios/queries.graphql", 18),
    ("ios", "PendingOrders", "clients/ios/queries.graphql", 24),
    ("ios", "Shelf", "clients/ios/queries.graphql", 31),
    ("ios", "ShelfById", "clients/ios/queries.graphql", 37),
    ("web", "BookPage", "clients/web/catalog.graphql", 3),
    ("web", "AuthorList", "clients/web/catalog.graphql", 12),
    ("web", "Search", "clients/web/catalog.graphql", 23),
    ("web", "Featured", "clients/web/catalog.graphql", 36),
    ("web", "PlaceOrder", "clients/web/checkout.graphql", 1),
    ("web", "Invoice", "clients/web/checkout.graphql", 8),
    ("web", "Stale", "clients/web/stale.graphql", 2),
]

AFFECTED = {  # (consumer, operation): (severity, [(change id, subject)], errors)
    ("billing", "OpenOrders"): ("breaking", [("enum-value-removed-without-deprecation", "OrderStatus.LOST")], []),
    ("billing", "Pay"): ("dangerous", [("argument-default-changed", "Mutation.payInvoice(method:)")], []),
    ("billing", "BillingBook"): ("breaking", [("field-type-changed", "Book.price")], [
        "9:97 Field 'price' of type 'Money' must have a selection of subfields. Did you mean 'price { ... }'?"]),
    ("billing", "PlaceOrderCheap"): ("breaking", [("input-field-added-required", "OrderInput.giftWrap")], [
        "21:62 Expected value of type 'OrderInput' to include required field 'giftWrap', "
        "found: { bookId: \"b1\", quantity: 1 }."]),
    ("partners", "PartnerSearch"): ("breaking", [("union-member-removed", "SearchResult member Magazine")], [
        "6:5 Fragment cannot be spread here as objects of type 'SearchResult' can never be of type 'Magazine'."]),
    ("ios", "TopBooks"): ("dangerous", [("enum-value-added", "Genre.POETRY")], []),
    ("ios", "d4e5f6"): ("breaking", [("field-removed-without-deprecation", "Author.nickname")], [
        "3:40 Cannot query field 'nickname' on type 'Author'. Did you mean 'name'?"]),
    ("ios", "Reviews"): ("breaking", [("argument-added-required", "Book.reviews(sort:)")], [
        "4:5 Argument 'Book.reviews(sort:)' of type 'ReviewSort!' is required, but it was not provided."]),
    ("ios", "LegacyBook"): ("breaking", [("field-removed", "Book.legacyCode")], [
        "14:5 Cannot query field 'legacyCode' on type 'Book'."]),
    ("ios", "Orders"): ("breaking", [("enum-value-removed-without-deprecation", "OrderStatus.LOST")], [
        "19:18 Value 'LOST' does not exist in 'OrderStatus' enum."]),
    ("ios", "Shelf"): ("breaking", [("argument-became-non-nullable", "Query.shelf(id:)")], [
        "32:3 Argument 'Query.shelf(id:)' of type 'ID!' is required, but it was not provided."]),
    ("ios", "ShelfById"): ("breaking", [("argument-became-non-nullable", "Query.shelf(id:)")], [
        "37:17 Variable '$id' of type 'ID' used in position expecting type 'ID!'."]),
    ("web", "BookPage"): ("breaking", [("field-type-changed", "Book.price"), ("enum-value-added", "Genre.POETRY")], [
        "clients/web/fragments.graphql:6:3 Field 'price' of type 'Money' must have a selection of subfields. "
        "Did you mean 'price { ... }'?"]),
    ("web", "Featured"): ("breaking", [("directive-location-removed", "@cacheControl location QUERY")], [
        "36:16 Directive '@cacheControl' may not be used on query."]),
    ("web", "PlaceOrder"): ("breaking", [("input-field-added-required", "OrderInput.giftWrap")], []),
}

UNAFFECTED = {("billing", "InvoiceTotals"), ("billing", "PayByCard"), ("billing", "BillingPing"), ("ios", "Ping"),
              ("ios", "PendingOrders"), ("web", "AuthorList"), ("web", "Search"), ("web", "Invoice"),
              ("web", "Stale")}  # Stale was already invalid: a note, not an impact

NOTES = ["clients/web/stale.graphql:2: web operation Stale was already invalid against the old schema (not caused "
         "by this change): 5:5 Cannot query field 'coverUrl' on type 'Book'."]


def test_fixture_usages_are_read_in_a_stable_order_with_consumer_file_and_line() -> None:
    usage = reader.read(fixture_files())
    assert [(u.consumer, u.operation, u.file, u.line) for u in usage.usages] == USAGES
    assert {u.kind for u in usage.usages} == {"graphql"}
    assert reader.read(fixture_files()).usages == usage.usages


def test_fixture_reports_exactly_the_affected_operations_with_their_changes_and_errors() -> None:
    _, impacts = assess_fixture()
    actual = {(i.usage.consumer, i.usage.operation): (i.severity.value, [(c.id, c.subject) for c in i.changes],
                                                      list(i.errors)) for i in impacts}
    assert actual == AFFECTED


def test_fixture_unaffected_operations_are_not_reported() -> None:
    usage, impacts = assess_fixture()
    reported = {(i.usage.consumer, i.usage.operation) for i in impacts}
    everything = {(u.consumer, u.operation) for u in usage.usages}
    assert reported.isdisjoint(UNAFFECTED)
    assert everything == reported | UNAFFECTED
    assert [i.usage for i in impacts] == [u for u in usage.usages if (u.consumer, u.operation) in reported]


def test_fixture_stale_operation_is_a_note() -> None:
    usage, _ = assess_fixture()
    assert usage.notes == NOTES


def test_fixture_impact_json() -> None:
    _, impacts = assess_fixture()
    page = next(i for i in impacts if i.usage.operation == "BookPage").to_dict()
    assert page == {
        "consumer": "web", "kind": "graphql", "operation": "BookPage", "file": "clients/web/catalog.graphql",
        "line": 3, "severity": "breaking", "changes": ["enum-value-added", "field-type-changed"],
        "details": [{"id": "field-type-changed", "subject": "Book.price", "severity": "breaking"},
                    {"id": "enum-value-added", "subject": "Genre.POETRY", "severity": "dangerous"}],
        "errors": ["clients/web/fragments.graphql:6:3 Field 'price' of type 'Money' must have a selection of "
                   "subfields. Did you mean 'price { ... }'?"],
    }


def test_fixture_through_load_usage() -> None:
    pytest.importorskip("apidiff.formats.openapi.usage")
    from apidiff.usage import load_usage

    usage = load_usage([CLIENTS])
    old, new = load(FIXTURE / "old.graphql"), load(FIXTURE / "new.graphql")
    report = usage.assess(compare(old, new, today=TODAY).changes, old, new)
    assert report.usages == len(USAGES)
    assert {(i.usage.consumer, i.usage.operation) for i in report.impacts} == set(AFFECTED)
    assert report.to_dict()["consumers"] == {"billing": {"usages": 7, "affected": 4},
                                             "ios": {"usages": 9, "affected": 7},
                                             "partners": {"usages": 1, "affected": 1},
                                             "web": {"usages": 7, "affected": 3}}
    assert list(report.notes) == [f"{FIXTURE}/{note}" for note in NOTES]  # files named as given


# -- reading ----------------------------------------------------------------------------------------

def test_consumer_comment_overrides_the_folder_and_scopes_fragments() -> None:
    frag = ufile("web/f.graphql", "# consumer: shop\nfragment F on Query { a }")
    op = ufile("web/q.graphql", "query Q { ...F }")
    usage = reader.read([frag, op])
    assert [(u.consumer, u.operation) for u in usage.usages] == [("web", "Q")]
    # the fragment belongs to "shop": the web operation does not find it
    old = load("type Query { a: Int }")
    assert usage.assess([], old, old) == []
    assert usage.notes == ["web/q.graphql:1: web operation Q was already invalid against the old schema (not caused "
                           "by this change): 1:14 Unknown fragment 'F'."]
    # an operation moved to "shop" by its comment still finds the fragments of its folder ("web")
    usage = reader.read([ufile("web/f.graphql", "fragment F on Query { a }"),
                         ufile("web/q.graphql", "# consumer: shop\nquery Q { ...F }")])
    assert [u.consumer for u in usage.usages] == ["shop"]
    assert usage.assess([], old, old) == []


def test_fragments_are_shared_within_a_consumer_and_resolved_transitively() -> None:
    old = load("type Query { a: Int b: Int c: Int }")
    new = load("type Query { a: Int b: Int }")
    changes = compare(old, new, today=TODAY).changes
    files = [ufile("web/a.graphql", "fragment A on Query { a ...B }"),
             ufile("web/b.graphql", "fragment B on Query { b ...C }\nfragment C on Query { c }"),
             ufile("web/q.graphql", "query Q { ...A }\nquery R { a }"),
             ufile("ios/c.graphql", "fragment C on Query { a }", consumer="ios"),
             ufile("ios/q.graphql", "query S { ...C }", consumer="ios")]
    impacts = reader.read(files).assess(changes, old, new)
    assert [(i.usage.operation, [c.id for c in i.changes]) for i in impacts] == [
        ("Q", ["field-removed-without-deprecation"])]
    assert impacts[0].errors == ("web/b.graphql:2:23 Cannot query field 'c' on type 'Query'. Did you mean 'a' or 'b'?",)


def test_files_with_only_fragments_comments_or_schema_definitions_give_no_usage() -> None:
    usage = reader.read([ufile("a.graphql", "fragment F on Query { a }"), ufile("b.graphql", "# nothing\n\n"),
                         ufile("c.graphql", ""), ufile("schema.graphql", "type Query { a: Int } scalar S"),
                         ufile("d.graphql", "# #" * 20000 + "\n,\n")])
    assert usage.usages == []
    assert usage.notes == ["schema.graphql: 2 type-system definitions skipped (usage files hold operations and "
                           "fragments)"]
    assert usage.assess([], load("type Query { a: Int }"), load("type Query { a: Int }")) == []
    assert len(usage.notes) == 1


def test_anonymous_operations_and_persisted_names() -> None:
    usage = reader.read([
        ufile("q.graphql", "{ a }"),
        ufile("p.json", '{"h1": "{ a }", "h2": "query Named { a }"}'),
        ufile("m.json", '{"operations": [{"id": "x1", "name": "FromManifest", "body": "query Other { a }"},'
                        ' {"id": "x2", "signature": "{ a }"}, {"name": "NoId", "text": "{ a }"},'
                        ' {"document": "{ a }"}]}'),
    ])
    assert [(u.operation, u.line) for u in usage.usages] == [
        ("(anonymous)", 1), ("h1", 1), ("Named", 1), ("FromManifest", 1), ("x2", 1), ("NoId", 1),
        ("(anonymous)", 0)]


def test_persisted_lines_are_those_of_the_keys() -> None:
    text = '{\n  "q1": "query A { a }",\n\n  "q2":\n    "query B { a }",\n  "caf\\u00e9": "{ a }"\n}\n'
    usage = reader.read([ufile("p.json", text)])
    assert [(u.operation, u.line) for u in usage.usages] == [("A", 2), ("B", 4), ("café", 6)]


# -- errors: one line, with file and line -------------------------------------------------------------

def one_line_error(files: list[UsageFile]) -> str:
    with pytest.raises(UsageError) as caught:
        reader.read(files)
    text = str(caught.value)
    assert "\n" not in text
    return text


def test_syntax_error_names_file_line_and_column() -> None:
    assert one_line_error([ufile("web/q.graphql", "query A {\n  a\n  b(\n}\n")]) == \
        "web/q.graphql:4:1: GraphQL syntax error: Expected Name, found '}'."


def test_duplicate_fragment_within_a_consumer_names_both_places() -> None:
    files = [ufile("web/a.graphql", "fragment F on Query { a }"),
             ufile("web/b.graphql", "query Q { a }\n\nfragment F on Query { b }")]
    assert one_line_error(files) == \
        "web/b.graphql:3: fragment F is defined twice for consumer web (first at web/a.graphql:1)"
    # the same name for two consumers is fine
    files[1] = ufile("ios/b.graphql", "query Q { a }\n\nfragment F on Query { b }", consumer="ios")
    assert len(reader.read(files).usages) == 1


def test_bad_json_names_file_line_and_column() -> None:
    files = [UsageFile(Text("p.json", '{\n  "a": "{ a }",\n  "b" "{ a }"\n}'), "persisted", "web")]
    assert one_line_error(files) == "p.json:3:7: not valid JSON: Expecting ':' delimiter"


def test_persisted_query_syntax_error_names_the_entry() -> None:
    text = '{\n  "ok": "{ a }",\n  "bad": "query {\\n  a(\\n}"\n}'
    assert one_line_error([ufile("p.json", text)]) == \
        "p.json:3: persisted query bad: GraphQL syntax error: Expected Name, found '}'. (line 3, column 1 of the query)"


def test_malformed_manifest_entries() -> None:
    text = '{"operations": [\n  {"id": "a", "body": "{ a }"},\n  {"id": "b", "name": "B"}\n]}'
    assert one_line_error([ufile("m.json", text)]) == \
        "m.json:3: operation b of the manifest has no query text (one of body, query, document, text, signature)"
    bad = UsageFile(Text("m.json", '{"operations": {}}'), "manifest", "web")
    assert one_line_error([bad]) == "m.json: an operation manifest must have an \"operations\" list"
    bad = UsageFile(Text("p.json", '{"a": 1}'), "persisted", "web")
    assert one_line_error([bad]).startswith("p.json: a persisted-query map must be a JSON object")


# -- validation -------------------------------------------------------------------------------------------

def test_only_errors_caused_by_the_change_are_blamed_on_it() -> None:
    old = "type Query { a: Int b: Int }"
    new = "type Query { a: Int }"
    old_api, new_api = load(old), load(new)
    changes = compare(old_api, new_api, today=TODAY).changes
    usage = reader.read([ufile("q.graphql", "query Q {\n  a\n  b\n  zzz\n}\n\nquery R { a }")])
    impacts = usage.assess(changes, old_api, new_api)
    assert len(impacts) == 1
    assert impacts[0].errors == ("3:3 Cannot query field 'b' on type 'Query'. Did you mean 'a'?",)
    assert [c.id for c in impacts[0].changes] == ["field-removed-without-deprecation"]
    assert usage.notes == ["q.graphql:1: web operation Q was already invalid against the old schema (not caused by "
                           "this change): 4:3 Cannot query field 'zzz' on type 'Query'."]
    # the notes are those of the last assessment
    usage.assess([], old_api, old_api)
    assert len(usage.notes) == 1


def test_errors_in_persisted_queries_are_positioned_in_the_json_file() -> None:
    old, new = load("type Query { a(x: String): Int b: Int }"), load("type Query { a(x: String): Int }")
    changes = compare(old, new, today=TODAY).changes
    # through the escapes (newline, quote, é, a surrogate pair) to the character in the file
    text = '{\n  "k": "query K {\\n  a(x: \\"\\u00e9\\ud83d\\ude00\\")\\n  b\\n}"\n}'
    impacts = reader.read([ufile("p.json", text)]).assess(changes, old, new)
    assert impacts[0].errors == ("2:54 Cannot query field 'b' on type 'Query'. Did you mean 'a'?",)
    assert text.splitlines()[1][54 - 1] == "b"
    # a query not written as json.dumps or JSON.stringify write it: positions in the query text, marked
    text = '{"k": "query K {\\n  a\\n  \\u0062\\n}"}'
    impacts = reader.read([ufile("p.json", text)]).assess(changes, old, new)
    assert impacts[0].errors == ("query 3:3 Cannot query field 'b' on type 'Query'. Did you mean 'a'?",)


def test_a_query_text_written_many_times_is_reported_at_each_place() -> None:
    # parsed and validated once (a fuzzed map of 10,000 copies took 41 s), but each entry is its own usage,
    # with its own line and its errors positioned where that copy is written
    old, new = load("type Query { a: Int b: Int }"), load("type Query { a: Int }")
    changes = compare(old, new, today=TODAY).changes
    body = "query K { a b }"
    text = "{\n" + ",\n".join(f'  "k{i}": "{body}"' for i in range(3)) + ',\n  "other":\n    "{ a }"\n}'
    usage = reader.read([ufile("p.json", text)])
    assert [(u.operation, u.line) for u in usage.usages] == [("K", 2), ("K", 3), ("K", 4), ("other", 5)]
    impacts = usage.assess(changes, old, new)
    assert [(i.usage.line, i.errors) for i in impacts] == [
        (line, (f"{line}:22 Cannot query field 'b' on type 'Query'. Did you mean 'a'?",)) for line in (2, 3, 4)]
    assert all(row[22 - 1] == "b" for row in text.splitlines()[1:4])
    # the same text in a manifest: stale errors stay notes for every copy
    stale = load("type Query { a: Int }")
    manifest = '{"operations": [{"id": "x", "body": "{ a zzz }"}, {"id": "y", "body": "{ a zzz }"}]}'
    usage = reader.read([ufile("m.json", manifest)])
    assert usage.assess(compare(stale, stale, today=TODAY).changes, stale, stale) == []
    assert len(usage.notes) == 2 and all("already invalid" in n for n in usage.notes)


# -- what an operation touches (see the table in apidiff.formats.graphql.usage) ----------------------------------

def test_added_fields_and_removed_fields_not_selected_touch_nothing() -> None:
    old = "type Query { a: Int b: Int t: T } type T { x: Int y: Int }"
    new = "type Query { a: Int c: Int t: T } type T { x: Int z: Int }"
    assert impacts_of(old, new, "query A { a t { x } }", "query B { b }") == {
        "B": ["field-removed-without-deprecation"]}


def test_fields_selected_through_an_interface_use_the_interface_coordinate() -> None:
    old = "interface N { id: ID name: String } type A implements N { id: ID name: String } type Query { n: N }"
    new = "interface N { id: ID } type A implements N { id: ID name: String } type Query { n: N }"
    assert impacts_of(old, new, "query I { n { name } }", "query C { n { ... on A { name } } }") == {
        "I": ["field-removed-without-deprecation"]}


def test_arguments_omitted_matter_only_when_they_become_required() -> None:
    old = "type Query { f(a: Int, b: Int): Int g(a: Int): Int }"
    new = "type Query { f(a: Int!, b: Int, c: Int, d: Int!): Int g(a: Int!): Int }"
    result = impacts_of(old, new, "query Omits { f }", "query PassesA { f(a: 1) }", "query PassesB { f(b: 1) }",
                        "query Other { g(a: 1) }")
    assert result == {  # the optional c added touches no one; a passed is matched by its coordinate
        "Omits": ["argument-became-non-nullable", "argument-added-required"],
        "PassesA": ["argument-became-non-nullable", "argument-added-required"],
        "PassesB": ["argument-became-non-nullable", "argument-added-required"],
        "Other": ["argument-became-non-nullable"],
    }


def test_default_changes_touch_operations_that_omit_the_value_or_pass_a_variable() -> None:
    old = "type Query { f(a: Int = 1): Int } input In { x: Int = 1 y: Int } type Mutation { m(i: In): Int }"
    new = "type Query { f(a: Int = 2): Int } input In { x: Int = 2 y: Int } type Mutation { m(i: In): Int }"
    result = impacts_of(old, new, "query Omits { f }", "query Var($a: Int) { f(a: $a) }", "query Lit { f(a: 5) }",
                        "mutation LitObj { m(i: {y: 1}) }", "mutation LitGiven { m(i: {x: 3}) }",
                        "mutation VarObj($i: In) { m(i: $i) }")
    assert result == {"Omits": ["argument-default-changed"], "Var": ["argument-default-changed"],
                      "LitObj": ["input-field-default-changed"], "VarObj": ["input-field-default-changed"]}


def test_input_fields_reachable_from_variables_and_used_in_literals() -> None:
    old = "input In { a: Int b: Inner } input Inner { c: Int d: Int } type Query { q(i: In): Int r(i: Inner): Int }"
    new = "input In { a: Int b: Inner n: Int! } input Inner { c: Int } type Query { q(i: In): Int r(i: Inner): Int }"
    result = impacts_of(old, new, "query Var($i: In) { q(i: $i) }", "query Lit { q(i: {a: 1}) }",
                        "query LitD { r(i: {d: 1}) }", "query LitC { r(i: {c: 1}) }")
    assert result == {"Var": ["input-field-added-required", "input-field-removed-without-deprecation"],
                      "Lit": ["input-field-added-required"], "LitD": ["input-field-removed-without-deprecation"]}


def test_enum_values_added_touch_readers_removed_touch_readers_senders_and_literals() -> None:
    old = "enum E { A B C } type Query { out: E in(e: E): Int both(e: [E]): E }"
    new = "enum E { A B D } type Query { out: E in(e: E): Int both(e: [E]): E }"
    result = impacts_of(old, new, "query Reads { out }", "query SendsA { in(e: A) }",
                        "query SendsC { in(e: C) }", "query SendsList { in2: both(e: [A, C]) }",
                        "query SendsVar($e: E) { in(e: $e) }")
    assert result == {"Reads": ["enum-value-removed-without-deprecation", "enum-value-added"],
                      "SendsC": ["enum-value-removed-without-deprecation"],
                      "SendsList": ["enum-value-removed-without-deprecation", "enum-value-added"],
                      "SendsVar": ["enum-value-removed-without-deprecation"]}


def test_union_members() -> None:
    sdl = "type A {{ a: Int }} type B {{ b: Int }} type C {{ c: Int }} union U = {members} type Query {{ u: U }}"
    result = impacts_of(sdl.format(members="A | B"), sdl.format(members="A | C"),
                        "query Typename { u { __typename } }", "query OnA { u { ... on A { a } } }",
                        "query OnB { u { ... on B { b } } }")
    assert result == {"Typename": ["union-member-added"], "OnA": ["union-member-added"],
                      "OnB": ["union-member-removed", "union-member-added"]}


def test_interfaces_added_and_removed() -> None:
    sdl = ("interface N {{ id: ID }} interface M {{ id: ID }} type A implements {ifaces} {{ id: ID a: Int }} "
           "type B implements N {{ id: ID }} type Query {{ n: N a: A b: B }}")
    result = impacts_of(sdl.format(ifaces="N"), sdl.format(ifaces="M"),
                        "query Plain { n { id } }", "query OnA { n { ... on A { a } } }",
                        "query AsN { a { ... on N { id } } }", "query OtherType { b { id } }",
                        "query ReadsA { a { id } }")
    assert result == {"OnA": ["interface-removed"], "AsN": ["interface-removed"]}
    result = impacts_of(sdl.format(ifaces="N"), sdl.format(ifaces="N & M"),
                        "query Plain { n { id } }", "query ReadsA { a { id } }")
    assert result == {}  # M is not selected anywhere yet


def test_interface_added_touches_operations_reading_the_interface() -> None:
    sdl = ("interface N {{ id: ID }} type A {impl}{{ id: ID }} type B implements N {{ id: ID }} "
           "type Query {{ n: N a: A }}")
    result = impacts_of(sdl.format(impl=""), sdl.format(impl="implements N "), "query Reads { n { id } }",
                        "query ReadsA { a { id } }")
    assert result == {"Reads": ["interface-added"]}


def test_directives_used_by_operations() -> None:
    old = ("directive @d(x: Int) on FIELD | QUERY directive @gone on FIELD directive @e on FIELD "
           "type Query { a: Int b: Int }")
    new = "directive @d(x: Int, y: Int!) on FIELD directive @e on FIELD type Query { a: Int b: Int }"
    result = impacts_of(old, new, "query OnField { a @d(x: 1) }", "query OnQuery @d(y: 1) { a }",
                        "query Gone { a @gone }", "query E { b @e }")
    assert result == {"OnField": ["directive-argument-added-required"],
                      "OnQuery": ["directive-location-removed", "directive-argument-added-required"],
                      "Gone": ["directive-removed"]}


def test_applied_directive_changes_touch_operations_that_use_the_element() -> None:
    old = "directive @cost(w: Int) on FIELD_DEFINITION type Query { a: Int @cost(w: 1) b: Int }"
    new = "directive @cost(w: Int) on FIELD_DEFINITION type Query { a: Int @cost(w: 5) b: Int }"
    assert impacts_of(old, new, "query A { a }", "query B { b }") == {"A": ["directive-usage-changed"]}


def test_types_named_by_an_operation() -> None:
    old = "type T { x: Int } type S { y: Int } input I { z: Int } type Query { t: T s: S q(i: I): Int }"
    new = "interface T { x: Int } type S { y: Int } input I @oneOf { z: Int } type Query { t: T s: S q(i: I): Int }"
    assert impacts_of(old, new, "query T { t { x } }", "query S { s { y } }", "query Q($i: I) { q(i: $i) }") == {
        "T": ["type-kind-changed"], "Q": ["input-type-became-one-of"]}


def test_root_removed_touches_operations_of_that_kind() -> None:
    old = "type Query { a: Int } type Mutation { m: Int }"
    new = "type Query { a: Int }"
    result = impacts_of(old, new, "query Q { a }", "mutation M { m }")
    assert result == {"M": ["type-removed", "schema-root-removed"]}


def test_changes_of_unknown_rules_match_their_subject_exactly() -> None:
    api = load("type Query { a: Int b: Int }")
    change = Change(id="team-rule", severity=Severity.DANGEROUS, backward=Severity.DANGEROUS,
                    forward=Severity.SAFE, direction=Direction.OUTPUT, subject="Query.a", message="m",
                    old_location=None, new_location=None)
    usage = reader.read([ufile("q.graphql", "query A { a } query B { b }")])
    assert [(i.usage.operation, i.changes) for i in usage.assess([change], api, api)] == [("A", (change,))]


def test_safe_changes_alone_report_nothing() -> None:
    old = "type Query { a: Int }"
    new = 'type Query { "Now documented." a: Int @deprecated(reason: "Use b.") b: Int }'
    assert impacts_of(old, new, "query A { a }") == {}


# -- the graphql-core schema built from the graph ----------------------------------------------------

SCHEMA = '''
schema { query: Q mutation: M }
directive @tag(name: String!, weight: Int = 1) repeatable on FIELD | FIELD_DEFINITION | OBJECT
directive @flag on QUERY
scalar Date @specifiedBy(url: "https://example.com/date")
interface Node { id: ID! }
interface Named implements Node { id: ID! name(upper: Boolean = false): String }
type Person implements Named & Node @tag(name: "p") { id: ID! name(upper: Boolean = false): String born: Date
  friends(first: Int = 10, order: Order = {by: NAME, desc: true}): [Person!]! }
type Robot implements Node { id: ID! model: String @deprecated(reason: "gone") }
union Thing = Person | Robot
enum Field { NAME AGE @deprecated }
input Order { by: Field! = NAME desc: Boolean }
input Pick @oneOf { id: ID name: String }
type Q { node(id: ID!): Node things(pick: Pick, ids: [ID!]! = []): [Thing] person: Person }
type M { rename(id: ID!, name: String!): Person }
'''


@pytest.mark.parametrize("sdl", [SCHEMA, (FIXTURE / "old.graphql").read_text(), (FIXTURE / "new.graphql").read_text()],
                         ids=["kitchen-sink", "fixture-old", "fixture-new"])
def test_built_schema_agrees_with_graphql_core(sdl: str) -> None:
    ours, theirs = build_schema(load(sdl)), core_build_schema(sdl)
    extra = {f"Directive @{d.name} was removed." for d in _EXTRA_DIRECTIVES}  # @defer, @stream (graphql-core 3.3)
    assert {c.description for c in find_breaking_changes(ours, theirs)} == extra
    assert find_breaking_changes(theirs, ours) == []
    assert find_dangerous_changes(ours, theirs) == find_dangerous_changes(theirs, ours) == []
    assert set(ours.type_map) == set(theirs.type_map)
    assert ours.query_type is not None and ours.query_type.name == theirs.query_type.name  # type: ignore[union-attr]


def test_undefined_types_become_scalars_and_invalid_schemas_still_validate_operations() -> None:
    # an undefined type is an error, except federation machinery (_Any), which real subgraphs leave undefined
    api = load("type Query { a: _Any b: B } type B implements I { x: Int } interface I { y: Int }")
    usage = reader.read([ufile("q.graphql", "query Q { a b { x } }")])
    assert usage.assess([], api, api) == []


# -- property: an operation that stops validating is touched by a breaking or dangerous change ---------

SCALARS = {"Int": "1", "Float": "1.5", "String": '"s"', "Boolean": "true", "ID": '"1"'}


class _Operations:
    """Operations that select every field (aliased per type, so that nothing conflicts), every possible
    type of abstract types, and pass arguments as literals, as variables or not at all."""

    def __init__(self, schema: GraphQLSchema, rng: random.Random) -> None:
        self.schema = schema
        self.rng = rng
        self.variables: dict[str, str] = {}

    def all(self) -> list[str]:
        out = []
        for kind, root in (("query", self.schema.query_type), ("mutation", self.schema.mutation_type)):
            for name, f in (root.fields if root is not None else {}).items():
                self.variables = {}
                body = self.field(name, name, f, 0)
                header = f"({', '.join(f'${v}: {t}' for v, t in self.variables.items())})" if self.variables else ""
                out.append(f"{kind} Op{len(out)}{header} {{ {body} }}")
        return out

    def field(self, alias: str, name: str, f: GraphQLField, depth: int) -> str:
        args = []
        for arg_name, arg in f.args.items():
            choice = self.rng.random()
            if choice < 0.3 and not is_required_argument(arg):
                continue
            if choice < 0.6:
                var = f"v{len(self.variables)}"
                self.variables[var] = str(arg.type)
                args.append(f"{arg_name}: ${var}")
            else:
                args.append(f"{arg_name}: {self.literal(arg.type, 0)}")
        text = f"{alias}: {name}" + (f"({', '.join(args)})" if args else "")
        named = get_named_type(f.type)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            text += " " + self.selection(named, depth + 1)
        return text

    def selection(self, t: GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType, depth: int) -> str:
        parts = ["__typename"]
        if depth > 3:
            return "{ __typename }"
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            names = list(t.fields)
            if depth > 1:
                names = self.rng.sample(names, k=min(3, len(names)))
            parts += [self.field(f"{t.name}_{n}", n, t.fields[n], depth) for n in names]
        if isinstance(t, GraphQLInterfaceType | GraphQLUnionType):
            parts += [f"... on {p.name} {self.selection(p, depth + 1)}" for p in self.schema.get_possible_types(t)]
        return "{ " + " ".join(parts) + " }"

    def literal(self, t: object, depth: int) -> str:
        if isinstance(t, GraphQLNonNull):
            return self.literal(t.of_type, depth)
        if isinstance(t, GraphQLList):
            return f"[{self.literal(t.of_type, depth)}]"
        if isinstance(t, GraphQLEnumType):
            return self.rng.choice(list(t.values))
        if isinstance(t, GraphQLInputObjectType):
            if depth > 3:
                return "null"
            fields = [f"{n}: {self.literal(f.type, depth + 1)}" for n, f in t.fields.items()
                      if is_required_input_field(f) or self.rng.random() < 0.5]
            return "{" + ", ".join(fields) + "}"
        return SCALARS.get(getattr(t, "name", ""), '"x"')


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(graphql_pairs(), st.randoms(use_true_random=False))
def test_every_operation_that_stops_validating_is_touched_by_a_change(
        pair: tuple[GSchema, GSchema, list[str]], rng: random.Random) -> None:
    old_schema, new_schema, edits = pair
    old_sdl, new_sdl = render_sdl(old_schema), render_sdl(new_schema)
    note(f"edits: {edits}")
    core = core_build_schema(old_sdl)
    operations = [op for op in _Operations(core, rng).all() if not validate(core, parse(op))]
    assume(operations)
    old, new = load(old_sdl), load(new_sdl)
    usage = reader.read([ufile(f"op{i}.graphql", op) for i, op in enumerate(operations)])
    impacts = usage.assess(compare(old, new, today=TODAY).changes, old, new)
    assert usage.notes == []  # every operation was valid against the old schema
    for impact in impacts:
        note(f"{operations[int(impact.usage.file[2:-8])]}: {impact.errors}")
        assert impact.changes or not impact.errors

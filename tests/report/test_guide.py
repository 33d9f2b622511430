"""The consumer migration guide: which places each change reaches, what the examples show, and snapshots.

The key properties: every breaking or dangerous change is listed once (an entry per direction it is
used in), with the operations (or root fields) it touches and no others, counted, and one example;
the guide grows with the changes, not with changes × places; safe changes are not listed; HTTP
examples are valid against the schemas of the document they claim to come from; GraphQL examples
validate with graphql-core, the "before" one against the old schema and the "after" one against
the new schema.

Rewrite the snapshots after a deliberate change with ``APIDIFF_UPDATE_SNAPSHOTS=1`` and review them.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
import pytest
import yaml
from graphql import build_schema, parse, validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from apidiff import compare, load, load_usage
from apidiff.api import build_guide, guide
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.guide import Entry, Guide, Section, Snippet
from apidiff.core.location import Location
from apidiff.core.result import SourceInfo
from apidiff.formats.graphql.model import GraphQLApi
from apidiff.formats.graphql.samples import GraphQLSampler
from apidiff.formats.openapi.model import Bound, Schema, path_key
from apidiff.formats.openapi.samples import CUT, sample_value
from apidiff.report.guide import render_html, render_markdown
from tests.conftest import ROOT, TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots"
PETSTORE = ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml")
GRAPHQL = ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql")
LOC = Location("x.yaml", 1, 1)

# The places each breaking or dangerous change of the examples reaches, and no others.
PETSTORE_PLACES = {
    ("maximum-decreased", "GET /pets query parameter limit"): ["GET /pets"],
    ("became-nullable", "Pet.tag"): ["GET /pets", "POST /pets", "GET /pets/{id}"],
    ("max-length-increased", "Pet.name"): ["GET /pets", "POST /pets", "GET /pets/{id}"],
    ("property-removed-without-deprecation", "Pet.owner"): ["GET /pets", "POST /pets", "GET /pets/{id}"],
    # Status is sent (GET /pets?status=) and read (in Pet): a new value only matters where it is read
    ("schema-enum-value-added", "Status"): ["GET /pets", "POST /pets", "GET /pets/{id}"],
    ("property-added-required", "NewPet.species"): ["POST /pets"],
    ("operation-removed-after-sunset", "DELETE /pets/{petId}"): ["DELETE /pets/{petId}"],
}
EVERY_BOOK = ["Query.book", "Query.books", "Query.author", "Mutation.addBook"]
GRAPHQL_PLACES = {
    ("field-type-changed", "Book.price"): EVERY_BOOK,
    ("field-removed-after-sunset", "Book.legacyCode"): EVERY_BOOK,
    ("enum-value-added", "Genre.POETRY"): EVERY_BOOK,
    ("argument-default-changed", "Query.books(first:)"): ["Query.books"],
    ("input-field-added-required", "AddBookInput.priceCents"): ["Mutation.addBook"],
}


def _build(old: str | Path, new: str | Path, **options: Any) -> tuple[Any, Guide]:
    old_api, new_api = load(old), load(new)
    report = compare(old_api, new_api, today=TODAY, **options)
    return report, build_guide(report, old_api, new_api)


def _places(built: Guide) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for section in built.sections:
        for entry in section.entries:
            out.setdefault((entry.change.id, entry.change.subject), []).extend(entry.places)
    return out


def _entries(built: Guide) -> list[tuple[Section, Entry]]:
    return [(s, e) for s in built.sections for e in s.entries]


def _by_subject(built: Guide) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for _, entry in _entries(built):
        assert entry.change.subject not in out, entry.change.subject  # one entry per change here
        out[entry.change.subject] = entry
    return out


def _key(title: str) -> str:
    """An operation's key from its title (``GET /pets/{id}`` → ``GET /pets/{}``)."""
    method, path = title.split(" ", 1)
    return f"{method} {path_key(path)}"


# -- where changes are listed -------------------------------------------------------------------

@pytest.mark.parametrize(("pair", "expected"), [(PETSTORE, PETSTORE_PLACES), (GRAPHQL, GRAPHQL_PLACES)],
                         ids=["petstore", "graphql"])
def test_each_change_is_listed_once_with_the_operations_it_touches_and_no_others(
        pair: tuple[str, str], expected: dict[tuple[str, str], list[str]]) -> None:
    report, built = _build(*(ROOT / p for p in pair))
    assert _places(built) == expected
    listed = {(c.id, c.subject) for c in built.changes}
    assert listed == {(c.id, c.subject) for c in report.changes if c.severity is not Severity.SAFE}
    assert len(_entries(built)) == len(built.changes)  # once each: every change is used in one direction here
    assert all(section.key for section in built.sections)  # nothing left over for "Other changes"
    for _, entry in _entries(built):  # the example goes through one of the places listed
        assert entry.example_at in entry.places


def test_component_changes_go_where_the_component_is_used() -> None:
    """An independent walk of the raw document: the operations whose schemas reach ``Pet``."""
    doc = yaml.safe_load((ROOT / PETSTORE[0]).read_text())

    def refs(node: Any) -> set[str]:
        found: set[str] = set()
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                ref = item.get("$ref")
                if isinstance(ref, str) and ref.split("/")[-1] not in found:
                    found.add(ref.split("/")[-1])
                    stack.append(doc["components"]["schemas"][ref.split("/")[-1]])
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return found

    using_pet = sorted(f"{method.upper()} {path_key(path)}" for path, item in doc["paths"].items()
                       for method, op in item.items() if "Pet" in refs(op.get("responses")))
    _, built = _build(*(ROOT / p for p in PETSTORE))
    assert sorted(map(_key, _places(built)[("became-nullable", "Pet.tag")])) == using_pet


def test_safe_changes_and_an_empty_comparison() -> None:
    _, built = _build(ROOT / PETSTORE[0], ROOT / PETSTORE[0])
    assert built.sections == ()
    assert "nothing to migrate" in render_markdown(built)
    _, built = _build(*(ROOT / p for p in PETSTORE))
    assert "operation-description-changed" not in render_markdown(built)  # safe


def test_sections_are_the_changed_elements_and_places_are_in_path_or_schema_order() -> None:
    _, built = _build(*(ROOT / p for p in PETSTORE))
    assert [s.title for s in built.sections] == ["DELETE /pets/{petId}", "GET /pets", "NewPet", "Pet", "Status"]
    assert _by_subject(built)["Pet.tag"].places == ("GET /pets", "POST /pets", "GET /pets/{id}")  # path order
    _, built = _build(*(ROOT / p for p in GRAPHQL))
    assert [s.key for s in built.sections] == ["AddBookInput", "Book", "Genre", "Query"]
    assert _by_subject(built)["Book.price"].places == tuple(EVERY_BOOK)  # schema order
    for section in built.sections:  # breaking first
        ranks = [e.change.severity is Severity.BREAKING for e in section.entries]
        assert ranks == sorted(ranks, reverse=True)


# -- HTTP examples ------------------------------------------------------------------------------

def _nullable_to_type(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` as JSON Schema (``type: [t, "null"]``; ``enum`` gets ``null``)."""
    if isinstance(node, list):
        return [_nullable_to_type(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _nullable_to_type(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable") is True and "type" in out:
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


class Document:
    """Validates values against the schemas of one OpenAPI 3.0 document, ``$ref`` resolved."""

    def __init__(self, path: Path) -> None:
        self.doc = _nullable_to_type(yaml.safe_load(path.read_text()))
        resource = Resource.from_contents(self.doc, default_specification=DRAFT202012)
        self.registry = Registry().with_resource("urn:doc", resource)

    def operation(self, key: str) -> tuple[str, dict[str, Any]]:
        method, normalized = key.split(" ", 1)
        path = next(p for p in self.doc["paths"] if path_key(p) == normalized)
        return path, self.doc["paths"][path][method.lower()]

    def check(self, value: Any, *tokens: str) -> None:
        pointer = "/".join(t.replace("~", "~0").replace("/", "~1") for t in tokens)
        validator = jsonschema.Draft202012Validator({"$ref": f"urn:doc#/{pointer}"}, registry=self.registry)
        validator.validate(value)


def _check_http(document: Document, key: str, code: str) -> None:
    """The request or response in ``code`` is valid for operation ``key`` of ``document``."""
    head, _, body = code.partition("\n\n")
    first = head.splitlines()[0]
    path, op = document.operation(key)
    method = key.split(" ", 1)[0].lower()
    if first.startswith("HTTP/1.1 "):
        status = first.split(" ")[1]
        assert status in op["responses"]
        if body:
            document.check(json.loads(body), "paths", path, method, "responses", status, "content",
                           "application/json", "schema")
        return
    target = urlsplit(first.split(" ")[1])
    params = {p["name"]: (i, p) for i, p in enumerate(op.get("parameters", []))}
    template = re.escape(path)
    for name in re.findall(r"\{(\w+)\}", path):
        template = template.replace(re.escape("{" + name + "}"), f"(?P<{name}>[^/]+)")
    match = re.fullmatch(template, target.path)
    assert match, (path, target.path)
    for name, raw in [*match.groupdict().items(), *parse_qsl(target.query)]:
        index, param = params[name]
        value = unquote(raw)
        decoded = json.loads(value) if param["schema"].get("type") in ("integer", "number", "boolean") else value
        document.check(decoded, "paths", path, method, "parameters", str(index), "schema")
    for _index, param in params.values():
        if param.get("required") and param["in"] == "query":
            assert param["name"] in dict(parse_qsl(target.query))
    if body:
        document.check(json.loads(body), "paths", path, method, "requestBody", "content", "application/json",
                       "schema")
    elif "requestBody" in op and op["requestBody"].get("required"):
        pytest.fail(f"{key}: a required request body is missing")


def test_http_examples_are_valid_against_the_document_they_come_from() -> None:
    _, built = _build(*(ROOT / p for p in PETSTORE))
    old, new = Document(ROOT / PETSTORE[0]), Document(ROOT / PETSTORE[1])
    checked = 0
    for _, entry in _entries(built):
        assert entry.before is not None and entry.example_at is not None
        for document, snippet in ((old, entry.before), (new, entry.after)):
            if snippet is None:
                continue
            assert snippet.language == "http"
            _check_http(document, _key(entry.example_at), snippet.code)
            checked += 1
    assert checked == 13  # 7 entries, all with a before; the removed operation has no after


def _body(snippet: Snippet | None) -> Any:
    assert snippet is not None
    return json.loads(snippet.code.partition("\n\n")[2])


def test_http_examples_show_the_change() -> None:
    _, built = _build(*(ROOT / p for p in PETSTORE))
    by = _by_subject(built)
    limit = by["GET /pets query parameter limit"]
    assert limit.before is not None and limit.after is not None
    assert limit.before.code == "GET /pets?limit=100 HTTP/1.1"  # valid before, too large now
    assert limit.after.code == "GET /pets?limit=50 HTTP/1.1"
    tag = by["Pet.tag"]
    assert tag.example_at == "GET /pets/{id}"  # the shortest of the first places: one pet, not a list
    assert _body(tag.before)["tag"] == "string" and _body(tag.after)["tag"] is None
    owner = by["Pet.owner"]
    assert "owner" in _body(owner.before) and "owner" not in _body(owner.after)
    assert owner.todo == "Stop reading `Pet.owner`: it was removed."
    status = by["Status"]
    assert _body(status.before)["status"] == "available" and _body(status.after)["status"] == "adopted"
    assert status.todo.startswith("Handle unknown values in `Status`")
    species = by["NewPet.species"]
    assert species.before is not None and species.before.code.startswith("POST /pets HTTP/1.1\n")
    assert "species" not in _body(species.before) and _body(species.after)["species"] in ("cat", "dog")
    removed = by["DELETE /pets/{petId}"]
    assert removed.before is not None and removed.before.code == "DELETE /pets/string HTTP/1.1"
    assert removed.after is None and removed.after_note == "Nothing: it was removed, with no replacement."
    # maxLength 50 → 100 in a response: the old limit, then a name the old clients did not expect
    name = by["Pet.name"]
    assert len(_body(name.before)["name"]) == 50 and len(_body(name.after)["name"]) == 100
    # the unrelated parts of the samples stay put: same optional properties, same enum value
    assert {k: v for k, v in _body(name.before).items() if k != "name"} == \
        {k: v for k, v in _body(name.after).items() if k != "name"}


def test_a_probable_rename_is_named_and_shown(tmp_path: Path) -> None:
    v2 = (ROOT / PETSTORE[1]).read_text().replace("        birthday:\n          type: string\n          format: date\n",
                                                    "        ownerName:\n          type: string\n")
    (tmp_path / "v2.yaml").write_text(v2)
    _, built = _build(ROOT / PETSTORE[0], tmp_path / "v2.yaml")
    entry = _by_subject(built)["Pet.owner"]
    assert entry.change.args["renamed_to"] == "Pet.ownerName"
    assert "renamed to `Pet.ownerName`: read `Pet.ownerName` instead" in entry.todo
    assert "owner" in _body(entry.before) and "ownerName" not in _body(entry.before)
    assert "ownerName" in _body(entry.after) and "owner" not in _body(entry.after)


# -- GraphQL examples ---------------------------------------------------------------------------

def _client_schema(sdl: str) -> Any:
    """The schema clients query: a subgraph's or a supergraph's API schema, printed by apidiff."""
    if "specs.apollo.dev/" in sdl:
        from apidiff.formats.graphql.printer import print_sdl

        api = load(sdl)
        assert isinstance(api, GraphQLApi)
        sdl = print_sdl(api)
    return build_schema(sdl)


def _check_graphql(old_sdl: str, new_sdl: str, built: Guide) -> int:
    old_schema, new_schema = _client_schema(old_sdl), _client_schema(new_sdl)
    checked = 0
    for _, entry in _entries(built):
        for schema, snippet, side in ((old_schema, entry.before, "before"), (new_schema, entry.after, "after")):
            if snippet is None:
                continue
            assert snippet.language == "graphql"
            errors = validate(schema, parse(snippet.code))
            assert errors == [], f"{entry.example_at} {entry.change.id} {side}:\n{snippet.code}\n{errors}"
            checked += 1
    return checked


@pytest.mark.parametrize("reverse", [False, True], ids=["v1-v2", "v2-v1"])
def test_graphql_before_is_valid_on_the_old_schema_and_after_on_the_new(reverse: bool) -> None:
    old, new = (ROOT / p for p in (GRAPHQL[::-1] if reverse else GRAPHQL))
    _, built = _build(old, new)
    checked = _check_graphql(old.read_text(), new.read_text(), built)
    assert checked == sum((e.before is not None) + (e.after is not None) for _, e in _entries(built))
    assert checked == (21 if reverse else 10)  # one example per change (per direction), both sides


def test_graphql_examples_on_every_rule_example() -> None:
    """Each GraphQL rule's documented example, both ways: the examples validate on their side."""
    import apidiff.formats.graphql.rules  # noqa: F401  (importing the package declares its rules)
    from apidiff.core.rule import REGISTRY

    checked = 0
    for rule in REGISTRY:
        if rule.example.format != "graphql":
            continue
        for old, new in ((rule.example.old, rule.example.new), (rule.example.new, rule.example.old)):
            _, built = _build(old, new)
            checked += _check_graphql(old, new, built)
    assert checked > 100


def test_graphql_examples_show_the_change() -> None:
    _, built = _build(*(ROOT / p for p in GRAPHQL))
    by = _by_subject(built)
    price = by["Book.price"]
    assert price.before is not None and price.after is not None
    assert price.example_at == "Query.books"  # the shortest through the first root fields
    assert price.before.code == "query {\n  books {\n    price\n  }\n}"
    assert "price {\n      amount\n      currency\n    }" in price.after.code
    legacy = by["Book.legacyCode"]
    assert legacy.after is not None and "    isbn\n" in legacy.after.code  # named by the deprecation reason
    assert "select `isbn` instead" in legacy.todo
    first = by["Query.books(first:)"]
    assert first.before is not None and first.after is not None
    assert "books {" in first.before.code and "books(first: 20) {" in first.after.code
    price_cents = by["AddBookInput.priceCents"]
    assert price_cents.before is not None and price_cents.after is not None
    assert "priceCents" not in price_cents.before.code and "priceCents: 1" in price_cents.after.code
    poetry = by["Genre.POETRY"]
    assert poetry.after is not None and "# genre may now be POETRY" in poetry.after.code


def test_graphql_enum_value_removed_from_an_input_is_shown_in_a_variable() -> None:
    old = "type Query { books(genre: Genre): [String] }\nenum Genre { FICTION POETRY }"
    new = "type Query { books(genre: Genre): [String] }\nenum Genre { FICTION }"
    _, built = _build(old, new)
    (section, entry), = _entries(built)
    assert (section.key, entry.change.id) == ("Genre", "enum-value-removed-without-deprecation")
    assert entry.places == ("Query.books",)
    assert entry.before is not None and entry.after is not None
    assert entry.before.code == "query ($genre: Genre = POETRY) {\n  books(genre: $genre)\n}"
    assert entry.after.code == "query ($genre: Genre = FICTION) {\n  books(genre: $genre)\n}"
    assert _check_graphql(old, new, built) == 2


def test_graphql_rename_hint_selects_the_new_field(tmp_path: Path) -> None:
    text = (ROOT / GRAPHQL[1]).read_text()
    at = text.index("type Author")
    new = text[:at] + text[at:].replace("  name: String!\n", "  fullName: String!\n", 1)
    old = (ROOT / GRAPHQL[0]).read_text()
    _, built = _build(old, new)
    entry = _by_subject(built)["Author.name"]
    assert "probably renamed to `Author.fullName`: select `fullName` instead" in entry.todo
    assert entry.after is not None and "fullName" in entry.after.code
    _check_graphql(old, new, built)


# -- one entry per change, whatever the number of places --------------------------------------

def _many_roots(count: int) -> tuple[str, str]:
    """A schema where ``count`` root fields reach ``Item``, and one where ``Item.code`` is gone."""
    fields = "\n".join(f"  item{i}(id: ID!): Item" for i in range(count))
    old = f"type Query {{\n{fields}\n}}\ntype Item {{ id: ID!\n  code: String }}\n"
    return old, old.replace("\n  code: String", "")


def test_a_change_reached_from_many_root_fields_is_listed_once_with_them_counted() -> None:
    old, new = _many_roots(30)
    _, built = _build(old, new)
    (section, entry), = _entries(built)
    assert (section.key, entry.change.subject) == ("Item", "Item.code")
    assert entry.places == tuple(f"Query.item{i}" for i in range(30))
    assert entry.example_at == "Query.item0"
    assert entry.before is not None and entry.after is not None
    assert entry.before.code == 'query {\n  item0(id: "1") {\n    code\n  }\n}'
    text = render_markdown(built)
    assert "Reaches 30 root fields: `Query.item0`, `Query.item1`," in text
    assert "`Query.item9`, … 20 more." in text and "Query.item10" not in text
    assert text.count("```graphql") == 2  # one example, before and after
    assert "1 breaking and 0 dangerous changes reach 30 root fields." not in text  # one change: "reaches"
    assert "0 breaking and 1 dangerous change reaches 30 root fields." in text \
        or "1 breaking and 0 dangerous change reaches 30 root fields." in text
    page = render_html(built)
    assert "Reaches 30 root fields:" in page and "… 20 more." in page and page.count("<pre>") == 2
    _check_graphql(old, new, built)


def test_the_guide_grows_with_the_changes_not_with_the_places() -> None:
    small = render_markdown(_build(*_many_roots(3))[1])
    large = render_markdown(_build(*_many_roots(300))[1])
    assert len(large) - len(small) < 400  # the count and a longer cut list, not 297 more entries


def test_an_operation_list_is_listed_once_for_a_schema_used_by_many_operations() -> None:
    paths = "\n".join(f"  /things{i}:\n    get:\n      responses:\n        '200':\n          description: ok\n"
                      f"          content:\n            application/json:\n              schema:\n"
                      f"                $ref: '#/components/schemas/Thing'" for i in range(15))
    old = f"""openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
{paths}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
        size: {{type: integer}}
"""
    new = old.replace("        size: {type: integer}\n", "")
    _, built = _build(old, new)
    (section, entry), = _entries(built)
    assert (section.key, entry.change.subject) == ("Thing", "Thing.size")
    assert len(entry.places) == 15 and entry.example_at == entry.places[0] == "GET /things0"
    assert "size" in _body(entry.before) and "size" not in _body(entry.after)
    text = render_markdown(built)
    assert "Reaches 15 operations: `GET /things0`," in text and "… 5 more." in text
    assert text.count("```http") == 2


def test_a_change_read_in_some_operations_and_sent_in_others_has_an_entry_for_each() -> None:
    old = """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '204': {description: ok}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
"""
    new = old.replace("name: {type: string}", "name: {type: integer}")
    _, built = _build(old, new)
    entries = [e for _, e in _entries(built)]
    assert len(built.changes) == 1 and len(entries) == 2  # one change, read and sent
    by = {e.places: e for e in entries}
    sent, read = by[("POST /pets",)], by[("GET /pets",)]
    assert sent.todo == "Send `Pet.name` as integer (was string)."
    assert read.todo == "Read `Pet.name` as integer (was string)."
    assert sent.before is not None and sent.before.code.startswith("POST /pets HTTP/1.1")
    assert read.before is not None and read.before.code.startswith("HTTP/1.1 200 OK")
    assert built.sections[0].count(Severity.BREAKING) == 1  # the change counts once
    assert built.places == ("GET /pets", "POST /pets")


def test_a_consumer_guide_lists_its_usages_and_only_its_operations() -> None:
    usage = load_usage([str(ROOT / "fixtures/usage/http/access.log")])
    old_api, new_api = load(ROOT / "fixtures/usage/http/old.yaml"), load(ROOT / "fixtures/usage/http/new.yaml")
    report = compare(old_api, new_api, today=TODAY, usage=usage)
    assert report.impact is not None
    name = next(c for c in report.impact.consumers if c.startswith("pet-web"))
    whole = build_guide(report, old_api, new_api)
    web = build_guide(report, old_api, new_api, consumer=name)
    assert web.consumer == name and web.operations
    mine = set(_key(op) for op in web.operations)
    assert 0 < len(web.changes) < len(whole.changes)
    for _, entry in _entries(web):
        assert entry.usages and set(entry.usages) <= set(web.operations)
        assert {_key(p) for p in entry.places} <= mine  # narrowed to the consumer's routes
    text = render_markdown(web)
    assert "Your routes: `" in text


# -- samples ------------------------------------------------------------------------------------

def _schema(**kwargs: Any) -> Schema:
    return Schema(location=LOC, **kwargs)


def test_sample_values_follow_type_format_and_bounds() -> None:
    api = load(ROOT / PETSTORE[1])
    assert sample_value(_schema(types=frozenset({"string"}), format="date-time"), api) == "2026-01-01T00:00:00Z"
    assert sample_value(_schema(types=frozenset({"string"}), format="email"), api) == "user@example.com"
    assert sample_value(_schema(types=frozenset({"string"}), format="uuid"), api) == \
        "123e4567-e89b-12d3-a456-426614174000"
    assert sample_value(_schema(types=frozenset({"string"}), format="uri"), api) == "https://example.com"
    assert sample_value(_schema(types=frozenset({"string"}), max_length=3), api) == "str"
    assert sample_value(_schema(types=frozenset({"string"}), min_length=10), api) == "stringxxxx"
    assert sample_value(_schema(types=frozenset({"integer"}), minimum=Bound(10)), api) == 10
    assert sample_value(_schema(types=frozenset({"integer"}), minimum=Bound(10, exclusive=True)), api) == 11
    assert sample_value(_schema(types=frozenset({"integer"}), maximum=Bound(-5)), api) == -5
    assert sample_value(_schema(types=frozenset({"integer"}), minimum=Bound(3), multiple_of=5), api) == 5
    assert sample_value(_schema(types=frozenset({"number"})), api) == 1.5
    assert sample_value(_schema(types=frozenset({"boolean"})), api) is True
    assert sample_value(_schema(types=frozenset({"string"}), enum=('"b"', '"a"')), api) == "b"
    assert sample_value(_schema(types=frozenset({"string", "null"}), enum=("null", '"a"')), api) == "a"
    assert sample_value(_schema(types=frozenset({"string"}), default='"x"'), api) == "x"
    assert sample_value(_schema(const="42"), api) == 42
    items = _schema(types=frozenset({"array"}), items=_schema(types=frozenset({"integer"})), min_items=2)
    assert sample_value(items, api) == [1, 1]
    # required properties and the first two optional ones; the model keeps enum values sorted
    assert sample_value(_schema(ref="Pet"), api) == {"id": "string", "name": "string", "tag": "string",
                                                     "status": "adopted"}


def test_sample_objects_cut_cycles_and_respect_read_and_write_only() -> None:
    api = load("""openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [id, children]
      properties:
        id: {type: string, readOnly: true}
        secret: {type: string, writeOnly: true}
        parent: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
""")
    node = _schema(ref="Node")
    assert sample_value(node, api, usage="response") == {"id": "string", "children": []}
    assert sample_value(node, api, usage="request") == {"secret": "string", "children": []}
    assert sample_value(node, api, depth=0) is None  # nothing can be built
    assert CUT is not None


def test_graphql_literals_by_type() -> None:
    api = load("""
input In { a: Int!, b: [String!], c: Color, d: In }
input One @oneOf { x: Int, y: String }
enum Color { RED @deprecated GREEN }
type Query { f(i: In!, o: One!, flag: Boolean!, id: ID, n: Float!): Int }
""")
    sampler = GraphQLSampler(api)
    assert sampler.arguments("Query", "f") == '(i: {a: 1}, o: {x: 1}, flag: true, n: 1.5)'
    field = api.types["Query"].fields["f"]
    assert sampler.literal(field.args["id"].type) == '"1"'
    assert sampler.literal(api.types["In"].input_fields["c"].type) == "GREEN"  # not the deprecated value
    assert sampler.literal(api.types["In"].input_fields["b"].type) == '["string"]'


# -- rendering ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "pair", "suffix"), [("petstore", PETSTORE, "md"), ("graphql", GRAPHQL, "md"),
                                                      ("petstore", PETSTORE, "html")])
def test_snapshot(name: str, pair: tuple[str, str], suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # sources as relative paths, as a user would type them
    text = guide(*pair, format="html" if suffix == "html" else "markdown", today=TODAY)
    path = SNAPSHOTS / f"{name}.guide.{suffix}"
    if os.environ.get("APIDIFF_UPDATE_SNAPSHOTS"):
        path.write_text(text)
    assert text == path.read_text()


def test_markdown_table_links_point_at_headings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = guide(*PETSTORE, today=TODAY)
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links == ["delete-petspetid", "get-pets", "newpet", "pet", "status"]
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == ["`DELETE /pets/{petId}`", "`GET /pets`", "`NewPet`", "`Pet`", "`Status`"]


HOSTILE = "<script>alert('x')</script> & `tick` *star* [link](x)"


def _hostile_guide() -> Guide:
    change = Change(id="field-removed", severity=Severity.BREAKING, backward=Severity.BREAKING,
                    forward=Severity.SAFE, direction=Direction.OUTPUT, subject=f"T.{HOSTILE}", message=HOSTILE,
                    old_location=LOC, new_location=None)
    entry = Entry(change, "Stop reading `x</code><b>`: " + HOSTILE.replace("`", "'"),
                  Snippet("http", f"GET /x HTTP/1.1\n\n{HOSTILE}\n```\n</code></pre>"), None)
    section = Section("GET /x", f"GET /{HOSTILE}", (entry,), HOSTILE)
    info = SourceInfo(f"{HOSTILE}.yaml", "openapi")
    return Guide(kind="openapi", mode=Mode.BACKWARD, old=info, new=info, old_version=HOSTILE, new_version="2",
                 sections=(section,))


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html(_hostile_guide())
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "```\n&lt;/code&gt;&lt;/pre&gt;</code></pre>" in page
    assert re.search(r"(src|href)=\"(https?:)?//", page) is None  # nothing loaded from elsewhere
    assert "Content-Security-Policy" in page and "default-src 'none'" in page

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)

    parser = Tags()
    parser.feed(page)
    assert set(parser.tags) <= {"html", "head", "meta", "title", "style", "body", "main", "h1", "p", "code", "table",
                                "thead", "tr", "th", "tbody", "td", "a", "section", "h2", "article", "h3", "span",
                                "strong", "div", "figure", "figcaption", "pre"}


def test_markdown_escapes_text_and_fences_code() -> None:
    text = render_markdown(_hostile_guide())
    outside_code = re.sub(r"(`+)[^`].*?\1", "", text.split("````http")[0], flags=re.S)
    assert "<" not in outside_code.replace("\\<", "")  # plain text: every < escaped
    assert "### ✖ breaking: \\<script\\>alert('x')\\</script\\> & `tick` \\*star\\* \\[link\\](x)" in text
    assert "````http\n" in text  # the snippet holds ``` so the fence is longer


def test_an_example_the_same_on_both_sides_is_shown_once() -> None:
    """A new operationId shows in no request: one snippet, said to be valid on both sides."""
    old = """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '204': {description: ok}
"""
    _, built = _build(old, old.replace("listPets", "getPets"))
    (_, entry), = _entries(built)
    assert entry.change.id == "operation-id-changed" and entry.same
    assert entry.before is not None and entry.before.code == "GET /pets HTTP/1.1" and entry.after is None
    text = render_markdown(built)
    assert "Before (1) and after (1), the same:" not in text  # the versions do not tell the sides apart
    assert "Before (old) and after (new), the same:\n\n```http\nGET /pets HTTP/1.1\n```" in text
    assert text.count("```http") == 1
    page = render_html(built)
    assert page.count("<figure>") == 1 and "Before (old) and after (new), the same" in page


def test_guide_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="markdown or html"):
        guide(str(ROOT / PETSTORE[0]), str(ROOT / PETSTORE[1]), format="pdf")


def test_forward_mode_is_about_a_rollback() -> None:
    """Clients built for v2 break when the server goes back to v1: a new enum value they send
    (``?status=adopted``, not the Status they read), a property they require."""
    _, built = _build(*(ROOT / p for p in PETSTORE), mode="forward")
    places = _places(built)
    assert places[("schema-enum-value-added", "Status")] == ["GET /pets"]
    assert places[("property-added-required", "NewPet.species")] == ["POST /pets"]
    assert all(e.todo.startswith("Only a rollback breaks this") for _, e in _entries(built))
    _, built = _build(*(ROOT / p for p in PETSTORE), mode="full")
    by = {e.change.subject: e for _, e in _entries(built)}
    assert by["Status"].todo.startswith("Handle unknown values")  # backward comes first
    assert by["Pet.birthday"].todo.startswith("Only a rollback breaks this")

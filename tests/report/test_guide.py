"""The consumer migration guide: where each change is listed, what the examples show, and snapshots.

The key properties: every breaking or dangerous change is listed under the operations (or root
fields) it touches and nowhere else; safe changes are not listed; HTTP examples are valid against
the schemas of the document they claim to come from; GraphQL examples validate with graphql-core,
the "before" one against the old schema and the "after" one against the new schema.

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

from apidiff import compare, load
from apidiff.api import build_guide, guide
from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.guide import Entry, Guide, Section, Snippet
from apidiff.core.location import Location
from apidiff.core.result import SourceInfo
from apidiff.formats.graphql.samples import GraphQLSampler
from apidiff.formats.openapi.model import Bound, Schema, path_key
from apidiff.formats.openapi.samples import CUT, sample_value
from apidiff.report.guide import render_html, render_markdown
from tests.conftest import ROOT, TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots"
PETSTORE = ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml")
GRAPHQL = ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql")
LOC = Location("x.yaml", 1, 1)

# Where each breaking or dangerous change of the examples must be listed, and nowhere else.
PETSTORE_PLACES = {
    ("maximum-decreased", "GET /pets query parameter limit"): ["GET /pets"],
    ("became-nullable", "Pet.tag"): ["GET /pets", "POST /pets", "GET /pets/{}"],
    ("max-length-increased", "Pet.name"): ["GET /pets", "POST /pets", "GET /pets/{}"],
    ("property-removed-without-deprecation", "Pet.owner"): ["GET /pets", "POST /pets", "GET /pets/{}"],
    # Status is sent (GET /pets?status=) and read (in Pet): a new value only matters where it is read
    ("schema-enum-value-added", "Status"): ["GET /pets", "POST /pets", "GET /pets/{}"],
    ("property-added-required", "NewPet.species"): ["POST /pets"],
    ("operation-removed-after-sunset", "DELETE /pets/{petId}"): ["DELETE /pets/{}"],
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
            out.setdefault((entry.change.id, entry.change.subject), []).append(section.key)
    return out


def _entries(built: Guide) -> list[tuple[Section, Entry]]:
    return [(s, e) for s in built.sections for e in s.entries]


# -- where changes are listed -------------------------------------------------------------------

@pytest.mark.parametrize(("pair", "expected"), [(PETSTORE, PETSTORE_PLACES), (GRAPHQL, GRAPHQL_PLACES)],
                         ids=["petstore", "graphql"])
def test_each_change_is_listed_under_the_operations_it_touches_and_nowhere_else(
        pair: tuple[str, str], expected: dict[tuple[str, str], list[str]]) -> None:
    report, built = _build(*(ROOT / p for p in pair))
    assert _places(built) == expected
    listed = {(c.id, c.subject) for c in built.changes}
    assert listed == {(c.id, c.subject) for c in report.changes if c.severity is not Severity.SAFE}
    assert all(section.key for section in built.sections)  # nothing left over for "Other changes"


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
    assert sorted(_places(built)[("became-nullable", "Pet.tag")]) == using_pet


def test_safe_changes_and_an_empty_comparison() -> None:
    _, built = _build(ROOT / PETSTORE[0], ROOT / PETSTORE[0])
    assert built.sections == ()
    assert "nothing to migrate" in render_markdown(built)
    _, built = _build(*(ROOT / p for p in PETSTORE))
    assert "operation-description-changed" not in render_markdown(built)  # safe


def test_sections_are_operations_in_path_order_then_the_root_fields_in_schema_order() -> None:
    _, built = _build(*(ROOT / p for p in PETSTORE))
    assert [s.title for s in built.sections] == ["GET /pets", "POST /pets", "GET /pets/{id}", "DELETE /pets/{petId}"]
    assert built.sections[0].description == "List pets, newest first"
    _, built = _build(*(ROOT / p for p in GRAPHQL))
    assert [s.key for s in built.sections] == EVERY_BOOK
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
    for section, entry in _entries(built):
        assert entry.before is not None
        for document, snippet in ((old, entry.before), (new, entry.after)):
            if snippet is None:
                continue
            assert snippet.language == "http"
            _check_http(document, section.key, snippet.code)
            checked += 1
    assert checked == 29  # 15 entries, all with a before; the removed operation has no after


def _body(snippet: Snippet | None) -> Any:
    assert snippet is not None
    return json.loads(snippet.code.partition("\n\n")[2])


def test_http_examples_show_the_change() -> None:
    _, built = _build(*(ROOT / p for p in PETSTORE))
    by = {(s.key, e.change.subject): e for s, e in _entries(built)}
    limit = by[("GET /pets", "GET /pets query parameter limit")]
    assert limit.before is not None and limit.after is not None
    assert limit.before.code == "GET /pets?limit=100 HTTP/1.1"  # valid before, too large now
    assert limit.after.code == "GET /pets?limit=50 HTTP/1.1"
    tag = by[("GET /pets/{}", "Pet.tag")]
    assert _body(tag.before)["tag"] == "string" and _body(tag.after)["tag"] is None
    owner = by[("POST /pets", "Pet.owner")]
    assert "owner" in _body(owner.before) and "owner" not in _body(owner.after)
    assert owner.todo == "Stop reading `Pet.owner`: it was removed."
    status = by[("GET /pets", "Status")]
    assert [p["status"] for p in _body(status.before)] == ["available"]
    assert [p["status"] for p in _body(status.after)] == ["adopted"]
    assert status.todo.startswith("Handle unknown values in `Status`")
    species = by[("POST /pets", "NewPet.species")]
    assert species.before is not None and species.before.code.startswith("POST /pets HTTP/1.1\n")
    assert "species" not in _body(species.before) and _body(species.after)["species"] in ("cat", "dog")
    removed = by[("DELETE /pets/{}", "DELETE /pets/{petId}")]
    assert removed.before is not None and removed.before.code == "DELETE /pets/string HTTP/1.1"
    assert removed.after is None and removed.after_note == "Nothing: it was removed, with no replacement."
    # the unrelated parts of the samples stay put: same optional properties, same enum value
    name = by[("GET /pets", "Pet.name")]
    assert name.before is not None and name.before.code == (name.after.code if name.after else None)


def test_a_probable_rename_is_named_and_shown(tmp_path: Path) -> None:
    v2 = (ROOT / PETSTORE[1]).read_text().replace("        birthday:\n          type: string\n          format: date\n",
                                                    "        ownerName:\n          type: string\n")
    (tmp_path / "v2.yaml").write_text(v2)
    _, built = _build(ROOT / PETSTORE[0], tmp_path / "v2.yaml")
    entry = next(e for s, e in _entries(built) if e.change.subject == "Pet.owner" and s.key == "GET /pets")
    assert entry.change.args["renamed_to"] == "Pet.ownerName"
    assert "renamed to `Pet.ownerName`: read `Pet.ownerName` instead" in entry.todo
    assert "owner" in _body(entry.before)[0] and "ownerName" not in _body(entry.before)[0]
    assert "ownerName" in _body(entry.after)[0] and "owner" not in _body(entry.after)[0]


# -- GraphQL examples ---------------------------------------------------------------------------

def _check_graphql(old_sdl: str, new_sdl: str, built: Guide) -> int:
    old_schema, new_schema = build_schema(old_sdl), build_schema(new_sdl)
    checked = 0
    for section, entry in _entries(built):
        for schema, snippet, side in ((old_schema, entry.before, "before"), (new_schema, entry.after, "after")):
            if snippet is None:
                continue
            assert snippet.language == "graphql"
            errors = validate(schema, parse(snippet.code))
            assert errors == [], f"{section.key} {entry.change.id} {side}:\n{snippet.code}\n{errors}"
            checked += 1
    return checked


@pytest.mark.parametrize("reverse", [False, True], ids=["v1-v2", "v2-v1"])
def test_graphql_before_is_valid_on_the_old_schema_and_after_on_the_new(reverse: bool) -> None:
    old, new = (ROOT / p for p in (GRAPHQL[::-1] if reverse else GRAPHQL))
    _, built = _build(old, new)
    checked = _check_graphql(old.read_text(), new.read_text(), built)
    assert checked == sum((e.before is not None) + (e.after is not None) for _, e in _entries(built))
    assert checked >= (30 if reverse else 28)


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
    by = {(s.key, e.change.subject): e for s, e in _entries(built)}
    price = by[("Query.author", "Book.price")]
    assert price.before is not None and price.after is not None
    assert price.before.code == 'query {\n  author(id: "1") {\n    books {\n      price\n    }\n  }\n}'
    assert "price {\n        amount\n        currency\n      }" in price.after.code
    legacy = by[("Query.book", "Book.legacyCode")]
    assert legacy.after is not None and "    isbn\n" in legacy.after.code  # named by the deprecation reason
    assert "select `isbn` instead" in legacy.todo
    first = by[("Query.books", "Query.books(first:)")]
    assert first.before is not None and first.after is not None
    assert "books {" in first.before.code and "books(first: 20) {" in first.after.code
    price_cents = by[("Mutation.addBook", "AddBookInput.priceCents")]
    assert price_cents.before is not None and price_cents.after is not None
    assert "priceCents" not in price_cents.before.code and "priceCents: 1" in price_cents.after.code
    poetry = by[("Query.book", "Genre.POETRY")]
    assert poetry.after is not None and "# genre may now be POETRY" in poetry.after.code


def test_graphql_enum_value_removed_from_an_input_is_shown_in_a_variable() -> None:
    old = "type Query { books(genre: Genre): [String] }\nenum Genre { FICTION POETRY }"
    new = "type Query { books(genre: Genre): [String] }\nenum Genre { FICTION }"
    _, built = _build(old, new)
    (section, entry), = _entries(built)
    assert (section.key, entry.change.id) == ("Query.books", "enum-value-removed-without-deprecation")
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
    entry = next(e for s, e in _entries(built) if e.change.subject == "Author.name" and s.key == "Query.author")
    assert "probably renamed to `Author.fullName`: select `fullName` instead" in entry.todo
    assert entry.after is not None and "fullName" in entry.after.code
    _check_graphql(old, new, built)


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
    assert links == ["get-pets", "post-pets", "get-petsid", "delete-petspetid"]
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == ["`GET /pets`", "`POST /pets`", "`GET /pets/{id}`", "`DELETE /pets/{petId}`"]


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
    by = {(s.key, e.change.subject): e for s, e in _entries(built)}
    assert by[("GET /pets", "Status")].todo.startswith("Handle unknown values")  # backward comes first
    assert by[("GET /pets", "Pet.birthday")].todo.startswith("Only a rollback breaks this")

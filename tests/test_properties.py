"""Properties of ``compare`` on random schemas and random edits of them (see ``tests/strategies.py``).

Each property runs for GraphQL SDL and for OpenAPI 3.0 JSON:

1. identity: a schema compared with itself, or with itself written in another order (or spelling:
   ``extend`` blocks, an explicit ``schema`` block, introspection JSON; compact JSON, YAML), has no change;
2. mirror: every change of ``compare(a, b)`` has a counterpart in ``compare(b, a)`` on the same
   subject with backward and forward swapped (docs/severity.md: forward is the backward verdict of
   the mirrored change);
3. mode algebra: ``severity`` is ``backward``, ``forward`` or their maximum as the mode says;
4. determinism: the JSON report is the same on every run and whatever the order of the inputs;
5. round trip: ``Report.from_json(r.to_json()) == r``, and the JSON matches its published schema;
6. located: every change points at the element it is about, on the side where it exists;
7. no crash: garbage given to ``load`` is loaded or raises a one-line ``ApidiffError``, nothing else;
8. the breaking flag and the summary agree with the changes.

Every counterexample these properties found is kept as an explicit ``@example`` (it runs first, on
every run: a regression test). While apidiff fails one, its test is marked ``xfail(strict=True)``;
the ``..._without_...`` tests check the same property on inputs without that trigger.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from functools import cache
from typing import Any

import jsonschema
import pytest
import yaml
from graphql import build_schema, get_introspection_query, graphql_sync
from graphql.type import assert_valid_schema
from hypothesis import HealthCheck, assume, example, given, note, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_openapi

from apidiff import ApidiffError, Change, Location, Report, Severity, compare, load
from apidiff.core.sources import looks_like_path
from tests.conftest import ROOT, TODAY
from tests.strategies import (
    GSchema,
    ODoc,
    OOperation,
    OPath,
    OResponse,
    OSchema,
    graphql_pairs,
    graphql_schemas,
    mangled,
    openapi_docs,
    openapi_pairs,
    render_openapi,
    render_sdl,
)

pytestmark = pytest.mark.filterwarnings("ignore::apidiff.ApidiffWarning")

# APIDIFF_PROPERTY_SCALE=20 runs twenty times as many examples (a bug hunt; the default keeps the file fast)
SCALE = float(os.environ.get("APIDIFF_PROPERTY_SCALE", "1"))


def examples(n: int) -> int:
    return max(1, int(n * SCALE))


SETTINGS = settings(max_examples=examples(40), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(SETTINGS, max_examples=examples(20))
MANY = settings(SETTINGS, max_examples=examples(150))
MODES = ("backward", "forward", "full")

seeds = st.randoms(use_true_random=False)


def run(old: str, new: str, mode: str = "backward") -> Report:
    return compare(old, new, mode=mode, today=TODAY)


def gql_text(schema: GSchema, rng: random.Random | None = None) -> str:
    return render_sdl(schema, rng)


def oas_text(doc: ODoc, rng: random.Random | None = None) -> str:
    return render_openapi(doc, rng)


@st.composite
def text_pairs(draw: Any, kind: str) -> tuple[str, str, list[str]]:
    """(old text, new text, edits) in format ``kind``."""
    if kind == "graphql":
        old, new, edits = draw(graphql_pairs())
        return gql_text(old), gql_text(new), edits
    o_doc, n_doc, edits = draw(openapi_pairs())
    return oas_text(o_doc), oas_text(n_doc), edits


KINDS = pytest.mark.parametrize("kind", ["graphql", "openapi"])


def show(report: Report) -> str:
    return "\n".join(f"{c.id} | {c.subject} | b={c.backward.value} f={c.forward.value} | {c.message}"
                     for c in report.changes)


def meaning(change: Change) -> tuple[str, ...]:
    """A change without its locations (which move when the input is reordered)."""
    return (change.id, change.subject, change.message, change.severity.value, change.backward.value,
            change.forward.value, change.direction.value)


# -- 0. the strategies make valid schemas ---------------------------------------------------------

@FEW
@given(graphql_pairs(), seeds)
def test_generated_graphql_schemas_are_valid(pair: tuple[GSchema, GSchema, list[str]], rng: random.Random) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    for schema in (old, new):
        for r in (None, rng):
            assert_valid_schema(build_schema(render_sdl(schema, r)))


@FEW
@given(openapi_pairs(), seeds)
def test_generated_openapi_documents_are_valid(pair: tuple[ODoc, ODoc, list[str]], rng: random.Random) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    for doc in (old, new):
        validate_openapi(json.loads(render_openapi(doc, rng)))


# -- 1. identity ----------------------------------------------------------------------------------

@SETTINGS
@given(graphql_schemas(), seeds)
def test_graphql_identity(schema: GSchema, rng: random.Random) -> None:
    text = gql_text(schema)
    shuffled = gql_text(schema, rng)
    note(text)
    note(shuffled)
    assert run(text, text).changes == ()
    assert run(load(text), load(text)).changes == ()
    report = run(text, shuffled)
    assert report.changes == (), show(report)


def _check_openapi_identity(doc: ODoc, rng: random.Random, style: str) -> None:
    text = oas_text(doc)
    other = render_openapi(doc, rng, style)  # another order, and another spelling
    note(text)
    note(other)
    assert run(text, text).changes == ()
    assert run(load(text), load(text)).changes == ()
    report = run(text, other)
    assert report.changes == (), show(report)


class Reversing(random.Random):
    """An "rng" whose shuffle reverses: a reordering that does not depend on a seed."""

    def shuffle(self, x: Any) -> None:  # type: ignore[override]
        x.reverse()


def _op(status: str, schema: OSchema | None, method: str = "get", body: OSchema | None = None,
        path: str = "/items") -> OPath:
    op_id = method + path.replace("/", "_")
    return OPath(path, [OOperation(method, op_id, body=body, responses=[OResponse(status, schema)])])


# Found: allOf is merged only when every member is already normalized; a member that is still being
# normalized (a $ref cycle: Tag.name → allOf [Owner, …], Owner.tag → Tag) stays an unmerged allOf.
# Which one is "still being normalized" depends on which operation comes first in the document, so
# the same document with its paths in another order gives another graph: type-changed (breaking),
# branch-added, property-removed-without-deprecation.
ALL_OF_IN_A_CYCLE = ODoc(
    paths=[_op("200", OSchema(ref="Tag"), path="/tags"), _op("200", OSchema(ref="Owner"), path="/owners")],
    components={"Tag": OSchema(type="object", properties={"name": OSchema(all_of=[
                    OSchema(ref="Owner"), OSchema(type="object", properties={"x": OSchema(type="string")})])}),
                "Owner": OSchema(type="object", properties={"tag": OSchema(ref="Tag")})})


@SETTINGS
@given(openapi_docs(), seeds, st.sampled_from(["json", "compact"]))
@example(ALL_OF_IN_A_CYCLE, Reversing(), "json")
def test_openapi_identity(doc: ODoc, rng: random.Random, style: str) -> None:
    _check_openapi_identity(doc, rng, style)


@SETTINGS
@given(openapi_docs(all_of=False), seeds, st.sampled_from(["json", "compact"]))
def test_openapi_identity_without_all_of(doc: ODoc, rng: random.Random, style: str) -> None:
    """The same property on documents without allOf (what the xfail above is about)."""
    _check_openapi_identity(doc, rng, style)


# Found (fixed in c5fef19): format detection looked for `openapi:` in the first 4096 characters, so YAML
# whose `openapi` key comes after a long `components` block (PyYAML sorts keys by default) was read as
# GraphQL SDL and failed with "GraphQL syntax error: Unexpected Name 'components'".
BIG_COMPONENTS = ODoc(paths=[_op("200", OSchema(ref="Pet"))], components={"Pet": OSchema(
    type="object", properties={f"property{i}": OSchema(type="string", description="A long description " * 3)
                               for i in range(60)})})


@SETTINGS
@given(openapi_docs(), seeds, st.sampled_from(["yaml", "yaml-sorted"]))
@example(BIG_COMPONENTS, random.Random(0), "yaml-sorted")
def test_openapi_identity_yaml(doc: ODoc, rng: random.Random, style: str) -> None:
    _check_openapi_identity(doc, rng, style)


def _introspection(sdl: str) -> str:
    result = graphql_sync(build_schema(sdl), get_introspection_query(descriptions=True, specified_by_url=True,
                                                                     directive_is_repeatable=True,
                                                                     input_value_deprecation=True))
    assert result.errors is None
    return json.dumps({"data": result.data}, indent=2)


@SETTINGS
@given(graphql_schemas())
def test_graphql_sdl_and_its_introspection_are_the_same_schema(schema: GSchema) -> None:
    sdl = gql_text(schema)
    introspection = _introspection(sdl)
    note(sdl)
    for old, new in ((sdl, introspection), (introspection, sdl)):
        report = run(old, new)
        assert report.changes == (), show(report)


# -- 2. mirror ------------------------------------------------------------------------------------

def _element(subject: str) -> str:
    """A subject without the spelling of path parameters: an OpenAPI subject names the path and its
    parameters as written on the new side, so after a rename each direction spells its own."""
    return re.sub(r"\{[^{}/]*\}", "{}", re.sub(r" path parameter \S+", " path parameter", subject))


def _check_mirror(old: str, new: str) -> None:
    forward_report, back_report = run(old, new), run(new, old)
    note("old → new:\n" + show(forward_report))
    note("new → old:\n" + show(back_report))
    for c in forward_report.changes:
        element = _element(c.subject)
        assert any(_element(d.subject) == element and d.backward == c.forward and d.forward == c.backward
                   for d in back_report.changes), f"no mirror of {c.id} on {c.subject}"
    assert Counter((_element(c.subject), c.backward, c.forward) for c in forward_report.changes) == \
        Counter((_element(c.subject), c.forward, c.backward) for c in back_report.changes)


@SETTINGS
@given(graphql_pairs())
def test_graphql_mirror(pair: tuple[GSchema, GSchema, list[str]]) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_mirror(gql_text(old), gql_text(new))


def _body_with_access(flag: str) -> ODoc:
    prop = OSchema(type="string", read_only=flag == "readOnly", write_only=flag == "writeOnly")
    body = OSchema(type="object", properties={"s": prop})
    return ODoc(paths=[_op("204", None, "post", body)])


# Found (fixed in c5fef19): property-access-relaxed, -became-read-only and -became-write-only formed
# one family that mirrored itself, and the engine takes the forward verdict as the maximum over the
# family. writeOnly → readOnly in a request body gave (backward, forward) = relaxed (safe, safe) +
# became-read-only (dangerous, safe); readOnly → writeOnly gave relaxed (safe, dangerous) +
# became-write-only (safe, dangerous): became-write-only's forward was inflated by the unrelated
# became-read-only event, and no change of the reverse comparison mirrored relaxed (safe, safe).
ACCESS_SWAP = (_body_with_access("writeOnly"), _body_with_access("readOnly"), ["writeOnly -> readOnly"])


@SETTINGS
@given(openapi_pairs())
@example(ACCESS_SWAP)
def test_openapi_mirror(pair: tuple[ODoc, ODoc, list[str]]) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_mirror(oas_text(old), oas_text(new))


@SETTINGS
@given(openapi_pairs(access=False))
def test_openapi_mirror_without_read_only_or_write_only(pair: tuple[ODoc, ODoc, list[str]]) -> None:
    """The same property on documents without readOnly/writeOnly (what the xfail above is about)."""
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_mirror(oas_text(old), oas_text(new))


# -- 3. mode algebra ------------------------------------------------------------------------------

def _check_modes(old: str, new: str) -> None:
    reports = {mode: run(old, new, mode) for mode in MODES}
    verdicts = {mode: [(c.id, c.subject, c.message, c.backward, c.forward, c.direction) for c in r.changes]
                for mode, r in reports.items()}
    assert verdicts["backward"] == verdicts["forward"] == verdicts["full"]
    for b, f, full in zip(*(reports[m].changes for m in MODES), strict=True):
        assert b.severity == b.backward
        assert f.severity == f.forward
        assert full.severity == max(full.backward, full.forward)
    for mode, report in reports.items():
        assert report.mode.value == mode


@SETTINGS
@given(graphql_pairs())
def test_graphql_mode_algebra(pair: tuple[GSchema, GSchema, list[str]]) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_modes(gql_text(old), gql_text(new))


@SETTINGS
@given(openapi_pairs())
def test_openapi_mode_algebra(pair: tuple[ODoc, ODoc, list[str]]) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_modes(oas_text(old), oas_text(new))


# -- 4. determinism -------------------------------------------------------------------------------

def _check_reproducible(old: str, new: str) -> None:
    first = run(old, new)
    assert run(old, new).to_json() == first.to_json()
    assert list(first.changes) == sorted(first.changes, key=lambda c: c.sort_key)


def _check_order_free(old: str, new: str, old_shuffled: str, new_shuffled: str) -> None:
    """The report does not depend on the order the inputs are written in (locations aside: they move)."""
    first, shuffled = run(old, new), run(old_shuffled, new_shuffled)
    note("in order:\n" + show(first))
    note("shuffled:\n" + show(shuffled))
    assert [meaning(c) for c in shuffled.changes] == [meaning(c) for c in first.changes]


@SETTINGS
@given(graphql_pairs(), seeds)
def test_graphql_determinism(pair: tuple[GSchema, GSchema, list[str]], rng: random.Random) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_reproducible(gql_text(old), gql_text(new))
    _check_order_free(gql_text(old), gql_text(new), gql_text(old, rng), gql_text(new, rng))


@SETTINGS
@given(openapi_pairs())
def test_openapi_report_is_reproducible(pair: tuple[ODoc, ODoc, list[str]]) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_reproducible(oas_text(old), oas_text(new))


def _tag(a: OSchema, b: OSchema) -> ODoc:
    pet = OSchema(type="object", properties={"id": OSchema(type="string")})
    return ODoc(paths=[_op("200", OSchema(ref="Tag"))],
                components={"Pet": pet, "Tag": OSchema(type="object", properties={"a": a, "b": b})})


# Found (fixed in c5fef19): HttpMatcher.schema() remembered visited (old.ref, new.ref, direction) to
# stop at cycles; when a $ref became an inline schema, new.ref is None, so every other place where the
# same $ref became inline was skipped: only the first (in document order) was reported. Here Tag.b
# (Pet → integer) was never reported, and reversing Tag's properties reported Tag.b instead of Tag.a.
REF_INLINED_TWICE = (_tag(OSchema(ref="Pet"), OSchema(ref="Pet")),
                     _tag(OSchema(type="string"), OSchema(type="integer")), ["Tag.a, Tag.b: $ref Pet → inline"])


@SETTINGS
@given(openapi_pairs(), seeds)
@example(REF_INLINED_TWICE, Reversing())
def test_openapi_report_does_not_depend_on_order(pair: tuple[ODoc, ODoc, list[str]], rng: random.Random) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    _check_order_free(oas_text(old), oas_text(new), oas_text(old, rng), oas_text(new, rng))


# -- 5. round trip --------------------------------------------------------------------------------

@cache
def _report_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((ROOT / "docs" / "json-report.schema.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@KINDS
@SETTINGS
@given(data=st.data(), mode=st.sampled_from(MODES))
def test_report_json_round_trip(kind: str, data: st.DataObject, mode: str) -> None:
    old, new, edits = data.draw(text_pairs(kind))
    note(f"edits: {edits}")
    report = run(old, new, mode)
    text = report.to_json()
    again = Report.from_json(text)
    assert again == report
    assert again.to_dict() == report.to_dict()
    assert again.to_json() == text
    _report_schema().validate(json.loads(text))
    assert json.loads(text)["old"]["kind"] == kind


# -- 6. located -----------------------------------------------------------------------------------

def _check_located(report: Report, old: str, new: str) -> None:
    note(show(report))
    lines = {"old": old.count("\n") + 1, "new": new.count("\n") + 1}
    for c in report.changes:
        assert c.old_location is not None or c.new_location is not None, c
        if "-removed" in c.id:
            assert c.old_location is not None, c
        if "-added" in c.id:
            assert c.new_location is not None, c
        for side, loc in (("old", c.old_location), ("new", c.new_location)):
            if loc is None or loc.file == "<builtin>":
                continue
            assert loc.file == "<text>", c
            assert 1 <= loc.line <= lines[side], c
            assert loc.column >= 1, c


def _at(text: str, loc: Location) -> str:
    """The text of ``loc``'s line from its column on."""
    return text.splitlines()[loc.line - 1][loc.column - 1:]


@SETTINGS
@given(graphql_pairs(), seeds)
def test_graphql_changes_are_located(pair: tuple[GSchema, GSchema, list[str]], rng: random.Random) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    o, n = gql_text(old, rng), gql_text(new, rng)
    report = run(o, n)
    _check_located(report, o, n)
    for c in report.changes:  # the element's own name is written where the location points
        # Type.field(arg:) → arg, U member T → T, schema mutation → mutation (or the Mutation type)
        name = re.findall(r"[A-Za-z_]\w*", c.subject)[-1].lower()
        for text, loc in ((o, c.old_location), (n, c.new_location)):
            if loc is not None and loc.file == "<text>":
                assert name in _at(text, loc).lower(), (c, _at(text, loc))


def _resolve(document: Any, pointer: str) -> Any:
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]
    return document


@SETTINGS
@given(openapi_pairs(), st.sampled_from(["json", "yaml"]))
def test_openapi_changes_are_located(pair: tuple[ODoc, ODoc, list[str]], style: str) -> None:
    old, new, edits = pair
    note(f"edits: {edits}")
    o, n = render_openapi(old, style=style), render_openapi(new, style=style)
    report = run(o, n)
    _check_located(report, o, n)
    for c in report.changes:
        for text, loc in ((o, c.old_location), (n, c.new_location)):
            if loc is None:
                continue
            assert loc.pointer is not None and loc.pointer.startswith("/"), c
            document, pointer = yaml.safe_load(text), loc.pointer
            try:
                _resolve(document, pointer)
            except (KeyError, IndexError):  # a keyword absent on this side: the line is its schema's
                pointer = pointer.rsplit("/", 1)[0]
                _resolve(document, pointer)
            key = pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            assert key.isdigit() or key in _at(text, loc), (c, pointer, _at(text, loc))


# -- 7. no crash on garbage -----------------------------------------------------------------------

def _check_load(text: str, fmt: str | None) -> None:
    """``load`` succeeds or raises an ApidiffError whose message is one line; nothing else escapes."""
    try:
        load(text, format=fmt)
    except ApidiffError as exc:
        message = str(exc)
        assert message and len(message.splitlines()) == 1, repr(message)


def _as_text(text: str) -> str:
    """``text``, made to read as a document: a short line without braces would be taken for a path."""
    return text + "\n" if looks_like_path(text) else text


formats = st.sampled_from([None, None, "graphql", "openapi", "introspection"])


@MANY
@given(st.text(max_size=300).map(_as_text), formats)
def test_load_survives_any_text(text: str, fmt: str | None) -> None:
    _check_load(text, fmt)


# Found, for text that load() takes for a path (one line, no braces):
# - (fixed in c5fef19) ApidiffError.__str__ joined the file name unnormalized: load("a\rb") raised
#   SourceError whose str() was 'a\rb: no such file or folder' (two lines; also \x0b, \x1e, \x85, \u2028);
# - a name longer than NAME_MAX (255 bytes) makes Path.is_dir() raise OSError ENAMETOOLONG, which
#   escapes load() as a traceback, even for valid one-line SDL: load("scalar S0 scalar S1 ... S29").
ONE_LINE_SDL = "scalar " + " scalar ".join(f"Scalar{i}" for i in range(30))


@MANY
@given(st.text(max_size=300).filter(looks_like_path), formats)
@example("a\rb", None)
@example(ONE_LINE_SDL, None)
def test_load_survives_text_taken_for_a_path(text: str, fmt: str | None) -> None:
    assume("\x00" not in text and not os.path.lexists(text))  # only names that are not on this disk
    _check_load(text, fmt)


@st.composite
def mangled_documents(draw: Any) -> str:
    kind = draw(st.sampled_from(["sdl", "json", "yaml", "introspection"]))
    if kind == "sdl":
        text = render_sdl(draw(graphql_schemas()))
    elif kind == "introspection":
        text = _introspection(render_sdl(draw(graphql_schemas())))
    else:
        text = render_openapi(draw(openapi_docs()), style=kind)
    return _as_text(draw(mangled(text)))


@MANY
@given(mangled_documents(), formats)
def test_load_survives_mangled_documents(text: str, fmt: str | None) -> None:
    note(text)
    _check_load(text, fmt)


# -- 8. the breaking flag -------------------------------------------------------------------------

@KINDS
@SETTINGS
@given(data=st.data(), mode=st.sampled_from(MODES))
def test_breaking_flag_and_summary(kind: str, data: st.DataObject, mode: str) -> None:
    old, new, edits = data.draw(text_pairs(kind))
    note(f"edits: {edits}")
    report = run(old, new, mode)
    assert report.breaking == any(c.severity == Severity.BREAKING for c in report.changes)
    assert report.breaking == report.fails("breaking")
    assert dict(report.summary) == {s.value: sum(c.severity == s for c in report.changes) for s in Severity}
    assert report.fails("safe") == bool(report.changes)
    assert not report.fails("never")


def test_report_schema_is_a_valid_json_schema() -> None:
    assert _report_schema() is not None


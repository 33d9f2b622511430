"""Thrift inputs (a file with its includes, a folder, text), identity by id, surfaces, plans and bad input; through
the library and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from apidiff import compare, load
from apidiff.api import build_plan
from apidiff.cli import main
from apidiff.core.errors import ApidiffError
from apidiff.core.rule import Rule
from apidiff.formats import get
from apidiff.formats.thrift.model import ThriftApi, TypeRef
from tests.conftest import TODAY

RULES = sorted(get("thrift").rules(), key=lambda r: r.id)
COMMON = """namespace py acme.common
typedef i64 Id
enum Color { RED = 1, GREEN = 2 }
struct Audit { 1: string who }
"""
USER = """include "common.thrift"
namespace py acme
namespace java com.acme
const i32 LIMIT = 10
struct User {
  1: required common.Id id
  2: optional string email
  3: i32 age = 3
  4: common.Color color
  5: list<string> tags
  6: binary avatar
}
exception NotFound { 1: string why }
union Pick { 1: i32 a, 2: string b }
service Base { void ping() }
service Users extends Base {
  User get(1: common.Id id) throws (1: NotFound nf)
  oneway void log(1: string msg)
}
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--no-config"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def write(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / f"{name.replace('__', '/')}.thrift"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


# -- loading ---------------------------------------------------------------------------------------------------


def test_a_file_loads_with_its_includes_ids_and_locations(tmp_path: Path) -> None:
    write(tmp_path, common=COMMON, user=USER)
    api = load(str(tmp_path / "user.thrift"))
    assert isinstance(api, ThriftApi) and api.kind == "thrift"
    user = api.structs["User"]
    assert {i: (f.name, f.type.text, f.requiredness) for i, f in user.fields.items()} == {
        1: ("id", "i64", "required"), 2: ("email", "string", "optional"), 3: ("age", "i32", "default"),
        4: ("color", "common.Color", "default"), 5: ("tags", "list<string>", "default"),
        6: ("avatar", "binary", "default")}
    assert user.fields[3].default == "3"
    assert user.fields[4].type == TypeRef("enum", "common.Color") and user.fields[4].type.wire == "i32"
    assert user.fields[6].type.wire == "string"  # binary and string share a wire type
    loc = user.fields[2].location
    assert (loc.file, loc.line, loc.column) == (str(tmp_path / "user.thrift"), 7, 22)
    assert api.structs["NotFound"].kind == "exception" and api.structs["Pick"].kind == "union"
    assert api.structs["common.Audit"].file == str(tmp_path / "common.thrift")
    assert {v.number: v.name for v in api.enums["common.Color"].values.values()} == {1: "RED", 2: "GREEN"}
    assert api.typedefs["common.Id"].type == TypeRef("i64")
    assert api.consts["LIMIT"].value == "10"
    assert {k: n.name for k, n in api.namespaces.items()} == {"common:py": "acme.common", "java": "com.acme",
                                                               "py": "acme"}
    users = api.services["Users"]
    assert users.extends == "Base" and set(users.methods) == {"get", "log", "ping"}
    assert users.methods["log"].oneway and users.methods["ping"].service == "Base"
    get_ = users.methods["get"]
    assert get_.returns == TypeRef("struct", "User") and get_.args[1].type == TypeRef("i64")
    assert get_.throws[1].type == TypeRef("struct", "NotFound")
    assert get_.location.line == 17


def test_a_folder_compares_every_file_qualified_by_its_path(tmp_path: Path) -> None:
    old = write(tmp_path / "old", common=COMMON, user=USER)
    new = write(tmp_path / "new", common=COMMON.replace("typedef i64 Id", "typedef i32 Id"), user=USER)
    api = load(str(old))
    assert isinstance(api, ThriftApi) and "user.User" in api.structs and "common.Audit" in api.structs
    report = compare(str(old), str(new))
    assert {(c.id, c.subject) for c in report.changes} == {
        ("thrift-typedef-type-changed", "typedef common.Id"),
        ("thrift-field-type-changed", "user.User.id"),
        ("thrift-argument-type-changed", "user.Users.get(id)")}


def test_detection_by_content() -> None:
    thrift = get("thrift")
    assert thrift.detect("namespace py x\n") is not None
    assert thrift.detect("// a comment\ninclude \"a.thrift\"\n") is not None
    assert thrift.detect("struct A {\n  1: required i32 a\n}\n") is not None
    assert thrift.detect('syntax = "proto3";\nmessage A { int32 a = 1; }\n') is None
    assert thrift.detect("type Query { a: Int }") is None
    assert load("struct A { 1: i32 a }").kind == "thrift"


# -- identity and surfaces -------------------------------------------------------------------------------------


def _verdicts(old: str, new: str) -> dict[str, dict[str, tuple[str, str]]]:
    report = compare("namespace py a\n" + old, "namespace py a\n" + new)
    return {c.id: {s: (b.value, f.value) for s, (b, f) in (c.surfaces or {}).items()} for c in report.changes}


@pytest.mark.parametrize(("old", "new", "rule_id", "wire", "source"), [
    ("struct M { 1: i32 a }", "struct M { 1: i32 b }", "thrift-field-renamed", ("safe", "safe"),
     ("breaking", "breaking")),
    ("struct M { 1: i32 a }", "struct M { 1: i64 a }", "thrift-field-type-changed", ("breaking", "breaking"),
     ("breaking", "breaking")),
    ("struct M { 1: binary a }", "struct M { 1: string a }", "thrift-field-type-changed", ("dangerous", "safe"),
     ("breaking", "breaking")),
    ("struct M { 1: list<i32> a }", "struct M { 1: set<i32> a }", "thrift-field-type-changed",
     ("breaking", "breaking"), ("breaking", "breaking")),
    ("typedef i32 Id\nstruct M { 1: Id a }", "typedef i32 Key\nstruct M { 1: Key a }", None, None, None),
    ("struct M { 1: i32 a }", "struct M { 1: i32 a, 2: optional i32 b }", "thrift-field-added", ("safe", "dangerous"),
     ("safe", "breaking")),
    ("struct M { 1: i32 a, 2: string b }", "struct M { 1: i32 a, 2: i64 c }", "thrift-field-id-reused",
     ("breaking", "breaking"), ("breaking", "breaking")),
    ("enum E { A = 1 }", "enum E { B = 1 }", "thrift-enum-value-renamed", ("safe", "safe"), ("breaking", "breaking")),
    ("enum E { A = 1, B = 2 }", "enum E { A = 1, B = 3 }", "thrift-enum-value-renumbered", ("breaking", "breaking"),
     ("safe", "safe")),
    ("namespace java a.v1\nstruct M { 1: i32 a }", "namespace java a.v2\nstruct M { 1: i32 a }",
     "thrift-namespace-changed", ("safe", "safe"), ("breaking", "breaking")),
])
def test_changes_are_judged_per_surface(old: str, new: str, rule_id: str | None, wire: tuple[str, str] | None,
                                        source: tuple[str, str] | None) -> None:
    verdicts = _verdicts(old, new)
    if rule_id is None:  # a typedef renamed: the field's type resolves to the same i32
        assert set(verdicts) == {"thrift-typedef-added", "thrift-typedef-removed"}
        return
    assert set(verdicts) == {rule_id}
    assert verdicts[rule_id] == {"wire": wire, "source": source}


def test_direction_decides_requiredness_verdicts() -> None:
    """A required field added to a request breaks old clients; to a response it does not (old clients skip it)."""
    service = "service S {{ Res call(1: Req r) }}\n"
    old = "struct Req { 1: i32 a }\nstruct Res { 1: i32 a }\n" + service.format()
    request = old.replace("struct Req { 1: i32 a }", "struct Req { 1: i32 a, 2: required i32 b }")
    response = old.replace("struct Res { 1: i32 a }", "struct Res { 1: i32 a, 2: required i32 b }")
    (req,) = compare(old, request).changes
    (res,) = compare(old, response).changes
    assert (req.id, req.direction.value, req.backward.value) == ("thrift-field-added-required", "input", "breaking")
    assert (res.id, res.direction.value, res.backward.value, res.forward.value) == (
        "thrift-field-added-required", "output", "safe", "breaking")


def test_method_changes() -> None:
    old = "exception E { 1: string m }\nservice S { i32 a(1: i32 x), void b(), i32 c() throws (1: E e) }\n"
    new = "exception E { 1: string m }\nservice S { i64 a(1: i64 x), oneway void b(), i32 c() }\nservice T {}\n"
    report = compare("namespace py a\n" + old, "namespace py a\n" + new)
    assert {(c.id, c.subject, c.backward.value) for c in report.changes} == {
        ("thrift-method-return-type-changed", "S.a", "breaking"),
        ("thrift-argument-type-changed", "S.a(x)", "breaking"),
        ("thrift-method-oneway-changed", "S.b", "breaking"),
        ("thrift-throws-removed", "S.c throws e", "breaking"),
        ("thrift-service-added", "T", "safe")}


# -- every rule's example: one hit of its own id, the mirror when swapped ---------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_example(rule: Rule) -> None:
    assert rule.id.startswith("thrift-") and rule.surfaces is not None and set(rule.surfaces) == {"wire", "source"}
    report = compare(rule.example.old, rule.example.new, today=TODAY)
    hits = [c for c in report.changes if c.id == rule.id]
    assert len(hits) == 1, [c.id for c in report.changes]
    (hit,) = hits
    assert hit.old_location is not None or hit.new_location is not None
    assert set(hit.surfaces) == {"wire", "source"}
    back = compare(rule.example.new, rule.example.old, today=TODAY)
    by_id = {r.id: r for r in RULES}
    mirrors = [c for c in back.changes if by_id[c.id].family == rule.mirror
               and (c.old_location, c.new_location) == (hit.new_location, hit.old_location)]
    assert mirrors, [c.id for c in back.changes]
    assert max(m.backward for m in mirrors) == hit.forward
    assert {s: b for s, (b, _) in mirrors[0].surfaces.items()} == {s: f for s, (_, f) in hit.surfaces.items()}


# -- the command line -------------------------------------------------------------------------------------------


def test_cli_json_shows_changes_with_severities(tmp_path: Path) -> None:
    write(tmp_path / "a", common=COMMON, user=USER)
    write(tmp_path / "b", common=COMMON, user=USER.replace("3: i32 age = 3", "3: i64 age = 3")
          .replace("2: optional string email", "2: optional string mail"))
    code, out, _ = run("diff", str(tmp_path / "a" / "user.thrift"), str(tmp_path / "b" / "user.thrift"),
                       "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["old"]["kind"] == "thrift" and data["summary"] == {"breaking": 2, "dangerous": 0, "safe": 0}
    by_id = {c["id"]: c for c in data["changes"]}
    assert set(by_id) == {"thrift-field-type-changed", "thrift-field-renamed"}
    renamed = by_id["thrift-field-renamed"]
    assert renamed["subject"] == "User.mail" and renamed["severity"] == "breaking"
    assert renamed["surfaces"] == {"wire": {"backward": "safe", "forward": "safe"},
                                   "source": {"backward": "breaking", "forward": "breaking"}}
    assert renamed["old_location"]["line"] == 7
    assert run("diff", str(tmp_path / "a" / "user.thrift"), str(tmp_path / "a" / "user.thrift"))[0] == 0


@pytest.mark.parametrize(("files", "message"), [
    ({"bad": "struct A {\n  1: i32 a\n  2: i32 b,,\n}\n"}, "bad.thrift:3: syntax error at ','"),
    ({"bad": "namespace py x\nstruct A { 1: i32 a\n"}, "bad.thrift:3: unexpected end of file"),
    ({"bad": 'include "missing.thrift"\nstruct A { 1: i32 a }\n'},
     "bad.thrift:1: included file 'missing.thrift' not found"),
    ({"bad": 'namespace py x\ninclude "../../etc/x.thrift"\n'},
     "bad.thrift:2: included file '../../etc/x.thrift' is outside the schema's folder"),
    ({"bad": 'include "/etc/x.thrift"\n'},
     "bad.thrift:1: included file '/etc/x.thrift' must be a relative path inside the schema's folder"),
    ({"bad": 'include "sub/../../x.thrift"\n'}, "bad.thrift:1: included file 'sub/../../x.thrift' is outside"),
    ({"bad": "struct A { 1: i32 a, 2: Foo b }\n"}, "bad.thrift:1: No type found: 'Foo'"),
    ({"bad": "struct A { 1: i32 a, 1: i32 b }\n"}, "bad.thrift:1: '1:b' field identifier/name has already been used"),
    ({"bad": 'include "b.thrift"\nstruct A { 1: i32 a }\n', "b": 'include "bad.thrift"\nstruct B { 1: i32 a }\n'},
     "include cycle"),
    ({"bad": 'include "inc.thrift"\nstruct A { 1: inc.X a }\n', "inc": "struct X { 1: i32 a\n"},
     "inc.thrift:2: unexpected end of file"),
])
def test_bad_input_is_one_located_line_and_exit_2(tmp_path: Path, files: dict[str, str], message: str) -> None:
    write(tmp_path, **files)
    good = write(tmp_path / "good", good="struct A { 1: i32 a }\n") / "good.thrift"
    code, out, err = run("diff", str(tmp_path / "bad.thrift"), str(good))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("apidiff: error: ") and message in err, err
    assert "Traceback" not in err


def test_an_include_through_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside", secret="struct S { 1: i32 a }\n") / "secret.thrift"
    schema = write(tmp_path / "schema", main='include "link.thrift"\nstruct A { 1: i32 a }\n')
    os.symlink(outside, schema / "link.thrift")
    with pytest.raises(ApidiffError, match=r"outside the schema's folder"):
        load(str(schema / "main.thrift"))


def test_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    bad = write(tmp_path, bad='include "../../../etc/passwd.thrift"\n') / "bad.thrift"
    good = write(tmp_path, good="struct A { 1: i32 a }\n") / "good.thrift"
    for args in ((str(bad), str(good)), (str(good), str(bad))):
        proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "diff", *args, "--no-config"],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.count("\n") == 1 and "bad.thrift:1: included file" in proc.stderr


def test_text_input_has_no_includes() -> None:
    with pytest.raises(ApidiffError, match=r"included file 'a\.thrift' not found"):
        load('include "a.thrift"\nstruct A { 1: i32 a }\n')


# -- plans -------------------------------------------------------------------------------------------------------


def _plan(old: str, new: str) -> dict[str, object]:
    o, n = load(old), load(new)
    return build_plan(compare(o, n, today=TODAY), o, n, today=TODAY).to_dict()


def test_a_retyped_field_is_planned_under_a_new_id_and_the_expand_step_is_safe() -> None:
    old = "namespace py a\nstruct M {\n  1: i32 a,\n  2: i32 count,\n}\n"
    new = old.replace("2: i32 count", "2: i64 count")
    plan = _plan(old, new)
    (item,) = plan["items"]  # type: ignore[misc]
    assert item["strategy"] == "staged-rollout" and item["headers"] == [] and item["replacement"] == "3: count_v2"
    expand, migrate, contract = item["phases"]
    code = expand["snippets"][0]["code"]
    assert code == ('2: i32 count (deprecated = "use count_v2 (3); removal on 2026-04-01"),\n'
                    "3: i64 count_v2,")
    expanded = old.replace("  2: i32 count,\n", "  " + code.replace("\n", "\n  ") + "\n")
    assert [c.id for c in compare(old, expanded).changes] == ["thrift-field-added"]  # safe, and valid Thrift
    assert "never reuse id 2" in contract["snippets"][0]["code"]
    assert migrate["steps"] and contract["steps"]


def test_a_removed_field_is_deprecated_then_left_as_a_comment() -> None:
    old = "namespace py a\nstruct M {\n  1: i32 a,\n  2: string b,\n}\n"
    (item,) = _plan(old, old.replace("  2: string b,\n", ""))["items"]  # type: ignore[misc]
    expand, _, contract = item["phases"]
    assert expand["snippets"][0]["code"] == '2: string b (deprecated = "no longer written; removal on 2026-04-01"),'
    assert contract["snippets"][0]["code"] == "// 2: string b (removed on 2026-04-01; never reuse id 2)"
    expanded = old.replace("2: string b,", expand["snippets"][0]["code"])
    assert compare(old, expanded).changes == ()


def test_a_changed_method_gets_a_new_method_beside_it() -> None:
    old = "namespace py a\nservice S {\n  i32 get(1: i32 id)\n}\n"
    (item,) = _plan(old, old.replace("i32 get", "i64 get"))["items"]  # type: ignore[misc]
    assert item["element"] == "method" and item["replacement"] == "getV2"
    expand, migrate, contract = item["phases"]
    assert "getV2" in expand["steps"][0] and "migrate" not in contract["steps"][0]
    snippet = expand["snippets"][0]["code"]
    assert snippet == 'i32 get(1: i32 id) (deprecated = "use getV2; removal on 2026-04-01")'
    assert compare(old, old.replace("i32 get(1: i32 id)", snippet)).changes == ()
    assert "callers move to `getV2`" in migrate["steps"][0]


def test_a_field_made_required_stays_optional_until_every_writer_sets_it() -> None:
    old = "namespace py a\nstruct M {\n  1: optional i32 a,\n}\n"
    (item,) = _plan(old, old.replace("optional i32 a", "required i32 a"))["items"]  # type: ignore[misc]
    expand, migrate, contract = item["phases"]
    assert expand["snippets"][0]["code"] == "1: optional i32 a,"
    assert "every writer starts setting `a`" in migrate["steps"][0] and "required" in contract["steps"][0]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_example_that_needs_a_plan_gets_three_phases(rule: Rule) -> None:
    plan = _plan(rule.example.old, rule.example.new)
    for item in plan["items"]:  # type: ignore[attr-defined]
        assert [p["name"] for p in item["phases"]] == ["expand", "migrate", "contract"]
        assert all(p["steps"] for p in item["phases"]) and item["headers"] == []
        for snippet in item["phases"][0]["snippets"]:
            assert snippet["language"] == "thrift"


def test_a_file_and_its_includes_at_a_git_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Includes are read from the revision, not from the working tree (a scratch repository of the test's own)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    write(tmp_path / "api", common=COMMON, user=USER)
    git("add", "-A")
    git("commit", "-qm", "v1")
    write(tmp_path / "api", common=COMMON.replace("typedef i64 Id", "typedef i32 Id"))
    monkeypatch.chdir(tmp_path)
    report = compare("git:HEAD:api/user.thrift", "api/user.thrift")
    assert {c.id for c in report.changes} == {"thrift-typedef-type-changed", "thrift-field-type-changed",
                                              "thrift-argument-type-changed"}
    assert compare("git:HEAD:api/user.thrift", "git:HEAD:api/user.thrift").changes == ()

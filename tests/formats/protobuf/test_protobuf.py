"""Protobuf inputs (sources compiled by grpcio-tools' protoc, binary and JSON images built by the real buf),
identity by number, surfaces and profiles, bad input; through the library and the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from apidiff import compare, load
from apidiff.cli import main
from apidiff.formats.protobuf.model import ProtoApi
from tests.peers import buf

ROOT = Path(__file__).parents[3]
V1 = '''syntax = "proto3";
package acme.v1;
message User {
  string id = 1;
  string email = 2;
  int32 age = 3;
}
service Users { rpc Get(User) returns (User); }
'''
V2 = V1.replace("string email = 2;", "string mail = 2;").replace("int32 age = 3;", "int64 age = 3;")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--no-config"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def module(folder: Path, text: str, config: str | None = None) -> Path:
    (folder / "acme" / "v1").mkdir(parents=True)
    (folder / "acme" / "v1" / "user.proto").write_text(text)
    if config is not None:
        (folder / "buf.yaml").write_text(config)
    return folder


def test_a_file_loads_with_numbers_names_and_locations(tmp_path: Path) -> None:
    path = tmp_path / "user.proto"
    path.write_text(V1)
    api = load(str(path))
    assert isinstance(api, ProtoApi)
    user = api.messages["acme.v1.User"]
    assert {n: (f.name, f.kind, f.json_name) for n, f in user.fields.items()} == {
        1: ("id", "string", "id"), 2: ("email", "string", "email"), 3: ("age", "int32", "age")}
    assert (user.fields[2].location.file, user.fields[2].location.line, user.fields[2].location.column) == (
        str(path), 5, 3)
    assert api.services["acme.v1.Users"].methods["Get"].input == "acme.v1.User"


def test_a_rename_is_a_name_change_judged_per_surface(tmp_path: Path) -> None:
    report = compare(V1, V2)
    by_id = {c.id: c for c in report.changes}
    assert set(by_id) == {"proto-field-renamed", "proto-field-type-changed"}
    renamed = by_id["proto-field-renamed"]
    assert {s: b.value for s, (b, _) in renamed.surfaces.items()} == {"wire": "safe", "json": "breaking",
                                                                      "source": "breaking"}
    # int32 -> int64: the same varint on the wire; in JSON an int64 reader takes every int32 number, an int32 reader
    # rejects the int64s beyond its range (a rollback)
    retyped = by_id["proto-field-type-changed"]
    assert {s: (b.value, f.value) for s, (b, f) in retyped.surfaces.items()} == {
        "wire": ("safe", "dangerous"), "json": ("safe", "breaking"), "source": ("breaking", "breaking")}
    assert renamed.args["buf"] == ("FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME")


@pytest.mark.parametrize(("profile", "breaking"), [
    ("FILE", {"proto-field-renamed", "proto-field-type-changed"}),
    ("WIRE_JSON", {"proto-field-renamed", "proto-field-type-changed"}),
    ("WIRE", set()),
    ("FIELD_SAME_TYPE", {"proto-field-type-changed"}),
])
def test_a_profile_chooses_what_fails(tmp_path: Path, profile: str, breaking: set[str]) -> None:
    report = compare(V1, V2, profile=profile)
    assert {c.id for c in report.changes if c.severity.value == "breaking"} == breaking
    assert {c.id for c in report.changes} == {"proto-field-renamed", "proto-field-type-changed"}  # all reported


def test_buf_yaml_selects_the_category_and_ignores(tmp_path: Path) -> None:
    old = module(tmp_path / "old", V1)
    new = module(tmp_path / "new", V2, "version: v2\nbreaking:\n  use: [WIRE]\n")
    assert not [c for c in compare(str(old), str(new)).changes if c.severity.value == "breaking"]
    ignored = module(tmp_path / "ignored", V2, "version: v2\nbreaking:\n  use: [FILE]\n  ignore: [acme/v1]\n")
    assert not [c for c in compare(str(old), str(ignored)).changes if c.severity.value == "breaking"]
    code, out, _ = run("diff", str(old), str(new), "--profile", "WIRE_JSON")
    assert code == 1 and "proto-field-type-changed" in out


def test_images_built_by_buf_give_the_same_changes_as_the_sources(tmp_path: Path) -> None:
    buf.install()
    old = module(tmp_path / "old", V1, "version: v2\n")
    new = module(tmp_path / "new", V2, "version: v2\n")
    images = {}
    for name, folder in (("old", old), ("new", new)):
        images[name] = buf.build(folder, tmp_path / f"{name}.binpb")
        subprocess.run([str(buf.binary()), "build", str(folder), "-o", str(tmp_path / f"{name}.json")], check=True,
                       capture_output=True, cwd=folder)
    from_sources = [(c.id, c.subject) for c in compare(str(old), str(new)).changes]
    assert [(c.id, c.subject) for c in compare(str(images["old"]), str(images["new"])).changes] == from_sources
    assert [(c.id, c.subject) for c in compare(str(tmp_path / "old.json"), str(tmp_path / "new.json")).changes] \
        == from_sources
    assert from_sources


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("bad.proto", 'syntax = "proto3";\npackage a;\nmessage M { strin a = 1; }\n', "bad.proto:3:"),
    ("bad.proto", 'syntax = "proto3";\npackage a;\nimport "missing.proto";\n', "bad.proto:3:"),
    ("bad.binpb", b"\x0a\xff\xff\xff\xff\x0f", "not a valid Protobuf image"),
])
def test_bad_input_is_one_located_line_and_exit_2(tmp_path: Path, name: str, content: str | bytes,
                                                  expected: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    code, out, err = run("diff", str(path), str(path))
    assert code == 2, (out, err)
    assert len(err.strip().splitlines()) == 1 and err.startswith("apidiff: error: "), err
    assert expected in err


def test_an_unknown_buf_rule_in_buf_yaml_is_one_line(tmp_path: Path) -> None:
    old = module(tmp_path / "old", V1)
    new = module(tmp_path / "new", V2, "version: v2\nbreaking:\n  use: [FIELD_SAME_COLOUR]\n")
    code, _, err = run("diff", str(old), str(new))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "buf.yaml" in err and "FIELD_SAME_COLOUR" in err


def test_the_buf_rule_mapping_page_is_complete_and_up_to_date() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_buf_mapping.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_plans_add_a_new_number_deprecate_the_old_and_reserve_it(tmp_path: Path) -> None:
    """The rollout of a renamed or retyped field: the expand step (old field deprecated, the new one under a free
    number) compiles and is no breaking change to the old schema; the contract step reserves number and name."""
    from apidiff.api import build_plan

    old_text = (ROOT / "examples" / "protobuf" / "v1.proto").read_text()
    old_api, new_api = load(str(ROOT / "examples" / "protobuf" / "v1.proto")), \
        load(str(ROOT / "examples" / "protobuf" / "v2.proto"))
    report = compare(old_api, new_api)
    plan = build_plan(report, old_api, new_api, today=report_date())
    items = {i.change.subject: i for i in plan.items}
    assert {i.strategy for i in plan.items} == {"staged-rollout"} and all(i.headers == () for i in plan.items)
    for subject, old_line, reserved in (("acme.users.v1.User.email_address", "  string email = 2;",
                                         'reserved 2;\nreserved "email";'),
                                        ("acme.users.v1.User.age", "  int32 age = 3;", 'reserved 3;\nreserved "age";')):
        item = items[subject]
        (snippet,) = item.phase("expand").snippets
        expanded = old_text.replace(old_line, "\n".join(f"  {line}" for line in snippet.code.splitlines()))
        assert expanded != old_text
        path = tmp_path / "expanded.proto"
        path.write_text(expanded)
        assert not [c for c in compare(old_text, str(path)).changes if c.severity.value == "breaking"], subject
        (reserve,) = item.phase("contract").snippets
        assert reserve.code == reserved
    removed = items["acme.users.v1.User.nickname"]
    assert removed.phase("contract").snippets[0].code == 'reserved 5;\nreserved "nickname";'


def report_date() -> Any:
    from datetime import date

    return date(2026, 12, 1)

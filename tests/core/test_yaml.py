"""JSON/YAML parsing: YAML 1.2 scalars, safety limits, one-line errors, and line lookup afterwards."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from apidiff import ApidiffError, LimitExceeded, ParseError, compare, load
from apidiff.core._yaml import (
    _compose_positions,
    dumps_json,
    exact_number,
    find_duplicate_key,
    loads_json,
    parse_document,
    yaml_pointer_positions,
)
from tests.conftest import FIXTURES

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_yaml_keys_are_text_and_dates_stay_strings() -> None:
    doc = parse_document("responses:\n  200: {description: ok}\n  default: {}\nx-sunset: 2027-03-01\non: yes\n",
                         "a.yaml")
    assert doc == {"responses": {"200": {"description": "ok"}, "default": {}}, "x-sunset": "2027-03-01",
                   "on": "yes"}


def test_yaml_flow_document_is_not_mistaken_for_json() -> None:
    assert parse_document("{openapi: 3.0.3, paths: {}}", "a.yaml") == {"openapi": "3.0.3", "paths": {}}


def test_billion_laughs_is_refused_quickly() -> None:
    with pytest.raises(LimitExceeded) as info:
        parse_document(BILLION_LAUGHS, "bomb.yaml")
    assert str(info.value).startswith("bomb.yaml: ")
    assert "alias" in str(info.value)


@pytest.mark.parametrize("text", [
    "[" * 100_000 + "]" * 100_000,
    '{"a": ' * 100_000 + "1" + "}" * 100_000,
    "a:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(3_000)),
    "a: " + "[" * 100_000 + "]" * 100_000,
    "a: " + "[x, " * 100_000 + "]" * 100_000,
    "a: " + "{a: " * 1_000 + "1" + "}" * 1_000,
])
def test_deep_nesting_is_a_limit(text: str) -> None:
    with pytest.raises(LimitExceeded) as info:
        parse_document(text, "deep.yaml")
    assert "\n" not in str(info.value) and str(info.value).startswith("deep.yaml")


@pytest.mark.parametrize(("text", "line", "column", "words"), [
    ("a: [1, 2\nb: 3\n", 2, 2, "expected ',' or ']'"),
    ("a: b: c\n", 1, 5, "mapping values are not allowed"),
    ("a:\n  - x\n y: 2\n", 3, 2, "did not find expected key"),
    ("a: *nope\n", 1, 4, "unknown anchor"),
    ("a:\n\tb: 1\n", 2, 1, "cannot start any token"),
    ("a: 1\nb:\n  c: 1\n  c: 2\n", 4, 3, "duplicate key"),
    ('{"a": 1,}', 1, 9, "invalid JSON"),
])
def test_syntax_errors_name_file_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_document(text, "bad.yaml")
    error = info.value
    assert (error.file, error.line, error.column) == ("bad.yaml", line, column)
    assert words in str(error) and "\n" not in str(error)


def test_several_documents_in_one_file_are_refused() -> None:
    with pytest.raises(ParseError, match="more than one YAML document"):
        parse_document("a: 1\n---\nb: 2\n", "two.yaml")


def test_hostile_openapi_files_fail_with_exit_2_material(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n" + "x-" + BILLION_LAUGHS)
    with pytest.raises(ApidiffError) as info:
        load(path)
    assert str(path) in str(info.value)


def _all_pointers(value: object, pointer: str = "") -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, child in value.items():
            inner = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            found += [inner, *_all_pointers(child, inner)]
    elif isinstance(value, list):
        for index, child in enumerate(value):
            inner = f"{pointer}/{index}"
            found += [inner, *_all_pointers(child, inner)]
    return found


YAML_FILES = [*sorted((FIXTURES / "openapi").rglob("*.yaml")), Path("examples/petstore/v1.yaml"),
              Path("examples/petstore/v2.yaml")]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: "/".join(p.parts[-3:]))
def test_line_scan_agrees_with_pyyaml_on_every_element(path: Path) -> None:
    text = path.read_text()
    pointers = _all_pointers(parse_document(text, path.name))
    scanned = yaml_pointer_positions(text, pointers)
    exact = _compose_positions(text, set(pointers))
    assert {p: line for p, (line, _) in scanned.items()} == {p: line for p, (line, _) in exact.items()}


_key = st.text(alphabet="abcxyz_/~{}: 012'\"#-", min_size=1, max_size=8)
_tree = st.recursive(st.one_of(st.integers(), st.text(max_size=10), st.booleans(), st.none()),
                     lambda inner: st.one_of(st.lists(inner, min_size=1, max_size=3),
                                             st.dictionaries(_key, inner, min_size=1, max_size=3)),
                     max_leaves=25)


@settings(max_examples=200, deadline=None)
@given(tree=st.dictionaries(_key, _tree, min_size=1, max_size=4),
       flow=st.sampled_from([False, None]), indent=st.sampled_from([2, 4]))
def test_line_scan_agrees_with_pyyaml_on_any_block_document(tree: dict[str, object], flow: bool | None,
                                                             indent: int) -> None:
    text = yaml.safe_dump(tree, default_flow_style=flow, indent=indent, allow_unicode=True, width=40)
    pointers = _all_pointers(yaml.safe_load(text))
    scanned = yaml_pointer_positions(text, pointers)
    exact = _compose_positions(text, set(pointers))
    assert {p: v[0] for p, v in scanned.items()} == {p: v[0] for p, v in exact.items()}


def test_duplicate_key_finder_ignores_keys_of_different_parents() -> None:
    assert find_duplicate_key("a:\n  x: 1\nb:\n  x: 2\n") is None
    assert find_duplicate_key("- x: 1\n- x: 2\n") is None
    assert find_duplicate_key("a:\n  x: 1\n  y: 2\n  x: 3\n") == (4, 3)


def test_yaml_change_is_reported_at_its_line() -> None:
    report = compare(FIXTURES / "openapi" / "multifile" / "v1" / "openapi.yaml",
                     FIXTURES / "openapi" / "multifile" / "v2" / "openapi.yaml")
    (change,) = report.changes
    assert change.new_location is not None
    assert (change.new_location.line, change.new_location.column) == (3, 3)  # `email:` in schemas/owner.yaml


@pytest.mark.parametrize("text", ["9" * 5000, "-" + "9" * 4301, "0.1000000000000000000001", "1E+400", "-2.5e-400"])
def test_dumps_json_writes_exact_numbers_as_written_numbers(text: str) -> None:
    value = {"n": [exact_number(text), "\x00 a string with NUL stays a string"]}
    written = dumps_json(value, ensure_ascii=False)
    assert loads_json(written) == value
    assert written.startswith('{"n": [' + str(Decimal(text)))

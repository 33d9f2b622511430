"""Errors in plain English, through the command: exit code 2, one line, naming the file.

- two documents of different formats are named by their formats' titles ("an OpenAPI document");
- text that is no schema (a README, prose, a log, YAML without ``openapi:``) says what was expected,
  while real SDL with a syntax error keeps its located GraphQL syntax error;
- ``--validate`` names the keyword that failed and why, at that keyword's line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PETSTORE = ROOT / "examples" / "petstore" / "v1.yaml"
GRAPHQL = ROOT / "examples" / "graphql" / "v1.graphql"
NOT_A_SCHEMA = ("not a schema this tool reads (expected a GraphQL schema, an OpenAPI document, a Protobuf "
                "schema or a Thrift IDL file)")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "apidiff.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def one_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("apidiff: error: ")
    return lines[0].removeprefix("apidiff: error: ")


def test_two_formats_are_named_by_their_titles() -> None:
    message = one_error(cli("diff", str(PETSTORE.relative_to(ROOT)), str(GRAPHQL.relative_to(ROOT))))
    assert message == ("cannot compare an OpenAPI document (examples/petstore/v1.yaml) with a GraphQL schema "
                       "(examples/graphql/v1.graphql)")
    back = one_error(cli("diff", str(GRAPHQL.relative_to(ROOT)), str(PETSTORE.relative_to(ROOT))))
    assert back.startswith("cannot compare a GraphQL schema (examples/graphql/v1.graphql) with an OpenAPI document")


@pytest.mark.parametrize("text", [
    "# apidiff\n\nDiffs API schemas.\n\n* GraphQL\n* OpenAPI\n\ntype the command below to start:\n",  # a README
    "hello world\n",
    "",
    "info:\n  title: Pets\npaths: {}\n",  # YAML that forgot its openapi: line
    '127.0.0.1 - - [14/Jan/2025:10:00:00 +0000] "GET /v1/pets HTTP/1.1" 200 12\n',  # a log
    "[1, 2, 3]\n",
])
def test_text_that_is_no_schema_says_what_was_expected(tmp_path: Path, text: str) -> None:
    notes = tmp_path / "README.md"
    notes.write_text(text)
    message = one_error(cli("diff", str(notes), str(GRAPHQL)))
    assert message == f"{notes}: {NOT_A_SCHEMA}"


@pytest.mark.parametrize(("sdl", "where", "what"), [
    ("type Query {\n  a: Int\n  b:\n}\n", "4:1", "GraphQL syntax error: Expected Name, found '}'."),
    ("schema { query: Q }\ntype Q { a: Int! = }\n", "2:18", "GraphQL syntax error: Expected Name, found '='."),
    ('"""The root."""\ntype Query {\n  a(x: Int = ): Int\n}\n', "3:14", "GraphQL syntax error"),
    ("scalar Date\nunion U = \n", "3:1", "GraphQL syntax error"),
    ("# the schema\nextend type Query @key(fields: ) { a: Int }\n", "2:32", "GraphQL syntax error: Unexpected ')'."),
])
def test_sdl_with_a_syntax_error_keeps_its_located_error(tmp_path: Path, sdl: str, where: str, what: str) -> None:
    bad = tmp_path / "bad.graphql"
    bad.write_text(sdl)
    message = one_error(cli("diff", str(bad), str(GRAPHQL)))
    assert message.startswith(f"{bad}:{where}: {what}"), message


def _validate(tmp_path: Path, old: str, new: str) -> list[str]:
    bad = tmp_path / "bad.yaml"
    bad.write_text(PETSTORE.read_text().replace(old, new, 1))
    proc = cli("diff", str(bad), str(PETSTORE), "--validate")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    prefix = f"apidiff: invalid: {bad}:"
    return [line.removeprefix(prefix) for line in proc.stderr.splitlines() if line.startswith(prefix)]


@pytest.mark.parametrize(("old", "new", "problems"), [
    ("in: query", "in: body", ["14:11: in: 'body' is not one of 'path', 'query', 'header', 'cookie'"]),
    ("type: integer", "type: intger",
     ["16:13: type: 'intger' is not one of 'array', 'boolean', 'integer', 'number', 'object', 'string'"]),
    ("description: Deleted", "descriptio: Deleted",
     ["75:9: '204': required key 'description' is missing",
      "76:11: descriptio: unknown key in '204' (expected description, headers, content, links or x- extensions)"]),
    ("  version: 1.0.0", "  versio: 1.0.0",
     ["2:1: info: required key 'version' is missing",
      "4:3: versio: unknown key in info (expected title, description, termsOfService, contact, license, version "
      "or x- extensions)"]),
    ("'200':", "'2000':",
     ["23:9: '2000': unknown key in responses (expected default or status codes (200, 4XX) or x- extensions)"]),
    ("operationId: deletePet", "operationId: getPet",
     ["65:7: operationId: Operation ID 'getPet' for 'delete' in '/pets/{petId}' is not unique"]),
    ("- name: petId", "- name: pet_id",
     ["46:3: /pets/{petId}: path parameter {petId} of GET is not declared in its parameters",
      "50:11: name: path parameter 'pet_id' is not in the path /pets/{petId}"]),
])
def test_validate_names_the_keyword_and_why_at_its_line(tmp_path: Path, old: str, new: str,
                                                        problems: list[str]) -> None:
    assert old in PETSTORE.read_text()
    found = _validate(tmp_path, old, new)
    assert found == problems
    for line in found:
        assert not line.startswith("1:1:") and "{'" not in line  # located, and no schema dumped


def test_validate_places_a_schema_problem_the_validator_reports_without_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"  # OpenAPI 3.1 checks schemas on their own: the path starts at the schema
    bad.write_text(PETSTORE.read_text().replace("openapi: 3.0.3", "openapi: 3.1.0").replace(
        "type: integer", "type: intger", 1))
    proc = cli("diff", str(bad), str(PETSTORE), "--validate")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == (
        f"apidiff: invalid: {bad}:16:13: type: 'intger' is not one of 'array', 'boolean', 'integer', 'null', "
        "'number', 'object', 'string'")

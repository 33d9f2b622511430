"""A structure-aware fuzzer for every input apidiff reads: bad input must never crash, never hang.

Formats (``--format``): ``openapi`` (Swagger 2.0, OpenAPI 3.0 and 3.1, YAML and JSON, single files and a
multi-file folder), ``sdl`` (GraphQL SDL, as a file or a folder of files), ``introspection`` (GraphQL
introspection JSON, generated from the SDL seeds with graphql-core, as ``{"data": {"__schema": ...}}`` and
``{"__schema": ...}``) and ``usage`` (the ``--usage`` files: GraphQL operations, persisted-query maps, operation
manifests, HAR, JSON lines, access logs). The seeds are ``examples/``, ``fixtures/`` and the acceptance cases of
``tests/acceptance/``.

Each case takes a seed, mutates it and writes the files into a temporary folder:

- bytes: bit flips, inserted tokens, deletions, splices from another seed, truncation, duplicated ranges;
- YAML: anchors and aliases (recursive ones too), merge keys ``<<``, tags (``!!python/object``, ``!!binary``...),
  complex keys (``? [a]``, ``[a]: 1``), duplicate keys, several documents, directives, tabs, CRLF, a BOM;
- JSON/YAML structure: a node replaced by a value of another type (a 5,000-digit integer, NaN, 1e400 among
  them), required keys deleted, unknown keys added, a sibling repeated up to 10,000 times, nesting 1,000 to
  100,000 levels deep, strings of megabytes, values that the key calls for (``type``, ``in``, ``x-sunset``...);
- ``$ref``: empty, ``#``, ``#/``, itself, chains of 1,000, missing files, ``../../etc/passwd``,
  ``http://127.0.0.1:1/x``, ``file:///etc/passwd``, non-strings, a sibling file that is broken or refers back;
- SDL: definitions removed, duplicated, in conflict, retyped (undefined names, a scalar for an object, deep
  lists), kinds swapped, ``extend`` forms, directives used and defined, schema definitions, huge lists;
- introspection: type references with a null name, unknown kinds, 1,000-level ``ofType`` chains, missing keys,
  values of the wrong type, broken wrappers;
- usage: deep selections, thousands of aliases, fragment cycles, broken lines of traffic, odd URLs and methods.

Then it runs the command line in-process (``click.testing.CliRunner``, stderr captured apart) from that folder:
``diff MUT MUT --format json`` (exit 0 with no change, or exit 2), ``diff OLD MUT`` and ``diff MUT OLD`` (the
report format rotating over text, markdown, json, html, sarif, junit and github across cases), and one of
``changelog``, ``plan``, ``guide``, ``diff --mode full`` or a diff against another format, rotating; a usage
mutant runs ``diff OLD NEW --usage MUT``, ``impact OLD NEW --usage MUT`` and one of ``guide --usage``, ``diff
--usage-only`` or ``diff NEW NEW --usage`` (no change).

A run fails when it raises (an uncaught exception is a traceback for the user; the fuzzer sets
``APIDIFF_DEBUG=1`` so that the CLI lets it out rather than print its one-line "internal error"), is slow (longer
than ``--time-limit`` seconds plus ``--time-per-mb`` per MB of the files the command reads, a document diffed
against itself counted twice, plus ``--time-per-mb-out`` per MB it writes; twice: a slow run is timed again; and
longer than ``--time-limit`` plus ``--reference-factor`` times what the format's own parsers, graphql-core, json
and ryaml, take on the same files: the fuzzer hunts apidiff's own superlinear paths, not a dependency's constant)
or hangs
(stopped at ``--hang-factor`` times that limit), exits with a code other than 0, 1 and 2, prints "Traceback" or
"internal error", ends with exit code 2 without exactly one line ``apidiff: error: ...`` on stderr, names a
Python exception or repeats a Python error text (``'int' object has no attribute``) on stderr, writes a line to
stderr that is not ``apidiff: ...``, writes a JSON or SARIF report that is not JSON or a JUnit report that is not
XML, exits with 1 under ``--fail-on never``, or finds a change between a document and itself.

Usage::

    python bench/fuzz.py [--seed N] [--runs N | --minutes M] [--format openapi|sdl|introspection|usage|all]
                         [--save-failures DIR] [--case I] [--time-limit S] [--time-per-mb S]
                         [--time-per-mb-out S] [--hang-factor K] [--memory-limit GB] [-v]

``--runs`` counts cases (each is two to four command-line runs); the default is 200 cases. The output is one
line per distinct failure (deduplicated by exception type and deepest apidiff frame, or by the first line of
the error with numbers and quoted text blanked), then ``runs N, failures M (distinct D), by format: ...``; the
exit code is 1 when anything failed. Every case depends only on ``--seed`` and its number: ``--case I`` replays
case I alone (``-v`` prints the traceback), and ``--save-failures DIR`` writes each distinct failure's files
with a ``repro.sh`` and a ``failure.txt`` (the traceback). ``tests/test_fuzz.py`` runs the same engine with a
fixed seed and a fixed number of cases.

The process's address space is capped at ``--memory-limit`` GB (6 by default): a run that would use more
raises ``MemoryError`` and fails as a crash with its files saved, rather than the kernel killing the fuzzer.

A hang in C code cannot be interrupted by the alarm: a watchdog thread then prints the case, saves its files
(into ``--save-failures`` DIR or a temporary folder) and ends the process with exit code 3.
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import functools
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # fuzz this working tree's apidiff

FAMILIES = ("openapi", "sdl", "introspection", "usage")
FAMILY_WEIGHTS = (35, 25, 20, 20)
REPORT_FORMATS = ("text", "markdown", "json", "html", "sarif", "junit", "github")
MODES = ("backward", "forward", "full")
FAIL_ONS = (None, "dangerous", "never", "safe", None)
TODAY = "2026-01-01"  # sunset verdicts must not change with the calendar
MAX_MUTANT_BYTES = 12 * 1024 * 1024
PKG = str(REPO / "apidiff") + os.sep
ENV = {"APIDIFF_NO_FORK": "1", "APIDIFF_DEBUG": "1"}

Json = Any
TreePath = tuple[str | int, ...]


# -- seeds -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Doc:
    """One side of a comparison: its files (path relative to the side's folder → bytes) and what the command line
    names (a file, or a folder of SDL files)."""

    files: dict[str, bytes]
    root: str

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())


@dataclass(frozen=True)
class Seed:
    family: str
    name: str
    doc: Doc
    partner: Doc  # the other version of the same API (v1 ↔ v2); for usage seeds, the old schema
    kind: str  # yaml, json, sdl, introspection; for usage: graphql, persisted, manifest, har, jsonl, log
    new: Doc | None = None  # usage seeds: the new schema
    consumer: str = ""  # usage seeds: a consumer that the unmutated file has


def _read(path: Path) -> bytes:
    return path.read_bytes()


def _single(name: str, data: bytes) -> Doc:
    return Doc({name: data}, name)


def _yaml_text(data: Json) -> bytes:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def _json_text(data: Json) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def _load_tree(data: bytes) -> Json:
    import ryaml  # type: ignore[import-untyped,unused-ignore]

    text = data.decode("utf-8")
    if text.lstrip()[:1] in ("{", "["):
        return json.loads(text)
    return ryaml.loads(text)  # type: ignore[attr-defined,unused-ignore]  # YAML 1.2, as apidiff reads it


def load_seeds() -> dict[str, list[Seed]]:
    """Every seed, by family; the order is fixed (sorted paths), so that a seed and a case number replay."""
    import yaml

    seeds: dict[str, list[Seed]] = {f: [] for f in FAMILIES}
    pairs: list[tuple[str, Path, Path]] = [("petstore", REPO / "examples/petstore/v1.yaml",
                                            REPO / "examples/petstore/v2.yaml")]
    for folder in sorted((REPO / "fixtures/openapi").iterdir()):
        if (folder / "old.yaml").is_file():
            pairs.append((folder.name, folder / "old.yaml", folder / "new.yaml"))
    pairs.append(("usage-http", REPO / "fixtures/usage/http/old.yaml", REPO / "fixtures/usage/http/new.yaml"))
    openapi: list[tuple[str, bytes, bytes]] = [(n, _read(a), _read(b)) for n, a, b in pairs]
    for i, case in enumerate(yaml.safe_load((REPO / "tests/acceptance/openapi.yaml").read_text())):
        openapi.append((f"acceptance-openapi-{i}", _yaml_text(case["old"]), _yaml_text(case["new"])))
    for name, old, new in openapi:
        for side, (mine, other) in (("old", (old, new)), ("new", (new, old))):
            seeds["openapi"].append(Seed("openapi", f"{name}/{side}.yaml", _single("openapi.yaml", mine),
                                         _single("openapi.yaml", other), "yaml"))
            as_json = _json_text(_load_tree(mine))
            seeds["openapi"].append(Seed("openapi", f"{name}/{side}.json", _single("openapi.json", as_json),
                                         _single("openapi.json", _json_text(_load_tree(other))), "json"))
    multi = REPO / "fixtures/openapi/multifile"
    if multi.is_dir():
        v1, v2 = (_folder_doc(multi / v, "openapi.yaml") for v in ("v1", "v2"))
        seeds["openapi"] += [Seed("openapi", "multifile/v1", v1, v2, "yaml"),
                             Seed("openapi", "multifile/v2", v2, v1, "yaml")]

    sdl: list[tuple[str, bytes, bytes]] = [
        ("graphql-example", _read(REPO / "examples/graphql/v1.graphql"), _read(REPO / "examples/graphql/v2.graphql")),
        ("usage-graphql", _read(REPO / "fixtures/usage/graphql/old.graphql"),
         _read(REPO / "fixtures/usage/graphql/new.graphql")),
    ]
    for i, case in enumerate(yaml.safe_load((REPO / "tests/acceptance/graphql.yaml").read_text())):
        sdl.append((f"acceptance-graphql-{i}", case["old"].encode(), case["new"].encode()))
    for name, old, new in sdl:
        for side, (mine, other) in (("old", (old, new)), ("new", (new, old))):
            seeds["sdl"].append(Seed("sdl", f"{name}/{side}.graphql", _single("schema.graphql", mine),
                                     _single("schema.graphql", other), "sdl"))
            try:
                a, b = _introspection(mine), _introspection(other)
            except Exception:  # an SDL seed graphql-core refuses: no introspection seed from it
                continue
            for wrap in ("data", "bare"):
                seeds["introspection"].append(Seed(
                    "introspection", f"{name}/{side}.{wrap}.json", _single("schema.json", _wrap(a, wrap)),
                    _single("schema.json", _wrap(b, wrap)), "introspection"))

    gql = REPO / "fixtures/usage/graphql"
    gql_old = _single("old.graphql", _read(gql / "old.graphql"))
    gql_new = _single("new.graphql", _read(gql / "new.graphql"))
    for client in sorted((gql / "clients").iterdir()):  # a consumer is named after its folder
        files = {f"{client.name}/{p.name}": p.read_bytes() for p in sorted(client.iterdir())}
        for path in sorted(client.iterdir()):
            kind = "graphql" if path.suffix == ".graphql" else ("manifest" if "manifest" in path.name else "persisted")
            seeds["usage"].append(Seed("usage", f"graphql/{client.name}/{path.name}",
                                       Doc(files, f"{client.name}/{path.name}"), gql_old, kind, gql_new, client.name))
    http = REPO / "fixtures/usage/http"
    http_old, http_new = _single("old.yaml", _read(http / "old.yaml")), _single("new.yaml", _read(http / "new.yaml"))
    for name, kind in (("traffic.har", "har"), ("traffic.jsonl", "jsonl"), ("access.log", "log")):
        seeds["usage"].append(Seed("usage", f"http/{name}", _single(name, _read(http / name)), http_old, kind,
                                   http_new, "key_web_07"))
    return seeds


def _folder_doc(folder: Path, root: str) -> Doc:
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return Doc(files, root)


def _introspection(sdl: bytes) -> Json:
    from graphql import build_schema, introspection_from_schema

    return introspection_from_schema(build_schema(sdl.decode()))


def _wrap(result: Json, how: str) -> bytes:
    return _json_text({"data": result} if how == "data" else result)


# -- values ------------------------------------------------------------------------------------------------------

HUGE_INT = "9" * 5000
STRINGS = ("", " ", "\x00", "\x1b[31mred\x1b[0m", "\u202eevil", "😀" * 8, "\n\n", "a\rb", "<script>alert(1)</script>",
           "{{x}}", "%s%n%x", "${x}", "]]>", "\\", "'", '"', "~1", "/", "{", "}", "#/", "1e400", "NaN", "-0",
           "2025-13-45", "0x1F", "null", "true", "../../etc/passwd", "C:\\x", "\t", "\u2028", "\ufeff", "é" * 3,
           "a" * 300, "\ud800", "Query", "__Type", "String", "Removal on 2025-06-30.", "x-" * 50, " leading",
           "trailing ")
REFS = ("", "#", "#/", "#//", "#/components/schemas/", "#components/schemas/A", "%23/x", "x.yaml#", "./", ".", "/",
        "//host/x", "\x00", "#/" + "a/" * 2000, "missing.yaml", "missing.yaml#/components/schemas/A",
        "../../etc/passwd", "../../../../../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
        "file:/etc/passwd", "http://127.0.0.1:1/x", "https://127.0.0.1:1/x.yaml#/a", "ftp://127.0.0.1:1/x",
        "data:application/json,{}", "urn:x:y", "mailto:x@y", "~/x", "$HOME/x", "#/$defs/x", "#anchor", "#/~2",
        "#/components/schemas/A%20B", "#/components/schemas/%ZZ", "#/paths/~1pets/get", "#/info/title", "#/info",
        "#/paths", "#/0", "#/components/schemas/~", "  #/components/schemas/Pet  ", "#/definitions/Pet",
        "#/components/responses/NotFound", "#/components/parameters/limit", "other.yaml", "other.yaml#/x",
        "other.yaml#", "./other.yaml#/components/schemas/A", "mut/openapi.yaml", "../old/openapi.yaml",
        "openapi.yaml", "openapi.yaml#", "openapi.yaml#/components/schemas/A", "schemas/pet.yaml#/Pet",
        "schemas/missing.yaml")
OTHER_FILES = (b"", b"{[}", b"\xff\xfe", b"a: b\n", b"- 1\n- 2\n", b"$ref: 'openapi.yaml#/components/schemas/A'\n",
               b"A:\n  $ref: 'other.yaml#/A'\n", b"x: &a [*a]\n", b"type: object\nproperties:\n  p: {$ref: '#/'}\n",
               b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", b"null\n", b"5\n")
OPENAPI_KEYS = frozenset({
    "openapi", "swagger", "info", "paths", "components", "schemas", "definitions", "parameters", "responses",
    "requestBody", "content", "schema", "items", "properties", "additionalProperties", "allOf", "oneOf", "anyOf",
    "not", "type", "format", "enum", "required", "nullable", "default", "in", "name", "style", "explode",
    "discriminator", "security", "securitySchemes", "servers", "x-sunset", "deprecated", "x-stability-level",
    "headers", "links", "callbacks", "webhooks", "pattern", "minimum", "maximum", "maxLength", "minLength",
    "maxItems", "minItems", "readOnly", "writeOnly", "$ref", "get", "post", "put", "delete", "patch", "operationId",
    "const", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "prefixItems", "$defs", "tags", "example",
    "examples", "produces", "consumes", "basePath", "host", "collectionFormat", "flows", "mapping", "propertyName"})
INTROSPECTION_KEYS = frozenset({
    "__schema", "data", "types", "kind", "name", "ofType", "fields", "args", "type", "inputFields", "interfaces",
    "possibleTypes", "enumValues", "directives", "locations", "queryType", "mutationType", "subscriptionType",
    "defaultValue", "isDeprecated", "deprecationReason", "description", "isRepeatable", "specifiedByURL",
    "isOneOf"})
USAGE_KEYS = frozenset({
    "log", "entries", "request", "response", "method", "url", "status", "headers", "postData", "text", "mimeType",
    "content", "queryString", "name", "value", "operations", "body", "query", "id", "type", "format", "version",
    "path", "status_code", "user_agent", "request_body", "response_body", "http_method"})
POOLS: dict[str, tuple[Json, ...]] = {
    "openapi": ("3.2.0", "3.1.0", "3.0.0", "2.0", "4.0.0", "3", 3.0, 3.1, "", None, "3.0.3 ", "3.1.1-rc"),
    "swagger": ("2.0", "3.0", 2.0, None, "1.2"),
    "type": ("string", "integer", "number", "boolean", "object", "array", "null", "file", "any", "", ["string", "null"],
             [], ["null"], ["foo"], 5, ["integer", "integer"], ["array", "object"]),
    "format": ("int32", "int64", "date-time", "uuid", "binary", "byte", "weird", "", 5),
    "in": ("query", "path", "header", "cookie", "body", "formData", "nowhere", "", None, 5),
    "required": (True, False, [], ["x"], "yes", ["a", "a"], None, [5], [None]),
    "enum": ([], [None], [1, "1", 1.0, True], "x", [[1]], [{}], ["a"] * 50),
    "nullable": (True, False, "true", None, 1),
    "deprecated": (True, False, "yes", None, 1, []),
    "x-sunset": ("2025-01-01", "not a date", "2025-02-30", 5, None, "9999-12-31", "0000-01-01", "2025-1-1",
                 "2025-01-01T00:00:00Z", "", "2020-01-01", "3000-01-01"),
    "x-stability-level": ("draft", "alpha", "beta", "stable", "weird", 5, None),
    "discriminator": ({"propertyName": "x"}, {"propertyName": 5}, {"mapping": {"a": "#/nope"}}, "x",
                      {"propertyName": "t", "mapping": {"a": "", "b": 5}}),
    "security": ([{"x": 5}], [{"x": []}], [5], {}, "x", [{"x": ["a", 5]}], [{}], [None]),
    "securitySchemes": ({"o": {"type": "oauth2", "flows": 5}}, {"o": {"type": "oauth2", "flows": {"implicit": 5}}},
                        {"k": {"type": "apiKey"}}, {"k": 5}, {"h": {"type": "http", "scheme": 5}}, []),
    "servers": ([{"url": "{x}"}], [{"url": 5}], "x", [{"url": "http://h/{a}", "variables": {"a": 5}}], [None]),
    "pattern": ("(", "[", "(a+)+$", "\\", "", "(?P<x>", "a{99999999}", "[[:alpha:]]", "(?i)", 5),
    "minimum": (-1, 0, 1e308, "5", None, True, 2 ** 64, -(2 ** 63), 0.1),
    "maximum": (-1, 0, 1e308, "5", None, True, 2 ** 64, 0.1),
    "maxLength": (-1, 0, "5", None, True, 2 ** 64, 1.5),
    "minLength": (-1, 0, "5", None, 2 ** 64, 1.5),
    "multipleOf": (0, -1, 0.0, 1e-308, "2"),
    "style": ("form", "simple", "matrix", "label", "deepObject", "weird", 5),
    "explode": (True, "yes", None),
    "default": (None, {}, [], "x", 5, [[[]]]),
    "operationId": ("dup", "", 5, None, "a b", "getPet"),
    "parameters": ([], [5], [{}], [{"name": "x"}], [{"name": "x", "in": "path"}], {}, "x",
                   [{"name": "a", "in": "query"}, {"name": "a", "in": "query"}]),
    "responses": ({}, {"abc": {}}, {"200": 5}, {"2XX": {"description": "x"}}, {"default": None}, [], "x",
                  {"999": {"description": "x"}}, {"200": {"description": 5, "content": {"?/?": {}}}}),
    "content": ({}, {"*/*": {}}, {"application/json; charset=utf-8": {"schema": {}}}, {"???": 5}, [], "x"),
    "properties": ({}, {"": {}}, {"a": 5}, [], "x", {"a": None}, {"$ref": {}}),
    "items": ({}, [], [{}], 5, None, {"items": {"items": {}}}, True, False),
    "additionalProperties": (True, False, {}, 5, None, "x"),
    "allOf": ([], [{}], [5], {}, [{"type": "string"}, {"type": "integer"}], None, [{"$ref": "#"}]),
    "oneOf": ([], [{}], [5], {}, None, [{"type": "string"}, {"type": "string"}]),
    "anyOf": ([], [{}], [5], {}, None),
    "paths": ({}, {"": {}}, {"no-slash": {}}, {"/a/{": {"get": {}}}, {"/{a}/{a}": {"get": {"responses": {}}}},
              {"/a/{b}{c}": {}}, {"/%zz": {}}, [], None, {"/x": {"FETCH": {}}}, {"/x": 5}),
    "info": ({}, None, "x", {"title": 5, "version": 1.0}, {"title": "t"}),
    "flows": (5, {}, {"implicit": 5}, {"password": {"tokenUrl": 5, "scopes": []}}, []),
    "headers": ({}, {"X": 5}, [], {"": {}}, {"Deprecation": {"schema": 5}}),
    "webhooks": ({}, {"w": 5}, [], {"w": {"post": None}}),
    # introspection
    "kind": ("SCALAR", "OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "LIST", "NON_NULL", "FOO", "", None, 5,
             "object"),
    "name": (None, "", 5, "Undefined", "__Type", "String", "Query", "a b", "1abc", [], {}),
    "ofType": (None, {}, {"kind": "NON_NULL", "name": None, "ofType": None}, [], "x", {"kind": "OBJECT"},
               {"kind": "LIST", "name": None, "ofType": {"kind": "LIST", "name": None, "ofType": None}}),
    "defaultValue": ("{{", "1e400", '"x', "[", "null", "$v", 5, '"\\uD800"', "", HUGE_INT[:2000], "{a: {b: [1, 2]}}"),
    "isDeprecated": ("yes", None, 1, []),
    "deprecationReason": (5, "Removal on 2000-01-01.", "Removal on 2025-13-45.", "", None, []),
    "locations": (["NOWHERE"], "FIELD", [5], [], None, ["FIELD", "FIELD"]),
    "isRepeatable": ("yes", None, 5),
    "interfaces": (None, [], [{"kind": "OBJECT", "name": "Query"}], "x", [{"kind": "INTERFACE", "name": "Missing"}],
                   [None]),
    "possibleTypes": (None, [], [{"kind": "SCALAR", "name": "String"}], "x", [{}]),
    "enumValues": (None, [], [{}], "x", [{"name": None}], [{"name": "A"}, {"name": "A"}]),
    "inputFields": (None, [], [{}], "x", [{"name": "a", "type": None}]),
    "fields": (None, [], [{}], "x", {}, [{"name": "f"}], [{"name": "f", "type": {"kind": "SCALAR", "name": "Nope"}}]),
    "args": (None, [], [{}], "x", {}, [{"name": "a"}]),
    "types": (None, [], [{}], "x", {}, [None], [{"kind": "OBJECT", "name": "Query"}]),
    "queryType": (None, {"name": "Missing"}, {"name": None}, {"name": "String"}, "Query", {}, [], {"name": 5}),
    "mutationType": (None, {"name": "Missing"}, {"name": "String"}, {}, 5),
    "subscriptionType": (None, {"name": "Query"}, {"name": "Missing"}, []),
    "directives": (None, [], [{}], "x", [{"name": "deprecated", "locations": [], "args": []}]),
    "__schema": (None, {}, [], "x", 5),
    "data": (None, {}, [], {"__schema": None}, "x"),
    # usage
    "url": ("", "not a url", "http://[::1", "http://h/%zz", "http://h/" + "a/" * 3000, "/v1/pets?" + "a=1&" * 3000,
            "https://petstore.example.com/v1/pets/%00", "http://h:99999/", 5, None, "//x", "http://h/v1/pets/../../x"),
    "method": ("", "FETCH", "get", "GET ", 5, None, "G\nET", "CONNECT", "OPTIONS", "TRACE"),
    "http_method": ("", "FETCH", 5, None),
    "status": ("200", "abc", -1, 99999, None, 200.5, True),
    "status_code": ("200", "abc", -1, 99999, None),
    "text": ("", "{", "[" * 5000, "null", "5", '{"a": ' * 2000 + "1" + "}" * 2000, "\x00", "{\"a\": NaN}"),
    "mimeType": ("", "application/json", "text/html", "???", 5, None, "application/json; charset=x"),
    "query": ("", "{", "query { " * 50, "{ __typename }", 5, None, "subscription S { a }", "query Q($a: Nope) { a }"),
    "body": ("", "{", "mutation { x }", 5, None, "fragment F on Nope { a }"),
    "operations": ([], {}, None, [5], [{}], [{"body": 5}], "x"),
    "entries": ([], {}, None, [5], [{}], [{"request": 5}], [{"request": {}, "response": {}}]),
    "request": (None, {}, 5, "GET /", {"method": "GET"}, {"url": "/"}),
    "response": (None, {}, 5, {"status": "x"}),
    "log": (None, {}, [], 5, {"entries": None}),
    "user_agent": ("", None, 5, "a" * 10000, "x\ny"),
    "request_body": ("{", "[" * 3000, None, 5, {"a": [1]}),
    "response_body": ("{", "[" * 3000, None, 5, {"a": [1]}),
    "postData": (None, {}, {"text": 5}, {"mimeType": "application/json", "text": "{"}, "x"),
}


def other_type_value(ctx: Ctx, current: Json) -> tuple[Json, str]:
    """A value of another type than ``current`` (or a raw number JSON cannot write), and its description."""
    rng = ctx.rng
    choices: list[tuple[str, Callable[[], Json]]] = [
        ("int", lambda: rng.choice((0, -1, 1, 2 ** 31, 2 ** 63, 2 ** 64 + 1, -(2 ** 63) - 1))),
        ("float", lambda: rng.choice((0.5, 1e308, -0.0, 1e-320, 3.14))),
        ("huge-int", lambda: ctx.raws.add(rng.choice(("", "-")) + HUGE_INT)),
        ("nan-inf", lambda: ctx.raws.add(*rng.choice((("NaN", ".nan"), ("Infinity", ".inf"), ("-Infinity", "-.inf"),
                                                        ("1e400", "1e400"), ("-1e400", "-1e400"))))),
        ("string", lambda: rng.choice(STRINGS)),
        ("null", lambda: None),
        ("bool", lambda: rng.choice((True, False))),
        ("list", lambda: rng.choice(([], [1, "a"], [{}], [None], [[]], [current] if _small(current) else [1]))),
        ("dict", lambda: rng.choice(({}, {"a": 1}, {"$ref": "#"}, {"type": "string"}, {"": None},
                                     {"kind": "OBJECT", "name": None}))),
    ]
    kind = _type_name(current)
    options = [c for c in choices if c[0] != kind]
    name, make = rng.choice(options)
    return make(), name


def _small(value: Json) -> bool:
    return len(json.dumps(value, default=str)) < 2000


def _type_name(value: Json) -> str:
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    return {int: "int", float: "float", str: "string", list: "list", dict: "dict"}.get(type(value), "other")


# -- raw text in dumped documents --------------------------------------------------------------------------------

_TOKEN = re.compile(r"""["']?@@FZ(\d+)@@["']?""")


class Raws:
    """Text spliced into a dumped document where a placeholder string stands, for what ``json`` and ``yaml`` do not
    write: 5,000-digit numbers, NaN, 100,000 levels of nesting, duplicate keys, anchors, tags, complex keys."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, json_text: str, yaml_text: str | None = None) -> str:
        self.items.append((json_text, json_text if yaml_text is None else yaml_text))
        return f"@@FZ{len(self.items) - 1}@@"

    def splice(self, text: str, kind: str) -> str:
        pick = 0 if kind == "json" else 1
        for _ in range(10):  # raw text may hold placeholders of its own
            new = _TOKEN.sub(lambda m: self.items[int(m.group(1))][pick], text)
            if new == text:
                break
            text = new
        return text


def dump(tree: Json, kind: str, raws: Raws, rng: random.Random) -> str:
    """A tree as JSON or block YAML text, with the raw pieces spliced in."""
    if kind == "yaml":
        import yaml

        text = yaml.dump(tree, Dumper=_yaml_dumper(), sort_keys=False, allow_unicode=True, width=1 << 30,
                         default_flow_style=False)
    else:
        text = json.dumps(tree, indent=rng.choice((None, 1, 2)), ensure_ascii=rng.random() < 0.3, default=str)
    return raws.splice(text, kind)


@functools.cache
def _yaml_dumper() -> type:
    import yaml

    class Dumper(yaml.CSafeDumper):  # type: ignore[misc,name-defined,unused-ignore]
        def ignore_aliases(self, data: Any) -> bool:
            return True  # repeated objects are written out; aliases are a mutation of their own

    return Dumper


def to_json_text(value: Json) -> str:
    """Compact JSON of a (small) tree, raw placeholders kept as they are (spliced later)."""
    return json.dumps(value, default=str, ensure_ascii=False)


# -- tree mutations (OpenAPI, introspection, JSON usage files) ---------------------------------------------------

@dataclass
class Ctx:
    """What a mutation needs: the case's random generator, raw pieces, notes on what was done, extra files."""

    rng: random.Random
    family: str
    kind: str  # yaml, json
    raws: Raws = field(default_factory=Raws)
    notes: list[str] = field(default_factory=list)
    extra_files: dict[str, bytes] = field(default_factory=dict)
    big: bool = False  # one expensive mutation per case (10,000 siblings, deep nesting, megabytes)
    flags: set[str] = field(default_factory=set)  # command-line wishes: allow-remote-refs


def all_nodes(tree: Json, limit: int = 200_000) -> list[tuple[TreePath, Json]]:
    out: list[tuple[TreePath, Json]] = []
    stack: list[tuple[TreePath, Json]] = [((), tree)]
    while stack and len(out) < limit:
        path, node = stack.pop()
        out.append((path, node))
        if isinstance(node, dict):
            stack.extend(((*path, k), v) for k, v in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(node))))
    return out


def pick(ctx: Ctx, tree: Json, want: Callable[[TreePath, Json], bool] = lambda p, v: True,
         root: bool = False) -> tuple[TreePath, Json] | None:
    """A random node that ``want``s, half of the time one under a key this family cares about."""
    nodes = [(p, v) for p, v in all_nodes(tree) if (root or p) and want(p, v)]
    if not nodes:
        return None
    keys = {"openapi": OPENAPI_KEYS, "introspection": INTROSPECTION_KEYS, "usage": USAGE_KEYS}.get(ctx.family)
    if keys and ctx.rng.random() < 0.5:
        keyed = [(p, v) for p, v in nodes if p and str(p[-1]) in keys]
        if keyed:
            return ctx.rng.choice(keyed)
    return ctx.rng.choice(nodes)


def set_at(tree: Json, path: TreePath, value: Json) -> Json:
    if not path:
        return value
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return tree


def pointer(path: TreePath) -> str:
    return "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path) if path else "#"


def where(path: TreePath) -> str:
    return pointer(path)[1:] or "/"


def m_replace_type(ctx: Ctx, tree: Json) -> Json | None:
    found = pick(ctx, tree)
    if not found:
        return None
    path, node = found
    key = str(path[-1]) if path else ""
    if key in POOLS and ctx.rng.random() < 0.6:
        value, what = ctx.rng.choice(POOLS[key]), "pool"
    else:
        value, what = other_type_value(ctx, node)
    ctx.notes.append(f"replace {where(path)} by {what}")
    return set_at(tree, path, value)


REQUIRED = ("openapi", "swagger", "info", "paths", "responses", "name", "in", "schema", "type", "items",
            "description", "content", "title", "version", "kind", "ofType", "fields", "args", "queryType", "types",
            "__schema", "data", "inputFields", "interfaces", "possibleTypes", "enumValues", "locations", "request",
            "response", "url", "method", "entries", "log", "operations", "body", "query", "$ref", "properties",
            "required", "components", "schemas", "definitions", "headers", "status", "text")


def m_delete_key(ctx: Ctx, tree: Json) -> Json | None:
    found = pick(ctx, tree, lambda p, v: isinstance(v, dict) and bool(v), root=True)
    if not found:
        return None
    path, node = found
    keys = [k for k in node if k in REQUIRED] if ctx.rng.random() < 0.7 else []
    key = ctx.rng.choice(keys or list(node))
    del node[key]
    ctx.notes.append(f"delete {where((*path, key))}")
    return tree


UNKNOWN_KEYS = ("x-fuzz", "unknownKey", "$ref", "type", "nullable", "allOf", "discriminator", "__proto__", "", " ",
                "200", "kind", "ofType", "name", "$id", "$anchor", "$dynamicRef", "$schema", "patternProperties",
                "dependentSchemas", "if", "then", "else", "unevaluatedProperties", "contentSchema", "x-sunset",
                "deprecated", "x-stability-level", "isDeprecated", "specifiedByURL", "isOneOf", "jsonSchemaDialect")


def m_add_key(ctx: Ctx, tree: Json) -> Json | None:
    found = pick(ctx, tree, lambda p, v: isinstance(v, dict), root=True)
    if not found:
        return None
    path, node = found
    key = ctx.rng.choice(UNKNOWN_KEYS)
    value = ctx.rng.choice(POOLS[key]) if key in POOLS and ctx.rng.random() < 0.7 else other_type_value(ctx, None)[0]
    node[key] = value
    ctx.notes.append(f"add {where((*path, key))}")
    return tree


def m_multiply(ctx: Ctx, tree: Json) -> Json | None:
    """Repeat a sibling (10 to 10,000 times): new keys, the same key again, or list items."""
    found = pick(ctx, tree, lambda p, v: isinstance(v, (dict, list)) and bool(v), root=True)
    if not found:
        return None
    path, node = found
    count = ctx.rng.choice((10, 100, 1000, 10_000))
    if isinstance(node, list):
        item = to_json_text(ctx.rng.choice(node))
        count = _cap(count, len(item))
        raw = "[" + ", ".join([to_json_text(v) for v in node] + [item] * count) + "]"
        ctx.notes.append(f"repeat an item of {where(path)} x{count}")
        return set_at(tree, path, ctx.raws.add(raw))
    key = ctx.rng.choice(list(node))
    value = to_json_text(node[key])
    count = _cap(count, len(value) + len(str(key)))
    same = ctx.rng.random() < 0.3
    parts = [f"{json.dumps(str(k))}: {to_json_text(v)}" for k, v in node.items()]
    keyname = str(key)
    for i in range(count):
        name = keyname if same else _sibling_name(keyname, i)
        parts.append(f"{json.dumps(name)}: {value}")
    ctx.notes.append(f"repeat {where((*path, key))} x{count}{' (same key)' if same else ''}")
    return set_at(tree, path, ctx.raws.add("{" + ", ".join(parts) + "}"))


def _sibling_name(key: str, i: int) -> str:
    if key.startswith("/"):
        return f"{key}/fz{i}"
    if key.isdigit():
        return str(int(key) + i + 1)
    return f"{key}{i}"


def _cap(count: int, unit: int) -> int:
    return max(1, min(count, MAX_MUTANT_BYTES // 2 // max(unit, 1)))


WRAPPERS_OPENAPI = (('{"type": "array", "items": ', "}"), ('{"allOf": [', "]}"), ('{"not": ', "}"),
                    ('{"type": "object", "properties": {"p": ', "}}"), ('{"anyOf": [{}, ', "]}"),
                    ('{"additionalProperties": ', "}"), ('{"oneOf": [', "]}"))
WRAPPERS_INTROSPECTION = (('{"kind": "NON_NULL", "name": null, "ofType": ', "}"),
                          ('{"kind": "LIST", "name": null, "ofType": ', "}"))
WRAPPERS_PLAIN = (("[", "]"), ('{"a": ', "}"))


def m_nest(ctx: Ctx, tree: Json) -> Json | None:
    """Wrap a node in 50 to 100,000 levels (arrays of arrays, allOf of allOf, ofType of ofType...)."""
    found = pick(ctx, tree)
    if not found:
        return None
    path, node = found
    depth = ctx.rng.choice((50, 129, 500, 1000, 1001, 1500, 3000, 100_000))
    wrappers: tuple[tuple[str, str], ...] = WRAPPERS_PLAIN
    if ctx.family == "openapi" and ctx.rng.random() < 0.7:
        wrappers = WRAPPERS_OPENAPI
    elif ctx.family == "introspection" and ctx.rng.random() < 0.7:
        wrappers = WRAPPERS_INTROSPECTION
    head, tail = ctx.rng.choice(wrappers)
    depth = min(depth, MAX_MUTANT_BYTES // 2 // (len(head) + len(tail)))
    raw = head * depth + to_json_text(node) + tail * depth
    ctx.notes.append(f"nest {where(path)} {depth} levels in {head.strip()}")
    return set_at(tree, path, ctx.raws.add(raw))


def m_huge_string(ctx: Ctx, tree: Json) -> Json | None:
    found = pick(ctx, tree, lambda p, v: isinstance(v, str) or (bool(p) and isinstance(p[-1], str)))
    if not found:
        return None
    path, node = found
    size = ctx.rng.choice((65_536, 1 << 20, 4 << 20))
    unit = ctx.rng.choice(("a", "é", "😀", "ab ", "line\n", "{", "\\", "\x00", "#/", "Removal on 2025-06-30. "))
    big = (unit * (size // len(unit.encode())))[:size]
    if isinstance(node, str) and ctx.rng.random() < 0.7:
        ctx.notes.append(f"huge string ({size} bytes of {unit!r}) at {where(path)}")
        return set_at(tree, path, big)
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    if isinstance(parent, dict):
        parent[big] = parent.pop(path[-1])
        ctx.notes.append(f"huge key ({size} bytes) for {where(path)}")
        return tree
    return set_at(tree, path, big)


def _schema_like(path: TreePath, value: Json) -> bool:
    if not isinstance(value, dict) or not path:
        return False
    last = str(path[-1])
    return (last in {"schema", "items", "not", "additionalProperties", "requestBody"} or "type" in value
            or "$ref" in value or (len(path) >= 2 and str(path[-2]) in {"properties", "schemas", "definitions",
                                                                          "allOf", "oneOf", "anyOf", "responses",
                                                                          "parameters"}))


def _schemas_home(tree: Json) -> TreePath:
    return ("definitions",) if isinstance(tree, dict) and "swagger" in tree else ("components", "schemas")


def _ensure_dict(tree: Json, path: TreePath) -> dict[str, Json]:
    node = tree
    for step in path:
        if not isinstance(node.get(step), dict):
            node[step] = {}
        node = node[step]
    return node  # type: ignore[no-any-return]


def m_odd_ref(ctx: Ctx, tree: Json) -> Json | None:
    if not isinstance(tree, dict):
        return None
    found = pick(ctx, tree, _schema_like) or pick(ctx, tree, lambda p, v: isinstance(v, dict))
    if not found:
        return None
    path, node = found
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.12:
        target = pointer(path)  # itself
        what = "itself"
    elif roll < 0.2 and len(path) > 1:
        target = pointer(path[: rng.randrange(len(path))])  # an ancestor: a cycle through the structure
        what = "an ancestor"
    elif roll < 0.3:
        home = _schemas_home(tree)
        schemas = _ensure_dict(tree, home)
        length = rng.choice((10, 129, 1000, 1001))
        for i in range(length):
            schemas[f"FzChain{i}"] = {"$ref": pointer((*home, f"FzChain{i + 1}"))}
        end = rng.choice(({"type": "string"}, {"$ref": pointer((*home, "FzChain0"))}, {"$ref": "#/nope"}))
        schemas[f"FzChain{length}"] = end
        target = pointer((*home, "FzChain0"))
        what = f"a chain of {length}"
    elif roll < 0.4:
        name = rng.choice(("other.yaml", "schemas/other.yaml", "other.json"))
        ctx.extra_files[name] = rng.choice(OTHER_FILES)
        target = name + rng.choice(("", "#", "#/A", "#/components/schemas/A", "#/x/y"))
        what = "a sibling file"
    else:
        target = rng.choice(REFS)
        what = repr(target[:40])
    if target.startswith(("http:", "https:", "ftp:")) and rng.random() < 0.5:
        ctx.flags.add("allow-remote-refs")
    ref: Json = target
    if rng.random() < 0.08:
        ref = rng.choice((5, None, [], {}, True, ["#"]))
        what = f"non-string {ref!r}"
    if rng.random() < 0.3 and isinstance(node, dict):
        node["$ref"] = ref  # beside the node's other keys
    else:
        tree = set_at(tree, path, {"$ref": ref})
    ctx.notes.append(f"$ref at {where(path)} to {what}")
    return tree


def m_pool_value(ctx: Ctx, tree: Json) -> Json | None:
    """A value that the key calls for, rightly or wrongly (``type: file``, ``in: cookie``, ``x-sunset: 2025-02-30``)."""
    found = pick(ctx, tree, lambda p, v: bool(p) and str(p[-1]) in POOLS)
    if not found:
        return None
    path, _ = found
    value = ctx.rng.choice(POOLS[str(path[-1])])
    ctx.notes.append(f"set {where(path)} to {to_json_text(value)[:40]}")
    return set_at(tree, path, value)


def m_yaml_feature(ctx: Ctx, tree: Json) -> Json | None:
    """Anchors, aliases, merge keys, tags and complex keys, placed at random nodes (YAML only)."""
    if ctx.kind != "yaml":
        return None
    rng = ctx.rng
    found = pick(ctx, tree)
    if not found:
        return None
    path, node = found
    feature = rng.choice(("alias", "alias", "recursive-alias", "merge", "tag", "complex-key", "dup-key-flow",
                          "undefined-alias"))
    anchor = f"fz{rng.randrange(1000)}"
    body = to_json_text(node)
    if feature in ("alias", "merge"):
        other = pick(ctx, tree, lambda p, v: p[: len(path)] != path and path[: len(p)] != p)
        if not other:
            return None
        tree = set_at(tree, path, ctx.raws.add(body, f"&{anchor} {body}"))
        opath, onode = other
        if feature == "alias":
            tree = set_at(tree, opath, ctx.raws.add("null", f"*{anchor}"))
        else:
            merged = rng.choice((f"<<: *{anchor}", f"<<: [*{anchor}, *{anchor}]", "<<: 5", "<<: [1, 2]",
                                 "<<: {a: 1}", "<<: null", f"<<: *{anchor}, <<: *{anchor}", "<<: *nope"))
            items = [f"{json.dumps(str(k))}: {to_json_text(v)}" for k, v in onode.items()] \
                if isinstance(onode, dict) else []
            tree = set_at(tree, opath, ctx.raws.add("{}", "{" + ", ".join([merged, *items]) + "}"))
        ctx.notes.append(f"yaml {feature}: &{anchor} at {where(path)}, used at {where(opath)}")
        return tree
    if feature == "recursive-alias":
        raw = rng.choice((f"&{anchor} [*{anchor}]", f"&{anchor} {{a: *{anchor}}}",
                          f"&{anchor} {{type: object, properties: {{p: *{anchor}}}}}",
                          f"&{anchor} {{<<: *{anchor}}}"))
    elif feature == "undefined-alias":
        raw = rng.choice(("*nope", "[*nope]", "&a", "& x", "*", "&a &b 1"))
    elif feature == "tag":
        raw = rng.choice(("!!python/object/apply:os.getcwd []", "!!python/object:builtins.dict {}",
                          "!!python/name:os.system", "!!binary aGVsbG8=", "!!binary '!!!'", "!!set {a: null}",
                          "!!omap [{a: 1}]", "!!timestamp 2001-12-14t21:59:43.10-05:00", "!!float 1e400",
                          "!!int 0o17", f"!!int {HUGE_INT}", "!!str 5", "!!null ''", "!!bool yes", "!custom {a: 1}",
                          "!<tag:yaml.org,2002:str> x", "!!map [1]", "!!seq {a: 1}", "!!int x", "!!float nope",
                          f"!!python/object/new:str [{body}]", "!! x"))
    elif feature == "complex-key":
        items = [f"{json.dumps(str(k))}: {to_json_text(v)}" for k, v in node.items()] if isinstance(node, dict) else []
        key = rng.choice(("[a, b]", "{c: d}", "? [a]", "[]", "{}", "[[[a]]]", "? {x: [1]}", "!!binary aGk="))
        raw = "{" + ", ".join([*items, f"{key}: {body}"]) + "}"
    else:
        items = [f"{json.dumps(str(k))}: {to_json_text(v)}" for k, v in node.items()] if isinstance(node, dict) else []
        if not items:
            items = ['"a": 1']
        raw = "{" + ", ".join([*items, items[0]]) + "}"
    ctx.notes.append(f"yaml {feature} at {where(path)}")
    return set_at(tree, path, ctx.raws.add(body, raw))


TREE_MUTATIONS: tuple[tuple[Callable[[Ctx, Json], Json | None], int, bool], ...] = (
    # (mutation, weight, expensive)
    (m_replace_type, 20, False),
    (m_delete_key, 12, False),
    (m_add_key, 8, False),
    (m_pool_value, 16, False),
    (m_multiply, 5, True),
    (m_nest, 5, True),
    (m_huge_string, 3, True),
    (m_odd_ref, 14, False),
    (m_yaml_feature, 12, False),
)


def mutate_tree(ctx: Ctx, tree: Json, rounds: int) -> Json:
    for _ in range(rounds):
        for _attempt in range(6):
            weights = [0 if (big and ctx.big) or (m is m_odd_ref and ctx.family != "openapi")
                       or (m is m_yaml_feature and ctx.kind != "yaml") else w for m, w, big in TREE_MUTATIONS]
            index = ctx.rng.choices(range(len(TREE_MUTATIONS)), weights)[0]
            mutation, _, big = TREE_MUTATIONS[index]
            result = mutation(ctx, tree)
            if result is not None:
                tree = result
                ctx.big = ctx.big or big
                break
    return tree


# -- YAML text mutations -----------------------------------------------------------------------------------------

_YAML_KEY_LINE = re.compile(r"^( *)([^\s#\-'\"][^:]*|'[^']*'|\"[^\"]*\"):(\s|$)")


def mutate_yaml_text(ctx: Ctx, text: str) -> str:
    """Line-level YAML: duplicate keys, block complex keys, more documents, directives, tabs, CRLF, a BOM."""
    rng = ctx.rng
    lines = text.split("\n")
    what = rng.choice(("dup-key", "dup-key", "complex-key-block", "documents", "directive", "tab", "crlf", "bom",
                       "deep-block", "anchor-key", "comment", "block-scalar"))
    keyed = [i for i, line in enumerate(lines) if _YAML_KEY_LINE.match(line)]
    if what == "dup-key" and keyed:
        i = rng.choice(keyed)
        end = i + 1
        indent = len(lines[i]) - len(lines[i].lstrip(" "))
        while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip(" ")) > indent:
            end += 1
        block = lines[i:end] if rng.random() < 0.5 else lines[i:i + 1]
        lines[end:end] = block
        ctx.notes.append(f"yaml duplicate key at line {i + 1}")
    elif what == "complex-key-block":
        lines += rng.choice((["? [a]", ": v"], ["? |", "  multi", "  line", ": v"], ["? - a", "  - b", ": 1"],
                             ["? {a: 1}", ": [1]"], ["[a, b]: c"], ["? x-key", ": x"]))
        ctx.notes.append("yaml complex key (block)")
    elif what == "documents":
        lines = rng.choice((["---", *lines, "---", "a: 1"], [*lines, "...", "---", *lines], ["---", *lines, "..."],
                            [*lines, "---"]))
        ctx.notes.append("yaml documents")
    elif what == "directive":
        lines = [rng.choice(("%YAML 1.1", "%YAML 1.2", "%YAML 2.0", "%TAG ! tag:x,2000:", "%FOO bar")), "---", *lines]
        ctx.notes.append("yaml directive")
    elif what == "tab" and keyed:
        i = rng.choice(keyed)
        lines[i] = "\t" + lines[i]
        ctx.notes.append(f"yaml tab at line {i + 1}")
    elif what == "crlf":
        ctx.notes.append("yaml CRLF")
        return "\r\n".join(lines)
    elif what == "bom":
        ctx.notes.append("BOM")
        return "\ufeff" + "\n".join(lines)
    elif what == "deep-block":
        depth = rng.choice((100, 129, 1000))
        lines += ["x-deep:"] + [" " * (2 * (i + 1)) + "a:" for i in range(depth)]
        ctx.notes.append(f"yaml block nesting {depth}")
    elif what == "anchor-key" and keyed:
        i = rng.choice(keyed)
        m = _YAML_KEY_LINE.match(lines[i])
        assert m is not None
        lines[i] = m.group(1) + "&k " + lines[i][len(m.group(1)):]
        lines.append("x-alias-key: *k")
        ctx.notes.append(f"yaml anchor on key at line {i + 1}")
    elif what == "comment" and lines:
        i = rng.randrange(len(lines))
        lines[i] = lines[i] + rng.choice((" # c", "#c", " #", " # '\"{["))
        ctx.notes.append(f"yaml comment at line {i + 1}")
    elif what == "block-scalar" and keyed:
        i = rng.choice(keyed)
        m = _YAML_KEY_LINE.match(lines[i])
        assert m is not None
        head = lines[i][: m.end(2) + 1]
        lines[i] = head + " " + rng.choice(("|", "|-", ">+", "|2", "|9", ">-\n  x"))
        ctx.notes.append(f"yaml block scalar at line {i + 1}")
    return "\n".join(lines)


# -- bytes ---------------------------------------------------------------------------------------------------------

TOKENS = (b"\x00", b"\xff", b"\xef\xbb\xbf", b"{", b"[", b"}", b"]", b'"', b"'", b"&a ", b"*a", b"!!", b"? ", b"\t",
          b"\r\n", b"#", b"$ref", b"...", b"---", b"%YAML 1.1\n", b"\\u0000", b"\\ud800", b"\xed\xa0\x80", b"\xc3",
          b":", b"- ", b"|", b">", b"@", b"`", b"\"\"\"", b"extend ", b"type ", b"!", b"=", b"(", b")", b"$", b"...",
          b"\n", b"  ", b",", b"<<: ", b"1e400", HUGE_INT.encode()[:600], b"\xe2\x80\xae", b"\x1b[2J", b"\x85",
          b"\\", b"%", b"~1")


def mutate_bytes(rng: random.Random, data: bytes, donors: Sequence[bytes], notes: list[str]) -> bytes:
    """1 to 8 byte-level edits: flip, insert, delete, splice from another seed, truncate, duplicate a range."""
    out = bytearray(data)
    done: list[str] = []
    for _ in range(rng.choice((1, 1, 2, 3, 8))):
        op = rng.choice(("flip", "insert", "insert", "delete", "splice", "truncate", "duplicate", "swap"))
        n = len(out)
        at = rng.randrange(n + 1) if n else 0
        if op == "flip" and n:
            i = rng.randrange(n)
            out[i] ^= 1 << rng.randrange(8)
        elif op == "insert":
            out[at:at] = rng.choice(TOKENS) if rng.random() < 0.8 else bytes(rng.randrange(256) for _ in range(4))
        elif op == "delete" and n:
            out[at:at + rng.choice((1, 2, 8, 64, 512))] = b""
        elif op == "splice" and donors:
            donor = rng.choice(donors)
            if donor:
                start = rng.randrange(len(donor))
                out[at:at] = donor[start:start + rng.choice((8, 64, 512, 4096))]
        elif op == "truncate" and n:
            del out[at:]
        elif op == "duplicate" and n:
            piece = bytes(out[at:at + rng.choice((1, 16, 256))])
            out[at:at] = piece * rng.choice((1, 2, 100))
        elif op == "swap" and n > 2:
            i, j = sorted(rng.sample(range(n), 2))
            out[i], out[j] = out[j], out[i]
        else:
            continue
        done.append(op)
    notes.append("bytes: " + ",".join(done or ["none"]))
    return bytes(out)


# -- SDL -----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SdlInfo:
    """What a schema defines: type names by kind, fields by type, enum values by enum."""

    blocks: tuple[str, ...]
    names: dict[str, tuple[str, ...]]
    fields: dict[str, tuple[str, ...]]
    values: dict[str, tuple[str, ...]]


_SDL_CACHE: dict[bytes, SdlInfo | None] = {}
KIND_WORDS = {"object_type_definition": "type", "interface_type_definition": "interface",
              "union_type_definition": "union", "enum_type_definition": "enum", "scalar_type_definition": "scalar",
              "input_object_type_definition": "input"}


def sdl_info(text: bytes) -> SdlInfo | None:
    if text not in _SDL_CACHE:
        from graphql import TypeDefinitionNode, parse, print_ast

        try:
            document = parse(text.decode())
        except Exception:
            _SDL_CACHE[text] = None
            return None
        names: dict[str, list[str]] = {w: [] for w in KIND_WORDS.values()}
        fields: dict[str, tuple[str, ...]] = {}
        values: dict[str, tuple[str, ...]] = {}
        for d in document.definitions:
            word = KIND_WORDS.get(d.kind)
            if word is None or not isinstance(d, TypeDefinitionNode):
                continue
            names[word].append(d.name.value)
            members = getattr(d, "fields", None)
            if members:
                fields[d.name.value] = tuple(f.name.value for f in members)
            members = getattr(d, "values", None)
            if members:
                values[d.name.value] = tuple(v.name.value for v in members)
        names["scalar"] += ["String", "Int", "Float", "Boolean", "ID"]
        blocks = tuple(b for b in print_ast(document).split("\n\n") if b.strip())
        _SDL_CACHE[text] = SdlInfo(blocks, {k: tuple(v) for k, v in names.items()}, fields, values)
    return _SDL_CACHE[text]


_FIELD_TYPE = re.compile(r"(:\s*)(\[*[_A-Za-z][_0-9A-Za-z]*!?(?:\]!?)*)")


def mutate_sdl(rng: random.Random, text: bytes, notes: list[str]) -> tuple[bytes, list[str]]:
    """SDL edits on the printed definitions; returns the new text and its definitions."""
    info = sdl_info(text)
    if info is None or not info.blocks:
        return text, []
    blocks = list(info.blocks)
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.choice(("remove", "duplicate", "conflict", "retype", "retype", "kind", "extend", "extend",
                         "directive-use", "directive-def", "schema", "special", "multiply", "deep", "describe",
                         "shuffle", "implements"))
        blocks = _sdl_op(rng, op, blocks, info, notes)
    return ("\n\n".join(blocks) + "\n").encode(), blocks


def _any_name(rng: random.Random, info: SdlInfo, kind: str | None = None) -> str:
    kinds = [k for k in info.names if info.names[k] and (kind is None or k == kind)]
    if not kinds:
        return "Missing"
    return rng.choice(info.names[rng.choice(kinds)])


def _type_of_other_kind(rng: random.Random, info: SdlInfo) -> str:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(("Undefined", "Missing", "__Type", "__Schema", "query", "Query!", "String!!", "[String",
                           "Int]", "[[Int]!]!", "[]", "!", "Float!"))
    return _any_name(rng, info)


def _sdl_op(rng: random.Random, op: str, blocks: list[str], info: SdlInfo, notes: list[str]) -> list[str]:
    i = rng.randrange(len(blocks)) if blocks else 0
    obj = _any_name(rng, info, "type")
    if op == "remove" and blocks:
        notes.append(f"sdl remove {blocks[i].splitlines()[0][:40]!r}")
        del blocks[i]
    elif op == "duplicate" and blocks:
        blocks.insert(rng.randrange(len(blocks) + 1), blocks[i])
        notes.append(f"sdl duplicate {blocks[i].splitlines()[0][:40]!r}")
    elif op in ("conflict", "retype") and blocks:
        block = blocks[i]
        spots = list(_FIELD_TYPE.finditer(block))
        if spots:
            m = rng.choice(spots)
            new = _type_of_other_kind(rng, info)
            changed = block[: m.start(2)] + new + block[m.end(2):]
            if op == "conflict":
                blocks.append(changed)
            else:
                blocks[i] = changed
            notes.append(f"sdl {op}: {m.group(2)} -> {new} in {block.splitlines()[0][:40]!r}")
    elif op == "kind" and blocks:
        block = blocks[i]
        for word in ("type ", "interface ", "input ", "enum ", "union ", "scalar "):
            if block.lstrip().startswith(word) or f"\n{word}" in block:
                other = rng.choice(("type ", "interface ", "input ", "enum ", "union ", "scalar ", "extend type ",
                                    "directive @", "schema "))
                blocks[i] = block.replace(word, other, 1)
                notes.append(f"sdl kind {word.strip()} -> {other.strip()}")
                break
    elif op == "extend":
        field_name = rng.choice(info.fields.get(obj, ("id",)))
        values = next(iter(info.values.items()), ("E", ("A",)))
        iface, union, inp = (_any_name(rng, info, k) for k in ("interface", "union", "input"))
        blocks.insert(rng.choice((0, len(blocks))), rng.choice((
            f"extend type {obj} {{ fz{rng.randrange(100)}: {_any_name(rng, info)} }}",
            f"extend type {obj} {{ {field_name}: Int }}", "extend type Missing { a: Int }", "extend schema @foo",
            "extend schema @deprecated", f"extend schema {{ mutation: {obj} }}", f"extend schema {{ query: {obj} }}",
            "extend schema { subscription: Missing }", "extend scalar String @foo", "extend scalar Missing",
            f"extend union {union} = {obj}", f"extend union {union} = String", f"extend enum {values[0]} {{ FZ }}",
            f"extend enum {values[0]} {{ {values[1][0] if values[1] else 'A'} }}",
            f"extend input {inp} {{ fz: {obj} }}",
            f"extend input {inp} {{ fz: Int! }}", f"extend interface {iface} {{ fz: Int }}",
            f"extend type {obj} implements {iface}", f"extend type {obj} implements Missing", "extend type Query",
            f"extend type {obj} @key(fields: \"id\")", "extend enum Missing { A }", "extend input Missing { a: Int }",
            f"extend type {obj} implements {obj}", f"extend interface {iface} implements {iface}", "extend",
            f"extend scalar {obj}", f"extend type {inp} {{ a: Int }}")))
        notes.append("sdl extend")
    elif op == "directive-use" and blocks:
        lines = blocks[i].split("\n")
        j = rng.randrange(len(lines))
        directive = rng.choice((
            " @foo", " @deprecated", " @deprecated(reason: 5)", ' @deprecated(reason: "Removal on 2025-06-30.")',
            ' @deprecated(reason: "Removal on 2025-02-30.")', ' @deprecated(reason: "' + "x" * 100_000 + '")',
            " @specifiedBy(url: 5)", " @include(if: true)", " @skip", " @foo(a: {b: [1, 2, {c: $v}]})",
            " @deprecated @deprecated", ' @deprecated(reason: "\\uD800")', ' @deprecated(reason: """a\nb""")',
            ' @deprecated(reason: null)', " @oneOf", f" @foo(a: {HUGE_INT})", " @deprecated(reason: 1e400)"))
        line = lines[j]
        if line.endswith(" {"):
            lines[j] = line[:-2] + directive + " {"
        elif line.strip() and not line.rstrip().endswith(("(", '"""', '"')):
            lines[j] = line + directive
        blocks[i] = "\n".join(lines)
        notes.append(f"sdl directive {directive.strip()[:30]!r}")
    elif op == "directive-def":
        blocks.append(rng.choice((
            "directive @foo on FIELD_DEFINITION", "directive @foo(a: Missing) on OBJECT", "directive @foo on NOWHERE",
            "directive @deprecated(reason: Int) on FIELD_DEFINITION", "directive @include on OBJECT",
            "directive @fz(a: Int @fz) on ARGUMENT_DEFINITION", "directive @fz repeatable on SCHEMA | OBJECT",
            'directive @fz(a: [[[Int]]] = [[["x"]]]) on FIELD_DEFINITION', f"directive @fz(a: {obj}) on FIELD",
            "directive @foo on FIELD_DEFINITION\ndirective @foo on OBJECT", "directive @ on FIELD",
            "directive @specifiedBy(url: String!) on SCALAR", "directive @fz(a: Int = \"x\") on ENUM_VALUE")))
        notes.append("sdl directive definition")
    elif op == "schema":
        blocks.append(rng.choice((
            "schema { query: String }", "schema { query: Missing }", f"schema {{ query: {obj} query: {obj} }}",
            f"schema {{ mutation: {obj} }}", f"schema {{ query: {_any_name(rng, info, 'input')} }}",
            "schema @foo { query: Query }", "schema { query: Query }\nschema { query: Query }", "schema {}",
            f"schema {{ query: {obj} subscription: {obj} mutation: {obj} }}", "schema { query: [Query] }")))
        notes.append("sdl schema definition")
    elif op == "special":
        blocks.append(rng.choice((
            "type __Fz { a: Int }", "scalar String", "type String { a: Int }", "type Query",
            "type Fz implements Fz { a: Int }",
            "interface FzI implements FzJ { a: Int }\ninterface FzJ implements FzI { a: Int }",
            "union FzU = String | Missing", "union FzU", "enum FzE { true false null }", "enum FzE {}",
            "input FzIn { a: FzIn! }", f"input FzIn {{ a: {obj} }}", f"type Fz {{ a(x: {obj}): Int }}",
            'type Fz { a(x: Int = "s"): Int }', "type Fz { a(x: Int, x: Int): Int }", "type Fz { a: Int a: String }",
            "type Fz { __a: Int }", 'scalar Fz @specifiedBy(url: "")', "type Fz { a: Int = 5 }",
            'type Fz { a(x: [Int] = [1, "a", {b: 2}]): Int }', f"type Fz {{ a(x: Int = {HUGE_INT}): Int }}",
            "type Fz { a(x: Float = 1e400): Int }", "enum FzE @deprecated { A }",
            'type Fz { a(x: String = "\\uD800"): Int }',
            "type Fz { a(x: Int = $v): Int }", "type Fz { a(x: FzIn2 = {a: 1}): Int }\ninput FzIn2 { b: Int }",
            "type Fz { a: [[[[[[[[[[Int]]]]]]]]]] }", "type Fz implements & A & & B { a: Int }", "type Fz {}",
            '"""unterminated', '"\\u{110000}" scalar Fz', "type Fz { a: Int } type Fz { a: Int }",
            "input FzA { b: FzB! } input FzB { a: FzA! }", "type Fz { a(x: FzE = NOPE): Int }\nenum FzE { A }")))
        notes.append("sdl special definition")
    elif op == "multiply" and blocks:
        count = rng.choice((100, 1000, 10_000))
        block = blocks[i]
        lines = block.split("\n")
        body = [k for k, line in enumerate(lines) if line.startswith("  ") and line.strip()]
        if body and rng.random() < 0.6:
            k = rng.choice(body)
            line = lines[k]
            same = rng.random() < 0.2
            stem = line.strip().split("(")[0].split(":")[0].split(" ")[0]
            copies = [line if same else line.replace(stem, f"{stem}{n}", 1) for n in range(count)]
            lines[k + 1:k + 1] = copies
            blocks[i] = "\n".join(lines)
            notes.append(f"sdl repeat a line x{count}{' (same)' if same else ''}")
        else:
            head = block.split("\n")[0]
            name = next((w for w in head.replace("{", " ").split() if w[:1].isupper()), None)
            if name:
                blocks += [block.replace(name, f"{name}Fz{n}", 1) for n in range(count)]
                notes.append(f"sdl repeat {name} x{count}")
    elif op == "deep":
        depth = rng.choice((100, 500, 1000, 5000, 50_000))
        blocks.append(rng.choice((
            f"type FzDeep {{ a: {'[' * depth}Int{']' * depth} }}",
            f"type FzDeep {{ a(x: [Int] = {'[' * depth}{']' * depth}): Int }}",
            f"input FzDeepIn {{ a: FzDeepIn }}\n"
            f"type FzDeep {{ a(x: FzDeepIn = {'{a: ' * depth}null{'}' * depth}): Int }}",
            f"type FzDeep {{ a: Int @foo(x: {'[' * depth}1{']' * depth}) }}")))
        notes.append(f"sdl nesting {depth}")
    elif op == "describe" and blocks:
        size = rng.choice((1000, 1 << 20, 4 << 20))
        unit = rng.choice(("a", "é", "😀", "\\n", "\\u0000", "\\uD800", '\\"', "{", "Removal on 2025-06-30. "))
        quote = rng.choice(('"', '"""'))
        text = unit * max(1, size // len(unit))
        if quote == '"""':
            text = text.replace("\\", "")
        blocks[i] = f"{quote}{text}{quote}\n{blocks[i]}"
        notes.append(f"sdl description of {size} bytes ({unit!r}, {quote})")
    elif op == "shuffle":
        rng.shuffle(blocks)
        notes.append("sdl shuffle")
    elif op == "implements" and blocks:
        block = blocks[i]
        if block.startswith("type ") and " {" in block:
            iface = _any_name(rng, info, "interface")
            head, rest = block.split(" {", 1)
            blocks[i] = head + rng.choice((f" implements {iface}", " implements Missing", f" implements {obj}",
                                           f" implements {iface} & {iface}", " implements String")) + " {" + rest
            notes.append("sdl implements")
    return blocks


# -- introspection -----------------------------------------------------------------------------------------------

def mutate_introspection(ctx: Ctx, tree: Json) -> Json:
    """Introspection-aware edits (type references, wrappers), then generic tree mutations."""
    rng = ctx.rng
    schema: Any = tree.get("data", {}).get("__schema") if isinstance(tree, dict) and "data" in tree else \
        tree.get("__schema") if isinstance(tree, dict) else None
    op = rng.choice(("ref-name-null", "ref-kind", "of-type-chain", "wrapper", "dup-type", "tree", "tree", "tree",
                     "root-type", "many-types"))
    if op == "wrapper":
        tree = rng.choice(({"data": None}, {"__schema": None}, [tree], {"data": {"__schema": schema, "extra": 1}},
                           {"data": tree.get("data") if isinstance(tree, dict) else None, "errors": [{"message": 5}]},
                           {"data": {"__schema": schema}, "__schema": schema}, {"errors": [{"message": "x"}]},
                           {"data": {"__schema": [schema]}}, {"__schema": {"types": schema}}))
        ctx.notes.append("introspection wrapper")
        return tree
    types_ok = isinstance(schema, dict) and isinstance(schema.get("types"), list) and bool(schema["types"])
    if types_ok and op in ("dup-type", "many-types", "root-type"):
        types = schema["types"]
        if op == "dup-type":
            victim = rng.choice(types)
            types.append(json.loads(json.dumps(victim)))
            ctx.notes.append("introspection duplicate type")
        elif op == "many-types" and not ctx.big:
            victim = rng.choice(types)
            count = rng.choice((1000, 10_000))
            body = to_json_text(victim)
            count = _cap(count, len(body))
            raw = "[" + ", ".join([to_json_text(t) for t in types] + [
                body.replace(json.dumps(str(victim.get("name"))), json.dumps(f"{victim.get('name')}Fz{n}"), 1)
                for n in range(count)]) + "]"
            schema["types"] = ctx.raws.add(raw)
            ctx.big = True
            ctx.notes.append(f"introspection {count} more types")
        else:
            schema[rng.choice(("queryType", "mutationType", "subscriptionType"))] = rng.choice(POOLS["queryType"])
            ctx.notes.append("introspection root type")
        return tree
    refs = [(p, v) for p, v in all_nodes(tree) if isinstance(v, dict) and "kind" in v and "ofType" in v]
    if refs and op in ("ref-name-null", "ref-kind", "of-type-chain"):
        path, ref = rng.choice(refs)
        if op == "ref-name-null":
            ref["name"] = rng.choice((None, None, 5, "", "Missing", [], {"name": "x"}))
        elif op == "ref-kind":
            ref["kind"] = rng.choice(POOLS["kind"])
        elif not ctx.big:
            depth = rng.choice((2, 100, 1000, 1001, 5000))
            head, tail = rng.choice(WRAPPERS_INTROSPECTION)
            tree = set_at(tree, path, ctx.raws.add(head * depth + to_json_text(ref) + tail * depth))
            ctx.big = True
        ctx.notes.append(f"introspection {op} at {where(path)}")
        return tree
    return mutate_tree(ctx, tree, rng.choice((1, 1, 2, 3)))


# -- usage ---------------------------------------------------------------------------------------------------------

def graphql_operation(rng: random.Random, obj_fields: Sequence[str]) -> str:
    """A hostile GraphQL operation document."""
    f = rng.choice(obj_fields or ("book",))
    depth = rng.choice((100, 500, 1000, 3000))
    count = rng.choice((100, 1000, 10_000))
    return rng.choice((
        "query FzDeep { " + f"{f} {{ " * depth + "id" + " }" * depth + " }",
        "query FzAliases { " + " ".join(f"a{n}: {f} {{ __typename }}" for n in range(count)) + " }",
        "query FzCycle { ...A }\nfragment A on Query { ...B }\nfragment B on Query { ...A }",
        "query FzSelf { ...A }\nfragment A on Query { ...A }", "query FzUndef { ...Nope }",
        "fragment F on Missing { id }\nquery FzFrag { ...F }",
        f"query FzVar($v: Undefined!) {{ {f}(id: $v) {{ id }} }}",
        f"query FzVar2($v: Int = \"x\") {{ {f} {{ id }} }}",
        f"query Dup {{ {f} {{ id }} }}\nquery Dup {{ __typename }}",
        f"{{ {f} {{ id }} }}\nquery Named {{ __typename }}", "subscription FzSub { nope }",
        "{ __schema { types { name fields { name } } } }", '{ __type(name: "Book") { name } }', "{ __typename }",
        f"query FzDir {{ {f} @include(if: $undefined) {{ id }} }}", f"query FzDir2 {{ {f} @nope {{ id }} }}",
        f"query FzInline {{ {f} {{ ... on Missing {{ id }} }} }}", f"query FzBig {{ {f}(id: {HUGE_INT}) {{ id }} }}",
        f"query FzFloat {{ {f}(id: 1e400) {{ id }} }}", f'query FzStr {{ {f}(id: "\\uD800") {{ id }} }}',
        f"query FzObj {{ {f}(id: {'{a: ' * depth}1{'}' * depth}) {{ id }} }}",
        f"query FzList {{ {f}(id: {'[' * depth}1{']' * depth}) {{ id }} }}",
        f"query FzVarList($a: {'[' * depth}Int{']' * depth}) {{ {f} {{ id }} }}", "mutation FzM { nope }", "",
        "# only a comment", '{"a": 1}', "query { ", "query Q { a } }", f"query Q($a: Int, $a: Int) {{ {f} }}",
        f"fragment F on Query {{ {f} }}",
        "query FzArgs { " + f + "(" + ", ".join(f"a{n}: 1" for n in range(count)) + ") }",
        "\ufeffquery Bom { __typename }", "query FzMany { " + " ".join(["__typename"] * count) + " }",
    ))


def mutate_lines(rng: random.Random, text: str, kind: str, notes: list[str]) -> str:
    """JSON lines and access logs: lines replaced, repeated, broken, made huge or deep."""
    lines = text.split("\n")
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.choice(("garbage", "json-type", "repeat", "delete", "huge", "deep", "edit", "field", "blank"))
        i = rng.randrange(len(lines)) if lines else 0
        if op == "garbage":
            lines.insert(i, rng.choice(("garbage", "{", "}", "[1, 2", "\x00", '"x"', "null", "-", '{"a": NaN}',
                                        "GET / HTTP/1.1", "\"GET / HTTP/1.1\"", "   ", "\ufeff{}", '{"a": 1}{"b": 2}')))
        elif op == "json-type":
            lines.insert(i, rng.choice(("5", "[]", "[{}]", "{}", "true", '{"method": 5, "path": []}',
                                        '{"request": "GET /v1/pets HTTP/1.1", "status": "x"}', f'{{"a": {HUGE_INT}}}',
                                        '{"method": "GET", "path": null}', '{"method": "GET", "url": {}}',
                                        '{"method": "GET", "path": "/v1/pets", "status": 1e400}')))
        elif op == "repeat" and lines:
            count = rng.choice((100, 1000, 10_000))
            lines[i:i] = [lines[i]] * count
            notes.append(f"repeat line {i + 1} x{count}")
            continue
        elif op == "delete" and lines:
            del lines[i]
        elif op == "huge":
            lines.insert(i, rng.choice(("a", "{", "\"", "/v1/pets/", "é")) * rng.choice((10_000, 1 << 20)))
        elif op == "deep":
            depth = rng.choice((1000, 100_000))
            lines.insert(i, rng.choice(("[" * depth + "]" * depth, '{"a": ' * depth + "1" + "}" * depth,
                                        '{"method": "GET", "path": "/v1/pets", "response_body": ' + "[" * depth
                                        + "]" * depth + "}")))
        elif op == "edit" and lines and kind == "jsonl":
            try:
                tree = json.loads(lines[i])
            except (ValueError, RecursionError):  # a line an earlier mutation nested too deeply
                continue
            ctx = Ctx(rng, "usage", "json")
            tree = mutate_tree(ctx, tree, 1)
            lines[i] = ctx.raws.splice(json.dumps(tree, default=str), "json")
            notes.extend(ctx.notes)
        elif op == "field" and lines and kind == "log":
            parts = lines[i].split(" ")
            if parts:
                j = rng.randrange(len(parts))
                parts[j] = rng.choice(('"FETCH', '"GET', "/v1/pets/%00", "/v1/../../etc", "/" + "a" * 10_000, "abc",
                                       "-", '"', "[99/Foo/2025:99:99:99", "HTTP/9.9\"", "999999999999999999999",
                                       "/v1/pets?" + "a=1&" * 1000, "\\x00", '"\\"', "", "é"))
                lines[i] = " ".join(parts)
        elif op == "blank":
            lines.insert(i, rng.choice(("", "  ", "\r", "\t")))
        notes.append(f"line {op} at {i + 1}")
    return "\n".join(lines)


def mutate_usage(rng: random.Random, seed: Seed, data: bytes, notes: list[str]) -> bytes:
    if seed.kind == "graphql" or (seed.kind in ("persisted", "manifest") and rng.random() < 0.3):
        info = sdl_info(seed.partner.files[seed.partner.root])
        fields = info.fields.get("Query", ()) if info else ()
        operation = graphql_operation(rng, fields)
        if seed.kind == "graphql":
            roll = rng.random()
            text = data.decode("utf-8", "replace")
            out = text + "\n" + operation if roll < 0.5 else (operation if roll < 0.7 else text + "\n" + text)
            notes.append("graphql operation " + operation[:40].replace("\n", " ") + "...")
            return out.encode("utf-8", "surrogatepass")
        tree = json.loads(data)
        if seed.kind == "persisted" and isinstance(tree, dict) and tree:
            tree[rng.choice(list(tree))] = operation
        elif isinstance(tree, dict) and isinstance(tree.get("operations"), list) and tree["operations"]:
            entry = rng.choice(tree["operations"])
            if isinstance(entry, dict):
                entry[rng.choice(("body", "query"))] = operation
        notes.append("operation in JSON: " + operation[:40].replace("\n", " ") + "...")
        return json.dumps(tree, indent=2).encode("utf-8", "surrogatepass")
    if seed.kind in ("jsonl", "log"):
        return mutate_lines(rng, data.decode(), seed.kind, notes).encode("utf-8", "surrogatepass")
    ctx = Ctx(rng, "usage", "json")
    tree = mutate_tree(ctx, json.loads(data), rng.choice((1, 1, 2, 3)))
    notes.extend(ctx.notes)
    return dump(tree, "json", ctx.raws, rng).encode("utf-8", "surrogatepass")


# -- cases -------------------------------------------------------------------------------------------------------

OLD, MUT, NEW, USE, OTHER = "{OLD}", "{MUT}", "{NEW}", "{USAGE}", "{OTHER}"


@dataclass(frozen=True)
class Run:
    """One command line; placeholders name the case's files."""

    args: tuple[str, ...]
    same: bool = False  # a document against itself: no change expected
    output: str = ""  # json, xml: the report must parse


@dataclass
class Case:
    index: int
    family: str
    seed: Seed
    notes: list[str]
    old: Doc
    mutant: Doc
    runs: list[Run]
    usage_schema: tuple[Doc, Doc] | None = None
    other: Doc | None = None


def make_case(seeds: dict[str, list[Seed]], families: Sequence[str], seed: int, index: int) -> Case:
    """Case ``index`` of ``seed``: the same every time."""
    rng = random.Random(f"apidiff-fuzz/{seed}/{index}")
    weights = [FAMILY_WEIGHTS[FAMILIES.index(f)] for f in families]
    family = rng.choices(list(families), weights)[0]
    chosen = rng.choice(seeds[family])
    donors = [s.doc.files.get(s.doc.root, b"") for s in rng.sample(seeds[family], min(3, len(seeds[family])))]
    notes: list[str] = []
    flags: set[str] = set()
    files = dict(chosen.doc.files)
    root = chosen.doc.root
    data = files[root]
    if family == "usage":
        if rng.random() < 0.9:
            data = mutate_usage(rng, chosen, data, notes)
        if rng.random() < 0.2:
            data = mutate_bytes(rng, data, donors, notes)
        files[root] = data
        if rng.random() < 0.08:  # another extension: the content decides, or not
            new_root = str(Path(root).with_suffix(rng.choice((".json", ".har", ".jsonl", ".log", ".graphql", ".txt",
                                                               ".gql"))))
            files[new_root] = files.pop(root)
            notes.append(f"renamed {root} to {new_root}")
            root = new_root
        mutant = Doc(files, root)
        schema = (chosen.partner, chosen.new or chosen.partner)
        if rng.random() < 0.08:  # usage of one format against the other's schemas
            foreign = rng.choice([s for s in seeds["usage"] if s.partner != chosen.partner] or [chosen])
            schema = (foreign.partner, foreign.new or foreign.partner)
            notes.append("usage against the other format's schemas")
        return Case(index, family, chosen, notes, schema[0], mutant, usage_runs(rng, index, chosen), schema)
    if family == "sdl":
        data, blocks = mutate_sdl(rng, data, notes) if rng.random() < 0.9 else (data, [])
        if rng.random() < 0.3:
            data = mutate_bytes(rng, data, donors, notes)
            blocks = []
        if len(blocks) > 1 and rng.random() < 0.15:  # a folder of files
            parts = ["" for _ in range(rng.choice((2, 3, 5)))]
            for block in blocks:
                parts[rng.randrange(len(parts))] += block + "\n\n"
            notes.append(f"split into a folder of {len(parts)} files")
            suffixes = (".graphql", ".graphqls", ".gql")
            files = {f"schema/part{n}{rng.choice(suffixes)}": p.encode() for n, p in enumerate(parts)}
            if rng.random() < 0.2:
                files["schema/README.md"] = b"# not a schema {"
            if rng.random() < 0.1:
                files["schema/empty.graphql"] = b""
            mutant = Doc(files, "schema")
        else:
            mutant = Doc({root: data}, root)
    else:
        kind = "json" if family == "introspection" else chosen.kind
        ctx = Ctx(rng, family, kind)
        text = data.decode()
        if rng.random() < 0.95:
            tree = _load_tree(data)
            if family == "introspection":
                tree = mutate_introspection(ctx, tree)
            else:
                tree = mutate_tree(ctx, tree, rng.choice((1, 1, 1, 2, 2, 3)))
            try:
                text = dump(tree, kind, ctx.raws, rng)
            except Exception as exc:  # a tree the dumpers refuse (a lone surrogate in YAML): keep the seed's text
                ctx.notes.append(f"(not dumped: {type(exc).__name__})")
        if kind == "yaml" and rng.random() < 0.2:
            text = mutate_yaml_text(ctx, text)
        notes += ctx.notes
        flags |= ctx.flags
        data = text.encode("utf-8", "surrogatepass")
        if rng.random() < 0.25:
            data = mutate_bytes(rng, data, donors, notes)
        files[root] = data
        for name, content in ctx.extra_files.items():
            files.setdefault(name, content)
        mutant = Doc(files, root)
    old = chosen.doc if rng.random() < 0.7 else chosen.partner
    others = [s for f in FAMILIES if f not in (family, "usage") for s in seeds[f]]
    other = rng.choice(others).doc if others else None
    return Case(index, family, chosen, notes, old, mutant, document_runs(index, flags, other is not None),
                other=other)


def _common(flags: set[str]) -> tuple[str, ...]:
    return ("--today", TODAY, *(("--allow-remote-refs",) if "allow-remote-refs" in flags else ()))


def document_runs(index: int, flags: set[str], has_other: bool) -> list[Run]:
    """The self-diff, both directions in two rotating formats, and one rotating extra command."""
    common = _common(flags)
    f1, f2 = REPORT_FORMATS[index % 7], REPORT_FORMATS[(index * 3 + 2) % 7]
    mode = MODES[(index // 7) % 3]
    fail_on = FAIL_ONS[index % len(FAIL_ONS)]
    diff_opts = ("--no-config", "--mode", mode, *(("--fail-on", fail_on) if fail_on else ()))
    runs = [
        Run(("diff", MUT, MUT, "--format", "json", "--no-config", *common), same=True, output="json"),
        Run(("diff", OLD, MUT, "--format", f1, *diff_opts, *common), output=_parsed(f1)),
        Run(("diff", MUT, OLD, "--format", f2, "--no-config", *common), output=_parsed(f2)),
    ]
    extras = [
        Run(("changelog", OLD, MUT, *common)),
        Run(("plan", OLD, MUT, "--format", "json", "--no-config", *common), output="json"),
        Run(("guide", OLD, MUT, "--no-config", *common)),
        Run(("plan", MUT, OLD, "--no-config", *common)),
        Run(("guide", MUT, OLD, "--format", "html", "--mode", "full", "--no-config", *common)),
        Run(("diff", OLD, MUT, "--mode", "full", "--format", "json", "--fail-on", "safe", "--no-config", *common),
            output="json"),
        Run(("changelog", MUT, OLD, "--old-version", "1", "--new-version", "2", *common)),
    ]
    if has_other:
        extras.append(Run(("diff", MUT, OTHER, "--no-config", *common)))
    runs.append(extras[index % len(extras)])
    return runs


def usage_runs(rng: random.Random, index: int, seed: Seed) -> list[Run]:
    common = ("--today", TODAY, "--no-config")
    target = USE if rng.random() < 0.8 else USE + "-folder"
    f1 = REPORT_FORMATS[index % 7]
    key = ("--consumer-key", "X-Api-Key-Id") if seed.kind in ("har", "jsonl", "log") else ()
    consumer = (*key, "--consumer", seed.consumer)
    runs = [
        Run(("diff", OLD, NEW, "--usage", target, "--format", f1, *common), output=_parsed(f1)),
        Run(("impact", OLD, NEW, "--usage", target, "--format", ("text", "markdown", "json")[index % 3], *common),
            output="json" if index % 3 == 2 else ""),
    ]
    extras = [
        Run(("guide", OLD, NEW, "--usage", target, *common)),
        Run(("diff", OLD, NEW, "--usage", target, "--usage-only", "--fail-on", "dangerous", *common)),
        Run(("diff", NEW, NEW, "--usage", target, "--format", "json", *common), same=True, output="json"),
        Run(("impact", OLD, NEW, "--usage", target, *consumer, *common)),
        Run(("guide", OLD, NEW, "--usage", target, *consumer, "--format", "html", *common)),
    ]
    runs.append(extras[index % len(extras)])
    return runs


def _parsed(fmt: str) -> str:
    return {"json": "json", "sarif": "json", "junit": "xml"}.get(fmt, "")


# -- running -----------------------------------------------------------------------------------------------------

class RunTimeout(BaseException):
    """Raised by the alarm in the middle of a run that takes too long."""


@dataclass
class Outcome:
    exit_code: int | None
    stdout: str
    stderr: str
    exception: BaseException | None
    tb: TracebackType | None
    seconds: float
    timed_out: bool = False
    slow_at: list[traceback.FrameSummary] = field(default_factory=list)  # the stack when the time limit passed


@dataclass
class Failure:
    kind: str
    key: str
    detail: str
    case: Case
    run: Run
    argv: list[str]


class _Alarm:
    """SIGALRM at the time limit notes where the run is (a slow run); at the hang limit it raises RunTimeout."""

    def __init__(self, limit: float, hang: float) -> None:
        self.limit, self.hang = limit, hang
        self.slow_at: list[traceback.FrameSummary] = []

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.slow_at:
            self.slow_at = traceback.extract_stack(frame) or [traceback.FrameSummary("?", 0, "?")]
            signal.setitimer(signal.ITIMER_REAL, max(self.hang - self.limit, 0.01))
            return
        raise RunTimeout()


def invoke(argv: list[str], limit: float, hang: float) -> Outcome:
    """Run the command line in-process; past ``limit`` seconds note where it is, past ``hang`` stop it."""
    from click.testing import CliRunner

    import apidiff.cli

    runner = CliRunner(catch_exceptions=True)
    alarm = _Alarm(limit, hang)
    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.perf_counter()
    try:
        result = runner.invoke(apidiff.cli.main, argv, catch_exceptions=True)
    except RunTimeout as exc:
        return Outcome(None, "", "", exc, exc.__traceback__, time.perf_counter() - start, timed_out=True,
                       slow_at=alarm.slow_at)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    seconds = time.perf_counter() - start
    raised = result.exception
    tb = result.exc_info[2] if result.exc_info and raised is not None and not isinstance(raised, SystemExit) else None
    return Outcome(result.exit_code, result.stdout, result.stderr, raised, tb, seconds, slow_at=alarm.slow_at)


EXCEPTION_NAMES = sorted({n for n in dir(builtins) if isinstance(getattr(builtins, n), type)
                          and issubclass(getattr(builtins, n), BaseException)
                          and not issubclass(getattr(builtins, n), Warning) and n not in ("Exception", "BaseException")}
                         | {"JSONDecodeError", "YAMLError", "ScannerError", "ParserError", "ConstructorError",
                            "GraphQLError", "GraphQLSyntaxError", "InvalidYamlError", "UnicodeDecodeError"})
_EXCEPTION_NAME = re.compile(r"\b(" + "|".join(EXCEPTION_NAMES) + r")\b")
_PYTHON_TEXT = re.compile(r"object has no attribute|object is not (?:subscriptable|iterable|callable)|unhashable type|"
                          r"not supported between instances|positional argument|can only concatenate|must be str, not|"
                          r"index out of range|NoneType|Exceeds the limit \(\d+ digits\)|maximum recursion depth|"
                          r"codec can't (?:en|de)code|<built-in|<function |object at 0x")


HUGE_OUTPUT = 256 * 2**20  # characters on stdout past which a run is a failure to look at


def check(run: Run, out: Outcome, limit: float) -> list[tuple[str, str, str]]:
    """What went wrong in one run: (kind, key for deduplication, detail)."""
    problems: list[tuple[str, str, str]] = []
    if out.slow_at:
        stopped = traceback.extract_tb(out.tb) if out.timed_out else []
        stage = _stage(stopped or out.slow_at)  # where a hang was stopped; where a slow run was at the limit
        kind = "hang" if out.timed_out else "slow"
        what = "stopped after" if out.timed_out else "took"
        problems.append((kind, f"{kind}: over the time limit in {stage}",
                         f"{what} {out.seconds:.1f} s (limit {limit:.1f} s); at the limit it was in:\n"
                         + "".join(traceback.format_list(out.slow_at[-12:]))
                         + ("when stopped:\n" + "".join(traceback.format_list(stopped[-12:])) if stopped else "")))
    if out.timed_out:
        return problems
    if out.exception is not None and not isinstance(out.exception, SystemExit):
        name = type(out.exception).__name__
        problems.append(("crash", f"{name} at {_deepest(out.tb)}", _format_tb(out.exception, out.tb)))
        return problems
    if out.exit_code not in (0, 1, 2):
        problems.append(("exit-code", f"exit code {out.exit_code}", out.stderr[-2000:]))
    # the output is searched where it is, never copied: a report of a huge mutant may be hundreds of MB
    if len(out.stdout) > HUGE_OUTPUT:
        problems.append(("huge-output", f"{len(out.stdout) / 1e6:.0f} MB on stdout", out.stdout[:2000]))
    if "Traceback (most recent call last)" in out.stdout or "Traceback (most recent call last)" in out.stderr:
        problems.append(("traceback", "traceback in the output", (out.stdout[-3000:] + out.stderr[-3000:])[-3000:]))
    if "internal error" in out.stderr.lower():
        problems.append(("internal-error", "internal error: " + _normalize(_first(out.stderr)), out.stderr[-3000:]))
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    if out.exit_code == 2:
        if len(lines) != 1:
            problems.append(("multi-line", f"{len(lines)} stderr lines at exit 2: {_normalize(_first(out.stderr))}",
                             out.stderr[-3000:]))
        elif not lines[0].startswith("apidiff: error: "):
            problems.append(("error-form", "error not 'apidiff: error: ...': " + _normalize(lines[0]), lines[0]))
    else:
        stray = [line for line in lines if not line.startswith("apidiff: ")]
        if stray:
            problems.append(("stderr", "stderr line without 'apidiff: ': " + _normalize(stray[0]), out.stderr[-3000:]))
    for line in lines if not any(p[0] == "internal-error" for p in problems) else ():
        found = _EXCEPTION_NAME.search(line) or _PYTHON_TEXT.search(line)
        if found:
            problems.append(("python-in-message", f"Python text {found.group(0)!r} in: {_normalize(line)}", line))
            break
    fmt = run.args[run.args.index("--format") + 1] if "--format" in run.args else "text"
    if out.exit_code in (0, 1) and run.output:
        try:
            data = json.loads(out.stdout) if run.output == "json" else ET.fromstring(out.stdout)
        except (ValueError, ET.ParseError) as exc:
            problems.append(("bad-output", f"--format {fmt} output is not {run.output.upper()}: "
                             f"{_normalize(str(exc))}", str(exc)))
        else:
            problems += _schema_problems(run, fmt, data, len(out.stdout))
    if out.exit_code in (0, 1) and fmt == "github" and run.args[0] == "diff":
        odd = [line for line in out.stdout.split("\n") if line and not line.startswith(("::", "apidiff: "))]
        if odd:
            problems.append(("bad-output", "--format github line that is neither a command nor the summary",
                             repr(odd[0][:500])))
    if "--fail-on" in run.args and run.args[run.args.index("--fail-on") + 1] == "never" and out.exit_code == 1:
        problems.append(("exit-code", "exit code 1 under --fail-on never", ""))
    if run.same:
        if out.exit_code == 1:
            problems.append(("self-diff", "diff(x, x) exits with 1", out.stdout[-2000:]))
        if out.exit_code == 0:
            try:
                changes = json.loads(out.stdout).get("changes", [])
            except (ValueError, AttributeError):
                changes = []
            if changes:
                ids = sorted({str(c.get("id")) for c in changes if isinstance(c, dict)})
                problems.append(("self-diff", f"diff(x, x) reports {', '.join(ids[:3])}",
                                 json.dumps(changes[:5], indent=1)[:3000]))
    return problems


SCHEMAS = {"json": REPO / "docs/json-report.schema.json", "sarif": REPO / "tests/report/sarif-2.1.0.schema.json"}


@functools.cache
def _validator(fmt: str) -> Any:
    """A JSON Schema validator of the report format (None without the ``jsonschema`` package)."""
    try:
        import jsonschema  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    schema = json.loads(SCHEMAS[fmt].read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _schema_problems(run: Run, fmt: str, data: Any, size: int) -> list[tuple[str, str, str]]:
    """A ``diff`` report in JSON or SARIF that breaks its published schema (reports up to 2 MB)."""
    if run.args[0] != "diff" or fmt not in SCHEMAS or size > 2_000_000:
        return []
    validator = _validator(fmt)
    error = next(iter(validator.iter_errors(data)), None) if validator is not None else None
    if error is None:
        return []
    where_ = "/".join(str(p) for p in error.absolute_path)
    where_ = _NUMBERS.sub("N", where_)
    return [("bad-output", f"--format {fmt} report breaks {SCHEMAS[fmt].name} at {where_}: "
             f"{_normalize(error.message)[:80]}", f"{where_}: {error.message[:2000]}")]


def _first(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


_NUMBERS = re.compile(r"\d+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_PATHS = re.compile(r"(?:old|mut|new|usage)(?:-folder)?/[^\s:]*")


def _normalize(line: str) -> str:
    """A message with its variable parts blanked, to group failures."""
    line = _PATHS.sub("FILE", line)
    line = _QUOTED.sub("'…'", line)
    line = _NUMBERS.sub("N", line)
    return line[:160]


def _apidiff_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(tb) if f.filename.startswith(PKG)]


def _deepest(tb: TracebackType | None) -> str:
    frames = _apidiff_frames(tb)
    every = traceback.extract_tb(tb)
    if not frames:
        last = every[-1] if every else None
        return f"{last.filename}:{last.lineno} ({last.name})" if last else "?"
    f = frames[-1]
    rel = os.path.relpath(f.filename, REPO)
    tail = ""
    if every and every[-1] is not f and not every[-1].filename.startswith(PKG):
        tail = f" → {Path(every[-1].filename).name}:{every[-1].name}"
    return f"{rel}:{f.lineno} ({f.name}){tail}"


def _stage(stack: Sequence[traceback.FrameSummary]) -> str:
    """The apidiff module a slow run was in (the deepest one; a hang is grouped by module, not line)."""
    mine = [f for f in stack if f.filename.startswith(PKG)]
    if not mine:
        return "?"
    return os.path.relpath(mine[-1].filename, REPO)


def _format_tb(exc: BaseException | None, tb: TracebackType | None) -> str:
    if exc is None:
        return ""
    lines = traceback.format_exception(type(exc), exc, tb)
    return "".join(lines)[-6000:]


def write_doc(doc: Doc, folder: Path) -> Path:
    for name, data in doc.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder / doc.root


def materialize(case: Case, folder: Path) -> dict[str, str]:
    """Write the case's files; the placeholders' values, relative to ``folder``."""
    names: dict[str, str] = {}
    names[OLD] = str(write_doc(case.old, folder / "old").relative_to(folder))
    names[MUT] = str(write_doc(case.mutant, folder / ("usage" if case.family == "usage" else "mut"))
                     .relative_to(folder))
    if case.usage_schema is not None:
        names[NEW] = str(write_doc(case.usage_schema[1], folder / "new").relative_to(folder))
        names[USE] = names[MUT]
        names[USE + "-folder"] = str(Path(names[MUT]).parent)  # the client's folder
    if case.other is not None:
        names[OTHER] = str(write_doc(case.other, folder / "other").relative_to(folder))
    return names


def argv_of(run: Run, names: dict[str, str]) -> list[str]:
    return [names.get(a, a) for a in run.args]


def _reference_allowed(outcome: Outcome, argv: list[str], folder: Path, opts: Options) -> Outcome:
    """Not slow after all when the run stayed within ``--time-limit`` plus ``--reference-factor`` times what the
    format's own parsers take on the same files (:func:`_reference_seconds`)."""
    if (outcome.slow_at and not outcome.timed_out
            and outcome.seconds <= opts.time_limit + opts.reference_factor * _reference_seconds(argv, folder)):
        outcome.slow_at = []
    return outcome


def _written_allowed(outcome: Outcome, limit: float, opts: Options) -> Outcome:
    """Not slow after all when the run stayed within its limit plus ``time_per_mb_out`` per MB it
    wrote (a 300 KB schema can hold 10,000 changes, and their guide is 10 MB)."""
    if outcome.slow_at and not outcome.timed_out:
        written = len(outcome.stdout.encode("utf-8", "surrogatepass")) / 1e6
        if outcome.seconds <= limit + opts.time_per_mb_out * written:
            outcome.slow_at = []
    return outcome


def _reference_seconds(argv: list[str], folder: Path) -> float:
    """What the format's own parsers alone take on the files a command reads: graphql-core's ``parse`` for
    SDL and operations (and its ``validate`` of the ``--usage`` operations against the new schema: apidiff
    validates them against both sides), ``json``/ryaml for the rest. A run is slow only past a few times this
    as well: the fuzzer looks for apidiff's own superlinear paths and hangs, not for graphql-core's constant
    (about 0.2 MB/s on dense SDL here)."""
    import ryaml
    from graphql import build_ast_schema, parse, validate

    schema = None
    usage = {argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--usage"}
    positional = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] not in
                                                                             ("--usage", "--format", "--mode"))]
    total = 0.0
    timed: dict[str, float] = {}  # a document diffed against itself is timed once and counted twice
    for arg in positional[1:] + sorted(usage):
        path = folder / arg
        if not path.exists():
            continue
        if arg in timed and arg not in usage:
            total += timed[arg]
            continue
        start = time.perf_counter()
        files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.is_file())
        for file in files:
            text = file.read_text("utf-8", "replace")
            with contextlib.suppress(Exception):
                if file.suffix in (".graphql", ".gql", ".graphqls"):
                    document = parse(text)
                    if arg in usage and schema is not None:
                        validate(schema, document, max_errors=25)
                    elif arg not in usage:
                        with contextlib.suppress(Exception):
                            schema = build_ast_schema(document, assume_valid=True)
                elif file.suffix == ".json":
                    json.loads(text)
                else:
                    ryaml.loads(text)
        timed[arg] = time.perf_counter() - start
        total += timed[arg]
    return total


def _bytes_read(argv: list[str], folder: Path) -> int:
    """The size of the files and folders a command line names (a document diffed against itself counts
    twice: it is read and loaded twice)."""
    total = 0
    for arg in argv:
        path = folder / arg
        if arg.startswith("-") or not path.exists():
            continue
        files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
        total += sum(f.stat().st_size for f in files)
    return total


# -- the driver --------------------------------------------------------------------------------------------------

@dataclass
class Options:
    seed: int = 1
    runs: int | None = 200  # cases; None with minutes
    minutes: float | None = None
    families: tuple[str, ...] = FAMILIES
    save_failures: Path | None = None
    case: int | None = None
    time_limit: float = 2.0
    time_per_mb: float = 2.0  # graphql-core alone parses dense SDL at about 1 MB/s here
    time_per_mb_out: float = 1.0  # and per MB the command writes
    reference_factor: float = 3.0  # or this many times what the format's own parsers take on the files
    hang_factor: float = 5.0  # a run is stopped (a hang) at this many times its time limit
    memory_limit_gb: float | None = 6.0  # the process's address space (RLIMIT_AS): past it a run raises MemoryError
    verbose: bool = False


@dataclass
class Distinct:
    first: Failure
    count: int = 1
    families: Counter[str] = field(default_factory=Counter)


@dataclass
class Summary:
    cases: int = 0
    runs: int = 0
    failures: int = 0
    seconds: float = 0.0
    distinct: dict[str, Distinct] = field(default_factory=dict)
    by_family: Counter[str] = field(default_factory=Counter)
    failures_by_family: Counter[str] = field(default_factory=Counter)
    retimed: int = 0  # runs over the time limit that were run a second time
    unmade: int = 0  # cases whose mutant did not fit in memory (skipped)
    loaded: Counter[str] = field(default_factory=Counter)  # cases whose first run did not end in exit 2
    first_runs: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        parts = [f"{f} {self.by_family[f]} runs/{self.failures_by_family[f]} failures "
                 f"({100 * self.loaded[f] // max(self.first_runs[f], 1)}% of mutants loaded)"
                 for f in FAMILIES if self.by_family[f]]
        return (f"runs {self.runs} ({self.cases} cases, {self.seconds / 60:.1f} min), failures {self.failures} "
                f"(distinct {len(self.distinct)}), by format: {', '.join(parts)}"
                + (f"; {self.unmade} mutants too big to make, skipped" if self.unmade else ""))

    def report(self) -> str:
        """Every distinct failure with its first reproducer (for an assertion message)."""
        out = [self.line()]
        for key, d in self.distinct.items():
            f = d.first
            out.append(f"- [{f.kind}] {key} (x{d.count}; case {f.case.index}, seed {f.case.seed.name}; "
                       f"{'; '.join(f.case.notes)[:300]})\n    apidiff {' '.join(f.argv)}\n"
                       + "\n".join("    " + line for line in f.detail.strip().splitlines()[-6:]))
        return "\n".join(out)


class Watchdog:
    """Ends the process when a run outlives the alarm (a hang in C code, where no signal handler runs)."""

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.what: Callable[[], None] = lambda: None
        self.lock = threading.Lock()
        thread = threading.Thread(target=self._watch, daemon=True, name="fuzz-watchdog")
        thread.start()

    def arm(self, seconds: float, what: Callable[[], None]) -> None:
        with self.lock:
            self.deadline, self.what = time.monotonic() + seconds, what

    def disarm(self) -> None:
        with self.lock:
            self.deadline = None

    def _watch(self) -> None:
        while True:
            time.sleep(0.5)
            with self.lock:
                late = self.deadline is not None and time.monotonic() > self.deadline
                what = self.what
            if late:
                with contextlib.suppress(Exception):
                    what()
                os._exit(3)


def fuzz(opts: Options, out: TextIO | None = None) -> Summary:
    """Run the cases; print one line per distinct failure on ``out``; return the summary."""
    out = out or sys.stdout
    seeds = load_seeds()
    summary = Summary()
    start = time.monotonic()
    deadline = start + opts.minutes * 60 if opts.minutes is not None else None
    # no fork beside a watchdog thread and an alarm; APIDIFF_DEBUG: the CLI lets a bug's exception out (else it
    # prints "internal error ..."), so that its traceback names the frame that failed
    saved_env = {name: os.environ.get(name) for name in ENV}
    os.environ.update(ENV)
    cwd = os.getcwd()
    root = Path(tempfile.mkdtemp(prefix="apidiff-fuzz-"))
    watchdog = Watchdog()
    memory = _limit_memory(opts.memory_limit_gb)
    try:
        _warm_up(root)
        indices: Iterator[int] = iter([opts.case]) if opts.case is not None else _counter(opts.runs)
        for index in indices:
            if deadline is not None and time.monotonic() > deadline:
                break
            folder = root / f"case{index}"
            try:
                case = make_case(seeds, opts.families, opts.seed, index)
                folder.mkdir()
                names = materialize(case, folder)
            except MemoryError:  # the mutant itself would not fit under --memory-limit: not apidiff's doing
                summary.unmade += 1
                shutil.rmtree(folder, ignore_errors=True)
                continue
            summary.cases += 1
            os.chdir(folder)
            try:
                for run in case.runs:
                    argv = argv_of(run, names)
                    limit = opts.time_limit + opts.time_per_mb * _bytes_read(argv, folder) / 1e6
                    if opts.verbose:
                        print(f"case {index} [{case.family}] {case.seed.name}: {'; '.join(case.notes)[:200]} | "
                              f"apidiff {' '.join(argv)[:200]}", file=out, flush=True)
                    hang = max(limit * opts.hang_factor, limit + 5)
                    watchdog.arm(hang + 30, functools.partial(_hung, case, argv, root, folder, opts, out))
                    outcome = _written_allowed(invoke(argv, limit, hang), limit, opts)
                    if outcome.slow_at and not outcome.timed_out:  # slow once may be a busy machine: time it again
                        summary.retimed += 1
                        outcome = _written_allowed(invoke(argv, limit, hang), limit, opts)
                    watchdog.disarm()
                    outcome = _reference_allowed(outcome, argv, folder, opts)  # not timed: the parsers' own time
                    summary.runs += 1
                    if opts.verbose:
                        raised = outcome.exception if not isinstance(outcome.exception, SystemExit) else None
                        how = f"raised {type(raised).__name__}" if raised else f"exit {outcome.exit_code}"
                        print(f"    {how} in {outcome.seconds:.2f} s: {_first(outcome.stderr)[:200]}", file=out,
                              flush=True)
                    summary.by_family[case.family] += 1
                    if run is case.runs[0]:
                        summary.loaded[case.family] += outcome.exit_code in (0, 1)
                        summary.first_runs[case.family] += 1
                    try:
                        problems = check(run, outcome, limit)
                    except MemoryError:  # the run's output left no room to check it: a failure to replay
                        problems = [("memory", "the output could not be checked (MemoryError)", "")]
                    outcome = None  # type: ignore[assignment]  (its output may be large: free it before the next run)
                    for kind, key, detail in problems:
                        _record(summary, Failure(kind, key, detail, case, run, argv), folder, opts, out)
            finally:
                os.chdir(cwd)
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        watchdog.disarm()
        memory()
        os.chdir(cwd)
        shutil.rmtree(root, ignore_errors=True)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    summary.seconds = time.monotonic() - start
    return summary


def _limit_memory(gb: float | None) -> Callable[[], None]:
    """Cap the address space, so that a run that would exhaust the machine raises MemoryError (a failure with
    its files saved) instead of being killed by the kernel; returns what restores the previous limit."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return lambda: None
    if gb is None:
        return lambda: None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = int(gb * 2**30)
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _counter(runs: int | None) -> Iterator[int]:
    index = 0
    while runs is None or index < runs:
        yield index
        index += 1


def _warm_up(root: Path) -> None:
    """Import the loaders and renderers once, outside any time limit."""
    from click.testing import CliRunner

    import apidiff.cli

    runner = CliRunner()
    pet, gql = REPO / "examples/petstore", REPO / "examples/graphql"
    for fmt in REPORT_FORMATS:
        runner.invoke(apidiff.cli.main, ["diff", str(pet / "v1.yaml"), str(pet / "v2.yaml"), "--format", fmt,
                                         "--no-config"])
    for args in (["changelog"], ["plan", "--format", "json"], ["plan"], ["guide"], ["guide", "--format", "html"]):
        runner.invoke(apidiff.cli.main, [args[0], str(gql / "v1.graphql"), str(gql / "v2.graphql"), *args[1:]])
    use = REPO / "fixtures/usage"
    runner.invoke(apidiff.cli.main, ["impact", str(use / "http/old.yaml"), str(use / "http/new.yaml"), "--usage",
                                     str(use / "http"), "--no-config"])
    runner.invoke(apidiff.cli.main, ["impact", str(use / "graphql/old.graphql"), str(use / "graphql/new.graphql"),
                                     "--usage", str(use / "graphql/clients"), "--no-config"])


def _record(summary: Summary, failure: Failure, folder: Path, opts: Options, out: TextIO) -> None:
    summary.failures += 1
    summary.failures_by_family[failure.case.family] += 1
    known = summary.distinct.get(failure.key)
    if known is not None:
        known.count += 1
        known.families[failure.case.family] += 1
        return
    summary.distinct[failure.key] = Distinct(failure, families=Counter({failure.case.family: 1}))
    print(f"FAIL [{failure.case.family}] [{failure.kind}] {failure.key} | case {failure.case.index} "
          f"(seed {opts.seed}, {failure.case.seed.name}: {'; '.join(failure.case.notes)[:160]}) | "
          f"apidiff {' '.join(failure.argv)[:200]}", file=out, flush=True)
    if opts.verbose and failure.detail:
        print("    " + "\n    ".join(failure.detail.strip().splitlines()[-12:]), file=out, flush=True)
    if opts.save_failures is not None:
        save(failure, folder, opts.save_failures / f"{len(summary.distinct):03d}-{_slug(failure.key)}", opts.seed)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text)[:60].strip("-")


def save(failure: Failure, folder: Path, dest: Path, seed: int) -> None:
    """The case's files, ``repro.sh`` (the command, from that folder) and ``failure.txt``."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(folder, dest, symlinks=True)
    import shlex

    (dest / "repro.sh").write_text(
        "#!/bin/sh\n# run from anywhere: the paths are relative to this folder\ncd \"$(dirname \"$0\")\" || exit 2\n"
        "# APIDIFF_DEBUG=1: a bug's traceback instead of the one-line internal error\n"
        f"APIDIFF_DEBUG=1 exec python -m apidiff.cli {shlex.join(failure.argv)}\n")
    (dest / "repro.sh").chmod(0o755)
    (dest / "failure.txt").write_text(
        f"{failure.kind}: {failure.key}\ncase {failure.case.index} of --seed {seed} "
        f"(replay: python bench/fuzz.py --seed {seed} --case {failure.case.index} -v)\n"
        f"seed document: {failure.case.seed.name}\nmutations: {'; '.join(failure.case.notes)}\n"
        f"command: apidiff {shlex.join(failure.argv)}\n\n{failure.detail}\n")


def _hung(case: Case, argv: list[str], root: Path, folder: Path, opts: Options, out: TextIO) -> None:
    dest_root = opts.save_failures or Path(tempfile.mkdtemp(prefix="apidiff-fuzz-hang-"))
    dest = dest_root / f"hang-case{case.index}"
    failure = Failure("hang", "uninterruptible hang", "the alarm did not stop the run (C code?)", case,
                      case.runs[0], argv)
    save(failure, folder, dest, opts.seed)
    print(f"FAIL [{case.family}] [hang] run did not stop: case {case.index} (seed {opts.seed}, {case.seed.name}) | "
          f"apidiff {' '.join(argv)[:200]} | files in {dest}", file=out, flush=True)
    print(f"fuzz: ended by the watchdog (exit 3); temporary files in {root}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    how_long = parser.add_mutually_exclusive_group()
    how_long.add_argument("--runs", type=int, default=None, help="number of cases (default 200)")
    how_long.add_argument("--minutes", type=float, default=None, help="run cases for this long")
    parser.add_argument("--format", choices=(*FAMILIES, "all"), default="all", help="which inputs to fuzz")
    parser.add_argument("--save-failures", type=Path, default=None, metavar="DIR",
                        help="write each distinct failure's files, repro.sh and failure.txt under DIR")
    parser.add_argument("--case", type=int, default=None, metavar="I", help="replay case I of --seed alone")
    parser.add_argument("--time-limit", type=float, default=2.0, metavar="S", help="seconds per run (default 2)")
    parser.add_argument("--time-per-mb", type=float, default=2.0, metavar="S",
                        help="more seconds per MB the command reads (default 2)")
    parser.add_argument("--time-per-mb-out", type=float, default=1.0, metavar="S",
                        help="more seconds per MB the command writes (default 1)")
    parser.add_argument("--reference-factor", type=float, default=3.0, metavar="K",
                        help="or K times what the format's own parsers take on the same files (default 3)")
    parser.add_argument("--hang-factor", type=float, default=5.0, metavar="K",
                        help="stop a run at K times its time limit (a hang; default 5)")
    parser.add_argument("--memory-limit", type=float, default=6.0, metavar="GB",
                        help="address space of the process; a run past it fails with MemoryError (default 6; 0: none)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every run, and tracebacks")
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None or args.minutes is not None else 200
    opts = Options(seed=args.seed, runs=runs, minutes=args.minutes,
                   families=FAMILIES if args.format == "all" else (args.format,), save_failures=args.save_failures,
                   case=args.case, time_limit=args.time_limit, time_per_mb=args.time_per_mb,
                   time_per_mb_out=args.time_per_mb_out, reference_factor=args.reference_factor,
                   hang_factor=args.hang_factor, memory_limit_gb=args.memory_limit or None, verbose=args.verbose)
    if opts.save_failures is not None:
        opts.save_failures.mkdir(parents=True, exist_ok=True)
        opts.save_failures = opts.save_failures.resolve()
    summary = fuzz(opts)
    print(summary.line(), flush=True)
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""HTTP traffic as usage (apidiff.formats.openapi.usage): HAR, JSON lines, access logs; fixtures/usage/http."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from apidiff import compare, load
from apidiff.core.change import Change
from apidiff.core.errors import UsageError
from apidiff.core.model import Api
from apidiff.core.sources import Text, read_text
from apidiff.core.usage import Impact
from apidiff.formats.openapi.usage import HttpUsage, Skipped, read
from apidiff.usage import UsageFile, detect
from tests.conftest import FIXTURES

HTTP = FIXTURES / "usage" / "http"
# consumers are the product tokens of the User-Agents: "PetApp/2.1 (iPhone; iOS 17.2; Scale/3.00)" is
# PetApp; "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0 pet-web/1.4" (the HAR)
# and "pet-web/1.4" (the log, the JSON lines) are both pet-web
IOS = "PetApp"
WEB = "pet-web"
KIND = {".har": "har", ".jsonl": "jsonl", ".log": "access-log"}

REMOVED = "operation-removed-without-deprecation"  # DELETE /pets/{petId}
MAX = "maximum-decreased"  # GET /pets query parameter limit: 100 -> 50
REQUIRED_PARAM = "parameter-became-required"  # GET /pets/{petId}/photos query parameter size
SPECIES = "property-added-required"  # NewPet.species (request body of POST /pets)
NICKNAME = "property-removed-without-deprecation"  # Pet.nickname (responses)
NULLABLE = "became-nullable"  # Pet.tag (responses)
ENUM = "schema-enum-value-added"  # Status: adopted (responses; safe in the query parameter status)

Table = dict[tuple[str, str], tuple[list[str], int, int]]


@pytest.fixture(scope="module")
def apis() -> tuple[Api, Api, Sequence[Change]]:
    old, new = load(HTTP / "old.yaml"), load(HTTP / "new.yaml")
    return old, new, compare(old, new).changes


def usage_file(name: str, consumer: str = "logs", text: str | None = None) -> UsageFile:
    path = HTTP / name
    body = read_text(path) if text is None else Text(name, text)
    return UsageFile(body, KIND[Path(name).suffix], consumer)


def traffic(text: str, kind: str, consumer: str = "logs", name: str = "t") -> UsageFile:
    return UsageFile(Text(name, text), kind, consumer)


def table(impacts: Sequence[Impact]) -> Table:
    return {(i.usage.consumer, i.usage.operation): ([c.id for c in i.changes], i.usage.requests, i.requests)
            for i in impacts}


def assess(usage: HttpUsage, apis: tuple[Api, Api, Sequence[Change]]) -> Table:
    old, new, changes = apis
    return table(usage.assess(changes, old, new))


def test_the_fixture_pair_has_the_changes_the_tests_rely_on(apis: tuple[Api, Api, Sequence[Change]]) -> None:
    assert [(c.id, c.subject) for c in apis[2]] == [
        (REMOVED, "DELETE /pets/{petId}"),
        (MAX, "GET /pets query parameter limit"),
        (REQUIRED_PARAM, "GET /pets/{petId}/photos query parameter size"),
        (SPECIES, "NewPet.species"),
        (NICKNAME, "Pet.nickname"),
        (NULLABLE, "Pet.tag"),
        (ENUM, "Status"),
    ]


def test_the_fixture_files_are_detected_as_their_kind() -> None:
    assert [detect(read_text(HTTP / n)) for n in ("traffic.har", "traffic.jsonl", "access.log")] == \
        ["har", "jsonl", "access-log"]


# -- HAR ------------------------------------------------------------------------------------------

def test_har_reports_exactly_the_touched_routes_with_bodies_narrowing_down(apis: Any) -> None:
    usage = read([usage_file("traffic.har")])
    assert assess(usage, apis) == {
        # limit=20 sent; the response holds Pet.tag and a Status; the second request (status=sold, an
        # empty page) is touched by nothing: the enum value added is safe in the query parameter
        (IOS, "GET /pets"): ([MAX, NULLABLE, ENUM], 2, 1),
        (IOS, "POST /pets"): ([SPECIES, NULLABLE], 1, 1),  # body without species; the 201 holds a tag
        (IOS, "GET /pets/{petId}"): ([NICKNAME], 1, 1),  # the pet returned has a nickname, no tag
        (WEB, "DELETE /pets/{petId}"): ([REMOVED], 1, 1),
        (WEB, "GET /pets/{petId}/photos"): ([REQUIRED_PARAM], 1, 1),  # sent without size
    }


def test_har_usages_after_matching_are_per_consumer_and_old_template(apis: Any) -> None:
    usage = read([usage_file("traffic.har")])
    assess(usage, apis)
    assert [(u.consumer, u.operation, u.requests, u.line) for u in usage.usages] == [
        (IOS, "GET /pets", 2, 10),  # the line where the first entry starts
        (IOS, "GET /pets/search", 1, 555),  # the literal segment wins over {petId}
        (IOS, "GET /pets/{petId}", 1, 365),
        (IOS, "GET /pets/{petId}/photos", 1, 625),  # sent size=small
        (IOS, "POST /pets", 1, 219),
        (WEB, "DELETE /pets/{petId}", 1, 495),
        (WEB, "GET /pets", 1, 154),  # no query, no tag, no status in the response: untouched
        (WEB, "GET /pets/{petId}", 1, 430),  # a 404: the Pet changes do not reach it
        (WEB, "GET /pets/{petId}/photos", 1, 695),
        (WEB, "GET /store/inventory", 1, 760),
        (WEB, "POST /pets", 1, 292),  # sent species; the response holds neither tag nor status
    ]
    assert {u.file for u in usage.usages} == {str(HTTP / "traffic.har")}
    assert usage.unmatched == {"OPTIONS /v1/pets": 1}  # a CORS preflight
    assert usage.notes == ("1 request matches no operation of the old API: OPTIONS /v1/pets (1)",)
    assert usage.requests == 13


def test_before_matching_usages_are_per_path_as_requested() -> None:
    usage = read([usage_file("traffic.har")])
    raw = {(u.consumer, u.operation): u.requests for u in usage.usages}
    assert raw[(IOS, "GET /v1/pets")] == 2
    assert raw[(WEB, "OPTIONS /v1/pets")] == 1
    assert raw[(IOS, "GET /v1/pets/1/photos")] == 1
    assert len(raw) == 12


def test_har_with_a_consumer_key_header(apis: Any) -> None:
    usage = read([usage_file("traffic.har")], consumer_key="X-Api-Key-Id")
    assert {k: v for k, v in assess(usage, apis).items()} == {
        ("key_ios_01", "GET /pets"): ([MAX, NULLABLE, ENUM], 2, 1),
        ("key_ios_01", "POST /pets"): ([SPECIES, NULLABLE], 1, 1),
        ("key_ios_01", "GET /pets/{petId}"): ([NICKNAME], 1, 1),
        ("key_web_07", "DELETE /pets/{petId}"): ([REMOVED], 1, 1),
        ("key_web_07", "GET /pets/{petId}/photos"): ([REQUIRED_PARAM], 1, 1),
    }


def test_a_credential_as_consumer_key_is_hashed_never_shown(apis: Any) -> None:
    usage = read([usage_file("traffic.har")], consumer_key="Authorization")
    impacts = usage.assess(apis[2], apis[0], apis[1])
    consumers = {i.usage.consumer for i in impacts} | {u.consumer for u in usage.usages}
    assert len(consumers) == 1  # every entry sends the same token
    (consumer,) = consumers
    assert consumer.startswith("sha256:") and len(consumer) == len("sha256:") + 16
    dumped = json.dumps([i.to_dict() for i in impacts]) + repr(usage.notes)
    assert "eyJ" not in dumped and "Bearer" not in dumped


@pytest.mark.parametrize("value", ["Bearer abc.def", "Basic dXNlcjpwYXNz", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig"])
def test_a_value_that_looks_like_a_credential_is_hashed_whatever_the_key(value: str) -> None:
    line = json.dumps({"method": "GET", "path": "/v1/pets", "headers": {"X-Client": value}})
    usage = read([traffic(line, "jsonl")], consumer_key="X-Client")
    (u,) = usage.usages
    assert u.consumer.startswith("sha256:")
    assert value not in u.consumer


def test_a_key_id_header_is_not_taken_for_a_credential() -> None:
    line = json.dumps({"method": "GET", "path": "/v1/pets", "headers": {"X-Api-Key-Id": "key_1"}})
    (u,) = read([traffic(line, "jsonl")], consumer_key="X-Api-Key-Id").usages
    assert u.consumer == "key_1"
    line = json.dumps({"method": "GET", "path": "/v1/pets", "headers": {"X-Api-Key": "s3cr3t"}})
    (u,) = read([traffic(line, "jsonl")], consumer_key="X-Api-Key").usages
    assert u.consumer.startswith("sha256:")


# -- access logs ----------------------------------------------------------------------------------

def test_access_log_reports_exactly_the_touched_routes(apis: Any) -> None:
    usage = read([usage_file("access.log", consumer="logs")])
    every_pet_change = [NICKNAME, NULLABLE, ENUM]  # no bodies in a log: every 200 that returns a Pet
    assert assess(usage, apis) == {
        # two 200s with limit; a 500 without limit returns no Pet
        (IOS, "GET /pets"): ([MAX, *every_pet_change], 3, 2),
        # a 200, a 404 (an Error, not a Pet) and a HEAD (no body)
        (IOS, "GET /pets/{petId}"): (every_pet_change, 3, 1),
        (IOS, "POST /pets"): ([SPECIES, *every_pet_change], 1, 1),
        ("curl", "GET /pets"): ([MAX, *every_pet_change], 1, 1),  # /pets without the servers' /v1
        ("curl", "POST /pets"): ([SPECIES, *every_pet_change], 1, 1),
        ("logs", "GET /pets/{petId}"): (every_pet_change, 1, 1),  # common log format: the file's consumer
        (WEB, "DELETE /pets/{petId}"): ([REMOVED], 2, 2),
        # size=large; without size; without size and with a trailing slash
        (WEB, "GET /pets/{petId}/photos"): ([REQUIRED_PARAM], 3, 2),
    }
    untouched = {(u.consumer, u.operation, u.requests) for u in usage.usages} - {
        (c, o, n) for (c, o), (_, n, _) in assess(usage, apis).items()}
    assert untouched == {
        (WEB, "GET /pets/search", 2),  # the second one is /v1/pets/%73earch
        (WEB, "GET /store/inventory", 2),
        ("curl", "GET /store/inventory", 1),
        ("logs", "GET /store/inventory", 1),
    }


def test_access_log_skipped_lines_and_unmatched_requests_are_counted(apis: Any) -> None:
    usage = read([usage_file("access.log")])
    assess(usage, apis)
    name = str(HTTP / "access.log")
    assert usage.skipped == (Skipped(name, 1, 22, "this line was cut off by log rotation [14/Jan/2025:10:02:05 +0000] "
                                                   '"GET /v1/pe'),)
    assert usage.unmatched == {"GET /v1/admin/stats": 2}
    assert usage.requests == 23
    assert usage.notes == (
        f"{name}: 1 line skipped: not a request in the common or combined log format (first at line 22: this line "
        'was cut off by log rotation [14/Jan/2025:10:02:05 +0000] "GET /v1/pe)',
        "2 requests match no operation of the old API: GET /v1/admin/stats (2)",
    )


def test_access_log_consumer_from_a_log_field(apis: Any) -> None:
    usage = read([usage_file("access.log")], consumer_key="user")
    consumers = {c for c, _ in assess(usage, apis)}
    assert consumers == {"alice", "logs"}  # "-" is no user: the file's consumer
    assert usage.notes[0].endswith("1 line skipped: not a request in the common or combined log format (first at "
                                   'line 22: this line was cut off by log rotation [14/Jan/2025:10:02:05 +0000] "GET '
                                   '/v1/pe)')


def test_access_log_cannot_give_a_header_as_consumer_and_says_so(apis: Any) -> None:
    usage = read([usage_file("access.log", consumer="web")], consumer_key="X-Api-Key-Id")
    assert {c for c, _ in assess(usage, apis)} == {"web"}
    assert usage.notes[0] == f"{HTTP / 'access.log'}: an access log does not record X-Api-Key-Id: its requests are " \
                             "counted for web"


def test_access_log_lines_with_crlf_and_escaped_quotes() -> None:
    text = ('1.2.3.4 - - [x] "GET /v1/pets?limit=1 HTTP/1.1" 200 5 "-" "tool \\"quoted\\" 1.0"\r\n'
            '1.2.3.4 - - [x] "-" 400 0 "-" "-"\r\n'
            "\r\n")
    usage = read([traffic(text, "access-log")])
    assert [(u.consumer, u.operation) for u in usage.usages] == [('tool "quoted" 1.0', "GET /v1/pets")]
    assert usage.skipped == (Skipped("t", 1, 2, '1.2.3.4 - - [x] "-" 400 0 "-" "-"'),)


# -- JSON lines -----------------------------------------------------------------------------------

def test_json_lines_with_field_name_variants(apis: Any) -> None:
    usage = read([usage_file("traffic.jsonl")])
    assert assess(usage, apis) == {
        (IOS, "GET /pets"): ([MAX], 1, 1),  # limit=10; the response's pet has no tag nor status
        (IOS, "GET /pets/{petId}/photos"): ([REQUIRED_PARAM], 1, 1),  # nested request/response objects
        (WEB, "POST /pets"): ([SPECIES, ENUM], 1, 1),  # body as JSON text; a status in the 201
        (WEB, "GET /pets/{petId}"): ([NICKNAME, NULLABLE, ENUM], 1, 1),  # a request line, no bodies
        (WEB, "DELETE /pets/{petId}"): ([REMOVED], 1, 1),
    }
    lines = {(u.consumer, u.operation): u.line for u in usage.usages}
    assert lines[(WEB, "GET /pets/search")] == 7  # after a blank line


def test_json_lines_path_without_query_leaves_parameters_unknown(apis: Any) -> None:
    lines = [{"method": "GET", "path": "/v1/pets/1/photos", "status": 200},  # route only: size unknown
             {"method": "GET", "url": "/v1/pets/1/photos", "status": 200},  # a request target: no size
             {"method": "GET", "path": "/v1/pets/1/photos", "query": "size=small", "status": 200}]
    usage = read([traffic("\n".join(json.dumps(x) for x in lines), "jsonl")])
    assert assess(usage, apis) == {("logs", "GET /pets/{petId}/photos"): ([REQUIRED_PARAM], 3, 2)}


def test_json_lines_consumer_key_as_a_field() -> None:
    line = json.dumps({"method": "GET", "path": "/v1/pets", "client_id": "mobile", "user_agent": "x"})
    (u,) = read([traffic(line, "jsonl")], consumer_key="client-id").usages
    assert u.consumer == "mobile"


# -- matching -------------------------------------------------------------------------------------

MATCHING = """
openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://{region}.example.com/api/v2'}]
paths:
  /files/{name}.json:
    get: {responses: {'200': {description: ok}}}
  /files/{name}:
    get: {responses: {'200': {description: ok}}}
  /files/latest:
    get: {responses: {'200': {description: ok}}}
  /users/{id}:
    get: {responses: {'200': {description: ok}}}
  /users/{id}/keys/{key}:
    get: {responses: {'200': {description: ok}}}
webhooks:
  ping:
    post: {responses: {'200': {description: ok}}}
"""


@pytest.mark.parametrize(("request_line", "operation"), [
    ("GET /api/v2/files/latest", "GET /files/latest"),  # a literal segment beats a parameter
    ("GET /api/v2/files/report.json", "GET /files/{name}.json"),  # a partial template beats a parameter
    ("GET /api/v2/files/report.xml", "GET /files/{name}"),
    ("GET /api/v2/files/a%2Fb", "GET /files/{name}"),  # %2F inside a segment stays inside it
    ("GET /api/v2/files/lat%65st", "GET /files/latest"),  # decoded before matching
    ("GET /files/latest?x=1", "GET /files/latest"),  # without the server's base path
    ("HEAD /api/v2/users/7", "GET /users/{id}"),  # HEAD is served by GET
    ("GET //api/v2/users/7/keys/9/", "GET /users/{id}/keys/{key}"),  # empty segments dropped
    ("GET https://eu.example.com/api/v2/users/7", "GET /users/{id}"),  # an absolute request target
    ("GET /api/v2/files/%7Bname%7D", "GET /files/{name}"),  # braces in a request are a value
    ("POST /api/v2/users/7", None),  # the path exists, not the method
    ("POST /ping", None),  # webhooks are not called by clients
    ("GET /api/v2", None),
])
def test_matching_requests_to_operations(request_line: str, operation: str | None) -> None:
    api = load(MATCHING)
    line = f'1.2.3.4 - - [x] "{request_line} HTTP/1.1" 200 1 "-" "ua"'
    usage = read([traffic(line, "access-log")])
    matched = usage.match(api)
    assert [u.operation for u in matched] == ([operation] if operation else [])
    assert usage.unmatched_requests == (0 if operation else 1)


def test_many_distinct_ids_are_aggregated_in_bounded_memory() -> None:
    api = load(MATCHING)
    lines = [f'1.2.3.4 - - [x] "GET /api/v2/users/{i}/keys/{i * 7919:x}{"ab" * 8} HTTP/1.1" 200 1 "-" "ua"'
             for i in range(5000)]
    lines += [f'1.2.3.4 - - [x] "GET /api/v2/files/name-{i} HTTP/1.1" 200 1 "-" "ua"' for i in range(1000)]
    usage = read([traffic("\n".join(lines), "access-log")])
    reader = usage._reader
    assert len(reader.paths.segments) < 600  # 16 ids kept at each level, 256 words, the rest one "some value"
    assert len(reader.counts) < 600
    assert {(u.operation, u.requests) for u in usage.match(api)} == {("GET /users/{id}/keys/{key}", 5000),
                                                                     ("GET /files/{name}", 1000)}


def test_unmatched_routes_are_noted_with_ids_masked(apis: Any) -> None:
    log = "\n".join(f'1.2.3.4 - - [x] "GET /v1/admin/report/{n}?token=s3cr3t HTTP/1.1" 404 1 "-" "ua"'
                    for n in (123, 456, "0f1e2d3c4b5a69788796a5b4c3d2e1f0"))
    usage = read([traffic(log, "access-log")])
    assert usage.match(apis[0]) == []
    assert usage.unmatched == {"GET /v1/admin/report/*": 3}
    assert usage.notes == ("3 requests match no operation of the old API: GET /v1/admin/report/* (3)",)
    assert "s3cr3t" not in repr(usage.notes)


def test_har_bodies_base64_or_not_recorded(apis: Any) -> None:
    import base64

    def entry(content: dict[str, Any]) -> dict[str, Any]:
        return {"request": {"method": "GET", "url": "https://petstore.example.com/v1/pets/1", "headers": []},
                "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", **content}}}

    pet = base64.b64encode(json.dumps({"id": 1, "name": "Rex", "nickname": "R"}).encode()).decode()
    har = {"log": {"entries": [
        entry({"size": 40, "text": pet, "encoding": "base64"}),  # holds nickname
        entry({"size": 40}),  # not recorded: every Pet change may touch it
        entry({"size": 20, "text": '{"id": 2, "name": "Tom"}'}),  # none of the changed properties
    ]}}
    usage = read([traffic(json.dumps(har), "har")])
    assert assess(usage, apis) == {("logs", "GET /pets/{petId}"): ([NICKNAME, NULLABLE, ENUM], 3, 2)}


def test_consumer_names_are_printable_and_bounded() -> None:
    lines = [json.dumps({"method": "GET", "path": "/v1/pets", "user_agent": "evil\x1b[31mred\n"}),
             json.dumps({"method": "GET", "path": "/v1/pets", "user_agent": "x" * 500})]
    consumers = sorted(u.consumer for u in read([traffic("\n".join(lines), "jsonl")]).usages)
    assert consumers[0] == "evil\\x1b[31mred"
    assert len(consumers[1]) == 200 and consumers[1].endswith("…")


def test_only_breaking_and_dangerous_changes_count(apis: Any) -> None:
    old, new, changes = apis
    usage = read([usage_file("traffic.har")])
    safe = [c for c in changes if c.severity.value == "safe"]
    assert usage.assess(safe, old, new) == []
    assert usage.assess([], old, new) == []
    only_removal = [c for c in changes if c.id == REMOVED]
    assert table(usage.assess(only_removal, old, new)) == {(WEB, "DELETE /pets/{petId}"): ([REMOVED], 1, 1)}


def test_request_body_became_required_touches_requests_without_a_body() -> None:
    old = load(MATCHING)
    new = load(MATCHING.replace("  /users/{id}:\n    get: {responses: {'200': {description: ok}}}",
                                "  /users/{id}:\n    get:\n      requestBody:\n        required: true\n"
                                "        content: {application/json: {schema: {type: object}}}\n"
                                "      responses: {'200': {description: ok}}"))
    changes = compare(old, new).changes
    assert [c.id for c in changes] == ["request-body-added-required"]
    har = {"log": {"entries": [
        {"request": {"method": "GET", "url": "/api/v2/users/1", "headers": []}, "response": {"status": 200}},
        {"request": {"method": "GET", "url": "/api/v2/users/2", "headers": [],
                     "postData": {"mimeType": "application/json", "text": "{}"}}, "response": {"status": 200}},
    ]}}
    usage = read([traffic(json.dumps(har), "har")])
    assert table(usage.assess(changes, old, new)) == {("logs", "GET /users/{id}"): (
        ["request-body-added-required"], 2, 1)}


def test_response_status_removed_touches_the_requests_that_got_it() -> None:
    old = load(MATCHING.replace("/users/{id}:\n    get: {responses: {'200': {description: ok}}}",
                                "/users/{id}:\n    get: {responses: {'200': {description: ok}, "
                                "'2XX': {description: other}}}"))
    new = load(MATCHING)
    changes = compare(old, new).changes
    assert [(c.id, c.subject) for c in changes] == [("response-status-removed", "GET /users/{id} response 2XX")]
    log = "\n".join(f'1.2.3.4 - - [x] "GET /api/v2/users/1 HTTP/1.1" {status} 1 "-" "ua"'
                    for status in (200, 204, 206, 500, "-"))
    usage = read([traffic(log, "access-log")])
    # 204 and 206 are described by 2XX (200 by itself, 500 by nothing); an unknown status may be one of them
    assert table(usage.assess(changes, old, new)) == {("ua", "GET /users/{id}"): (["response-status-removed"], 5, 3)}


# -- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line", "message"), [
    ('{"log": {"entries": [\n  {"request": {"method": "GET", "url": "/"}},\n  {"request": }\n]}}', 3,
     "not valid JSON: Expecting value"),
    ('{"log": {"entries": [\n  {"request": {"method": "GET", "url": "/"}}\n  {"request": 1}]}}', 3,
     "not valid JSON: Expecting ',' delimiter"),
    ('{"log": {"entries": []}}\n{}', 2, "not valid JSON: Extra data"),
    ('{"log": {"entries": [\n\n  {"response": {"status": 200}}\n]}}', 3,
     "a HAR entry needs request.method and request.url"),
    ('{"log": {"entries": [1]}}', 1, "a HAR entry must be an object"),
])
def test_malformed_har_names_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        read([traffic(text, "har", name="capture.har")])
    err = caught.value
    assert (err.file, err.line) == ("capture.har", line)
    assert err.message.startswith(message)
    assert "\n" not in str(err) and str(err).startswith(f"capture.har:{line}:")


@pytest.mark.parametrize("text", ['{"log": {}}', '{"entries": []}', "[]"])
def test_a_har_without_log_entries_is_refused(text: str) -> None:
    with pytest.raises(UsageError, match=r"not a HAR file: no log\.entries list"):
        read([traffic(text, "har", name="capture.har")])


@pytest.mark.parametrize(("text", "line", "message"), [
    ('{"method": "GET", "path": "/"}\n{"method": "GET", "path": "/"\n', 2, "not a JSON object"),
    ('{"method": "GET", "path": "/"}\n\n[1, 2]\n', 3, "each line must be a JSON object"),
    ('{"path": "/pets"}\n', 1, "the request has no method"),
    ('{"method": "GET", "status": 200}\n', 1, "the request has no path or URL"),
])
def test_malformed_json_lines_name_the_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        read([traffic(text, "jsonl", name="requests.jsonl")])
    err = caught.value
    assert (err.file, err.line) == ("requests.jsonl", line)
    assert err.message.startswith(message)
    assert "\n" not in str(err)


# -- through the usage set --------------------------------------------------------------------------

def test_load_usage_reads_the_traffic_files_and_merges_a_consumer_across_them(apis: Any) -> None:
    from apidiff.usage import load_usage

    old, new, changes = apis
    usage_set = load_usage([HTTP / "traffic.har", HTTP / "access.log", HTTP / "traffic.jsonl"])
    report = usage_set.assess(changes, old, new)
    by_usage = {(i.usage.consumer, i.usage.operation): i for i in report.impacts}
    ios_list = by_usage[(IOS, "GET /pets")]
    # HAR 2 (1 touched), log 3 (2 touched), JSON lines 1 (touched); the first seen is the HAR's
    assert (ios_list.usage.requests, ios_list.requests) == (6, 4)
    assert (ios_list.usage.file, ios_list.usage.line) == (str(HTTP / "traffic.har"), 10)
    assert [c.id for c in ios_list.changes] == [MAX, NICKNAME, NULLABLE, ENUM]
    # pet-web of the HAR (a browser's User-Agent ending in pet-web/1.4) and of the log and the JSON
    # lines (pet-web/1.4) is one consumer: its routes count once
    assert (report.usages, report.affected) == (17, 11)
    # usages per consumer; the common-format lines belong to the folder's name, the default consumer
    assert report.consumers == {IOS: 5, WEB: 7, "curl": 3, "http": 2}
    assert report.notes == (
        f"{HTTP / 'access.log'}: 1 line skipped: not a request in the common or combined log format (first at "
        'line 22: this line was cut off by log rotation [14/Jan/2025:10:02:05 +0000] "GET /v1/pe)',
        "3 requests match no operation of the old API: GET /v1/admin/stats (2), OPTIONS /v1/pets (1)",
    )


def test_places_of_a_named_schema_read_and_sent() -> None:
    from apidiff.core.change import Mode
    from apidiff.formats.openapi.places import HttpPlaces

    doc = """
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
"""
    old, new = load(doc), load(doc.replace("name: {type: string}", "name: {type: integer}"))
    (change,) = compare(old, new).changes
    assert (change.id, change.subject) == ("type-changed", "Thing.name")
    places = HttpPlaces(old, new, Mode.BACKWARD)
    assert places.all_places(change) == [("POST /things", ("response", "request"))]
    assert places.places(change) == [("POST /things", "response")]  # what the guide lists it under
    bodies = {"log": {"entries": [
        {"request": {"method": "POST", "url": "/things", "postData": {"mimeType": "application/json", "text": body}},
         "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}}
        for body in ('{"name": "a"}', "{}")]}}
    usage = read([traffic(json.dumps(bodies), "har")])
    assert table(usage.assess([change], old, new)) == {("logs", "POST /things"): (["type-changed"], 2, 1)}


# -- consumers named by their User-Agent's product token -------------------------------------------

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


@pytest.mark.parametrize(("agent", "name", "versioned"), [
    ("pet-web/1.4", "pet-web", "pet-web/1.4"),
    (f"{CHROME} pet-web/1.4", "pet-web", "pet-web/1.4"),  # the app's token after the browser's
    ("PetApp/2.1 (iPhone; iOS 17.2; Scale/3.00)", "PetApp", "PetApp/2.1"),
    ("PetApp/3.2 CFNetwork/1408.0.4 Darwin/22.5.0", "PetApp", "PetApp/3.2"),  # platform tokens skipped
    ("pet-android/2.0 okhttp/4.9.0", "pet-android", "pet-android/2.0"),  # the HTTP library skipped
    (f"{CHROME.replace('Chrome/120.0.0.0 ', '')} pet-desktop/1.2 Chrome/120.0 Electron/28.1", "pet-desktop",
     "pet-desktop/1.2"),
    (CHROME, "browser (Chrome)", "browser (Chrome/120.0.0.0)"),
    (f"{CHROME} Edg/120.0.2210.91", "browser (Edge)", "browser (Edge/120.0.2210.91)"),  # Edge also says Chrome
    ("Mozilla/5.0 (X11; rv:120.0) Gecko/20100101 Firefox/120.0", "browser (Firefox)", "browser (Firefox/120.0)"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
     "Safari/605.1.15", "browser (Safari)", "browser (Safari/605.1.15)"),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "Googlebot/2.1"),
    ("Mozilla/5.0", "browser", "browser"),
    ("curl/8.4.0", "curl", "curl/8.4.0"),  # a lone library is its own name
    ("web", "web", "web"),  # plain words are kept
    ("partner portal", "partner portal", "partner portal"),
])
def test_a_user_agent_names_its_most_specific_product(agent: str, name: str, versioned: str) -> None:
    from apidiff.formats.openapi.usage import agent_name

    assert agent_name(agent) == name
    assert agent_name(agent, version=True) == versioned
    line = json.dumps({"method": "GET", "path": "/pets", "status": 200, "user_agent": agent})
    (u,) = read([traffic(line, "jsonl")]).usages
    assert u.consumer == name


def test_versions_of_one_client_are_one_consumer_unless_asked() -> None:
    lines = "\n".join(json.dumps({"method": "GET", "path": "/pets", "status": 200, "headers": {"User-Agent": ua}})
                      for ua in ("pet-web/1.4", "pet-web/1.5", f"{CHROME} pet-web/1.5"))
    assert [(u.consumer, u.requests) for u in read([traffic(lines, "jsonl")]).usages] == [("pet-web", 3)]
    apart = read([traffic(lines, "jsonl")], consumer_version=True).usages
    assert [(u.consumer, u.requests) for u in apart] == [("pet-web/1.4", 1), ("pet-web/1.5", 2)]


def test_user_agent_as_the_consumer_key_is_named_by_its_product(apis: Any) -> None:
    by_key = {c for c, _ in assess(read([usage_file("access.log")], consumer_key="user-agent"), apis)}
    assert by_key == {c for c, _ in assess(read([usage_file("access.log")]), apis)} == {IOS, WEB, "curl", "logs"}
    # another key's value is the consumer as it is: an id that looks like a product token stays whole
    line = json.dumps({"method": "GET", "path": "/pets", "status": 200, "client": "team-a/prod"})
    (u,) = read([traffic(line, "jsonl")], consumer_key="client").usages
    assert u.consumer == "team-a/prod"
    # a credential in the User-Agent is still hashed, never parsed into a name
    secret = json.dumps({"method": "GET", "path": "/pets", "status": 200, "user_agent": "Bearer abc/1.0"})
    (s,) = read([traffic(secret, "jsonl")]).usages
    assert s.consumer.startswith("sha256:")


def test_consumer_version_is_a_configuration_key() -> None:
    from apidiff.core.config import parse_config
    from apidiff.core.errors import ConfigError

    assert parse_config({}).consumer_version is False
    assert parse_config({"consumer_version": True}).consumer_version is True
    with pytest.raises(ConfigError, match="consumer_version: 'yes' is not true or false"):
        parse_config({"consumer_version": "yes"})

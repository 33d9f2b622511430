"""OpenAPI paths and parameters as written: what the user reads never shows a normalized key.

Operations are matched by their normalized key (``GET /pets/{}``) and path parameters by their
position (``path #0``), so that renaming ``{petId}`` to ``{id}`` keeps the operation; those keys stay
internal. Subjects, messages, the changelog, plans and guides name the path as written (after a
rename: the new side's), and parameters by name.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from apidiff import compare
from apidiff.api import changelog, guide, plan
from apidiff.core.change import Mode
from apidiff.core.config import parse_config
from apidiff.formats.openapi.places import HttpPlaces, op_key
from tests.conftest import ROOT, TODAY

PETSTORE = ROOT / "examples" / "petstore"
# what must never be shown: an empty template (/pets/{}), a parameter's position (#0)
INTERNAL = re.compile(r"/\{\}|path #\d|parameter #\d")


def doc(path: str, param: str, *, status_schema: dict[str, Any] | None = None, required: bool = False) -> str:
    params: list[dict[str, Any]] = [{"name": param, "in": "path", "required": True, "schema": {"type": "string"}},
                                    {"name": "fields", "in": "query", "required": required,
                                     "schema": {"type": "string"}}]
    ok: dict[str, Any] = {"description": "ok"}
    if status_schema is not None:
        ok["content"] = {"application/json": {"schema": status_schema}}
    return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                       "paths": {path: {"get": {"parameters": params, "responses": {"200": ok}}}}}, indent=2)


OLD = doc("/pets/{petId}", "petId", status_schema={"type": "object", "properties": {"a": {"type": "string"}}})
NEW = doc("/pets/{id}", "id", status_schema={"type": "object", "properties": {"a": {"type": "integer"}}},
          required=True)


def test_a_renamed_path_parameter_reads_as_written_on_the_new_side() -> None:
    report = compare(OLD, NEW, today=TODAY)
    by_id = {c.id: c for c in report.changes}
    renamed = by_id["path-parameter-renamed"]
    assert renamed.subject == "GET /pets/{id} path parameter id"
    assert renamed.message == "path parameter petId of GET /pets/{id} was renamed to id (the path was /pets/{petId})"
    assert renamed.args == {"old": "petId", "new": "id", "old_path": "/pets/{petId}"}
    # every other change of the operation names it by the new path
    assert by_id["parameter-became-required"].subject == "GET /pets/{id} query parameter fields"
    assert by_id["parameter-became-required"].message == "query parameter fields of GET /pets/{id} became required"
    assert by_id["type-changed"].subject == "GET /pets/{id} response 200 application/json.a"
    for change in report.changes:
        assert not INTERNAL.search(change.subject + " " + change.message), change


def test_the_swapped_comparison_reads_as_its_own_new_side() -> None:
    back = compare(NEW, OLD, today=TODAY)
    renamed = next(c for c in back.changes if c.id == "path-parameter-renamed")
    assert renamed.subject == "GET /pets/{petId} path parameter petId"
    assert renamed.message == "path parameter id of GET /pets/{petId} was renamed to petId (the path was /pets/{id})"


def test_the_keys_still_match_the_operation_and_its_places() -> None:
    from apidiff import load

    old, new = load(OLD), load(NEW)
    report = compare(old, new, today=TODAY)
    places = HttpPlaces(old, new, Mode.BACKWARD)  # type: ignore[arg-type]
    for change in report.changes:
        assert op_key(change.subject) is not None
        assert [key for key, _ in places.places(change)] == ["GET /pets/{}"]  # the key: internal only


def test_changelog_plan_and_guide_show_the_paths_as_written() -> None:
    for old, new in ((OLD, NEW), (PETSTORE / "v1.yaml", PETSTORE / "v2.yaml")):
        texts = {
            "changelog": changelog(old, new, today=TODAY),
            "plan": plan(old, new, today=TODAY),
            "plan json": plan(old, new, format="json", today=TODAY),
            "guide": guide(old, new, today=TODAY),
        }
        for name, text in texts.items():
            found = INTERNAL.search(text)
            assert found is None, f"{name} shows {found.group(0)!r}"
    log = changelog(PETSTORE / "v1.yaml", PETSTORE / "v2.yaml", today=TODAY)
    assert "- `GET /pets/{id}`" in log
    assert "path parameter petId of GET /pets/{id} was renamed to id (the path was /pets/{petId})" in log


@pytest.mark.parametrize(("subject", "ignored"), [
    ("GET /pets/{id} path parameter id", True),  # the subject as reported
    ("GET /pets/{id}*", True),
    ("GET /pets/{*}*", True),  # either spelling of the parameter
    ("GET /pets/{} path parameter #0", False),  # apidiff 0.1.0's normalized form: no longer a subject
])
def test_ignores_match_the_written_subject(subject: str, ignored: bool) -> None:
    config = parse_config({"ignore": [{"rule": "path-parameter-renamed", "subject": subject, "reason": "r"}]})
    report = compare(OLD, NEW, today=TODAY, config=config)
    assert any(i["id"] == "path-parameter-renamed" for i in report.ignored) is ignored
    assert any(c.id == "path-parameter-renamed" for c in report.changes) is not ignored

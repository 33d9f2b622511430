"""Probable rename hints: unique same-shape pairs only, similar names only, verdicts unchanged."""

from __future__ import annotations

import json
from typing import Any

from apidiff import compare


def hints(old: str, new: str) -> dict[str, dict[str, str]]:
    return {c.id: {k: v for k, v in c.args.items() if k.startswith("renamed_")}
            for c in compare(old, new).changes if any(k.startswith("renamed_") for k in c.args)}


def test_graphql_field_rename_is_hinted_and_still_breaking() -> None:
    old = "type Query { user: User }\ntype User { name: String id: ID! }"
    new = "type Query { user: User }\ntype User { fullName: String id: ID! }"
    report = compare(old, new)
    removed = next(c for c in report.changes if c.id == "field-removed-without-deprecation")
    assert removed.args["renamed_to"] == "User.fullName" and removed.backward.value == "breaking"
    assert removed.message.endswith("(probably renamed to User.fullName)")
    added = next(c for c in report.changes if c.id == "field-added")
    assert added.args["renamed_from"] == "User.name"


def test_no_hint_when_ambiguous_or_unrelated() -> None:
    base = "type Query {{ user: User }}\ntype User {{ {} id: ID! }}"
    assert hints(base.format("name: String nick: String"), base.format("fullName: String nickname: String")) == {}
    assert hints(base.format("name: String"), base.format("avatarUrl: String")) == {}
    assert hints(base.format("name: String"), base.format("fullName: Int")) == {}  # another shape


def _doc(path: str, prop: str) -> str:
    return json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {path: {"get": {
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": [prop], "properties": {prop: {"type": "string", "format": "email"}}}}}}}}}}})


def test_openapi_property_and_path_renames() -> None:
    found: dict[str, Any] = hints(_doc("/users", "email"), _doc("/users", "emailAddress"))
    assert found["property-removed-without-deprecation"] == {"renamed_to": "GET /users response 200 "
                                                                          "application/json.emailAddress"}
    found = hints(_doc("/organizations/{org}/users", "email"), _doc("/orgs/{org}/users", "email"))
    assert found["operation-removed-without-deprecation"] == {"renamed_to": "GET /orgs/{org}/users"}
    assert found["operation-added"] == {"renamed_from": "GET /organizations/{org}/users"}

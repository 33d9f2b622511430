"""``--validate``: check OpenAPI documents against the specification with openapi-spec-validator.

Problems come back as one-line ``file:line:col: message`` strings; lines are found afterwards,
as for changes. Validation runs only after :func:`apidiff.load` accepted the document, so every
``$ref`` the validator may follow has already passed apidiff's folder and network checks.

Each problem names the keyword that failed and why, at that keyword's line: ``in: 'body' is not
one of 'path', 'query', 'header', 'cookie'``, ``descriptio: unknown key in '204' (only x-
extensions may be added)``, ``'204': required key 'description' is missing``. The validator's
``oneOf``/``anyOf`` failures (a parameter or a schema that matches no alternative, reported with
the whole object) are replaced by what failed in the alternative that came closest; a schema
problem the validator reports without its place (its path inside the schema only) is placed where
the document holds that value, and reported once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from apidiff.core.errors import ConfigError
from apidiff.core.location import Location

MAX_PROBLEMS = 50
_FIND_NODES = 200_000  # objects and lists searched for a problem reported without its place
_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "true or false", int: "a number",
               float: "a number", type(None): "null"}
_PATTERNS = {"^x-": "x- extensions", r"^[1-5](?:\d{2}|XX)$": "status codes (200, 4XX)", "^\\/": "paths starting with /"}


def validate_openapi(path: Path, *, limit: int = MAX_PROBLEMS) -> list[str]:
    """The specification problems of the OpenAPI document at ``path`` (empty when valid)."""
    try:
        from openapi_spec_validator import (
            OpenAPIV2SpecValidator,
            OpenAPIV30SpecValidator,
            OpenAPIV31SpecValidator,
        )
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError("--validate needs openapi-spec-validator: pip install 'apidiff[validate]'") from None
    from apidiff.core._positions import DocumentLocator
    from apidiff.core._yaml import parse_document
    from apidiff.core.sources import read_text

    text = read_text(path, display=str(path))
    doc = parse_document(text.text, text.name)
    if not isinstance(doc, dict):
        return [f"{text.name}:1:1: not an OpenAPI document (expected a mapping)"]
    version = str(doc.get("openapi") or doc.get("swagger") or "")
    validator_class: Any = (OpenAPIV2SpecValidator if version.startswith("2") else
                            OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator)
    validator = validator_class(doc, base_uri=path.resolve().as_uri())
    locate = DocumentLocator({text.name: text.text})
    problems: list[tuple[Location, str]] = []
    seen: set[str] = set()
    for error in validator.iter_errors():
        for place, message in explain(error, doc):
            pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in place)
            if pointer in seen:  # one problem per place: the same one found twice, or its echo
                continue
            seen.add(pointer)
            message = " ".join(message.split())
            if len(message) > 200:
                message = message[:199] + "…"
            problems.append((Location(text.name, pointer=pointer), message))
        if len(problems) >= limit:
            break
    locate.resolve(loc for loc, _ in problems)
    out = []
    for loc, message in problems[:limit]:
        where = locate(loc)
        out.append(f"{where.file}:{where.line}:{where.column}: {message}")
    return out


# -- what failed, and where ---------------------------------------------------------------------

Path_ = tuple[Any, ...]


def explain(error: Any, doc: Any) -> list[tuple[Path_, str]]:
    """(path in the document, message) of each keyword problem behind a validator error."""
    if _unset(getattr(error, "validator", None)):  # a check of the validator's own (parameters, ids)
        return [_semantic(str(error.message), doc)]
    out: list[tuple[Path_, str]] = []
    for leaf in _group(_leaves(error)):
        where = tuple(leaf[0].absolute_path)
        if not _exists(doc, where):  # a schema checked on its own: its path starts inside the schema
            where = _find(doc, where, leaf[0].instance) or where
        out.extend(_describe(leaf, where))
    return out


def _unset(value: Any) -> bool:
    return value is None or repr(value) == "<unset>"


def _leaves(error: Any) -> list[Any]:
    """What failed in the alternative of a ``oneOf``/``anyOf`` that came closest.

    The alternative "a ``$ref``" does not count when there are others; an alternative that fails on
    a discriminator (an ``enum`` such as ``in``, a ``type``) counts only when all do; of the rest,
    the one that went deepest gives all its failures, and several that tie give what they have in
    common: their deepest failures (``in`` not one of the values each of them allows)."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    kept = [subs for subs in branches.values()
            if not any(s.validator == "required" and "'$ref'" in str(s.message) for s in subs)]
    kept = kept or list(branches.values())  # "it could also have been a reference": only if nothing else
    per = [[leaf for s in subs for leaf in _leaves(s)] for subs in kept]
    # an alternative for another kind of element fails on its discriminator (``in: query``, a
    # type): when one alternative got past every discriminator, its failures are the ones that matter
    settled = [leaves for leaves in per if not any(e.validator in ("enum", "const", "type") for e in leaves)]
    pool = [leaves for leaves in (settled or per) if leaves]
    if not pool:
        return [error]
    deepest = max(_depth(e) for leaves in pool for e in leaves)
    pool = [leaves for leaves in pool if max(map(_depth, leaves)) == deepest]
    if len(pool) == 1:
        return pool[0]  # the alternative that went furthest: everything wrong with it
    return [e for leaves in pool for e in leaves if _depth(e) == deepest]  # what they have in common


def _depth(error: Any) -> int:
    """How deep in the document an error is; an unknown key is one level below its object."""
    return len(error.absolute_path) + (error.validator in ("additionalProperties", "unevaluatedProperties"))


def _group(errors: Sequence[Any]) -> Iterator[list[Any]]:
    """The errors at one place together (an enum's alternatives are one problem)."""
    by_place: dict[tuple[Any, ...], list[Any]] = {}
    for e in errors:
        key = tuple(e.absolute_path)
        if e.validator == "additionalProperties":
            key = (*key, "\0extra", str(e.message))
        by_place.setdefault(key, []).append(e)
    yield from by_place.values()


def _describe(errors: list[Any], where: Path_) -> list[tuple[Path_, str]]:
    e = errors[0]
    name = _name(where)
    enums = [x for x in errors if x.validator == "enum"]
    if enums:
        allowed: list[Any] = []
        for x in enums:
            allowed.extend(v for v in x.validator_value if v not in allowed)
        return [(where, f"{name}: {e.instance!r} is not one of {', '.join(map(repr, allowed))}")]
    if e.validator == "required":
        missing = re.match(r"^'([^']*)' is a required property", str(e.message))
        key = missing.group(1) if missing else str(e.message)
        return [(where, f"{name}: required key {key!r} is missing" if where else
                 f"required top-level key {key!r} is missing")]
    if e.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(e.instance, dict):
        schema = e.schema if isinstance(e.schema, dict) else {}
        known = schema.get("properties") or {}
        patterns = list(schema.get("patternProperties") or {})
        extra = [k for k in e.instance if k not in known and not any(re.search(p, str(k)) for p in patterns)]
        allowed_text = (f"only {' or '.join(_PATTERNS.get(p, f'keys matching {p}') for p in patterns)} may be added"
                        if not known and patterns else
                        f"expected {', '.join(map(str, list(known)[:12]))}{', …' if len(known) > 12 else ''}"
                        + (f" or {' or '.join(_PATTERNS.get(p, f'keys matching {p}') for p in patterns)}"
                           if patterns else ""))
        inside = f"in {name}" if where else "at the top level"
        return [((*where, k), f"{_name((k,))}: unknown key {inside} ({allowed_text})") for k in extra] or \
            [(where, f"{name}: {e.message}")]
    if e.validator == "type":
        expected = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        got = _JSON_TYPES.get(type(e.instance), type(e.instance).__name__)
        return [(where, f"{name}: expected {' or '.join(map(str, expected))}, got {got}")]
    if e.validator in ("oneOf", "anyOf"):
        return [(where, f"{name}: matches none of the allowed forms")]
    return [(where, f"{name}: {e.message}")]


def _name(where: Path_) -> str:
    """How a message names the element at ``where``: its key, or ``parameters[0]``."""
    if not where:
        return "the document"
    last = where[-1]
    if isinstance(last, int):
        return f"{where[-2]}[{last}]" if len(where) > 1 else f"[{last}]"
    return f"{last!r}" if str(last)[:1].isdigit() else str(last)


_MISSING = object()


def _follow(node: Any, where: Iterable[Any]) -> Any:
    """The value at ``where`` (keys and list indexes), or ``_MISSING``."""
    for part in where:
        if (isinstance(node, dict) and part in node) or \
                (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            node = node[part]
        else:
            return _MISSING
    return node


def _exists(doc: Any, where: Iterable[Any]) -> bool:
    return _follow(doc, where) is not _MISSING


def _find(doc: Any, tail: Path_, value: Any) -> Path_ | None:
    """The first place in the document (breadth first) whose ``tail`` holds ``value``."""
    queue: list[tuple[Path_, Any]] = [((), doc)]
    for i, (here, node) in enumerate(queue):  # the queue grows while it is walked
        if i >= _FIND_NODES:
            break
        if here and _follow(node, tail) == value:
            return (*here, *tail)
        if isinstance(node, dict):
            queue.extend(((*here, k), v) for k, v in node.items() if isinstance(v, dict | list))
        elif isinstance(node, list):
            queue.extend(((*here, j), v) for j, v in enumerate(node) if isinstance(v, dict | list))
    return None


_IN_OPERATION = re.compile(r"for '(\w+)'(?: operation)? in '([^']*)'")


def _semantic(message: str, doc: Any) -> tuple[Path_, str]:
    """Place a check the validator makes beyond the schema (unresolved path parameters, duplicate
    operation ids) at the operation it names, or at the parameter or id that failed."""
    found = _IN_OPERATION.search(message)
    if found is None:
        return (), message
    method, template = found.group(1), found.group(2)
    op: Path_ = ("paths", template, method)
    if not _exists(doc, op):
        op = ("paths", template) if _exists(doc, ("paths", template)) else ()
    param = re.match(r"^Path parameter '([^']*)'", message)
    if param and op:
        for base in (op, op[:2]):
            params = _get(doc, (*base, "parameters"))
            for i, p in enumerate(params if isinstance(params, list) else []):
                if isinstance(p, dict) and p.get("name") == param.group(1) and p.get("in") == "path":
                    return (*base, "parameters", i, "name"), \
                        f"name: path parameter {param.group(1)!r} is not in the path {template}"
        return op[:2], f"{template}: path parameter {{{param.group(1)}}} of {method.upper()} is not declared " \
                       "in its parameters"
    if message.startswith("Operation ID") and len(op) == 3:
        return (*op, "operationId"), f"operationId: {message}"
    return op, message


def _get(doc: Any, where: Path_) -> Any:
    node = doc
    for part in where:
        node = node.get(part) if isinstance(node, dict) else None
    return node

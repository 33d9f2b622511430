"""How OpenAPI changes group in reports (:meth:`OpenApi.group_facet`).

A subject is ``METHOD /path`` (or ``webhook name METHOD``) followed by where in the operation
(``query parameter limit``, ``request body application/json.items[].name``, ``response 404``), or a
named schema (``Pet.name``), or ``security scheme X``. The operation is the change's place, so the
same change on several operations (a shared parameter or response, the same property added to the
same response schema) is one event; the element is the schema or operation part it is in
(``GET /pets response 200 application/json.items[]``: its properties group there). An enum value
added or removed is a member of its schema. The area is the operation's first path segment, or
``components``, ``security``, ``webhooks``.
"""

from __future__ import annotations

import re

from apidiff.core.change import Change
from apidiff.core.groups import Facet

METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY")
VALUE_RULES = ("schema-enum-value-added", "schema-enum-value-removed", "extensible-enum-value-added",
               "extensible-enum-value-removed")
# where a schema path starts inside an operation: "request body <media>", "response <status> <media>",
# "<in> parameter <name>", "response <status> header <name>"
_MEDIA = (r"[\w.+*-]+/(?:[\w.+-]*?(?:json|xml|yaml|html|plain|csv|diff|patch|sha|raw|octet-stream|form-data"
          r"|x-www-form-urlencoded|event-stream|zip|pdf|gzip|sarif|text|binary|\*)|[\w+-]+)(?=$|[.\[{ ])")
_PART = re.compile(rf"^(?:request body {_MEDIA}|response \S+ header \S+|response \S+ {_MEDIA}|\S+ parameter [^.\[ ]+)")


def _split_operation(subject: str) -> tuple[str, str]:
    words = subject.split(" ")
    if words[0] in METHODS and len(words) > 1:
        n = 2
    elif words[0] == "webhook" and len(words) > 2:
        n = 3
    else:
        return "", subject
    return " ".join(words[:n]), " ".join(words[n:])


def _split_schema(path: str) -> tuple[str, str]:
    """(the schema holding the last step, the step): ``a.b[].c`` → (``a.b[]``, ``c``)."""
    for mark in (" oneOf ", " anyOf ", " allOf "):
        head, sep, tail = path.rpartition(mark)
        if sep and "." not in tail and "[" not in tail:
            return head, f"{mark.strip()} {tail}"
    head, dot, tail = path.rpartition(".")
    if dot and tail:
        return head, tail
    return "", path


def _area(operation: str) -> str:
    if operation.startswith("webhook "):
        return "webhooks"
    path = operation.split(" ", 1)[1] if " " in operation else operation
    first = path.strip("/").split("/", 1)[0]
    return "/" + first


def facet(change: Change) -> Facet:
    subject = change.subject
    value = change.args.get("value") if change.id in VALUE_RULES else None
    operation, rest = _split_operation(subject)
    if not operation:
        area = "security" if subject.startswith("security scheme ") else "components"
        if value is not None:
            return Facet(element=subject, member=str(value), area=area)
        element, member = _split_schema(subject) if area == "components" else ("", subject)
        return Facet(element=element, member=member, area=area)
    area = _area(operation)
    if not rest:  # the operation itself
        return Facet(element="", member=operation, area=area)
    if value is not None:
        return Facet(element=subject, member=str(value), place=operation, shared=rest, noun="operations", area=area)
    m = _PART.match(rest)
    part = m.group(0) if m else rest
    below = rest[len(part):]
    if not below:  # the parameter, body, response, media type itself
        return Facet(element=operation, member=part, place=operation, shared=rest, noun="operations", area=area)
    head, member = _split_schema(below)
    if not head and not member.startswith(("oneOf ", "anyOf ", "allOf ")) and not below.startswith("."):
        head, member = "", part + below  # the items of the body itself ("[]")
        return Facet(element=operation, member=member, place=operation, shared=rest, noun="operations", area=area)
    return Facet(element=f"{operation} {part}{head}", member=member.lstrip("."), place=operation, shared=rest,
                 noun="operations", area=area)

"""The migration guide of HTTP APIs: the places are the operations, with example requests and responses.

A change inside an operation (``GET /pets query parameter limit``) reaches that operation; a change
to a security scheme the operations that use the scheme; a change inside a named schema
(``Pet.name``, ``Status``) every operation that uses the schema in a direction where it matters (see
:class:`~apidiff.formats.openapi.places.HttpPlaces`). The guide lists each change once, in the
section of its operation or its named schema, with the operations it reaches and one example: a
request or a response of one of them, built from the schemas (see
:mod:`apidiff.formats.openapi.samples`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from typing import Any, cast

from apidiff.core._yaml import loads_json
from apidiff.core.change import Change, Mode
from apidiff.core.direction import Direction
from apidiff.core.guide import Entry, Focus, Places, Snippet, sunset_why, todo
from apidiff.core.guide import code as _c
from apidiff.core.guide import family as _family
from apidiff.core.guide import hint as _hint
from apidiff.core.guide import instead as _instead
from apidiff.core.guide import plain as _plain
from apidiff.core.guide import rollback as _rollback
from apidiff.core.model import Api
from apidiff.formats.openapi.model import HttpApi, Operation, path_key
from apidiff.formats.openapi.places import METHODS, HttpPlaces, component_of, position_of
from apidiff.formats.openapi.places import op_key as _op_key
from apidiff.formats.openapi.places import operation_subject as _op_subject
from apidiff.formats.openapi.samples import MAX_SHAPE, OMIT, HttpSampler, Shape

__all__ = ["places", "thing"]


def places(old: Api, new: Api, mode: Mode) -> Places:
    """The places of the guide between two HTTP APIs: their operations."""
    return _Http(cast(HttpApi, old), cast(HttpApi, new), mode)


# -- what to do ---------------------------------------------------------------------------------

_BOUNDS = {"maximum": "maximum", "minimum": "minimum", "max-length": "maxLength", "min-length": "minLength",
           "max-items": "maxItems", "min-items": "minItems", "max-properties": "maxProperties",
           "min-properties": "minProperties", "max-contains": "maxContains", "min-contains": "minContains"}


def _bound(rule_id: str) -> tuple[str, str] | None:
    for prefix, keyword in _BOUNDS.items():
        for action in ("decreased", "increased", "added", "removed"):
            if rule_id == f"{prefix}-{action}":
                return keyword, action
    return None


def _todo(change: Change, direction: Direction, replacement: str | None, it: str,
          media: Collection[str]) -> str | None:
    """What to do about an HTTP change (see :func:`~apidiff.core.guide.todo`); ``None``: the generic text."""
    a = change.args
    rid, fam, x = change.id, _family(change.id), change.subject
    sends = direction is Direction.INPUT
    renamed_to = a.get("renamed_to")
    renamed_from = a.get("renamed_from")
    instead = _instead(change, direction, replacement)
    why = sunset_why(rid)
    old, new = a.get("old"), a.get("new")

    # operations and their lifecycle
    if fam == "operation-removed":
        if renamed_to:
            return f"Stop calling {it}: it was removed{why}. It was probably renamed to {_c(renamed_to)}: " \
                   f"call {_c(renamed_to)} instead."
        return f"Stop calling {it}: it was removed{why}.{instead}"
    if rid.endswith(("-sunset-moved-earlier", "-deprecated-sunset-too-soon")):
        when = new or a.get("sunset")
        return f"Plan to stop using {it} sooner: it will be removed on {_plain(when)}.{instead}"
    if rid.endswith("-stability-decreased"):
        return f"{it} became less stable (x-stability-level {_plain(old)} → {_plain(new)}): expect changes " \
               "without notice, and pin to the version you tested."
    if rid == "security-requirement-removed":
        return f"{it} no longer accepts {_plain(a.get('requirement'))}: authenticate with a scheme it still accepts."
    if rid == "operation-id-changed":
        return f"The operationId of {it} changed from {_c(old)} to {_c(new)}: code generated from the description " \
               "gets new method names; update the calls."
    if rid.startswith("security-scheme-"):
        return f"Update how you authenticate: {_plain(change.message)}."
    # parameters, bodies, responses
    if rid in ("parameter-added-required", "parameter-became-required"):
        return f"Send the {a.get('where')} parameter {_c(a.get('name'))} on every call."
    if fam == "parameter-removed":
        return f"Stop sending the {a.get('where')} parameter {_c(a.get('name'))}: it was removed{why}.{instead}"
    if rid == "parameter-serialization-changed":
        return f"Serialize the {a.get('where')} parameter {_c(a.get('name'))} as {_plain(new)} (was {_plain(old)})."
    if rid in ("request-body-added-required", "request-body-became-required"):
        return "Send a request body on every call."
    if rid == "request-body-removed":
        return "Stop sending a request body: the operation no longer takes one."
    if rid == "media-type-removed":
        if sends:
            return f"Stop sending {_c(a.get('media'))} bodies: use a media type the operation still accepts."
        return f"Stop expecting {_c(a.get('media'))} responses: ask (with {_c('Accept')}) for a media type it " \
               "still returns."
    if rid == "media-type-added":
        return f"Responses may now be {_c(a.get('media'))}: send an {_c('Accept')} header for the type you parse."
    if rid == "response-status-added":
        return f"Handle the new response status {a.get('status')}."
    if rid == "response-status-removed":
        return f"Stop relying on status {a.get('status')}: it is no longer returned."
    if rid == "response-header-removed":
        return f"Stop reading the response header {_c(a.get('name'))}: it was removed."
    if rid == "response-header-became-optional":
        return f"Handle responses without the header {_c(a.get('name'))}: it may now be missing."
    # properties of JSON objects
    if fam == "property-removed":
        if sends:
            return f"Stop sending {it}: it was removed{why}.{instead}"
        return f"Stop reading {it}: it was removed{why}.{instead}"
    if rid == "property-added-required":
        also = f" It probably replaces {_c(renamed_from)}: send {it} instead of it." if renamed_from else ""
        return f"Send {it}: it is a new required property.{also}"
    if rid == "property-became-required":
        return f"Always send {it}: it became required."
    if rid == "property-became-optional":
        return f"Be ready for {it} to be missing: it became optional."
    if rid == "property-became-read-only":
        return f"Stop sending {it}: it became read-only, and the server sets it."
    if rid == "property-became-write-only":
        return f"Stop reading {it}: it became write-only and is no longer returned."
    if rid == "property-no-longer-write-only":
        return f"{it} may now appear in responses: ignore it if you do not use it."
    if rid == "property-no-longer-read-only":
        return f"{it} may now be sent in requests: it is no longer ignored."
    # JSON Schema keywords
    if rid == "type-changed":
        verb = "Send" if sends else "Read"
        return f"{verb} {it} as {_plain(new)} (was {_plain(old)})."
    if rid == "format-changed":
        verb = "write" if sends else "parse"
        return f"{it} now has format {_plain(new)} (was {_plain(old)}): adjust how you {verb} it."
    if rid == "became-nullable":
        return f"Handle {_c('null')} in {it}: it may now be null."
    if rid == "became-non-nullable":
        return f"Stop sending {_c('null')} for {it}: it is no longer nullable."
    if rid in ("schema-enum-value-added", "extensible-enum-value-added"):
        if sends:
            return f"You may now send {_plain(a.get('value'))} in {it}."
        return f"Handle unknown values in {it}: {_plain(a.get('value'))} may now appear, and a client that fails " \
               "on values it does not know breaks."
    if rid in ("schema-enum-value-removed", "extensible-enum-value-removed"):
        if sends:
            return f"Stop sending {_plain(a.get('value'))} in {it}: it is no longer accepted."
        return f"{_plain(a.get('value'))} no longer appears in {it}: remove code that depends on it."
    if rid == "became-enum":
        return f"Send only the allowed values of {it}: {_plain(a.get('values'))}."
    if rid == "enum-removed":
        return f"{it} is no longer limited to an enum: handle any value."
    bound = _bound(rid)
    if bound is not None:
        keyword, action = bound
        was = "none" if old in (None, "(none)") else _plain(old)
        if sends:
            if action == "removed":
                return f"{it} has no {keyword} any more (was {was}): you may send more than before."
            return f"Keep {it} within the new limit: {keyword} {_plain(new)} (was {was})."
        if action == "removed":
            return f"Accept values of {it} beyond the old limit: there is no {keyword} any more (was {was})."
        return f"Accept values of {it} beyond the old limit: {keyword} is now {_plain(new)} (was {was})."
    if rid == "pattern-changed":
        if sends:
            return f"Make sure {it} matches the new pattern {_c(new)} (was {_c(old)})."
        return f"Accept values of {it} that match the new pattern {_c(new)} (was {_c(old)})."
    if rid == "multiple-of-changed":
        return f"{it} must now be a multiple of {_plain(new)} (was {_plain(old)})."
    if rid == "unique-items-changed":
        return f"Send {it} without duplicate items."
    if rid == "default-changed":
        return f"The default of {it} changed from {_plain(old)} to {_plain(new)}: send {_plain(old)} explicitly " \
               "to keep the old behaviour."
    if rid == "const-changed":
        verb = "send" if sends else "expect"
        return f"{it} is now always {_plain(new)} (was {_plain(old)}): update what you {verb}."
    if rid == "additional-properties-closed":
        return f"Stop sending properties that {it} does not declare."
    if rid == "additional-properties-opened":
        return f"Ignore properties of {it} that you do not know."
    if rid in ("branch-added", "branch-removed"):
        m = re.match(r"^(.*) (?:oneOf|anyOf|allOf) (.+)$", x)
        where, variant = (thing(m.group(1), media), _c(m.group(2)) + " ") if m else (it, "")
        if rid == "branch-added":
            return f"Handle the new variant {variant}of {where}."
        return f"Stop sending the variant {variant}of {where}: it was removed."
    if rid == "discriminator-changed":
        return f"Pick the variant of {it} by the new discriminator {_plain(new)} (was {_plain(old)})."
    return None


def _media_prefix(text: str, media: Collection[str]) -> str | None:
    """The longest of ``media`` that ``text`` starts with, up to a boundary (``.``, ``[``, ``{``, a space or
    the end): looked up by the text's prefixes, not by trying each media type (an operation may have
    thousands, and each of its changes asks)."""
    for end in reversed([i for i, ch in enumerate(text) if ch in ".[{ "] + [len(text)]):
        if text[:end] in media:
            return text[:end]
    return None


def thing(subject: str, media: Collection[str] = ()) -> str:
    """How a to-do text names a subject: ``the query parameter `limit```, ```name` in the request
    body``, or the subject itself as code (``Pet.owner``, ``Book.price``); ``media`` are the media
    types the operation uses (they may contain dots)."""
    found = _op_key(subject)
    if found is None:
        return _c(subject)
    rest = found[1]
    for prefix in ("request body ", *(f"response {w} " for w in rest.split(" ")[1:2] if rest.startswith("response"))):
        if rest.startswith(prefix):
            name = _media_prefix(rest[len(prefix):], media)
            if name is not None:
                inner = rest[len(prefix) + len(name):].lstrip(".")
                where = "the request body" if prefix == "request body " else f"the {prefix.split()[1]} response"
                return f"{_c(inner)} in {where}" if inner else where if prefix == "request body " \
                    else f"{where} body"
    m = re.match(r"^(path|query|header|cookie) parameter (\S+)(.*)$", rest)
    if m:
        return f"the {m.group(1)} parameter {_c(m.group(2) + m.group(3))}"
    m = re.match(r"^request body(?: \S+?)?([.\[{].*)?$", rest)
    if m:
        return f"{_c(m.group(1).lstrip('.'))} in the request body" if m.group(1) else "the request body"
    m = re.match(r"^response (\S+) header (\S+)$", rest)
    if m:
        return f"the response header {_c(m.group(2))}"
    m = re.match(r"^response (\S+)(?: \S+?)?([.\[{].*)?$", rest)
    if m:
        return f"{_c(m.group(2).lstrip('.'))} in the {m.group(1)} response" if m.group(2) \
            else f"the {m.group(1)} response body"
    return _c(subject)


# -- places and examples ------------------------------------------------------------------------

def _op_title(o: Operation | None, n: Operation | None) -> str:
    either = n or o
    assert either is not None
    return f"webhook {either.path} {either.method}" if either.webhook else f"{either.method} {either.path}"


def _media(op: Operation) -> set[str]:
    names = set(op.body.content) if op.body is not None else set()
    for resp in op.responses.values():
        names |= set(resp.content)
    return names


def _number(text: object) -> int | float | None:
    try:
        value = float(str(text))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _sizes(keyword: str, old: float | None, new: float | None) -> tuple[float | None, float | None]:
    """The bounded values (numbers, lengths, counts) the before and after examples show for a
    changed bound: each valid on its side, and, where one is, a value the other side rejects
    (a string longer than the old ``maxLength`` after it was raised; one past a new limit before)."""
    upper = keyword.startswith("max")
    signed = keyword in ("maximum", "minimum")  # the others count characters, items or properties

    def past(limit: float) -> float | None:
        value = limit + 1 if upper else limit - 1
        return value if signed or value >= 0 else None

    if old is not None and new is not None:
        return old, new
    if new is not None:  # added: before, a value past the new limit
        return past(new), new
    if old is not None:  # removed: after, a value past the old limit
        return old, past(old)
    return None, None


def _json(text: object) -> Any:
    try:
        return loads_json(str(text))
    except ValueError:
        return str(text)


class _Http(HttpPlaces):
    """Places (:class:`~apidiff.formats.openapi.places.HttpPlaces`) and examples for changes between two HTTP APIs."""

    noun = "operation"
    usage_unit = "routes"

    def __init__(self, old: HttpApi, new: HttpApi, mode: Mode) -> None:
        super().__init__(old, new, mode)
        self._media_of: dict[int, tuple[Operation, frozenset[str]]] = {}
        self._media_pairs: dict[tuple[int, int], tuple[Operation | None, Operation | None, frozenset[str]]] = {}

    def narrow(self, operations: Sequence[str]) -> set[str] | None:
        """The operation keys of a consumer's routes (``GET /pets/{petId}`` → ``GET /pets/{}``)."""
        return {f"{op.split(' ', 1)[0]} {path_key(op.split(' ', 1)[1])}" for op in operations if " " in op}

    def group(self, change: Change) -> str:
        """The operation a change is in (as its title), its named schema, or its subject."""
        found = _op_key(change.subject)
        if found is not None:
            o, n = self.old.operations.get(found[0]), self.new.operations.get(found[0])
            return _op_title(o, n) if o is not None or n is not None else " ".join(change.subject.split(" ")[:2])
        if change.subject.startswith("security scheme "):
            return change.subject
        return component_of(change.subject, self.schemas) or change.subject

    def sections(self) -> list[tuple[str, str, str | None]]:
        keys = list(self.base.operations)
        order = {m: i for i, m in enumerate(METHODS)}

        def sort_key(key: str) -> tuple[bool, str, int]:
            op = self.base.operations[key]
            return (op.webhook, key.split(" ", 1)[1], order.get(op.method, len(order)))

        out = []
        for key in sorted(keys, key=sort_key):
            o, n = self.old.operations.get(key), self.new.operations.get(key)
            either = n or o
            assert either is not None
            out.append((key, _op_title(o, n), either.summary))
        return out

    def focus(self, change: Change) -> tuple[Focus, Focus]:
        """What the before and after examples must show."""
        subject, rid, a = change.subject, change.id, change.args
        before: set[str] = {subject}
        after: set[str] = {subject}
        vb: dict[str, Any] = {}
        va: dict[str, Any] = {}
        if a.get("renamed_to"):
            after.add(str(a["renamed_to"]))
        if a.get("renamed_from"):
            before.add(str(a["renamed_from"]))
        if rid == "became-nullable":
            va[subject] = None
        elif rid == "became-non-nullable":
            vb[subject] = None
        elif rid in ("schema-enum-value-added", "extensible-enum-value-added"):
            va[subject] = _json(a.get("value"))
        elif rid in ("schema-enum-value-removed", "extensible-enum-value-removed"):
            vb[subject] = _json(a.get("value"))
        elif _bound(rid) is not None:
            keyword, _action = cast(tuple[str, str], _bound(rid))
            sizes = _sizes(keyword, _number(a.get("old")), _number(a.get("new")))
            numeric = keyword in ("maximum", "minimum")
            for values, size in zip((vb, va), sizes, strict=True):
                if size is None or not math.isfinite(size):
                    continue
                if numeric or (isinstance(size, int) and 0 <= size <= MAX_SHAPE):
                    values[subject] = size if numeric else Shape(size=int(size))
        elif rid == "unique-items-changed":  # duplicates were allowed, now they are not (or the other way)
            vb[subject], va[subject] = (Shape(size=2), Shape(size=1)) if a.get("new") in (True, "true") \
                else (Shape(size=1), Shape(size=2))
        elif rid == "enum-removed":  # after: a value built from the type, not one of the old values
            va[subject] = Shape()
        elif rid == "additional-properties-closed":
            vb[subject] = Shape(extra=True)
        elif rid == "additional-properties-opened":
            va[subject] = Shape(extra=True)
        elif rid == "parameter-serialization-changed":  # two items: a style shows in how they are joined
            vb[subject] = va[subject] = Shape(size=2)
        elif rid == "default-changed":
            vb[subject] = OMIT  # relying on the default
            if a.get("old") not in (None, "(none)"):
                va[subject] = _json(a.get("old"))
        elif rid in ("property-became-required", "parameter-became-required"):
            vb[subject] = OMIT
        elif rid in ("property-became-optional", "response-header-became-optional"):
            va[subject] = OMIT
        return Focus(frozenset(before), vb), Focus(frozenset(after), va)

    def _media(self, op: Operation) -> frozenset[str]:
        """The media types ``op`` reads or writes (once per operation: each of its changes asks)."""
        hit = self._media_of.get(id(op))
        if hit is None or hit[0] is not op:
            hit = self._media_of[id(op)] = (op, frozenset(_media(op)))
        return hit[1]

    def _media_pair(self, o: Operation | None, n: Operation | None) -> frozenset[str]:
        key = (id(o), id(n))
        hit = self._media_pairs.get(key)
        if hit is None or hit[0] is not o or hit[1] is not n:
            both = frozenset().union(*(self._media(op) for op in (o, n) if op is not None))
            hit = self._media_pairs[key] = (o, n, both)
        return hit[2]

    def entry(self, change: Change, key: str | None, position: str | None) -> Entry:
        o = self.old.operations.get(key) if key else None
        n = self.new.operations.get(key) if key else None
        base = self.base.operations.get(key) if key else None
        direction = self.direction(base, position) if base is not None and position else change.direction
        replacement = self._replacement(change, o)
        media = self._media_pair(o, n)
        text = todo(change, direction, replacement, it=thing(change.subject, media),
                    rollback=_rollback(change, self.mode), texts=lambda c, d, r, it: _todo(c, d, r, it, media))
        if key is None or position is None or (o is None and n is None):
            return Entry(change, text)
        subject = _op_subject(o, n)
        fb, fa = self.focus(change)
        before = after = None
        security = None
        if change.id == "security-requirement-removed" and o is not None and o.security:
            gone = [alt for alt in o.security if n is None or not n.security or alt not in n.security]
            security = frozenset(name for name, _ in gone[0]) if gone else None
        first = HttpSampler(self.old, fb, security=security)
        if position == "response":
            status = None
            if o is not None:
                status = first.response_status(o, subject)
                if status is not None and change.id == "response-status-added" and n is not None:
                    status = None
                if status is not None:
                    before = Snippet("http", first.response(o, subject, status))
            if n is not None:
                sampler = HttpSampler(self.new, fa, like=first)
                status_new = status if status in n.responses else sampler.response_status(n, subject)
                if change.id == "response-status-removed":
                    status_new = None
                if status_new is not None:
                    after = Snippet("http", sampler.response(n, subject, status_new))
            return Entry(change, text, before, after, after_note=self._gone(change, o, n))
        if o is not None:
            body = False if change.id == "request-body-became-required" else None
            before = Snippet("http", first.request(o, subject, body=body))
        target = n
        if target is None and change.args.get("renamed_to"):
            renamed = _op_key(str(change.args["renamed_to"]))
            target = self.new.operations.get(renamed[0]) if renamed else None
            if target is not None:
                subject = _op_subject(None, target)
        if target is None and replacement is not None:
            renamed = _op_key(replacement)
            target = self.new.operations.get(renamed[0]) if renamed else None
            if target is not None:
                subject = _op_subject(None, target)
        if target is not None:
            after = Snippet("http", HttpSampler(self.new, fa, like=first).request(target, subject))
        return Entry(change, text, before, after, after_note=self._gone(change, o, n))

    @staticmethod
    def _gone(change: Change, o: Operation | None, n: Operation | None) -> str | None:
        if n is None and o is not None and position_of(change) != "operation":
            return f"No example: {_c(_op_title(o, None))} itself was removed."
        return None

    def _replacement(self, change: Change, o: Operation | None) -> str | None:
        """A replacement named by the deprecation of a removed operation or property."""
        if "-removed" not in change.id or change.args.get("renamed_to"):
            return None
        if change.id.startswith("operation-removed") and o is not None and o.deprecation is not None:
            def exists(name: str) -> bool:
                found = _op_key(name)
                return found is not None and found[0] in self.new.operations

            return _hint(o.deprecation.reason, exists)
        if change.id.startswith("property-removed"):
            component = component_of(change.subject, self.old.schemas)
            if component is None or component != change.subject.rsplit(".", 1)[0]:
                return None
            old_schema, new_schema = self.old.schemas.get(component), self.new.schemas.get(component)
            prop = old_schema.properties.get(change.subject.rsplit(".", 1)[1]) if old_schema else None
            if prop is None or new_schema is None:
                return None
            reason = prop.deprecation.reason if prop.deprecation else None
            name = _hint(reason, lambda n: n in new_schema.properties)
            return f"{component}.{name}" if name else None
        return None

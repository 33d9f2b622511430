"""The consumer migration guide: what a client must do for each breaking or dangerous change.

Changes are grouped by what a client calls: the HTTP operation (``GET /pets``) or the GraphQL
root field (``Query.book``). A change inside a named schema (``Pet.name``) or a GraphQL type
(``Book.price``) is listed under every operation that uses it there, in the direction where it
matters (an enum value added to ``Status`` matters where ``Status`` is read, not where it is
sent), so that a consumer reads only the sections of the operations they use. Changes that reach
no operation (a directive, an unused schema) are listed last, under "Other changes".

Each entry says what to do (a sentence per change family, keyed on the rule id; the change's
message otherwise) and shows an example before and after: an HTTP request or response built from
the schemas (see :mod:`apidiff.report._samples`), or a GraphQL operation valid on the old schema
and one valid on the new schema.

``build_guide(report, old_api, new_api)`` gives a :class:`Guide` (plain data);
:func:`render_markdown` and :func:`render_html` render it; :func:`guide` does all of it from
two sources.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.result import Report, SourceInfo
from apidiff.formats.graphql.model import Api, Deprecation, TypeKind
from apidiff.formats.openapi.model import Operation, path_key
from apidiff.core.direction import Direction
from apidiff.report._samples import (
    NO_FOCUS,
    OMIT,
    Focus,
    GraphQLIndex,
    GraphQLSampler,
    HttpSampler,
    Sel,
    Step,
)
from apidiff.formats.openapi.places import (
    METHODS,
    HttpPlaces,
    component_of,
    position_of,
    relevant,
)
from apidiff.formats.openapi.places import op_key as _op_key
from apidiff.formats.openapi.places import rule_tables as _rules
from apidiff.formats.openapi.places import sides as _sides

__all__ = ["Entry", "Guide", "Section", "Snippet", "build_guide", "guide", "render_html", "render_markdown"]

OTHER = "Other changes"
ICONS = {Severity.BREAKING: "✖", Severity.DANGEROUS: "⚠", Severity.SAFE: "✔"}
_SIDES = (Direction.INPUT, Direction.OUTPUT)
_SUFFIXES = ("-without-deprecation", "-before-sunset", "-after-sunset")


# -- the guide as data --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snippet:
    """An example: ``language`` is the fence tag (``http``, ``graphql``)."""

    language: str
    code: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One change as seen from one operation.

    ``todo`` is one or two sentences; backticks delimit code (names), and plain text holds none.
    ``before``/``after`` are examples on the old and the new API; either may be missing (the
    operation is gone, the status is new).
    """

    change: Change
    todo: str
    before: Snippet | None = None
    after: Snippet | None = None
    before_note: str | None = None  # why there is no ``before`` example
    after_note: str | None = None  # why there is no ``after`` example

    def __post_init__(self) -> None:
        if self.before is None and self.before_note is None:
            object.__setattr__(self, "before_note", _missing(self.change, before=True))
        if self.after is None and self.after_note is None:
            object.__setattr__(self, "after_note", _missing(self.change, before=False))


@dataclass(frozen=True, slots=True)
class Section:
    """The entries of one operation (``key``: ``GET /pets/{}``, ``Query.book``; ``""`` for the
    changes that reach no operation)."""

    key: str
    title: str
    entries: tuple[Entry, ...]
    description: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(e.change.severity is severity for e in self.entries)


@dataclass(frozen=True, slots=True)
class Guide:
    kind: str  # "openapi" | "graphql"
    mode: Mode
    old: SourceInfo
    new: SourceInfo
    old_version: str | None
    new_version: str | None
    sections: tuple[Section, ...]
    consumer: str | None = None  # a guide for one consumer: only the changes its usage touches
    operations: tuple[str, ...] = ()  # that consumer's affected operations or routes

    @property
    def changes(self) -> tuple[Change, ...]:
        """Each change in the guide once, in the order first met."""
        seen: dict[int, Change] = {}
        for section in self.sections:
            for entry in section.entries:
                seen.setdefault(id(entry.change), entry.change)
        return tuple(seen.values())


# -- which directions a change matters in -------------------------------------------------------

def _kind(change: Change) -> str:
    rule = _rules()[0].get(change.id)
    return str(rule.kind) if rule is not None else ""


def _family(rule_id: str) -> str:
    for suffix in _SUFFIXES:
        if rule_id.endswith(suffix):
            return rule_id[: -len(suffix)]
    return rule_id


# -- text helpers -------------------------------------------------------------------------------

def _c(name: object) -> str:
    """``name`` as code in a to-do text."""
    return "`" + str(name).replace("`", "'") + "`"


def _plain(text: object) -> str:
    return str(text).replace("`", "'")


def _hint(reason: str | None, exists: Callable[[str], bool]) -> str | None:
    """A replacement named in a deprecation reason (``Use `isbn`.``), when it exists."""
    if not reason:
        return None
    candidates = re.findall(r"`([^`]+)`", reason)
    candidates += re.findall(r"\b(?:[Uu]se|[Rr]eplaced by|[Ss]ee)\s+([A-Za-z_][\w.]*(?:\s+/[\w/{}.-]*)?)", reason)
    for raw in candidates:
        name = raw.strip().rstrip(".")
        for option in (name, name.rsplit(".", 1)[-1]):
            if option and exists(option):
                return str(option)
    return None


_BOUNDS = {"maximum": "maximum", "minimum": "minimum", "max-length": "maxLength", "min-length": "minLength",
           "max-items": "maxItems", "min-items": "minItems", "max-properties": "maxProperties",
           "min-properties": "minProperties", "max-contains": "maxContains", "min-contains": "minContains"}


def _bound(rule_id: str) -> tuple[str, str] | None:
    for prefix, keyword in _BOUNDS.items():
        for action in ("decreased", "increased", "added", "removed"):
            if rule_id == f"{prefix}-{action}":
                return keyword, action
    return None


def todo(change: Change, direction: Direction, replacement: str | None = None, *,
         media: Collection[str] = (), rollback: bool = False) -> str:
    """What a client must do about ``change`` where it is used in ``direction`` (input: the client
    sends it; output: the client reads it); ``replacement`` is a probable new name; ``media`` as
    for :func:`thing`. With ``rollback``, the change only matters to clients built for the new
    version if the server goes back to the old one (forward compatibility). The first letter is
    upper case; backticks delimit code."""
    it = thing(change.subject, media)
    if rollback:
        text = f"Only a rollback breaks this: a client built for the new version fails against the old one " \
               f"({_plain(change.message)}). Do not depend on {it} until the old version is retired."
    else:
        text = _todo(change, direction, replacement, it, media)
    return text[:1].upper() + text[1:]


def _rollback(change: Change, mode: Mode) -> bool:
    """Whether only the forward verdict puts ``change`` in the guide."""
    return mode is Mode.FORWARD or (mode is Mode.FULL and change.backward is Severity.SAFE)


def _todo(change: Change, direction: Direction, replacement: str | None, it: str, media: Collection[str]) -> str:
    a = change.args
    rid, fam, x = change.id, _family(change.id), change.subject
    sends = direction is Direction.INPUT
    renamed_to = a.get("renamed_to")
    renamed_from = a.get("renamed_from")
    instead = ""
    if renamed_to:
        verb = "send" if sends else "read" if direction is Direction.OUTPUT else "use"
        instead = f" It was probably renamed to {_c(renamed_to)}: {verb} {_c(renamed_to)} instead."
    elif replacement:
        instead = f" Its deprecation notice names {_c(replacement)}: use {_c(replacement)} instead."
    why = " after its sunset date" if rid.endswith("-after-sunset") else ""
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
    # GraphQL
    if fam == "field-removed":
        if renamed_to:
            return f"Stop selecting {it}: it was removed{why}. It was probably renamed to {_c(renamed_to)}: " \
                   f"select {_c(_member(renamed_to))} instead."
        if replacement:
            return f"Stop selecting {it}: it was removed{why}. Its deprecation reason names {_c(replacement)}: " \
                   f"select {_c(replacement)} instead."
        return f"Stop selecting {it}: it was removed{why}."
    if rid == "field-type-changed":
        return f"{it} now returns {_c(new)} (was {_c(old)}): update the selection and the code that reads it."
    if rid == "field-became-nullable":
        return f"Handle {_c('null')} in {it}: it became {_c(new)}."
    if rid in ("argument-added-required", "input-field-added-required"):
        where = "pass it on every call" if rid.startswith("argument") else f"set it in every {_c(_owner(x))}"
        return f"{it} is a new required {'argument' if rid.startswith('argument') else 'input field'} " \
               f"of type {_c(a.get('type'))}: {where}."
    if rid in ("argument-became-non-nullable", "input-field-became-non-nullable"):
        return f"Always {'pass' if rid.startswith('argument') else 'set'} {it}: it became {_c(new)}."
    if fam in ("argument-removed", "input-field-removed"):
        verb = "passing" if fam == "argument-removed" else "setting"
        if renamed_to:
            return f"Stop {verb} {it}: it was removed{why}. It was probably renamed to {_c(renamed_to)}: " \
                   f"use {_c(renamed_to)} instead."
        return f"Stop {verb} {it}: it was removed{why}.{instead}"
    if rid in ("argument-type-changed", "input-field-type-changed"):
        return f"Send {it} as {_c(new)} (was {_c(old)})."
    if rid in ("argument-default-changed", "input-field-default-changed"):
        return f"The default of {it} changed from {_c(old)} to {_c(new)}: pass {_c(old)} explicitly to keep the " \
               "old behaviour."
    if rid == "enum-value-added":
        if sends:
            return f"You may now send {_c(_member(x))} as a {_c(_owner(x))}."
        return f"Handle unknown values of {_c(_owner(x))}: {_c(_member(x))} may now be returned, and a client " \
               "with an exhaustive switch or a generated enum fails on it."
    if fam == "enum-value-removed":
        if sends:
            return f"Stop sending {_c(_member(x))} as a {_c(_owner(x))}: it was removed{why}.{instead}"
        return f"{_c(_owner(x))} no longer returns {_c(_member(x))}{why}: remove the code that expects it.{instead}"
    if fam == "type-removed":
        return f"Stop using {it}: the type was removed{why}.{instead}"
    if rid == "type-kind-changed":
        return f"{it} changed from {_plain(old)} to {_plain(new)}: update the selections and values that use it."
    if rid == "input-type-became-one-of":
        return f"Set exactly one field of {it}: it became {_c('@oneOf')}."
    if rid == "scalar-specified-by-changed":
        return f"Check how you parse and serialize {it}: its specification changed to {_plain(new)}."
    if rid == "union-member-added":
        return f"Handle unknown members of {_c(a.get('owner') or x.split(' ')[0])}: {_c(a.get('member'))} may now be " \
               f"returned; branch on {_c('__typename')} with a fallback."
    if rid == "union-member-removed":
        return f"Stop expecting {_c(a.get('member'))} in {_c(x.split(' ')[0])}: it is no longer a member."
    if rid == "interface-added":
        return f"{_c(x.split(' ')[0])} now implements {_c(a.get('interface'))}: fragments on the interface may now " \
               "match it."
    if rid == "interface-removed":
        return f"Stop selecting {_c(x.split(' ')[0])} through {_c(a.get('interface'))}: it no longer implements it."
    if rid.startswith("directive"):
        return f"Update the documents that use {_c(x.split(' ')[0])}: {_plain(change.message)}."
    return f"Review how you use {it}: {_plain(change.message)}."


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
            for name in sorted(media, key=len, reverse=True):
                if rest[len(prefix):].startswith(name):
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


def _owner(coordinate: str) -> str:
    return coordinate.split(".", 1)[0]


def _member(coordinate: str) -> str:
    return coordinate.rsplit(".", 1)[-1].split("(", 1)[0]


# -- OpenAPI ------------------------------------------------------------------------------------

def _op_subject(o: Operation | None, n: Operation | None) -> str:
    """The subject the differ gives an operation (a renamed path reads as its normalized key)."""
    either = n or o
    assert either is not None
    if either.webhook:
        return f"webhook {either.path} {either.method}"
    path = either.path if o is None or n is None or o.path == n.path else o.key.split(" ", 1)[1]
    return f"{either.method} {path}"


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


def _json(text: object) -> Any:
    try:
        return json.loads(str(text))
    except ValueError:
        return str(text)


class _Http(HttpPlaces):
    """Places (:class:`~apidiff.formats.openapi.places.HttpPlaces`) and examples for changes between two HTTP APIs."""

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
        elif rid.startswith(("maximum-", "minimum-")):
            for values, text in ((vb, a.get("old")), (va, a.get("new"))):
                number = _number(text)
                if number is not None:
                    values[subject] = number
        elif rid == "default-changed":
            vb[subject] = OMIT  # relying on the default
            if a.get("old") not in (None, "(none)"):
                va[subject] = _json(a.get("old"))
        elif rid in ("property-became-required", "parameter-became-required"):
            vb[subject] = OMIT
        elif rid in ("property-became-optional", "response-header-became-optional"):
            va[subject] = OMIT
        return Focus(frozenset(before), vb), Focus(frozenset(after), va)

    def entry(self, change: Change, key: str | None, position: str | None) -> Entry:
        o = self.old.operations.get(key) if key else None
        n = self.new.operations.get(key) if key else None
        base = self.base.operations.get(key) if key else None
        direction = self.direction(base, position) if base is not None and position else change.direction
        replacement = self._replacement(change, o)
        media = {m for op in (o, n) if op is not None for m in _media(op)}
        text = todo(change, direction, replacement, media=media, rollback=_rollback(change, self.mode))
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


# -- GraphQL ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Parsed:
    kind: str
    owner: str  # the type the element belongs to
    member: str = ""  # field, input field, enum value, union member, interface
    argument: str = ""


def _parse(change: Change) -> _Parsed:
    kind, subject = _kind(change), change.subject
    if kind == "argument":
        m = re.match(r"^([^.]+)\.([^(]+)\(([^:]+):\)$", subject)
        if m:
            return _Parsed(kind, m.group(1), m.group(2), m.group(3))
    if kind in ("field", "input-field", "enum-value") and "." in subject:
        owner, member = subject.split(".", 1)
        return _Parsed(kind, owner, member)
    if kind == "union-member" and " member " in subject:
        owner, member = subject.split(" member ", 1)
        return _Parsed(kind, owner, member)
    if kind == "interface" and " implements " in subject:
        owner, member = subject.split(" implements ", 1)
        return _Parsed(kind, owner, member)
    if kind == "type":
        return _Parsed(kind, subject)
    if kind.startswith("directive") or kind.startswith("schema"):
        return _Parsed(kind, "")
    owner = re.split(r"[.( ]", subject, maxsplit=1)[0]
    return _Parsed(kind or "other", owner)


_ROOT_ORDER = ("query", "mutation", "subscription")


def _comment(text: str) -> Sel:
    return Sel("# " + " ".join(text.split()))


class _GraphQL:
    """Places and examples for changes between two GraphQL schemas."""

    def __init__(self, old: Api, new: Api, mode: Mode) -> None:
        self.old, self.new, self.mode = old, new, mode
        self.base = new if mode is Mode.FORWARD else old
        self._index: dict[int, GraphQLIndex] = {}
        self.sides = _sides(old, new, mode)

    def root_types(self, api: Api) -> dict[str, str]:
        """Root type name → operation keyword."""
        return {m.target: op for op, m in api.roots.items() if m.target}

    def roots(self) -> list[tuple[str, str]]:
        """(root type, field) of the side clients use today, queries first."""
        out = []
        for op in _ROOT_ORDER:
            member = self.base.roots.get(op)
            t = self.base.types.get(member.target or "") if member else None
            if t is not None:
                out += [(t.name, f) for f in t.fields]
        return out

    def sections(self) -> list[tuple[str, str, str | None]]:
        out = []
        for t, f in self.roots():
            field = self.base.types[t].fields[f]
            new_root = self._on_side(self.new, t)
            new_type = self.new.types.get(new_root) if new_root else None
            if new_type is not None and f in new_type.fields:
                field = new_type.fields[f]
            out.append((f"{t}.{f}", f"{t}.{f}", field.description))
        return out

    def _on_side(self, api: Api, root_type: str) -> str | None:
        """The root type on ``api`` for the same operation keyword as ``root_type`` on the base side."""
        keyword = self.root_types(self.base).get(root_type)
        member = api.roots.get(keyword or "")
        return member.target if member is not None else None

    def index(self, api: Api) -> GraphQLIndex:
        key = id(api)
        if key not in self._index:
            self._index[key] = GraphQLIndex(api)
        return self._index[key]

    def usage(self, root_type: str, field: str, type_name: str) -> Direction:
        """How a root field uses a type, on either side: in output positions (what it selects)
        and in input positions (the arguments it, or a field under it, takes)."""
        direction = Direction.NONE
        for api in self.sides:
            side_root = self._on_side(api, root_type)
            t = api.types.get(side_root or "")
            f = t.fields.get(field) if t is not None else None
            if f is None:
                continue
            index = self.index(api)
            start = f.type.name
            goals = frozenset({type_name}) | index.returning(type_name) \
                | frozenset(index.implementations.get(type_name, ()))  # `... on Interface` inside them
            output = start == type_name or start in index.distances(goals)
            input_ = any(type_name in index.input_types(a.type.name) for a in f.args.values()) \
                or start in index.distances(index.arg_owners(type_name))
            direction = direction | Direction.of(input_, output)
        return direction

    def places(self, change: Change) -> list[tuple[str, Direction]]:
        """(root coordinate, the direction in which that root field uses the changed element)."""
        p = _parse(change)
        if not p.owner:
            return []
        roots = self.roots()
        root_names = set(self.root_types(self.old)) | set(self.root_types(self.new))
        if p.owner in root_names and p.kind in ("field", "argument", "other") and p.member:
            return [(f"{t}.{f}", change.direction) for t, f in roots if f == p.member
                    and self.root_types(self.base).get(t) is not None and self._same_root(t, p.owner)]
        dirs = relevant(change, self.mode)
        out = []
        for t, f in roots:
            usage = self.usage(t, f, p.owner)
            if p.kind in ("field", "argument", "union-member", "interface"):
                hit = Direction.OUTPUT in _split(usage)
                where = change.direction
            elif p.kind == "input-field":
                hit = Direction.INPUT in _split(usage)
                where = Direction.INPUT
            else:
                common = _split(usage) & dirs
                hit = bool(common)
                where = Direction.OUTPUT if Direction.OUTPUT in common else Direction.INPUT
            if hit:
                out.append((f"{t}.{f}", where))
        return out

    def _same_root(self, base_root: str, owner: str) -> bool:
        keyword = self.root_types(self.base).get(base_root)
        return any(self.root_types(api).get(owner) == keyword for api in (self.old, self.new))

    # -- examples -------------------------------------------------------------------------------
    def focus(self, change: Change, p: _Parsed, direction: Direction) -> tuple[Focus, Focus, bool]:
        """Before and after focus, and whether to pass the focused argument as a variable."""
        rid, a = change.id, change.args
        if p.kind == "argument":
            coordinate = change.subject
            before = set() if rid in ("argument-added-required", "argument-became-non-nullable",
                                      "argument-default-changed") else {coordinate}
            after = {coordinate}
            if a.get("renamed_to"):
                after.add(str(a["renamed_to"]))
            va = {coordinate: a["old"]} if rid == "argument-default-changed" and a.get("old") else {}
            return Focus(frozenset(before)), Focus(frozenset(after), va), False
        if p.kind == "input-field":
            coordinate = change.subject
            skip = rid in ("input-field-added-required", "input-field-became-non-nullable",
                           "input-field-default-changed")
            before = {p.owner} | (set() if skip else {coordinate})
            after = {p.owner, coordinate}
            if a.get("renamed_to"):
                after.add(str(a["renamed_to"]))
            va = {coordinate: a["old"]} if rid == "input-field-default-changed" and a.get("old") else {}
            return Focus(frozenset(before)), Focus(frozenset(after), va), False
        if p.kind == "enum-value" and direction is Direction.INPUT:
            vb = {p.owner: p.member} if rid.startswith("enum-value-removed") else {}
            va = {p.owner: p.member} if rid == "enum-value-added" else {}
            replacement = self._replacement(change, p)
            if replacement and rid.startswith("enum-value-removed"):
                va = {p.owner: replacement}
            return Focus(frozenset({p.owner}), vb), Focus(frozenset({p.owner}), va), True
        if p.kind == "type" and direction is Direction.INPUT:
            return Focus(frozenset({p.owner})), Focus(frozenset({p.owner})), False
        return NO_FOCUS, NO_FOCUS, False

    def _replacement(self, change: Change, p: _Parsed) -> str | None:
        """What the deprecation reason of a removed field or enum value points to, on the new side."""
        if "-removed" not in change.id or change.args.get("renamed_to"):
            return None
        old_t, new_t = self.old.types.get(p.owner), self.new.types.get(p.owner)
        if old_t is None or new_t is None:
            return None
        if p.kind == "field" and p.member in old_t.fields:
            return _hint((old_t.fields[p.member].deprecation or Deprecation()).reason, lambda n: n in new_t.fields)
        if p.kind == "enum-value" and p.member in old_t.values:
            return _hint((old_t.values[p.member].deprecation or Deprecation()).reason, lambda n: n in new_t.values)
        return None

    def entry(self, change: Change, key: str | None, direction: Direction | None) -> Entry:
        p = _parse(change)
        replacement = self._replacement(change, p)
        where = direction if direction is not None else change.direction
        text = todo(change, where, replacement, rollback=_rollback(change, self.mode))
        if key is None:
            return Entry(change, text)
        root_type, root_field = key.split(".", 1)
        fb, fa, variables = self.focus(change, p, where)
        before = after = None
        old_root = self._on_side(self.old, root_type)
        new_root = self._on_side(self.new, root_type)
        steps = None
        if old_root is not None:
            code, steps = self.operation(self.old, self.new, old_root, root_field, change, p, fb, variables, where,
                                         after=False, replacement=None)
            before = Snippet("graphql", code) if code else None
        if new_root is not None:
            field_name = root_field
            new_t = self.new.types.get(new_root)
            renamed = change.args.get("renamed_to")
            if new_t is not None and root_field not in new_t.fields and p.owner == root_type and p.kind == "field":
                field_name = _member(str(renamed)) if renamed else (replacement or root_field)
            code, _ = self.operation(self.new, self.old, new_root, field_name, change, p, fa, variables, where,
                                     after=True, replacement=replacement, prefer=steps)
            after = Snippet("graphql", code) if code else None
        after_note = None
        new_type = self.new.types.get(new_root or "")
        if after is None and change.subject != key and (new_type is None or root_field not in new_type.fields):
            after_note = f"No example: {_c(key)} itself was removed."
        return Entry(change, text, before, after, after_note=after_note)

    def operation(self, api: Api, other: Api, root_type: str, root_field: str, change: Change, p: _Parsed,
                  focus: Focus, variables: bool, direction: Direction, *, after: bool, replacement: str | None,
                  prefer: list[Step] | None = None) -> tuple[str | None, list[Step] | None]:
        """The example operation on one side (``None`` when there is nothing to show there) and the
        path it takes, which the other side reuses when it can."""
        root = api.types.get(root_type)
        if root is None or root_field not in root.fields:
            return None, None
        s = GraphQLSampler(api, focus, other=other, variables=variables, index=self.index(api), prefer=prefer)
        return self._operation(s, api, root_type, root_field, change, p, direction, after, replacement), s.steps

    def _operation(self, s: GraphQLSampler, api: Api, root_type: str, root_field: str, change: Change, p: _Parsed,
                   direction: Direction, after: bool, replacement: str | None) -> str | None:
        rid, a = change.id, change.args
        owner = root_type if p.owner in (self._on_side(self.old, root_type), self._on_side(self.new, root_type)) \
            and p.owner in self.root_types(self.old) | self.root_types(self.new) else p.owner
        t = api.types.get(owner)

        if p.kind in ("field", "argument"):
            steps = s.path_to(root_type, root_field, owner)
            if steps is None or t is None:
                return None
            leaf: list[Sel] = []
            member = p.member
            if member not in t.fields:
                if not after:
                    return None
                renamed = a.get("renamed_to")
                name = _member(str(renamed)) if renamed else replacement
                if name is not None and name in t.fields:
                    note = "probably renamed to" if renamed else "its deprecation reason names"
                    return s.operation(steps, [_comment(f"{member} was removed: {note} {name}"), s.field(owner, name)],
                                       root_type)
                if not steps:
                    return None
                leaf = [_comment(f"{member} was removed")] + (s.default_selection(owner) or [Sel("__typename")])
                return s.operation(steps, leaf, root_type)
            if after and rid == "field-became-nullable":
                leaf.append(_comment(f"{member} may now be null"))
            if after and rid == "field-type-changed":
                leaf.append(_comment(f"{member} is now {a.get('new')} (was {a.get('old')})"))
            leaf.append(s.field(owner, member))
            return s.operation(steps, leaf, root_type)

        if p.kind in ("input-field",) or (p.kind in ("enum-value", "type") and direction is Direction.INPUT):
            found = s.path_to_argument(root_type, root_field, p.owner)
            if found is None:
                return None
            steps, field_owner, field_name = found
            return s.operation(steps, [s.field(field_owner, field_name)], root_type)

        if p.kind == "interface":  # T implements I: select T, with a fragment on I where T implements it
            steps = s.path_to(root_type, root_field, p.owner)
            if steps is None or not steps:
                return None
            leaf = [Sel("__typename")]
            if after and rid == "interface-removed":
                leaf.append(_comment(f"{p.owner} no longer implements {p.member}"))
            if after and rid == "interface-added":
                leaf.append(_comment(f"fragments on {p.member} now match {p.owner} too"))
            if t is not None and p.member in t.interfaces and p.member in api.types:
                leaf.append(Sel(f"... on {p.member}", s.default_selection(p.member) or [Sel("__typename")]))
            return s.operation(steps, leaf, root_type)

        if p.kind == "union-member":
            steps = s.path_to(root_type, root_field, p.owner)
            if steps is None or not steps:
                return None
            return s.operation(steps, self._members(api, s, p, change, after), root_type)

        if p.kind in ("enum-value", "type", "other"):
            found = s.path_to_returning(root_type, root_field, p.owner)
            if found is not None:
                steps, field_owner, field_name = found
                notes: list[Sel] = []
                if p.kind == "enum-value" and after and rid == "enum-value-added":
                    notes.append(_comment(f"{field_name} may now be {p.member}"))
                if p.kind == "enum-value" and after and rid.startswith("enum-value-removed"):
                    notes.append(_comment(f"{field_name} is no longer {p.member}"))
                return s.operation(steps, [*notes, s.field(field_owner, field_name)], root_type)
            if t is None or t.kind in (TypeKind.SCALAR, TypeKind.ENUM, TypeKind.INPUT_OBJECT):
                return None
            steps = s.path_to(root_type, root_field, p.owner)
            if steps:  # reached through a union or an interface
                return s.operation(steps, s.default_selection(p.owner) or [Sel("__typename")], root_type)
            if t.kind is TypeKind.INTERFACE:  # no field returns it: a fragment inside an implementation
                hit = s.path_to_implementation(root_type, root_field, p.owner)
                if hit is not None:
                    fragment = Sel(f"... on {p.owner}", s.default_selection(p.owner) or [Sel("__typename")])
                    return s.operation(hit[0], [Sel("__typename"), fragment], root_type)
        return None

    def _members(self, api: Api, s: GraphQLSampler, p: _Parsed, change: Change, after: bool) -> list[Sel]:
        """``__typename`` and an inline fragment on the union member, where it is one on this side."""
        union, member = p.owner, p.member
        out = [Sel("__typename")]
        if after and change.id.endswith("-removed"):
            out.append(_comment(f"{member} is no longer a member of {union}"))
        if after and change.id.endswith("-added"):
            out.append(_comment(f"may now be {member}"))
        if union in api.types and member in api.types[union].members and member in api.types:
            out.append(Sel(f"... on {member}", s.default_selection(member) or [Sel("__typename")]))
        return out


def _split(direction: Direction) -> frozenset[Direction]:
    if direction is Direction.BOTH:
        return frozenset(_SIDES)
    if direction is Direction.NONE:
        return frozenset()
    return frozenset({direction})


# -- building -----------------------------------------------------------------------------------

def build_guide(report: Report, old_api: Api, new_api: Api, consumer: str | None = None) -> Guide:
    """The guide for the breaking and dangerous changes of ``report`` (the comparison of
    ``old_api`` with ``new_api``), grouped by operation or root field. With ``consumer`` (and
    the report's usage), only the changes that consumer's operations or routes touch, and for
    HTTP only at the routes it calls."""
    builder: _Http | _GraphQL = (_Http if old_api.kind == "openapi" else _GraphQL)(old_api, new_api, report.mode)
    rank = {Severity.BREAKING: 0, Severity.DANGEROUS: 1, Severity.SAFE: 2}
    by_key: dict[str, list[Entry]] = {}
    other: list[Entry] = []
    wanted: set[Change] | None = None
    routes: set[str] | None = None
    operations: tuple[str, ...] = ()
    if consumer is not None:
        from apidiff.report.impact import consumer_impacts

        mine = consumer_impacts(report, consumer)
        wanted = {c for i in mine for c in i.changes}
        operations = tuple(dict.fromkeys(i.usage.operation for i in mine))
        if old_api.kind == "openapi":
            routes = {f"{op.split(' ', 1)[0]} {path_key(op.split(' ', 1)[1])}" for op in operations if " " in op}
    for change in report.changes:
        if change.severity is Severity.SAFE or (wanted is not None and change not in wanted):
            continue
        places: list[tuple[str, Any]] = [p for p in builder.places(change) if routes is None or p[0] in routes]
        if not places:
            other.append(builder.entry(change, None, None))
        for key, where in places:
            by_key.setdefault(key, []).append(builder.entry(change, key, where))
    sections = []
    for key, title, description in builder.sections():
        if key in by_key:
            entries = sorted(by_key[key], key=lambda e: rank[e.change.severity])  # stable: report order within
            sections.append(Section(key, title, tuple(entries), _first_line(description)))
    if other:
        sections.append(Section("", OTHER, tuple(sorted(other, key=lambda e: rank[e.change.severity]))))
    return Guide(kind=old_api.kind, mode=report.mode, old=report.old, new=report.new,
                 old_version=old_api.api_version, new_version=new_api.api_version, sections=tuple(sections),
                 consumer=consumer, operations=operations)


def _first_line(text: str | None) -> str | None:
    if not text:
        return None
    line = text.strip().splitlines()[0].strip()
    return line or None


def _missing(change: Change, *, before: bool) -> str:
    """Why one side has no example."""
    if before and change.old_location is None:
        return "Nothing: this is new."
    if not before and change.new_location is None:
        return "Nothing: it was removed, with no replacement."
    return "No example on this side."


# -- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\*_\[\]<>|])")


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_code(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _md_rich(text: str) -> str:
    """A to-do text: backticks delimit code, the rest is escaped."""
    parts = text.split("`")
    return "".join(_md_code(p) if i % 2 else _md_text(p) for i, p in enumerate(parts))


def _fence(snippet: Snippet) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", snippet.code)), default=2)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{snippet.language}\n{snippet.code}\n{fence}"


class _Slugs:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, numbered repeats."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = self.seen.get(slug, 0)
        self.seen[slug] = count + 1
        return slug if count == 0 else f"{slug}-{count}"


def _label(info: SourceInfo, version: str | None) -> str:
    return f"{info.source} ({version})" if version else info.source


def _sides_labels(guide: Guide) -> tuple[str, str]:
    """How the examples' captions name the two sides: the API versions when they tell them apart."""
    if guide.old_version and guide.new_version and guide.old_version != guide.new_version:
        return guide.old_version, guide.new_version
    return "old", "new"


def _intro(guide: Guide) -> tuple[str, str]:
    changes = guide.changes
    breaking = sum(c.severity is Severity.BREAKING for c in changes)
    dangerous = sum(c.severity is Severity.DANGEROUS for c in changes)
    places = [s for s in guide.sections if s.key]
    noun = "operation" if guide.kind == "openapi" else "root field"
    if not changes:
        for_whom = f"{guide.consumer} uses no changed element" if guide.consumer else "No breaking or dangerous change"
        return f"{for_whom}: nothing to migrate.", ""
    where = f"{len(places)} {noun}{'s' if len(places) != 1 else ''}"
    summary = f"{breaking} breaking and {dangerous} dangerous change{'s' if breaking + dangerous != 1 else ''} " \
              f"touch {where}."
    if guide.consumer:
        yours = "operations" if guide.kind == "graphql" else "routes"
        summary = f"For {guide.consumer}: {summary} Your affected {yours}: {', '.join(guide.operations)}."
    how = f"Read the sections of the {noun}s you use: each entry says what to change, with an example " \
          f"before and after."
    return summary, how


def render_markdown(guide: Guide) -> str:
    """The guide as GitHub-flavoured Markdown."""
    slugs = _Slugs()
    old_side, new_side = _sides_labels(guide)
    title = f"Migration guide for {guide.consumer}" if guide.consumer else "Migration guide"
    lines = [f"# {_md_text(title)}", ""]
    slugs(title)
    lines += [f"From {_md_code(guide.old.source)}{f' ({_md_text(guide.old_version)})' if guide.old_version else ''} "
              f"to {_md_code(guide.new.source)}{f' ({_md_text(guide.new_version)})' if guide.new_version else ''}"
              f", {guide.mode.value} compatibility.", ""]
    summary, how = _intro(guide)
    lines += [_md_text(summary) + (f" {_md_text(how)}" if how else ""), ""]
    if not guide.sections:
        return "\n".join(lines)
    anchors = []
    body: list[str] = []
    for section in guide.sections:
        heading = section.title if not section.key else f"`{section.title}`"
        anchor = slugs(heading.replace("`", ""))
        anchors.append((section, anchor))
        body += [f"## {_md_code(section.title) if section.key else _md_text(section.title)}", ""]
        if section.description:
            body += [f"_{_md_text(section.description)}_", ""]
        for entry in section.entries:
            ch = entry.change
            title = f"{ICONS[ch.severity]} {ch.severity.value}: {ch.message}"
            slugs(title)
            body += [f"### {_md_text(title)}", ""]
            loc = ch.new_location or ch.old_location
            meta = [_md_code(ch.id), _md_code(ch.subject)] + ([_md_code(str(loc))] if loc else [])
            body += [" · ".join(meta), ""]
            body += [f"**What to do:** {_md_rich(entry.todo)}", ""]
            if entry.before is not None or entry.after is not None:
                body += [f"Before ({_md_text(old_side)}):", ""]
                body += [_fence(entry.before) if entry.before else f"_{_md_rich(entry.before_note or '')}_", ""]
                body += [f"After ({_md_text(new_side)}):", ""]
                body += [_fence(entry.after) if entry.after else f"_{_md_rich(entry.after_note or '')}_", ""]
    noun = "operation" if guide.kind == "openapi" else "root field"
    lines += [f"| {noun} | breaking | dangerous |", "|---|---:|---:|"]
    for section, anchor in anchors:
        name = _md_code(section.title) if section.key else _md_text(section.title)
        lines.append(f"| [{name}](#{anchor}) | {section.count(Severity.BREAKING)} | "
                     f"{section.count(Severity.DANGEROUS)} |")
    lines.append("")
    return "\n".join(lines + body).rstrip("\n") + "\n"


# -- HTML ---------------------------------------------------------------------------------------

CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #656d76; --bg: #ffffff; --panel: #f6f8fa;
  --line: #d0d7de; --breaking: #cf222e; --dangerous: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #8d96a0; --bg: #0d1117; --panel: #161b22;
  --line: #30363d; --breaking: #ff7b72; --dangerous: #d29922; } }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0 0 .5rem; } h2 { margin: 2.5rem 0 .5rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
p code, li code, h2 code, h3 code, td code { background: var(--panel); padding: .1em .3em; border-radius: 4px; }
h2 code { font-size: 1.3rem; }
.muted, .meta { color: var(--muted); }
.meta { font-size: 13px; margin: 0 0 .5rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .7rem; text-align: left; }
td.n { text-align: right; }
article { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: .8rem 1rem;
  margin: 1rem 0; }
article.breaking { border-left-color: var(--breaking); } article.dangerous { border-left-color: var(--dangerous); }
.badge { display: inline-block; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
  margin-right: .4rem; }
.badge.breaking { color: var(--breaking); } .badge.dangerous { color: var(--dangerous); }
.examples { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
@media (max-width: 50rem) { .examples { grid-template-columns: 1fr; } }
figure { margin: 0; min-width: 0; } figcaption { font-size: 13px; color: var(--muted); margin-bottom: .2rem; }
pre { margin: 0; padding: .7rem; overflow-x: auto; background: var(--panel); border-radius: 6px; }
.none { padding: .7rem; color: var(--muted); font-style: italic; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _html_rich(text: str) -> str:
    parts = text.split("`")
    return "".join(f"<code>{_e(p)}</code>" if i % 2 else _e(p) for i, p in enumerate(parts))


def _figure(caption: str, snippet: Snippet | None, missing: str) -> str:
    if snippet is None:
        return f'<figure><figcaption>{_e(caption)}</figcaption><div class="none">{_html_rich(missing)}</div></figure>'
    return (f'<figure><figcaption>{_e(caption)}</figcaption><pre><code class="language-{_e(snippet.language)}">'
            f"{_e(snippet.code)}</code></pre></figure>")


def render_html(guide: Guide) -> str:
    """The guide as one self-contained HTML page (inline CSS, no script, every value escaped)."""
    style = CSS.strip()
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    old_side, new_side = _sides_labels(guide)
    summary, how = _intro(guide)
    noun = "operation" if guide.kind == "openapi" else "root field"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{digest}'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Migration guide: {_e(_label(guide.old, guide.old_version))} → "
        f"{_e(_label(guide.new, guide.new_version))}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Migration guide{_e(' for ' + guide.consumer) if guide.consumer else ''}</h1>",
        f'<p class="muted">From <code>{_e(guide.old.source)}</code>'
        f"{f' ({_e(guide.old_version)})' if guide.old_version else ''} to <code>{_e(guide.new.source)}</code>"
        f"{f' ({_e(guide.new_version)})' if guide.new_version else ''}, {_e(guide.mode.value)} compatibility.</p>",
        f"<p>{_e(summary)}{f' {_e(how)}' if how else ''}</p>",
    ]
    if guide.sections:
        out += [f'<table><thead><tr><th>{_e(noun)}</th><th>breaking</th><th>dangerous</th></tr></thead><tbody>']
        for i, section in enumerate(guide.sections):
            name = f"<code>{_e(section.title)}</code>" if section.key else _e(section.title)
            out.append(f'<tr><td><a href="#s{i + 1}">{name}</a></td><td class="n">'
                       f'{section.count(Severity.BREAKING)}</td><td class="n">{section.count(Severity.DANGEROUS)}'
                       "</td></tr>")
        out.append("</tbody></table>")
    for i, section in enumerate(guide.sections):
        name = f"<code>{_e(section.title)}</code>" if section.key else _e(section.title)
        out.append(f'<section id="s{i + 1}">')
        out.append(f"<h2>{name}</h2>")
        if section.description:
            out.append(f'<p class="muted">{_e(section.description)}</p>')
        for entry in section.entries:
            ch = entry.change
            sev = ch.severity.value
            loc = ch.new_location or ch.old_location
            meta = [f"<code>{_e(ch.id)}</code>", f"<code>{_e(ch.subject)}</code>"]
            if loc is not None:
                meta.append(f"<code>{_e(loc)}</code>")
            out.append(f'<article class="{_e(sev)}">')
            out.append(f'<h3><span class="badge {_e(sev)}">{_e(sev)}</span>{_e(ch.message)}</h3>')
            out.append(f'<p class="meta">{" · ".join(meta)}</p>')
            out.append(f"<p><strong>What to do:</strong> {_html_rich(entry.todo)}</p>")
            if entry.before is not None or entry.after is not None:
                out.append('<div class="examples">')
                out.append(_figure(f"Before ({old_side})", entry.before, entry.before_note or ""))
                out.append(_figure(f"After ({new_side})", entry.after, entry.after_note or ""))
                out.append("</div>")
            out.append("</article>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


# -- the verb -----------------------------------------------------------------------------------

def guide(old: Any, new: Any, *, format: str = "markdown", today: date | None = None, consumer: str | None = None,
          **compare_kwargs: Any) -> str:
    """Load both sides, compare them and render the migration guide as ``markdown`` or ``html``.

    ``compare_kwargs`` go to :func:`apidiff.compare` (``mode``, ``config``, ``allow_remote_refs``,
    ``usage`` …); with ``usage``, ``consumer`` narrows the guide to that consumer's part.
    """
    from apidiff.api import compare, load

    if format not in ("markdown", "md", "html"):
        raise ValueError(f"unknown guide format {format!r}; expected markdown or html")
    options: dict[str, Any] = {"allow_remote_refs": bool(compare_kwargs.get("allow_remote_refs", False))}
    config = compare_kwargs.get("config")
    if config is not None:
        options["sunset_extension"] = config.sunset_extension
    old_api, new_api = load(old, **options), load(new, **options)
    report = compare(old_api, new_api, today=today, **compare_kwargs)
    if consumer is not None and report.impact is None:
        from apidiff.core.errors import UsageError

        raise UsageError("a guide for one consumer needs its usage: add --usage")
    built = build_guide(report, old_api, new_api, consumer)
    return render_html(built) if format == "html" else render_markdown(built)

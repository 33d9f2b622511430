"""The GraphQL planner of deprecation plans (see :mod:`apidiff.core.plan` for the phases, the
strategies and the JSON form): where an element is (file, line, schema coordinate), how it is marked
deprecated (the ``@deprecated`` directive, whose reason names the removal date), which root fields
reach it, and the expand phase's SDL edits.

Edit ops: ``deprecate`` (put the ``@deprecated`` directive ``value`` on the element at the schema
coordinate ``target``, replacing one already there; a required argument or input field becomes
nullable, as the GraphQL spec requires), ``add-field`` (the SDL ``value`` as the last member of type
``target``), ``add-argument`` (the SDL ``value`` as the last argument of field ``target``) and
``add-definition`` (the SDL ``value`` appended to the document). :func:`apply_expand` applies them to
the SDL in place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from apidiff.core.change import Change
from apidiff.core.direction import Direction
from apidiff.core.format import LoadOptions
from apidiff.core.location import Location
from apidiff.core.model import Api, Deprecation
from apidiff.core.plan import (
    OPERATIONS_SHOWN,
    Dates,
    Design,
    Edit,
    Planner,
    Snippet,
    fresh_name,
    rule_of,
    some,
    staged_requests,
)
from apidiff.core.result import Report
from apidiff.formats.graphql.fedplan import ROLLOUTS, design_rollout
from apidiff.formats.graphql.model import EnumValue, Field, GraphQLApi, InputValue, TypeDef, TypeKind

__all__ = ["apply_expand", "deprecated_directive", "graphql_element", "planner", "sdl_type"]

_BUILTIN_SCALARS = frozenset({"Boolean", "Float", "ID", "Int", "String"})


def planner(old: Api, new: Api, report: Report, options: LoadOptions) -> Planner:
    """The planner for a comparison of two GraphQL schemas (``options`` change nothing here)."""
    if not isinstance(old, GraphQLApi) or not isinstance(new, GraphQLApi):
        raise TypeError("the GraphQL planner plans changes between two GraphQL schemas")
    return _GraphQLPlanner(old, new, report)


_COORDINATE = re.compile(r"^(?P<type>[_A-Za-z]\w*)(?:\.(?P<member>[_A-Za-z]\w*)(?:\((?P<arg>[_A-Za-z]\w*):\))?)?$")
_ELEMENTS = {"field": "field", "argument": "argument", "input-field": "input field", "enum-value": "enum value",
             "type": "type"}

GraphQLElement = TypeDef | Field | InputValue | EnumValue


def graphql_element(api: GraphQLApi, coordinate: str) -> GraphQLElement | None:
    """The element a schema coordinate names (``Type``, ``Type.field``, ``Type.field(arg:)``)."""
    m = _COORDINATE.match(coordinate)
    if m is None:
        return None
    t = api.types.get(m["type"])
    if t is None or m["member"] is None:
        return t
    member = m["member"]
    if t.kind is TypeKind.ENUM:
        return t.values.get(member)
    if t.kind is TypeKind.INPUT_OBJECT:
        return t.input_fields.get(member)
    f = t.fields.get(member)
    if f is None or m["arg"] is None:
        return f
    return f.args.get(m["arg"])


def _graphql_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid GraphQL string


def deprecated_directive(reason: str) -> str:
    return f"@deprecated(reason: {_graphql_string(reason)})"


def _is_required(value: InputValue) -> bool:
    return value.type.non_null and value.default is None


def _sdl_input(value: InputValue, *, name: str | None = None, nullable: bool = False,
               directive: str | None = None) -> str:
    type_ = value.type.unwrap() if nullable and value.type.non_null else value.type
    text = f"{name or value.name}: {type_}"
    if value.default is not None:
        text += f" = {value.default}"
    for applied in value.applied.values():
        text += f" {applied}"
    if directive:
        text += f" {directive}"
    elif value.deprecation is not None:
        text += " " + deprecated_directive(value.deprecation.reason or "No longer supported")
    return text


def _sdl_field(f: Field, *, name: str | None = None, directive: str | None = None,
               arg_directives: Mapping[str, str] | None = None, extra_args: Sequence[str] = ()) -> str:
    arg_directives = arg_directives or {}
    args = [_sdl_input(a, directive=arg_directives.get(a.name), nullable=a.name in arg_directives)
            for a in f.args.values()]
    args += extra_args
    text = f"{name or f.name}({', '.join(args)}): {f.type}" if args else f"{name or f.name}: {f.type}"
    for applied in f.applied.values():
        text += f" {applied}"
    if directive:
        text += f" {directive}"
    elif f.deprecation is not None:
        text += " " + deprecated_directive(f.deprecation.reason or "No longer supported")
    return text


def _sdl_enum_value(v: EnumValue, directive: str | None = None) -> str:
    text = v.name + "".join(f" {a}" for a in v.applied.values())
    if directive:
        text += f" {directive}"
    elif v.deprecation is not None:
        text += " " + deprecated_directive(v.deprecation.reason or "No longer supported")
    return text


_KEYWORDS = {TypeKind.OBJECT: "type", TypeKind.INTERFACE: "interface", TypeKind.INPUT_OBJECT: "input",
             TypeKind.ENUM: "enum", TypeKind.UNION: "union", TypeKind.SCALAR: "scalar"}


def sdl_type(t: TypeDef) -> str:
    """SDL for a type of the model (descriptions and applied directives included)."""
    lines = [f'"""{t.description}"""'] if t.description and '"""' not in t.description else []
    head = f"{_KEYWORDS[t.kind]} {t.name}"
    if t.interfaces:
        head += " implements " + " & ".join(t.interfaces)
    head += "".join(f" {a}" for a in t.applied.values())
    if t.one_of:
        head += " @oneOf"
    if t.specified_by:
        head += f" @specifiedBy(url: {_graphql_string(t.specified_by)})"
    if t.kind is TypeKind.SCALAR:
        return "\n".join([*lines, head])
    if t.kind is TypeKind.UNION:
        return "\n".join([*lines, f"{head} = {' | '.join(t.members)}"])
    if t.kind is TypeKind.ENUM:
        body = [_sdl_enum_value(v) for v in t.values.values()]
    elif t.kind is TypeKind.INPUT_OBJECT:
        body = [_sdl_input(v) for v in t.input_fields.values()]
    else:
        body = [_sdl_field(f) for f in t.fields.values()]
    return "\n".join([*lines, head + " {", *(f"  {b}" for b in body), "}"])


def _type_refs(t: TypeDef) -> list[str]:
    refs = [f.type.name for f in t.fields.values()]
    refs += [a.type.name for f in t.fields.values() for a in f.args.values()]
    refs += [v.type.name for v in t.input_fields.values()]
    refs += [*t.members, *t.interfaces]
    return refs


class _GraphQLPlanner:
    """Plans GraphQL changes (see :class:`apidiff.core.plan.Planner`) from the models of both schemas."""

    type_changes = frozenset({"field-type-changed", "field-became-nullable", "argument-type-changed",
                              "input-field-type-changed"})
    required_later = frozenset({
        "argument-added-required", "input-field-added-required",
        "argument-became-non-nullable", "input-field-became-non-nullable",
    })
    rollouts = ROLLOUTS
    after_sunset_ids: Mapping[str, str] = {"field": "field-removed-after-sunset",
                                           "argument": "argument-removed-after-sunset",
                                           "input field": "input-field-removed-after-sunset"}

    def __init__(self, old: GraphQLApi, new: GraphQLApi, report: Report) -> None:
        self.old, self.new, self.report = old, new, report
        self.referrers: dict[int, dict[str, set[str]]] = {}
        # indexes built once, not a scan of the schema per plan item
        self._root_fields: dict[int, tuple[list[str], dict[str, list[int]]]] = {}
        self._type_users: dict[str, list[tuple[str, GraphQLElement]]] | None = None
        self._positions: dict[str, dict[str, int]] = {}

    def prefetch(self, changes: Sequence[Change]) -> None:
        pass  # GraphQL locations carry their lines

    def existing(self, change: Change) -> Deprecation | None:
        element = graphql_element(self.old, change.subject)
        return getattr(element, "deprecation", None) if element is not None else None

    @staticmethod
    def element_kind(change: Change) -> str:
        rule = rule_of(change.id)
        kind = rule.kind if rule is not None else ""
        if kind == "type" or (kind == "" and "." not in change.subject):
            return "type"
        return _ELEMENTS.get(kind, kind.replace("-", " ") or "element")

    def where(self, loc: Location | None, coordinate: str) -> str:
        if loc is None:
            return "n/a"
        at = f" line {loc.line}" if loc.line else ""
        return f"`{loc.file}`{at}, at `{coordinate}`"

    def reason(self, replacement: str | None, dates: Dates, existing: Deprecation | None) -> str:
        when = f"Removal after {dates.sunset.isoformat()}."
        if replacement:
            return f"Use `{replacement}`. {when}"
        if existing is not None and existing.reason:
            return f"{existing.reason.rstrip()} {when}"
        return f"No longer supported. {when}"

    def design(self, change: Change, strategy: str, dates: Dates) -> Design:
        element = self.element_kind(change)
        loc = change.old_location or change.new_location
        d = Design(strategy=strategy, element=element,
                    where=self.where(change.old_location, change.subject) if change.old_location else
                    f"{self.where(change.new_location, change.subject)} in the new document")
        d.operations = self.operations(change.subject, self.old if change.old_location else self.new)
        owner = self.old.types.get(change.subject.split(".", 1)[0].split("(", 1)[0])
        file = owner.location.file if owner is not None else (loc.file if loc and change.old_location
                                                              else self.old.source)
        if strategy == "staged-rollout":
            return design_rollout(change, d, self.new)
        old_element = graphql_element(self.old, change.subject)
        if strategy == "deprecate-then-remove" and old_element is not None:
            self.plan_removal(change, d, file, old_element, dates)
        elif strategy == "add-new-then-remove-old" and old_element is not None and self.plan_replacement(
                change, d, file, old_element, dates):
            pass
        elif strategy == "optional-then-required":
            self.plan_required_later(change, d, file)
        else:
            d.strategy = "announce-then-apply"
            d.contract_snippets = self.final_state(change)
        d.expand_snippets = self.snippets(d.edits, d)
        d.headers_where = self.headers_where(change, d)
        return d

    def deprecate(self, file: str, coordinate: str, element: GraphQLElement, reason: str, d: Design) -> None:
        existing = getattr(element, "deprecation", None)
        if existing is not None and existing.sunset is not None and existing.reason and not d.replacement:
            return  # already deprecated with a removal date
        owner = self.old.types.get(coordinate.split(".", 1)[0])
        file = owner.location.file if owner is not None else file  # a folder of SDL files: the type's own file
        d.edits.append(Edit(file=file, op="deprecate", target=coordinate, value=deprecated_directive(reason)))
        d.marker = _code(deprecated_directive(reason))
        if isinstance(element, InputValue) and _is_required(element):
            d.expand_steps.append(f"Make `{coordinate}` nullable as well: GraphQL does not allow deprecating a "
                                  "required argument or input field (making it nullable is safe).")

    def plan_removal(self, change: Change, d: Design, file: str, element: GraphQLElement, dates: Dates) -> None:
        reason = self.reason(None, dates, getattr(element, "deprecation", None))
        if isinstance(element, TypeDef):
            users = self.type_users(element.name)
            for coordinate, user in users:
                self.deprecate(file, coordinate, user, reason, d)
            d.marker = (f"a type cannot carry `@deprecated`; deprecate what uses it instead: {_code(reason)}"
                        if users else "")
            d.recognised = False
            d.expand_steps.append("A GraphQL type cannot be deprecated itself: the fields, arguments and input "
                                  "fields that use it are deprecated instead." if users else
                                  "No field, argument or input field uses this type: removing it affects only "
                                  "clients that name it in fragments.")
            return
        self.deprecate(file, change.subject, element, reason, d)

    def plan_replacement(self, change: Change, d: Design, file: str, element: GraphQLElement,
                         dates: Dates) -> bool:
        if isinstance(element, (TypeDef, EnumValue)):
            return False
        m = _COORDINATE.match(change.subject)
        assert m is not None
        renamed = change.args.get("renamed_to")
        new_element = graphql_element(self.new, str(renamed) if renamed else change.subject)
        if new_element is None or isinstance(new_element, (TypeDef, EnumValue)):
            return False
        if renamed:
            rm = _COORDINATE.match(str(renamed))
            assert rm is not None
            new_name = rm["arg"] or rm["member"]
        else:
            owner = self.old.types[m["type"]]
            taken = set(owner.fields) | set(owner.input_fields)
            if m["arg"]:
                taken = set(owner.fields[m["member"]].args)
            new_name = fresh_name(element.name, taken)
            d.suggested_name = True
        d.replacement = f"{m['type']}.{m['member']}({new_name}:)" if m["arg"] else f"{m['type']}.{new_name}"
        if m["arg"]:
            assert isinstance(new_element, InputValue)
            text = _sdl_input(new_element, name=new_name, nullable=True)
            self.add(file, "add-argument", f"{m['type']}.{m['member']}", text, d)
        elif isinstance(new_element, Field):
            self.add(file, "add-field", m["type"], _sdl_field(new_element, name=new_name), d)
        else:
            assert isinstance(new_element, InputValue)
            self.add(file, "add-field", m["type"], _sdl_input(new_element, name=new_name, nullable=True), d)
        self.add_missing_types(file, new_element, d)
        self.deprecate(file, change.subject, element, self.reason(new_name, dates, None), d)
        # the additions come first in the text, the deprecation first in the list: order them for reading
        d.edits.sort(key=lambda e: {"deprecate": 0, "add-argument": 1, "add-field": 1}.get(e.op, 2))
        return True

    def add(self, file: str, op: str, target: str, text: str, d: Design) -> None:
        d.edits.append(Edit(file=file, op=op, target=target, value=text))

    def add_missing_types(self, file: str, element: Field | InputValue, d: Design) -> None:
        wanted = [element.type.name] + ([a.type.name for a in element.args.values()]
                                        if isinstance(element, Field) else [])
        seen: set[str] = set()
        added = []
        while wanted:
            name = wanted.pop(0)
            if name in seen or name in self.old.types or name in _BUILTIN_SCALARS:
                continue
            seen.add(name)
            t = self.new.types.get(name)
            if t is None:
                continue
            added.append(name)
            self.add(file, "add-definition", name, sdl_type(t), d)
            wanted.extend(_type_refs(t))
        if added:
            d.expand_steps.append("Also add the types it needs, which the old schema lacks: "
                                  + ", ".join(f"`{n}`" for n in added) + ".")

    def plan_required_later(self, change: Change, d: Design, file: str) -> None:
        if "-added-" in change.id:
            m = _COORDINATE.match(change.subject)
            new_element = graphql_element(self.new, change.subject)
            if m is not None and isinstance(new_element, InputValue):
                text = _sdl_input(new_element, nullable=True)
                if m["arg"]:
                    self.add(file, "add-argument", f"{m['type']}.{m['member']}", text, d)
                else:
                    self.add(file, "add-field", m["type"], text, d)
                d.where = f"`{file}`, in `{m['type']}`" + (f".`{m['member']}`" if m["arg"] else "")
        d.contract_snippets = self.final_state(change)

    def final_state(self, change: Change) -> list[Snippet]:
        m = _COORDINATE.match(change.subject)
        element = graphql_element(self.new, change.subject)
        if m is None or element is None or isinstance(element, TypeDef):
            return []
        owner = self.new.types[m["type"]]
        if isinstance(element, Field):
            line = _sdl_field(element)
        elif isinstance(element, EnumValue):
            line = _sdl_enum_value(element)
        elif m["arg"]:
            line = _sdl_field(owner.fields[m["member"]])
        else:
            line = _sdl_input(element)
        loc = change.new_location
        return [Snippet(language="graphql", code=_in_type(owner, [line]),
                        caption="The new definition, to apply after the sunset" + (
                            f": `{loc.file}` line {loc.line}" if loc and loc.line else ""),
                        file=loc.file if loc else None, target=change.subject, line=loc.line if loc else None)]

    def snippets(self, edits: Sequence[Edit], d: Design) -> list[Snippet]:
        """The expand edits as SDL, one snippet per type (in the context of that type)."""
        by_type: dict[str, dict[str, Any]] = {}
        out = []
        for e in edits:
            if e.op == "add-definition":
                continue
            m = _COORDINATE.match(e.target)
            assert m is not None
            entry = by_type.setdefault(m["type"], {"deprecate": {}, "args": {}, "fields": []})
            if e.op == "deprecate":
                entry["deprecate"][(m["member"], m["arg"])] = e.value
            elif e.op == "add-argument":
                entry["args"].setdefault(m["member"], []).append(e.value)
            else:
                entry["fields"].append(e.value)
        for type_name, entry in by_type.items():
            t = self.old.types.get(type_name)
            if t is None:
                continue
            lines = []
            members: Mapping[str, Any] = (t.values if t.kind is TypeKind.ENUM else
                                          t.input_fields if t.kind is TypeKind.INPUT_OBJECT else t.fields)
            by_member: dict[str, dict[str, Any]] = {}
            for (member, arg), v in entry["deprecate"].items():
                if arg is not None:
                    by_member.setdefault(member, {})[arg] = v
            # the members the edits name, in the type's order (not a walk of all members per item)
            position = self._positions.get(type_name)
            if position is None:
                position = self._positions[type_name] = {name: i for i, name in enumerate(members)}
            named = {member for member, _ in entry["deprecate"]} | set(entry["args"])
            for name in sorted((n for n in named if n in position), key=position.__getitem__):
                directive = entry["deprecate"].get((name, None))
                arg_directives = by_member.get(name, {})
                extra = entry["args"].get(name, [])
                if directive is None and not arg_directives and not extra:
                    continue
                if t.kind is TypeKind.ENUM:
                    lines.append(_sdl_enum_value(t.values[name], directive))
                elif t.kind is TypeKind.INPUT_OBJECT:
                    value = t.input_fields[name]
                    lines.append(_sdl_input(value, directive=directive, nullable=directive is not None))
                else:
                    lines.append(_sdl_field(t.fields[name], directive=directive, arg_directives=arg_directives,
                                            extra_args=extra))
            lines += entry["fields"]
            loc = t.location
            out.append(Snippet(language="graphql", code=_in_type(t, lines, elided=len(lines) < _count(t)),
                               caption=f"In the old schema: `{loc.file}` line {loc.line}, type `{type_name}`",
                               file=loc.file, target=type_name, line=loc.line))
        for e in edits:
            if e.op == "add-definition":
                out.append(Snippet(language="graphql", code=str(e.value),
                                   caption=f"Add to the old schema (`{e.file}`): type `{e.target}`", file=e.file,
                                   target=e.target))
        return out

    # the traffic
    def type_users(self, name: str) -> list[tuple[str, GraphQLElement]]:
        """The fields, arguments and input fields of the old schema whose type is ``name``, by coordinate."""
        if self._type_users is None:  # one walk of the schema for every type asked about
            index: dict[str, list[tuple[str, GraphQLElement]]] = {}
            for t in self.old.types.values():
                for f in t.fields.values():
                    index.setdefault(f.type.name, []).append((f"{t.name}.{f.name}", f))
                    for a in f.args.values():
                        index.setdefault(a.type.name, []).append((f"{t.name}.{f.name}({a.name}:)", a))
                for v in t.input_fields.values():
                    index.setdefault(v.type.name, []).append((f"{t.name}.{v.name}", v))
            self._type_users = index
        return sorted(self._type_users.get(name, ()), key=lambda x: x[0])

    def operations(self, subject: str, api: GraphQLApi) -> tuple[str, ...]:
        """The root fields (``Query.book``) whose requests or responses reach the element."""
        m = _COORDINATE.match(subject)
        if m is None:
            return ()
        roots = {r.target for r in api.roots.values() if r.target}
        if m["type"] in roots and m["member"]:
            return (f"{m['type']}.{m['member']}",)
        users = self.referrers.get(id(api))
        if users is None:
            users = self.referrers[id(api)] = {}
            for t in api.types.values():
                for ref in _type_refs(t):
                    users.setdefault(ref, set()).add(t.name)
                for iface in t.interfaces:  # reaching the interface reaches its implementations
                    users.setdefault(t.name, set()).add(iface)
        reach = {m["type"]}
        stack = [m["type"]]
        while stack:
            for user in users.get(stack.pop(), ()):
                if user not in reach:
                    reach.add(user)
                    stack.append(user)
        fields = self._root_fields.get(id(api))
        if fields is None:  # the root fields in order, and which of them each type name is used by
            coordinates: list[str] = []
            used_by: dict[str, list[int]] = {}
            for root in sorted(roots):
                root_type = api.types.get(root)
                for f in root_type.fields.values() if root_type else ():
                    for type_name in {f.type.name, *(a.type.name for a in f.args.values())}:
                        used_by.setdefault(type_name, []).append(len(coordinates))
                    coordinates.append(f"{root}.{f.name}")
            fields = self._root_fields[id(api)] = (coordinates, used_by)
        coordinates, used_by = fields
        return tuple(coordinates[i] for i in sorted({i for name in reach for i in used_by.get(name, ())}))

    def headers_where(self, change: Change, d: Design) -> str:
        uses = staged_requests(change, d)
        if uses:
            pass
        elif d.element == "enum value":
            uses = f"that can send or receive `{change.subject}`"
        elif change.direction is Direction.INPUT:
            uses = f"that pass `{change.subject}`"
        else:
            uses = f"that select `{change.subject}`"
        ops = some(d.operations, OPERATIONS_SHOWN)  # named once in the item's facts; a few here
        reach = f"the {len(d.operations)} root fields" if len(d.operations) > OPERATIONS_SHOWN else "the root fields"
        d.migrate_steps.append("GraphQL serves every operation on one endpoint, which is not itself deprecated: "
                               "send the headers only on those responses (check the request in the resolver, or "
                               "with a validation rule)"
                               + (f"; {reach} that can reach `{change.subject}`: {ops}." if ops else "."))
        return f"responses to requests {uses}"


def _code(text: str) -> str:
    """Inline Markdown code for ``text``, which may hold backticks itself."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _count(t: TypeDef) -> int:
    return len(t.values) + len(t.input_fields) + len(t.fields)


def _in_type(t: TypeDef, lines: Sequence[str], elided: bool = True) -> str:
    keyword = _KEYWORDS[t.kind]
    body = (["  # … the other members stay as they are"] if elided else []) + [f"  {line}" for line in lines]
    return "\n".join([f"{keyword} {t.name} {{", *body, "}"])


# -- applying the expand phase -------------------------------------------------------------------------


def apply_expand(text: str, edits: Sequence[Edit]) -> str:
    """The old SDL ``text`` with the expand phase's ``edits`` applied, in place (the rest of the
    text, comments included, stays as it is)."""
    return _apply_graphql(text, edits)


def _apply_graphql(text: str, edits: Sequence[Edit]) -> str:
    from graphql import parse
    from graphql.language import ast

    document = parse(text)
    patches: list[tuple[int, int, str, int]] = []

    def definition(name: str, with_members: bool = False) -> Any:
        found = [d for d in document.definitions
                 if isinstance(d, (ast.TypeDefinitionNode, ast.TypeExtensionNode)) and d.name.value == name]
        if with_members:
            found = [d for d in found if getattr(d, "fields", None) or getattr(d, "values", None)] or found
        if not found:
            raise ValueError(f"type {name} is not in this document")
        return found[0]

    def member(coordinate: str) -> Any:
        m = _COORDINATE.match(coordinate)
        if m is None or m["member"] is None:
            raise ValueError(f"not a member coordinate: {coordinate}")
        for d in document.definitions:
            if not isinstance(d, (ast.TypeDefinitionNode, ast.TypeExtensionNode)) or d.name.value != m["type"]:
                continue
            for node in (getattr(d, "fields", None) or getattr(d, "values", None) or ()):
                if node.name.value != m["member"]:
                    continue
                if m["arg"] is None:
                    return node
                for arg in node.arguments or ():
                    if arg.name.value == m["arg"]:
                        return arg
        raise ValueError(f"{coordinate} is not in this document")

    for seq, e in enumerate(edits):
        value = str(e.value)
        if e.op == "add-definition":
            patches.append((len(text), len(text), "\n" + value + "\n", seq))
        elif e.op == "deprecate":
            node = member(e.target)
            old = next((d for d in node.directives or () if d.name.value == "deprecated"), None)
            if old is not None:
                patches.append((old.loc.start, old.loc.end, value, seq))
            else:
                patches.append((node.loc.end, node.loc.end, " " + value, seq))
            if (isinstance(node, ast.InputValueDefinitionNode) and isinstance(node.type, ast.NonNullTypeNode)
                    and node.default_value is None):
                outer, inner = node.type.loc, node.type.type.loc
                assert outer is not None and inner is not None
                patches.append((outer.start, outer.end, text[inner.start:inner.end], seq))
        elif e.op == "add-field":
            d = definition(e.target, with_members=True)
            members = getattr(d, "fields", None) or getattr(d, "values", None) or ()
            if members:
                last = members[-1]
                line_start = text.rfind("\n", 0, last.loc.start) + 1
                indent = text[line_start:last.loc.start]
                indent = indent if indent.strip() == "" else "  "
                patches.append((last.loc.end, last.loc.end, "\n" + indent + value, seq))
            else:
                patches.append((d.loc.end, d.loc.end, " {\n  " + value + "\n}", seq))
        elif e.op == "add-argument":
            node = member(e.target)
            if node.arguments:
                end = node.arguments[-1].loc.end
                patches.append((end, end, ", " + value, seq))
            else:
                patches.append((node.name.loc.end, node.name.loc.end, f"({value})", seq))
        else:
            raise ValueError(f"unknown GraphQL edit {e.op!r}")
    out = []
    pos = 0
    for start, end, replacement, _ in sorted(patches, key=lambda p: (p[0], p[3])):
        if start < pos:
            raise ValueError("overlapping edits")
        out += [text[pos:start], replacement]
        pos = end
    out.append(text[pos:])
    return "".join(out)

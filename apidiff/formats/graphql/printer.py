"""The type graph as SDL: what ``apidiff api-schema`` prints (a federated graph's client-facing schema).

Types, fields and values are printed in the graph's order (types sorted by name, as loaded), with
descriptions, ``@deprecated``, ``@specifiedBy``, ``@oneOf``, default values and the directives applied
that the graph keeps; directive definitions first, then the schema definition when its roots are not
the default names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from apidiff.formats.graphql.load import DEFAULT_DEPRECATION_REASON, ROOT_DEFAULTS
from apidiff.formats.graphql.model import AppliedDirective, Deprecation, GraphQLApi, InputValue, TypeDef, TypeKind


def _description(text: str | None, indent: str) -> list[str]:
    if text is None:
        return []
    if "\n" not in text:
        one = f'"""{text}"""' if not text.endswith('"') and '"""' not in text else json.dumps(text)
        return [indent + one]
    body = text.replace('"""', '\\"""')
    return [f'{indent}"""', *(f"{indent}{line}" if line else "" for line in body.split("\n")), f'{indent}"""']


def _marks(deprecation: Deprecation | None, applied: Mapping[str, AppliedDirective]) -> str:
    out = ""
    if deprecation is not None:
        reason = deprecation.reason
        out += " @deprecated" if reason in (None, DEFAULT_DEPRECATION_REASON) else \
            f" @deprecated(reason: {json.dumps(reason)})"
    for d in applied.values():
        out += f" {d}"
    return out


def _args(values: Mapping[str, InputValue]) -> str:
    if not values:
        return ""
    return "(" + ", ".join(_input_value(v) for v in values.values()) + ")"


def _input_value(v: InputValue) -> str:
    default = f" = {v.default}" if v.default is not None else ""
    desc = f"{json.dumps(v.description)} " if v.description else ""
    return f"{desc}{v.name}: {v.type}{default}{_marks(v.deprecation, v.applied)}"


def _type(t: TypeDef) -> list[str]:
    lines = _description(t.description, "")
    head = {TypeKind.SCALAR: "scalar", TypeKind.OBJECT: "type", TypeKind.INTERFACE: "interface",
            TypeKind.UNION: "union", TypeKind.ENUM: "enum", TypeKind.INPUT_OBJECT: "input"}[t.kind] + f" {t.name}"
    if t.interfaces:
        head += " implements " + " & ".join(t.interfaces)
    if t.specified_by is not None:
        head += f" @specifiedBy(url: {json.dumps(t.specified_by)})"
    if t.one_of:
        head += " @oneOf"
    head += _marks(None, t.applied)
    if t.kind is TypeKind.SCALAR:
        return [*lines, head]
    if t.kind is TypeKind.UNION:
        return [*lines, head + (" = " + " | ".join(t.members) if t.members else "")]
    body: list[str] = []
    if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
        for f in t.fields.values():
            body += _description(f.description, "  ")
            body.append(f"  {f.name}{_args(f.args)}: {f.type}{_marks(f.deprecation, f.applied)}")
    elif t.kind is TypeKind.INPUT_OBJECT:
        for v in t.input_fields.values():
            body += _description(v.description, "  ")
            body.append(f"  {_input_value(_without_description(v))}")
    else:
        for e in t.values.values():
            body += _description(e.description, "  ")
            body.append(f"  {e.name}{_marks(e.deprecation, e.applied)}")
    return [*lines, head + " {", *body, "}"] if body else [*lines, head]


def _without_description(v: InputValue) -> InputValue:
    import dataclasses

    return dataclasses.replace(v, description=None)


def print_sdl(api: GraphQLApi) -> str:
    """The schema as SDL text."""
    blocks: list[list[str]] = []
    for d in api.directives.values():
        head = _description(d.description, "")
        head.append(f"directive @{d.name}{_args(d.args)}{' repeatable' if d.repeatable else ''} on "
                    + " | ".join(d.locations))
        blocks.append(head)
    roots = {op: m.target for op, m in api.roots.items()}
    if any(ROOT_DEFAULTS.get(op) != target for op, target in roots.items()):
        blocks.append(["schema {", *(f"  {op}: {target}" for op, target in roots.items()), "}"])
    blocks.extend(_type(t) for t in _user_types(api.types.values()))
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def _user_types(types: Iterable[TypeDef]) -> Iterable[TypeDef]:
    return (t for t in types if t.location.file != "<builtin>")

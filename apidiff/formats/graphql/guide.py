"""The migration guide of GraphQL schemas: the places are the root fields, with example operations.

A change to a type (``Book.price``) reaches every root field that uses the type, in the direction
where it matters (an enum value added matters where the enum is read, not where it is sent); the
guide lists it once, in the section of its type, with those root fields and one example: an
operation through one of them valid on the old schema, and one valid on the new schema (see
:mod:`apidiff.formats.graphql.samples`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from apidiff.core.change import Change, Mode
from apidiff.core.direction import Direction
from apidiff.core.guide import NO_FOCUS, Entry, Focus, Places, Snippet, sunset_why, todo
from apidiff.core.guide import code as _c
from apidiff.core.guide import family as _family
from apidiff.core.guide import hint as _hint
from apidiff.core.guide import instead as _instead
from apidiff.core.guide import plain as _plain
from apidiff.core.guide import rollback as _rollback
from apidiff.core.model import Api, Deprecation
from apidiff.core.places import relevant, rule_tables
from apidiff.core.places import sides as _sides
from apidiff.formats.graphql.model import GraphQLApi, TypeKind
from apidiff.formats.graphql.samples import OMIT, GraphQLIndex, GraphQLSampler, Sel, Step

__all__ = ["places"]

_SIDES = (Direction.INPUT, Direction.OUTPUT)


def places(old: Api, new: Api, mode: Mode) -> Places:
    """The places of the guide between two GraphQL schemas: their root fields."""
    return _GraphQL(cast(GraphQLApi, old), cast(GraphQLApi, new), mode)


# -- what to do ---------------------------------------------------------------------------------

def _kind(change: Change) -> str:
    rule = rule_tables()[0].get(change.id)
    return str(rule.kind) if rule is not None else ""


def _todo(change: Change, direction: Direction, replacement: str | None, it: str) -> str | None:
    """What to do about a GraphQL change (see :func:`~apidiff.core.guide.todo`); ``None``: the generic text."""
    a = change.args
    rid, fam, x = change.id, _family(change.id), change.subject
    sends = direction is Direction.INPUT
    renamed_to = a.get("renamed_to")
    instead = _instead(change, direction, replacement)
    why = sunset_why(rid)
    old, new = a.get("old"), a.get("new")

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
    return None


def _owner(coordinate: str) -> str:
    return coordinate.split(".", 1)[0]


def _member(coordinate: str) -> str:
    return coordinate.rsplit(".", 1)[-1].split("(", 1)[0]



# -- places and examples ------------------------------------------------------------------------

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

    noun = "root field"
    usage_unit = "operations"

    def __init__(self, old: GraphQLApi, new: GraphQLApi, mode: Mode) -> None:
        self.old, self.new, self.mode = old, new, mode
        self.base = new if mode is Mode.FORWARD else old
        self._index: dict[int, GraphQLIndex] = {}
        self.sides = _sides(old, new, mode)
        self._roots: list[tuple[str, str]] | None = None
        self._roots_by_field: dict[str, list[int]] | None = None
        self._root_uses: dict[int, tuple[dict[str, list[int]], dict[str, list[int]]]] = {}
        self._users_of: dict[str, list[int]] = {}

    def narrow(self, operations: Sequence[str]) -> set[str] | None:
        """Every root field a consumer's changes reach: its operations are not root fields."""
        return None

    def group(self, change: Change) -> str:
        """The type the changed element is in (``Book`` for ``Book.price``), else the subject's first word."""
        owner = _parse(change).owner
        return owner or change.subject.split(" ", 1)[0]

    def root_types(self, api: GraphQLApi) -> dict[str, str]:
        """Root type name → operation keyword."""
        return {m.target: op for op, m in api.roots.items() if m.target}

    def roots(self) -> list[tuple[str, str]]:
        """(root type, field) of the side clients use today, queries first (computed once)."""
        if self._roots is None:
            out = []
            for op in _ROOT_ORDER:
                member = self.base.roots.get(op)
                t = self.base.types.get(member.target or "") if member else None
                if t is not None:
                    out += [(t.name, f) for f in t.fields]
            self._roots = out
        return self._roots

    def _uses(self, api: GraphQLApi) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Of the root fields as :meth:`usage` finds them on ``api``: the positions (in :meth:`roots`)
        by the type each returns, and by the type of each of their arguments."""
        found = self._root_uses.get(id(api))
        if found is None:
            by_type: dict[str, list[int]] = {}
            by_arg: dict[str, list[int]] = {}
            for i, (root_type, field) in enumerate(self.roots()):
                side_root = self._on_side(api, root_type)
                t = api.types.get(side_root or "")
                f = t.fields.get(field) if t is not None else None
                if f is not None:
                    by_type.setdefault(f.type.name, []).append(i)
                    for a in f.args.values():
                        by_arg.setdefault(a.type.name, []).append(i)
            found = self._root_uses[id(api)] = (by_type, by_arg)
        return found

    def _users(self, type_name: str) -> list[int]:
        """The positions of the root fields whose :meth:`usage` of ``type_name`` may not be none (a
        superset, in order): found backwards from the type, not by asking every root field."""
        if type_name in self._users_of:
            return self._users_of[type_name]
        out: set[int] = set()
        for api in self.sides:
            index = self.index(api)
            by_type, by_arg = self._uses(api)
            goals = frozenset({type_name}) | index.returning(type_name) \
                | frozenset(index.implementations.get(type_name, ()))
            for names in (index.distances(goals), index.distances(index.arg_owners(type_name))):
                for name in names:
                    out.update(by_type.get(name, ()))
            for name in index.input_users(type_name):
                out.update(by_arg.get(name, ()))
        self._users_of[type_name] = sorted(out)
        return self._users_of[type_name]

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

    def _on_side(self, api: GraphQLApi, root_type: str) -> str | None:
        """The root type on ``api`` for the same operation keyword as ``root_type`` on the base side."""
        keyword = self.root_types(self.base).get(root_type)
        member = api.roots.get(keyword or "")
        return member.target if member is not None else None

    def index(self, api: GraphQLApi) -> GraphQLIndex:
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
            if self._roots_by_field is None:
                self._roots_by_field = {}
                for i, (_, f) in enumerate(roots):
                    self._roots_by_field.setdefault(f, []).append(i)
            named = [roots[i] for i in self._roots_by_field.get(p.member, ())]
            return [(f"{t}.{f}", change.direction) for t, f in named
                    if self.root_types(self.base).get(t) is not None and self._same_root(t, p.owner)]
        dirs = relevant(change, self.mode)
        out = []
        for t, f in (roots[i] for i in self._users(p.owner)):  # the others do not use it: usage none
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
            vb = {coordinate: OMIT} if rid == "argument-became-non-nullable" else {}
            return Focus(frozenset(before), vb), Focus(frozenset(after), va), False
        if p.kind == "input-field":
            coordinate = change.subject
            skip = rid in ("input-field-added-required", "input-field-became-non-nullable",
                           "input-field-default-changed")
            before = {p.owner} | (set() if skip else {coordinate})
            after = {p.owner, coordinate}
            if a.get("renamed_to"):
                after.add(str(a["renamed_to"]))
            va = {coordinate: a["old"]} if rid == "input-field-default-changed" and a.get("old") else {}
            vb = {coordinate: OMIT} if rid == "input-field-became-non-nullable" else {}
            return Focus(frozenset(before), vb), Focus(frozenset(after), va), False
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
        text = todo(change, where, replacement, rollback=_rollback(change, self.mode), texts=_todo)
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

    def operation(self, api: GraphQLApi, other: GraphQLApi, root_type: str, root_field: str, change: Change, p: _Parsed,
                  focus: Focus, variables: bool, direction: Direction, *, after: bool, replacement: str | None,
                  prefer: list[Step] | None = None) -> tuple[str | None, list[Step] | None]:
        """The example operation on one side (``None`` when there is nothing to show there) and the
        path it takes, which the other side reuses when it can."""
        root = api.types.get(root_type)
        if root is None or root_field not in root.fields:
            return None, None
        s = GraphQLSampler(api, focus, other=other, variables=variables, index=self.index(api), prefer=prefer)
        return self._operation(s, api, root_type, root_field, change, p, direction, after, replacement), s.steps

    def _operation(self, s: GraphQLSampler, api: GraphQLApi, root_type: str, root_field: str, change: Change,
                   p: _Parsed, direction: Direction, after: bool, replacement: str | None) -> str | None:
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

    def _members(self, api: GraphQLApi, s: GraphQLSampler, p: _Parsed, change: Change, after: bool) -> list[Sel]:
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

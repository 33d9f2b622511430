"""Examples for the migration guide of GraphQL schemas: operations that select a path to an element.

A :class:`~apidiff.core.guide.Focus` says what an operation must show to illustrate one change:
the elements to include even when optional (named by the coordinates the differ reports:
``Type.field(arg:)``, ``Input.field`` and type names) and the values to put there (a literal, or
:data:`OMIT`: leave the argument or input field out, although the other side requires it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from apidiff.core.guide import DEFAULT_DEPTH, NO_FOCUS, Focus
from apidiff.formats.graphql.model import Field, GraphQLApi, InputValue, TypeDef, TypeKind, TypeRef

__all__ = ["OMIT", "GraphQLIndex", "GraphQLSampler", "Sel", "Step"]


class _Omit:
    """A focus value: leave this argument or input field out."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT: object = _Omit()


@dataclass(slots=True)
class Sel:
    """One line of a selection set: a field with its arguments, an inline fragment or a comment,
    with the selections under it (``None`` for a leaf)."""

    text: str
    children: list[Sel] | None = None


Step = tuple[str, str]  # ("field", "Type.field") or ("on", "Type")

_SCALARS = {"Int": "1", "Float": "1.5", "String": '"string"', "Boolean": "true", "ID": '"1"'}
_LEAF = (TypeKind.SCALAR, TypeKind.ENUM)


class GraphQLIndex:
    """The selection graph of one GraphQL schema, built once and shared by the samplers.

    Paths are found backwards: a breadth-first walk from the goal types over the reversed graph
    gives each type its distance to the goal (one walk per goal set, whatever the number of root
    fields), and a path from a root field follows the distances down. On a schema where almost
    everything is reachable from everything (GitHub's, through ``node``), this keeps the guide
    linear in the number of changes rather than in changes × root fields × types.
    """

    def __init__(self, api: GraphQLApi) -> None:
        self.api = api
        self.implementations: dict[str, list[str]] = {}
        for t in api.types.values():
            for iface in t.interfaces:
                self.implementations.setdefault(iface, []).append(t.name)
        # edges reversed: target -> (source, position among the source's successors, step)
        self._preds: dict[str, list[tuple[str, int, Step]]] | None = None
        self._dist: dict[frozenset[str], dict[str, int]] = {}
        # per goal set: type -> (the first of its successors one step nearer a goal, that type)
        self._hops: dict[frozenset[str], dict[str, tuple[Step, str, int]]] = {}
        self._input_reach: dict[str, frozenset[str]] = {}
        self._returning: dict[str, frozenset[str]] = {}
        self._arg_owners: dict[str, frozenset[str]] = {}
        # reversed edges, built on first use: field type -> owners, argument type -> owners of the
        # field, input field type -> input types holding it (a walk of the schema per name asked
        # about would make the guide O(changes × schema))
        self._field_owners: dict[str, set[str]] | None = None
        self._arg_type_owners: dict[str, set[str]] | None = None
        self._input_holders: dict[str, set[str]] | None = None
        self._input_users: dict[str, frozenset[str]] = {}

    def kind(self, name: str) -> TypeKind | None:
        t = self.api.types.get(name)
        return t.kind if t is not None else None

    def successors(self, type_name: str) -> Iterable[tuple[Step, str]]:
        """Selections from a composite type into composite types: fields, and inline fragments
        on union members and interface implementations."""
        t = self.api.types.get(type_name)
        if t is None:
            return
        if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            for f in t.fields.values():
                if self.kind(f.type.name) not in _LEAF and f.type.name in self.api.types:
                    yield ("field", f"{type_name}.{f.name}"), f.type.name
        if t.kind is TypeKind.UNION:
            for m in t.members:
                yield ("on", m), m
        if t.kind is TypeKind.INTERFACE:
            for m in self.implementations.get(type_name, ()):
                yield ("on", m), m

    def input_types(self, name: str) -> frozenset[str]:
        """Types reachable from input type ``name`` through input fields, itself included."""
        if name in self._input_reach:
            return self._input_reach[name]
        seen: set[str] = set()
        stack = [name]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            t = self.api.types.get(n)
            if t is not None:
                stack.extend(f.type.name for f in t.input_fields.values())
        self._input_reach[name] = frozenset(seen)
        return self._input_reach[name]

    def _reverse(self) -> None:
        field_owners: dict[str, set[str]] = {}
        arg_type_owners: dict[str, set[str]] = {}
        input_holders: dict[str, set[str]] = {}
        for t in self.api.types.values():
            for f in t.fields.values():
                field_owners.setdefault(f.type.name, set()).add(t.name)
                for a in f.args.values():
                    arg_type_owners.setdefault(a.type.name, set()).add(t.name)
            for v in t.input_fields.values():
                input_holders.setdefault(v.type.name, set()).add(t.name)
        self._field_owners, self._arg_type_owners, self._input_holders = field_owners, arg_type_owners, input_holders

    def input_users(self, name: str) -> frozenset[str]:
        """The types whose :meth:`input_types` contain ``name`` (``name`` itself included): the
        walk of :meth:`input_types` backwards."""
        if name in self._input_users:
            return self._input_users[name]
        if self._input_holders is None:
            self._reverse()
        assert self._input_holders is not None
        seen: set[str] = set()
        stack = [name]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            stack.extend(self._input_holders.get(n, ()))
        self._input_users[name] = frozenset(seen)
        return self._input_users[name]

    def returning(self, name: str) -> frozenset[str]:
        """Types with a field of type ``name``."""
        if name not in self._returning:
            if self._field_owners is None:
                self._reverse()
            assert self._field_owners is not None
            self._returning[name] = frozenset(self._field_owners.get(name, ()))
        return self._returning[name]

    def arg_owners(self, name: str) -> frozenset[str]:
        """Types with a field that takes an argument whose type contains ``name``."""
        if name not in self._arg_owners:
            if self._arg_type_owners is None:
                self._reverse()
            assert self._arg_type_owners is not None
            owners: set[str] = set()
            for arg_type in self.input_users(name):
                owners |= self._arg_type_owners.get(arg_type, set())
            self._arg_owners[name] = frozenset(owners)
        return self._arg_owners[name]

    def distances(self, goals: frozenset[str]) -> dict[str, int]:
        """For each type that can reach a goal type by selections, the number of steps."""
        if goals in self._dist:
            return self._dist[goals]
        if self._preds is None:
            preds: dict[str, list[tuple[str, int, Step]]] = {}
            for t in self.api.types.values():
                for i, (step, target) in enumerate(self.successors(t.name)):
                    preds.setdefault(target, []).append((t.name, i, step))
            self._preds = preds
        dist = {g: 0 for g in goals}
        # the step a walk takes from each type: its first successor (in successor order) that is
        # one step nearer, found here once rather than by scanning successors at every walk
        # (a type with 10,000 implementations made each walk 10,000 steps long)
        hops: dict[str, tuple[Step, str, int]] = {}
        frontier = list(goals)
        while frontier:
            nxt = []
            for name in frontier:
                for pred, i, step in self._preds.get(name, ()):
                    if pred not in dist:
                        dist[pred] = dist[name] + 1
                        nxt.append(pred)
                        hops[pred] = (step, name, i)
                    elif dist[pred] == dist[name] + 1 and i < hops[pred][2]:
                        hops[pred] = (step, name, i)
            frontier = nxt
        self._dist[goals] = dist
        self._hops[goals] = hops
        return dist

    def walk(self, root_type: str, root_field: str, goals: frozenset[str]) -> tuple[list[Step], str] | None:
        """The shortest selection path from a root field to a goal type, and that type."""
        root = self.api.types.get(root_type)
        f = root.fields.get(root_field) if root is not None else None
        if f is None:
            return None
        dist = self.distances(goals)
        hops = self._hops[goals]
        current = f.type.name
        if current not in dist:
            return None
        steps: list[Step] = [("field", f"{root_type}.{root_field}")]
        while dist[current] > 0:
            step, current, _ = hops[current]
            steps.append(step)
        return steps, current


@dataclass(slots=True)
class _Members:
    """The arguments of a field or the fields of an input type, indexed."""

    values: list[InputValue]
    position: dict[str, int]
    required: list[int]
    required_names: list[str]
    by_type: dict[str, list[int]]


_MEMBERS: dict[int, tuple[Mapping[str, InputValue], _Members]] = {}
REQUIRED_SHOWN = 50  # required arguments or input fields an example writes out; past it, "…"


def _members(values: Mapping[str, InputValue]) -> _Members:
    """``values`` indexed, kept for the last mappings asked about (with the mapping itself, so that
    an id is not reused while it is cached)."""
    cached = _MEMBERS.get(id(values))
    if cached is not None and cached[0] is values:
        return cached[1]
    listed = list(values.values())
    by_type: dict[str, list[int]] = {}
    for i, v in enumerate(listed):
        by_type.setdefault(v.type.name, []).append(i)
    members = _Members(listed, {name: i for i, name in enumerate(values)},
                       [i for i, v in enumerate(listed) if v.required], [n for n, v in values.items() if v.required],
                       by_type)
    if len(_MEMBERS) >= 256:
        _MEMBERS.clear()
    _MEMBERS[id(values)] = (values, members)
    return members


class GraphQLSampler:
    """GraphQL operations on one schema that select a path to an element, with argument values.

    ``other`` is the schema on the other side of the comparison: arguments it requires are passed
    here too when they exist, so that the before and after operations differ only where the change
    is. With ``variables``, the focused arguments are passed as variables with a default value
    (``query ($genre: Genre = HISTORY)``).
    """

    def __init__(self, api: GraphQLApi, focus: Focus = NO_FOCUS, *, other: GraphQLApi | None = None,
                 variables: bool = False, index: GraphQLIndex | None = None,
                 prefer: list[Step] | None = None) -> None:
        """``prefer``: the path the other side's example took, reused when it is valid here."""
        self.api = api
        self.focus = focus
        self.other = other
        self.variables = variables
        self.index = index if index is not None else GraphQLIndex(api)
        self.prefer = prefer
        self.steps: list[Step] | None = None  # the path of the last example built
        self.declared: dict[str, str] = {}
        self.focus_types = frozenset(t.split(".", 1)[0].split("(", 1)[0] for t in focus.targets)

    def kind(self, name: str) -> TypeKind | None:
        return self.index.kind(name)

    def input_types(self, name: str) -> frozenset[str]:
        return self.index.input_types(name)

    # -- paths --------------------------------------------------------------------------------
    def _follow(self, root_type: str, root_field: str, steps: list[Step]) -> str | None:
        """The type a path ends on, when it is valid on this schema from this root field."""
        if not steps or steps[0] != ("field", f"{root_type}.{root_field}"):
            return None
        current = root_type
        for kind, name in steps:
            t = self.api.types.get(current)
            if t is None:
                return None
            if kind == "field":
                owner, field_name = name.split(".", 1)
                f = t.fields.get(field_name)
                if owner != current or f is None:
                    return None
                current = f.type.name
            else:
                target = self.api.types.get(name)
                if target is None or not (name in t.members or current in target.interfaces):
                    return None
                current = name
        return current

    def _walk(self, root_type: str, root_field: str, goals: frozenset[str]) -> tuple[list[Step], str] | None:
        if self.prefer:
            end = self._follow(root_type, root_field, self.prefer)
            if end is not None and end in goals:
                return list(self.prefer), end
        return self.index.walk(root_type, root_field, goals)

    def path_to(self, root_type: str, root_field: str, target: str) -> list[Step] | None:
        """Steps from the root field to a selection on type ``target``; ``[]`` when ``target`` is
        the root type itself."""
        if target == root_type:
            return []
        found = self._walk(root_type, root_field, frozenset({target}))
        return found[0] if found is not None else None

    def path_to_implementation(self, root_type: str, root_field: str,
                               interface: str) -> tuple[list[Step], str] | None:
        """Steps to a type that implements ``interface`` (where ``... on interface`` is valid)."""
        goals = frozenset(self.index.implementations.get(interface, ()))
        return self._walk(root_type, root_field, goals) if goals else None

    def _path_to_field(self, root_type: str, root_field: str, owners: frozenset[str],
                       test: Callable[[Field], bool]) -> tuple[list[Step], str, str] | None:
        root = self.api.types.get(root_type)
        f = root.fields.get(root_field) if root is not None else None
        if f is None:
            return None
        if test(f):  # the root field itself
            return [], root_type, root_field
        found = self._walk(root_type, root_field, owners)
        if found is None:
            return None
        steps, owner = found
        name = next(g.name for g in self.api.types[owner].fields.values() if test(g))
        return steps, owner, name

    def path_to_returning(self, root_type: str, root_field: str,
                          target: str) -> tuple[list[Step], str, str] | None:
        """Steps to a type, that type and its first field of type ``target``."""
        return self._path_to_field(root_type, root_field, self.index.returning(target),
                                   lambda f: f.type.name == target)

    def path_to_argument(self, root_type: str, root_field: str,
                         target: str) -> tuple[list[Step], str, str] | None:
        """Steps to a type, that type and its first field with an argument whose type contains
        input type (or enum, or scalar) ``target``."""
        return self._path_to_field(root_type, root_field, self.index.arg_owners(target),
                                   lambda f: any(target in self.input_types(a.type.name) for a in f.args.values()))

    # -- values -------------------------------------------------------------------------------
    def focused(self, coordinate: str, value: InputValue) -> bool:
        """The focus names this argument or input field, or a type its value contains."""
        return coordinate in self.focus.targets or bool(self.input_types(value.type.name) & self.focus_types)

    def _wanted(self, coordinate: str, value: InputValue, other: InputValue | None) -> bool:
        return value.required or (other is not None and other.required) or self.focused(coordinate, value)

    def _candidates(self, values: Mapping[str, InputValue], others: Mapping[str, InputValue] | None, prefix: str,
                    suffix: str) -> list[InputValue]:
        """The arguments or input fields among ``values`` that :meth:`_wanted` may accept, in order
        (``prefix + name + suffix`` is the coordinate): all of them when there are few, else the
        required ones (on either side), those the focus names, and those whose type contains a
        focused type, found through indexes: a sample per entry of a field with n arguments must
        not test all n."""
        if len(values) <= 8:
            return list(values.values())
        members = _members(values)
        # the first required ones: an example past REQUIRED_SHOWN of them shows those and "…" (a type of 10,000
        # required fields must not make every entry of its 10,000 changes write them all)
        found = set(members.required[:REQUIRED_SHOWN])
        if others is not None:
            found.update(members.position[n] for n in _members(others).required_names[:REQUIRED_SHOWN]
                         if n in members.position)
        end = len(prefix) + len(suffix)
        for t in self.focus.targets:
            if len(t) >= end and t.startswith(prefix) and t.endswith(suffix):
                name = t[len(prefix):len(t) - len(suffix)]
                if name in members.position:
                    found.add(members.position[name])
        for focused_type in self.focus_types:
            users = self.index.input_users(focused_type)  # the types whose values contain it
            if len(users) < len(members.by_type):
                for name in users:
                    found.update(members.by_type.get(name, ()))
            else:
                for name, where in members.by_type.items():
                    if name in users:
                        found.update(where)
        return [members.values[i] for i in sorted(found)]

    def literal(self, ref: TypeRef, depth: int = DEFAULT_DEPTH) -> str:
        """A GraphQL literal of type ``ref``."""
        if ref.wrappers:
            if ref.wrappers[0] == "[]":
                return f"[{self.literal(ref.unwrap(), depth)}]"
            return self.literal(ref.unwrap(), depth)
        name = ref.name
        if name in self.focus.values:
            return str(self.focus.values[name])
        t = self.api.types.get(name)
        if t is None or t.kind is TypeKind.SCALAR:
            return _SCALARS.get(name, '"string"')
        if t.kind is TypeKind.ENUM:
            live = [v for v in t.values.values() if v.deprecation is None] or list(t.values.values())
            return live[0].name if live else "null"
        if t.kind is TypeKind.INPUT_OBJECT:
            return self._object(t, depth)
        return "null"

    def _object(self, t: TypeDef, depth: int) -> str:
        other_type = self.other.types.get(t.name) if self.other is not None else None
        if t.one_of:  # exactly one field: the focused one, else the first
            fields = list(t.input_fields.values())
            fields = [next((f for f in fields if self.focused(f"{t.name}.{f.name}", f)), fields[0])] if fields else []
        else:
            fields = self._candidates(t.input_fields, other_type.input_fields if other_type is not None else None,
                                      f"{t.name}.", "")
        parts = []
        for f in fields:
            coordinate = f"{t.name}.{f.name}"
            other = other_type.input_fields.get(f.name) if other_type is not None else None
            value = self.focus.values.get(coordinate)
            if value is OMIT or (not t.one_of and not self._wanted(coordinate, f, other)):
                continue
            if depth <= 0 and not f.type.non_null:
                continue
            parts.append(f"{f.name}: {value if value is not None else self.literal(f.type, depth - 1)}")
        if len(_members(t.input_fields).required) > REQUIRED_SHOWN and not t.one_of:
            parts.append("…")  # more required fields than an example shows
        return "{" + ", ".join(parts) + "}"

    def arguments(self, type_name: str, field_name: str) -> str:
        t = self.api.types[type_name]
        f = t.fields[field_name]
        other_field = None
        if self.other is not None and type_name in self.other.types:
            other_field = self.other.types[type_name].fields.get(field_name)
        parts = []
        for arg in self._candidates(f.args, other_field.args if other_field is not None else None,
                                    f"{type_name}.{field_name}(", ":)"):
            coordinate = f"{type_name}.{field_name}({arg.name}:)"
            other = other_field.args.get(arg.name) if other_field is not None else None
            value = self.focus.values.get(coordinate)
            if value is OMIT or not self._wanted(coordinate, arg, other):
                continue
            text = str(value) if value is not None else self.literal(arg.type)
            if self.variables and self.focused(coordinate, arg):
                var = arg.name
                while var in self.declared:
                    var += "_"
                self.declared[var] = f"${var}: {arg.type} = {text}"
                text = f"${var}"
            parts.append(f"{arg.name}: {text}")
        if len(f.args) > 8 and len(_members(f.args).required) > REQUIRED_SHOWN:
            parts.append("…")  # more required arguments than an example shows
        return f"({', '.join(parts)})" if parts else ""

    # -- selections ---------------------------------------------------------------------------
    def default_selection(self, type_name: str) -> list[Sel] | None:
        """What to select under a field of type ``type_name``: ``id``, else up to three leaf fields
        without required arguments, else ``__typename``; ``None`` for a leaf type."""
        t = self.api.types.get(type_name)
        if t is None or t.kind in _LEAF:
            return None
        if t.kind in (TypeKind.OBJECT, TypeKind.INTERFACE):
            leaves = [f.name for f in t.fields.values()
                      if self.kind(f.type.name) in _LEAF and not any(a.required for a in f.args.values())]
            if "id" in leaves:
                return [Sel("id")]
            if leaves:
                return [Sel(name) for name in leaves[:3]]
        return [Sel("__typename")]

    def field(self, type_name: str, field_name: str, children: list[Sel] | None = None) -> Sel:
        """``field(args) { … }`` on ``type_name``; ``children`` replaces the default selection."""
        f = self.api.types[type_name].fields[field_name]
        below = children if children is not None else self.default_selection(f.type.name)
        if self.kind(f.type.name) in _LEAF:
            below = None
        return Sel(f"{field_name}{self.arguments(type_name, field_name)}", below)

    def operation(self, steps: list[Step], leaf: list[Sel], root_type: str) -> str:
        """The whole operation: the steps from the root, then ``leaf`` at the end."""
        self.steps = steps
        inner = leaf
        for kind, name in reversed(steps):
            if kind == "on":
                inner = [Sel(f"... on {name}", inner)]
            else:
                owner, field_name = name.split(".", 1)
                inner = [self.field(owner, field_name, inner)]
        keyword = next((op for op, m in self.api.roots.items() if m.target == root_type), "query")
        head = keyword
        if self.declared:
            head += " (" + ", ".join(self.declared[k] for k in self.declared) + ")"
        lines = [head + " {"]
        _render(inner, 1, lines)
        lines.append("}")
        return "\n".join(lines)


def _render(sels: list[Sel], level: int, lines: list[str]) -> None:
    pad = "  " * level
    for sel in sels:
        if sel.children is None:
            lines.append(pad + sel.text)
        else:
            lines.append(pad + sel.text + " {")
            _render(sel.children, level + 1, lines)
            lines.append(pad + "}")

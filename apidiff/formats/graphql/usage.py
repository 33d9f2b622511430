"""GraphQL client operations as usage: which operations a comparison touches, and which no longer validate.

Reading (:func:`read`)
----------------------
- ``.graphql`` documents: each operation is a usage; fragments are shared by all files of the same
  consumer (Apollo and Relay projects keep them in files of their own). A file's consumer is its
  ``# consumer: NAME`` comment, else its default consumer (its folder). An operation looks its
  fragments up among those of its consumer, then among those of its folder's consumer when a comment
  moved the file elsewhere. A fragment name defined twice for one consumer is an error, as is a
  syntax error. Files with only fragments, and type-system definitions (a glob that also matches the
  schema), give no usage.
- persisted-query maps ``{id: query}`` and operation manifests (``{"operations": [{"id", "name",
  "body"}]}``, Apollo's format; ``query``, ``document``, ``text`` or ``signature`` instead of
  ``body``): one usage per operation of each entry, named by the entry's name, else the operation's
  own name, else the id. An entry's fragments are its own (a body repeats the fragments it needs, so
  they are not shared), then its consumer's. The usage's line is that of the entry's key (map) or
  ``"id"`` (manifest) in the JSON file.

Type-system definitions in a usage file are skipped with a note (:attr:`GraphQLUsage.notes`).

Validation
----------
Each operation, with the fragments it uses transitively, is validated by graphql-core's ``validate``
against the *new* schema (built once per side by :mod:`apidiff.formats.graphql._schema`). Errors read
``line:col message``, the line and column in the usage file, also for a query written as a JSON
string (through its escapes); an error inside a fragment of another file is ``file:line:col message``;
when a query's text cannot be found in its JSON file as written by ``JSON.stringify`` or ``json.dumps``,
``query line:col message`` gives the line and column in the query text.

An operation with errors is validated against the *old* schema too. An error it already had there
(same place, same message but for graphql-core's "Did you mean" suggestions) is not the comparison's
doing: the operation is stale, or was written for another version. Such errors are not put in the
impact's ``errors`` (which make an operation breaking, and fail ``--usage-only`` checks): each stale
operation gets one note instead, ``file:line: consumer operation NAME was already invalid against the
old schema (not caused by this change): line:col message; ...``. An operation whose only problems are
stale is reported in the notes alone, unless a breaking or dangerous change touches it.

What an operation touches
-------------------------
The operation and its fragments are walked against the *old* schema (the one the client was written
for), which gives these sets of names:

- ``coord``: every coordinate it uses: ``Parent.field`` for each selected field (the parent being the
  type in context: the interface when the field is selected on an interface), ``Parent.field(arg:)``
  for each argument passed, ``Input.field`` and ``Enum.VALUE`` in literal values, every input field
  reachable from a variable's type (the client builds those objects), ``@dir``, ``@dir(arg:)`` and
  ``@dir location LOC`` for each directive used, ``schema query`` (its root), and every named type it
  names: parents, result types of selected fields, type conditions, variable types and the types they
  reach, types of literal values;
- ``output``: the result types of the selected fields;
- ``cond``: the type conditions of fragments and inline fragments;
- ``var``: the types reachable from the variables' types (what the client may send at run time);
- ``input``: the input object types it sends, through variables or literals;
- ``defaulted``: the arguments, input fields and directive arguments that it omits somewhere, or
  passes as a variable (which may be left unset): where their default applies;
- spread pairs ``(P, C)``: a fragment on ``C`` used where the type in context is ``P``; ``paired`` holds
  every name of a pair.

A change touches the operation when one of its *triggers* (a set and a name) is in the operation's
sets and the trigger's condition, if any, holds. Triggers by the kind of the rule that found the change
(``apidiff rules``; the kind of a rule not in the catalogue is read from the shape of the subject)::

    kind                ids                            triggers                 condition
    ------------------  -----------------------------  -----------------------  ------------------------------
    type                type-*, input-type-*,          coord T                  -
                        scalar-specified-by-changed
    field               field-*                        coord T.f                -
    argument            argument-*-default-changed     defaulted T.f(a:)        -  (the default applies)
                        every other argument-*         coord T.f(a:)            -
                                                       coord T.f                a is required in the new
                                                                                schema: omitting it fails
    input-field         as argument, with the owner    defaulted In.f; or       (as for arguments)
                        In in ``input``                coord In.f, input In
    directive-argument  as argument, the owner @d      defaulted @d(a:); or     (as for arguments)
                                                       coord @d(a:), coord @d
    enum-value          enum-value-added               output E                 -  (it may now be returned)
                        every other enum-value-*       coord E.V, output E,     -  (in a literal, returned, or
                                                       var E                       sendable in a variable)
    union-member        union-member-added (U, M)      output U, cond U         -
                        union-member-removed           paired U                 a pair (P, C) with U in {P, C}
                                                                                where P and C both cover M
    interface           interface-added (X, I)         output I, cond I         -
                        interface-removed              paired I                 a pair (P, C) with I in {P, C}
                                                                                where P and C both cover X
    directive           directive-*                    coord @d                 -
    directive-location  directive-location-*           coord @d location LOC    -
    directive-usage     directive-usage-* (ELEM @d)    coord ELEM               never for ELEM ``schema``
    schema-root         schema-root-*                  coord schema query       -
    anything else                                      coord subject            -

``T`` covers ``X`` when ``T`` is ``X``, an interface ``X`` implements, or a union ``X`` belongs to
(in the old schema). So a field *added* never touches an operation (no operation can select it yet);
a field *removed* touches only the operations that select it (through the parent in context: an
interface loses a field only together with its implementations, so the interface's coordinate is
enough); a union member removed touches only the operations with a fragment that could match it (the
others still validate and just receive fewer kinds of values); an enum value added to an enum that
operations only send is safe for them and touches none.

Reported operations
-------------------
An operation is reported (one :class:`~apidiff.core.usage.Impact`) when a breaking or dangerous
change touches it, or when it has validation errors that it did not have against the old schema.
Its ``changes`` are the breaking and dangerous changes that touch it, in the order given; safe
changes never make an operation affected and are not listed (by definition they do not affect a
correct client, and listing description changes beside the one that matters would bury it).
Operations that no such change touches are not reported.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    ListTypeNode,
    ListValueNode,
    NonNullTypeNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TypeNode,
    ValueNode,
    VariableNode,
    get_named_type,
    parse,
    validate,
)
from graphql.language import ArgumentNode, DirectiveNode, ExecutableDefinitionNode, Lexer, TokenKind
from graphql.validation import (
    NoUndefinedVariablesRule,
    NoUnusedVariablesRule,
    UniqueVariableNamesRule,
    VariablesAreInputTypesRule,
    VariablesInAllowedPositionRule,
    specified_rules,
)

from apidiff.core._yaml import loads_json
from apidiff.core.change import Change, Severity
from apidiff.core.errors import UsageError
from apidiff.core.usage import Impact, Usage
from apidiff.formats.graphql._schema import build_schema
from apidiff.formats.graphql.model import GraphQLApi, TypeKind

if TYPE_CHECKING:
    from apidiff.core.usage import UsageFile

__all__ = ["GraphQLUsage", "read"]

KIND = "graphql"
ANONYMOUS = "(anonymous)"
STALE = "was already invalid against the old schema (not caused by this change)"
MANIFEST_BODY_KEYS = ("body", "query", "document", "text", "signature")

_CONSUMER_COMMENT = re.compile(r"^[ \t]*#[ \t]*consumer[ \t]*:[ \t]*(\S[^\r\n]*?)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_SUGGESTION = re.compile(r"\s*Did you mean .*\?\s*$")


# -- reading ----------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Operation:
    """One operation as read: its usage, its definition, and the fragments it uses (transitively)."""

    usage: Usage
    node: OperationDefinitionNode
    fragments: tuple[FragmentDefinitionNode, ...]
    persisted: bool  # from a persisted-query map or manifest
    json: _JsonString | None  # persisted: where the query's characters are in the JSON file, when found


@dataclass(slots=True)
class _Entry:
    """A parsed document: a .graphql file, or one entry of a persisted map or manifest."""

    file: str
    consumer: str
    folder_consumer: str
    document: DocumentNode
    persisted: bool = False  # an entry of a persisted-query map or manifest
    line: int = 0  # persisted: the entry's line in the JSON file
    name: str | None = None  # persisted: the entry's name
    id: str | None = None  # persisted: the entry's id
    local: dict[str, FragmentDefinitionNode] = field(default_factory=dict)  # persisted: its own fragments
    json: _JsonString | None = None  # persisted: where the query's text is in the file


def read(files: Sequence[UsageFile]) -> GraphQLUsage:
    """Parse the GraphQL usage files (``UsageFile`` records of kind graphql, persisted or manifest)."""
    entries: list[_Entry] = []
    pools: dict[str, dict[str, tuple[FragmentDefinitionNode, str]]] = {}
    notes: list[str] = []
    for f in files:
        if f.kind == "graphql":
            entry = _read_document(f.text.name, f.text.text, f.consumer)
            if entry is None:
                continue
            pool = pools.setdefault(entry.consumer, {})
            skipped = 0
            for definition in entry.document.definitions:
                if isinstance(definition, FragmentDefinitionNode):
                    _add_fragment(pool, definition, entry.file, entry.consumer)
                elif not isinstance(definition, OperationDefinitionNode):
                    skipped += 1
            if skipped:
                notes.append(f"{entry.file}: {skipped} type-system definition{'s' if skipped > 1 else ''} "
                             "skipped (usage files hold operations and fragments)")
            entries.append(entry)
        elif f.kind in ("persisted", "manifest"):
            entries.extend(_read_persisted(f.text.name, f.text.text, f.consumer, f.kind))
        else:
            raise UsageError(f"not a GraphQL usage file (kind {f.kind})", file=f.text.name)
    shared = {consumer: {n: d for n, (d, _) in pool.items()} for consumer, pool in pools.items()}
    operations: list[_Operation] = []
    for entry in entries:
        lookups = [entry.local, *(shared[c] for c in dict.fromkeys((entry.consumer, entry.folder_consumer))
                                  if c in shared)]
        for definition in entry.document.definitions:
            if isinstance(definition, OperationDefinitionNode):
                operations.append(_operation(entry, definition, lookups))
    return GraphQLUsage(operations, notes)


def _read_document(name: str, text: str, default_consumer: str) -> _Entry | None:
    match = _CONSUMER_COMMENT.search(text)
    consumer = match[1] if match else default_consumer
    if not _has_tokens(text, name):
        return None
    document = _parse(text, name)
    return _Entry(name, consumer, default_consumer, document)


def _has_tokens(text: str, name: str) -> bool:
    """Whether a document holds anything but comments and white space (an empty file is no error)."""
    try:
        return Lexer(Source(text, name)).advance().kind is not TokenKind.EOF
    except GraphQLSyntaxError:
        return True  # parse() reports it


def _parse(text: str, name: str, *, where: str | None = None, line: int | None = None) -> DocumentNode:
    try:
        return parse(Source(text, name))
    except GraphQLSyntaxError as exc:
        loc = exc.locations[0] if exc.locations else None
        message = exc.message.removeprefix("Syntax Error: ")
        if where is None:
            raise UsageError(f"GraphQL syntax error: {message}", file=name, line=loc.line if loc else None,
                             column=loc.column if loc else None) from None
        at = f" (line {loc.line}, column {loc.column} of the query)" if loc else ""
        raise UsageError(f"{where}: GraphQL syntax error: {message}{at}", file=name, line=line or None) from None
    except GraphQLError as exc:  # token or nesting limits
        raise UsageError(f"{where + ': ' if where else ''}{exc.message}", file=name, line=line or None) from None
    except RecursionError:
        raise UsageError(f"{where + ': ' if where else ''}GraphQL document is nested too deeply", file=name,
                         line=line or None) from None


def _add_fragment(pool: dict[str, tuple[FragmentDefinitionNode, str]], definition: FragmentDefinitionNode,
                  file: str, consumer: str) -> None:
    name = definition.name.value
    line = _line(definition)
    if name in pool:
        first, first_file = pool[name]
        raise UsageError(f"fragment {name} is defined twice for consumer {consumer} "
                         f"(first at {first_file}:{_line(first)})", file=file, line=line)
    pool[name] = (definition, file)


def _read_persisted(name: str, text: str, consumer: str, kind: str) -> Iterator[_Entry]:
    try:
        data = loads_json(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"not valid JSON: {exc.msg}", file=name, line=exc.lineno, column=exc.colno) from None
    except ValueError as exc:
        raise UsageError(f"not valid JSON: {exc}", file=name) from None
    except RecursionError:
        raise UsageError("JSON document is nested too deeply", file=name) from None
    finder = _LineFinder(text)
    parsed: dict[str, DocumentNode] = {}  # a query text written more than once is parsed once
    if kind == "persisted":
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise UsageError("a persisted-query map must be a JSON object of {\"id\": \"query text\"}", file=name)
        for key, body in data.items():
            line = finder.find(re.escape(_json_string(key)) + r"\s*:", key)
            written = _JsonString.find(text, body, finder.pos, finder)
            yield _persisted_entry(parsed, name, consumer, body, line, None, key, written)
        return
    operations = data.get("operations") if isinstance(data, dict) else None
    if not isinstance(operations, list):
        raise UsageError("an operation manifest must have an \"operations\" list", file=name)
    for index, op in enumerate(operations):
        op_id = op.get("id") if isinstance(op, dict) else None
        op_name = op.get("name") if isinstance(op, dict) else None
        anchor = op_id if isinstance(op_id, str) else op_name if isinstance(op_name, str) else None
        key = "id" if isinstance(op_id, str) else "name"
        line = finder.find(rf'"{key}"\s*:\s*' + re.escape(_json_string(anchor)), anchor) if anchor else 0
        if not isinstance(op, dict):
            raise UsageError(f"operation {index + 1} of the manifest is not an object", file=name, line=line or None)
        body = next((op[k] for k in MANIFEST_BODY_KEYS if isinstance(op.get(k), str)), None)
        if body is None:
            raise UsageError(f"operation {anchor or index + 1} of the manifest has no query text (one of "
                             f"{', '.join(MANIFEST_BODY_KEYS)})", file=name, line=line or None)
        yield _persisted_entry(parsed, name, consumer, body, line, op_name if isinstance(op_name, str) else None,
                               op_id if isinstance(op_id, str) else None,
                               _JsonString.find(text, body, finder.pos, finder))


def _persisted_entry(parsed: dict[str, DocumentNode], file: str, consumer: str, body: str, line: int,
                     name: str | None, op_id: str | None, written: _JsonString | None) -> _Entry:
    document = parsed.get(body)
    if document is None:
        document = parsed[body] = _parse(body, file, where=f"persisted query {op_id or name or '?'}", line=line)
    entry = _Entry(file, consumer, consumer, document, True, line, name, op_id, json=written)
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            entry.local.setdefault(definition.name.value, definition)
    return entry


def _json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class _LineFinder:
    """Lines of JSON keys, by text search; each search starts where the previous one matched."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._newlines: list[int] | None = None

    def line_of(self, offset: int) -> int:
        """The 1-based line of ``offset`` (the newlines are indexed once: no rescan per key)."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def column_of(self, offset: int) -> int:
        line = self.line_of(offset)
        assert self._newlines is not None
        return offset - (self._newlines[line - 2] + 1 if line > 1 else 0) + 1

    def find(self, pattern: str, value: str) -> int:
        regex = re.compile(pattern)
        match = regex.search(self.text, self.pos) or regex.search(self.text)
        if match is None:  # written with \u escapes
            ascii_pattern = pattern.replace(re.escape(_json_string(value)), re.escape(json.dumps(value)))
            match = re.search(ascii_pattern, self.text)
        if match is None:
            return 0
        self.pos = match.end()
        return self.line_of(match.start())


class _JsonString:
    """Where each character of a string value is written in its JSON file (an escape is one character)."""

    def __init__(self, text: str, start: int, length: int, lines: _LineFinder) -> None:
        self.text = text
        self.lines = lines
        self.start = start  # where the value's first character is written
        self.length = length
        self._offsets: list[int] | None = None

    @property
    def offsets(self) -> list[int]:
        """The file offset of each character, and of the closing quote (found when first needed)."""
        if self._offsets is None:
            self._offsets = _string_offsets(self.text, self.start)
        return self._offsets

    @classmethod
    def find(cls, text: str, value: str, near: int, lines: _LineFinder) -> _JsonString | None:
        """The literal of ``value`` as JSON.stringify or json.dumps write it, first at or after ``near``."""
        for literal in dict.fromkeys((json.dumps(value, ensure_ascii=False), json.dumps(value))):
            at = text.find(literal, near)
            if at < 0:
                at = text.find(literal)
            if at >= 0:
                return cls(text, at + 1, len(value), lines)
        return None

    def location(self, index: int) -> tuple[int, int]:
        """The 1-based line and column in the file of the character at ``index`` of the value."""
        offsets = self.offsets
        if len(offsets) != self.length + 1:  # not the literal it seemed: no position rather than a wrong one
            return 0, 0
        offset = offsets[max(0, min(index, self.length))]
        return self.lines.line_of(offset), self.lines.column_of(offset)


def _string_offsets(text: str, start: int) -> list[int]:
    """The offsets of the characters of the JSON string literal whose content starts at ``start``."""
    offsets = []
    i, end = start, len(text)
    while i < end and text[i] != '"':
        offsets.append(i)
        if text[i] != "\\":
            i += 1
        elif text.startswith("u", i + 1):
            surrogate = 0xD800 <= int(text[i + 2:i + 6] or "0", 16) < 0xDC00 and text.startswith("\\u", i + 6)
            i += 12 if surrogate else 6
        else:
            i += 2
    offsets.append(i)
    return offsets


def _line(node: Any) -> int:
    loc = getattr(node, "loc", None)
    return loc.start_token.line if loc is not None else 0


def _operation(entry: _Entry, node: OperationDefinitionNode,
               lookups: Sequence[Mapping[str, FragmentDefinitionNode]]) -> _Operation:
    own = node.name.value if node.name else None
    if entry.persisted:
        name = entry.name or own or entry.id or ANONYMOUS
        line = entry.line
    else:
        name = own or ANONYMOUS
        line = _line(node)
    usage = Usage(kind=KIND, consumer=entry.consumer, operation=name, file=entry.file, line=line)
    return _Operation(usage, node, _fragments_of(node, lookups), entry.persisted, entry.json)


def _fragments_of(node: ExecutableDefinitionNode,
                  lookups: Sequence[Mapping[str, FragmentDefinitionNode]]) -> tuple[FragmentDefinitionNode, ...]:
    """The fragments ``node`` uses, transitively, in the order first met; unknown names are left out
    (validation reports them)."""
    found: dict[str, FragmentDefinitionNode] = {}
    stack = [node.selection_set]
    while stack:
        for spread in _spreads(stack.pop()):
            if spread in found:
                continue
            definition = next((lk[spread] for lk in lookups if spread in lk), None)
            if definition is not None:
                found[spread] = definition
                stack.append(definition.selection_set)
    return tuple(found.values())


def _spreads(selection_set: SelectionSetNode) -> list[str]:
    names: list[str] = []
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FragmentSpreadNode):
                names.append(selection.name.value)
            elif selection.selection_set is not None:  # type: ignore[attr-defined]
                stack.append(selection.selection_set)  # type: ignore[attr-defined]
    return names


# -- what an operation touches ---------------------------------------------------------------------

SETS = ("coord", "output", "cond", "var", "input", "defaulted", "paired")


@dataclass(slots=True)
class _Touched:
    """The names an operation (or one fragment) uses; see the module docstring."""

    coord: set[str] = field(default_factory=set)
    output: set[str] = field(default_factory=set)
    cond: set[str] = field(default_factory=set)
    var: set[str] = field(default_factory=set)
    input: set[str] = field(default_factory=set)
    defaulted: set[str] = field(default_factory=set)  # input values omitted or passed as a variable somewhere
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (type in context, type condition)
    spreads: set[tuple[str, str]] = field(default_factory=set)  # (type in context, fragment name)
    paired: set[str] = field(default_factory=set)  # every name in pairs

    def update(self, other: _Touched) -> None:
        self.coord |= other.coord
        self.output |= other.output
        self.cond |= other.cond
        self.var |= other.var
        self.input |= other.input
        self.defaulted |= other.defaulted
        self.pairs |= other.pairs
        self.spreads |= other.spreads


class _Walker:
    """Collects what definitions use, against one (the old) schema; fragments are walked once."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.fragment_cache: dict[int, _Touched] = {}
        self.reach_cache: dict[str, _Touched] = {}

    def operation(self, op: _Operation) -> _Touched:
        touched = _Touched()
        node = op.node
        kind = node.operation.value
        touched.coord.add(f"schema {kind}")
        root = self.schema.get_root_type(node.operation)
        if root is not None:
            touched.coord.add(root.name)
        self.directives(node.directives, kind.upper(), touched)
        for vd in node.variable_definitions or ():
            type_name = _named(vd.type)
            touched.update(self.reach(type_name))
            var_type = self.schema.get_type(type_name)
            if vd.default_value is not None and var_type is not None:
                self.value(vd.default_value, var_type, touched)  # type: ignore[arg-type]
            self.directives(vd.directives, "VARIABLE_DEFINITION", touched)
        self.selections(node.selection_set, root, touched)
        conditions: dict[str, str] = {}
        for fragment in op.fragments:
            touched.update(self.fragment(fragment))
            conditions[fragment.name.value] = fragment.type_condition.name.value
        for parent, spread in touched.spreads:
            if spread in conditions:
                touched.pairs.add((parent, conditions[spread]))
        touched.paired = {name for pair in touched.pairs for name in pair}
        return touched

    def fragment(self, fragment: FragmentDefinitionNode) -> _Touched:
        cached = self.fragment_cache.get(id(fragment))
        if cached is None:
            cached = _Touched()
            condition = fragment.type_condition.name.value
            cached.coord.add(condition)
            cached.cond.add(condition)
            self.directives(fragment.directives, "FRAGMENT_DEFINITION", cached)
            self.selections(fragment.selection_set, self.schema.get_type(condition), cached)
            self.fragment_cache[id(fragment)] = cached
        return cached

    def reach(self, type_name: str) -> _Touched:
        """What a variable of this type lets the client send: the type, and for an input object
        every input field and every type below it."""
        cached = self.reach_cache.get(type_name)
        if cached is None:
            cached = self.reach_cache[type_name] = _Touched()
            stack = [type_name]
            seen: set[str] = set()
            while stack:
                name = stack.pop()
                if name in seen:
                    continue
                seen.add(name)
                cached.coord.add(name)
                cached.var.add(name)
                t = self.schema.get_type(name)
                if isinstance(t, GraphQLInputObjectType):
                    cached.input.add(name)
                    for fname, f in t.fields.items():
                        cached.coord.add(f"{name}.{fname}")
                        cached.defaulted.add(f"{name}.{fname}")
                        stack.append(get_named_type(f.type).name)
        return cached

    def selections(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None,
                   touched: _Touched) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent, touched)
            elif isinstance(selection, InlineFragmentNode):
                self.directives(selection.directives, "INLINE_FRAGMENT", touched)
                inner = parent
                if selection.type_condition is not None:
                    condition = selection.type_condition.name.value
                    touched.coord.add(condition)
                    touched.cond.add(condition)
                    if parent is not None:
                        touched.pairs.add((parent.name, condition))
                    inner = self.schema.get_type(condition)
                self.selections(selection.selection_set, inner, touched)
            elif isinstance(selection, FragmentSpreadNode):
                self.directives(selection.directives, "FRAGMENT_SPREAD", touched)
                if parent is not None:
                    touched.spreads.add((parent.name, selection.name.value))

    def field(self, node: FieldNode, parent: GraphQLNamedType | None, touched: _Touched) -> None:
        name = node.name.value
        self.directives(node.directives, "FIELD", touched)
        if name.startswith("__"):  # __typename, and introspection
            return
        definition = parent.fields.get(name) if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else None
        coord = f"{parent.name}.{name}" if parent is not None else None
        if coord is not None:
            touched.coord.add(coord)
            self.arguments(coord, node.arguments, definition.args if definition is not None else {}, touched)
        result = get_named_type(definition.type) if definition is not None else None
        if result is not None:
            touched.coord.add(result.name)
            touched.output.add(result.name)
        self.selections(node.selection_set, result, touched)

    def directives(self, nodes: Iterable[DirectiveNode] | None, location: str, touched: _Touched) -> None:
        for node in nodes or ():
            name = f"@{node.name.value}"
            touched.coord.add(name)
            touched.coord.add(f"{name} location {location}")
            definition = self.schema.get_directive(node.name.value)
            self.arguments(name, node.arguments, definition.args if definition is not None else {}, touched)

    def arguments(self, owner: str, nodes: Iterable[ArgumentNode] | None, definitions: Mapping[str, GraphQLArgument],
                  touched: _Touched) -> None:
        """The arguments passed (and their values), and those whose default applies: omitted, or variables."""
        passed = set()
        for arg in nodes or ():
            name = arg.name.value
            passed.add(name)
            coord = f"{owner}({name}:)"
            touched.coord.add(coord)
            if isinstance(arg.value, VariableNode):
                touched.defaulted.add(coord)
            arg_def = definitions.get(name)
            if arg_def is not None:
                self.value(arg.value, arg_def.type, touched)
        touched.defaulted.update(f"{owner}({name}:)" for name in definitions if name not in passed)

    def value(self, node: ValueNode, type_: GraphQLInputType, touched: _Touched) -> None:
        """The input fields, enum values and types a literal uses."""
        while isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(node, VariableNode):
            return
        if isinstance(type_, GraphQLList):
            item = type_.of_type
            for v in node.values if isinstance(node, ListValueNode) else (node,):
                self.value(v, item, touched)
            return
        if isinstance(node, ListValueNode):
            return
        if isinstance(type_, GraphQLInputObjectType):
            touched.coord.add(type_.name)
            touched.input.add(type_.name)
            if isinstance(node, ObjectValueNode):
                given = set()
                for f in node.fields:
                    coord = f"{type_.name}.{f.name.value}"
                    touched.coord.add(coord)
                    if isinstance(f.value, VariableNode):
                        touched.defaulted.add(coord)
                    given.add(f.name.value)
                    f_def = type_.fields.get(f.name.value)
                    if f_def is not None:
                        self.value(f.value, f_def.type, touched)
                touched.defaulted.update(f"{type_.name}.{n}" for n in type_.fields if n not in given)
        elif isinstance(type_, GraphQLEnumType):
            touched.coord.add(type_.name)
            if isinstance(node, EnumValueNode):
                touched.coord.add(f"{type_.name}.{node.value}")
        elif isinstance(type_, GraphQLScalarType):
            touched.coord.add(type_.name)


def _named(node: TypeNode) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    return node.name.value  # type: ignore[attr-defined, no-any-return]


# -- which changes touch which names ---------------------------------------------------------------

Condition = Callable[[_Touched], bool]


class _Index:
    """The changes by trigger: ``(set, name)`` → (position of the change, condition or None)."""

    def __init__(self, changes: Sequence[Change], old: GraphQLApi, new: GraphQLApi) -> None:
        self.changes = tuple(changes)
        self.triggers: dict[tuple[str, str], list[tuple[int, Condition | None]]] = {}
        self.old = old
        kinds = _rule_kinds()
        for index, change in enumerate(self.changes):
            kind = kinds.get(change.id) or _kind_from_subject(change.subject)
            for trigger, condition in self.triggers_of(change, kind, new):
                self.triggers.setdefault(trigger, []).append((index, condition))

    def triggers_of(self, change: Change, kind: str,
                    new: GraphQLApi) -> Iterator[tuple[tuple[str, str], Condition | None]]:
        subject, rule = change.subject, change.id
        if kind in ("argument", "input-field", "directive-argument"):
            owner, value = _split_input_value(subject, kind)
            owner_set = "input" if kind == "input-field" else "coord"
            if rule.endswith("-default-changed"):  # matters where the default applies: omitted, or a variable
                yield ("defaulted", subject), None
                return
            yield ("coord", subject), None
            if _required(new, kind, owner, value):  # operations that omit it are now rejected
                yield (owner_set, owner), None
        elif kind == "enum-value":
            enum = subject.rsplit(".", 1)[0]
            yield ("output", enum), None
            if rule != "enum-value-added":
                yield ("coord", subject), None
                yield ("var", enum), None
        elif kind in ("union-member", "interface"):
            owner, _, other = subject.partition(" member " if kind == "union-member" else " implements ")
            # union-member: owner U, other M; interface: owner X, other I
            group, member = (owner, other) if kind == "union-member" else (other, owner)
            if rule.endswith("-added"):
                yield ("output", group), None
                yield ("cond", group), None
            else:
                yield ("paired", group), self.overlap(group, member)
        elif kind == "directive-usage":
            element = subject.rsplit(" @", 1)[0]
            if element != "schema":
                yield ("coord", element), None
        else:
            yield ("coord", subject), None

    def overlap(self, group: str, member: str) -> Condition:
        """A fragment spread that can match ``member`` values only through ``group``."""
        def covers(name: str) -> bool:
            if name == member:
                return True
            t = self.old.types.get(member)
            g = self.old.types.get(name)
            return (t is not None and name in t.interfaces) or (
                g is not None and g.kind is TypeKind.UNION and member in g.members)

        def condition(touched: _Touched) -> bool:
            return any(group in (p, c) and covers(p) and covers(c) for p, c in touched.pairs)
        return condition

    def touched_by(self, touched: _Touched) -> list[Change]:
        hits: set[int] = set()
        for set_name in SETS:
            names: set[str] = getattr(touched, set_name)
            for name in names:
                for index, condition in self.triggers.get((set_name, name), ()):
                    if index not in hits and (condition is None or condition(touched)):
                        hits.add(index)
        return [self.changes[i] for i in sorted(hits)]


def _rule_kinds() -> dict[str, str]:
    from apidiff.core.rule import REGISTRY

    return {r.id: r.kind for r in REGISTRY}


def _kind_from_subject(subject: str) -> str:
    """The element kind of a change whose rule is not registered, from the shape of its subject."""
    if subject.startswith("schema "):
        return "schema-root"
    if " member " in subject:
        return "union-member"
    if " implements " in subject:
        return "interface"
    if " location " in subject:
        return "directive-location"
    if " @" in subject:
        return "directive-usage"
    if subject.startswith("@"):
        return "directive-argument" if subject.endswith(":)") else "directive"
    if subject.endswith(":)"):
        return "argument"
    return "field" if "." in subject else "type"


def _split_input_value(subject: str, kind: str) -> tuple[str, str]:
    """``T.f(a:)`` → (``T.f``, ``a``); ``@d(a:)`` → (``@d``, ``a``); ``In.f`` → (``In``, ``f``)."""
    if kind == "input-field":
        owner, _, name = subject.rpartition(".")
        return owner, name
    owner, _, rest = subject.partition("(")
    return owner, rest.removesuffix(":)")


def _required(api: GraphQLApi, kind: str, owner: str, name: str) -> bool:
    """Whether a caller must now provide the argument or input field (non-null, no default)."""
    if kind == "directive-argument":
        directive = api.directives.get(owner.removeprefix("@"))
        value = directive.args.get(name) if directive is not None else None
    elif kind == "argument":
        type_name, _, field_name = owner.partition(".")
        t = api.types.get(type_name)
        f = t.fields.get(field_name) if t is not None else None
        value = f.args.get(name) if f is not None else None
    else:
        t = api.types.get(owner)
        value = t.input_fields.get(name) if t is not None else None
    return value is not None and value.required


# -- assessing --------------------------------------------------------------------------------------

class GraphQLUsage:
    """The GraphQL operations of all usage files."""

    def __init__(self, operations: Sequence[_Operation], notes: Sequence[str] = ()) -> None:
        self.operations = tuple(operations)
        self.usages: list[Usage] = [op.usage for op in self.operations]
        self.read_notes = tuple(notes)
        self.notes: list[str] = list(self.read_notes)  # reading notes, then those of the last assess()

    def assess(self, changes: Sequence[Change], old: GraphQLApi, new: GraphQLApi) -> list[Impact]:
        """One :class:`Impact` per operation that a breaking or dangerous change touches, or that no
        longer validates against ``new`` (for a reason it did not have against ``old``), in the order
        of :attr:`usages`. Operations that were already invalid against ``old`` get a note in
        :attr:`notes`."""
        self.notes = list(self.read_notes)
        if not self.operations:
            return []
        old_schema = build_schema(old)
        new_schema = build_schema(new)
        index = _Index(changes, old, new)
        walker = _Walker(old_schema)
        impacts: list[Impact] = []
        validated: dict[tuple[Any, ...], tuple[list[GraphQLError], set[tuple[Any, ...]]]] = {}
        for op in self.operations:
            try:
                touched = [c for c in index.touched_by(walker.operation(op)) if c.severity is not Severity.SAFE]
                errors, stale = _errors(op, new_schema, old_schema, validated)
            except RecursionError:  # graphql-core 3.2 parses without a nesting limit
                raise UsageError(f"operation {op.usage.operation} is nested too deeply", file=op.usage.file,
                                 line=op.usage.line or None) from None
            if stale:
                u = op.usage
                self.notes.append(f"{u.file}:{u.line}: {u.consumer} operation {u.operation} {STALE}: "
                                  + "; ".join(stale))
            if touched or errors:
                impacts.append(Impact(usage=op.usage, changes=tuple(touched), errors=tuple(errors)))
        return impacts


def _errors(op: _Operation, new: GraphQLSchema, old: GraphQLSchema,
            validated: dict[tuple[Any, ...], tuple[list[GraphQLError], set[tuple[Any, ...]]]],
            ) -> tuple[list[str], list[str]]:
    """The validation errors against ``new``: those the comparison caused, and those (stale) that the
    operation already had against ``old``. An operation written the same as one validated before (the
    same text, in a source of the same name, with the same fragments) is not validated again."""
    same = _written(op)
    if same in validated:
        found, before = validated[same]
    else:
        document = DocumentNode(definitions=(op.node, *op.fragments))
        rules = None if _has_variables(op) else _RULES_WITHOUT_VARIABLES
        found = validate(new, document, rules, max_errors=MAX_ERRORS)
        before = set()
        if found:
            had = validate(old, document, rules, max_errors=MAX_ERRORS)
            before = {_key(e) for e in had}
            if len(had) > MAX_ERRORS:  # cut off: an error past the cut is matched by its message alone
                before |= {_key(e)[2:] for e in had}
        validated[same] = found, before
    if not found:
        return [], []
    had_before = [_key(e) in before or _key(e)[2:] in before for e in found]
    caused = [_format(e, op) for e, had in zip(found, had_before, strict=True) if not had]
    stale = [_format(e, op) for e, had in zip(found, had_before, strict=True) if had]
    return caused, stale


# The rules about variables walk the whole operation once more with type information (graphql-core's
# get_variable_usages): an operation of 10,000 aliased fields spent 1.6 s per validation there. Written
# without a ``$``, an operation has no variables, and those rules have nothing to say.
_VARIABLE_RULES = (NoUndefinedVariablesRule, NoUnusedVariablesRule, VariablesInAllowedPositionRule,
                   VariablesAreInputTypesRule, UniqueVariableNamesRule)
_RULES_WITHOUT_VARIABLES = tuple(r for r in specified_rules if r not in _VARIABLE_RULES)


# graphql-core stops validating after this many errors (its default is 100) and locates every error by
# scanning its source from the start: 100 errors in a 290 KB persisted query cost 0.75 s per validation
MAX_ERRORS = 25


def _has_variables(op: _Operation) -> bool:
    """Whether a ``$`` is written in the operation or the fragments it uses (text without one has no variables)."""
    for node in (op.node, *op.fragments):
        loc = node.loc
        if loc is None or "$" in loc.source.body[loc.start:loc.end]:
            return True
    return False


def _written(op: _Operation) -> tuple[Any, ...]:
    """What validation depends on: each definition's source (name and text) and place in it."""
    return tuple((n.loc.source.name, n.loc.source.body, n.loc.start) if n.loc is not None else id(n)
                 for n in (op.node, *op.fragments))


def _key(error: GraphQLError) -> tuple[Any, ...]:
    source = error.source
    return ((source.name, source.body) if source is not None else None,
            tuple(error.positions or ()), _SUGGESTION.sub("", error.message))


def _same_source(a: Source, b: Source | None) -> bool:
    return b is not None and (a is b or (a.name == b.name and a.body == b.body))


def _format(error: GraphQLError, op: _Operation) -> str:
    """``line:col message``; see the module docstring for errors in other files and persisted queries."""
    message = " ".join(error.message.split())
    if not error.locations:  # graphql-core locates every error as it is made: MAX_ERRORS bounds that cost
        return message
    line, column = error.locations[0].line, error.locations[0].column
    own = op.node.loc.source if op.node.loc is not None else None
    if error.source is not None and not _same_source(error.source, own):
        return f"{error.source.name}:{line}:{column} {message}"
    if op.json is not None and error.positions:
        at_line, at_column = op.json.location(next(iter(error.positions)))
        if at_line:
            return f"{at_line}:{at_column} {message}"
    return f"{'query ' if op.persisted else ''}{line}:{column} {message}"

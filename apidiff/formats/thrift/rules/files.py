"""Namespaces, constants and typedefs: what generated code is named and holds, never what the wire carries."""

from __future__ import annotations

from collections.abc import Iterator

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import DANGEROUS, Policy, rule
from apidiff.formats.thrift.model import Const, Namespace, Typedef
from apidiff.formats.thrift.rules._base import NONE, SOURCE, example, surfaces

_NS = "struct M {{ 1: i32 a }}\n"


@rule(id="thrift-namespace-added", kind="namespace", mirror="thrift-namespace-removed", surfaces=SOURCE,
      message="{subject} {name} was added",
      example=example(_NS.format(), "namespace java com.acme\n" + _NS.format()))
def namespace_added(pair: Pair[Namespace], policy: Policy) -> Iterator[Hit]:
    """A namespace was declared for a language that had none.

    The language's generated code moves from the package the compiler chose by default (the file's
    name, or none) to the declared one: every import of it breaks. The wire does not carry
    namespaces.

    ## Safe rollout
    Declare every language's namespace in the first release of a file; to move code already
    published, see `thrift-namespace-changed`.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"name": pair.new.name})


@rule(id="thrift-namespace-removed", kind="namespace", mirror="thrift-namespace-added", surfaces=SOURCE,
      message="{subject} {name} was removed",
      example=example("namespace java com.acme\n" + _NS.format(), _NS.format()))
def namespace_removed(pair: Pair[Namespace], policy: Policy) -> Iterator[Hit]:
    """A language's namespace was removed.

    The language's generated code moves back to the compiler's default package: every import of it
    breaks. The wire does not carry namespaces.

    ## Safe rollout
    Keep the namespace.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"name": pair.old.name})


@rule(id="thrift-namespace-changed", kind="namespace", mirror="thrift-namespace-changed", surfaces=SOURCE,
      message="{subject} changed from {old} to {new}",
      example=example("namespace java com.acme.v1\n" + _NS.format(), "namespace java com.acme.v2\n" + _NS.format()))
def namespace_changed(pair: Pair[Namespace], policy: Policy) -> Iterator[Hit]:
    """A language's namespace changed.

    Generated code moves to another package or module: code that imports it no longer compiles. Binary and
    compact messages are unaffected (they carry field ids, not names), and so are method calls, whose
    names do not include the namespace.

    ## Safe rollout
    Generate the new namespace beside the old (a copy of the file under the new namespace), move
    importers, then retire the old file.
    """
    if pair.old is not None and pair.new is not None and pair.old.name != pair.new.name:
        yield Hit({"old": pair.old.name, "new": pair.new.name})


@rule(id="thrift-const-added", kind="const", mirror="thrift-const-removed", surfaces=NONE,
      message="constant {subject} was added",
      example=example("const i32 A = 1\n", "const i32 A = 1\nconst i32 B = 2\n"))
def const_added(pair: Pair[Const], policy: Policy) -> Iterator[Hit]:
    """A constant was added.

    A new name in generated code; nothing that compiled before stops compiling, and the wire never carries constants.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"value": pair.new.value})


@rule(id="thrift-const-removed", kind="const", mirror="thrift-const-added", surfaces=SOURCE,
      message="constant {subject} was removed",
      example=example("const i32 A = 1\nconst i32 B = 2\n", "const i32 A = 1\n"))
def const_removed(pair: Pair[Const], policy: Policy) -> Iterator[Hit]:
    """A constant was removed.

    Code that uses the constant no longer compiles.

    ## Safe rollout
    Mark the constant deprecated (`(deprecated = "use X; removal on 2026-06-01")`), wait until no code uses
    it, then remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"value": pair.old.value})


@rule(id="thrift-const-value-changed", kind="const", mirror="thrift-const-value-changed",
      surfaces=surfaces(source=DANGEROUS), message="constant {subject} changed from {old} to {new}",
      example=example("const i32 LIMIT = 100\n", "const i32 LIMIT = 50\n"))
def const_value_changed(pair: Pair[Const], policy: Policy) -> Iterator[Hit]:
    """A constant's value changed.

    Code generated from the old file keeps the old value: clients and servers built at different times
    disagree on it (a limit, a default, a magic number) until every side is rebuilt.

    ## Safe rollout
    Add a constant with the new value under a new name, move code to it, then remove the old one.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.type == n.type and o.value != n.value:
        yield Hit({"old": o.value, "new": n.value})


@rule(id="thrift-const-type-changed", kind="const", mirror="thrift-const-type-changed", surfaces=SOURCE,
      message="constant {subject} changed type from {old} to {new}",
      example=example("const i32 LIMIT = 100\n", "const i64 LIMIT = 100\n"))
def const_type_changed(pair: Pair[Const], policy: Policy) -> Iterator[Hit]:
    """A constant's type changed.

    The generated constant has another language type: code that assigns or passes it may no longer
    compile.

    ## Safe rollout
    Add a constant of the new type under a new name, move code to it, then remove the old one.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.type != n.type:
        yield Hit({"old": o.type, "new": n.type, "old_value": o.value, "new_value": n.value})


@rule(id="thrift-typedef-added", kind="typedef", mirror="thrift-typedef-removed", surfaces=NONE,
      message="{subject} was added", example=example("typedef i64 Id\n", "typedef i64 Id\ntypedef string Name\n"))
def typedef_added(pair: Pair[Typedef], policy: Policy) -> Iterator[Hit]:
    """A typedef was added.

    A new alias for a type; no field, argument or return that exists changes.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"type": pair.new.type.text})


@rule(id="thrift-typedef-removed", kind="typedef", mirror="thrift-typedef-added", surfaces=SOURCE,
      message="{subject} was removed", example=example("typedef i64 Id\ntypedef string Name\n", "typedef i64 Id\n"))
def typedef_removed(pair: Pair[Typedef], policy: Policy) -> Iterator[Hit]:
    """A typedef was removed.

    Generators that emit aliases (C++, Go) lose the name: code that uses it no longer compiles. The wire
    only ever carried the underlying type.

    ## Safe rollout
    Keep the typedef until no code names it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"type": pair.old.type.text})


@rule(id="thrift-typedef-type-changed", kind="typedef", mirror="thrift-typedef-type-changed", surfaces=SOURCE,
      message="{subject} changed from {old} to {new}",
      example=example("typedef i32 Id\n", "typedef i64 Id\n"))
def typedef_type_changed(pair: Pair[Typedef], policy: Policy) -> Iterator[Hit]:
    """A typedef now stands for another type.

    Generated aliases change type. Every field, argument and return that uses the typedef changes type
    too; those changes are reported, with their wire verdicts, where they are used (typedefs are
    resolved to their underlying type).

    ## Safe rollout
    Add a new typedef for the new type and move fields to it one by one, each under a new field id.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.type != n.type:
        yield Hit({"old": o.type.text, "new": n.type.text})

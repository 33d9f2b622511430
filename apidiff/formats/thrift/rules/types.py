"""Structs, unions and exceptions and their fields (by id); enums and their values (by number)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.thrift.model import EnumDef, EnumValue, FieldDef, StructDef
from apidiff.formats.thrift.rules._base import ALL, NONE, SOURCE, example, flow, read, surfaces

_M = "struct M {{ {fields} }}\n"


def _ex(old: str, new: str) -> Any:
    return example(_M.format(fields=old), _M.format(fields=new))


def _noun(pair: Pair[Any]) -> str:
    """What the field's owner is: ``struct``, ``union`` or ``exception``."""
    parent = pair.parent
    side = None if parent is None else parent.new or parent.old
    return side.kind if isinstance(side, StructDef) else "struct"


def _label(f: FieldDef) -> str:
    return f"{f.id}: {f.name}"


# -- structs -------------------------------------------------------------------------------------------------


@rule(id="thrift-struct-added", kind="struct", mirror="thrift-struct-removed", surfaces=NONE,
      message="{kind} {subject} was added", example=example("struct A { 1: i32 a }\n",
                                                             "struct A { 1: i32 a }\nstruct B { 1: i32 b }\n"))
def struct_added(pair: Pair[StructDef], policy: Policy) -> Iterator[Hit]:
    """A struct, union or exception was added.

    A new type: nothing that exists reads or writes it yet, and no existing field changes.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"kind": pair.new.kind})


@rule(id="thrift-struct-removed", kind="struct", mirror="thrift-struct-added", surfaces=SOURCE,
      message="{kind} {subject} was removed", example=example("struct A { 1: i32 a }\nstruct B { 1: i32 b }\n",
                                                               "struct A { 1: i32 a }\n"))
def struct_removed(pair: Pair[StructDef], policy: Policy) -> Iterator[Hit]:
    """A struct, union or exception was removed.

    Code that names the type no longer compiles. Fields, arguments and returns that used it changed type
    too, and are reported where they are, with their wire verdicts.

    ## Safe rollout
    Mark it deprecated (`(deprecated = "…")` after its closing brace), wait until nothing uses it, then
    remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"kind": pair.old.kind})


def _kind_wire(old: str, new: str) -> tuple[Any, Any]:
    """(input, output) wire verdicts of ``old`` becoming ``new``: a union is a struct with one field set."""
    if old == new or "union" not in (old, new):
        return SAFE, SAFE  # struct and exception encode alike
    if new == "union":  # old writers may set several fields; a union reader takes one and misparses the rest
        return BREAKING, DANGEROUS
    return DANGEROUS, BREAKING


@rule(id="thrift-struct-kind-changed", kind="struct", mirror="thrift-struct-kind-changed", surfaces=ALL,
      message="{subject} changed from {old} to {new}",
      example=example("struct Pick { 1: i32 a, 2: string b }\n", "union Pick { 1: i32 a, 2: string b }\n"))
def struct_kind_changed(pair: Pair[StructDef], policy: Policy) -> Iterator[Hit]:
    """A struct became a union or an exception, or the other way round.

    All three are structs on the wire, but a union has exactly one field set: a union reader given a
    struct with several fields set reads the first and misparses the rest (Apache Thrift's readers expect
    the stop byte after one field), and a struct reader given a union sees every other field unset,
    required ones included. A struct and an exception encode alike. Generated code changes kind either
    way (exceptions are thrown, unions have setters per member).

    ## Safe rollout
    Define a new type of the other kind, add fields or arguments of it under new ids, migrate, then
    remove the old ones.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.kind != n.kind:
        input, output = _kind_wire(o.kind, n.kind)
        yield Hit({"old": o.kind, "new": n.kind},
                  surfaces=surfaces(wire=flow(pair.direction, input, output), source=BREAKING))


# -- fields --------------------------------------------------------------------------------------------------


@rule(id="thrift-field-added", kind="field", mirror="thrift-field-removed", surfaces=NONE,
      message="field {field} was added to {noun} {owner}", example=_ex("1: i32 a", "1: i32 a, 2: optional string b"))
def field_added(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An optional (or default-requiredness) field was added.

    Readers that do not know the id skip it; new readers of old data see it unset. Give it an id that
    was never used in the struct: Thrift has no `reserved`, so nothing stops an old id from being reused.

    ## Safe rollout
    Nothing to roll out; old readers drop the field until they are rebuilt.
    """
    if pair.old is None and pair.new is not None and pair.new.requiredness != "required":
        yield Hit({"field": _label(pair.new), "noun": _noun(pair)})


@rule(id="thrift-field-added-required", kind="field", family="thrift-field-added", mirror="thrift-field-removed",
      surfaces=surfaces(wire=BREAKING), message="required field {field} was added to {noun} {owner}",
      example=_ex("1: i32 a", "1: i32 a, 2: required string b"))
def field_added_required(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A required field was added.

    Data written by the old schema lacks it: readers built from the new one reject it (Apache Thrift's
    generated `validate()` throws on a missing required field). Where only the new side writes (a
    response), old readers skip the unknown id and nothing breaks.

    ## Safe rollout
    Add the field optional, make every writer set it, and only then (if ever) make it required.
    """
    if pair.old is None and pair.new is not None and pair.new.requiredness == "required":
        yield Hit({"field": _label(pair.new), "noun": _noun(pair)},
                  surfaces=surfaces(wire=flow(pair.direction, BREAKING, SAFE)))


@rule(id="thrift-field-removed", kind="field", mirror="thrift-field-added", surfaces=surfaces(DANGEROUS, BREAKING),
      message="field {field} was removed from {noun} {owner}", example=_ex("1: i32 a, 2: string b", "1: i32 a"))
def field_removed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field was removed.

    Code that uses the field no longer compiles. On the wire, values that old writers still send are
    skipped (lost), and readers of the old schema see the field unset in new data; if it was required,
    they reject that data. And the id is free again: Thrift has no `reserved`, so a later field may reuse
    it and misread everything written with the old one.

    ## Safe rollout
    Mark the field deprecated (`(deprecated = "use c; removal on 2026-06-01")`), stop writing it, then
    remove it and leave a comment in its place (`// 2: b (removed; never reuse id 2)`).
    """
    if pair.new is None and pair.old is not None:
        required = pair.old.requiredness == "required"
        yield Hit({"field": _label(pair.old), "noun": _noun(pair), "required": required},
                  surfaces=surfaces(wire=flow(pair.direction, DANGEROUS, BREAKING if required else DANGEROUS),
                                    source=BREAKING))


def _reused(o: FieldDef, n: FieldDef) -> bool:
    return o.name != n.name and o.type != n.type


@rule(id="thrift-field-id-reused", kind="field", mirror="thrift-field-id-reused", surfaces=ALL,
      message="field id {id} of {noun} {owner} now holds another field: {old} became {new}",
      example=_ex("1: i32 a, 2: string b", "1: i32 a, 2: i64 count"))
def field_id_reused(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field id now holds another field: both its name and its type changed.

    The wire keys fields by id. Every value written under the old field is read as the new one: dropped
    when the wire types differ, misread when they agree. This is how a removed field's id gets reused,
    since Thrift has no `reserved` to forbid it.

    ## Safe rollout
    Never reuse an id: give the new field an id no version of the struct has used, and keep the old id
    as a comment (`// 2: b (removed; never reuse id 2)`).
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and _reused(o, n):
        yield Hit({"id": n.id, "old": f"{o.type.text} {o.name}", "new": f"{n.type.text} {n.name}",
                   "noun": _noun(pair)})


@rule(id="thrift-field-renamed", kind="field", mirror="thrift-field-renamed", surfaces=SOURCE,
      message="field {id} of {noun} {owner} was renamed from {old} to {new}", example=_ex("1: i32 a", "1: i32 b"))
def field_renamed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's name changed (its id is the same).

    The binary and compact protocols carry ids, not names: old and new readers and writers agree. Generated
    accessors change name, so code that uses them no longer compiles (and JSON written by
    `TSimpleJSONProtocol`, keyed by name, changes).

    ## Safe rollout
    Keep the name; if the new one matters, add a field under a new id, write both, move readers, then
    remove the old one.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.name != n.name and o.type == n.type:
        yield Hit({"id": n.id, "old": o.name, "new": n.name, "noun": _noun(pair)})


@rule(id="thrift-field-type-changed", kind="field", mirror="thrift-field-type-changed", surfaces=ALL,
      message="field {field} of {noun} {owner}: type changed from {old} to {new}", example=_ex("1: i32 a", "1: i64 a"))
def field_type_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's type changed (typedefs resolved to what they stand for).

    A reader skips a field whose wire type is not the one it expects: the value is lost. Unlike
    Protobuf's varints, `i32` and `i64` (and `i16`, `byte`, `bool`, `double`) are distinct wire types,
    so widening `i32` to `i64` loses every value. Within one wire type values parse: `string` read as
    `binary`, and an enum read as `i32`, keep every value (safe); `binary` read as `string` (bytes that
    are not UTF-8), `i32` read as an enum (numbers it does not name) or another struct may misread them
    (dangerous). Generated code changes type either way.

    ## Safe rollout
    Add a field with the new type under a new id, write both, move readers, then remove the old one
    (and never reuse its id).
    """
    o, n = pair.old, pair.new
    if o is None or n is None or o.type == n.type or _reused(o, n):
        return
    wire = flow(pair.direction, read(o.type, n.type), read(n.type, o.type))
    yield Hit({"field": _label(n), "old": o.type.text, "new": n.type.text, "noun": _noun(pair)},
              surfaces=surfaces(wire=wire, source=BREAKING))


def _optional_source(o: FieldDef, n: FieldDef) -> Any:
    """Generated code changes shape when ``optional`` comes or goes (pointers in Go, ``__isset`` in C++)."""
    return BREAKING if "optional" in (o.requiredness, n.requiredness) else SAFE


@rule(id="thrift-field-became-required", kind="field", mirror="thrift-field-no-longer-required",
      surfaces=surfaces(wire=BREAKING, source=BREAKING), message="field {field} of {noun} {owner} became required "
      "(was {old})", example=_ex("1: optional i32 a", "1: required i32 a"))
def field_became_required(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """An optional (or default-requiredness) field became required.

    Data written by the old schema may lack it (optional fields are written only when set, default ones
    not when null): readers built from the new one reject it. Where only the new side writes (a
    response), it always sends the field and old readers are content. From `optional`, generated code
    changes shape too (Go's pointer fields, C++'s `__isset`).

    ## Safe rollout
    Make every writer set the field first; keep it optional in the schema (required is forever in Thrift:
    it can never be relaxed safely either).
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.requiredness != "required" and n.requiredness == "required":
        yield Hit({"field": _label(n), "old": o.requiredness, "new": n.requiredness, "noun": _noun(pair)},
                  surfaces=surfaces(wire=flow(pair.direction, BREAKING, SAFE), source=_optional_source(o, n)))


@rule(id="thrift-field-no-longer-required", kind="field", mirror="thrift-field-became-required",
      surfaces=surfaces(wire=BREAKING, source=BREAKING), message="field {field} of {noun} {owner} is no longer "
      "required (now {new})", example=_ex("1: required i32 a", "1: optional i32 a"))
def field_no_longer_required(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A required field became optional (or default requiredness).

    New writers may leave it out: readers built from the old schema reject such data as missing a
    required field. Where only old writers write (a request read by a new server), they always send
    it and nothing breaks. To `optional`, generated code changes shape too.

    ## Safe rollout
    Keep it required until every reader has been rebuilt from a schema where it is not, and keep
    writing it until then.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.requiredness == "required" and n.requiredness != "required":
        yield Hit({"field": _label(n), "old": o.requiredness, "new": n.requiredness, "noun": _noun(pair)},
                  surfaces=surfaces(wire=flow(pair.direction, SAFE, BREAKING), source=_optional_source(o, n)))


@rule(id="thrift-field-requiredness-changed", kind="field", mirror="thrift-field-requiredness-changed",
      surfaces=surfaces(wire=DANGEROUS, source=BREAKING),
      message="field {field} of {noun} {owner}: requiredness changed from {old} to {new}",
      example=_ex("1: i32 a", "1: optional i32 a"))
def field_requiredness_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field moved between `optional` and default requiredness (neither word written).

    No reader rejects either, but a default-requiredness field is always written ("opt-in, req-out")
    and an optional one only when set: readers that relied on its presence read its zero value instead.
    Generated code changes shape (Go makes optional fields pointers, C++ tracks them in `__isset`).

    ## Safe rollout
    Keep the requiredness; add a field under a new id if the other one is needed.
    """
    o, n = pair.old, pair.new
    if o is None or n is None or o.requiredness == n.requiredness or "required" in (o.requiredness, n.requiredness):
        return
    to_optional = n.requiredness == "optional"  # new writers may leave it out: old readers lose its presence
    wire = flow(pair.direction, SAFE if to_optional else DANGEROUS, DANGEROUS if to_optional else SAFE)
    yield Hit({"field": _label(n), "old": o.requiredness, "new": n.requiredness, "noun": _noun(pair)},
              surfaces=surfaces(wire=wire, source=BREAKING))


@rule(id="thrift-field-default-changed", kind="field", mirror="thrift-field-default-changed",
      surfaces=surfaces(wire=DANGEROUS), message="field {field} of {noun} {owner}: default changed from {old} to {new}",
      example=_ex("1: i32 a = 1", "1: i32 a = 2"))
def field_default_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's default value changed (or was added or removed).

    Generated constructors set the default, and writers then send it: objects built by old and new code
    carry different values for the same untouched field, and readers substitute different values when
    it is absent.

    ## Safe rollout
    Keep the default; set the value explicitly where it matters.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.type == n.type and o.default != n.default:
        yield Hit({"field": _label(n), "old": o.default or "(none)", "new": n.default or "(none)",
                   "noun": _noun(pair)})


# -- enums ---------------------------------------------------------------------------------------------------

_E = "enum E {{ {values} }}\n"


def _enum_ex(old: str, new: str) -> Any:
    return example(_E.format(values=old), _E.format(values=new))


@rule(id="thrift-enum-added", kind="enum", mirror="thrift-enum-removed", surfaces=NONE,
      message="enum {subject} was added",
      example=example("enum A { X = 1 }\n", "enum A { X = 1 }\nenum B { Y = 1 }\n"))
def enum_added(pair: Pair[EnumDef], policy: Policy) -> Iterator[Hit]:
    """An enum was added.

    A new type: nothing that exists uses it yet, on the wire or in generated code.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit()


@rule(id="thrift-enum-removed", kind="enum", mirror="thrift-enum-added", surfaces=SOURCE,
      message="enum {subject} was removed",
      example=example("enum A { X = 1 }\nenum B { Y = 1 }\n", "enum A { X = 1 }\n"))
def enum_removed(pair: Pair[EnumDef], policy: Policy) -> Iterator[Hit]:
    """An enum was removed.

    Code that names it no longer compiles; fields that used it changed type and are reported where they
    are.

    ## Safe rollout
    Mark it deprecated, wait until nothing uses it, then remove it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit()


@rule(id="thrift-enum-value-added", kind="enum-value", mirror="thrift-enum-value-removed",
      surfaces=surfaces(wire=DANGEROUS), message="value {name} = {number} was added to enum {owner}",
      example=_enum_ex("A = 1", "A = 1, B = 2"))
def enum_value_added(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """A value was added to an enum.

    An enum is an `i32` on the wire. Readers built from the new schema know every old value (safe where
    the new side reads: requests, stored data). Readers built from the old schema meet a number they do
    not name: Java's generated `findByValue` returns null, switch statements fall through (dangerous
    where old readers read: responses).

    ## Safe rollout
    Make readers handle unknown values, deploy the readers, then let writers send the new value.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"name": pair.new.name, "number": pair.new.number},
                  surfaces=surfaces(wire=flow(pair.direction, SAFE, DANGEROUS)))


@rule(id="thrift-enum-value-removed", kind="enum-value", mirror="thrift-enum-value-added",
      surfaces=surfaces(wire=DANGEROUS, source=BREAKING),
      message="value {name} = {number} was removed from enum {owner}",
      example=_enum_ex("A = 1, B = 2", "A = 1"))
def enum_value_removed(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """A value was removed from an enum.

    Code that names the value no longer compiles. Old writers may still send its number, which readers
    built from the new schema do not name (dangerous where the new side reads); and the number is free
    again for another value, which would misread stored data.

    ## Safe rollout
    Mark the value deprecated (`B = 2 (deprecated = "…")`), stop writing it, then remove it and never
    reuse its number.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({"name": pair.old.name, "number": pair.old.number},
                  surfaces=surfaces(wire=flow(pair.direction, DANGEROUS, SAFE), source=BREAKING))


@rule(id="thrift-enum-value-renamed", kind="enum-value", mirror="thrift-enum-value-renamed", surfaces=SOURCE,
      message="value {number} of enum {owner} was renamed from {old} to {new}", example=_enum_ex("A = 1", "B = 1"))
def enum_value_renamed(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """An enum value's name changed (its number is the same).

    The wire carries the number: readers and writers agree. Generated constants change name, so code
    that uses them no longer compiles.

    ## Safe rollout
    Keep the name. If the new one matters, add it as a new value under a new number, migrate writers and
    readers, then deprecate the old value (Thrift enums have no aliases).
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.number == n.number and o.name != n.name:
        yield Hit({"number": n.number, "old": o.name, "new": n.name})


@rule(id="thrift-enum-value-renumbered", kind="enum-value", mirror="thrift-enum-value-renumbered",
      surfaces=surfaces(wire=BREAKING), message="value {name} of enum {owner} was renumbered from {old} to {new}",
      example=_enum_ex("A = 1, B = 2", "A = 1, B = 3"))
def enum_value_renumbered(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """An enum value kept its name and got another number.

    Code compiles unchanged, but it now writes another number: data written with the old number reads
    as no value (or another one) under the new schema, and the other way round.

    ## Safe rollout
    Never renumber: add a value with a new name and number, migrate writers, then deprecate the old one.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.number != n.number:
        yield Hit({"name": n.name, "old": o.number, "new": n.number})

"""Message fields, matched by number: deleted (and whether the number and name are reserved), renamed, retyped,
another cardinality, another oneof, another default, another language option."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

from apidiff.core.change import Hit, Severity
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.protobuf.model import FieldDef, Message, Reserved
from apidiff.formats.protobuf.rules._base import ALL, JSON, NONE, SOURCE, buf, example, surfaces

_P2 = 'syntax = "proto2";\npackage acme.v1;\n'

# buf's groups (bufcheckserverhandle/breaking_util.go): a kind may change within its group
_WIRE = [{"int32", "int64", "uint32", "uint64", "bool"}, {"sint32", "sint64"}, {"fixed32", "sfixed32"},
         {"fixed64", "sfixed64"}]
_WIRE_JSON = [{"int32", "uint32"}, {"int64", "uint64"}, {"fixed32", "sfixed32"}, {"fixed64", "sfixed64"}]
# the changes within a wire group under which every value of the old type reads back as itself
_LOSSLESS = frozenset({("int32", "int64"), ("uint32", "uint64"), ("uint32", "int64"), ("sint32", "sint64"),
                       ("bool", "int32"), ("bool", "int64"), ("bool", "uint32"), ("bool", "uint64"),
                       ("string", "bytes")})
_CARD_WIRE = [{"explicit", "implicit"}, {"repeated", "map"}]
_CARD_WIRE_JSON = [{"explicit", "implicit"}]


def _same_group(a: str, b: str, groups: list[set[str]]) -> bool:
    return a == b or any(a in g and b in g for g in groups)


def _message(pair: Pair[Any]) -> Message | None:
    parent = pair.parent
    return parent.new.item if parent is not None and parent.new is not None else None


def _where(pair: Pair[Any]) -> dict[str, Any]:
    parent = pair.parent
    side = parent.new if parent is not None and parent.new is not None else None
    return {"file": side.file, "package": side.package} if side is not None else {}


def _label(f: FieldDef) -> str:
    return f"{f.name} = {f.number}"


_MSG = "message M {{ {fields} }}\n"


def _ex(old: str, new: str, head: str | None = None) -> Any:
    if head is None:
        return example(_MSG.format(fields=old), _MSG.format(fields=new))
    return example(_MSG.format(fields=old), _MSG.format(fields=new), head=head)


@rule(id="proto-field-added", kind="field", mirror="proto-field-removed", surfaces=NONE,
      message="field {field} was added to message {owner}", example=_ex("string a = 1;", "string a = 1; int32 b = 2;"))
def field_added(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field was added to a message.

    Old readers skip the unknown number (and keep it when they re-serialize); new readers of old
    data see the field unset. Neither breaks.

    ## Safe rollout
    Nothing to roll out; give the field a number that was never used in this message.
    """
    if pair.old is None and pair.new is not None and pair.new.cardinality != "required":
        yield Hit({"field": _label(pair.new), **_where(pair)})


@rule(id="proto-field-added-required", kind="field", family="proto-field-added", mirror="proto-field-removed",
      surfaces=ALL,
      message="required field {field} was added to message {owner}",
      example=_ex("optional string a = 1;", "optional string a = 1; required int32 b = 2;", head=_P2),
      equivalents=buf("MESSAGE_SAME_REQUIRED_FIELDS"))
def field_added_required(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A required field (proto2 `required`, or `features.field_presence = LEGACY_REQUIRED`) was added.

    Messages written by old writers lack it: new readers reject them as uninitialized.

    ## Safe rollout
    Add the field as optional; required fields cannot be added safely.
    """
    if pair.old is None and pair.new is not None and pair.new.cardinality == "required":
        yield Hit({"field": _label(pair.new), **_where(pair), "buf": ("MESSAGE_SAME_REQUIRED_FIELDS",)})


@rule(id="proto-field-removed", kind="field", mirror="proto-field-added", surfaces=ALL,
      message="field {field} was deleted from message {owner}{reserved}",
      example=_ex("string a = 1; int32 b = 2;", "string a = 1;"),
      equivalents=buf("FIELD_NO_DELETE", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
                      "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", "MESSAGE_SAME_REQUIRED_FIELDS"))
def field_removed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field was deleted from a message.

    Generated code loses the field. Unless its number is reserved, a later field may reuse the
    number and misread data written with the old one (the wire keys fields by number); unless its
    name is reserved too, JSON (keyed by name) may reuse the name. A deleted required field makes
    old readers reject new messages.

    ## Safe rollout
    Deprecate the field (`[deprecated = true]`), stop writing it, then delete it and reserve both its
    number and its name: `reserved 2; reserved "b";`.
    """
    if pair.new is not None or pair.old is None:
        return
    message = _message(pair)
    reserved = message.reserved if message is not None else Reserved()
    number_reserved = reserved.has_number(pair.old.number)
    name_reserved = pair.old.name in reserved.names
    ids = ["FIELD_NO_DELETE"]
    if not number_reserved:
        ids.append("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED")
    if not name_reserved:
        ids.append("FIELD_NO_DELETE_UNLESS_NAME_RESERVED")
    if pair.old.cardinality == "required":
        ids.append("MESSAGE_SAME_REQUIRED_FIELDS")
    note = (" (number and name reserved)" if number_reserved and name_reserved else
            " (number reserved)" if number_reserved else " (name reserved)" if name_reserved else "")
    # read by the new schema, old bytes keep the field as an unknown one (a later field reusing an unreserved number
    # would misread it); old JSON still carries its key, which strict readers (Python's json_format, Go's protojson)
    # reject, reserved or not, unless a field of the same JSON name and shape took it over (a renumbering)
    successor = message is not None and any(
        f.json_name == pair.old.json_name and _type(f) == _type(pair.old) and f.cardinality == pair.old.cardinality
        for f in message.fields.values())
    yield Hit({"field": _label(pair.old), "reserved": note, **_where(pair), "buf": tuple(ids)},
              surfaces=surfaces(wire=SAFE if number_reserved else BREAKING, json=SAFE if successor else BREAKING,
                                source=BREAKING))


@rule(id="proto-field-renamed", kind="field", mirror="proto-field-renamed", surfaces=JSON,
      message="field {number} of message {owner} was renamed from {old} to {new}",
      example=_ex("string a = 1;", "string b = 1;"), equivalents=buf("FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME"))
def field_renamed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's name changed (its number is the same).

    The wire keys fields by number: binary readers and writers are unaffected. JSON keys them by
    name (`json_name`): JSON clients send and expect the old key. Generated accessors change name.

    ## Safe rollout
    Keep the old name; if the new one matters, add a field with a new number, write both, migrate
    readers, then delete the old field and reserve its number and name.
    """
    if pair.old is not None and pair.new is not None and pair.old.name != pair.new.name:
        # an extension's JSON name is its full name in brackets, never set by json_name: buf does not compare it
        json = pair.old.json_name != pair.new.json_name and not pair.old.extendee
        ids = ["FIELD_SAME_NAME"] + (["FIELD_SAME_JSON_NAME"] if json else [])
        yield Hit({"number": pair.new.number, "old": pair.old.name, "new": pair.new.name, **_where(pair),
                   "buf": tuple(ids)}, surfaces=surfaces(json=_json_keys(pair.old, pair.new), source=BREAKING))


def _json_keys(o: FieldDef, n: FieldDef) -> Severity:
    """Whether a JSON reader of the new field reads what writers of the old one send: writers use the JSON name
    (or the proto name, with an option), readers accept both of theirs."""
    return SAFE if {o.json_name, o.name} <= {n.json_name, n.name} else BREAKING


@rule(id="proto-field-json-name-changed", kind="field", mirror="proto-field-json-name-changed", surfaces=JSON,
      message="field {field} of message {owner}: JSON name changed from {old} to {new}",
      example=_ex('string a = 1 [json_name = "a"];', 'string a = 1 [json_name = "alpha"];'),
      equivalents=buf("FIELD_SAME_JSON_NAME"))
def field_json_name_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's JSON name changed (`json_name`), its name being the same.

    JSON writers emit the new key and JSON readers built from the old schema do not know it (and
    the other way round).

    ## Safe rollout
    Keep the JSON name.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.name == n.name and o.json_name != n.json_name and not o.extendee:
        yield Hit({"field": _label(n), "old": o.json_name, "new": n.json_name, **_where(pair),
                   "buf": ("FIELD_SAME_JSON_NAME",)}, surfaces=surfaces(json=_json_keys(o, n), source=BREAKING))


def _type(f: FieldDef) -> str:
    """The field's type as shown: a scalar kind, or the message or enum's name (``(delimited)`` for a group)."""
    if f.kind == "group":
        return f"{f.type_name} (delimited)"
    return f.type_name if f.kind in ("message", "enum") else f.kind


@rule(id="proto-field-type-changed", kind="field", mirror="proto-field-type-changed", surfaces=ALL,
      message="field {field} of message {owner}: type changed from {old} to {new}",
      example=_ex("int32 a = 1;", "string a = 1;"),
      equivalents=buf("FIELD_SAME_TYPE", "FIELD_WIRE_JSON_COMPATIBLE_TYPE", "FIELD_WIRE_COMPATIBLE_TYPE"))
def field_type_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's type changed.

    Within buf's wire groups (`int32`, `int64`, `uint32`, `uint64`, `bool`; `sint32`/`sint64`;
    `fixed32`/`sfixed32`; `fixed64`/`sfixed64`; `string` to `bytes`) the bytes still parse: a
    widening (`int32` to `int64`, `uint32` to `uint64`, `sint32` to `sint64`, `bool` to an integer,
    `string` to `bytes`) reads every old value as itself (wire-safe); a narrowing or a change of
    sign (`int64` to `int32`, `int32` to `uint32`, `fixed32` to `sfixed32`) misreads some values
    (dangerous, where buf's wire category passes it). In JSON only `int32`/`uint32`,
    `int64`/`uint64` and the fixed pairs keep their encoding (64-bit integers are JSON strings).
    Any other change misreads or rejects data. Generated code always changes.

    ## Safe rollout
    Add a field with a new number and the new type, write both, migrate readers, then delete the
    old field and reserve its number and name.
    """
    o, n = pair.old, pair.new
    if o is None or n is None or _type(o) == _type(n):
        return
    same_kind = o.kind == n.kind  # a message or enum type swapped for another
    wire = not same_kind and (_same_group(o.kind, n.kind, _WIRE) or (o.kind, n.kind) == ("string", "bytes"))
    json = not same_kind and _same_group(o.kind, n.kind, _WIRE_JSON)
    # buf's wire groups say the bytes parse; whether every old value reads back as itself is narrower (the wire
    # proof tests check it): a widening is safe, a narrowing or a change of sign dangerous (values are misread)
    lossless = (o.kind, n.kind) in _LOSSLESS
    if o.kind == n.kind == "enum" and o.type_name.rsplit(".", 1)[-1] == n.type_name.rsplit(".", 1)[-1] \
            and o.enum_values <= n.enum_values:  # an enum of the same name holding every old value: buf's exception
        wire = json = lossless = True
    ids = ["FIELD_SAME_TYPE"]
    if not json:
        ids.append("FIELD_WIRE_JSON_COMPATIBLE_TYPE")
    if not wire:
        ids.append("FIELD_WIRE_COMPATIBLE_TYPE")
    if same_kind and lossless:  # an enum of the same name and values
        wire_verdict = json_verdict = SAFE
    elif o.kind == n.kind and o.kind in ("message", "group"):  # another message: of the same shape, it reads alike
        o_wire, o_json = _shape(pair.parent.old if pair.parent is not None else None, o.type_name)
        n_wire, n_json = _shape(pair.parent.new if pair.parent is not None else None, n.type_name)
        wire_verdict = SAFE if o_wire and o_wire == n_wire else BREAKING
        json_verdict = SAFE if o_json and o_json == n_json else BREAKING
    else:
        wire_verdict = (SAFE if lossless else DANGEROUS) if wire else _enum_wire(o, n)
        json_verdict = _json_type(o, n)
    yield Hit({"field": _label(n), "old": _type(o), "new": _type(n), **_where(pair), "buf": tuple(ids)},
              surfaces=surfaces(wire=wire_verdict, json=json_verdict, source=BREAKING))


def _shape(side: Any, name: str) -> tuple[str, str]:
    shapes = getattr(side, "shapes", None)
    return shapes.of(name) if shapes is not None else ("", "")


# the values of each integer kind, and so which JSON numbers (or strings: readers take both) it accepts
_RANGES = {**dict.fromkeys(("int32", "sint32", "sfixed32"), (-(2**31), 2**31 - 1)),
           **dict.fromkeys(("uint32", "fixed32"), (0, 2**32 - 1)),
           **dict.fromkeys(("int64", "sint64", "sfixed64"), (-(2**63), 2**63 - 1)),
           **dict.fromkeys(("uint64", "fixed64"), (0, 2**64 - 1))}


def _json_type(o: FieldDef, n: FieldDef) -> Severity:
    """How a JSON reader of ``n``'s kind reads what a writer of ``o``'s sends (the kinds differ): integers are
    numbers (or strings) whatever their encoding, accepted when in range and rejected otherwise; a float is a
    double's subset; a JSON reader of an open enum takes names and any int32 number, of an integer only numbers."""
    old, new = o.kind, n.kind
    if new == "enum" and not n.enum_closed and old in _RANGES:
        return SAFE if _RANGES[old] == _RANGES["int32"] else BREAKING
    if old in _RANGES and new in _RANGES:
        (lo, hi), (new_lo, new_hi) = _RANGES[old], _RANGES[new]
        return SAFE if new_lo <= lo and hi <= new_hi else BREAKING
    if (old, new) == ("float", "double"):
        return SAFE
    return BREAKING


def _enum_wire(o: FieldDef, n: FieldDef) -> Severity:
    """An enum is an int32 varint on the wire: read as an ``int32`` or ``int64`` it is the same number (as an
    unsigned kind a negative value is misread); an ``int32`` read as an open enum is the same number, as a closed
    one a number it does not declare is dropped; other changes across kinds are read as something else."""
    if o.kind == "enum" and n.kind in ("int32", "int64"):
        return SAFE
    if o.kind == "enum" and n.kind in ("uint32", "uint64", "bool"):
        return DANGEROUS
    if n.kind == "enum" and o.kind in ("int32", "int64", "uint32", "uint64", "bool"):
        if n.enum_closed:
            return BREAKING
        return SAFE if o.kind in ("int32", "bool") else DANGEROUS  # wider integers are truncated to 32 bits
    return BREAKING


@rule(id="proto-field-cardinality-changed", kind="field", mirror="proto-field-cardinality-changed", surfaces=ALL,
      message="field {field} of message {owner}: cardinality changed from {old} to {new}",
      example=_ex("string a = 1;", "repeated string a = 1;"),
      equivalents=buf("FIELD_SAME_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
                      "FIELD_WIRE_COMPATIBLE_CARDINALITY", "MESSAGE_SAME_REQUIRED_FIELDS"))
def field_cardinality_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's cardinality changed: explicit presence (`optional`), implicit presence, `required`,
    `repeated` or `map`.

    Explicit and implicit presence encode alike (only whether a zero value is sent differs), and a
    map is a repeated message on the wire but not in JSON; anything else changes how values are
    read. Generated code always changes (`has_` methods, list types).

    ## Safe rollout
    Add a field with a new number and the new cardinality, write both, migrate readers, then delete
    the old field and reserve its number and name.
    """
    o, n = pair.old, pair.new
    if o is None or n is None or o.cardinality == n.cardinality or _in_map_entry(pair):
        return  # a map entry's key and value behave alike whatever presence they appear to inherit (as buf)
    wire = _same_group(o.cardinality, n.cardinality, _CARD_WIRE)
    json = _same_group(o.cardinality, n.cardinality, _CARD_WIRE_JSON)
    ids = ["FIELD_SAME_CARDINALITY"]
    if not json:
        ids.append("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY")
    if not wire:
        ids.append("FIELD_WIRE_COMPATIBLE_CARDINALITY")
    if "required" in (o.cardinality, n.cardinality):
        ids.append("MESSAGE_SAME_REQUIRED_FIELDS")
    yield Hit({"field": _label(n), "old": o.cardinality, "new": n.cardinality, **_where(pair), "buf": tuple(ids)},
              surfaces=surfaces(wire=_card_wire(o.cardinality, n.cardinality),
                                json=_card_json(o.cardinality, n.cardinality), source=BREAKING))


_SINGULAR = frozenset({"explicit", "implicit", "required"})


def _card_wire(old: str, new: str) -> Severity:
    """How a reader with cardinality ``new`` reads bytes written with ``old`` (every pair but ``old == new``).

    Presence is not on the wire; a repeated reader takes one value as a list of one (packed or not); a
    required reader rejects messages without the field; a singular reader keeps the last of several values
    (the others are lost); a map reader keeps the last entry of a key (repeated entries may repeat one)."""
    if new == "required":
        return BREAKING  # old writers may leave it out
    if old in _SINGULAR and new in _SINGULAR:
        return SAFE
    if old in _SINGULAR and new == "repeated":
        return SAFE
    if (old, new) == ("map", "repeated"):
        return SAFE
    if (old, new) == ("repeated", "map"):
        return DANGEROUS  # entries with the same key collapse into one
    return BREAKING


def _card_json(old: str, new: str) -> Severity:
    """The same in the JSON mapping: a value, a list and an object are three shapes."""
    if new == "required" and old != "required":
        return BREAKING
    return SAFE if old in _SINGULAR and new in _SINGULAR else BREAKING


@rule(id="proto-field-oneof-changed", kind="field", mirror="proto-field-oneof-changed", surfaces=ALL,
      message="field {field} of message {owner} moved from {old} to {new}",
      example=_ex("string a = 1; string b = 2;", "oneof choice { string a = 1; } string b = 2;"),
      equivalents=buf("FIELD_SAME_ONEOF"))
def field_oneof_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field moved into, out of, or between oneofs.

    Setting one member of a oneof clears the others: a field moved into a oneof silently drops
    values of its new siblings when a reader merges messages, and generated code changes shape.

    ## Safe rollout
    Add a new field in the oneof under a new number, migrate writers, then delete the old field.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and o.oneof != n.oneof:
        # bytes written before may set the field and a new sibling of its oneof together: a reader keeps one
        lossy = _joins_set_fields(pair, o, n)
        yield Hit({"field": _label(n), "old": f"oneof {o.oneof}" if o.oneof else "no oneof",
                   "new": f"oneof {n.oneof}" if n.oneof else "no oneof", **_where(pair), "buf": ("FIELD_SAME_ONEOF",)},
                  surfaces=surfaces(wire=BREAKING if lossy else SAFE, json=BREAKING if lossy else SAFE,
                                    source=BREAKING))


def _joins_set_fields(pair: Pair[FieldDef], o: FieldDef, n: FieldDef) -> bool:
    """Whether the field's new oneof holds another field that old writers could set together with it (the same
    number outside the field's old oneof)."""
    parent = pair.parent
    if n.oneof is None or parent is None or parent.old is None or parent.new is None:
        return False
    old_fields: dict[int, FieldDef] = parent.old.item.fields
    for number, sibling in parent.new.item.fields.items():
        before = old_fields.get(number)
        if number != n.number and sibling.oneof == n.oneof and before is not None \
                and (o.oneof is None or before.oneof != o.oneof):
            return True
    return False


@rule(id="proto-field-default-changed", kind="field", mirror="proto-field-default-changed", surfaces=ALL,
      message="field {field} of message {owner}: default changed from {old} to {new}",
      example=_ex("optional int32 a = 1 [default = 1];", "optional int32 a = 1 [default = 2];", head=_P2),
      equivalents=buf("FIELD_SAME_DEFAULT"))
def field_default_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A field's default value changed (proto2 `[default = …]`).

    A reader substitutes the default when the field is absent: the same bytes now read as another
    value.

    ## Safe rollout
    Keep the default; write the value explicitly where it matters.
    """
    o, n = pair.old, pair.new
    if o is not None and n is not None and (o.default is not None or n.default is not None) \
            and _default_value(o, "float" in (o.kind, n.kind)) != _default_value(n, "float" in (o.kind, n.kind)):
        yield Hit({"field": _label(n), "old": o.default if o.default is not None else "(none)",
                   "new": n.default if n.default is not None else "(none)", **_where(pair),
                   "buf": ("FIELD_SAME_DEFAULT",)})


_NUMBERS = frozenset({"double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
                      "fixed64", "sfixed32", "sfixed64"})


def _default_value(f: FieldDef, single: bool = False) -> tuple[str, object]:
    """The value a reader substitutes for an absent field: its explicit default, or its type's zero (``single``:
    compared at a 32-bit float's precision, when one side is a ``float``)."""
    text = f.default
    if f.kind in _NUMBERS:
        try:
            value = float(text) if text is not None else 0.0
            if f.kind == "float" or single:  # the value a 32-bit float holds: 0.102030396 and 0.1020304 are one
                value = struct.unpack("<f", struct.pack("<f", value))[0]
            return "number", value
        except (ValueError, OverflowError):
            return "number", text  # inf, nan
    if f.kind == "bool":  # as buf compares them: true is 1
        return "number", 1.0 if text == "true" else 0.0
    if f.kind == "enum":
        return "number", float(f.enum_default) if f.enum_default is not None else text
    if f.kind in ("string", "bytes"):  # the same text as a string or as bytes is the same default
        return "text", text or ""
    return f.kind, text


def _option_rule(rule_id: str, buf_id: str, attr: str, what: str, old: str, new: str, head: str | None = None,
                 new_head: str | None = None, severity: dict[str, Severity] = SOURCE) -> None:
    ex = _ex(old, new, head=head) if new_head is None else example(
        _MSG.format(fields=old), _MSG.format(fields=new), head=head or "", new_head=new_head)

    @rule(id=rule_id, kind="field", mirror=rule_id, surfaces=severity,
          message=f"field {{field}} of message {{owner}}: {what} changed from {{old}} to {{new}}",
          example=ex, equivalents=buf(buf_id),
          doc=f"""A field's {what} changed.

          The option changes the code generated for the field (the language type it is read into,
          or how strings are checked), not its bytes: code that uses the field may no longer
          compile or may start rejecting values it accepted.

          ## Safe rollout
          Keep the option; change it only with every user of the generated code.""")
    def check(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
        o, n = pair.old, pair.new
        if o is not None and n is not None and _type(o) == _type(n) and getattr(o, attr) != getattr(n, attr):
            yield Hit({"field": _label(n), "old": str(getattr(o, attr)), "new": str(getattr(n, attr)),
                       **_where(pair), "buf": (buf_id,)})


_option_rule("proto-field-jstype-changed", "FIELD_SAME_JSTYPE", "jstype", "JavaScript type (jstype)",
             "int64 a = 1;", "int64 a = 1 [jstype = JS_STRING];")
_option_rule("proto-field-string-validation-changed", "FIELD_SAME_UTF8_VALIDATION", "utf8_validation",
             "UTF-8 validation", "string a = 1;", "string a = 1 [features.utf8_validation = NONE];",
             head='edition = "2023";\npackage acme.v1;\n')
_option_rule("proto-field-java-string-check-changed", "FIELD_SAME_JAVA_UTF8_VALIDATION", "java_utf8",
             "Java UTF-8 validation", "optional string a = 1;", "optional string a = 1;",
             head=_P2, new_head=_P2 + "option java_string_check_utf8 = true;\n")


@rule(id="proto-field-ctype-changed", kind="field", mirror="proto-field-ctype-changed", surfaces=SOURCE,
      message="field {field} of message {owner}: C++ string type changed from {old} to {new}",
      example=_ex("optional string a = 1;", "optional string a = 1 [ctype = CORD];", head=_P2),
      equivalents=buf("FIELD_SAME_CPP_STRING_TYPE"))
def field_ctype_changed(pair: Pair[FieldDef], policy: Policy) -> Iterator[Hit]:
    """A string or bytes field's C++ string type changed (`ctype`, or the `(pb.cpp).string_type` feature).

    The C++ code generated for the field reads it into another type (`std::string`, `absl::Cord`,
    `absl::string_view`): C++ callers of the accessors no longer compile. Moving from
    `STRING_PIECE` to `STRING` is allowed, as buf allows it.

    ## Safe rollout
    Keep the string type; change it only with every C++ user of the generated code.
    """
    o, n = pair.old, pair.new
    if o is None or n is None or not o.cpp_string_type or not n.cpp_string_type or _in_map_entry(pair):
        return
    if o.cpp_string_type != n.cpp_string_type and (o.cpp_string_type, n.cpp_string_type) != ("STRING_PIECE", "STRING"):
        yield Hit({"field": _label(n), "old": o.cpp_string_type, "new": n.cpp_string_type, **_where(pair),
                   "buf": ("FIELD_SAME_CPP_STRING_TYPE",)})


def _in_map_entry(pair: Pair[Any]) -> bool:
    parent = pair.parent
    item = parent.new.item if parent is not None and parent.new is not None else None
    return bool(getattr(item, "map_entry", False))

"""apidiff's wire and JSON verdicts for message, enum, cardinality, oneof and scalar changes, proved the way
``test_wire_proof`` proves the scalar type changes: messages built from the old and the new descriptors,
values generated with hypothesis (from the writer's descriptor), encoded under one schema and decoded under
the other, in binary (``SerializeToString`` / ``FromString``) and in JSON (``json_format.MessageToJson`` /
``json_format.Parse``, strict: ``ignore_unknown_fields=False``).

Each case is judged per surface (``wire``, ``json``) and per direction: ``backward`` writes with the old schema
and reads with the new one (old data, new readers), ``forward`` writes with the new schema and reads with the
old one (a rollback). For apidiff's verdict on that surface and direction (the worst over the changes it
reports for the pair; no change is safe):

- safe: every generated value decodes (no error, no missing required field) and every field the writer set
  reads as the same value in the reader's field of the same number (wire) or JSON key (json); a field the
  reader does not know is kept as an unknown field (binary only: it survives re-serialization), which is
  the documented behaviour, not a loss; an unknown number of an open enum is kept as that number;
- dangerous: nothing is asserted; what the values showed is recorded (``record_property``);
- breaking: some value is found that fails to decode, is lost, or is misread. A deletion that does not
  reserve the freed number (or an addition whose rollback frees it) breaks nothing between these two
  schemas; what it breaks is the next schema that reuses the number, so such cases carry that schema
  (``reuse``) and the witness may come from reading the old data under it.

"The same value" is judged by meaning: a field or enum value is the same when its name is, so a reader that
has the writer's field (or enum value) name under another number has misread it; a ``float`` value kept by a
``double`` is the same when it rounds to the same ``float``; a ``string`` and ``bytes`` are the same when the
bytes are the string's UTF-8.

Where the values contradict apidiff's verdict the case is ``xfail(strict=True)`` with the reason: those are
the library's bugs, listed in ``DISAGREE``.
"""

from __future__ import annotations

import functools
import math
import struct
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import DecodeError, Message
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from apidiff import compare
from apidiff.core.change import Severity
from apidiff.core.result import Report
from apidiff.formats.protobuf.compile import compile_sources
from apidiff.formats.protobuf.load import KINDS, from_descriptor_set, parse_image
from tests.formats.protobuf.test_wire_proof import VALUES, _same

DIRECTIONS = ("backward", "forward")
SURFACES = ("wire", "json")
HEADS = {"proto3": 'syntax = "proto3";\n', "proto2": 'syntax = "proto2";\n', "editions": 'edition = "2023";\n'}


@dataclass(frozen=True)
class Case:
    id: str
    old: str
    new: str
    syntax: str = "proto3"
    # a later schema that takes the number this change frees: read instead of the new schema (backward) or of
    # the old one (forward) when the two schemas alone show nothing
    reuse_backward: str | None = None
    reuse_forward: str | None = None

    @property
    def package(self) -> str:
        return self.id.replace("-", "_")


def _scalar_case(a: str, b: str) -> Case:
    return Case(f"{a}-{b}", f"message M {{ {a} a = 1; }}", f"message M {{ {b} a = 1; }}")


_ENUM3 = "enum E {{ E_UNSPECIFIED = 0; E_A = 1; {more} }}\nmessage M {{ E e = 1; }}"
_ENUM2 = "enum E {{ E_UNSPECIFIED = 0; E_A = 1; {more} }}\nmessage M {{ optional E e = 1; }}"
_S = "message S { int32 x = 1; string y = 2; }\n"
_TWO = "message S1 { int32 x = 1; string y = 2; }\nmessage S2 { int32 x = 1; string y = 2; }\n"
_INCOMPATIBLE = "message S1 { int32 x = 1; }\nmessage S3 { string x = 1; }\n"
_NESTED = "message M {{ message Inner {{ {inner} }} Inner a = 1; repeated Inner b = 2; }}"

CASES = [
    # cardinality
    Case("int32-singular-repeated", "message M { int32 a = 1; }", "message M { repeated int32 a = 1; }"),
    Case("int32-singular-repeated-unpacked", "message M { int32 a = 1; }",
         "message M { repeated int32 a = 1 [packed = false]; }"),
    Case("string-singular-repeated", "message M { string a = 1; }", "message M { repeated string a = 1; }"),
    Case("message-singular-repeated", _S + "message M { S a = 1; }", _S + "message M { repeated S a = 1; }"),
    Case("optional-implicit", "message M { optional int32 a = 1; optional string b = 2; }",
         "message M { int32 a = 1; string b = 2; }"),
    Case("required-optional", "message M { required int32 a = 1; optional string b = 2; }",
         "message M { optional int32 a = 1; optional string b = 2; }", syntax="proto2"),
    Case("map-repeated-entry", "message M { map<string, int32> a = 1; }",
         "message M { message AEntry { string key = 1; int32 value = 2; } repeated AEntry a = 1; }"),
    # oneofs
    Case("oneof-into-new", "message M { int32 a = 1; string b = 2; }",
         "message M { oneof c { int32 a = 1; } string b = 2; }"),
    Case("oneof-out-of-single", "message M { oneof c { int32 a = 1; } string b = 2; }",
         "message M { int32 a = 1; string b = 2; }"),
    Case("oneof-into-existing", "message M { int32 a = 1; oneof c { string x = 3; } }",
         "message M { oneof c { int32 a = 1; string x = 3; } }"),
    Case("oneof-out-of-existing", "message M { oneof c { int32 a = 1; string x = 3; } }",
         "message M { int32 a = 1; oneof c { string x = 3; } }"),
    Case("oneof-two-fields-into-one", "message M { int32 a = 1; string b = 2; }",
         "message M { oneof c { int32 a = 1; string b = 2; } }"),
    # enums
    Case("enum-value-removed", _ENUM3.format(more="E_B = 2;"), _ENUM3.format(more=""),
         reuse_backward=_ENUM3.format(more="E_C = 2;")),
    Case("enum-value-removed-reserved", _ENUM3.format(more="E_B = 2;"),
         _ENUM3.format(more='reserved 2; reserved "E_B";')),
    Case("enum-value-added", _ENUM3.format(more=""), _ENUM3.format(more="E_B = 2;"),
         reuse_forward=_ENUM3.format(more="E_C = 2;")),
    Case("closed-enum-value-added", _ENUM2.format(more=""), _ENUM2.format(more="E_B = 2;"), syntax="proto2",
         reuse_forward=_ENUM2.format(more="E_C = 2;")),
    Case("enum-value-renumbered", _ENUM3.format(more="E_B = 2;"), _ENUM3.format(more="E_B = 3;")),
    Case("enum-to-int32", _ENUM3.format(more=""), _ENUM3.format(more="").replace("E e = 1", "int32 e = 1")),
    Case("closed-enum-to-int32", _ENUM2.format(more=""),
         _ENUM2.format(more="").replace("optional E e = 1", "optional int32 e = 1"), syntax="proto2"),
    Case("enum-open-to-closed", _ENUM3.format(more=""),
         _ENUM3.format(more="option features.enum_type = CLOSED;"), syntax="editions"),
    # message fields
    Case("field-deleted", "message M { int32 a = 1; string b = 2; }", "message M { int32 a = 1; }",
         reuse_backward="message M { int32 a = 1; int32 c = 2; }"),
    Case("field-deleted-number-reserved", "message M { int32 a = 1; string b = 2; }",
         "message M { int32 a = 1; reserved 2; }"),
    Case("field-deleted-reserved", "message M { int32 a = 1; string b = 2; }",
         'message M { int32 a = 1; reserved 2; reserved "b"; }'),
    Case("field-renumbered", "message M { int32 a = 1; string b = 2; }", "message M { int32 a = 1; string b = 3; }",
         reuse_backward="message M { int32 a = 1; int32 c = 2; string b = 3; }"),
    Case("field-renamed", "message M { int32 a = 1; string b = 2; }", "message M { int32 a = 1; string c = 2; }"),
    Case("json-name-changed", 'message M { string b = 2 [json_name = "x"]; }',
         'message M { string b = 2 [json_name = "y"]; }'),
    Case("json-name-set", "message M { string b = 2; }", 'message M { string b = 2 [json_name = "y"]; }'),
    Case("message-type-compatible", _TWO + "message M { S1 a = 1; }", _TWO + "message M { S2 a = 1; }"),
    Case("message-type-incompatible", _INCOMPATIBLE + "message M { S1 a = 1; }",
         _INCOMPATIBLE + "message M { S3 a = 1; }"),
    Case("nested-field-retyped", _NESTED.format(inner="int32 x = 1; string y = 2;"),
         _NESTED.format(inner="sint32 x = 1; string y = 2;")),
    Case("nested-field-renamed", _NESTED.format(inner="int32 x = 1; string y = 2;"),
         _NESTED.format(inner="int32 x = 1; string z = 2;")),
    # scalar kinds
    *(_scalar_case(a, b) for a, b in [("string", "bytes"), ("int32", "uint32"), ("uint32", "int64"),
                                      ("int32", "int64"), ("sint32", "int32"), ("fixed32", "sfixed32"),
                                      ("float", "double")]),
]
BY_ID = {c.id: c for c in CASES}
assert len(BY_ID) == len(CASES)

# (case, surface, direction) -> what apidiff gets wrong; each would be an xfail(strict=True) and a bug to fix.
# Empty: the 51 disagreements these tests found when written were fixed in the rules.
DISAGREE: dict[tuple[str, str, str], str] = {}


# -- descriptors --------------------------------------------------------------------------------------------


def _text(case: Case, body: str) -> str:
    return f"{HEADS[case.syntax]}package proof.{case.package};\n{body}\n"


def _compile(bodies: dict[str, str]) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    """Each case's file (``<package>.proto``), compiled in one protoc run."""
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in bodies.items():
            Path(scratch, name).write_text(text)
        image = parse_image(compile_sources([Path(scratch)], sorted(bodies)), "proof")
    return {f.name: f for f in image.file}


def _side(attr: str) -> dict[str, descriptor_pb2.FileDescriptorProto]:
    bodies = {f"{c.package}.proto": _text(c, getattr(c, attr)) for c in CASES if getattr(c, attr) is not None}
    files = _compile(bodies)
    return {c.id: files[f"{c.package}.proto"] for c in CASES if getattr(c, attr) is not None}


_SIDES = ("old", "new", "reuse_backward", "reuse_forward")
with ThreadPoolExecutor(len(_SIDES)) as _pool:  # one protoc per side, side by side
    FILES = dict(zip(_SIDES, _pool.map(_side, _SIDES), strict=True))


@functools.cache
def _message(side: str, case_id: str) -> type[Message]:
    """Class of ``proof.<case>.M`` built from one side's descriptor, in a pool of its own."""
    proto = FILES[side][case_id]
    pool = descriptor_pool.DescriptorPool()
    return message_factory.GetMessages([proto], pool=pool)[f"{proto.package}.M"]  # type: ignore[no-any-return]


@functools.cache
def _report(case_id: str) -> Report:
    old, new = (descriptor_pb2.FileDescriptorSet(file=[FILES[s][case_id]]) for s in ("old", "new"))
    return compare(from_descriptor_set(old, f"{case_id}/old"), from_descriptor_set(new, f"{case_id}/new"))


def _verdict(case_id: str, surface: str, direction: str) -> Severity:
    """apidiff's verdict: the worst over the pair's changes that judge the surface (safe when none does)."""
    index = 0 if direction == "backward" else 1
    return max((c.surfaces[surface][index] for c in _report(case_id).changes if surface in c.surfaces),
               default=Severity.SAFE)


def _changes(case_id: str) -> str:
    return "; ".join(f"{c.id} {c.subject} {dict((k, (b.value, f.value)) for k, (b, f) in c.surfaces.items())}"
                     for c in _report(case_id).changes) or "(no change)"


# -- values -------------------------------------------------------------------------------------------------

_MESSAGE, _ENUM = FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_ENUM
# descriptors, loosely typed: the stubs' upb and pure-Python classes differ, and their links are Optional
Field = Any
Desc = Any
_INT32 = st.integers(-2**31, 2**31 - 1)


def _is_map(f: Field) -> bool:
    return bool(f.type == _MESSAGE and f.is_repeated and f.message_type.GetOptions().map_entry)


def _real_oneof(f: Field) -> bool:
    """In a oneof that is not proto3 ``optional``'s synthetic one."""
    o = f.containing_oneof
    return o is not None and not (o.name == f"_{f.name}" and len(o.fields) == 1)


def _element(f: Field) -> st.SearchStrategy[Any]:
    """One value of the field's type: an open enum holds any number, a closed one only its values."""
    if f.type == _MESSAGE:
        return _values(f.message_type)
    if f.type == _ENUM:
        known = st.sampled_from([v.number for v in f.enum_type.values])
        return known if f.enum_type.is_closed else st.one_of(known, known, _INT32)
    return VALUES[KINDS[f.type]]


def _field(f: Field) -> st.SearchStrategy[Any]:
    if _is_map(f):
        key, value = (f.message_type.fields_by_number[n] for n in (1, 2))
        return st.dictionaries(_element(key), _element(value), max_size=3)
    if f.is_repeated:
        return st.lists(_element(f), max_size=3)
    if f.has_presence and not f.is_required:
        return st.none() | _element(f)
    return _element(f)


def _values(desc: Desc) -> st.SearchStrategy[dict[str, Any]]:
    """What a writer sets, by field name (None: not set); at most one member of each oneof."""
    plain = {f.name: _field(f) for f in desc.fields if not _real_oneof(f)}
    parts: list[st.SearchStrategy[dict[str, Any]]] = [st.fixed_dictionaries(plain)]
    for oneof in desc.oneofs:
        members = [f for f in oneof.fields if _real_oneof(f)]
        if members:
            parts.append(st.one_of(st.just({}), *(_element(f).map(functools.partial(_one, f.name)) for f in members)))
    return st.tuples(*parts).map(lambda ds: {k: v for d in ds for k, v in d.items()})


def _one(name: str, value: Any) -> dict[str, Any]:
    return {name: value}


def _fill(msg: Message, data: dict[str, Any]) -> Message:
    for name, value in data.items():
        if value is None:
            continue
        f: Field = msg.DESCRIPTOR.fields_by_name[name]
        target = getattr(msg, name)
        if _is_map(f):
            sub = f.message_type.fields_by_number[2].type == _MESSAGE
            for k, v in value.items():
                if sub:
                    _fill(target[k], v)
                else:
                    target[k] = v
        elif f.is_repeated:
            for v in value:
                if f.type == _MESSAGE:
                    _fill(target.add(), v)
                else:
                    target.append(v)
        elif f.type == _MESSAGE:
            target.SetInParent()
            _fill(target, value)
        else:
            setattr(msg, name, value)
    return msg


# -- comparing what was written with what was read -----------------------------------------------------------


def _read(msg: Message, f: Field) -> Any:
    """The field's value: a dict (map), a list (repeated), None (unset, where presence is tracked) or a value."""
    value = getattr(msg, f.name)
    if _is_map(f):
        return dict(value)
    if f.is_repeated:
        return list(value)
    if f.has_presence and not msg.HasField(f.name):
        return None
    return value


def _sent(f: Field, value: Any) -> bool:
    """Whether the writer sends anything for the field."""
    if value is None:
        return False
    if f.is_repeated:
        return len(value) > 0
    return bool(f.has_presence or f.type == _MESSAGE or value != f.default_value)


def _counterpart(f: Field, reader: Desc, surface: str) -> Field | None:
    """The reader's field for the writer's ``f``: by number on the wire, by JSON key in JSON."""
    if surface == "wire":
        return reader.fields_by_number.get(f.number)
    return next((g for g in reader.fields if g.json_name == f.json_name), reader.fields_by_name.get(f.json_name))


def _as_float(x: float) -> float | None:
    try:
        return float(struct.unpack("<f", struct.pack("<f", x))[0])
    except OverflowError:
        return None


def _same_element(f: Field, a: Any, g: Field, b: Any, surface: str) -> str | None:
    """None if the reader's ``b`` (of ``g``) is the writer's ``a`` (of ``f``); else what differs."""
    if f.type == _MESSAGE and g.type == _MESSAGE:
        return _diff(a, b, surface)
    if f.type == _MESSAGE or g.type == _MESSAGE:
        return f"a message read as {b!r}" if f.type == _MESSAGE else f"{a!r} read as a message"
    if f.type == _ENUM and g.type == _ENUM:
        wv, rv = f.enum_type.values_by_number.get(a), g.enum_type.values_by_number.get(b)
        if wv is not None and rv is not None:
            return None if wv.name == rv.name else f"{wv.name} read as {rv.name}"
        if wv is not None and wv.name in g.enum_type.values_by_name:
            theirs = g.enum_type.values_by_name[wv.name].number
            return f"{wv.name} = {a} read as {b}, though the reader has {wv.name} = {theirs}"
        return None if a == b else f"{a} read as {b}"  # an unknown number kept as itself
    kinds = {KINDS[f.type], KINDS[g.type]}
    if kinds == {"float", "double"}:
        if KINDS[f.type] == "float":  # a float kept by a double: the same when it rounds back to the float
            return None if _as_float(b) == a or (math.isnan(a) and math.isnan(b)) else f"{a!r} read as {b!r}"
        return None if a == b or (math.isnan(a) and math.isnan(b)) else f"{a!r} read as {b!r}"
    return None if _same(a, b) else f"{a!r} read as {b!r}"


def _pairs(f: Field, value: Any) -> list[tuple[Any, Any]]:
    """A map's entries, or a repeated entry-like message's (key, value) fields."""
    if isinstance(value, dict):
        return list(value.items())
    return [(e.key, e.value) for e in value]


def _compare(f: Field, a: Any, g: Field, b: Any, surface: str) -> str | None:
    if _is_map(f) or _is_map(g):
        if not (f.is_repeated and g.is_repeated):
            return f"{a!r} read as {b!r}"
        entries, read = _pairs(f, a), _pairs(g, b)
        mine = dict(entries)
        got = dict(read)
        if len(entries) != len(read) or len(read) != len(got) or mine.keys() != got.keys():
            return f"entries {entries!r} read as {read!r}"
        kf, kg = f.message_type.fields_by_number[2], g.message_type.fields_by_number[2]
        for k, v in mine.items():
            why = _same_element(kf, v, kg, got[k], surface)
            if why:
                return f"[{k!r}]: {why}"
        return None
    if f.is_repeated or g.is_repeated:
        if not g.is_repeated:  # a list read into one value: only a single element can survive
            if len(a) != 1:
                return f"{len(a)} values read as one ({b!r})"
            a = a[0]
            if b is None:
                return "lost"
            return _same_element(f, a, g, b, surface)
        listed = a if f.is_repeated else [a]
        if len(listed) != len(b):
            return f"{listed!r} read as {b!r}"
        for x, y in zip(listed, b, strict=True):
            why = _same_element(f, x, g, y, surface)
            if why:
                return why
        return None
    if b is None:  # the reader tracks presence and did not see the field
        return "lost (unset)"
    return _same_element(f, a, g, b, surface)


def _diff(writer: Message, reader: Message, surface: str) -> str | None:
    """What the reader lost or misread of what the writer set (None: nothing)."""
    rd = reader.DESCRIPTOR
    unknown = False
    for f in writer.DESCRIPTOR.fields:
        value = _read(writer, f)
        if not _sent(f, value):
            continue
        g = _counterpart(f, rd, surface)
        if g is None:
            other = rd.fields_by_name.get(f.name)
            if other is not None:  # the reader has the field, under another number
                return f"{f.name}: lost (written as {f.number}, read as {other.number})"
            unknown = True  # kept as an unknown field (checked below)
            continue
        why = _compare(f, value, g, _read(reader, g), surface)
        if why:
            return f"{f.name}: {why}"
    if unknown and surface == "wire":  # an unknown field survives re-serialization
        back = type(writer).FromString(reader.SerializeToString())
        if back != writer:
            return "an unknown field was not kept"
    return None


def _outcome(case_id: str, surface: str, direction: str, data: dict[str, Any], reader_side: str | None = None) -> \
        str | None:
    """None if the value written under one schema reads as itself under the other; else what went wrong."""
    writer_side, default_reader = ("old", "new") if direction == "backward" else ("new", "old")
    writer = _fill(_message(writer_side, case_id)(), data)
    reader_cls = _message(reader_side or default_reader, case_id)
    try:
        if surface == "wire":
            reader = reader_cls.FromString(writer.SerializeToString())
        else:
            reader = json_format.Parse(json_format.MessageToJson(writer), reader_cls())
    except (DecodeError, json_format.ParseError) as exc:
        return f"rejected: {str(exc).splitlines()[0]}"
    if not reader.IsInitialized():
        return "rejected: missing required fields"
    return _diff(writer, reader, surface)


# -- the tests ----------------------------------------------------------------------------------------------

SAFE_EXAMPLES = 60
SEARCH_EXAMPLES = 150


def _params() -> list[Any]:
    out = []
    for c in CASES:
        for surface in SURFACES:
            for direction in DIRECTIONS:
                reason = DISAGREE.get((c.id, surface, direction))
                marks = [pytest.mark.xfail(strict=True, reason=f"apidiff verdict wrong: {reason}")] if reason else []
                out.append(pytest.param(c.id, surface, direction, marks=marks, id=f"{c.id}-{surface}-{direction}"))
    return out


def _strategy(case_id: str, direction: str) -> st.SearchStrategy[dict[str, Any]]:
    return _values(_message("old" if direction == "backward" else "new", case_id).DESCRIPTOR)


def _settings(n: int, shrink: bool = False) -> settings:
    phases = (Phase.explicit, Phase.generate, Phase.shrink) if shrink else (Phase.explicit, Phase.generate)
    return settings(max_examples=n, deadline=None, derandomize=True, database=None, phases=phases,
                    suppress_health_check=list(HealthCheck))


def _kind(why: str | None) -> str:
    if why is None:
        return "same"
    return "rejected" if why.startswith("rejected") else "lost" if "lost" in why else "misread"


def _witness(case_id: str, surface: str, direction: str, reader_side: str | None = None) -> \
        tuple[dict[str, Any], str] | None:
    """A value the change rejects, loses or misreads, and what happened to it."""
    def bad(data: dict[str, Any]) -> bool:
        return _outcome(case_id, surface, direction, data, reader_side) is not None

    try:
        data = find(_strategy(case_id, direction), bad, settings=_settings(SEARCH_EXAMPLES, shrink=True))
    except NoSuchExample:
        return None
    why = _outcome(case_id, surface, direction, data, reader_side)
    assert why is not None
    return data, why


@pytest.mark.parametrize(("case_id", "surface", "direction"), _params())
def test_the_verdict_holds_for_every_value(case_id: str, surface: str, direction: str,
                                          record_property: Callable[[str, object], None]) -> None:
    verdict = _verdict(case_id, surface, direction)
    record_property("apidiff", verdict.value)
    if verdict is Severity.SAFE:
        @_settings(SAFE_EXAMPLES, shrink=True)
        @given(_strategy(case_id, direction))
        def every_value_reads_as_itself(data: dict[str, Any]) -> None:
            why = _outcome(case_id, surface, direction, data)
            assert why is None, f"apidiff: {surface} {direction} safe ({_changes(case_id)}), but {data!r}: {why}"

        every_value_reads_as_itself()
    elif verdict is Severity.DANGEROUS:
        seen: dict[str, int] = {}

        @_settings(SAFE_EXAMPLES)
        @given(_strategy(case_id, direction))
        def tally(data: dict[str, Any]) -> None:
            kind = _kind(_outcome(case_id, surface, direction, data))
            seen[kind] = seen.get(kind, 0) + 1

        tally()
        record_property("observed", seen)
        found = _witness(case_id, surface, direction)
        record_property("witness", f"{found[0]!r}: {found[1]}" if found else "none found")
    else:
        found = _witness(case_id, surface, direction)
        case = BY_ID[case_id]
        reuse = case.reuse_backward if direction == "backward" else case.reuse_forward
        if found is None and reuse is not None:
            found = _witness(case_id, surface, direction, f"reuse_{direction}")
            if found is not None:
                found = found[0], f"under the next schema, which reuses the freed number: {found[1]}"
        if found is None:
            pytest.fail(f"apidiff: {surface} {direction} breaking ({_changes(case_id)}), but every value "
                        f"read back as itself")
        record_property("witness", f"{found[0]!r}: {found[1]}")


def test_every_case_is_one_change_apidiff_reports() -> None:
    """Each pair differs, so apidiff must say something about it (a case it reports nothing for proves nothing)."""
    silent = [c.id for c in CASES if not _report(c.id).changes]
    assert not silent

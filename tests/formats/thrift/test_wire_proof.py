"""apidiff's Thrift wire verdicts proved on the wire: the old and the new IDL loaded by thriftpy2, values generated
with hypothesis under the writer's schema, serialized with the binary and the compact protocol and read back
under the reader's schema.

Backward is the new schema reading what the old one wrote; forward the old one reading what the new one
wrote. For each pair of schemas and each direction, apidiff's ``wire`` verdict must hold:

- safe: every value reads back with every field the writer set, by id, as the same value;
- dangerous: every value is read (none rejected), but some value loses a field or reads as another value;
- breaking: some value is rejected, loses a field or reads as another value.

What "lost", "misread" and "rejected" mean, field by field (by id):

- lost: the writer set the field and the reader has no value for it (it skipped a wire type it did not expect,
  or it does not know the id);
- misread: the reader has another value, or a value its schema does not allow (bytes that are not UTF-8 in a
  ``string``, a number its enum does not name);
- rejected: the protocol failed, or a field the reader requires is missing (thriftpy2 does not check
  requiredness when it reads; Apache Thrift's generated ``validate()`` does, and that is what is applied).

The ``wire`` surface is both protocols: a verdict more than safe needs a witness on one of them. They differ
inside containers: the compact protocol writes ``i32`` and ``i64`` elements as the same zigzag varints, so a
``list<i32>`` read as a ``list<i64>`` survives it, while the binary protocol's fixed widths misread it.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import thriftpy2
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory
from thriftpy2.thrift import TType
from thriftpy2.utils import deserialize, serialize

from apidiff import compare
from apidiff.core.change import Severity

PROTOCOLS = {"binary": TBinaryProtocolFactory(), "compact": TCompactProtocolFactory()}
_COUNTER = itertools.count()

# (name, old IDL, new IDL, the rule apidiff reports, its expected (backward, forward) wire verdicts)
ENUM = "enum Color {{ {values} }}\n"
CASES = [
    ("i32-to-i64", "struct P { 1: i32 a, 2: string s }", "struct P { 1: i64 a, 2: string s }",
     "thrift-field-type-changed", ("breaking", "breaking")),
    ("i16-to-i32", "struct P { 1: i16 a }", "struct P { 1: i32 a }", "thrift-field-type-changed",
     ("breaking", "breaking")),
    ("typedef-i32-to-i64", "typedef i32 Id\nstruct P { 1: Id a }", "typedef i64 Id\nstruct P { 1: Id a }",
     "thrift-field-type-changed", ("breaking", "breaking")),
    ("field-removed", "struct P { 1: i32 a, 2: string s }", "struct P { 1: i32 a }", "thrift-field-removed",
     ("dangerous", "safe")),
    ("required-field-removed", "struct P { 1: i32 a, 2: required string s }", "struct P { 1: i32 a }",
     "thrift-field-removed", ("dangerous", "breaking")),
    ("optional-field-added", "struct P { 1: i32 a }", "struct P { 1: i32 a, 2: optional string s }",
     "thrift-field-added", ("safe", "dangerous")),
    ("required-field-added", "struct P { 1: i32 a }", "struct P { 1: i32 a, 2: required string s }",
     "thrift-field-added-required", ("breaking", "dangerous")),
    ("became-required", "struct P { 1: i32 a, 2: optional string s }",
     "struct P { 1: i32 a, 2: required string s }", "thrift-field-became-required", ("breaking", "safe")),
    ("binary-to-string", "struct P { 1: binary b }", "struct P { 1: string b }", "thrift-field-type-changed",
     ("dangerous", "safe")),
    ("string-to-binary", "struct P { 1: string b }", "struct P { 1: binary b }", "thrift-field-type-changed",
     ("safe", "dangerous")),
    ("list-to-set", "struct P { 1: list<i32> xs }", "struct P { 1: set<i32> xs }", "thrift-field-type-changed",
     ("breaking", "breaking")),
    ("list-element-i32-to-i64", "struct P { 1: list<i32> xs }", "struct P { 1: list<i64> xs }",
     "thrift-field-type-changed", ("breaking", "breaking")),
    ("map-value-binary-to-string", "struct P { 1: map<string, binary> m }", "struct P { 1: map<string, string> m }",
     "thrift-field-type-changed", ("dangerous", "safe")),
    ("enum-value-removed", ENUM.format(values="RED = 1, GREEN = 2") + "struct P { 1: Color c }",
     ENUM.format(values="RED = 1") + "struct P { 1: Color c }", "thrift-enum-value-removed", ("dangerous", "safe")),
    ("enum-to-i32", ENUM.format(values="RED = 1, GREEN = 2") + "struct P { 1: Color c }",
     ENUM.format(values="RED = 1, GREEN = 2") + "struct P { 1: i32 c }", "thrift-field-type-changed",
     ("safe", "dangerous")),
    ("field-renamed", "struct P { 1: i32 a, 2: string s }", "struct P { 1: i32 a, 2: string text }",
     "thrift-field-renamed", ("safe", "safe")),
    ("id-reused", "struct P { 1: i32 a, 2: string s }", "struct P { 1: i32 a, 2: i64 count }",
     "thrift-field-id-reused", ("breaking", "breaking")),
]


def _module(text: str) -> Any:
    """thriftpy2's module of ``text``, under a name no other test uses (thriftpy2 caches modules by name)."""
    name = f"proof{next(_COUNTER)}"
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch, f"{name}.thrift")
        path.write_text(text)
        return thriftpy2.load(str(path), module_name=f"{name}_thrift")


def _values(ttype: int, spec: Any) -> st.SearchStrategy[Any]:
    """Values of a thrift_spec type, as thriftpy2 holds them."""
    if ttype == TType.I32 and isinstance(spec, type):  # an enum: a number it names
        return st.sampled_from(sorted(spec._VALUES_TO_NAMES))
    simple: dict[int, st.SearchStrategy[Any]] = {
        TType.BOOL: st.booleans(), TType.BYTE: st.integers(-2**7, 2**7 - 1), TType.I16: st.integers(-2**15, 2**15 - 1),
        TType.I32: st.integers(-2**31, 2**31 - 1), TType.I64: st.integers(-2**63, 2**63 - 1),
        TType.DOUBLE: st.floats(allow_nan=False), TType.STRING: st.text(max_size=6),
        TType.BINARY: st.binary(max_size=6)}
    if ttype in simple:
        return simple[ttype]
    inner = spec if isinstance(spec, tuple) else (spec, None)
    if ttype == TType.LIST:
        return st.lists(_values(*inner), max_size=4)
    if ttype == TType.SET:
        return st.sets(_values(*inner), max_size=4)
    if ttype == TType.MAP:
        key, value = ((s if isinstance(s, tuple) else (s, None)) for s in spec)
        return st.dictionaries(_values(*key), _values(*value), max_size=3)
    raise AssertionError(f"no values for ttype {ttype}")


def _spec(entry: tuple[Any, ...]) -> tuple[int, Any, bool]:
    """(ttype, its sub-spec, required) of a thrift_spec entry."""
    return entry[0], entry[2] if len(entry) == 4 else None, bool(entry[-1])


def structs(cls: Any) -> st.SearchStrategy[Any]:
    """Instances of ``cls``: every required field set, every other set or not."""
    fields = {}
    for entry in cls.thrift_spec.values():
        ttype, sub, required = _spec(entry)
        values = _values(ttype, sub)
        fields[entry[1]] = values if required else st.none() | values
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


def _fits(value: Any, ttype: int, spec: Any) -> bool:
    """Whether the reader's schema allows the value it read (UTF-8 text in a string, a named enum number)."""
    if ttype == TType.STRING:
        return isinstance(value, str)
    if ttype == TType.I32 and isinstance(spec, type):
        return value in spec._VALUES_TO_NAMES
    inner = spec if isinstance(spec, tuple) else (spec, None)
    if ttype in (TType.LIST, TType.SET):
        return all(_fits(v, *inner) for v in value)
    if ttype == TType.MAP:
        key, val = ((s if isinstance(s, tuple) else (s, None)) for s in spec)
        return all(_fits(k, *key) and _fits(v, *val) for k, v in value.items())
    return True


def _same(a: Any, b: Any) -> bool:
    """The same value on the wire: text and its UTF-8 bytes alike, sets and lists by their elements."""
    if {type(a), type(b)} == {str, bytes}:
        return (a.encode() if isinstance(a, str) else a) == (b.encode() if isinstance(b, str) else b)
    if isinstance(a, set | frozenset | list) and isinstance(b, set | frozenset | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(sorted(a, key=repr), sorted(b, key=repr),
                                                                     strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(any(_same(k, j) and _same(v, a_v) for j, a_v in a.items())
                                        for k, v in b.items())
    return bool(a == b)


def outcome(writer: Any, reader: Any, value: Any, protocol: str) -> str:
    """"same", "lost", "misread" or "rejected": ``value`` (a ``writer`` struct) read as a ``reader`` struct."""
    factory = PROTOCOLS[protocol]
    try:
        read = deserialize(reader(), serialize(value, factory), factory)
    except Exception:
        return "rejected"
    w_spec, r_spec = writer.thrift_spec, reader.thrift_spec
    if any(_spec(e)[2] and getattr(read, e[1]) is None for e in r_spec.values()):
        return "rejected"  # Apache Thrift's validate(): a required field is missing
    worst = "same"
    for fid, entry in w_spec.items():
        written = getattr(value, entry[1])
        if written is None:
            continue
        if fid not in r_spec or getattr(read, r_spec[fid][1]) is None:
            return "lost"
        ttype, sub, _ = _spec(r_spec[fid])
        got = getattr(read, r_spec[fid][1])
        if not _same(written, got) or not _fits(got, ttype, sub):
            worst = "misread"
    return worst


def _directions() -> Iterator[Any]:
    for name, old, new, rule_id, expected in CASES:
        for direction in ("backward", "forward"):
            yield pytest.param(name, old, new, rule_id, expected, direction, id=f"{name}-{direction}")


@pytest.mark.parametrize(("name", "old", "new", "rule_id", "expected", "direction"), list(_directions()))
def test_the_wire_verdict_holds_for_every_value(name: str, old: str, new: str, rule_id: str,
                                                expected: tuple[str, str], direction: str) -> None:
    head = "namespace py proof\n"
    report = compare(head + old, head + new)
    (change,) = [c for c in report.changes if c.id == rule_id]
    backward, forward = change.surfaces["wire"]
    verdict = backward if direction == "backward" else forward
    assert (backward.value, forward.value) == expected  # the verdicts the test is about
    o_mod, n_mod = _module(head + old), _module(head + new)
    writer, reader = (o_mod.P, n_mod.P) if direction == "backward" else (n_mod.P, o_mod.P)
    _prove(writer, reader, verdict)


def outcomes(writer: Any, reader: Any, value: Any) -> set[str]:
    """The outcome of ``value`` on each protocol."""
    return {outcome(writer, reader, value, protocol) for protocol in PROTOCOLS}


def _prove(writer: Any, reader: Any, verdict: Severity) -> None:
    if verdict is Severity.SAFE:
        @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
        @given(structs(writer))
        def every_value_reads_as_itself(value: Any) -> None:
            assert outcomes(writer, reader, value) == {"same"}, value

        every_value_reads_as_itself()
        return
    if verdict is Severity.DANGEROUS:
        @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
        @given(structs(writer))
        def every_value_is_read(value: Any) -> None:
            assert "rejected" not in outcomes(writer, reader, value), value

        every_value_is_read()
        _witness(writer, reader, {"lost", "misread"})
    else:
        _witness(writer, reader, {"lost", "misread", "rejected"})


def _witness(writer: Any, reader: Any, kinds: set[str]) -> None:
    """A value the change loses, misreads or rejects (on one protocol at least): what makes the verdict more
    than safe."""
    try:
        find(structs(writer), lambda v: bool(outcomes(writer, reader, v) & kinds),
             settings=settings(max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)))
    except NoSuchExample:
        pytest.fail("apidiff calls it more than wire-safe, but every value read back as itself")


def test_i32_to_i64_loses_the_value_on_both_protocols() -> None:
    """The case Protobuf users get wrong: a widened integer is another wire type, and the reader skips it."""
    head = "namespace py proof\n"
    old, new = _module(head + "struct P { 1: i32 a }"), _module(head + "struct P { 1: i64 a }")
    for protocol, factory in PROTOCOLS.items():
        read = deserialize(new.P(), serialize(old.P(a=7), factory), factory)
        assert read.a is None, protocol
        assert outcome(old.P, new.P, old.P(a=7), protocol) == "lost"

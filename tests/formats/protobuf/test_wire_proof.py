"""apidiff's wire verdicts proved on the wire: messages built from the old and the new descriptors (the
``protobuf`` package's message factory), values generated with hypothesis, serialized under one and parsed
under the other.

For a field whose type changes under the same number, apidiff's wire verdict must hold for every value:

- safe: every old value parses under the new type, reads as the same value, and serializes back to itself;
- dangerous: every old value parses (no error), but some read as another value;
- breaking: some old value fails to parse, is dropped to an unknown field, or reads as another value.

No peer checks its own verdicts this way; buf calls every change within its wire groups compatible, which
these tests show is true of parsing and false of some values (``int32`` to ``uint32`` reads -1 as 4294967295).
"""

from __future__ import annotations

import itertools
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import DecodeError
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from apidiff import compare
from apidiff.core.change import Severity
from apidiff.formats.protobuf.compile import compile_sources
from apidiff.formats.protobuf.load import parse_image

KINDS = ("int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "fixed32", "sfixed32", "fixed64",
         "sfixed64", "float", "double", "string", "bytes")
PAIRS = [(a, b) for a, b in itertools.permutations(KINDS, 2)]
HEAD = 'syntax = "proto3";\npackage proof;\n'

VALUES: dict[str, st.SearchStrategy[Any]] = {
    "int32": st.integers(-2**31, 2**31 - 1), "sint32": st.integers(-2**31, 2**31 - 1),
    "sfixed32": st.integers(-2**31, 2**31 - 1), "int64": st.integers(-2**63, 2**63 - 1),
    "sint64": st.integers(-2**63, 2**63 - 1), "sfixed64": st.integers(-2**63, 2**63 - 1),
    "uint32": st.integers(0, 2**32 - 1), "fixed32": st.integers(0, 2**32 - 1),
    "uint64": st.integers(0, 2**64 - 1), "fixed64": st.integers(0, 2**64 - 1), "bool": st.booleans(),
    "float": st.floats(width=32, allow_nan=False), "double": st.floats(allow_nan=False),
    "string": st.text(max_size=8), "bytes": st.binary(max_size=8),
}


def _name(a: str, b: str) -> str:
    return f"P_{a}_{b}"


def _text(side: int) -> str:
    return HEAD + "".join(f"message {_name(a, b)} {{ optional {(a, b)[side]} f = 1; }}\n" for a, b in PAIRS)


def _classes(text: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        Path(scratch, "proof.proto").write_text(text)
        image = parse_image(compile_sources([Path(scratch)], ["proof.proto"]), "proof.proto")
    pool = descriptor_pool.DescriptorPool()
    return dict(message_factory.GetMessages(list(image.file), pool=pool))


OLD, NEW = _classes(_text(0)), _classes(_text(1))


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, str], Severity]:
    """apidiff's wire verdict for each pair, from one comparison of the two files."""
    report = compare(_text(0), _text(1))
    out = {}
    for c in report.changes:
        if c.id == "proto-field-type-changed":
            message = c.subject.split(".")[1]
            a, b = message.removeprefix("P_").split("_")
            out[(a, b)] = c.surfaces["wire"][0]
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, bytes):
        return a.encode() == b
    if isinstance(a, bytes) and isinstance(b, str):
        return a == b.encode()
    if isinstance(a, float) or isinstance(b, float):
        return bool(a == b or (math.isnan(float(a)) and math.isnan(float(b))))
    return bool(a == b)  # True reads as 1: a bool widened to an integer keeps its value


def _outcome(a: str, b: str, value: Any) -> str:
    """"same" (read as itself and back), "misread" (parsed, another value) or "rejected" (no value)."""
    name = f"proof.{_name(a, b)}"
    old = OLD[name](f=value)
    try:
        new = NEW[name].FromString(old.SerializeToString())
    except DecodeError:
        return "rejected"
    if not new.HasField("f"):  # the bytes were kept as an unknown field: the new reader has no value
        return "rejected"
    back = OLD[name].FromString(new.SerializeToString())
    return "same" if _same(value, new.f) and back.f == value else "misread"


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_the_wire_verdict_holds_for_every_value(a: str, b: str, verdicts: dict[tuple[str, str], Severity]) -> None:
    verdict = verdicts[(a, b)]
    if verdict is Severity.SAFE:
        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(VALUES[a])
        def every_value_reads_as_itself(value: Any) -> None:
            assert _outcome(a, b, value) == "same", value

        every_value_reads_as_itself()
    elif verdict is Severity.DANGEROUS:
        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(VALUES[a])
        def every_value_parses(value: Any) -> None:
            assert _outcome(a, b, value) != "rejected", value

        every_value_parses()
        _witness(a, b, {"misread"})
    else:
        _witness(a, b, {"misread", "rejected"})


def _witness(a: str, b: str, kinds: set[str]) -> None:
    """A value the change loses, misreads or rejects: what makes the verdict more than safe."""
    try:
        find(VALUES[a], lambda v: _outcome(a, b, v) in kinds, settings=settings(max_examples=2000, deadline=None))
    except NoSuchExample:
        pytest.fail(f"{a} -> {b}: apidiff calls it more than wire-safe, but every value read back as itself")

"""The Protobuf model: files, messages, enums and services from a ``FileDescriptorSet``.

Messages, enums and services are keyed by fully qualified name (``pkg.Outer.Inner``), fields and enum
values by **number**: a name is an attribute, so a rename is a name change (wire-safe, JSON- and
source-breaking), not a deletion plus an addition.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from apidiff.core.location import Location
from apidiff.core.model import Api

__all__ = ["FILE_OPTIONS", "Breaking", "EnumDef", "EnumValue", "FieldDef", "FileDef", "Message", "Method", "Oneof",
           "ProtoApi", "Reserved", "Service", "Shapes"]


# file options buf's FILE_SAME_* rules compare, by option name
FILE_OPTIONS = ("cc_enable_arenas", "cc_generic_services", "csharp_namespace", "go_package", "java_generic_services",
                "java_multiple_files", "java_outer_classname", "java_package", "objc_class_prefix", "optimize_for",
                "php_class_prefix", "php_metadata_namespace", "php_namespace", "py_generic_services", "ruby_package",
                "swift_prefix", "java_string_check_utf8")


@dataclass(frozen=True, slots=True, kw_only=True)
class Reserved:
    """Reserved numbers (as ``(start, end)`` ranges, end inclusive) and names."""

    ranges: tuple[tuple[int, int], ...] = ()
    names: frozenset[str] = frozenset()

    def has_number(self, number: int) -> bool:
        return any(start <= number <= end for start, end in self.ranges)


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldDef:
    number: int
    name: str
    json_name: str
    kind: str  # "int32", "string", "message", "enum", "group", …
    type_name: str = ""  # the message or enum's fully qualified name, for message/enum/group fields
    cardinality: str = "implicit"  # "explicit", "implicit", "required", "repeated", "map"
    oneof: str | None = None  # the name of the (non-synthetic) oneof the field is in
    default: str | None = None
    enum_default: int | None = None  # an enum field's default (explicit, or the enum's first value) as a number
    # an enum field's values as (name, number): another enum type with the same short name and these values is
    # the same on the wire (buf's rule)
    enum_values: frozenset[tuple[str, int]] = field(default=frozenset(), compare=False)
    enum_closed: bool = field(default=False, compare=False)  # an enum field's enum is closed
    jstype: int = 0
    cpp_string_type: str = ""  # string and bytes fields: STRING, CORD, VIEW or STRING_PIECE (ctype, (pb.cpp))
    utf8_validation: str = ""  # "VERIFY" / "NONE" (editions and proto3 default VERIFY; proto2 NONE)
    java_utf8: str = ""  # string fields: VERIFY or NONE, as Java checks UTF-8 (java_string_check_utf8, (pb.java))
    packed: bool | None = None
    deprecated: bool = False
    extendee: str = ""  # for extensions
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Oneof:
    name: str
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    name: str  # fully qualified, without the leading dot
    file: str
    fields: Mapping[int, FieldDef] = field(default_factory=dict)
    oneofs: Mapping[str, Oneof] = field(default_factory=dict)
    reserved: Reserved = Reserved()
    extension_ranges: tuple[tuple[int, int], ...] = ()
    message_set_wire_format: bool = False
    no_standard_descriptor_accessor: bool = False
    json_format: str = "ALLOW"  # "ALLOW" or "LEGACY_BEST_EFFORT" (features.json_format)
    map_entry: bool = False
    deprecated: bool = False
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumValue:
    number: int
    name: str
    aliases: tuple[str, ...] = ()  # every name of the number (``allow_alias``), in declaration order
    deprecated: bool = False
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EnumDef:
    name: str  # fully qualified
    file: str
    values: Mapping[int, EnumValue] = field(default_factory=dict)  # the first value of each number
    names: Mapping[str, int] = field(default_factory=dict)  # every value name (aliases too) -> number
    reserved: Reserved = Reserved()
    closed: bool = False  # proto2 enums, and editions' enum_type = CLOSED
    json_format: str = "ALLOW"
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Method:
    name: str
    input: str
    output: str
    client_streaming: bool = False
    server_streaming: bool = False
    idempotency: str = "IDEMPOTENCY_UNKNOWN"
    deprecated: bool = False
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Service:
    name: str  # fully qualified
    file: str
    methods: Mapping[str, Method] = field(default_factory=dict)
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileDef:
    path: str  # as imported: "acme/v1/user.proto"
    package: str
    syntax: str  # "proto2", "proto3", "editions"
    edition: str = ""
    options: Mapping[str, str] = field(default_factory=dict)  # file options buf compares: go_package, …
    messages: tuple[str, ...] = ()  # fully qualified names of the messages declared in it (nested too)
    enums: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()  # fully qualified names of the extensions declared in it
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Breaking:
    """The ``breaking`` section of a ``buf.yaml`` (or ``--profile``): which buf rules are in force."""

    use: tuple[str, ...] = ("FILE",)
    except_: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()  # paths (files or folders) whose changes are not judged
    ignore_only: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ignore_unstable_packages: bool = False
    version: str = "v2"  # the buf.yaml's version: the rules of a category differ between v1beta1, v1 and v2


class Shapes:
    """Each message's shape, as its readers see it: a digest of its fields by number with their kinds and
    cardinalities, and of the messages and enums they hold, recursively, on the wire, and with their JSON names
    in JSON. A message met again inside itself is named by how far up it is, so recursive types have shapes too;
    enums are shaped by their values. Two message types of equal shape read each other's bytes as themselves; a
    type not in the input has no shape (""). Computed when asked for (a field retyped to another message), once
    per message."""

    def __init__(self, messages: Mapping[str, Message]) -> None:
        self.messages = messages
        self.done: dict[str, tuple[str, str]] = {}

    def of(self, name: str) -> tuple[str, str]:
        if name not in self.messages:
            return "", ""
        if name not in self.done:
            wire, json, _ = self._shape(name, [])
            return wire, json
        return self.done[name]

    def _shape(self, name: str, stack: list[str]) -> tuple[str, str, int]:
        """The shapes as text, and how deep the deepest message on ``stack`` it refers back to lies (the shape is
        kept for reuse only when it refers to nothing outside itself)."""
        if name in stack:
            up = len(stack) - stack.index(name)
            return f"^{up}", f"^{up}", stack.index(name)
        if name in self.done:
            wire, json = self.done[name]
            return wire, json, len(stack)
        m = self.messages.get(name)
        if m is None:
            return f"?{name}", f"?{name}", len(stack)
        stack.append(name)
        lowest = len(stack)
        wire_parts, json_parts = [], []
        for number, fd in sorted(m.fields.items()):
            if fd.kind in ("message", "group"):
                sub_wire, sub_json, depth = self._shape(fd.type_name, stack)
                lowest = min(lowest, depth)
            elif fd.kind == "enum":
                sub_wire = sub_json = ",".join(f"{n}={v}" for n, v in sorted(fd.enum_values))
            else:
                sub_wire = sub_json = ""
            wire_parts.append(f"{number}:{fd.kind}:{fd.cardinality}({sub_wire})")
            json_parts.append(f"{number}:{fd.json_name}:{fd.kind}:{fd.cardinality}({sub_json})")
        stack.pop()
        wire, json = "{" + ";".join(wire_parts) + "}", "{" + ";".join(json_parts) + "}"
        if lowest >= len(stack):  # refers to nothing below it on the stack: the same wherever it is met
            self.done[name] = hashlib.sha1(wire.encode()).hexdigest(), hashlib.sha1(json.encode()).hexdigest()
            return self.done[name][0], self.done[name][1], len(stack)
        return wire, json, lowest


@dataclass(frozen=True, slots=True, kw_only=True)
class ProtoApi(Api):
    files: Mapping[str, FileDef] = field(default_factory=dict)  # the files of the input (not their imports)
    messages: Mapping[str, Message] = field(default_factory=dict)
    enums: Mapping[str, EnumDef] = field(default_factory=dict)
    services: Mapping[str, Service] = field(default_factory=dict)
    extensions: Mapping[str, FieldDef] = field(default_factory=dict)  # by fully qualified name
    breaking: Breaking = Breaking()

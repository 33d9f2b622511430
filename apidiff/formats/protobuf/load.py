"""A ``FileDescriptorSet`` (an image, or what protoc made of sources) into :class:`ProtoApi`.

Only the input's own files are modelled (imports resolve types but are not compared), as ``buf breaking``
does. Locations come from each file's ``source_code_info``: the span of the element's path, 1-based.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from google.protobuf import descriptor_pb2 as d

from apidiff.core.errors import ParseError
from apidiff.core.location import Location
from apidiff.formats.protobuf.model import (
    FILE_OPTIONS,
    Breaking,
    EnumDef,
    EnumValue,
    FieldDef,
    FileDef,
    Message,
    Method,
    Oneof,
    ProtoApi,
    Reserved,
    Service,
)

__all__ = ["FILE_OPTIONS", "KINDS", "from_descriptor_set", "parse_image"]

KINDS = {1: "double", 2: "float", 3: "int64", 4: "uint64", 5: "int32", 6: "fixed64", 7: "fixed32", 8: "bool",
         9: "string", 10: "group", 11: "message", 12: "bytes", 13: "uint32", 14: "enum", 15: "sfixed32",
         16: "sfixed64", 17: "sint32", 18: "sint64"}
_IDEMPOTENCY = {0: "IDEMPOTENCY_UNKNOWN", 1: "NO_SIDE_EFFECTS", 2: "IDEMPOTENT"}


def parse_image(data: bytes, name: str) -> d.FileDescriptorSet:
    """A binary image (``buf build -o x.binpb``, ``protoc --descriptor_set_out``); a one-line error otherwise."""
    if not data.strip():
        raise ParseError("empty file: not a Protobuf image (FileDescriptorSet)", file=name)
    image = d.FileDescriptorSet()
    try:
        image.ParseFromString(data)
    except Exception as exc:  # DecodeError, and upb's RuntimeError on some truncations
        text = " ".join(str(exc).split())
        if "MaxDepth" in text or "too deep" in text:
            detail = "it nests more than 100 levels deep (the protobuf library's limit)"
        elif "Wire format was corrupt" in text or not text:
            detail = "truncated or corrupt"
        else:
            detail = f"{type(exc).__name__}: {text[:200]}"
        raise ParseError(f"not a valid Protobuf image (FileDescriptorSet): {detail}", file=name) from None
    return check_image(image, name)


def check_image(image: d.FileDescriptorSet, name: str) -> d.FileDescriptorSet:
    """``image`` if it is one the loader can read: file descriptors, each with a name, and text where the schema
    has text (descriptor.proto is proto2: the protobuf package hands bytes back for strings that are not UTF-8)."""
    if not image.file:
        raise ParseError("not a Protobuf image: no file descriptors", file=name)
    for i, f in enumerate(image.file):
        if not isinstance(f.name, str) or not f.name:
            raise ParseError(f"not a Protobuf image: file descriptor {i + 1} has no name", file=name)
        bad = _not_text(f)
        if bad is not None:
            raise ParseError(f"not a valid Protobuf image: {bad} in {f.name!r} is not UTF-8 text", file=name)
    return image


def _not_text(f: d.FileDescriptorProto) -> str | None:
    """The first text the loader reads from ``f`` (names, type names, JSON names, defaults, string options) that
    is not text, by the descriptor field's name. Only what is read is checked: walking every field of every
    descriptor took 7 s on Google's API protos, this walk a fraction of it."""
    if _bytes(f.name, f.package, f.syntax, *f.dependency):
        return "a file name or package"
    if any(type(v) is bytes for _, v in f.options.ListFields()):
        return "a file option"
    enums: list[d.EnumDescriptorProto] = list(f.enum_type)
    fields: list[d.FieldDescriptorProto] = list(f.extension)
    stack: list[d.DescriptorProto] = list(f.message_type)
    while stack:
        m = stack.pop()
        if _bytes(m.name, *m.reserved_name, *(o.name for o in m.oneof_decl)):
            return "a message or oneof name"
        fields.extend(m.field)
        fields.extend(m.extension)
        enums.extend(m.enum_type)
        stack.extend(m.nested_type)
    for fd in fields:
        if _bytes(fd.name, fd.json_name, fd.type_name, fd.default_value, fd.extendee):
            return "a field's name, type or default"
    for e in enums:
        if _bytes(e.name, *e.reserved_name, *(v.name for v in e.value)):
            return "an enum or value name"
    for svc in f.service:
        if _bytes(svc.name, *(x for rpc in svc.method for x in (rpc.name, rpc.input_type, rpc.output_type))):
            return "a service or method name"
    return None


def _bytes(*values: object) -> bool:
    return any(type(v) is bytes for v in values)


class _Spans:
    """One file's source info: element path -> (line, column), 1-based. Only even-length paths are indexed: an
    element's path alternates a list's field number and an index (``4, 0, 2, 1``: message 0, field 1); its parts
    (name, type, number: odd lengths) are not looked up. Google's API protos hold 1.5 million source locations;
    indexing them all took longer than the rest of loading."""

    def __init__(self, info: d.SourceCodeInfo) -> None:
        self.spans: dict[tuple[int, ...], tuple[int, int]] = {}
        spans = self.spans
        for loc in info.location:
            at = loc.path
            if not len(at) & 1:
                key = tuple(at)
                if key not in spans and len(loc.span) >= 3:
                    span = loc.span
                    spans[key] = (span[0] + 1, span[1] + 1)
        self.known = len(info.location) > 0

    def at(self, file: str, path: tuple[int, ...], pointer: str) -> Location:
        if not self.known:
            return Location(file, pointer=pointer)
        line, column = self.spans.get(path, (1, 1))
        return Location(file, line or 1, column or 1, pointer)


class _Loader:
    def __init__(self, image: d.FileDescriptorSet, inputs: frozenset[str] | None, display: Mapping[str, str]) -> None:
        self.image, self.inputs, self.display = image, inputs, display
        self.maps: set[str] = set()  # fully qualified names of map entry messages
        self.syntax: dict[str, str] = {}
        for f in image.file:
            for m, fqn in _walk(f.message_type, f.package):
                if m.options.map_entry:
                    self.maps.add(fqn)
        self.files: dict[str, FileDef] = {}
        self.messages: dict[str, Message] = {}
        self.enums: dict[str, EnumDef] = {}
        self.services: dict[str, Service] = {}
        self.extensions: dict[str, FieldDef] = {}
        self.java_check: bool | None = None
        self.editions = False
        self.edition_2024 = False

    def load(self, source: str, breaking: Breaking) -> ProtoApi:
        for f in self.image.file:
            if self.inputs is not None and f.name not in self.inputs:
                continue
            self.file(f)
        self.resolve_enum_defaults()
        return ProtoApi(kind="protobuf", source=source, files=self.files, messages=self.messages, enums=self.enums,
                        services=self.services, extensions=self.extensions, breaking=breaking)

    def resolve_enum_defaults(self) -> None:
        """An enum field's default as the number it reads as (its named value, else the enum's first value), so
        that ``FOO = 1`` and ``1`` compare equal; enums of imported files are looked up in the image."""
        first: dict[str, tuple[int, dict[str, int]]] = {}
        closed: dict[str, bool] = {}
        for f in self.image.file:
            for e, fqn in _walk_enums(f):
                if e.value:
                    first[fqn] = (e.value[0].number, {v.name: v.number for v in e.value})
                # an imported enum's type from its file's syntax (its editions features are not resolved)
                closed[fqn] = self.enums[fqn].closed if fqn in self.enums else f.syntax in ("", "proto2")

        def fix(fd: FieldDef) -> FieldDef:
            if fd.kind != "enum" or fd.type_name not in first:
                return fd
            number, names = first[fd.type_name]
            return dataclasses.replace(fd, enum_default=names.get(fd.default, number) if fd.default else number,
                                       enum_values=frozenset(names.items()), enum_closed=closed[fd.type_name])

        for name, m in self.messages.items():
            if any(fd.kind == "enum" for fd in m.fields.values()):
                self.messages[name] = dataclasses.replace(m, fields={n: fix(fd) for n, fd in m.fields.items()})
        self.extensions = {k: fix(x) for k, x in self.extensions.items()}

    def file(self, f: d.FileDescriptorProto) -> None:
        name = self.display.get(f.name, f.name)
        spans = _Spans(f.source_code_info)
        syntax = "editions" if f.syntax == "editions" else (f.syntax or "proto2")
        defaults = _Features(syntax, f.options.features if f.options.HasField("features") else None,
                             f.edition if syntax == "editions" else 0)
        self.java_check = f.options.java_string_check_utf8 if f.options.HasField("java_string_check_utf8") else None
        self.editions = syntax == "editions"
        self.edition_2024 = syntax == "editions" and f.edition >= d.EDITION_2024
        messages: list[str] = []
        enums: list[str] = []
        self.nested_extensions: list[str] = []
        for i, m in enumerate(f.message_type):
            self.message(m, f.package, f.name, name, spans, (4, i), defaults, messages, enums)
        for i, e in enumerate(f.enum_type):
            self.enum(e, f.package, f.name, name, spans, (5, i), defaults, enums)
        services = []
        for i, s in enumerate(f.service):
            fqn = _join(f.package, s.name)
            methods = {}
            for j, rpc in enumerate(s.method):
                methods[rpc.name] = Method(
                    name=rpc.name, input=rpc.input_type.lstrip("."), output=rpc.output_type.lstrip("."),
                    client_streaming=rpc.client_streaming, server_streaming=rpc.server_streaming,
                    idempotency=_IDEMPOTENCY.get(rpc.options.idempotency_level, "IDEMPOTENCY_UNKNOWN"),
                    deprecated=rpc.options.deprecated,
                    location=spans.at(name, (6, i, 2, j), f"/{fqn}/{rpc.name}"))
            self.services[fqn] = Service(name=fqn, file=f.name, methods=methods,
                                         location=spans.at(name, (6, i), f"/{fqn}"))
            services.append(fqn)
        exts = []
        for i, x in enumerate(f.extension):
            key = _join(f.package, x.name)  # buf matches extensions by fully qualified name
            fd = dataclasses.replace(self.field(x, spans, name, (7, i), defaults, {}, f.package), name=key,
                                     json_name=f"[{key}]")
            self.extensions[key] = fd
            exts.append(key)
        options = {o: _option(f.options, o) for o in FILE_OPTIONS}
        self.files[f.name] = FileDef(path=f.name, package=f.package, syntax=syntax,
                                     edition=str(f.edition) if syntax == "editions" else "",
                                     options=options, messages=tuple(messages), enums=tuple(enums),
                                     services=tuple(services), extensions=(*exts, *self.nested_extensions),
                                     location=Location(name, 1, 1, f"/{f.name}"))

    def message(self, m: d.DescriptorProto, scope: str, file: str, name: str, spans: _Spans, path: tuple[int, ...],
                parent: _Features, messages: list[str], enums: list[str]) -> None:
        fqn = _join(scope, m.name)
        features = parent.child(m.options.features if m.options.HasField("features") else None)
        oneofs = {o.name: Oneof(name=o.name, location=spans.at(name, (*path, 8, i), f"/{fqn}/{o.name}"))
                  for i, o in enumerate(m.oneof_decl)}
        synthetic = {i for i, o in enumerate(m.oneof_decl)
                     if any(fd.proto3_optional and fd.oneof_index == i and fd.HasField("oneof_index")
                            for fd in m.field)}
        oneof_names = {i: o.name for i, o in enumerate(m.oneof_decl) if i not in synthetic}
        fields: dict[int, FieldDef] = {}
        for i, fd in enumerate(m.field):
            fields[fd.number] = self.field(fd, spans, name, (*path, 2, i), features, oneof_names, fqn)
        for i in synthetic:
            oneofs.pop(m.oneof_decl[i].name, None)
        reserved = Reserved(ranges=tuple((r.start, r.end - 1) for r in m.reserved_range),
                            names=frozenset(m.reserved_name))
        self.messages[fqn] = Message(
            name=fqn, file=file, fields=fields, oneofs=oneofs, reserved=reserved,
            extension_ranges=tuple((r.start, r.end - 1) for r in m.extension_range),
            message_set_wire_format=m.options.message_set_wire_format,
            no_standard_descriptor_accessor=m.options.no_standard_descriptor_accessor,
            json_format=features.json_format, map_entry=m.options.map_entry, deprecated=m.options.deprecated,
            location=spans.at(name, path, f"/{fqn}"))
        messages.append(fqn)
        for i, nested in enumerate(m.nested_type):
            self.message(nested, fqn, file, name, spans, (*path, 3, i), features, messages, enums)
        for i, e in enumerate(m.enum_type):
            self.enum(e, fqn, file, name, spans, (*path, 4, i), features, enums)
        for i, x in enumerate(m.extension):
            key = _join(fqn, x.name)
            self.extensions[key] = dataclasses.replace(self.field(x, spans, name, (*path, 6, i), features, {}, fqn),
                                                       name=key, json_name=f"[{key}]")
            self.nested_extensions.append(key)

    def field(self, fd: d.FieldDescriptorProto, spans: _Spans, name: str, path: tuple[int, ...], parent: _Features,
              oneofs: Mapping[int, str], owner: str) -> FieldDef:
        features = parent.child(fd.options.features if fd.options.HasField("features") else None)
        kind = KINDS.get(fd.type, "message")
        type_name = fd.type_name.lstrip(".")
        if kind == "message" and features.delimited:
            kind = "group"
        oneof = oneofs.get(fd.oneof_index) if fd.HasField("oneof_index") else None
        if fd.label == d.FieldDescriptorProto.LABEL_REPEATED:
            cardinality = "map" if type_name in self.maps else "repeated"
        elif fd.label == d.FieldDescriptorProto.LABEL_REQUIRED or features.presence == "LEGACY_REQUIRED":
            cardinality = "required"
        elif (fd.proto3_optional or oneof is not None or kind in ("message", "group")
              or features.presence == "EXPLICIT" or fd.extendee):  # an extension always has presence
            cardinality = "explicit"
        else:
            cardinality = "implicit"
        return FieldDef(
            number=fd.number, name=fd.name, json_name=fd.json_name or _json_name(fd.name), kind=kind,
            type_name=type_name if kind in ("message", "enum", "group") else "", cardinality=cardinality,
            oneof=oneof, default=fd.default_value if fd.HasField("default_value") else None,
            jstype=fd.options.jstype, utf8_validation=features.utf8 if kind == "string" else "",
            cpp_string_type=self.cpp_string(fd, features) if kind in ("string", "bytes") else "",
            java_utf8=self.java_utf8_of(features) if kind == "string" else "",
            packed=fd.options.packed if fd.options.HasField("packed") else None, deprecated=fd.options.deprecated,
            extendee=fd.extendee.lstrip("."), location=spans.at(name, path, f"/{owner}/{fd.name}"))

    def cpp_string(self, fd: d.FieldDescriptorProto, features: _Features) -> str:
        """The C++ string type, as buf resolves it: an explicit ``ctype`` before edition 2024, else the
        ``(pb.cpp).string_type`` feature along the scopes."""
        if not self.edition_2024 and fd.options.HasField("ctype"):
            return {d.FieldOptions.CORD: "CORD", d.FieldOptions.STRING_PIECE: "STRING_PIECE"}.get(
                fd.options.ctype, "STRING")
        return features.cpp_string

    def java_utf8_of(self, features: _Features) -> str:
        """Whether Java checks a string field's UTF-8, as buf resolves it (``java_string_check_utf8`` outside
        editions or when set, else the ``(pb.java).utf8_validation`` feature), over the standard feature."""
        if not self.editions or self.java_check is not None:
            return "VERIFY" if self.java_check else features.utf8
        return "VERIFY" if features.java_verify else features.utf8

    def enum(self, e: d.EnumDescriptorProto, scope: str, file: str, name: str, spans: _Spans, path: tuple[int, ...],
             parent: _Features, enums: list[str]) -> None:
        fqn = _join(scope, e.name)
        features = parent.child(e.options.features if e.options.HasField("features") else None)
        names: dict[str, int] = {}
        by_number: dict[int, list[str]] = {}
        first: dict[int, tuple[int, Any]] = {}
        for i, v in enumerate(e.value):
            names[v.name] = v.number
            by_number.setdefault(v.number, []).append(v.name)
            first.setdefault(v.number, (i, v))
        values = {number: EnumValue(number=number, name=v.name, aliases=tuple(by_number[number]),
                                    deprecated=v.options.deprecated,
                                    location=spans.at(name, (*path, 2, i), f"/{fqn}/{v.name}"))
                  for number, (i, v) in first.items()}
        reserved = Reserved(ranges=tuple((r.start, r.end) for r in e.reserved_range), names=frozenset(e.reserved_name))
        self.enums[fqn] = EnumDef(name=fqn, file=file, values=values, names=names, reserved=reserved,
                                  closed=features.closed_enums, json_format=features.json_format,
                                  location=spans.at(name, path, f"/{fqn}"))
        enums.append(fqn)


class _Features:
    """Editions' resolved features (and what proto2/proto3 mean in their terms) along the scope."""

    __slots__ = ("closed_enums", "cpp_string", "delimited", "java_verify", "json_format", "presence", "utf8")

    def __init__(self, syntax: str, features: Any = None, edition: int = 0) -> None:
        proto2 = syntax == "proto2"
        self.cpp_string = "VIEW" if edition >= d.EDITION_2024 else "STRING"
        self.java_verify = False
        self.presence = "EXPLICIT" if syntax != "proto3" else "IMPLICIT"
        self.closed_enums = proto2
        self.json_format = "LEGACY_BEST_EFFORT" if proto2 else "ALLOW"
        self.utf8 = "NONE" if proto2 else "VERIFY"
        self.delimited = False
        if features is not None:
            self._apply(features)

    def child(self, features: Any) -> _Features:
        if features is None:
            return self
        out = _Features.__new__(_Features)
        out.presence, out.closed_enums, out.json_format = self.presence, self.closed_enums, self.json_format
        out.utf8, out.delimited = self.utf8, self.delimited
        out.cpp_string, out.java_verify = self.cpp_string, self.java_verify
        out._apply(features)
        return out

    def _apply(self, f: Any) -> None:
        fs = d.FeatureSet
        if f.HasField("field_presence"):
            self.presence = fs.FieldPresence.Name(f.field_presence)
        if f.HasField("enum_type"):
            self.closed_enums = f.enum_type == fs.CLOSED
        if f.HasField("json_format"):
            self.json_format = fs.JsonFormat.Name(f.json_format)
        if f.HasField("utf8_validation"):
            self.utf8 = fs.Utf8Validation.Name(f.utf8_validation)
        if f.HasField("message_encoding"):
            self.delimited = f.message_encoding == fs.DELIMITED
        # the language features are extensions of FeatureSet that the protobuf package does not define: read their
        # fields from the bytes ((pb.cpp) = 1000: string_type = 2; (pb.java) = 1001: utf8_validation = 2)
        for number, payload in _fields(f.SerializeToString()):
            if number in (1000, 1001) and isinstance(payload, bytes):
                for inner, value in _fields(payload):
                    if inner == 2 and isinstance(value, int):
                        if number == 1000:
                            self.cpp_string = {1: "VIEW", 2: "CORD", 3: "STRING"}.get(value, self.cpp_string)
                        else:
                            self.java_verify = value == 2


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """The top-level fields of a serialized message: (number, varint value or length-delimited bytes); fixed-width
    fields are skipped. Stops at the first malformed byte."""
    out: list[tuple[int, int | bytes]] = []
    i = 0

    def varint() -> int:
        nonlocal i
        shift = value = 0
        while i < len(data):
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7
        raise ValueError("truncated varint")

    try:
        while i < len(data):
            tag = varint()
            number, wire = tag >> 3, tag & 7
            if wire == 0:
                out.append((number, varint()))
            elif wire == 2:
                size = varint()
                out.append((number, data[i:i + size]))
                i += size
            elif wire == 1:
                i += 8
            elif wire == 5:
                i += 4
            else:
                break
    except ValueError:
        pass
    return out


def _walk(messages: Iterable[d.DescriptorProto], scope: str) -> Iterable[tuple[d.DescriptorProto, str]]:
    for m in messages:
        fqn = _join(scope, m.name)
        yield m, fqn
        yield from _walk(m.nested_type, fqn)


def _walk_enums(f: d.FileDescriptorProto) -> Iterable[tuple[d.EnumDescriptorProto, str]]:
    for e in f.enum_type:
        yield e, _join(f.package, e.name)
    for m, fqn in _walk(f.message_type, f.package):
        for e in m.enum_type:
            yield e, _join(fqn, e.name)


def _join(scope: str, name: str) -> str:
    return f"{scope}.{name}" if scope else name


def _option(options: d.FileOptions, name: str) -> str:
    if name not in d.FileOptions.DESCRIPTOR.fields_by_name:
        return ""
    value = getattr(options, name)
    if name == "optimize_for":
        return str(d.FileOptions.OptimizeMode.Name(value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _json_name(name: str) -> str:
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def from_descriptor_set(image: d.FileDescriptorSet, source: str, *, inputs: Sequence[str] | None = None,
                        display: Mapping[str, str] | None = None, breaking: Breaking = Breaking()) -> ProtoApi:
    """The model of ``image``'s input files (``inputs``; default: every file not only imported, which for an
    image without that distinction is every file)."""
    return _Loader(image, frozenset(inputs) if inputs is not None else None, display or {}).load(source, breaking)

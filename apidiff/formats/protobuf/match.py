"""Pairing Protobuf elements: files by path, packages by name, messages, enums and services by fully qualified
name, fields and enum values by number, methods by name.

A removed element is paired only where buf judges it: a message removed from a file that still exists (or from
a package that still exists); the elements of a removed file are the file's removal, not one change each.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from apidiff.core.direction import Direction
from apidiff.core.location import Location
from apidiff.core.pair import Pair, pair_maps
from apidiff.formats.protobuf.model import EnumDef, Message, ProtoApi, Service, Shapes

__all__ = ["Package", "Placed", "align", "pairs"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class Placed(Generic[T]):
    """An element with where it is declared and whether that place is on the other side too."""

    item: T
    file: str
    package: str
    file_kept: bool = True  # the declaring file exists on the other side
    package_kept: bool = True  # the package exists on the other side
    # deleted from its package: the file buf's PACKAGE_*_NO_DELETE names ("" when the file is gone too; for a
    # message, the file of its nearest enclosing message left in the package)
    package_file: str = ""
    # the message types of its side by shape (:class:`Shapes`), for a field retyped to another message
    shapes: Shapes | None = field(default=None, compare=False)
    location: Location = field(compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Package:
    name: str
    files: tuple[str, ...]
    location: Location = field(compare=False)


def _packages(api: ProtoApi) -> dict[str, Package]:
    by: dict[str, list[str]] = {}
    for f in api.files.values():
        by.setdefault(f.package, []).append(f.path)
    return {name: Package(name=name, files=tuple(sorted(files)), location=api.files[sorted(files)[0]].location)
            for name, files in by.items()}


def align(old: ProtoApi, new: ProtoApi) -> ProtoApi:
    """``new`` with its one file named as ``old``'s one file: two single files (``v1.proto``, ``v2.proto``) are two
    versions of one file, whatever their names."""
    if len(old.files) != 1 or len(new.files) != 1:
        return new
    (o_path,), (n_path,) = old.files.keys(), new.files.keys()
    if o_path == n_path:
        return new

    def move(items: Mapping[str, Any]) -> dict[str, Any]:
        return {k: dataclasses.replace(v, file=o_path) if v.file == n_path else v for k, v in items.items()}

    (f,) = new.files.values()
    return dataclasses.replace(new, files={o_path: dataclasses.replace(f, path=o_path)}, messages=move(new.messages),
                               enums=move(new.enums), services=move(new.services))


def pairs(old: ProtoApi, new: ProtoApi) -> Iterator[Pair[Any]]:
    new = align(old, new)
    o_pkgs, n_pkgs = _packages(old), _packages(new)
    for name, o_p, n_p in pair_maps(o_pkgs, n_pkgs):
        if (o_p is None) != (n_p is None):
            yield Pair("package", f"package {name or '(none)'}", o_p, n_p, Direction.BOTH)
    for path, o_f, n_f in pair_maps(old.files, new.files):
        if o_f != n_f:
            yield Pair("file", path, o_f, n_f, Direction.BOTH)
    yield from _named(old, new, "message", old.messages, new.messages, o_pkgs, n_pkgs,
                      (Shapes(old.messages), Shapes(new.messages)))
    yield from _named(old, new, "enum", old.enums, new.enums, o_pkgs, n_pkgs)
    yield from _named(old, new, "service", old.services, new.services, o_pkgs, n_pkgs)
    for key, o_x, n_x in pair_maps(old.extensions, new.extensions):
        side = old if n_x is None else new
        other = new if n_x is None else old
        x = o_x if n_x is None else n_x
        assert x is not None
        file = next((f.path for f in side.files.values() if key in f.extensions), "")
        package = side.files[file].package if file in side.files else ""
        placed = Placed(item=x, file=file, package=package, file_kept=file in other.files,
                        package_kept=package in (o_pkgs if n_x is not None else n_pkgs),
                        package_file=file if file in other.files else "", location=x.location)
        subject = f"extend {x.extendee} {x.name} = {x.number}"
        if o_x is None or n_x is None:
            yield Pair("extension", subject, None if o_x is None else placed, None if n_x is None else placed,
                       Direction.BOTH)
        else:  # an extension is a field of the message it extends: the field rules judge it
            o_file = next((f.path for f in old.files.values() if key in f.extensions), "")
            o_placed = Placed(item=o_x, file=o_file, package=_package_of(old, o_file), file_kept=o_file in new.files,
                              location=o_x.location)
            parent: Pair[Placed[Any]] = Pair("extension", subject, o_placed, placed, Direction.BOTH)
            if o_file != placed.file:
                yield parent  # moved to another file
    yield from _extension_fields(old, new)


def _extension_fields(old: ProtoApi, new: ProtoApi) -> Iterator[Pair[Any]]:
    """Extensions as fields of the message they extend, matched as buf's field rules match them: by the extended
    message and the number (a renamed or re-scoped extension is a field renamed)."""
    def by_number(api: ProtoApi) -> dict[str, tuple[Any, Placed[Any]]]:
        file_of = {key: f.path for f in api.files.values() for key in f.extensions}
        out = {}
        for key, x in api.extensions.items():
            file = file_of.get(key, "")
            out[f"{x.extendee}:{x.number:011d}"] = (x, Placed(item=x, file=file, package=_package_of(api, file),
                                                              location=x.location))
        return out

    for _, o, n in pair_maps(by_number(old), by_number(new)):
        if o is None or n is None or o[0] == n[0]:
            continue
        x = n[0]
        parent: Pair[Placed[Any]] = Pair("extension", f"extend {x.extendee} {x.name} = {x.number}", o[1], n[1],
                                         Direction.BOTH)
        yield Pair("field", f"{x.extendee}.({x.name})", o[0], n[0], Direction.BOTH, parent)


def _package_of(api: ProtoApi, file: str) -> str:
    f = api.files.get(file)
    return f.package if f is not None else ""


def _named(old: ProtoApi, new: ProtoApi, kind: str, o_map: Mapping[str, Any], n_map: Mapping[str, Any],
           o_pkgs: Mapping[str, Package], n_pkgs: Mapping[str, Package],
           shapes: tuple[Shapes, Shapes] | tuple[None, None] = (None, None)) -> Iterator[Pair[Any]]:
    for name, o, n in pair_maps(o_map, n_map):
        if o is not None and o == n:
            continue
        o_side = n_side = None
        if o is not None:
            pkg = _package_of(old, o.file)
            package_file = o.file if o.file in new.files else ""
            if n is None and kind == "message" and package_file:
                # gone from the package: buf names the file of its nearest enclosing message left in the package
                parent_name = name.rsplit(".", 1)[0]
                while parent_name and parent_name not in new.messages and "." in parent_name:
                    parent_name = parent_name.rsplit(".", 1)[0]
                if parent_name in new.messages and parent_name != name:
                    package_file = new.messages[parent_name].file
            o_side = Placed(item=o, file=o.file, package=pkg, file_kept=o.file in new.files,
                            package_kept=pkg in n_pkgs, package_file=package_file, shapes=shapes[0],
                            location=o.location)
        if n is not None:
            pkg = _package_of(new, n.file)
            n_side = Placed(item=n, file=n.file, package=pkg, file_kept=n.file in old.files,
                            package_kept=pkg in o_pkgs, shapes=shapes[1], location=n.location)
        if o_side is not None and n_side is None and not o_side.file_kept and not o_side.package_kept:
            continue  # its file and its package are gone: that is the change
        entry = getattr(o, "map_entry", False) or getattr(n, "map_entry", False)
        if entry and o is None:
            continue  # a map field's entry type comes with the field
        parent: Pair[Placed[Any]] = Pair(kind, name, o_side, n_side, Direction.BOTH)
        # a map field's entry is a nested message to buf: gone, moved or losing its JSON format with the message
        # or the field, it is reported as buf reports it
        yield parent
        if o is None or n is None:
            continue
        if isinstance(o, Message):
            yield from _fields(parent, o, n)
        elif isinstance(o, EnumDef):
            for _, o_v, n_v in pair_maps(_by_str(o.values), _by_str(n.values)):
                if o_v != n_v:
                    v = n_v or o_v
                    assert v is not None
                    yield Pair("enum-value", f"{name}.{v.name}", o_v, n_v, Direction.BOTH, parent)
        elif isinstance(o, Service):
            for mname, o_m, n_m in pair_maps(o.methods, n.methods):
                if o_m != n_m:
                    yield Pair("rpc", f"{name}.{mname}", o_m, n_m, Direction.BOTH, parent)


def _by_str(values: Mapping[int, Any]) -> dict[str, Any]:
    """Number-keyed maps in number order (``pair_maps`` sorts its keys as text)."""
    return {f"{n:011d}" if n >= 0 else f"-{-n:010d}": v for n, v in sorted(values.items())}


def _fields(parent: Pair[Placed[Message]], o: Message, n: Message) -> Iterator[Pair[Any]]:
    for _, o_f, n_f in pair_maps(_by_str(o.fields), _by_str(n.fields)):
        if o_f != n_f:
            f = n_f or o_f
            assert f is not None
            yield Pair("field", f"{o.name}.{f.name}", o_f, n_f, Direction.BOTH, parent)

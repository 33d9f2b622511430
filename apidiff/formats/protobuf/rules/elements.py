"""Messages, enums, services and extensions: deleted, moved between files, their options, reserved numbers and
names, oneofs; enum values (by number) and RPCs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apidiff.core.change import Hit
from apidiff.core.pair import Pair
from apidiff.core.rule import BREAKING, DANGEROUS, SAFE, Policy, rule
from apidiff.formats.protobuf.match import Placed
from apidiff.formats.protobuf.model import EnumDef, EnumValue, Message, Method, Reserved
from apidiff.formats.protobuf.rules._base import ALL, HEAD, JSON, NONE, SOURCE, buf, example, files, multi, surfaces

_M = "message M { string a = 1; }\n"
_S = "message Req {}\nmessage Res {}\nservice S { rpc Get(Req) returns (Res); }\n"


def _where(side: Placed[Any]) -> dict[str, Any]:
    return {"file": side.file, "package": side.package}


def _deletion(kind: str, side: Placed[Any]) -> dict[str, Any]:
    """buf's rules for an element gone from its file (``X_NO_DELETE``) and from its package (``PACKAGE_X_…``),
    with the file each names where it is not the element's own (``buf_files``)."""
    out: dict[str, Any] = {"buf": ()}
    if side.file_kept:
        out["buf"] += (f"{kind}_NO_DELETE",)
    if side.package_kept:
        out["buf"] += (f"PACKAGE_{kind}_NO_DELETE",)
        if side.package_file != side.file:
            out["buf_files"] = {f"PACKAGE_{kind}_NO_DELETE": side.package_file}
    return out


def _declare_element(kind: str, noun: str, buf_kind: str, body: str, extra: str) -> None:
    """``<kind>-added``, ``<kind>-removed`` and ``<kind>-moved`` (to another file of the same name's package)."""

    @rule(id=f"proto-{kind}-added", kind=kind, mirror=f"proto-{kind}-removed", surfaces=NONE,
          message=f"{noun} {{subject}} was added",
          example=example(body, body + extra),
          doc=f"""A {noun} was added.

          New {noun}s are new names: nothing that exists reads or writes them yet, on the wire, in
          JSON or in generated code.

          ## Safe rollout
          Nothing to roll out.""")
    def added(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
        if pair.old is None and pair.new is not None:
            yield Hit(_where(pair.new))

    @rule(id=f"proto-{kind}-removed", kind=kind, mirror=f"proto-{kind}-added", surfaces=SOURCE,
          message=f"{noun} {{subject}} was deleted", example=example(body + extra, body),
          equivalents=buf(f"{buf_kind}_NO_DELETE", f"PACKAGE_{buf_kind}_NO_DELETE"),
          doc=f"""A {noun} was deleted.

          Generated code that names the {noun} no longer compiles. Data already encoded is not
          affected by the deletion itself (fields are judged by their own rules), which is why
          buf's wire categories do not flag it; its `FILE` and `PACKAGE` categories do.

          ## Safe rollout
          Deprecate it (`option deprecated = true;`), wait until no code uses it, then delete it.""")
    def removed(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
        if pair.new is None and pair.old is not None:
            yield Hit({**_where(pair.old), **_deletion(buf_kind, pair.old)})

    moved_old = files(a=HEAD + body + extra, b=HEAD + _M.replace("M", "Other"))
    moved_new = files(a=HEAD + body, b=HEAD + 'import "a.proto";\n' + _M.replace("M", "Other") + extra)

    @rule(id=f"proto-{kind}-moved", kind=kind, mirror=f"proto-{kind}-moved", surfaces=SOURCE,
          message=f"{noun} {{subject}} moved from file {{old}} to {{new}}", example=multi(moved_old, moved_new),
          equivalents=buf(f"{buf_kind}_NO_DELETE"),
          doc=f"""A {noun} moved to another file (its fully qualified name is unchanged).

          The wire and JSON do not know files; generated code does: languages that generate per file
          (Python modules, Java outer classes, C++ headers) import it from another place now.

          ## Safe rollout
          Keep the {noun} where it is; if it must move, move it with the callers' imports in one
          coordinated release, or keep the old file re-exporting it where the language can.""")
    def moved(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None and pair.old.file != pair.new.file:
            # buf reports it as deleted from the file it left
            yield Hit({"old": pair.old.file, "new": pair.new.file, **_where(pair.new), "file": pair.old.file,
                       "buf": (f"{buf_kind}_NO_DELETE",) if pair.old.file_kept else ()})


_declare_element("message", "message", "MESSAGE", _M, "message Extra { int32 x = 1; }\n")
_declare_element("enum", "enum", "ENUM", _M, "enum Extra { EXTRA_UNSPECIFIED = 0; }\n")
_declare_element("service", "service", "SERVICE", _S, "service Extra { rpc Get(Req) returns (Res); }\n")


# -- extensions -----------------------------------------------------------------------------------------

_EXT_HEAD = 'syntax = "proto2";\npackage acme.v1;\nmessage M { extensions 100 to 199; }\n'
_EXT_IMPORT = 'syntax = "proto2";\npackage acme.v1;\nimport "a.proto";\n'
_EXT = "extend M { optional int32 x = 100; }\n"


@rule(id="proto-extension-added", kind="extension", mirror="proto-extension-removed", surfaces=NONE,
      message="extension {subject} was added",
      example=example("", "extend M { optional int32 x = 100; }\n", head=_EXT_HEAD))
def extension_added(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
    """An extension was declared.

    An extension is a new field of another message, under a number its extension ranges set
    aside; readers that do not know it keep it as an unknown field.

    ## Safe rollout
    Nothing to roll out.
    """
    if pair.old is None and pair.new is not None:
        yield Hit(_where(pair.new))


@rule(id="proto-extension-removed", kind="extension", mirror="proto-extension-added", surfaces=SOURCE,
      message="extension {subject} was deleted",
      example=example("extend M { optional int32 x = 100; }\n", "", head=_EXT_HEAD),
      equivalents=buf("EXTENSION_NO_DELETE", "PACKAGE_EXTENSION_NO_DELETE"))
def extension_removed(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
    """An extension was deleted.

    Code that sets or reads the extension no longer compiles; values already written stay on the
    wire as unknown fields.

    ## Safe rollout
    Deprecate the extension, wait until no code uses it, delete it and reserve its number in the
    extended message's range documentation.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({**_where(pair.old), **_deletion("EXTENSION", pair.old)})


@rule(id="proto-extension-moved", kind="extension", mirror="proto-extension-moved", surfaces=SOURCE,
      message="extension {subject} moved from file {old} to {new}",
      example=multi(files(a=_EXT_HEAD + _EXT), files(a=_EXT_HEAD, b=_EXT_IMPORT + _EXT)),
      equivalents=buf("EXTENSION_NO_DELETE"))
def extension_moved(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
    """An extension moved to another file (its fully qualified name is unchanged).

    Generated code declares extensions per file: code that imports the old file's generated module
    for the extension no longer finds it there. The wire is unaffected.

    ## Safe rollout
    Keep the extension in its file.
    """
    if pair.old is not None and pair.new is not None and pair.old.file != pair.new.file:
        yield Hit({"old": pair.old.file, "new": pair.new.file, "file": pair.old.file, "package": pair.new.package,
                   "buf": ("EXTENSION_NO_DELETE",) if pair.old.file_kept else ()})


# -- message options, reserved, oneofs, extension ranges ---------------------------------------------------


def _message(pair: Pair[Placed[Message]]) -> tuple[Message, Message] | None:
    if pair.old is None or pair.new is None:
        return None
    return pair.old.item, pair.new.item


@rule(id="proto-message-json-format-changed", kind="message", mirror="proto-message-json-format-changed", surfaces=JSON,
      message="message {subject}: JSON format changed from {old} to {new}",
      example=example("message M { optional string a = 1; }\n", "message M { optional string a = 1; }\n",
                      head='syntax = "proto2";\npackage acme.v1;\n', new_head=HEAD),
      equivalents=buf("MESSAGE_SAME_JSON_FORMAT"))
def message_json_format_changed(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """A message's JSON format support changed (`features.json_format`, or proto2 ↔ proto3).

    `ALLOW` guarantees a proto3 JSON mapping; `LEGACY_BEST_EFFORT` does not (field names that clash
    in JSON are allowed): JSON clients of the message may no longer get a well-defined encoding.
    Gaining `ALLOW` is safe.

    ## Safe rollout
    Keep the JSON format; change it only together with every JSON client.
    """
    both = _message(pair)
    if both and both[0].json_format != both[1].json_format:
        lost = both[0].json_format == "ALLOW"
        yield Hit({"old": both[0].json_format, "new": both[1].json_format, **_where(pair.new),  # type: ignore[arg-type]
                   "buf": ("MESSAGE_SAME_JSON_FORMAT",) if lost else ()}, surfaces=JSON if lost else NONE)


@rule(id="proto-message-standard-descriptor-accessor-removed", kind="message",
      mirror="proto-message-standard-descriptor-accessor-restored", surfaces=SOURCE,
      message="message {subject} no longer has its standard descriptor accessor",
      example=example("message M { string a = 1; }\n",
                      "message M { option no_standard_descriptor_accessor = true; string a = 1; }\n"),
      equivalents=buf("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR"))
def accessor_removed(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """`no_standard_descriptor_accessor` went from false (or unset) to true.

    Generated code loses its `descriptor()` accessor for the message; code that calls it no longer
    compiles.

    ## Safe rollout
    Leave the option unset.
    """
    both = _message(pair)
    if both and not both[0].no_standard_descriptor_accessor and both[1].no_standard_descriptor_accessor:
        yield Hit({**_where(pair.new), "buf": ("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",)})  # type: ignore[arg-type]


@rule(id="proto-message-standard-descriptor-accessor-restored", kind="message",
      mirror="proto-message-standard-descriptor-accessor-removed", surfaces=NONE,
      message="message {subject} has its standard descriptor accessor again",
      example=example("message M { option no_standard_descriptor_accessor = true; string a = 1; }\n",
                      "message M { string a = 1; }\n"))
def accessor_restored(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """`no_standard_descriptor_accessor` went from true to false (or unset).

    Generated code gains the accessor; nothing that compiled before stops compiling.

    ## Safe rollout
    Nothing to roll out.
    """
    both = _message(pair)
    if both and both[0].no_standard_descriptor_accessor and not both[1].no_standard_descriptor_accessor:
        yield Hit(_where(pair.new))  # type: ignore[arg-type]


@rule(id="proto-message-set-wire-format-changed", kind="message", mirror="proto-message-set-wire-format-changed",
      surfaces=surfaces(wire=BREAKING, json=BREAKING, source=BREAKING),
      message="message {subject}: message_set_wire_format changed from {old} to {new}",
      example=example("message M { extensions 4 to max; }\n",
                      "message M { option message_set_wire_format = true; extensions 4 to max; }\n",
                      head='syntax = "proto2";\npackage acme.v1;\n'),
      equivalents=buf("MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT"))
def message_set_changed(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """A message switched to or from the MessageSet wire format.

    MessageSet encodes its extensions in a different layout: old and new readers no longer parse
    each other's bytes. buf puts the rule in no category (MessageSet is legacy), so only a profile
    that names the rule fails on it.

    ## Safe rollout
    Do not change it: define a new message instead.
    """
    both = _message(pair)
    if both and both[0].message_set_wire_format != both[1].message_set_wire_format:
        yield Hit({"old": str(both[0].message_set_wire_format).lower(),
                   "new": str(both[1].message_set_wire_format).lower(),
                   **_where(pair.new), "buf": ("MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT",)})  # type: ignore[arg-type]


def _ranges_lost(old: tuple[tuple[int, int], ...], new: tuple[tuple[int, int], ...]) -> list[str]:
    """Each range of ``old`` that ``new`` does not cover whole, as written (``4 to 5``, ``301``)."""
    merged: list[list[int]] = []
    for s, e in sorted(new):  # adjacent and overlapping ranges as one: 50, 51 to 60 reserves 50 to 60
        if merged and s <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [str(start) if start == end else f"{start} to {end}" for start, end in old
            if not any(s <= start and end <= e for s, e in merged)]


def _lost(old: Reserved, new: Reserved) -> list[str]:
    """The reserved ranges and names of ``old`` that ``new`` no longer reserves, one entry each."""
    return _ranges_lost(old.ranges, new.ranges) + sorted(f'"{n}"' for n in old.names - new.names)


def _declare_reserved(kind: str, buf_id: str, body: str, reserve: str) -> None:
    noun = kind

    @rule(id=f"proto-{kind}-reservation-removed", kind=kind, mirror=f"proto-{kind}-reservation-added",
          surfaces=surfaces(wire=DANGEROUS, json=DANGEROUS),
          message=f"{noun} {{subject}} no longer reserves {{what}}",
          example=example(body.format(reserved=reserve), body.format(reserved="")), equivalents=buf(buf_id),
          doc=f"""A reserved number or name of a {noun} was dropped.

          Reserving keeps a deleted field's number and name from being reused: once the reservation is
          gone, a new field may take the number, and data written with the old field is read as the new
          one (misread on the wire, or rejected), or JSON keys collide. Nothing is misread until a number
          or name is reused (dangerous on the wire and in JSON); buf's categories fail it all the same.

          ## Safe rollout
          Never remove a reservation; add to it.""")
    def removed(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None:
            for what in _lost(pair.old.item.reserved, pair.new.item.reserved):
                yield Hit({"what": what, **_where(pair.new), "buf": (buf_id,)})

    @rule(id=f"proto-{kind}-reservation-added", kind=kind, mirror=f"proto-{kind}-reservation-removed", surfaces=NONE,
          message=f"{noun} {{subject}} now reserves {{what}}",
          example=example(body.format(reserved=""), body.format(reserved=reserve)),
          doc=f"""A {noun} reserves more numbers or names.

          Reserving is how a deletion is made safe for the future; it changes nothing for data or code
          that exists.

          ## Safe rollout
          Nothing to roll out.""")
    def added(pair: Pair[Placed[Any]], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None:
            for what in _lost(pair.new.item.reserved, pair.old.item.reserved):
                yield Hit({"what": what, **_where(pair.new)})


_declare_reserved("message", "RESERVED_MESSAGE_NO_DELETE", "message M {{ string a = 1; {reserved} }}\n",
                  "reserved 2 to 3;")
_declare_reserved("enum", "RESERVED_ENUM_NO_DELETE", "enum E {{ E_UNSPECIFIED = 0; {reserved} }}\n",
                  'reserved "E_B";')


@rule(id="proto-extension-range-removed", kind="message", mirror="proto-extension-range-added", surfaces=SOURCE,
      message="message {subject} no longer has the extension range {what}",
      example=example("message M { extensions 100 to 199; }\n", "message M { }\n",
                      head='syntax = "proto2";\npackage acme.v1;\n'),
      equivalents=buf("EXTENSION_MESSAGE_NO_DELETE"))
def extension_range_removed(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """An extension range of a message was deleted.

    Extensions declared in the range (in this or other packages) no longer compile.

    ## Safe rollout
    Keep extension ranges; stop declaring new extensions in them instead.
    """
    both = _message(pair)
    if both:
        for what in _ranges_lost(both[0].extension_ranges, both[1].extension_ranges):
            yield Hit({"what": what, **_where(pair.new), "buf": ("EXTENSION_MESSAGE_NO_DELETE",)})  # type: ignore[arg-type]


@rule(id="proto-extension-range-added", kind="message", mirror="proto-extension-range-removed", surfaces=NONE,
      message="message {subject} has a new extension range {what}",
      example=example("message M { }\n", "message M { extensions 100 to 199; }\n",
                      head='syntax = "proto2";\npackage acme.v1;\n'))
def extension_range_added(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """A message gained an extension range.

    Other files may now extend the message under those numbers; nothing existing changes.

    ## Safe rollout
    Nothing to roll out.
    """
    both = _message(pair)
    if both:
        for what in _ranges_lost(both[1].extension_ranges, both[0].extension_ranges):
            yield Hit({"what": what, **_where(pair.new)})  # type: ignore[arg-type]


@rule(id="proto-oneof-removed", kind="message", mirror="proto-oneof-added", surfaces=SOURCE,
      message="oneof {oneof} of message {subject} was deleted",
      example=example("message M { oneof choice { string a = 1; } string b = 2; }\n",
                      "message M { string b = 2; }\n"),
      equivalents=buf("ONEOF_NO_DELETE"))
def oneof_removed(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """A oneof was deleted from a message.

    Generated code has a case accessor per oneof (`choice_case()`, `WhichOneof("choice")`); code that
    calls it no longer compiles.

    ## Safe rollout
    Keep the oneof; deprecate its fields instead.
    """
    both = _message(pair)
    if both:
        for name in sorted(both[0].oneofs.keys() - both[1].oneofs.keys()):
            yield Hit({"oneof": name, **_where(pair.new), "buf": ("ONEOF_NO_DELETE",)})  # type: ignore[arg-type]


@rule(id="proto-oneof-added", kind="message", mirror="proto-oneof-removed", surfaces=NONE,
      message="oneof {oneof} was added to message {subject}",
      example=example("message M { string b = 2; }\n", "message M { oneof choice { string a = 1; } string b = 2; }\n"))
def oneof_added(pair: Pair[Placed[Message]], policy: Policy) -> Iterator[Hit]:
    """A oneof was added to a message.

    A new oneof holds new fields (an existing field moved into it is judged as a field change).

    ## Safe rollout
    Nothing to roll out.
    """
    both = _message(pair)
    if both:
        for name in sorted(both[1].oneofs.keys() - both[0].oneofs.keys()):
            yield Hit({"oneof": name, **_where(pair.new)})  # type: ignore[arg-type]


# -- enums ---------------------------------------------------------------------------------------------------


def _parent_where(pair: Pair[Any]) -> dict[str, Any]:
    """Where a member (an enum value, an RPC) is: its parent's file, on the new side if it has one."""
    parent = pair.parent
    side = parent.new if parent is not None and parent.new is not None else parent.old if parent is not None else None
    return {"file": side.file, "package": side.package} if side is not None else {}


def _enum(pair: Pair[Any]) -> EnumDef | None:
    parent = pair.parent
    return parent.new.item if parent is not None and parent.new is not None else None


@rule(id="proto-enum-type-changed", kind="enum", mirror="proto-enum-type-changed", surfaces=SOURCE,
      message="enum {subject} changed from {old} to {new}",
      example=example("enum E { E_UNSPECIFIED = 0; }\n", "enum E { E_UNSPECIFIED = 0; }\n",
                      head='syntax = "proto2";\npackage acme.v1;\n', new_head=HEAD),
      equivalents=buf("ENUM_SAME_TYPE"))
def enum_type_changed(pair: Pair[Placed[EnumDef]], policy: Policy) -> Iterator[Hit]:
    """An enum changed between open and closed (proto3 and proto2 semantics, or `features.enum_type`).

    A closed enum treats an unknown number as an unknown field (the field reads as its default); an
    open one keeps the number. Generated code differs too (unknown-value handling), and readers of
    the two kinds see different values for the same bytes.

    ## Safe rollout
    Keep the enum's type; define a new enum for the other semantics.
    """
    if pair.old is not None and pair.new is not None and pair.old.item.closed != pair.new.item.closed:
        kinds = {True: "closed", False: "open"}
        # an open writer may send numbers the enum does not declare: a closed reader drops them (wire) or rejects
        # them (JSON); a closed writer sends only declared numbers, which an open reader reads as themselves
        unknown = DANGEROUS if pair.new.item.closed else SAFE
        yield Hit({"old": kinds[pair.old.item.closed], "new": kinds[pair.new.item.closed], **_where(pair.new),
                   "buf": ("ENUM_SAME_TYPE",)}, surfaces=surfaces(wire=unknown, json=unknown, source=BREAKING))


@rule(id="proto-enum-json-format-changed", kind="enum", mirror="proto-enum-json-format-changed", surfaces=JSON,
      message="enum {subject}: JSON format changed from {old} to {new}",
      example=example('enum E { E_UNSPECIFIED = 0; }\n',
                      'enum E { option features.json_format = LEGACY_BEST_EFFORT; E_UNSPECIFIED = 0; }\n',
                      head='edition = "2023";\npackage acme.v1;\n'),
      equivalents=buf("ENUM_SAME_JSON_FORMAT"))
def enum_json_format_changed(pair: Pair[Placed[EnumDef]], policy: Policy) -> Iterator[Hit]:
    """An enum's JSON format support changed (`features.json_format`, or proto2 ↔ proto3).

    Without `ALLOW`, the enum's JSON mapping is best effort: JSON clients may no longer get a
    well-defined name for each value. Gaining `ALLOW` is safe.

    ## Safe rollout
    Keep the JSON format; change it only together with every JSON client.
    """
    if pair.old is not None and pair.new is not None and pair.old.item.json_format != pair.new.item.json_format:
        lost = pair.old.item.json_format == "ALLOW"
        yield Hit({"old": pair.old.item.json_format, "new": pair.new.item.json_format, **_where(pair.new),
                   "buf": ("ENUM_SAME_JSON_FORMAT",) if lost else ()}, surfaces=JSON if lost else NONE)


_VALUES = "enum E {{ E_UNSPECIFIED = 0; {values} }}\n"


@rule(id="proto-enum-value-added", kind="enum-value", mirror="proto-enum-value-removed", surfaces=NONE,
      message="value {name} = {number} was added to enum {owner}",
      example=example(_VALUES.format(values=""), _VALUES.format(values="E_A = 1;")))
def enum_value_added(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """A value was added to an enum.

    Old readers of an open enum keep the unknown number; of a closed enum they treat it as an unknown
    field. Either way nothing that was valid before is rejected; code with exhaustive switches
    should handle unknown values.

    ## Safe rollout
    Make sure readers handle unknown values before writers send the new one.
    """
    if pair.old is None and pair.new is not None:
        yield Hit({"name": pair.new.name, "number": pair.new.number, **_parent_where(pair)})


@rule(id="proto-enum-value-removed", kind="enum-value", mirror="proto-enum-value-added", surfaces=ALL,
      message="value {name} = {number} was deleted from enum {owner}",
      example=example(_VALUES.format(values="E_A = 1;"), _VALUES.format(values="")),
      equivalents=buf("ENUM_VALUE_NO_DELETE", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
                      "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED"))
def enum_value_removed(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """A value was deleted from an enum.

    Generated code loses the constant; JSON writers that send the name are rejected; and unless the
    number is reserved, a later value may reuse it, so stored data changes meaning. With the number
    reserved the wire is safe, with the name reserved too JSON is.

    ## Safe rollout
    Deprecate the value (`[deprecated = true]`), stop writing it, then delete it and reserve both its
    number and its name: `reserved 3; reserved "E_OLD";`.
    """
    if pair.new is not None or pair.old is None:
        return
    enum = _enum(pair)
    reserved = enum.reserved if enum is not None else Reserved()
    number_reserved = reserved.has_number(pair.old.number) or (enum is not None and pair.old.number in enum.values)
    name_reserved = pair.old.name in reserved.names
    ids = ["ENUM_VALUE_NO_DELETE"]
    if not number_reserved:
        ids.append("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED")
    if not name_reserved:
        ids.append("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED")
    # old bytes with the number: an open enum keeps it as an unknown number, a closed one drops it to the unknown
    # fields (the field reads unset); old JSON with the name is rejected unless another number took the name over
    closed = enum is not None and enum.closed
    renumbered = enum is not None and pair.old.name in enum.names
    yield Hit({"name": pair.old.name, "number": pair.old.number, **_parent_where(pair), "buf": tuple(ids)},
              surfaces=surfaces(wire=SAFE if number_reserved and not closed else BREAKING,
                                json=SAFE if renumbered else BREAKING, source=BREAKING))


@rule(id="proto-enum-value-renamed", kind="enum-value", mirror="proto-enum-value-renamed", surfaces=JSON,
      message="value {number} of enum {owner} was renamed from {old} to {new}",
      example=example(_VALUES.format(values="E_A = 1;"), _VALUES.format(values="E_B = 1;")),
      equivalents=buf("ENUM_VALUE_SAME_NAME"))
def enum_value_renamed(pair: Pair[EnumValue], policy: Policy) -> Iterator[Hit]:
    """An enum value's name changed (its number is the same).

    The wire carries numbers, so binary readers are unaffected; JSON carries names, so JSON readers
    reject the new name and writers of the old one are rejected; generated constants change name.

    ## Safe rollout
    Add the new name as an alias (`option allow_alias = true;` and both names on one number), migrate
    code and JSON clients, then remove the old name and reserve it.
    """
    o, n = pair.old, pair.new
    # a name gone from the number (an alias added beside the old name is not a rename)
    if o is not None and n is not None and not set(o.aliases or (o.name,)) <= set(n.aliases or (n.name,)):
        old_names, new_names = o.aliases or (o.name,), n.aliases or (n.name,)
        # buf reports it once per value of the number in the new enum
        yield Hit({"number": n.number, "old": ", ".join(old_names), "new": ", ".join(new_names),
                   **_parent_where(pair), "buf": ("ENUM_VALUE_SAME_NAME",) * len(new_names)})


# -- services ---------------------------------------------------------------------------------------------

_RPC = "message Req {{}}\nmessage Res {{}}\nmessage Other {{}}\nservice S {{ {rpcs} }}\n"


@rule(id="proto-rpc-added", kind="rpc", mirror="proto-rpc-removed", surfaces=NONE, message="RPC {subject} was added",
      example=example(_RPC.format(rpcs="rpc Get(Req) returns (Res);"),
                      _RPC.format(rpcs="rpc Get(Req) returns (Res); rpc List(Req) returns (Res);")))
def rpc_added(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
    """An RPC was added to a service.

    Existing clients do not call it; servers must implement it before clients do.

    ## Safe rollout
    Deploy the servers first, then the clients that call the new method.
    """
    if pair.old is None and pair.new is not None:
        yield Hit(_parent_where(pair))


@rule(id="proto-rpc-removed", kind="rpc", mirror="proto-rpc-added", surfaces=SOURCE,
      message="RPC {subject} was deleted",
      example=example(_RPC.format(rpcs="rpc Get(Req) returns (Res); rpc List(Req) returns (Res);"),
                      _RPC.format(rpcs="rpc Get(Req) returns (Res);")),
      equivalents=buf("RPC_NO_DELETE"))
def rpc_removed(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
    """An RPC was deleted from a service.

    Clients that call it get `UNIMPLEMENTED`, and their generated stubs no longer compile.

    ## Safe rollout
    Add the replacement method, mark the old one `option deprecated = true;`, migrate callers
    (watch the method's traffic), then delete it.
    """
    if pair.new is None and pair.old is not None:
        yield Hit({**_parent_where(pair), "buf": ("RPC_NO_DELETE",)})


def _rpc_rule(rule_id: str, buf_id: str, attr: str, what: str, old_rpc: str, new_rpc: str) -> None:
    @rule(id=rule_id, kind="rpc", mirror=rule_id, surfaces=ALL, message=f"RPC {{subject}}: {what} changed from "
          "{old} to {new}", example=example(_RPC.format(rpcs=old_rpc), _RPC.format(rpcs=new_rpc)),
          equivalents=buf(buf_id),
          doc=f"""An RPC's {what} changed.

          Clients and servers built from the old and the new definition no longer agree on the call:
          requests or responses are parsed as another message, or the call's streaming shape
          differs, so calls fail or data is misread.

          ## Safe rollout
          Add a new method with the new {what}, migrate callers, then delete the old one.""")
    def check(pair: Pair[Method], policy: Policy) -> Iterator[Hit]:
        if pair.old is not None and pair.new is not None:
            o, n = getattr(pair.old, attr), getattr(pair.new, attr)
            if o != n:
                yield Hit({"old": str(o).lower() if isinstance(o, bool) else o,
                           "new": str(n).lower() if isinstance(n, bool) else n, **_parent_where(pair),
                           "buf": (buf_id,)})


_rpc_rule("proto-rpc-request-type-changed", "RPC_SAME_REQUEST_TYPE", "input", "request type",
          "rpc Get(Req) returns (Res);", "rpc Get(Other) returns (Res);")
_rpc_rule("proto-rpc-response-type-changed", "RPC_SAME_RESPONSE_TYPE", "output", "response type",
          "rpc Get(Req) returns (Res);", "rpc Get(Req) returns (Other);")
_rpc_rule("proto-rpc-client-streaming-changed", "RPC_SAME_CLIENT_STREAMING", "client_streaming", "client streaming",
          "rpc Get(Req) returns (Res);", "rpc Get(stream Req) returns (Res);")
_rpc_rule("proto-rpc-server-streaming-changed", "RPC_SAME_SERVER_STREAMING", "server_streaming", "server streaming",
          "rpc Get(Req) returns (Res);", "rpc Get(Req) returns (stream Res);")
_rpc_rule("proto-rpc-idempotency-changed", "RPC_SAME_IDEMPOTENCY_LEVEL", "idempotency", "idempotency level",
          "rpc Get(Req) returns (Res);",
          "rpc Get(Req) returns (Res) { option idempotency_level = NO_SIDE_EFFECTS; }")


"""Rollouts for Thrift IDL: what the owners of a ``.thrift`` schema do, in which order, with the IDL to write at
each step.

Every Thrift change that needs a plan is a ``staged-rollout`` (no HTTP deprecation headers: readers and writers
of structs, and callers of methods, are told through the schema itself), as Protobuf's are: add a field under a
**new id** beside the old, mark the old one with a ``(deprecated = "…")`` annotation naming its replacement and
its sunset, let writers write both and readers move, then delete the old field and leave its id in a comment.
Thrift has no ``reserved``: **never reuse an id**. A method: add the new method beside the old, deprecate the
old, migrate callers, remove it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from apidiff.core.change import Change
from apidiff.core.format import LoadOptions
from apidiff.core.model import Api, Deprecation
from apidiff.core.plan import Dates, Design, Planner, Snippet, rule_of
from apidiff.core.result import Report
from apidiff.formats.thrift.model import FieldDef, Method, StructDef, ThriftApi

__all__ = ["apply_expand", "planner"]

_FIELD_CHANGES = frozenset({"thrift-field-renamed", "thrift-field-type-changed", "thrift-field-id-reused",
                            "thrift-field-requiredness-changed", "thrift-field-no-longer-required",
                            "thrift-field-default-changed"})


def planner(old: Api, new: Api, report: Report, options: LoadOptions) -> Planner:
    if not isinstance(old, ThriftApi) or not isinstance(new, ThriftApi):
        raise TypeError("the Thrift planner plans changes between two Thrift schemas")
    return _ThriftPlanner(old, new)


def _snippet(code: str, caption: str) -> Snippet:
    return Snippet(language="thrift", code=code, caption=caption)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', "'") + '"'


def field_line(f: FieldDef, *, name: str | None = None, fid: int | None = None, requiredness: str | None = None,
               deprecated: str | None = None) -> str:
    """A field as IDL: ``2: optional string email = "x" (deprecated = "…"),``."""
    word = requiredness if requiredness is not None else f.requiredness
    label = f"{word} " if word in ("required", "optional") else ""
    default = f" = {f.default}" if f.default is not None else ""
    note = f" (deprecated = {_quote(deprecated)})" if deprecated else ""
    return f"{fid if fid is not None else f.id}: {label}{f.type.text} {name or f.name}{default}{note},"


def free_id(*fields: Mapping[int, FieldDef] | None) -> int:
    """An id that no version of the struct (or argument list) uses: one past the largest."""
    used = {0}
    for m in fields:
        if m is not None:
            used |= set(m)
    return max(used) + 1


def _id_of(change: Change) -> int | None:
    """The field or argument id a change is about: ``args.id``, or the ``3`` of ``field: "3: age"``."""
    a = change.args
    if isinstance(a.get("id"), int):
        return int(a["id"])
    for key in ("field", "argument"):
        text = a.get(key)
        if isinstance(text, str) and ":" in text:
            head = text.split(":", 1)[0].strip()
            if head.lstrip("-").isdigit():
                return int(head)
    return None


class _ThriftPlanner:
    type_changes: frozenset[str] = frozenset()
    required_later: frozenset[str] = frozenset()
    after_sunset_ids: Mapping[str, str] = {}

    def __init__(self, old: ThriftApi, new: ThriftApi) -> None:
        self.old, self.new = old, new
        from apidiff.formats.thrift import FORMAT

        self.rollouts = frozenset(r.id for r in FORMAT.rules())

    def prefetch(self, changes: Sequence[Change]) -> None:
        pass

    def existing(self, change: Change) -> Deprecation | None:
        element = self._struct_field(self.old, change) or self._method(self.old, change)
        return element.deprecation if element is not None else None

    # -- finding elements ----------------------------------------------------------------------------

    def _struct(self, api: ThriftApi, change: Change) -> StructDef | None:
        return api.structs.get(change.subject.rsplit(".", 1)[0]) if change.id.startswith("thrift-field-") else None

    def _struct_field(self, api: ThriftApi, change: Change) -> FieldDef | None:
        struct = self._struct(api, change)
        fid = _id_of(change)
        return struct.fields.get(fid) if struct is not None and fid is not None else None

    def _method(self, api: ThriftApi, change: Change) -> Method | None:
        subject = change.subject.split("(", 1)[0].split(" throws ", 1)[0]
        service, _, name = subject.rpartition(".")
        s = api.services.get(service)
        return s.methods.get(name) if s is not None else None

    # -- the design ----------------------------------------------------------------------------------

    def design(self, change: Change, strategy: str, dates: Dates) -> Design:
        where = str(change.old_location or change.new_location or "")
        rule = rule_of(change.id)
        d = Design(strategy="staged-rollout", element=rule.kind.replace("-", " ") if rule is not None else "element",
                   where=f"`{where}`")
        sunset = dates.sunset.isoformat()
        check = ("Check each step before it is published: `apidiff diff` of the published schema and the step's "
                 "reports no breaking change.")
        rid = change.id
        old_f, new_f = self._struct_field(self.old, change), self._struct_field(self.new, change)
        if rid == "thrift-field-removed" and old_f is not None:
            note = f"no longer written; removal on {sunset}"
            d.expand_steps = [f"Keep `{old_f.id}: {old_f.name}` and mark it deprecated; stop writing it.", check]
            d.expand_snippets = [_snippet(field_line(old_f, deprecated=note), "the field while it is phased out")]
            d.migrate_steps = [f"Until {sunset}, readers stop reading `{old_f.name}`; data written before still "
                               "holds it (readers that no longer know the id skip it)."]
            d.contract_steps = [f"Delete the field and leave its id in a comment: Thrift has no `reserved`, and a "
                                f"new field under id {old_f.id} would misread everything written with the old one."]
            d.contract_snippets = [_snippet(_tombstone(old_f, sunset), "in the struct, in place of the field")]
        elif rid in _FIELD_CHANGES and old_f is not None and new_f is not None:
            struct_old, struct_new = self._struct(self.old, change), self._struct(self.new, change)
            fresh = free_id(struct_old.fields if struct_old else None, struct_new.fields if struct_new else None)
            name = new_f.name if new_f.name != old_f.name else f"{new_f.name}_v2"
            requiredness = "optional" if new_f.requiredness == "required" else new_f.requiredness
            d.replacement = f"{fresh}: {name}"
            d.expand_steps = [
                f"Do not change field {old_f.id} in place: add the new definition under a new id ({fresh}) and mark "
                "the old one deprecated.",
                "Writers write both fields; readers keep reading the old one."
                + (" The new field starts optional: require it only once every writer sets it."
                   if new_f.requiredness == "required" else ""), check]
            d.expand_snippets = [_snippet(
                field_line(old_f, deprecated=f"use {name} ({fresh}); removal on {sunset}") + "\n"
                + field_line(new_f, name=name, fid=fresh, requiredness=requiredness), "both fields, old and new")]
            d.migrate_steps = [f"Until {sunset}, readers move to `{fresh}: {name}`; backfill stored data where it "
                               "is read back."]
            d.contract_steps = [f"Delete `{old_f.id}: {old_f.name}` and leave its id in a comment; never reuse it."]
            d.contract_snippets = [_snippet(_tombstone(old_f, sunset), "in the struct, in place of the old field")]
        elif rid in ("thrift-field-added-required", "thrift-field-became-required") and new_f is not None:
            before = old_f.requiredness if old_f is not None else "optional"
            d.expand_steps = [f"{'Keep' if old_f is not None else 'Add'} `{new_f.id}: {new_f.name}` "
                              f"{'optional' if before == 'optional' else 'without `required`'} for now.", check]
            d.expand_snippets = [_snippet(field_line(new_f, requiredness=before), "the field, not yet required")]
            d.migrate_steps = [f"Until {sunset}, every writer starts setting `{new_f.name}`; readers handle its "
                               "absence in data written before."]
            d.contract_steps = ["Make it required only if every stored value and every writer has it (required is "
                                "forever in Thrift: it cannot be relaxed safely either)."]
        elif rid.startswith("thrift-enum-value-"):
            self._enum_value(d, change, sunset, check)
        elif rid.startswith(("thrift-method-", "thrift-argument-", "thrift-throws-")):
            self._method_design(d, change, sunset, check)
        elif rid.endswith("-removed"):
            d.expand_steps = [f"Keep it ({change.message}) for now and mark it deprecated "
                              f"(`(deprecated = \"removal on {sunset}\")` after its definition).", check]
            d.migrate_steps = [f"Until {sunset}, code that uses it moves off it."]
            d.contract_steps = [f"Apply the change ({change.message}) once nothing depends on it."]
        else:
            d.expand_steps = [f"The change ({change.message}) cannot live beside the old definition: keep the old "
                              f"one for now and announce the change for {sunset}.", check]
            d.migrate_steps = ["Readers, writers and generated-code users adapt so that they work with both."]
            d.contract_steps = [f"On or after {sunset}, apply the change."]
        return d

    def _enum_value(self, d: Design, change: Change, sunset: str, check: str) -> None:
        a = change.args
        name = str(a.get("name") or a.get("old") or "")
        number = a.get("number") if change.id != "thrift-enum-value-renumbered" else a.get("old")
        if change.id == "thrift-enum-value-renamed":
            new_name = str(a.get("new") or "")
            d.expand_steps = [f"Keep `{name} = {number}`: Thrift enums have no aliases. If `{new_name}` matters, "
                              "add it as a new value under a new number and mark the old one deprecated.", check]
            d.expand_snippets = [_snippet(f'{name} = {number} (deprecated = "use {new_name}; removal on {sunset}")',
                                          "in the enum")]
            d.migrate_steps = [f"Until {sunset}, readers accept both numbers; writers move to `{new_name}`."]
            d.contract_steps = [f"Remove `{name}` and leave its number in a comment; never reuse it."]
        elif change.id == "thrift-enum-value-renumbered":
            d.expand_steps = [f"Never renumber `{name}`: keep it at {number} and mark it deprecated; add a value "
                              "with a new name under the new number.", check]
            d.expand_snippets = [_snippet(f'{name} = {number} (deprecated = "removal on {sunset}")', "in the enum")]
            d.migrate_steps = [f"Until {sunset}, readers accept both values; writers move to the new one."]
            d.contract_steps = [f"Remove `{name}` and leave its number in a comment; never reuse it."]
        elif change.id == "thrift-enum-value-added":
            d.expand_steps = ["Make every reader handle numbers it does not name, and deploy those readers first.",
                              check]
            d.migrate_steps = [f"From {sunset}, writers may send `{name}`."]
            d.contract_steps = ["Nothing to remove."]
        else:
            d.expand_steps = [f"Keep `{name} = {number}`, mark it deprecated and stop writing it.", check]
            d.expand_snippets = [_snippet(f'{name} = {number} (deprecated = "removal on {sunset}")', "in the enum")]
            d.migrate_steps = [f"Until {sunset}, readers handle the value's absence."]
            d.contract_steps = [f"Delete the value and leave its number in a comment (`// {number}: {name} "
                                "(removed; never reuse)`)."]

    def _method_design(self, d: Design, change: Change, sunset: str, check: str) -> None:
        subject = change.subject.split("(", 1)[0].split(" throws ", 1)[0]
        method = subject.rsplit(".", 1)[-1]
        d.element = "method"
        d.replacement = f"{method}V2"
        d.expand_steps = [f"Do not change `{method}` in place: add a new method with the new definition "
                          f"(`{method}V2`) and mark `{method}` deprecated "
                          f"(`(deprecated = \"use {method}V2; removal on {sunset}\")` after its declaration).",
                          "Deploy the servers with both methods before any client calls the new one.", check]
        old_m = self._method(self.old, change)
        if old_m is not None:
            d.expand_snippets = [_snippet(_method_line(old_m, f"use {method}V2; removal on {sunset}"),
                                          "the old method while it is phased out")]
        d.migrate_steps = [f"Until {sunset}, callers move to `{method}V2`; watch `{method}`'s traffic."]
        d.contract_steps = [f"Remove `{method}` once nothing calls it."]


def _tombstone(f: FieldDef, sunset: str) -> str:
    return f"// {f.id}: {f.type.text} {f.name} (removed on {sunset}; never reuse id {f.id})"


def _method_line(m: Method, note: str) -> str:
    args = ", ".join(field_line(a).rstrip(",") for a in m.args.values())
    throws = ", ".join(field_line(t).rstrip(",") for t in m.throws.values())
    returns = m.returns.text if m.returns is not None else "void"
    return (("oneway " if m.oneway else "") + f"{returns} {m.name}({args})" + (f" throws ({throws})" if throws else "")
            + f" (deprecated = {_quote(note)})")


def apply_expand(text: str, edits: Sequence[object]) -> str:
    """The old document with a plan's expand edits applied: Thrift plans give snippets to write, no edits."""
    return text

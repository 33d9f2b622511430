"""Rollouts for numbered-field IDLs: what the owners of a Protobuf schema do, in which order, with the ``.proto`` to
write at each step.

Every Protobuf change that needs a plan is a ``staged-rollout`` (no HTTP deprecation headers: readers and
writers of messages, and callers of RPCs, are told through the schema itself): add a field under a **new
number** beside the old, mark the old ``[deprecated = true]``, let writers write both and readers move, then
delete the old field and **reserve its number and its name**. Never reuse a number. An RPC: add the new method,
deprecate the old, migrate callers, remove it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from apidiff.core.change import Change
from apidiff.core.format import LoadOptions
from apidiff.core.model import Api, Deprecation
from apidiff.core.plan import Dates, Design, Planner, Snippet
from apidiff.core.result import Report
from apidiff.formats.protobuf.model import FieldDef, Message, ProtoApi

__all__ = ["apply_expand", "planner"]


def planner(old: Api, new: Api, report: Report, options: LoadOptions) -> Planner:
    if not isinstance(old, ProtoApi) or not isinstance(new, ProtoApi):
        raise TypeError("the Protobuf planner plans changes between two Protobuf schemas")
    return _ProtoPlanner(old, new)


def _snippet(code: str, caption: str) -> Snippet:
    return Snippet(language="protobuf", code=code, caption=caption)


def _field_line(f: FieldDef, *, name: str | None = None, number: int | None = None, kind: str | None = None,
                deprecated: bool = False) -> str:
    label = {"repeated": "repeated ", "explicit": "optional ", "required": "required "}.get(f.cardinality, "")
    type_text = kind or (f.type_name if f.kind in ("message", "enum", "group") else f.kind)
    option = " [deprecated = true]" if deprecated else ""
    return f"{label}{type_text} {name or f.name} = {number if number is not None else f.number}{option};"


def _free_number(message: Message | None, *others: Message | None) -> int:
    """A number no version of the message has used or reserved."""
    used = {1}
    for m in (message, *others):
        if m is None:
            continue
        used |= set(m.fields)
        used |= {n for start, end in m.reserved.ranges for n in (start, end)}
    return max(used) + 1


class _ProtoPlanner:
    type_changes: frozenset[str] = frozenset()
    required_later: frozenset[str] = frozenset()
    after_sunset_ids: Mapping[str, str] = {}

    def __init__(self, old: ProtoApi, new: ProtoApi) -> None:
        self.old, self.new = old, new
        from apidiff.formats.protobuf import FORMAT

        self.rollouts = frozenset(r.id for r in FORMAT.rules())

    def prefetch(self, changes: Sequence[Change]) -> None:
        pass

    def existing(self, change: Change) -> Deprecation | None:
        return None

    def _message(self, api: ProtoApi, subject: str) -> Message | None:
        return api.messages.get(subject.rsplit(".", 1)[0])

    def _field(self, api: ProtoApi, change: Change, number: int | None) -> FieldDef | None:
        message = self._message(api, change.subject)
        return message.fields.get(number) if message is not None and number is not None else None

    def design(self, change: Change, strategy: str, dates: Dates) -> Design:
        where = str(change.old_location or change.new_location or "")
        d = Design(strategy="staged-rollout", element=change.id.removeprefix("proto-").split("-")[0],
                   where=f"`{where}`")
        sunset = dates.sunset.isoformat()
        check = ("Check each step before it is published: `apidiff diff` of the published schema and the step's "
                 "reports no breaking change.")
        rid = change.id
        a = change.args
        number = a.get("number")
        if number is None and isinstance(a.get("field"), str) and " = " in str(a.get("field")):
            number = int(str(a["field"]).rsplit(" = ", 1)[1])
        old_f = self._field(self.old, change, number if isinstance(number, int) else None)
        new_f = self._field(self.new, change, number if isinstance(number, int) else None)
        if rid == "proto-field-removed" and old_f is not None:
            d.expand_steps = [f"Keep `{old_f.name} = {old_f.number}` and mark it deprecated; stop writing it.", check]
            d.expand_snippets = [_snippet(_field_line(old_f, deprecated=True), "the field while it is phased out")]
            d.migrate_steps = [f"Until {sunset}, readers stop reading `{old_f.name}`; data written before still "
                               "holds it (it is kept as an unknown field by readers that no longer know it)."]
            d.contract_steps = [f"Delete the field and reserve both its number and its name, so that neither is "
                                f"ever reused: a new field under {old_f.number} would misread stored data."]
            d.contract_snippets = [_snippet(f'reserved {old_f.number};\nreserved "{old_f.name}";',
                                            "in the message, in place of the field")]
        elif rid in ("proto-field-renamed", "proto-field-type-changed", "proto-field-cardinality-changed",
                     "proto-field-oneof-changed", "proto-field-json-name-changed") and old_f is not None \
                and new_f is not None:
            fresh = _free_number(self._message(self.old, change.subject), self._message(self.new, change.subject))
            name = new_f.name if new_f.name != old_f.name else f"{new_f.name}_v2"
            d.expand_steps = [
                f"Do not change field {old_f.number} in place: add the new definition under a new number "
                f"({fresh}) and mark the old one deprecated.",
                "Writers write both fields; readers keep reading the old one.", check]
            d.expand_snippets = [_snippet(_field_line(old_f, deprecated=True) + "\n" + _field_line(
                new_f, name=name, number=fresh), "both fields, old and new")]
            d.migrate_steps = [f"Until {sunset}, readers move to `{name} = {fresh}`; backfill stored data where it "
                               "is read back."]
            d.contract_steps = [f"Delete `{old_f.name} = {old_f.number}` and reserve its number and name."]
            d.contract_snippets = [_snippet(f'reserved {old_f.number};\nreserved "{old_f.name}";',
                                            "in the message, in place of the old field")]
        elif rid in ("proto-enum-value-renamed", "proto-enum-value-removed"):
            old_name = str(a.get("old") or a.get("name") or "")
            new_name = str(a.get("new") or "")
            value = a.get("number")
            if rid == "proto-enum-value-renamed":
                d.expand_steps = [f"Keep `{old_name}` and add `{new_name}` as an alias of the same number.", check]
                d.expand_snippets = [_snippet(f"option allow_alias = true;\n{old_name} = {value} [deprecated = true];"
                                              f"\n{new_name} = {value};", "in the enum")]
                d.migrate_steps = [f"Until {sunset}, code and JSON clients move to `{new_name}`."]
                d.contract_steps = [f"Remove `{old_name}` and reserve its name."]
                d.contract_snippets = [_snippet(f'reserved "{old_name}";', "in the enum")]
            else:
                d.expand_steps = [f"Keep `{old_name} = {value}`, mark it deprecated and stop writing it.", check]
                d.expand_snippets = [_snippet(f"{old_name} = {value} [deprecated = true];", "in the enum")]
                d.migrate_steps = [f"Until {sunset}, readers handle the value's absence."]
                d.contract_steps = ["Delete the value and reserve its number and its name."]
                d.contract_snippets = [_snippet(f'reserved {value};\nreserved "{old_name}";', "in the enum")]
        elif rid.startswith("proto-rpc-"):
            method = change.subject.rsplit(".", 1)[-1]
            d.expand_steps = [f"Do not change `{method}` in place: add a new method with the new definition "
                              f"(`{method}V2`) and mark `{method}` `option deprecated = true;`.",
                              "Deploy the servers with both methods before any client calls the new one.", check]
            d.migrate_steps = [f"Until {sunset}, callers move to `{method}V2`; watch `{method}`'s traffic."]
            d.contract_steps = [f"Remove `{method}` once nothing calls it."]
        elif rid.endswith("-removed") or rid.endswith("-moved"):
            d.expand_steps = [f"Keep it ({change.message}) for now and mark it deprecated "
                              "(`option deprecated = true;`).", check]
            d.migrate_steps = [f"Until {sunset}, code that uses it moves off it."]
            d.contract_steps = [f"Apply the change ({change.message}) once nothing depends on it."]
        else:
            d.expand_steps = [f"The change ({change.message}) cannot live beside the old definition: keep the old "
                              f"one for now and announce the change for {sunset}.", check]
            d.migrate_steps = ["Readers, writers and generated-code users adapt so that they work with both."]
            d.contract_steps = [f"On or after {sunset}, apply the change."]
        return d


def apply_expand(text: str, edits: Sequence[object]) -> str:
    """The old document with a plan's expand edits applied: Protobuf plans give snippets to write, no edits."""
    return text

"""The OpenAPI planner of deprecation plans (see :mod:`apidiff.core.plan` for the phases, the
strategies and the JSON form): where an element is in the old document (file, line, JSON pointer),
how it is marked deprecated (``deprecated: true`` and the sunset extension, ``x-sunset`` by
default), which operations its traffic goes through, and the expand phase's edits.

Edit ops: ``merge`` (keys into the mapping at the JSON pointer ``target``), ``set`` (the value at
``target``, creating missing parents; a last token ``-`` appends to a list). :func:`apply_expand`
applies them; YAML comes back re-serialised (comments and key quoting are not kept), JSON stays JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from apidiff.core._yaml import dumps_json
from apidiff.core.change import Change
from apidiff.core.direction import Direction
from apidiff.core.format import LoadOptions
from apidiff.core.location import escape_pointer_token
from apidiff.core.model import Api, Deprecation
from apidiff.core.plan import (
    OPERATIONS_SHOWN,
    Dates,
    Design,
    Edit,
    Planner,
    Snippet,
    fresh_name,
    rule_of,
    some,
    staged_requests,
)
from apidiff.core.result import Report
from apidiff.formats.jsonschema.model import Schema
from apidiff.formats.openapi.model import HttpApi, Operation

__all__ = ["MISSING", "apply_expand", "planner", "resolve_pointer"]

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace", "query"})


def planner(old: Api, new: Api, report: Report, options: LoadOptions) -> Planner:
    """The planner for a comparison of two OpenAPI documents (``options.sunset_extension`` names the
    extension that carries sunset dates)."""
    if not isinstance(old, HttpApi) or not isinstance(new, HttpApi):
        raise TypeError("the OpenAPI planner plans changes between two OpenAPI documents")
    return _OpenApiPlanner(old, new, report, options.sunset_extension)


def _rule_at(rule_id: str) -> str | None:
    rule = rule_of(rule_id)
    return rule.at if rule is not None else None


class _Missing:
    pass


MISSING: Any = _Missing()


def _tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]]


def _pointer(tokens: Iterable[str]) -> str:
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def resolve_pointer(doc: Any, pointer: str) -> Any:
    """The value at ``pointer`` in ``doc``, or :data:`MISSING`."""
    node = doc
    for token in _tokens(pointer):
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return MISSING
    return node


def _append_text(existing: Any, note: str) -> str:
    return f"{existing.rstrip()}\n\n{note}" if isinstance(existing, str) and existing.strip() else note


class _Docs:
    """The parsed documents of one side, from the loader's texts (or the files)."""

    def __init__(self, api: HttpApi) -> None:
        self.api = api
        self.texts: dict[str, str] = dict(getattr(api.locate, "texts", None) or {})
        self.parsed: dict[str, Any] = {}
        self.lines: dict[tuple[str, str], int | None] = {}

    def text(self, file: str) -> str | None:
        if file not in self.texts:
            try:
                self.texts[file] = Path(file).read_text(encoding="utf-8")
            except (OSError, ValueError):
                return None
        return self.texts[file]

    def doc(self, file: str) -> Any:
        if file not in self.parsed:
            from apidiff.core._yaml import parse_document

            text = self.text(file)
            self.parsed[file] = MISSING if text is None else parse_document(text, file)
        return self.parsed[file]

    def node(self, file: str, pointer: str) -> Any:
        doc = self.doc(file)
        return MISSING if doc is MISSING else resolve_pointer(doc, pointer)

    def prefetch(self, file: str, pointers: Iterable[str]) -> None:
        """Find the lines of many pointers (and their ancestors) with one scan of ``file``."""
        text = self.text(file)
        if text is None:
            return
        from apidiff.core._positions import json_pointer_positions
        from apidiff.core._yaml import yaml_pointer_positions

        wanted = set()
        for pointer in pointers:
            while (file, pointer) not in self.lines and pointer not in wanted:
                wanted.add(pointer)
                if not pointer:
                    break
                pointer = pointer.rsplit("/", 1)[0]
        if not wanted:
            return
        find = json_pointer_positions if text.lstrip()[:1] in ("{", "[") else yaml_pointer_positions
        found = find(text, wanted)
        for pointer in wanted:
            pos = found.get(pointer)
            self.lines[(file, pointer)] = pos[0] if pos else None

    def line(self, file: str, pointer: str) -> int | None:
        if (file, pointer) not in self.lines:
            self.prefetch(file, [pointer])
        return self.lines.get((file, pointer))

    def is_json(self, file: str) -> bool:
        text = self.text(file)
        return text is not None and text.lstrip()[:1] in ("{", "[")


class _OpenApiPlanner:
    """Plans OpenAPI changes (see :class:`apidiff.core.plan.Planner`), reading the documents' texts."""

    type_changes = frozenset({"type-changed", "became-nullable", "became-non-nullable", "format-changed",
                              "became-enum"})
    required_later = frozenset({
        "property-added-required", "parameter-added-required", "request-body-added-required",
        "property-became-required", "parameter-became-required", "request-body-became-required",
    })
    after_sunset_ids: Mapping[str, str] = {"property": "property-removed-after-sunset",
                                           "parameter": "parameter-removed-after-sunset"}

    def __init__(self, old: HttpApi, new: HttpApi, report: Report, sunset_key: str) -> None:
        self.old, self.new, self.report, self.key = old, new, report, sunset_key
        self.old_docs, self.new_docs = _Docs(old), _Docs(new)
        self.version = old.version or "3.0"
        self.traffic: dict[int, _Traffic] = {}
        self._indexes: dict[int, _Index] = {}  # id(api) -> where its operations and named schemas are
        self._renamed_from: dict[str, Change] | None = None

    def index(self, api: HttpApi) -> _Index:
        found = self._indexes.get(id(api))
        if found is None:
            found = self._indexes[id(api)] = _Index(api)
        return found

    def added_as(self, subject: str) -> Change | None:
        """The first addition hinted as renamed from ``subject`` that has a pointer (one pass over the
        report for all of them, not one per rename)."""
        if self._renamed_from is None:
            self._renamed_from = {}
            for c in self.report.changes:
                source = c.args.get("renamed_from")
                if source is not None and c.new_location is not None and c.new_location.pointer:
                    self._renamed_from.setdefault(source, c)
        return self._renamed_from.get(subject)

    def prefetch(self, changes: Sequence[Change]) -> None:
        """Find the lines of every element (and its ancestors) the plans will name, one scan per file."""
        for side, docs in (("old", self.old_docs), ("new", self.new_docs)):
            by_file: dict[str, list[str]] = {}
            for change in changes:
                spot = self.element(change, side)
                if spot is not None:
                    by_file.setdefault(spot[0], []).extend((spot[1], _pointer([*_tokens(spot[1])[:-2], "required"])))
                    if side == "old" and change.args.get("renamed_to"):
                        by_file[spot[0]].extend(self.rename_targets(change, spot))
            for file, pointers in by_file.items():
                docs.prefetch(file, pointers)

    def rename_targets(self, change: Change, old_spot: tuple[str, str]) -> tuple[str, ...]:
        """Where :meth:`plan_replacement` puts a renamed element in the old document (absent there:
        asked one by one, each would cost a scan of the whole file)."""
        added = self.added_as(change.subject)
        if added is None or added.new_location is None or not added.new_location.pointer:
            return ()
        new_pointer = added.new_location.pointer
        return new_pointer, _pointer([*_tokens(old_spot[1])[:-1], _tokens(new_pointer)[-1]])

    # where things are
    def element(self, change: Change, side: str) -> tuple[str, str] | None:
        """(file, JSON pointer) of the changed element (not of the keyword) on ``side``."""
        loc = change.old_location if side == "old" else change.new_location
        if loc is None or loc.pointer is None:
            return None
        pointer = loc.pointer
        at = _rule_at(change.id) or change.args.get("keyword")
        if isinstance(at, str) and at and pointer.endswith("/" + escape_pointer_token(at)):
            pointer = pointer[: -len(at) - 1]
        return loc.file, pointer

    def where(self, file: str, pointer: str, docs: _Docs | None = None) -> str:
        line = (docs or self.old_docs).line(file, pointer)
        at = f" line {line}" if line else ""
        return f"`{file}`{at}, at `{pointer or '/'}`"

    def existing(self, change: Change) -> Deprecation | None:
        from apidiff.formats.openapi.load import parse_date

        spot = self.element(change, "old")
        if spot is None:
            return None
        node = self.old_docs.node(*spot)
        if not isinstance(node, Mapping) or node.get("deprecated") is not True:
            return None
        return Deprecation(sunset=parse_date(node.get(self.key)),
                           since=parse_date(node.get("x-deprecated-at") or node.get("x-deprecation-date")))

    # what kind of element a pointer names
    @staticmethod
    def kind_of(pointer: str) -> str:
        t = _tokens(pointer)
        if len(t) >= 2 and t[-2] == "properties":
            return "property"
        if len(t) >= 2 and t[-2] == "parameters" and t[-1].isdigit():
            return "parameter"
        if len(t) == 3 and t[0] in ("paths", "webhooks") and t[2] in _METHODS:
            return "operation"
        if t and t[-1] == "requestBody":
            return "request body"
        return "schema" if "schema" in t or (t[:2] == ["components", "schemas"]) or t[:1] == ["definitions"] \
            else "element"

    # the plan
    def design(self, change: Change, strategy: str, dates: Dates) -> Design:
        old_spot, new_spot = self.element(change, "old"), self.element(change, "new")
        spot = old_spot or new_spot
        element = self.kind_of(spot[1]) if spot else "element"
        d = Design(strategy=strategy, element=element,
                    where=self.where(*old_spot) if old_spot else
                    (f"{self.where(*new_spot, docs=self.new_docs)} in the new document" if new_spot else "n/a"))
        d.operations = self.operations(change, spot)
        if strategy == "deprecate-then-remove" and old_spot and element in ("property", "parameter", "operation"):
            planned = self.plan_removal(change, d, old_spot, dates)
        elif strategy == "add-new-then-remove-old" and old_spot:
            planned = self.plan_replacement(change, d, old_spot, new_spot, dates)
        elif strategy == "optional-then-required":
            planned = self.plan_required_later(change, d, old_spot, new_spot, dates)
        else:
            planned = False
        if not planned:
            d.strategy = "announce-then-apply"
            self.plan_announcement(change, d, old_spot, new_spot, dates)
        d.headers_where = self.headers_where(change, d)
        return d

    def mark(self, file: str, pointer: str, dates: Dates, note: str | None = None) -> tuple[Edit | None, bool]:
        """The edit that marks the element at ``pointer`` deprecated; whether apidiff will see the mark."""
        node = self.old_docs.node(file, pointer)
        if not isinstance(node, Mapping):
            return None, False
        keys: dict[str, Any] = {}
        if node.get("deprecated") is not True:
            keys["deprecated"] = True
        if not node.get(self.key):
            keys[self.key] = dates.sunset.isoformat()
        if note:
            keys["description"] = _append_text(node.get("description"), note)
        if not keys:
            return None, True
        if "$ref" not in node:
            return Edit(file=file, op="merge", target=pointer, value=keys), True
        # apidiff's loader reads no deprecation beside a $ref: the removal will not count as after the sunset
        if self.kind_of(pointer) != "property":
            return None, False
        if self.version.startswith("3.1"):
            return Edit(file=file, op="merge", target=pointer, value=keys), False
        # OpenAPI 2.0/3.0 ignore the siblings of $ref: wrap the reference in allOf
        wrapped = {"allOf": [dict(node)], **{k: v for k, v in node.items() if k != "$ref"}, **keys}
        return Edit(file=file, op="set", target=pointer, value=wrapped), False

    def marker_text(self, dates: Dates) -> str:
        return f"`deprecated: true` and `{self.key}: '{dates.sunset.isoformat()}'`"

    def plan_removal(self, change: Change, d: Design, spot: tuple[str, str], dates: Dates) -> bool:
        edit, seen = self.mark(*spot, dates)
        d.recognised = seen
        if edit is not None:
            d.marker = self.marker_text(dates)
            d.edits.append(edit)
            if edit.op == "set":
                d.expand_steps.append("The element is a `$ref`, whose siblings OpenAPI "
                                      f"{self.version} ignores: the reference moves into `allOf`.")
        if d.element == "parameter" and spot[1].startswith("/components/"):
            d.expand_steps.append(f"`{spot[1]}` is shared: marking it deprecated deprecates it in every operation "
                                  "that refers to it (inline a copy to deprecate it in one operation only).")
        d.expand_snippets = self.snippets(d.edits)
        return True

    def plan_replacement(self, change: Change, d: Design, old_spot: tuple[str, str],
                         new_spot: tuple[str, str] | None, dates: Dates) -> bool:
        file, pointer = old_spot
        renamed = change.args.get("renamed_to")
        parent = _tokens(pointer)[:-1]
        name = _tokens(pointer)[-1] if pointer else ""
        if renamed:
            added = self.added_as(change.subject)
            if added is None or added.new_location is None or added.new_location.pointer is None:
                return False
            source = (added.new_location.file, added.new_location.pointer)
            new_tokens = _tokens(source[1])
            if d.element == "operation":
                target = source[1]
                replacement = str(renamed)
            else:
                target = _pointer([*parent, new_tokens[-1]])
                replacement = new_tokens[-1]
            value = self.new_docs.node(*source)
        else:
            if d.element not in ("property", "parameter") or new_spot is None:
                return False
            # the element at the same place in the new document; the change may point through a $ref
            same = (new_spot[0], pointer)
            source = same if isinstance(self.new_docs.node(*same), Mapping) else new_spot
            value = self.new_docs.node(*source)
            if not isinstance(value, Mapping):
                return False
            siblings = resolve_pointer(self.old_docs.doc(file), _pointer(parent))
            if d.element == "parameter":
                old_param = self.old_docs.node(file, pointer)
                if not isinstance(old_param, Mapping) or old_param.get("in") == "path":
                    return False  # a path parameter is part of the path: no second one beside it
                names = {p.get("name") for p in siblings if isinstance(p, Mapping)} if isinstance(
                    siblings, list) else set()
                replacement = fresh_name(str(old_param.get("name")), names)
                value = {**value, "name": replacement, "required": False}
                target = _pointer([*parent, "-"])
            else:
                replacement = fresh_name(name, set(siblings) if isinstance(siblings, Mapping) else set())
                target = _pointer([*parent, replacement])
        if value is MISSING:
            return False
        d.suggested_name = not renamed
        add = Edit(file=file, op="set", target=target, value=value)
        note = f"Deprecated: use `{replacement}` instead. Removal after {dates.sunset.isoformat()}."
        mark, seen = self.mark(file, pointer, dates, note=note)
        d.recognised = seen
        d.replacement = replacement if d.element == "operation" else _qualified(change.subject, name, replacement)
        d.marker = self.marker_text(dates) + ", and a description that names the replacement"
        d.edits = [add, *self.missing_refs(value, file, source[0]), *([mark] if mark else [])]
        if len(d.edits) > 1 + (1 if mark else 0):
            refs = ", ".join(f"`{e.target}`" for e in d.edits[1:-1 if mark else None])
            d.expand_steps.append(f"Also add what the new {d.element} refers to: {refs}.")
        if d.element == "operation":
            d.successor = self.operation_url(str(renamed))
        d.expand_snippets = self.snippets(d.edits)
        return True

    def plan_required_later(self, change: Change, d: Design, old_spot: tuple[str, str] | None,
                            new_spot: tuple[str, str] | None, dates: Dates) -> bool:
        if "-added-" in change.id:
            if new_spot is None:
                return False
            value = self.new_docs.node(*new_spot)
            counterpart = self.old_counterpart(*new_spot)
            if counterpart is None or not isinstance(value, Mapping):
                return False
            file, pointer = counterpart
            tokens = _tokens(pointer)
            if self.old_docs.node(file, _pointer(tokens[:-1 if d.element != "parameter" else -2])) is MISSING:
                return False
            if d.element == "parameter":
                if value.get("in") == "path":
                    return False
                value = {**value, "required": False}
                target = _pointer([*tokens[:-1], "-"])
            elif d.element == "request body":
                value = {**value, "required": False}
                target = pointer
            else:
                target = pointer
            d.where = self.where(file, _pointer(tokens[:-1])) if d.element != "parameter" else \
                self.where(file, _pointer(tokens[:-2]))
            d.edits = [Edit(file=file, op="set", target=target, value=value),
                       *self.missing_refs(value, file, new_spot[0])]
            d.expand_snippets = self.snippets(d.edits)
        else:
            if old_spot is None:
                return False
            note = f"Becomes required after {dates.sunset.isoformat()}: send it with every request."
            edit = self.describe(old_spot, note)
            d.edits = [edit] if edit else []
            d.expand_snippets = self.snippets(d.edits)
        d.contract_snippets = self.final_state(change, new_spot, d.element)
        return True

    def old_counterpart(self, file: str, pointer: str) -> tuple[str, str] | None:
        """Where the element at ``pointer`` of the new document goes in the old one: below the same
        operation or the same named schema, which may sit in another file or at another path."""
        tokens = _tokens(pointer)
        if len(tokens) >= 3 and tokens[0] in ("paths", "webhooks"):
            op_pointer = _pointer(tokens[:3])
            new_op = self.index(self.new).operation_at(file, op_pointer)
            old_op = self.old.operations.get(new_op.key) if new_op is not None else None
            if old_op is None or old_op.location.pointer is None:
                return None
            return old_op.location.file, old_op.location.pointer + pointer[len(op_pointer):]
        name = self.index(self.new).schema_at(file, pointer)
        old_schema = self.old.schemas.get(name) if name is not None else None
        new_schema = self.new.schemas.get(name) if name is not None else None
        if old_schema is None or new_schema is None or old_schema.location.pointer is None \
                or new_schema.location.pointer is None:
            return None  # e.g. a shared parameter in components: where it is used is not known here
        return old_schema.location.file, old_schema.location.pointer + pointer[len(new_schema.location.pointer):]

    def plan_announcement(self, change: Change, d: Design, old_spot: tuple[str, str] | None,
                          new_spot: tuple[str, str] | None, dates: Dates) -> None:
        if old_spot is not None:
            note = f"Changes after {dates.sunset.isoformat()}: {change.message}."
            edit = self.describe(old_spot, note)
            if edit is not None:
                d.edits = [edit]
                d.expand_snippets = self.snippets(d.edits)
        d.contract_snippets = self.final_state(change, new_spot, d.element)

    def describe(self, spot: tuple[str, str], note: str) -> Edit | None:
        """An edit that appends ``note`` to the description of the element (or of the parameter,
        response or request body that holds a schema)."""
        file, pointer = spot
        tokens = _tokens(pointer)
        if tokens[-1:] == ["schema"] and len(tokens) >= 3 and tokens[-3] == "parameters":
            tokens = tokens[:-1]
        elif tokens[-1:] == ["schema"] and len(tokens) >= 4 and tokens[-3] == "content":
            tokens = tokens[:-3]
        elif len(tokens) >= 3 and tokens[-2] == "content":  # a media type object has no description
            tokens = tokens[:-2]
        target = _pointer(tokens)
        node = self.old_docs.node(file, target)
        if not isinstance(node, Mapping) or "$ref" in node:
            return None
        return Edit(file=file, op="merge", target=target, value={"description": _append_text(node.get("description"),
                                                                                              note)})

    def final_state(self, change: Change, new_spot: tuple[str, str] | None, element: str) -> list[Snippet]:
        if new_spot is None:
            return []
        file, pointer = new_spot
        if change.id in ("property-added-required", "property-became-required"):
            pointer = _pointer([*_tokens(pointer)[:-2], "required"])
        value = self.new_docs.node(file, pointer)
        if value is MISSING:
            return []
        return [self.snippet(file, pointer, value, self.new_docs, "The new definition, to apply after the sunset")]

    # the snippets
    def snippets(self, edits: Sequence[Edit]) -> list[Snippet]:
        out = []
        for e in edits:
            if e.op == "merge":
                node = self.old_docs.node(e.file, e.target)
                full = {**node, **e.value} if isinstance(node, Mapping) else dict(e.value)
                caption = "Add these keys" if len(e.value) > 1 else "Add this key"
                out.append(self.snippet(e.file, e.target, full, self.old_docs, f"{caption} to the old document",
                                        only=set(e.value)))
            else:
                exists = self.old_docs.node(e.file, e.target) is not MISSING
                out.append(self.snippet(e.file, e.target, e.value, self.old_docs,
                                        "Replace the element in the old document with" if exists else
                                        "Add to the old document"))
        return out

    def snippet(self, file: str, pointer: str, value: Any, docs: _Docs, caption: str,
                only: set[str] | None = None) -> Snippet:
        tokens = _tokens(pointer)
        key = tokens[-1] if tokens else ""
        line_pointer = pointer if docs.node(file, pointer) is not MISSING else _pointer(tokens[:-1])
        line = docs.line(file, line_pointer)
        shown = value
        if only is not None and isinstance(value, Mapping) and _more_lines_than({key: value}, 12):
            shown = {k: v for k, v in value.items() if k in only}
            caption += " (the other keys stay as they are)"
        if docs.is_json(file):
            code = dumps_json([shown] if key == "-" or key.isdigit() else {key: shown}, indent=2, ensure_ascii=False)
            language = "json"
        else:
            code = _dump([shown] if key == "-" or key.isdigit() else {key: shown}, True)
            language = "yaml"
        where = f"`{pointer}`" if line_pointer == pointer else f"`{pointer}` (under `{line_pointer or '/'}`)"
        at = f" line {line}" if line else ""
        return Snippet(language=language, code=code.rstrip("\n"), caption=f"{caption}: `{file}`{at}, at {where}",
                       file=file, target=pointer, line=line)

    def missing_refs(self, value: Any, file: str, new_file: str) -> list[Edit]:
        """Edits that copy the local ``$ref`` targets ``value`` (from ``new_file``) needs and the old
        document ``file`` lacks."""
        out: list[Edit] = []
        seen: set[str] = set()
        stack = [value]
        while stack:
            node = stack.pop()
            if isinstance(node, Mapping):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/") and ref not in seen:
                    seen.add(ref)
                    pointer = ref[1:]
                    if self.old_docs.node(file, pointer) is MISSING:
                        target = self.new_docs.node(new_file, pointer)
                        if target is not MISSING:
                            out.append(Edit(file=file, op="set", target=pointer, value=target))
                            stack.append(target)
                stack.extend(v for k, v in node.items() if k != "$ref")
            elif isinstance(node, list):
                stack.extend(node)
        return sorted(out, key=lambda e: e.target)

    # the traffic
    def operations(self, change: Change, spot: tuple[str, str] | None) -> tuple[str, ...]:
        if spot is None:
            return ()
        file, pointer = spot
        tokens = _tokens(pointer)
        apis = (self.old, self.new) if change.old_location is not None else (self.new,)
        for api in apis:
            if len(tokens) >= 3 and tokens[0] in ("paths", "webhooks"):
                op = self.index(api).operation_at(file, _pointer(tokens[:3]))
                if op is not None:
                    return (_op_label(op),)
            name = self.index(api).schema_at(file, pointer)
            if name is not None:
                traffic = self.traffic.get(id(api))
                if traffic is None:
                    traffic = self.traffic[id(api)] = _Traffic(api)
                return tuple(sorted(_op_label(op) for op in traffic.users(name, change.direction)))
        return ()

    def headers_where(self, change: Change, d: Design) -> str:
        ops = some(d.operations, OPERATIONS_SHOWN) or "the operations that use it"
        if len(d.operations) > OPERATIONS_SHOWN:
            ops = f"the {len(d.operations)} operations {ops}"
        uses = staged_requests(change, d)
        return f"responses to requests to {ops} {uses}" if uses else f"every response of {ops}"

    def operation_url(self, subject: str) -> str:
        method, _, path = subject.partition(" ")
        op = self.index(self.new).operation_of(method, path)
        base = op.servers[0].rstrip("/") if op is not None and op.servers else ""
        return base + path


def _qualified(subject: str, old_name: str, new_name: str) -> str:
    """``Pet.tagV2`` for ``Pet.tag``: the subject with its last name replaced."""
    return subject[: -len(old_name)] + new_name if old_name and subject.endswith(old_name) else new_name


def _dump(value: Any, yaml_style: bool) -> str:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Numbers kept exactly (Decimals, see core._yaml.exact_number) written as the numbers they are."""

    def decimal(dumper: yaml.SafeDumper, number: Decimal) -> yaml.ScalarNode:
        tag = "int" if number == number.to_integral_value() and "E" not in str(number) else "float"
        return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", str(number))

    Dumper.add_representer(Decimal, decimal)
    return str(yaml.dump(value, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                         width=1_000_000))


def _op_label(op: Operation) -> str:
    return f"{op.method.upper()} {op.path}" if not op.webhook else f"webhook {op.key}"


def _more_lines_than(value: Any, limit: int) -> bool:
    """Whether ``_dump(value)`` has more than ``limit`` lines, without dumping a large value (one
    snippet per enum value removed must not dump the whole enum each time): in block style every
    value that is not a non-empty list or mapping (an alias of one seen before included) ends a
    line of its own, so more than ``limit`` of them settle it; a value with fewer is dumped."""
    values = 0
    seen: set[int] = set()
    stack: list[Iterator[Any]] = [iter((value,))]
    while stack:
        node = next(stack[-1], _END)
        if node is _END:
            stack.pop()
            continue
        if isinstance(node, dict | list) and node and id(node) not in seen:
            seen.add(id(node))
            stack.append(iter(node.values() if isinstance(node, dict) else node))
            continue
        values += 1
        if values > limit:
            return True
    return len(_dump(value, False).splitlines()) > limit


_END = object()


class _Index:
    """Where an API's operations and named schemas are, by file and pointer, built once: a plan
    asks for each of its items, and scanning every operation or schema per item is O(n²)."""

    def __init__(self, api: HttpApi) -> None:
        self.operations: dict[tuple[str, str | None], Operation] = {}
        self.by_route: dict[tuple[str, str], Operation] = {}
        for op in api.operations.values():
            self.operations.setdefault((op.location.file, op.location.pointer), op)
            self.by_route.setdefault((op.method.upper(), op.path), op)
        self.schemas: dict[tuple[str, str], str] = {}
        for name, schema in api.schemas.items():
            if schema.location.pointer is not None:
                self.schemas.setdefault((schema.location.file, schema.location.pointer), name)

    def operation_at(self, file: str, pointer: str) -> Operation | None:
        """The first operation located at ``pointer`` of ``file``."""
        return self.operations.get((file, pointer))

    def operation_of(self, method: str, path: str) -> Operation | None:
        """The first operation of ``method`` (any case) and path template ``path``."""
        return self.by_route.get((method.upper(), path))

    def schema_at(self, file: str, pointer: str) -> str | None:
        """The named schema of ``file`` whose location is ``pointer`` or its nearest ancestor (the
        first of the API's order when two share it)."""
        while True:
            name = self.schemas.get((file, pointer))
            if name is not None or "/" not in pointer:
                return name
            pointer = pointer.rsplit("/", 1)[0]  # the ancestors: "" holds every pointer that starts with "/"


def _refs(schema: Schema | None) -> set[str]:
    """Named schemas that ``schema`` refers to directly (through inline parts, not through refs)."""
    out: set[str] = set()
    stack = [schema] if schema is not None else []
    while stack:
        s = stack.pop()
        if s.ref is not None:
            out.add(s.ref)
            continue
        stack.extend(s.properties.values())
        stack.extend(x for x in (s.items, s.not_) if x is not None)
        if isinstance(s.additional, Schema):
            stack.append(s.additional)
        stack.extend((*s.one_of, *s.any_of, *s.all_of))
    return out


class _Traffic:
    """Which operations use which named schemas, computed once per API."""

    def __init__(self, api: HttpApi) -> None:
        self.referrers: dict[str, set[str]] = {}
        for other, schema in api.schemas.items():
            for ref in _refs(schema):
                self.referrers.setdefault(ref, set()).add(other)
        self.ops: list[tuple[Operation, set[str], set[str]]] = []
        for op in api.operations.values():
            request: set[str] = set()
            for p in op.parameters.values():
                request |= _refs(p.schema)
            for m in (op.body.content.values() if op.body else ()):
                request |= _refs(m.schema)
            response: set[str] = set()
            for r in op.responses.values():
                for m in r.content.values():
                    response |= _refs(m.schema)
                for h in r.headers.values():
                    response |= _refs(h.schema)
            if op.webhook:  # a webhook's request is what the API sends
                request, response = response, request
            self.ops.append((op, request, response))

    def users(self, name: str, direction: Direction) -> list[Operation]:
        """Operations whose requests (input) or responses (output) reach the named schema."""
        reach = {name}
        stack = [name]
        while stack:
            for user in self.referrers.get(stack.pop(), ()):
                if user not in reach:
                    reach.add(user)
                    stack.append(user)
        out = []
        for op, request, response in self.ops:
            wanted = (request if direction is not Direction.OUTPUT else set()) | \
                     (response if direction is not Direction.INPUT else set())
            if wanted & reach:
                out.append(op)
        return out


# -- applying the expand phase -------------------------------------------------------------------------


def apply_expand(text: str, edits: Sequence[Edit]) -> str:
    """The old document's ``text`` with the expand phase's ``edits`` applied (``merge`` and
    ``set``). YAML comes back re-serialised (comments and key quoting are not kept); JSON stays JSON."""
    return _apply_openapi(text, edits)


def _apply_openapi(text: str, edits: Sequence[Edit]) -> str:
    import copy

    from apidiff.core._yaml import parse_document

    doc = parse_document(text, "<old>")
    for e in edits:
        tokens = _tokens(e.target)
        if e.op == "merge":
            node = resolve_pointer(doc, e.target)
            if not isinstance(node, dict):
                raise ValueError(f"no mapping at {e.target} to merge into")
            node.update(copy.deepcopy(e.value))
        elif e.op == "set":
            parent: Any = doc
            for i, token in enumerate(tokens[:-1]):
                if isinstance(parent, list):
                    parent = parent[int(token)]
                    continue
                if token not in parent:
                    parent[token] = [] if tokens[i + 1] == "-" else {}
                parent = parent[token]
            last = tokens[-1]
            if isinstance(parent, list):
                if last == "-":
                    parent.append(copy.deepcopy(e.value))
                else:
                    parent[int(last)] = copy.deepcopy(e.value)
            else:
                parent[last] = copy.deepcopy(e.value)
        else:
            raise ValueError(f"unknown OpenAPI edit {e.op!r}")
    if text.lstrip()[:1] in ("{", "["):
        return dumps_json(doc, indent=2, ensure_ascii=False) + "\n"
    return _dump(doc, True)

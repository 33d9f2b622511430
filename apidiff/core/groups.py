"""Groups: many changes that say one thing, shown as one line.

Two kinds of repetition make reports on real schemas unreadable, and a group is made of either:

- **element**: changes of one rule on one element (236 ``enum-value-added`` on enum ``Country``:
  ``Country: 236 enum values added (AD, AE, … 230 more)``);
- **event**: one event repeated at several places (the same parameter change, same rule and same
  arguments, on six operations; a shared response or schema change reached from many operations),
  listed with its places and counted. Events that happen at the same places merge into one group
  with their members (three properties added to the same response of two operations).

What the element, the member and the place of a change are is format knowledge: each format
answers :meth:`apidiff.core.format.Format.group_facet` with a :class:`Facet`; the default
(:func:`default_facet`) splits ``Type.member`` subjects and knows no places.

Groups are deterministic: their order and content do not depend on the order of the changes given
(they follow the changes' sort keys), every change is in exactly one group, and a group of one is
just the change (``kind == "change"``). Ids are stable: a hash of what the group is, not its position.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from apidiff.core.change import Change, Severity

__all__ = ["Facet", "Group", "default_facet", "facet_for", "group_changes", "phrase"]

SINGLE, ELEMENT, EVENT = "change", "element", "event"
KINDS = (SINGLE, ELEMENT, EVENT)


@dataclass(frozen=True, slots=True)
class Facet:
    """What a format says about one change, for grouping.

    ``element`` is what changes of one rule collect under, as shown (``Country``, ``GET /pets``,
    ``GET /pets response 200 application/json.items[]``; ``""``: the document itself); ``member``
    what in it changed (``AD``, ``query parameter limit``, ``name``). ``place`` is where the change
    was reached (an operation, a root field, a union), ``""`` when it has none; ``shared`` is the
    change with its place taken out, the same text at every place (``query parameter limit``), and
    ``noun`` what places are, plural (``operations``). ``area`` is what summaries count by (an
    operation's first path segment, a GraphQL type)."""

    element: str
    member: str
    place: str = ""
    shared: str = ""
    noun: str = "places"
    area: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """Changes that say one thing: their indexes into the report's changes, in the changes' order."""

    id: str
    kind: str  # "change", "element" or "event"
    rule: str
    severity: Severity
    element: str  # the element (element groups, single changes), or what the event is (event groups)
    members: tuple[str, ...]  # distinct members, in order
    places: tuple[str, ...]  # distinct places, in order (event groups)
    noun: str  # what the places are, plural
    area: str
    changes: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "rule": self.rule, "severity": self.severity.value,
                "element": self.element, "members": list(self.members), "places": list(self.places),
                "noun": self.noun, "area": self.area, "count": self.count, "changes": list(self.changes)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Group:
        return cls(id=data["id"], kind=data["kind"], rule=data["rule"], severity=Severity(data["severity"]),
                   element=data["element"], members=tuple(data.get("members") or ()),
                   places=tuple(data.get("places") or ()), noun=data.get("noun") or "places",
                   area=data.get("area") or "", changes=tuple(data["changes"]))


def default_facet(change: Change) -> Facet:
    """Without format knowledge: ``Type.member`` subjects are ``member`` of ``Type``; any other
    subject is a member of the document; no places."""
    subject = change.subject
    head, dot, rest = subject.partition(".")
    if dot and head and rest and " " not in head:
        return Facet(element=head, member=rest, area=head)
    return Facet(element="", member=subject, area=subject.split(" ", 1)[0].split("(", 1)[0])


def facet_for(kind: str) -> Callable[[Change], Facet]:
    """The grouping hook of the format ``kind`` when it is loaded, else :func:`default_facet`."""
    from apidiff.core.format import known_format

    fmt = known_format(kind)
    return fmt.group_facet if fmt is not None else default_facet


def _args_key(args: Any) -> str:
    return json.dumps(args, sort_keys=True, ensure_ascii=False, default=str)


def _event_args(args: Any) -> str:
    """The arguments that make two changes at different places the same event: all of them, but
    for a description (``change`` added/changed/removed) the texts, which name their place."""
    if isinstance(args, dict) and "change" in args:
        args = {k: v for k, v in args.items() if k not in ("old", "new")}
    return _args_key(args)


def _digest(*parts: object) -> str:
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()


def _distinct(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def group_changes(changes: Sequence[Change], facet: Callable[[Change], Facet] = default_facet) -> list[Group]:
    """The groups of ``changes``, most severe first, then in the order of their first change's sort key."""
    facets = [facet(c) for c in changes]
    # the changes' content order, whatever order they come in
    order = sorted(range(len(changes)), key=lambda i: (*changes[i].sort_key, _args_key(changes[i].args),
                                                        changes[i].direction.value, changes[i].severity.rank))
    rank = {index: n for n, index in enumerate(order)}

    # events: the same (rule, severity, shared, args) at two or more places
    by_event: dict[tuple[str, str, str, str], list[int]] = {}
    for i in order:
        f, c = facets[i], changes[i]
        if f.place and f.shared:
            by_event.setdefault((c.id, c.severity.value, f.shared, _event_args(c.args)), []).append(i)
    taken: set[int] = set()
    # events at the same places, of the same rule on the same element, merge into one group with their members
    by_places: dict[tuple[str, str, str, tuple[str, ...]], list[int]] = {}
    for key, members in by_event.items():
        places = tuple(sorted(set(facets[i].place for i in members)))
        if len(places) < 2:
            continue
        by_places.setdefault((key[0], key[1], _base(facets[members[0]]), places), []).extend(members)
        taken.update(members)

    raw: list[tuple[str, str, list[int]]] = []
    for (_, _, base, _), members in by_places.items():
        raw.append((EVENT, base, sorted(members, key=rank.__getitem__)))
    by_element: dict[tuple[str, str, str], list[int]] = {}
    for i in order:
        if i not in taken:
            c = changes[i]
            by_element.setdefault((c.id, c.severity.value, facets[i].element), []).append(i)
    for (_, _, element), members in by_element.items():
        raw.append((ELEMENT if len(members) > 1 else SINGLE, element, members))

    groups: list[Group] = []
    for kind, element, members in raw:
        first = changes[members[0]]
        f = facets[members[0]]
        if kind == EVENT:
            shared = _distinct(facets[i].shared for i in members)
            member_names = shared if len(shared) == 1 else _distinct(facets[i].member for i in members)
            element = shared[0] if len(shared) == 1 else element
            places = _distinct(facets[i].place for i in members)
        else:
            member_names = _distinct(facets[i].member for i in members) if kind == ELEMENT else (f.member,)
            places = ()
        ident = _digest(kind, first.id, first.severity.value, element, *member_names, "|", *places,
                        "|", *(first.sort_key if kind == SINGLE else ()))
        groups.append(Group(id=f"{first.id}:{ident}", kind=kind, rule=first.id, severity=first.severity,
                            element=element, members=member_names, places=places, noun=f.noun,
                            area=f.area, changes=tuple(members)))
    groups.sort(key=lambda g: (-g.severity.rank, rank[g.changes[0]], g.id))
    return groups


def _base(f: Facet) -> str:
    """The element an event is on, without its place: ``shared`` less its member."""
    if f.member and f.shared.endswith(f.member) and f.shared != f.member:
        return f.shared[: -len(f.member)].rstrip(" .")
    return "" if f.shared == f.member else f.shared


def group_index(groups: Sequence[Group], size: int) -> list[str]:
    """The id of each change's group, by change index."""
    out = [""] * size
    for g in groups:
        for i in g.changes:
            out[i] = g.id
    return out


# -- words -----------------------------------------------------------------------------------------

_VERBS = frozenset({"added", "removed", "changed", "became", "deprecated", "undeprecated", "increased",
                    "decreased", "set", "opened", "closed", "renamed", "narrowed", "widened", "moved",
                    "reordered", "required", "optional"})
_PLURAL = {"status": "statuses", "schema": "schemas", "key": "keys", "media": "media", "properties": "properties",
           "additional": "additional", "resolvers": "resolvers"}


def _plural(word: str) -> str:
    if word in _PLURAL:
        return _PLURAL[word]
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def phrase(rule: str, count: int) -> str:
    """``enum-value-added`` → ``enum values added``; ``property-added-optional`` → ``optional
    properties added`` (the count decides plural)."""
    words = rule.split("-")
    verb = next((n for n, w in enumerate(words) if w in _VERBS and n > 0), len(words))
    noun, rest = words[:verb], words[verb:]
    prefix: list[str] = []
    if len(rest) == 2 and rest[0] == "added" and rest[1] in ("optional", "required"):
        prefix, rest = [rest[1]], rest[:1]
    if noun and count != 1:
        noun = [*noun[:-1], _plural(noun[-1])]
    return " ".join([*prefix, *noun, *rest])

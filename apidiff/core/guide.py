"""The consumer migration guide, format-neutral: what a client must do for each breaking or dangerous change.

Each change is listed once (the guide grows with the changes, not with changes × places), in a
section of the element it is in (:meth:`Places.group`: ``Book``, ``GET /pets``, ``Pet``). Its entry
names the *places* it reaches (what a client calls: an HTTP operation ``GET /pets``, a GraphQL root
field ``Query.book``), counted, says what to do (a sentence per change family; the change's message
otherwise) and shows one example before and after, through one of those places. A change used in
two directions (a schema read by some operations and sent to others) has an entry per direction,
since what to do differs. Changes that reach no place are listed last, under "Other changes".

With a consumer (``--usage … --consumer NAME``), only the changes its usages touch are listed,
each with the consumer's usages it touches, and the places are narrowed to the consumer's own
(:meth:`Places.narrow`).

Where the places are and what the entries say is the format's business:
:meth:`apidiff.core.format.Format.guide` gives a :class:`Places` (the default, :class:`BasePlaces`,
lists every change under "Other changes", without examples), and :func:`assemble_guide` builds
the :class:`Guide` (plain data) from it; the renderers are in :mod:`apidiff.report.guide`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.model import Api
from apidiff.core.result import Report, SourceInfo, consumer_impacts

__all__ = ["DEFAULT_DEPTH", "EXAMPLE_TRIES", "NO_FOCUS", "OTHER", "BasePlaces", "Entry", "Focus", "Guide", "Places",
           "Section", "Snippet", "TodoTexts", "assemble_guide", "code", "family", "first_line", "hint", "instead",
           "plain", "rollback", "some", "sunset_why", "todo"]

OTHER = "Other changes"
EXAMPLE_TRIES = 3  # places tried for a change's example; the shortest with both sides wins
_SUFFIXES = ("-without-deprecation", "-before-sunset", "-after-sunset")


# -- the guide as data --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snippet:
    """An example: ``language`` is the fence tag (``http``, ``graphql``)."""

    language: str
    code: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One change, with the places it reaches (in one direction).

    ``todo`` is one or two sentences; backticks delimit code (names), and plain text holds none.
    ``before``/``after`` are one example on the old and the new API, through the place
    ``example_at``; either may be missing (the operation is gone, the status is new). With
    ``same``, the change does not show in a request or a response: ``before`` is the one example,
    valid on both sides.
    """

    change: Change
    todo: str
    before: Snippet | None = None
    after: Snippet | None = None
    before_note: str | None = None  # why there is no ``before`` example
    after_note: str | None = None  # why there is no ``after`` example
    places: tuple[str, ...] = ()  # the titles of the places it reaches, in the guide's order
    example_at: str | None = None  # the title of the place the example goes through
    usages: tuple[str, ...] = ()  # a consumer's guide: that consumer's usages it touches
    same: bool = False  # the example is the same on both sides (``before`` only)

    def __post_init__(self) -> None:
        if self.before is None and self.before_note is None:
            object.__setattr__(self, "before_note", _missing(self.change, before=True))
        if self.after is None and self.after_note is None:
            object.__setattr__(self, "after_note", _missing(self.change, before=False))


@dataclass(frozen=True, slots=True)
class Section:
    """The entries of the changes in one element (``key``: ``Book``, ``GET /pets/{}``, ``Pet``;
    ``""`` for the changes that reach no place)."""

    key: str
    title: str
    entries: tuple[Entry, ...]
    description: str | None = None

    def count(self, severity: Severity) -> int:
        """How many of its changes have ``severity`` (a change with two entries counts once)."""
        return len({id(e.change) for e in self.entries if e.change.severity is severity})


@dataclass(frozen=True, slots=True)
class Guide:
    kind: str  # the name of the format (``Api.kind`` of the old side)
    mode: Mode
    old: SourceInfo
    new: SourceInfo
    old_version: str | None
    new_version: str | None
    sections: tuple[Section, ...]
    consumer: str | None = None  # a guide for one consumer: only the changes its usage touches
    operations: tuple[str, ...] = ()  # that consumer's affected operations or routes
    place_noun: str = "operation"  # what one section's place is, as the text names it ("root field")
    usage_unit: str = "usages"  # what one of the consumer's ``operations`` is, plural ("routes")

    @property
    def changes(self) -> tuple[Change, ...]:
        """Each change in the guide once, in the order first met."""
        seen: dict[int, Change] = {}
        for section in self.sections:
            for entry in section.entries:
                seen.setdefault(id(entry.change), entry.change)
        return tuple(seen.values())

    @property
    def places(self) -> tuple[str, ...]:
        """Every place some change reaches, once, in the order first met."""
        return tuple(dict.fromkeys(p for s in self.sections for e in s.entries for p in e.places))


# -- what an example must show ------------------------------------------------------------------

DEFAULT_DEPTH = 6  # how deep sample values and selections go before cycles and nesting are cut


@dataclass(frozen=True, slots=True)
class Focus:
    """What a sample must show: elements to include although optional, and values to use.

    Elements are named by the subjects the differ reports (``Pet.owner``, ``GET /pets query
    parameter limit``, ``Status``; for GraphQL the coordinates ``Type.field(arg:)``,
    ``Input.field`` and type names)."""

    include: frozenset[str] = frozenset()
    values: Mapping[str, Any] = field(default_factory=dict)

    @property
    def targets(self) -> frozenset[str]:
        return self.include | frozenset(self.values)


NO_FOCUS = Focus()


# -- text helpers -------------------------------------------------------------------------------

def code(name: object) -> str:
    """``name`` as code in a to-do text."""
    return "`" + str(name).replace("`", "'") + "`"


def plain(text: object) -> str:
    """``text`` in the plain part of a to-do text (no backticks)."""
    return str(text).replace("`", "'")


def family(rule_id: str) -> str:
    """The rule id without its deprecation suffix (``field-removed-after-sunset`` → ``field-removed``)."""
    for suffix in _SUFFIXES:
        if rule_id.endswith(suffix):
            return rule_id[: -len(suffix)]
    return rule_id


def hint(reason: str | None, exists: Callable[[str], bool]) -> str | None:
    """A replacement named in a deprecation reason (``Use `isbn`.``), when it exists."""
    if not reason:
        return None
    candidates = re.findall(r"`([^`]+)`", reason)
    candidates += re.findall(r"\b(?:[Uu]se|[Rr]eplaced by|[Ss]ee)\s+([A-Za-z_][\w.]*(?:\s+/[\w/{}.-]*)?)", reason)
    for raw in candidates:
        name = raw.strip().rstrip(".")
        for option in (name, name.rsplit(".", 1)[-1]):
            if option and exists(option):
                return str(option)
    return None


def rollback(change: Change, mode: Mode) -> bool:
    """Whether only the forward verdict puts ``change`` in the guide."""
    return mode is Mode.FORWARD or (mode is Mode.FULL and change.backward is Severity.SAFE)


def instead(change: Change, direction: Direction, replacement: str | None) -> str:
    """The sentence that names what to use instead of a removed element: its probable new name,
    else the replacement its deprecation names; ``""`` when there is none."""
    renamed_to = change.args.get("renamed_to")
    if renamed_to:
        sends = direction is Direction.INPUT
        verb = "send" if sends else "read" if direction is Direction.OUTPUT else "use"
        return f" It was probably renamed to {code(renamed_to)}: {verb} {code(renamed_to)} instead."
    if replacement:
        return f" Its deprecation notice names {code(replacement)}: use {code(replacement)} instead."
    return ""


def sunset_why(rule_id: str) -> str:
    """How a removal text says that the element was removed after its sunset date."""
    return " after its sunset date" if rule_id.endswith("-after-sunset") else ""


TodoTexts = Callable[[Change, Direction, str | None, str], str | None]
"""A format's to-do texts: (change, direction, replacement, how the text names the subject) →
the text, or ``None`` for the generic one."""


def todo(change: Change, direction: Direction, replacement: str | None = None, *, it: str | None = None,
         rollback: bool = False, texts: TodoTexts | None = None) -> str:
    """What a client must do about ``change`` where it is used in ``direction`` (input: the client
    sends it; output: the client reads it); ``replacement`` is a probable new name; ``it`` is how
    the text names the subject (the subject as code by default); ``texts`` gives the format's
    sentence for the change, when it has one. With ``rollback``, the change only matters to
    clients built for the new version if the server goes back to the old one (forward
    compatibility). The first letter is upper case; backticks delimit code."""
    it = code(change.subject) if it is None else it
    if rollback:
        text = f"Only a rollback breaks this: a client built for the new version fails against the old one " \
               f"({plain(change.message)}). Do not depend on {it} until the old version is retired."
    else:
        found = texts(change, direction, replacement, it) if texts is not None else None
        text = found if found is not None else f"Review how you use {it}: {plain(change.message)}."
    return text[:1].upper() + text[1:]


def some(names: Sequence[str], limit: int = 10, *, as_code: bool = True) -> str:
    """``names`` joined with commas, the first ``limit`` of them and then ``… N more``: a list of
    places that stays short however many there are (a type of GitHub's schema reaches 457 root
    fields). With ``as_code``, each name is code (backticks)."""
    shown = [code(n) if as_code else plain(n) for n in names[:limit]]
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f", … {rest} more" if rest > 0 else "")


def first_line(text: str | None) -> str | None:
    """The first line of a description, stripped; ``None`` when there is none."""
    if not text:
        return None
    line = text.strip().splitlines()[0].strip()
    return line or None


def _missing(change: Change, *, before: bool) -> str:
    """Why one side has no example."""
    if before and change.old_location is None:
        return "Nothing: this is new."
    if not before and change.new_location is None:
        return "Nothing: it was removed, with no replacement."
    return "No example on this side."


# -- what the guide asks a format ---------------------------------------------------------------

class Places(Protocol):
    """Where a format's changes land and what their entries say (see :meth:`Format.guide
    <apidiff.core.format.Format.guide>`)."""

    @property
    def noun(self) -> str:
        """What one place is, as the text names it (``operation``, ``root field``); plural with ``s``."""
        ...

    @property
    def usage_unit(self) -> str:
        """What one usage of a consumer is, plural (``routes``, ``operations``)."""
        ...

    def sections(self) -> Sequence[tuple[str, str, str | None]]:
        """(key, title, description) of every place, in the guide's order."""
        ...

    def group(self, change: Change) -> str:
        """The element the guide lists ``change`` under (``Book``, ``GET /pets``, ``Pet``)."""
        ...

    def places(self, change: Change) -> Sequence[tuple[str, Any]]:
        """(place key, where in it) for each place ``change`` reaches; ``where`` goes to :meth:`entry`
        (the places with the same ``where`` share an entry: hashable, the direction or position)."""
        ...

    def entry(self, change: Change, key: str | None, where: Any) -> Entry:
        """The entry of ``change`` at place ``key`` (``None``: under "Other changes")."""
        ...

    def narrow(self, operations: Sequence[str]) -> set[str] | None:
        """The place keys a consumer's affected ``operations`` (usages) are at, to keep only those
        places of its changes; ``None`` to keep every place of its changes."""
        ...


class BasePlaces:
    """Places for any format: none. Every change is listed under "Other changes", with the
    generic to-do text (its message) and no examples."""

    noun = "element"
    usage_unit = "usages"

    def __init__(self, old: Api, new: Api, mode: Mode) -> None:
        self.old, self.new, self.mode = old, new, mode

    def sections(self) -> Sequence[tuple[str, str, str | None]]:
        return []

    def group(self, change: Change) -> str:
        return re.split(r"[.( ]", change.subject, maxsplit=1)[0] or change.subject

    def places(self, change: Change) -> Sequence[tuple[str, Any]]:
        return []

    def entry(self, change: Change, key: str | None, where: Any) -> Entry:
        direction = where if isinstance(where, Direction) else change.direction
        return Entry(change, todo(change, direction, rollback=rollback(change, self.mode)))

    def narrow(self, operations: Sequence[str]) -> set[str] | None:
        return None


# -- building -----------------------------------------------------------------------------------

_RANK = {Severity.BREAKING: 0, Severity.DANGEROUS: 1, Severity.SAFE: 2}


def _example(builder: Places, change: Change, found: Sequence[tuple[str, Any]], titles: Mapping[str, str]) -> Entry:
    """The entry of ``change`` at the places ``found`` (one ``where``): its example goes through the
    one of the first :data:`EXAMPLE_TRIES` places that shows the most sides, the shortest of those
    (the first on a tie); when both sides are the same text, it is shown once (``same``)."""
    best: tuple[tuple[int, int], Entry, str] | None = None
    for key, where in found[:EXAMPLE_TRIES]:
        entry = builder.entry(change, key, where)
        sides = (entry.before is not None) + (entry.after is not None)
        size = sum(len(s.code) for s in (entry.before, entry.after) if s is not None)
        score = (-sides, size)
        if best is None or score < best[0]:
            best = (score, entry, key)
    assert best is not None
    _, entry, key = best
    shown = entry.before is not None or entry.after is not None
    entry = replace(entry, places=tuple(titles.get(k, k) for k, _ in found),
                    example_at=titles.get(key, key) if shown else None)
    if entry.before is not None and entry.after is not None and entry.before.code == entry.after.code:
        entry = replace(entry, after=None, after_note=None, same=True)
    return entry


def assemble_guide(report: Report, old_api: Api, new_api: Api, places: Places, consumer: str | None = None) -> Guide:
    """The guide for the breaking and dangerous changes of ``report`` (the comparison of
    ``old_api`` with ``new_api``): an entry per change (per direction it is used in), listing the
    ``places`` of the format it reaches (operations, root fields) with one example, in a section
    per element (:meth:`Places.group`). With ``consumer`` (and the report's usage), only the
    changes that consumer's operations or routes touch, each with those usages, and only the
    places :meth:`Places.narrow` keeps."""
    builder = places
    wanted: dict[Change, list[str]] | None = None
    routes: set[str] | None = None
    operations: tuple[str, ...] = ()
    if consumer is not None:
        mine = consumer_impacts(report, consumer)
        wanted = {}
        for impact in mine:
            for c in impact.changes:
                wanted.setdefault(c, []).append(impact.usage.operation)
        operations = tuple(dict.fromkeys(i.usage.operation for i in mine))
        routes = builder.narrow(operations)
    order: dict[str, int] = {}
    titles: dict[str, str] = {}
    for i, (key, title, _description) in enumerate(builder.sections()):
        order[key] = i
        titles[key] = title
    by_group: dict[str, list[Entry]] = {}
    other: list[Entry] = []
    for change in report.changes:
        if change.severity is Severity.SAFE or (wanted is not None and change not in wanted):
            continue
        usages = tuple(dict.fromkeys(wanted[change])) if wanted is not None else ()
        found = [p for p in builder.places(change) if (routes is None or p[0] in routes) and p[0] in order]
        if not found:
            other.append(replace(builder.entry(change, None, None), usages=usages))
            continue
        found.sort(key=lambda p: order[p[0]])
        by_where: dict[Hashable, list[tuple[str, Any]]] = {}
        for key, where in found:
            by_where.setdefault(where, []).append((key, where))
        group = builder.group(change)
        for same_where in by_where.values():
            entry = _example(builder, change, same_where, titles)
            by_group.setdefault(group, []).append(replace(entry, usages=usages))
    sections = [Section(group, group, tuple(sorted(entries, key=lambda e: _RANK[e.change.severity])))
                for group, entries in by_group.items()]  # stable: report order within a severity
    if other:
        sections.append(Section("", OTHER, tuple(sorted(other, key=lambda e: _RANK[e.change.severity]))))
    return Guide(kind=old_api.kind, mode=report.mode, old=report.old, new=report.new,
                 old_version=old_api.api_version, new_version=new_api.api_version, sections=tuple(sections),
                 consumer=consumer, operations=operations, place_noun=builder.noun, usage_unit=builder.usage_unit)

"""The consumer migration guide, format-neutral: what a client must do for each breaking or dangerous change.

Changes are grouped by what a client calls (a *place*: an HTTP operation ``GET /pets``, a GraphQL
root field ``Query.book``). A change inside a shared element is listed under every place that
uses it there, in the direction where it matters, so that a consumer reads only the sections of
the places they use. Changes that reach no place are listed last, under "Other changes".

Each entry says what to do (a sentence per change family; the change's message otherwise) and
may show an example before and after. Where the places are and what the entries say is the
format's business: :meth:`apidiff.core.format.Format.guide` gives a :class:`Places` (the default,
:class:`BasePlaces`, lists every change under "Other changes", without examples), and
:func:`assemble_guide` builds the :class:`Guide` (plain data) from it; the renderers are in
:mod:`apidiff.report.guide`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from apidiff.core.change import Change, Mode, Severity
from apidiff.core.direction import Direction
from apidiff.core.model import Api
from apidiff.core.result import Report, SourceInfo, consumer_impacts

__all__ = ["DEFAULT_DEPTH", "NO_FOCUS", "OTHER", "BasePlaces", "Entry", "Focus", "Guide", "Places", "Section",
           "Snippet", "TodoTexts", "assemble_guide", "code", "family", "first_line", "hint", "instead", "plain",
           "rollback", "sunset_why", "todo"]

OTHER = "Other changes"
_SUFFIXES = ("-without-deprecation", "-before-sunset", "-after-sunset")


# -- the guide as data --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Snippet:
    """An example: ``language`` is the fence tag (``http``, ``graphql``)."""

    language: str
    code: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One change as seen from one operation.

    ``todo`` is one or two sentences; backticks delimit code (names), and plain text holds none.
    ``before``/``after`` are examples on the old and the new API; either may be missing (the
    operation is gone, the status is new).
    """

    change: Change
    todo: str
    before: Snippet | None = None
    after: Snippet | None = None
    before_note: str | None = None  # why there is no ``before`` example
    after_note: str | None = None  # why there is no ``after`` example

    def __post_init__(self) -> None:
        if self.before is None and self.before_note is None:
            object.__setattr__(self, "before_note", _missing(self.change, before=True))
        if self.after is None and self.after_note is None:
            object.__setattr__(self, "after_note", _missing(self.change, before=False))


@dataclass(frozen=True, slots=True)
class Section:
    """The entries of one operation (``key``: ``GET /pets/{}``, ``Query.book``; ``""`` for the
    changes that reach no operation)."""

    key: str
    title: str
    entries: tuple[Entry, ...]
    description: str | None = None

    def count(self, severity: Severity) -> int:
        return sum(e.change.severity is severity for e in self.entries)


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

    def places(self, change: Change) -> Sequence[tuple[str, Any]]:
        """(place key, where in it) for each place ``change`` reaches; ``where`` goes to :meth:`entry`."""
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

    def places(self, change: Change) -> Sequence[tuple[str, Any]]:
        return []

    def entry(self, change: Change, key: str | None, where: Any) -> Entry:
        direction = where if isinstance(where, Direction) else change.direction
        return Entry(change, todo(change, direction, rollback=rollback(change, self.mode)))

    def narrow(self, operations: Sequence[str]) -> set[str] | None:
        return None


# -- building -----------------------------------------------------------------------------------

def assemble_guide(report: Report, old_api: Api, new_api: Api, places: Places, consumer: str | None = None) -> Guide:
    """The guide for the breaking and dangerous changes of ``report`` (the comparison of
    ``old_api`` with ``new_api``), grouped by the ``places`` of the format (operations, root
    fields). With ``consumer`` (and the report's usage), only the changes that consumer's
    operations or routes touch, and only at the places :meth:`Places.narrow` keeps."""
    builder = places
    rank = {Severity.BREAKING: 0, Severity.DANGEROUS: 1, Severity.SAFE: 2}
    by_key: dict[str, list[Entry]] = {}
    other: list[Entry] = []
    wanted: set[Change] | None = None
    routes: set[str] | None = None
    operations: tuple[str, ...] = ()
    if consumer is not None:
        mine = consumer_impacts(report, consumer)
        wanted = {c for i in mine for c in i.changes}
        operations = tuple(dict.fromkeys(i.usage.operation for i in mine))
        routes = builder.narrow(operations)
    for change in report.changes:
        if change.severity is Severity.SAFE or (wanted is not None and change not in wanted):
            continue
        found: list[tuple[str, Any]] = [p for p in builder.places(change) if routes is None or p[0] in routes]
        if not found:
            other.append(builder.entry(change, None, None))
        for key, where in found:
            by_key.setdefault(key, []).append(builder.entry(change, key, where))
    sections = []
    for key, title, description in builder.sections():
        if key in by_key:
            entries = sorted(by_key[key], key=lambda e: rank[e.change.severity])  # stable: report order within
            sections.append(Section(key, title, tuple(entries), first_line(description)))
    if other:
        sections.append(Section("", OTHER, tuple(sorted(other, key=lambda e: rank[e.change.severity]))))
    return Guide(kind=old_api.kind, mode=report.mode, old=report.old, new=report.new,
                 old_version=old_api.api_version, new_version=new_api.api_version, sections=tuple(sections),
                 consumer=consumer, operations=operations, place_noun=builder.noun, usage_unit=builder.usage_unit)

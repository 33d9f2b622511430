"""Probable renames: an element removed and one of the same shape added beside it.

The verdicts do not change (a rename breaks clients that use the old name), but the removal
and the addition say ``probably renamed to X`` / ``probably renamed from X`` and carry
``args["renamed_to"]`` / ``args["renamed_from"]``, which the migration guide and the deprecation
plan use (serve both names, deprecate the old one).

A hint is given only when the match is unique both ways within the same parent: one removed
and one added element of equal shape (everything but name, description, deprecation and
location), and names at least half alike. Two removed ``String`` fields and two added ones
give no hint; neither does ``code_scanning_upload`` → ``copilot_usage_records`` (seen on
GitHub's REST description: same shape, unrelated names).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import fields, is_dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from apidiff.core.change import Change
from apidiff.core.fingerprint import EqualClasses
from apidiff.core.pair import Pair

RenameKey = Callable[[Pair[Any]], tuple[tuple[str, str], str]]  # pair -> (group, name)
_IGNORED = frozenset({"name", "key", "path", "operation_id", "summary", "description", "deprecation", "location",
                      "title"})


def shape(element: Any) -> Any:
    """What an element is, without what it is called or how it is documented."""
    if is_dataclass(element) and not isinstance(element, type):
        values = []
        for f in fields(element):
            if f.name in _IGNORED or not f.compare:
                continue
            value = getattr(element, f.name)
            if f.name == "schema" and is_dataclass(value) and not isinstance(value, type):
                value = replace(value, description=None, deprecation=None, title=None)  # type: ignore[call-arg, unused-ignore]
            values.append((f.name, value))
        return (type(element).__name__, tuple(values))
    return element


def default_rename_key(pair: Pair[Any]) -> tuple[tuple[str, str], str]:
    """A rename stays within its parent: (kind, owner), and the element's own name."""
    owner = pair.owner or (pair.subject.rsplit(".", 1)[0] if "." in pair.subject else "")
    return (pair.kind, owner), pair.subject.rsplit(".", 1)[-1]


def similar(old: str, new: str) -> bool:
    """Names that share at least half their characters (``name`` → ``fullName``, ``/organizations/…``
    → ``/orgs/…``); unrelated names of the same shape are a coincidence, not a rename."""
    return SequenceMatcher(None, old.lower(), new.lower()).ratio() >= 0.5


def find_renames(pairs: Iterable[Pair[Any]], key: RenameKey = default_rename_key) -> dict[str, tuple[str, str]]:
    """subject -> ("to", new subject) for removals, ("from", old subject) for additions, among
    the added and removed ``pairs`` (grouped and named by ``key``)."""
    removed: dict[tuple[str, str], list[Pair[Any]]] = {}
    added: dict[tuple[str, str], list[Pair[Any]]] = {}
    for pair in pairs:
        if (pair.old is None) == (pair.new is None):
            continue
        (removed if pair.new is None else added).setdefault(key(pair)[0], []).append(pair)
    hints: dict[str, tuple[str, str]] = {}
    for group, gone in removed.items():
        candidates = added.get(group, [])
        if not candidates:
            continue
        classes = EqualClasses()  # equal shapes counted by number: O(n), not a scan per element
        gone_classes = [classes.of(shape(p.old)) for p in gone]
        new_of_class: dict[int, list[int]] = {}
        for j, p in enumerate(candidates):
            new_of_class.setdefault(classes.of(shape(p.new)), []).append(j)
        gone_per_class = Counter(gone_classes)
        for i, old_pair in enumerate(gone):
            same = new_of_class.get(gone_classes[i], [])
            if len(same) != 1 or gone_per_class[gone_classes[i]] != 1:
                continue
            new_pair = candidates[same[0]]
            if not similar(key(old_pair)[1], key(new_pair)[1]):
                continue
            hints[old_pair.subject] = ("to", new_pair.subject)
            hints[new_pair.subject] = ("from", old_pair.subject)
    return hints


def annotate(changes: list[Change], hints: dict[str, tuple[str, str]]) -> list[Change]:
    """Add the rename hint to the removal and addition changes it concerns."""
    if not hints:
        return changes
    out = []
    for change in changes:
        hint = hints.get(change.subject)
        if hint is not None and (("-removed" in change.id and hint[0] == "to")
                                 or ("-added" in change.id and hint[0] == "from")):
            way, other = hint
            change = replace(change, message=f"{change.message} (probably renamed {way} {other})",
                             args={**change.args, f"renamed_{way}": other})
        out.append(change)
    return out

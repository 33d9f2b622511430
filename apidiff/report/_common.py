"""Helpers shared by the human-readable reports."""

from __future__ import annotations

from collections.abc import Sequence

from apidiff.core.change import Change, Severity
from apidiff.core.groups import ELEMENT, SINGLE, Group, phrase
from apidiff.core.result import Report
from apidiff.core.usage import Impact

ORDER = (Severity.BREAKING, Severity.DANGEROUS, Severity.SAFE)
ICONS = {Severity.BREAKING: "✖", Severity.DANGEROUS: "⚠", Severity.SAFE: "✔"}


def grouped(report: Report) -> list[tuple[Severity, list[Change]]]:
    """Changes by severity, most severe first; empty groups left out."""
    groups: dict[Severity, list[Change]] = {s: [] for s in ORDER}
    for change in report.changes:
        groups[change.severity].append(change)
    return [(s, groups[s]) for s in ORDER if groups[s]]


def where(change: Change) -> str:
    loc = change.new_location or change.old_location
    return str(loc) if loc is not None else ""


def summary_line(report: Report) -> str:
    s = report.summary
    ignored = f" ({len(report.ignored)} ignored by configuration)" if report.ignored else ""
    if not report.changes:
        return "no changes" + ignored
    return f"{s['breaking']} breaking, {s['dangerous']} dangerous, {s['safe']} safe" + ignored


def used_by(report: Report, change: Change, users: dict[Change, list[Impact]], *, limit: int = 5) -> str | None:
    """``used by web: GetBook, ios: BookList`` / ``no known consumer``; None without usage data."""
    if report.impact is None:
        return None
    found = users.get(change, [])
    if not found:
        return "no known consumer"
    names = [f"{i.usage.consumer}: {i.usage.operation}" for i in found]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "used by " + ", ".join(names[:limit]) + more


def impact_line(report: Report) -> str | None:
    """``3 of 12 operations affected (web 2 of 5, ios 1 of 4, billing 0 of 3)``."""
    impact = report.impact
    if impact is None:
        return None
    noun = impact.unit
    per: dict[str, int] = {}
    for i in impact.impacts:
        per[i.usage.consumer] = per.get(i.usage.consumer, 0) + 1
    parts = ", ".join(f"{name} {per.get(name, 0)} of {count}" for name, count in sorted(impact.consumers.items()))
    return f"{impact.affected} of {impact.usages} {noun} affected" + (f" ({parts})" if parts else "")


def impact_where(impact: Impact) -> str:
    u = impact.usage
    return f"{u.file}:{u.line}" if u.line else u.file


def impact_what(impact: Impact) -> str:
    """The touched changes (worst first) and the validation errors, in one line."""
    changes = sorted(impact.changes, key=lambda c: -c.severity.rank)
    parts = [f"{c.id} {c.subject}" for c in changes if c.severity is not Severity.SAFE]
    parts += [f"invalid: {e}" for e in impact.errors]
    if impact.usage.kind == "http" and impact.usage.requests:
        parts.append(f"{impact.requests} of {impact.usage.requests} requests")
    return "; ".join(parts)


# -- groups and the summary ----------------------------------------------------------------------

MEMBERS_SHOWN = 6  # members or places listed in a group's line before "… N more" (breaking: all)


def load_format(report: Report) -> None:
    """Load the report's format (when it is a known one), so that its grouping hook is used."""
    import contextlib

    from apidiff.formats import get

    with contextlib.suppress(KeyError):
        get(report.new.kind)


def groups_of(report: Report) -> list[Group]:
    """The report's groups, with its format's grouping hook."""
    load_format(report)
    return report.change_groups()


def by_severity(groups: list[Group]) -> list[tuple[Severity, list[Group]]]:
    """Groups by severity, most severe first; empty severities left out."""
    out: dict[Severity, list[Group]] = {s: [] for s in ORDER}
    for g in groups:
        out[g.severity].append(g)
    return [(s, out[s]) for s in ORDER if out[s]]


def listing(items: Sequence[str], limit: int | None = MEMBERS_SHOWN) -> str:
    """``a, b, c, … 230 more``; every item when ``limit`` is None."""
    if limit is None or len(items) <= limit + 1:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … {len(items) - limit} more"


def _values(change: Change) -> tuple[str, str] | None:
    args = change.args
    if "old" in args and "new" in args and "change" not in args:
        old, new = str(args["old"]), str(args["new"])
        if len(old) <= 60 and len(new) <= 60:
            return old, new
    return None


def headline(report: Report, group: Group, *, limit: int | None = MEMBERS_SHOWN) -> str:
    """One line for a group: the change's message for a group of one; ``Country: 236 enum values
    added (AD, AE, … 230 more)``; ``optional query parameter status was added to 6 operations
    (GET /a, GET /b, … 4 more)``."""
    changes = [report.changes[i] for i in group.changes]
    first = changes[0]
    if group.kind == SINGLE:
        return first.message
    if group.kind == ELEMENT:
        values = [_values(c) for c in changes]
        common = ""
        labels = list(group.members)
        if all(v is not None for v in values):
            if len(set(values)) == 1 and values[0] is not None:
                common = f" from {values[0][0]} to {values[0][1]}"
            else:
                seen: dict[str, str] = {}
                for c, v in zip(changes, values, strict=True):
                    assert v is not None
                    seen.setdefault(c.subject, f"{v[0]} → {v[1]}")
                labels = [f"{m} ({seen[c.subject]})" for m, c in _member_changes(report, group)]
        head = f"{group.element}: " if group.element else ""
        return f"{head}{group.count} {phrase(group.rule, group.count)}{common} ({listing(labels, limit)})"
    count = f"{len(group.places)} {group.noun}"
    places = f"{count} ({listing(group.places, limit)})"
    if len(group.members) == 1:
        message, place = first.message, group.places[0]
        if first.subject in message:
            return message.replace(first.subject, group.element, 1) + f" on {places}"
        if place in message:
            return message.replace(place, count, 1) + f": {listing(group.places, limit)}"
        return f"{message} ({places})"
    head = f"{group.element}: " if group.element else ""
    n = len(group.members)
    return f"{head}{n} {phrase(group.rule, n)} ({listing(group.members, limit)}) on {places}"


def _member_changes(report: Report, group: Group) -> list[tuple[str, Change]]:
    """(member, its first change) for an element group, in the group's member order."""
    from apidiff.core.groups import facet_for

    facet = facet_for(report.new.kind)
    firsts: dict[str, Change] = {}
    for i in group.changes:
        c = report.changes[i]
        firsts.setdefault(facet(c).member, c)
    return [(m, firsts[m]) for m in group.members if m in firsts]


def group_detail(report: Report, group: Group) -> str:
    """``rule · direction · backward X, forward Y · where`` of a group (``mixed`` where members differ)."""
    changes = [report.changes[i] for i in group.changes]
    directions = ", ".join(dict.fromkeys(c.direction.value for c in changes))
    back = {c.backward.value for c in changes}
    fwd = {c.forward.value for c in changes}
    verdicts = (f"backward {back.pop() if len(back) == 1 else 'mixed'}, "
                f"forward {fwd.pop() if len(fwd) == 1 else 'mixed'}")
    loc = group_where(report, group)
    count = f" · {group.count} changes" if group.count > 1 else ""
    return f"{group.rule}{count} · {directions} · {verdicts}" + (f" · {loc}" if loc else "")


def group_where(report: Report, group: Group) -> str:
    """Where the group's first change is written, and how many other places."""
    locs = dict.fromkeys(where(report.changes[i]) for i in group.changes)
    locs.pop("", None)
    if not locs:
        return ""
    first = next(iter(locs))
    return first + (f" (+{len(locs) - 1} more)" if len(locs) > 1 else "")


def group_used_by(report: Report, group: Group, users: dict[Change, list[Impact]], *, limit: int = 5) -> str | None:
    """:func:`used_by` over every change of a group."""
    if report.impact is None:
        return None
    names = list(dict.fromkeys(f"{i.usage.consumer}: {i.usage.operation}"
                               for n in group.changes for i in users.get(report.changes[n], ())))
    if not names:
        return "no known consumer"
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return "used by " + ", ".join(names[:limit]) + more


def _tally(keyed: list[tuple[str, Severity, int]]) -> list[tuple[str, dict[Severity, int]]]:
    out: dict[str, dict[Severity, int]] = {}
    for key, severity, n in keyed:
        counts = out.setdefault(key, dict.fromkeys(ORDER, 0))
        counts[severity] += n
    return sorted(out.items(), key=lambda kv: (*(-kv[1][s] for s in ORDER), kv[0]))


def counts_by_rule(groups: list[Group]) -> list[tuple[str, dict[Severity, int]]]:
    """Changes per rule, by severity; the rules with the most breaking changes first, then dangerous, then safe."""
    return _tally([(g.rule, g.severity, g.count) for g in groups])


def counts_by_area(report: Report) -> list[tuple[str, dict[Severity, int]]]:
    """Changes per area (the format's: an operation's first path segment, a GraphQL type), worst first."""
    from apidiff.core.groups import facet_for

    facet = facet_for(report.new.kind)
    return _tally([(facet(c).area or "(other)", c.severity, 1) for c in report.changes])


def severity_counts(counts: dict[Severity, int]) -> str:
    """``2 breaking, 5 safe`` (zeros left out)."""
    return ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)


def section_title(severity: Severity, groups: list[Group]) -> str:
    """How many changes a severity's section holds: ``7 changes in 5 groups``, or ``2`` when each is its own."""
    n = sum(g.count for g in groups)
    return f"{n} changes in {len(groups)} groups" if len(groups) != n else str(n)

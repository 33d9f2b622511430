"""One self-contained HTML page: summary badges and counts by rule and area, filters (severity, direction,
search), then the changes by severity in groups (a group of many: its line, its changes inside a <details>);
the safe section collapsed.

Everything is inline (no external resource; a Content-Security-Policy with hashes of the inline style and
script forbids any other), every value is escaped, and the output is deterministic (no timestamps).
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any
from urllib.parse import quote

from apidiff.core.change import Change, Severity
from apidiff.core.direction import Direction
from apidiff.core.groups import SINGLE, Group
from apidiff.core.location import Location
from apidiff.core.result import Report
from apidiff.core.usage import Impact
from apidiff.report._common import (
    ICONS,
    MEMBERS_SHOWN,
    ORDER,
    by_severity,
    counts_by_area,
    counts_by_rule,
    group_used_by,
    groups_of,
    headline,
    impact_line,
    impact_what,
    impact_where,
    section_title,
    used_by,
)
from apidiff.report._html_assets import CSS, JS

DOCS_BASE = "https://github.com/apidiff/apidiff/blob/main/docs/rules/"
DIRECTIONS = (Direction.INPUT, Direction.OUTPUT, Direction.BOTH, Direction.NONE)
TITLES = {Severity.BREAKING: "Breaking", Severity.DANGEROUS: "Dangerous", Severity.SAFE: "Safe"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def _href(base: str, path: str) -> str:
    """``base`` + ``path``, the path percent-encoded so that a colon in it (``git:REF:file``) is no scheme."""
    return _e(base + quote(path, safe="/"))


def _location(loc: Location | None, source_base: str) -> str:
    if loc is None:
        return '<span class="none">—</span>'
    anchor = f"#L{loc.line}" if loc.line else ""
    title = f' title="{_e(loc.pointer)}"' if loc.pointer else ""
    return f'<a href="{_href(source_base, loc.file)}{anchor}"{title}><code>{_e(loc)}</code></a>'


def _pairs(pairs: list[tuple[str, str]]) -> str:
    return '<dl class="meta">' + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in pairs) + "</dl>"


def _change(index: int, change: Change, docs_base: str, source_base: str, use: str | None = None) -> str:
    sev, direction = change.severity.value, change.direction.value
    rule = f'<a href="{_href(docs_base, change.id + ".md")}"><code>{_e(change.id)}</code></a>'
    verdicts = [
        ("rule", rule),
        ("direction", _e(direction)),
        ("backward", f'<span class="verdict {change.backward.value}">{_e(change.backward.value)}</span>'),
        ("forward", f'<span class="verdict {change.forward.value}">{_e(change.forward.value)}</span>'),
    ]
    locations = [("old", _location(change.old_location, source_base)),
                 ("new", _location(change.new_location, source_base))]
    return "\n".join([
        f'<li class="change" id="change-{index}" data-severity="{_e(sev)}" data-direction="{_e(direction)}"'
        f' data-rule="{_e(change.id)}">',
        f'<p class="message"><span aria-hidden="true">{ICONS[change.severity]}</span> {_e(change.message)}</p>',
        f'<p class="subject"><code>{_e(change.subject)}</code></p>',
        *(_pairs(pairs) for pairs in (verdicts, locations)),
        *([f'<p class="note">{_e(use)}</p>'] if use else []),
        "</li>",
    ])


def _summary(report: Report) -> list[str]:
    counts = report.summary
    badges = [
        f'<span class="badge {s.value}{"" if counts[s.value] else " zero"}" data-severity="{s.value}">'
        f"<b>{counts[s.value]}</b> {s.value}</span>"
        for s in ORDER
    ]
    total = len(report.changes)
    ignored = f", {len(report.ignored)} ignored by configuration" if report.ignored else ""
    n_groups = len(groups_of(report)) if total else 0
    grouping = f" in {n_groups} groups" if n_groups != total else ""
    note = f"{total} change{'' if total == 1 else 's'}{grouping}{ignored}"
    return ['<section id="summary" aria-label="Summary">', *badges, f'<p class="note">{_e(note)}</p>', "</section>"]


AREAS_SHOWN = 12


def _counts(report: Report, groups: list[Group]) -> list[str]:
    """Counts by rule and by area, worst first."""
    def table(title: str, rows: list[tuple[str, dict[Severity, int]]], shown: int | None, noun: str) -> list[str]:
        head = "".join(f'<th class="num">{s.value}</th>' for s in ORDER)
        body = []
        for key, counts in rows[:shown]:
            cells = "".join(f'<td class="num">{counts[s] or ""}</td>' for s in ORDER)
            body.append(f"<tr><td><code>{_e(key)}</code></td>{cells}</tr>")
        if shown is not None and len(rows) > shown:
            rest = {s: sum(c[s] for _, c in rows[shown:]) for s in ORDER}
            cells = "".join(f'<td class="num">{rest[s] or ""}</td>' for s in ORDER)
            body.append(f"<tr><td>… {len(rows) - shown} more {noun}</td>{cells}</tr>")
        return [f"<table><thead><tr><th>{title}</th>{head}</tr></thead><tbody>", *body, "</tbody></table>"]

    return ['<section id="counts" class="counts" aria-label="Counts by rule and area">',
            *table("rule", counts_by_rule(groups), None, "rules"),
            *table("area", counts_by_area(report), AREAS_SHOWN, "areas"), "</section>"]


def _filters(report: Report) -> list[str]:
    by_severity = report.summary
    by_direction = {d: sum(c.direction is d for c in report.changes) for d in DIRECTIONS}

    def box(name: str, value: str, count: int) -> str:
        return (f'<label><input type="checkbox" name="{name}" value="{value}" checked> '
                f'{value} <span class="note">({count})</span></label>')

    return [
        '<form id="filters" class="filters" role="search" hidden>',
        "<fieldset><legend>Severity</legend>",
        *(box("severity", s.value, by_severity[s.value]) for s in ORDER),
        "</fieldset>",
        "<fieldset><legend>Direction</legend>",
        *(box("direction", d.value, by_direction[d]) for d in DIRECTIONS),
        "</fieldset>",
        '<input type="search" name="q" placeholder="Search messages, rules, subjects, files" '
        'aria-label="Search changes" autocomplete="off">',
        "</form>",
        '<p id="shown" aria-live="polite" hidden></p>',
    ]


def _impact_row(i: Impact) -> str:
    return (f'<tr data-severity="{i.severity.value}"><td>{_e(i.usage.consumer)}</td><td>{_e(i.usage.operation)}</td>'
            f"<td><code>{_e(impact_where(i))}</code></td>"
            f'<td><span class="verdict {i.severity.value}">{_e(i.severity.value)}</span></td>'
            f"<td>{_e(impact_what(i))}</td></tr>")


def _impact(report: Report) -> list[str]:
    assert report.impact is not None
    out = ['<section class="impact" aria-labelledby="h-impact">',
           f'<h2 id="h-impact">Consumer impact</h2><p class="note">{_e(impact_line(report))}</p>']
    if report.impact.impacts:
        out += ["<table><thead><tr><th>consumer</th><th>operation</th><th>where</th><th>severity</th>"
                "<th>what breaks</th></tr></thead><tbody>",
                *(_impact_row(i) for i in report.impact.impacts), "</tbody></table>"]
    return [*out, "</section>"]


def render(report: Report, *, docs_base: str = DOCS_BASE, source_base: str = "", title: str | None = None,
           **_: Any) -> str:
    """The report as one HTML5 page; ``docs_base`` prefixes ``<rule-id>.md``, ``source_base`` the file links."""
    old, new = report.old, report.new
    kind = new.kind + (f" {new.version}" if new.version else "")
    heading = title or f"apidiff: {old.source} → {new.source}"
    csp = (f"default-src 'none'; style-src '{_sha256(CSS)}'; script-src '{_sha256(JS)}'; "
           "img-src 'none'; form-action 'none'; base-uri 'none'")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="generator" content="apidiff">',
        f"<title>{_e(heading)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_e(title or 'API changes')}</h1>",
        f'<p class="sources"><code>{_e(old.source)}</code> → <code>{_e(new.source)}</code>'
        f' <span class="nowrap">· {_e(kind)}</span>'
        f' <span class="nowrap">· mode <b>{_e(report.mode.value)}</b></span></p>',
        *_summary(report),
        "</header>",
    ]
    if report.impact is not None:
        out += _impact(report)
    if report.changes:
        groups = groups_of(report)
        out += _counts(report, groups)
        out += _filters(report)
        users = report.users()
        index = 0
        for severity, members in by_severity(groups):
            limit = None if severity is Severity.BREAKING else MEMBERS_SHOWN
            n = sum(g.count for g in members)
            counted = section_title(severity, members)
            extra = f' <span class="note">({_e(counted)})</span>' if " " in counted else ""
            out += [f'<section class="group" data-severity="{severity.value}" aria-labelledby="h-{severity.value}">',
                    f'<h2 id="h-{severity.value}"><span class="badge {severity.value}">{n}</span> '
                    f"{TITLES[severity]}{extra}</h2>"]
            if severity is Severity.SAFE:
                out.append(f"<details><summary>Show the {n} safe change{'' if n == 1 else 's'}</summary>")
            out.append('<ol class="changes">')
            for g in members:
                if g.kind == SINGLE:
                    index += 1
                    change = report.changes[g.changes[0]]
                    use = used_by(report, change, users) if change.severity is not Severity.SAFE else None
                    out.append(_change(index, change, docs_base, source_base, use))
                    continue
                directions = " ".join(dict.fromkeys(report.changes[i].direction.value for i in g.changes))
                use = group_used_by(report, g, users) if severity is not Severity.SAFE else None
                rule = f'<a href="{_href(docs_base, g.rule + ".md")}"><code>{_e(g.rule)}</code></a>'
                out += [f'<li class="bundle" id="group-{_e(g.id)}" data-severity="{severity.value}" '
                        f'data-direction="{_e(directions)}" data-rule="{_e(g.rule)}" data-count="{g.count}">',
                        f'<p class="message"><span aria-hidden="true">{ICONS[severity]}</span> '
                        f"{_e(headline(report, g, limit=limit))}</p>",
                        _pairs([("rule", rule), ("changes", str(g.count)), ("direction", _e(directions))]),
                        *([f'<p class="note">{_e(use)}</p>'] if use else []),
                        f"<details><summary>The {g.count} changes</summary>", '<ol class="changes">']
                for i in g.changes:
                    index += 1
                    change = report.changes[i]
                    one = used_by(report, change, users) if change.severity is not Severity.SAFE else None
                    out.append(_change(index, change, docs_base, source_base, one))
                out += ["</ol>", "</details>", "</li>"]
            out.append("</ol>")
            if severity is Severity.SAFE:
                out.append("</details>")
            out.append("</section>")
    else:
        out.append('<p class="note">No API changes.</p>')
    if report.warnings:
        out += ['<section class="warnings" aria-labelledby="h-warnings">', '<h2 id="h-warnings">Warnings</h2>', "<ul>",
                *(f"<li>{_e(w)}</li>" for w in report.warnings), "</ul>", "</section>"]
    out += [
        '<footer>Generated by apidiff. Severity is reported for the <b>'
        f"{_e(report.mode.value)}</b> mode; each change also shows its backward and forward verdicts.</footer>",
        "</main>",
    ]
    if report.changes:
        out.append(f"<script>{JS}</script>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)

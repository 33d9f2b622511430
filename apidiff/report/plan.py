"""Deprecation plans rendered: JSON (the contract documented in :mod:`apidiff.core.plan`) and Markdown.

The plan itself is designed in :mod:`apidiff.core.plan` (with the format's planner); build one with
:func:`apidiff.api.build_plan`, or load, compare and render in one call with :func:`apidiff.api.plan`.
"""

from __future__ import annotations

import json

from apidiff.core.plan import OPERATIONS_SHOWN, STRATEGIES, Plan, Snippet, some

__all__ = ["render_json", "render_markdown"]


def render_json(plan: Plan, *, indent: int | None = 2) -> str:
    """The plan as JSON (keys documented in :mod:`apidiff.core.plan`)."""
    return json.dumps(plan.to_dict(), indent=indent, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fence(snippet: Snippet) -> list[str]:
    ticks = "````" if "```" in snippet.code else "```"
    return [f"{snippet.caption}:", "", f"{ticks}{snippet.language}", snippet.code, ticks, ""]


def render_markdown(plan: Plan) -> str:
    """The plan as Markdown: a summary table, then each change's three phases."""
    lines = [
        "# Deprecation plan",
        "",
        f"`{plan.old.source}` → `{plan.new.source}` ({plan.new.kind})",
        "",
        f"Deprecation on {plan.deprecation_date.isoformat()}, sunset on {plan.sunset_date.isoformat()} "
        f"({plan.sunset_days} days later). Each change is staged in three phases: **expand** (add the new beside "
        "the old, or mark the old deprecated), **migrate** (serve both while consumers move) and **contract** "
        "(remove or apply after the sunset).",
        "",
    ]
    lines += [f"> **Warning**: {w}\n" for w in plan.warnings]
    if not plan.items:
        lines += ["No change needs a staged rollout.", ""]
    else:
        lines += ["| # | change | rule | strategy | sunset |", "|---:|---|---|---|---|"]
        for n, item in enumerate(plan.items, 1):
            lines.append(f"| {n} | `{_cell(item.change.subject)}` | `{item.change.id}` | "
                         f"{STRATEGIES[item.strategy]} | {item.sunset_date.isoformat()} |")
        lines.append("")
    for n, item in enumerate(plan.items, 1):
        c = item.change
        verdict = (", ".join(f"{name}: {b.value}" for name, (b, _) in c.surfaces.items()) if c.surfaces
                   else f"{c.severity.value}, {c.direction.value}")
        lines += [f"## {n}. `{c.subject}`", "", f"{c.message} (`{c.id}`, {verdict}).", ""]
        facts = [f"Strategy: {STRATEGIES[item.strategy]} (`{item.strategy}`)."]
        if item.replacement:
            facts.append(f"Replacement: `{item.replacement}`.")
        if item.operations:
            count = f" ({len(item.operations)})" if len(item.operations) > OPERATIONS_SHOWN else ""
            facts.append(f"Affected{count}: {some(item.operations, OPERATIONS_SHOWN)}.")
        lines += [" ".join(facts), ""]
        titles = {"expand": f"expand, now ({item.deprecation_date.isoformat()})",
                  "migrate": f"migrate, {item.deprecation_date.isoformat()} to {item.sunset_date.isoformat()}",
                  "contract": f"contract, on or after {item.sunset_date.isoformat()}"}
        for i, phase in enumerate(item.phases, 1):
            lines += [f"### {n}.{i} {titles[phase.name]}", ""]
            lines += [f"{k}. {step}" for k, step in enumerate(phase.steps, 1)]
            lines.append("")
            for snippet in phase.snippets:
                lines += _fence(snippet)
            lines += [f"Rollback: {phase.rollback}", ""]
    if plan.completed:
        lines += ["## Already past their sunset", "",
                  "These removals are the contract phase of an earlier deprecation: nothing to stage.", ""]
        lines += [f"- `{c.subject}`: {c.message} (`{c.id}`)" for c in plan.completed]
        lines.append("")
    return "\n".join(lines)

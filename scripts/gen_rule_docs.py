#!/usr/bin/env python3
"""Generate docs/rules/<id>.md and docs/rules/README.md from the rule declarations.

Run: python scripts/gen_rule_docs.py          (writes the pages)
     python scripts/gen_rule_docs.py --check  (exit 1 when a page is stale; the test suite does this)

Each page shows the verdict apidiff really gives on the rule's example, computed here, so the
docs cannot drift from the code. The example date is fixed so that sunset examples are stable.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from apidiff import compare
from apidiff.core.direction import Direction
from apidiff.core.rule import Rule
from apidiff.formats import all_rules
from apidiff.formats import get as get_format

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "rules"
EXAMPLE_DAY = date(2026, 1, 1)


def page(rule: Rule) -> str:
    report = compare(rule.example.old, rule.example.new, today=EXAMPLE_DAY)
    hit = next(c for c in report.changes if c.id == rule.id)
    lines = [
        f"# `{rule.id}`",
        "",
        rule.summary,
        "",
        *severity_lines(rule),
        f"Forward (new clients against the old API, i.e. a rollback) is the backward verdict of the "
        f"mirrored change, from the rules of family `{rule.mirror}`.",
        "",
        "## Why it matters",
        "",
        rule.rationale,
        "",
        "## Example",
        "",
        "Before:",
        "",
        *fenced(rule.example.old, rule.example.format),
        "",
        "After:",
        "",
        *fenced(rule.example.new, rule.example.format),
        "",
        f"apidiff reports: `{hit.id}` on `{hit.subject}`, direction {hit.direction.value}, "
        f"backward **{hit.backward.value}**, forward **{hit.forward.value}**: {hit.message}.",
        "",
        "## Safe rollout",
        "",
        rule.rollout,
        "",
    ]
    if rule.equivalents:
        lines += ["## Equivalents in other tools", "", *[f"- {e}" for e in rule.equivalents], ""]
    lines += [f"_Rule family `{rule.family}`; reads `{rule.kind}` elements; formats: "
              f"{', '.join(rule.formats)}. Generated from the rule's declaration by "
              "`scripts/gen_rule_docs.py`; do not edit._", ""]
    return "\n".join(lines)


def fenced(text: str, fmt: str) -> list[str]:
    """A code block, in the language and form the rule's format shows its examples in."""
    language, shown = get_format(fmt).show_example(text)
    return [f"```{language}", shown, "```"]


def severity_lines(rule: Rule) -> list[str]:
    from apidiff.core.change import Severity

    if rule.surfaces:
        return ["Backward verdicts (old clients or the other subgraphs against the new schema), per surface; where "
                "the verdict depends on what the other subgraphs do, the rule's text says how, and this is the "
                "verdict when it is certain:", "",
                "| surface | backward |", "|---|---|",
                *(f"| {name} | {severity.value} |" for name, severity in rule.surfaces.items()), ""]
    if isinstance(rule.severity, Severity):
        return [f"Backward (old clients against the new API): **{rule.severity.value}**, wherever the element "
                "is used. Where the verdict depends on the values (a type change, a default), this is the usual "
                "verdict and the example shows a real one.", ""]
    return [
        "| where the element is used | backward (old clients, new API) |",
        "|---|---|",
        f"| input (arguments, input objects, request bodies) | {rule.severity_for(Direction.INPUT).value} |",
        f"| output (fields, responses) | {rule.severity_for(Direction.OUTPUT).value} |",
        f"| both | {rule.severity_for(Direction.BOTH).value} |",
        "",
    ]


def index(rules: tuple[Rule, ...]) -> str:
    lines = ["# Rules", "", f"apidiff has {len(rules)} rules. Each page is generated from the rule's declaration.",
             "Severities are backward verdicts (old clients against the new API) by where the element is used; "
             "`apidiff rules` prints the same table.", "",
             "| rule | input | output | summary |", "|---|---|---|---|"]
    for r in rules:
        lines.append(f"| [`{r.id}`]({r.id}.md) | {r.severity_for(Direction.INPUT).value} | "
                     f"{r.severity_for(Direction.OUTPUT).value} | {r.summary} |")
    return "\n".join(lines) + "\n"


def pages(rules: tuple[Rule, ...] | None = None, out_dir: Path = OUT) -> dict[Path, str]:
    """The pages of ``rules`` (default: every registered format's) and their index, by path."""
    rules = all_rules() if rules is None else rules
    out = {out_dir / f"{r.id}.md": page(r) for r in rules}
    out[out_dir / "README.md"] = index(rules)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the pages are up to date")
    args = parser.parse_args()
    wanted = pages()
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    extra = [p for p in OUT.glob("*.md") if p not in wanted]
    if args.check:
        for p in stale + extra:
            print(f"stale: {p.relative_to(ROOT)}")
        return 1 if stale or extra else 0
    OUT.mkdir(parents=True, exist_ok=True)
    for p in stale:
        p.write_text(wanted[p], encoding="utf-8")
    for p in extra:
        p.unlink()
    print(f"{len(wanted)} pages, {len(stale)} written, {len(extra)} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

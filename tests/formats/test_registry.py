"""The rule catalogue as data: ids, mirrors, documentation, examples and generated docs."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from apidiff import compare
from apidiff.core.rule import ID_PATTERN, Rule
from apidiff.formats import all_rules
from tests.conftest import ROOT, TODAY

RULES = all_rules()
REGISTRY = RULES


def test_ids_are_unique_kebab_case_sentences() -> None:
    counts = Counter(r.id for r in REGISTRY)
    assert [i for i, n in counts.items() if n > 1] == []
    assert [r.id for r in RULES if not ID_PATTERN.match(r.id)] == []
    assert [r.id for r in RULES if any(w in r.id for w in ("breaking", "dangerous", "safe"))] == []


def test_every_mirror_names_an_existing_family() -> None:
    families = {r.family for r in RULES}
    assert {r.id: r.mirror for r in RULES if r.mirror not in families} == {}


def test_mirror_families_point_back() -> None:
    """If family F mirrors to G, every rule of G mirrors back to F."""
    for r in RULES:
        back = {m.mirror for m in RULES if m.family == r.mirror}
        assert back == {r.family}, r.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule: Rule) -> None:
    assert rule.summary and rule.summary.endswith(".")
    assert len(rule.rationale) > 40
    assert rule.rollout
    assert "{" not in rule.summary


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_example_reports_its_own_rule(rule: Rule) -> None:
    report = compare(rule.example.old, rule.example.new, today=TODAY)
    hits = [c for c in report.changes if c.id == rule.id]
    assert len(hits) == 1, [c.id for c in report.changes]
    (hit,) = hits
    assert hit.old_location is not None or hit.new_location is not None
    # the example run the other way round reports the mirror, with the verdicts swapped
    back = compare(rule.example.new, rule.example.old, today=TODAY)
    # the same element: the same subject, or (a rename seen from each side) the same places swapped
    mirrors = [c for c in back.changes if REGISTRY_BY_ID[c.id].family == rule.mirror
               and (_element(c.subject) == _element(hit.subject)
                    or (c.old_location, c.new_location) == (hit.new_location, hit.old_location))]
    assert mirrors, [c.id for c in back.changes]
    assert max(m.backward for m in mirrors) == hit.forward


REGISTRY_BY_ID = {r.id: r for r in REGISTRY}


def _element(subject: str) -> str:
    """A subject without the spelling of path parameters: an OpenAPI subject names the path and its
    parameters as written on the new side, so after a rename each direction spells its own."""
    return re.sub(r"\{[^{}/]*\}", "{}", re.sub(r" path parameter \S+", " path parameter", subject))


def test_generated_docs_are_up_to_date() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rule_docs.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr + "\nrun: python scripts/gen_rule_docs.py"


def test_oasdiff_mapping_is_complete_and_up_to_date() -> None:
    """Every oasdiff ERR/WARN check is covered, every pattern names a real check, the page is fresh."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_oasdiff_mapping.py"), "--check"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr

"""The changelog: Keep a Changelog sections, grouping by operation or type, versions, snapshots.

Rewrite the snapshots after a deliberate change with ``APIDIFF_UPDATE_SNAPSHOTS=1``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from apidiff import compare
from apidiff.api import changelog
from apidiff.formats import get as get_format
from apidiff.report.changelog import SECTIONS, section
from tests.conftest import ROOT, TODAY

SNAPSHOTS = Path(__file__).parent / "snapshots"
EXAMPLES = {"petstore": ("examples/petstore/v1.yaml", "examples/petstore/v2.yaml"),
            "graphql": ("examples/graphql/v1.graphql", "examples/graphql/v2.graphql")}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_changelog_snapshot(name: str) -> None:
    old, new = (str(ROOT / p) for p in EXAMPLES[name])
    text = changelog(old, new, today=TODAY)
    path = SNAPSHOTS / f"{name}.changelog.md"
    if os.environ.get("APIDIFF_UPDATE_SNAPSHOTS"):
        path.write_text(text)
    assert text == path.read_text()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_change_is_listed_once_in_the_right_section(name: str) -> None:
    old, new = (str(ROOT / p) for p in EXAMPLES[name])
    report = compare(old, new, today=TODAY)
    text = changelog(old, new, today=TODAY)
    headings = re.findall(r"^### (.+)$", text, flags=re.M)
    assert headings == [s for s in SECTIONS if s in headings]  # in the Keep a Changelog order
    for change in report.changes:
        assert text.count(f"(`{change.id}`)") == sum(c.id == change.id for c in report.changes)
        block = text.split(f"### {section(change)}\n", 1)[1].split("\n### ", 1)[0]
        assert f"(`{change.id}`)" in block
        if change.backward.value == "breaking":
            assert section(change) == "Breaking"


def test_versions_come_from_the_documents_or_the_flags() -> None:
    old, new = (str(ROOT / p) for p in EXAMPLES["petstore"])
    assert changelog(old, new, today=TODAY).startswith("## [2.0.0] - 2026-01-01\n\nCompared with 1.0.0.\n")
    proc = subprocess.run([sys.executable, "-m", "apidiff.cli", "changelog", old, new, "--new-version", "v2-beta",
                           "--old-version", "v1", "--today", "2026-02-03"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("## [v2-beta] - 2026-02-03\n\nCompared with v1.\n")


def test_groups_are_operations_or_types() -> None:
    report = compare(*(str(ROOT / p) for p in EXAMPLES["petstore"]), today=TODAY)
    assert {get_format(report.new.kind).changelog_group(c) for c in report.changes} >= {"GET /pets", "Pet", "NewPet"}
    gql = compare(*(str(ROOT / p) for p in EXAMPLES["graphql"]), today=TODAY)
    assert {get_format(gql.new.kind).changelog_group(c) for c in gql.changes} >= {"Query", "Book"}


def test_no_changes() -> None:
    old = str(ROOT / EXAMPLES["petstore"][0])
    assert changelog(old, old, today=TODAY).endswith("No API changes.\n")

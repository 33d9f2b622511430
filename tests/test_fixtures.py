"""Fixture pairs with the exact changes they must report, and where (file:line:column).

Each ``fixtures/openapi/<case>/expected.yaml`` names the two documents and lists every change.
After a deliberate change of behaviour, rewrite them with ``APIDIFF_UPDATE_FIXTURES=1 pytest
tests/test_fixtures.py`` and review the diff: the lines must point at the changed keyword.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from apidiff import compare
from apidiff.core.location import Location
from tests.conftest import FIXTURES, TODAY

CASES = sorted(p.parent for p in (FIXTURES / "openapi").glob("*/expected.yaml"))


def _where(location: Location | None, folder: Path) -> str | None:
    if location is None:
        return None
    path = Path(location.file).resolve()
    return f"{path.relative_to(folder.resolve()).as_posix()}:{location.line}:{location.column}"


def actual(folder: Path, spec: dict[str, Any]) -> list[dict[str, Any]]:
    report = compare(folder / spec["old"], folder / spec["new"], today=TODAY)
    return [{"id": c.id, "subject": c.subject, "backward": c.backward.value, "forward": c.forward.value,
             "old": _where(c.old_location, folder), "new": _where(c.new_location, folder)}
            for c in report.changes]


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_fixture_reports_exactly_the_expected_changes(folder: Path) -> None:
    path = folder / "expected.yaml"
    spec = yaml.safe_load(path.read_text())
    got = actual(folder, spec)
    if os.environ.get("APIDIFF_UPDATE_FIXTURES"):
        header = "".join(line + "\n" for line in path.read_text().splitlines() if line.startswith("#"))
        path.write_text(header + yaml.safe_dump({"old": spec["old"], "new": spec["new"], "changes": got},
                                                sort_keys=False, width=120))
    assert got == spec["changes"]


def test_every_openapi_fixture_pair_has_expectations() -> None:
    assert {p.name for p in CASES} >= {"swagger2", "openapi30", "openapi31", "multifile", "circular"}
